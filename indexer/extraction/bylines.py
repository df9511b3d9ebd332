"""Where bylines are found, and how names are cleaned: "By JOHN SMITH, AP" -> John Smith.

Sources: a byline line under the title ("Joel Gehrke", "By Ann M. Simmons and Jane Doe"),
"Write to X at x@outlet.com" footers, "To contact the reporter on this story: X" lines, and wire
credits "Reporting by X; Editing by Y" (reporters, writers and "with assistance from" names are
authors, editors are not). A byline is cut at its strong separators ("|", "·", "/", " - "), then
at commas and "and"; each part must be a clean personal name, a job title ("Staff Writer",
"Sacramento Bureau Chief"), an outlet, a date stamp or a handle, or the line is not a byline. A
candidate that is not a clean personal name (a sentence fragment, an outlet, a place, a weekday)
is refused rather than returned.
"""

from __future__ import annotations

import re

from indexer.extraction import dates, outlets

_PARTICLES = {"de", "da", "del", "della", "der", "den", "van", "von", "la", "le", "di", "du",
              "dos", "das", "bin", "ibn", "al", "el", "ter", "st.", "mac", "y", "ó", "ní", "nic",
              "ua", "mc"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "this", "that", "it", "he", "she", "they", "we", "but",
    "and", "or", "for", "with", "from", "by", "of", "to", "as", "after", "before", "when", "if",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "today", "yesterday", "staff", "editorial", "board",
    "news", "press", "agency", "reuters", "published", "updated", "posted", "photo", "video",
    "share", "president", "minister", "senator", "governor", "secretary", "mr.", "mrs.", "ms.",
    "dr.", "rep.", "sen.", "gov.", "gen.", "sir", "lord", "lady", "judge", "justice", "mayor",
    "chancellor", "ambassador", "prime", "chairman", "chairwoman", "spokesman", "spokeswoman",
    "police", "officials", "read", "more", "related", "click", "here", "follow", "subscribe",
    "sign", "watch", "listen", "advertisement", "comments", "reply", "topics", "articles",
    "stories", "how", "why", "what", "who", "new", "says", "said", "will", "is", "are", "was",
    "our", "your", "my", "all", "home", "homepage", "page", "pages", "chapter", "site",
    "navigation", "menu", "font", "size", "newer", "older", "previous", "next", "back", "top",
    "article", "contact", "about", "privacy", "policy", "terms", "login", "search", "report",
    "fiction", "consumer", "internet", "electronics", "technology", "science", "politics",
    "business", "sports", "health", "entertainment", "opinion", "world", "local", "latest",
    "featured", "popular", "trending", "blog", "posts", "post", "view", "profile", "team",
    "online", "desk", "newsroom", "redacción", "redaccion", "redaktion", "rédaction", "redação",
    "redacao", "redazione", "редакция", "allgemein", "alle", "artikel", "beiträge",
    "todos", "todas", "los", "las", "noticias", "artículos", "toutes", "tous", "les",
    "actualités", "notícias", "все", "статьи", "новости",
    "author", "meta", "monarch", "king", "queen", "prince", "princess", "pope",
}
# Months that are also given names ("Laura June Topolsky", "May Jones"): a name's first or
# middle word may be one, its last may not ("Posted June" is no name).
_GIVEN_MONTHS = {"april", "may", "june", "july", "august"}
# What templates and tests put in an author field when there is no author: never a pen name.
_PLACEHOLDERS = {"admin", "administrator", "anonymous", "unknown", "guest", "user", "test",
                 "fail", "none", "null", "undefined", "webmaster", "nobody", "default"}
