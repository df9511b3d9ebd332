"""Where bylines are found, and how names are cleaned: "By JOHN SMITH, AP" -> John Smith.

Sources: a byline line under the title ("Joel Gehrke", "By Ann M. Simmons and Jane Doe"),
"Write to X at x@outlet.com" footers, and wire credits "Reporting by X; Editing by Y" (reporters
and writers are authors, editors are not). A candidate that is not a clean personal name (a
sentence fragment, an outlet, a place, a weekday) is refused rather than returned.
"""

from __future__ import annotations

import re

from indexer import outlets

_PARTICLES = {"de", "da", "del", "della", "der", "den", "van", "von", "la", "le", "di", "du",
              "dos", "das", "bin", "ibn", "al", "el", "ter", "st.", "mac", "y"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "this", "that", "it", "he", "she", "they", "we", "but",
    "and", "or", "for", "with", "from", "by", "of", "to", "as", "after", "before", "when", "if",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "today", "yesterday", "staff", "editorial", "board",
    "news", "press", "agency", "reuters", "published", "updated", "photo", "video", "share",
    "president", "minister", "senator", "governor", "secretary", "mr.", "mrs.", "ms.", "dr.",
}
# Places that read like two capitalised names; never an author.
_PLACES = {
    "new york", "los angeles", "san francisco", "hong kong", "new delhi", "united states",
    "united kingdom", "north korea", "south korea", "south africa", "new zealand", "saudi arabia",
    "tel aviv", "buenos aires", "rio de janeiro", "sao paulo", "mexico city", "kuala lumpur",
    "abu dhabi", "cape town", "las vegas", "san diego", "new orleans", "new jersey", "st. louis",
    "white house", "capitol hill", "wall street", "downing street", "silicon valley",
    "washington dc", "washington d.c.", "east asia", "middle east", "latin america",
}
_JOB_WORDS = re.compile(
    r"\b(writer|reporter|correspondent|editor|columnist|contributor|staff|bureau|chief|analyst|"
    r"producer|journalist|critic|senior|associate|special|investigative|freelance|intern|"
    r"fellow|anchor|host|photographer|team|desk|contributing|political|national|international|"
    r"business|sports|science|health|technology|tech|opinion|for)\b", re.I)
_BY = re.compile(r"^(written |words |story |reported |text )?by[:\s]\s*", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(^|\s)@\w+|https?://\S+|\bon (twitter|x)\b.*$", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|\||\s+and\s+|\s+&\s+|\s+[–—-]\s+)\s*", re.I)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'’-]*$")
_WRITE_TO = re.compile(r"(?:write to|and|,)\s+(.+?)\s+at\s+\S+@\S+", re.I)
_CREDIT_PART = re.compile(r"^\(?\s*(additional )?(reporting|writing) by\s+(.+?)\)?\.?$", re.I)


def is_name(text: str) -> bool:
    """Whether text is a clean personal name: "Ann M. Simmons", "Jean-Luc de la Cruz Jr."."""
    text = text.strip()
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or text.lower() in _PLACES:
        return False
    core = 0
    for tok in tokens:
        low = tok.lower()
        if low in _PARTICLES or low in _SUFFIXES:
            continue
        if low in _NOT_NAMES or not _name_token(tok):
            return False
        core += 1
    return core >= 2 and not outlets.table().is_outlet_name(text)


def _name_token(tok: str) -> bool:
    if re.fullmatch(r"[A-Z]\.([A-Z]\.)*", tok):  # initials: "M." or "J.R."
        return True
    bare = tok.strip("'’")
    if not bare or not bare[0].isupper() or not bare.replace("-", "").replace("'", "").replace(
        "’", "").replace(".", "").isalpha():
        return False
    return not tok.endswith(".") or len(bare) <= 3


def is_name_fragment(text: str) -> bool:
    """A bare name on a line of its own, as a dropped hyperlink leaves it: "Dmitry Peskov,"."""
    bare = text.rstrip(",.;:")
    tokens = bare.split()
    if not 1 <= len(tokens) <= 4:
        return False
    if tokens[0].lower() in _NOT_NAMES:
        return False
    return all(_name_token(t) or t.lower() in _PARTICLES for t in tokens)


def normalise(name: str) -> str:
    """Tidy one name: spacing, and case for ALL-CAPS names ("JOHN MCCAIN" -> "John McCain")."""
    name = " ".join(name.split()).strip(" ,.;:|")
    if name.endswith((" Jr", " Sr")):
        name += "."
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        name = " ".join(_title_word(w) for w in name.split())
    return name


def _title_word(word: str) -> str:
    if re.fullmatch(r"[A-Z]\.([A-Z]\.)*", word) or word.lower() in ("ii", "iii", "iv"):
        return word
    word = "-".join(p.capitalize() for p in word.lower().split("-"))
    word = re.sub(r"^(O|D)(['’])(\w)", lambda m: m.group(1) + m.group(2) + m.group(3).upper(),
                  word)
    return re.sub(r"^Mc(\w)", lambda m: "Mc" + m.group(1).upper(), word)


def parse_names(text: str) -> list[str] | None:
    """Names in a byline-like string, or None when any part is not a name, title or outlet."""
    text = _HANDLE.sub(" ", _EMAIL.sub(" ", text))
    text = re.sub(r"\([^)]*\)", " ", text).strip(" .:")
    names: list[str] = []
    for part in _SPLIT.split(text):
        part = _IN_PLACE.sub("", part.strip(" .,:"))
        if not part:
            continue
        candidate = normalise(part)
        if is_name(candidate):
            names.append(candidate)
        elif _is_title_or_outlet(part):
            continue
        else:
            return None
    return names or None


def _is_title_or_outlet(part: str) -> bool:
    if outlets.table().is_outlet_name(part) or part.lower() in ("the associated press", "wire"):
        return True
    words = part.split()
    return len(words) <= 6 and bool(_JOB_WORDS.search(part))


def is_byline(text: str, after_title: bool) -> bool:
    """Whether a line near the top is a byline: "By X and Y", or a bare name under the title."""
    if len(text.split()) > 24:
        return False
    by = _BY.match(text)
    if by:
        rest = text[by.end():]
        if not rest[:1].isupper():  # "By the way, ..." is prose
            return False
        return parse_names(rest) is not None
    if not after_title:
        return False
    return parse_names(text) is not None


def from_byline(text: str) -> list[str]:
    by = _BY.match(text)
    return parse_names(text[by.end():] if by else text) or []


def from_write_to(text: str) -> list[str]:
    """Names in "Write to Ann M. Simmons at ann.simmons@wsj.com and ..." lines."""
    names = []
    for raw in _WRITE_TO.findall(text):
        name = normalise(raw)
        if is_name(name):
            names.append(name)
    return names


def from_credits(text: str) -> list[str]:
    """Reporters and writers in "Reporting by X in Kyiv; Additional reporting by Y; Editing by Z"
    (editors are not authors)."""
    names: list[str] = []
    for part in re.split(r"\s*;\s*", text.strip().strip("()")):
        m = _CREDIT_PART.match(part.strip())
        if m:
            names.extend(parse_names(m.group(3)) or [])
    return names