# The last word of an organisation's name: never a person's surname.
_ORG_WORDS = {
    "foundation", "corporation", "corp", "inc", "inc.", "ltd", "llc", "company", "communications",
    "institute", "university", "college", "association", "society", "council", "committee",
    "department", "ministry", "agency", "group", "media", "network", "suite", "nast", "awards",
    "project", "labs", "studios", "club", "league", "party", "union", "bank", "fund", "trust",
    "developers", "community", "press", "publishing", "systems", "software", "services",
    "stiftung", "fundación", "fondation", "fundação", "universidad", "université",
}
# Places that read like two capitalised names; never an author.
_PLACES = {
    "new york", "los angeles", "san francisco", "hong kong", "new delhi", "united states",
    "united kingdom", "north korea", "south korea", "south africa", "new zealand", "saudi arabia",
    "tel aviv", "buenos aires", "rio de janeiro", "sao paulo", "mexico city", "kuala lumpur",
    "abu dhabi", "cape town", "las vegas", "san diego", "new orleans", "new jersey", "st. louis",
    "white house", "capitol hill", "wall street", "downing street", "silicon valley",
    "washington dc", "washington d.c.", "east asia", "middle east", "latin america",
    "new mexico", "north carolina", "south carolina", "north dakota", "south dakota",
    "west virginia", "rhode island", "new hampshire", "northern ireland", "sri lanka",
    "costa rica", "puerto rico", "el salvador", "san jose", "san antonio", "santa fe",
    "salt lake city", "kansas city", "oklahoma city", "panama city", "quebec city",
    "hong kong sar", "east africa", "west africa", "north america", "south america",
    "south sudan", "czech republic", "dominican republic", "ivory coast", "sierra leone",
    "burkina faso", "great britain", "gaza strip", "west bank", "golan heights",
    # places whose first word reads as a name's particle ("Al Gore" is a name, these are not)
    "el paso", "la paz", "le mans", "le havre", "la jolla", "del mar", "del rio", "van nuys",
    "den haag", "da nang", "al ain", "de moines", "des moines", "la plata", "san juan",
}
# The nouns that make a byline part a job title: "Senior Political Correspondent", "Staff".
_JOB_HEADS = re.compile(
    r"\b(writers?|reporters?|correspondents?|editors?|columnists?|contributors?|staff|bureau|"
    r"chief|analyst|producer|journalist|critic|intern|fellow|anchor|host|photographer|team|desk|"
    r"wire|newsroom|contributing|freelance|special to|for the|director|strategist|"
    r"commentator|reviewer|presenter)\b", re.I)
# The last word of a newspaper's name: "Midland Courier", "The Harbor Ledger". A byline part
# ending in one is an outlet the table does not know, never a person.
_MASTHEAD = re.compile(
    r"(?i:courier|tribune|journal|times|post|herald|news|gazette|ledger|record|observer|sentinel|"
    r"dispatch|bulletin|examiner|chronicle|star|standard|review|daily|weekly|press|wire|newswire|"
    r"report|mail|telegraph|mirror|express|register|inquirer|enquirer|beacon|banner|monitor|"
    r"globe|courant|democrat|republican|independent|guardian|leader|advocate|citizen|argus|"
    r"today|magazine|network|radio|tv|media|online|digital|images|photos|pictures|agency|"
    r"newspaper|newspapers|bearer|messenger|clarion|recorder|pioneer|transcript|ledger|current|"
    r"free press|spectator|sun|eagle|caller|statesman|voice|quarterly|insider|wires|mercury|"
    r"bee|blade|plain dealer|gleaner|intelligencer|sentinel-news|dealer)")
# Words that open a job title after a name: "Senior Political Correspondent", "Energy Reporter".
_TITLE_WORD = re.compile(
    r"(?i:senior|chief|deputy|associate|assistant|executive|managing|contributing|special|staff|"
    r"political|politics|business|economics|economy|energy|health|transport|transportation|"
    r"defence|defense|foreign|national|international|education|environment|environmental|"
    r"science|technology|tech|sports?|culture|arts|legal|diplomatic|security|investigative|"
    r"data|features?|travel|food|money|markets?|finance|financial|climate|courts?|crime|"
    r"religion|weather|entertainment|media|metro|city|local|regional|state|world|news|"
    r"general|breaking|digital|video|audio|social|opinion|global|western|eastern|northern|"
    r"southern|weekly|daily|white|capitol|washington|europe|asia|africa|americas|"
    r"community|freelance|guest|visiting|former|lead|head|bureau|desk|editor|editors|writer|"
    r"reporter|correspondent|columnist|contributor|analyst|producer|journalist|critic)")
_BY = re.compile(r"^(?:written |words |story |reported |text |posted |submitted )?by[:\s]\s*",
                 re.I)
# (?<!...) lets a match start only at the front of a word: no quadratic scan of a long token.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?:^|\s)@\w+|https?://\S+|\b(?:on|follow (?:him|her|them) on) "
                     r"(?:twitter|x|instagram|bluesky|threads)\b.*$", re.I)
_STRONG = re.compile(r"\s*(?:\||·|•|\s[–—-]\s|\s--\s)\s*")
_SLASH = re.compile(r"\s*/\s*")
_SPLIT = re.compile(r"\s*(?:,|;|\s+and\s+|\s+&\s+)\s*", re.I)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'’-]*$")
_WRITE_TO = re.compile(r"(?:write to|and|,)\s+(.+?)\s+at\s+\S+@\S+", re.I)
_CONTACT_REPORTER = re.compile(
    r"^to contact the (?:reporters?|authors?|writers?)(?: on| of)?(?: this story)?\s*:\s*(.+)$",
    re.I)
_REACHED = re.compile(r"^(.{4,60}?) (?:can be reached|may be reached|is reachable) at\b", re.I)
_CREDIT_PART = re.compile(
    r"^(?:--|—|-)?\s*\(?\s*(?:additional |further )?(?:reporting|writing|written|"
    r"compiled|with assistance|assistance|contributions?|contributed reporting)\s+(?:by|from)\s+"
    r"(.+?)\)?\.?$", re.I)


def is_name(text: str) -> bool:
    """Whether text is a clean personal name: "Ann M. Simmons", "Ciarán Ó Murchú"."""
    text = text.strip()
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or text.lower() in _PLACES:
        return False
    if _JOB_HEADS.search(text) or tokens[-1].lower().strip(".,") in _ORG_WORDS:
        return False
    core = 0
    for n, tok in enumerate(tokens):
        low = tok.lower()
        if low in _PARTICLES and n > 0 or low in _SUFFIXES:  # "Al Gore", "Van Morrison"
            continue
        if low in _NOT_NAMES and not (low in _GIVEN_MONTHS and n < len(tokens) - 1) \
                or not _name_token(tok):
            return False
        core += 1
    if looks_like_outlet(text):
        return False
    table = outlets.table()
    # "BBC Scotland", "CNN Business": an outlet's desk, not a person
    return core >= 2 and not table.is_outlet_name(text) and not table.is_outlet_name(tokens[0])


def _name_token(tok: str) -> bool:
    if re.fullmatch(r"[A-Z]\.([A-Z]\.)*", tok):  # initials: "M." or "J.R."
        return True
    if re.fullmatch(r"[A-Za-z]", tok):  # an initial has its period ("R Russell" is a team list)
        return False
    bare = tok.strip("'’")
    if not bare or not bare[0].isupper():
        return False
    if not bare.replace("-", "").replace("'", "").replace("’", "").replace(".", "").isalpha():
        return False
    return not tok.endswith(".") or len(bare) <= 3


def is_name_fragment(text: str) -> bool:
    """A bare name on a line of its own, as a dropped hyperlink leaves it: "Dmitry Peskov,"."""
    bare = text.rstrip(",.;:")
    tokens = bare.split()
    if not 1 <= len(tokens) <= 5:
        return False
    if tokens[0].lower() in _NOT_NAMES:
        return False
    return all(_name_token(t) or t.lower() in _PARTICLES for t in tokens)


def normalise(name: str) -> str:
    """Tidy one name: spacing, stray quotes and punctuation at its ends ("'Luana Patriolino"),
    and case for ALL-CAPS names ("JOHN MCCAIN" -> "John McCain")."""
    name = " ".join(name.split()).strip(" ,.;:|")
    name = name.lstrip("'’‘\"“”«»„*•·-–—").rstrip("\"“”«»„*•·-–—").strip()
    if name.count("'") % 2 and name.endswith("'"):
        name = name[:-1]
    if name.endswith((" Jr", " Sr")):
        name += "."
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        # "ALEJANDRO DE LA GARZA" -> "Alejandro de la Garza": a particle inside a name is small
        name = " ".join(w.lower() if n and w.lower() in _PARTICLES - {"mac", "mc"} else
                        _title_word(w) for n, w in enumerate(name.split()))
    return name


def _title_word(word: str) -> str:
    if re.fullmatch(r"[A-Z]\.([A-Z]\.)*", word) or word.lower() in ("ii", "iii", "iv"):
        return word
    word = "-".join(p.capitalize() for p in word.lower().split("-"))
    word = re.sub(r"^(O|D)(['’])(\w)", lambda m: m.group(1) + m.group(2) + m.group(3).upper(),
                  word)
    return re.sub(r"^Mc(\w)", lambda m: "Mc" + m.group(1).upper(), word)


def looks_like_outlet(part: str) -> bool:
    """A masthead the outlet table may not know: "The Evening Bulletin", "Midland Courier"."""
    words = part.strip(" .,:").split()
    if "," in part:
        return False
    last = words[-1].strip(".,").split("-")[-1] if words else ""
    return 2 <= len(words) <= 6 and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in (
        "&", "of", "the", "de") for w in words) and (
        bool(_MASTHEAD.fullmatch(last))) and not _name_with_suffix(words)


def _name_with_suffix(words: list[str]) -> bool:
    return words[-1].lower().strip(".") in ("jr", "sr")


def is_title_or_outlet(part: str) -> bool:
    """A byline part that is not a person: "AP Business Writer", "CNN", "Staff", "TNN"."""
    part = part.strip(" .,:")
    if not part:
        return True
    if outlets.table().is_outlet_name(part) or part.lower() in ("wire", "wires", "wire services"):
        return True
    if looks_like_outlet(part):
        return True
    words = part.split()
    return len(words) <= 6 and bool(_JOB_HEADS.search(part))


def _is_date_part(part: str) -> bool:
    return dates.find(part) is not None or dates.is_stamp(part) or bool(
        re.fullmatch(r"(?:published|updated|posted|last updated)\s*:?", part, re.I))


def markup_names(text: str) -> list[str]:
    """Names in an author field of the page's markup (JSON-LD, meta author): what
    `parse_names` reads, and there also a single name or pen name ("Sleyca") and a lower-case
    surname ("Mobasir hassan"), which the field's position vouches for."""
    text = re.sub(r"^by\s+", "", " ".join(text.split()), flags=re.I)
    names = parse_names(text)
    if names is not None:
        return names
    bare = normalise(text)
    tokens = bare.split()
    if not 1 <= len(tokens) <= 4 or not tokens[0][:1].isupper() or any(
            t.lower() in _NOT_NAMES or t.lower() in _ORG_WORDS for t in tokens):
        return []
    if not all(t.replace("-", "").replace("'", "").replace(".", "").isalpha() for t in tokens):
        return []
    if outlets.table().is_outlet_name(bare) or looks_like_outlet(bare):
        return []
    if len(tokens) == 1 and tokens[0].lower() in _PLACEHOLDERS:
        return []
    return [" ".join(t if t[:1].isupper() else t.capitalize() for t in tokens)]


def parse_names(text: str, pen_names: bool = False) -> list[str] | None:
    """Names in a byline-like string ([] when it names only outlets or titles), or None when a
    part is neither a name nor a title, outlet, place or date: then the line is not a byline.

    `pen_names`: the string followed an explicit "By", which vouches for one-word names too
    ("By Sleyca | Royal Road", "By kovarex, TOGos and Albert", "By 中沢克二")."""
    if len(text) > 400:
        return None
    text = _HANDLE.sub(" ", _EMAIL.sub(" ", text))
    text = re.sub(r"\([^)]*\)", " ", text).strip(" .:")
    names: list[str] = []
    after_title = False
    strong = [segment for segment in _filed_from_apart(_STRONG.split(text))
              if not _is_date_part(segment)]
    segments = [(n, piece) for n, segment in enumerate(strong)
                for piece in _SLASH.split(_BY.sub("", segment))]
    for n, segment in segments:
        if _is_date_part(segment) or "&" in segment and looks_like_outlet(segment.strip(" .,:")):
            after_title = True
            continue
        for part in _SPLIT.split(segment):
            part = _IN_PLACE.sub("", part.strip(" .,:"))
            if not part:
                continue
            if _opens_title(part) and is_title_or_outlet(part):
                after_title = True
                continue
            name = normalise(part) if is_name(normalise(part)) else (
                _name_in(part) or _with_nickname(part))
            if name:
                names.append(name)
                after_title = False
            elif is_title_or_outlet(part) or _is_date_part(part):
                after_title = True
            elif after_title and re.fullmatch(r"[A-Z][\w'’.-]+", part):
                continue  # "BBC News, Lagos": the place after a role
            elif names and n > 0 and _is_brand(part):
                after_title = True  # "By Anna Ūdre | LSM": the site, though no table knows it
            elif pen_names and n == 0 and is_pen_name(part):
                names.append(part)
                after_title = False
            else:
                return None
    return names


# One word of letters (any script), digits, "_", "'" or "-": a pen name or a user name.
_PEN_NAME = re.compile(r"[^\W\d_][\w'’-]{1,29}")
# Endings of one-word desks and roles ("Newsdesk", "WebStaff"), never a pen name.
_NOT_PEN = ("desk", "staff", "team", "news", "wire", "wires", "online", "media", "admin",
            "editor", "editors", "agencies", "redaktion", "redaccion", "redacción")
_NICKNAME = re.compile(r"(\S+) ([\"“][^\"“”]{1,30}[\"”]) (\S.*)")


def is_pen_name(word: str) -> bool:
    """A one-word name as bylines and user profiles write it: "Sleyca", "kovarex", "TOGos",
    "中沢克二" (a Chinese or Japanese name of at most 8 characters), never a placeholder,
    a common word, a desk or an outlet."""
    if not _PEN_NAME.fullmatch(word) or CJK.search(word) and len(word) > 8:
        return False
    low = word.lower()
    if low in _NOT_NAMES or low in _PLACEHOLDERS or low in _ORG_WORDS or low in _PARTICLES \
            or low.endswith(_NOT_PEN):
        return False
    return not is_title_or_outlet(word) and not _is_date_part(word)


# Chinese, Japanese and Korean script (cleaner.py counts each character of it as a word).
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _with_nickname(part: str) -> str | None:
    """A name with a nickname in quotes: 'Amanda "Tania Mae" Tan', kept as written."""
    m = _NICKNAME.fullmatch(part)
    if not m:
        return None
    name = normalise(f"{m.group(1)} {m.group(3)}")
    nickname = m.group(2)[1:-1].split()
    if not is_name(name) or not all(_name_token(t) for t in nickname):
        return None
    first, _, rest = name.partition(" ")
    return f"{first} {m.group(2)} {rest}"


# A byline that names its writer by a handle only: "@lazharichir", "By @jdoe | Site".
_HANDLE_ONLY = re.compile(r"(@\w{2,30})(?:\s*(?:\||·|•|\s[–—-]\s)\s*[^@]{1,60})?")


_BRAND_WORD = re.compile(r"[^\W\d_][\w'’.&-]*|\d[\w'’.&-]*")
_BRAND_JOINS = {"of", "the", "and", "for", "de", "la", "del", "du", "des", "di", "&", "on", "in"}


def _is_brand(part: str) -> bool:
    """A site's name by its form: "LSM", "Royal Road", "Archive of Our Own", "史蒂文的家_藍天"
    (capitalised or caseless words, small joining words between them)."""
    words = part.split()
    if not 1 <= len(words) <= 6 or words[0][:1].islower():
        return False
    return all(_BRAND_WORD.fullmatch(w) and (not w[:1].islower() or w in _BRAND_JOINS)
               for w in words)


def _filed_from_apart(segments: list[str]) -> list[str]:
    """Byline segments without the place a story was filed from: "Patricio Candia | Palma de
    Mallorca | 08/01/2014" names the author first and the place just before the date."""
    dated = next((i for i, segment in enumerate(segments) if _is_date_part(segment)), 0)
    return segments[:dated - 1] + segments[dated:] if dated >= 2 else segments


def _opens_title(part: str) -> bool:
    """"AP Business Writer", "Senior Political Correspondent": a title from its first word."""
    first = part.split()[0].strip(",.")
    return bool(_TITLE_WORD.fullmatch(first)) or outlets.table().is_outlet_name(first)


def _name_in(part: str) -> str | None:
    """The name at the start of a part followed by a job title or an outlet:
    "Bronwyn Tully Transport Reporter" -> "Bronwyn Tully", "DEAN OKONJO Associated Press"."""
    tokens = part.split()
    for k in range(2, len(tokens)):
        if _TITLE_WORD.fullmatch(tokens[k].strip(",.")) or tokens[k][:1].islower():
            candidate, rest = normalise(" ".join(tokens[:k])), " ".join(tokens[k:])
            if is_name(candidate) and is_title_or_outlet(rest):
                return candidate
            break
    for k in range(len(tokens) - 1, 1, -1):
        rest = " ".join(tokens[k:])
        if outlets.table().is_outlet_name(rest):
            candidate = normalise(" ".join(tokens[:k]))
            return candidate if is_name(candidate) else None
    return None


def is_byline(text: str, after_title: bool) -> bool:
    """Whether a line near the top is a byline: "By X and Y", or a bare name under the title."""
    if len(text) > 300 or len(text.split()) > 24 or text.endswith(("?", "!")):
        return False
    if text.startswith(("|", "·", "•", "»", ">", "- ", "+ ", "* ")):
        return False  # "| Raspberry Pi": one of a row of tags; "- Removed Herobrine": a list
    if text.endswith(".") and not re.search(r"\b(?:[A-Z]|Jr|Sr|Inc|Co)\.$", text):
        return False  # a sentence, or a list of players; a byline has no full stop
    by = _BY.match(text)
    if by:
        return _after_by(text[by.end():]) is not None
    if after_title and _HANDLE_ONLY.fullmatch(text):
        return True
    if not after_title and not re.search(r"[|·•]", text):
        return False
    return bool(parse_names(text))


def from_byline(text: str) -> list[str]:
    by = _BY.match(text)
    if by:
        return _after_by(text[by.end():]) or []
    handle = _HANDLE_ONLY.fullmatch(text)
    return [handle.group(1)] if handle else parse_names(text) or []


def _after_by(rest: str) -> list[str] | None:
    """The names after an explicit "By", or None when what follows is no byline."""
    handle = _HANDLE_ONLY.fullmatch(rest)
    if handle:
        return [handle.group(1)]
    first = rest[:1]
    names = parse_names(rest, pen_names=True)
    if first.isalpha() and first.islower():  # "By the way, ..." is prose; "By kovarex and
        return names if names and len(names) >= 2 else None  # TOGos" names two people
    return names if first.isalpha() or first in "'’\"“" else None


def date_in_byline(text: str) -> str | None:
    """The date a byline carries: "By Ann Smith - 04/27/23 10:15 AM ET" -> "2023-04-27"."""
    for segment in _STRONG.split(text):
        if dates.find(segment) and not re.search(r"updated|modified", segment, re.I):
            return dates.find(segment)[0]
    return None


def from_write_to(text: str) -> list[str]:
    """Names in "Write to Ann M. Simmons at ann.simmons@wsj.com and ..." lines."""
    names = []
    for raw in _WRITE_TO.findall(text):
        name = normalise(raw)
        if is_name(name):
            names.append(name)
    return names


def from_contact(text: str) -> list[str]:
    """The reporter in "To contact the reporter on this story: X in Mumbai at x@..." and
    "X can be reached at x@..." (a line for the editors names no author)."""
    m = _CONTACT_REPORTER.match(text) or _REACHED.match(text)
    if not m:
        return []
    names = []
    for raw in re.split(r"\s*(?:,|;|\band\b)\s*", _EMAIL.sub(" ", m.group(1))):
        raw = re.sub(r"\s+at\s*$", "", raw.strip())
        name = normalise(_IN_PLACE.sub("", raw))
        if is_name(name):
            names.append(name)
    return names


def is_credit(text: str) -> bool:
    """A wire credit line: "Reporting by X in Kyiv; Editing by Y", "--With assistance from Z."."""
    parts = [p.strip() for p in re.split(r"\s*;\s*", text.strip().strip("()")) if p.strip()]
    if not parts:
        return False
    for part in parts:
        m = _CREDIT_PART.match(part) or re.match(r"^(?:editing|edited|graphics|photos?) by\s+(.+?)"
                                                 r"\.?$", part, re.I)
        if not m or not parse_names(m.group(1)):
            return False
    return True


def from_credits(text: str) -> list[str]:
    """Reporters and writers in "Reporting by X in Kyiv; Additional reporting by Y; Editing by Z"
    (editors are not authors)."""
    names: list[str] = []
    for part in re.split(r"\s*;\s*", text.strip().strip("()")):
        m = _CREDIT_PART.match(part.strip())
        if m:
            names.extend(parse_names(m.group(1)) or [])
    return names
