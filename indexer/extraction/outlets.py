"""Outlets: canonical names from evidence (e-mail domains, copyright holders, wire tags, names).

The evidence table is data, not code: indexer/extraction/data/outlets.toml, extended or
overridden (by outlet name) by a user file given with `newsdex index --outlets FILE`, by
$NEWSDEX_OUTLETS, or by ~/.config/newsdex/outlets.toml when present.

The open world: an outlet the table does not know is still an outlet where only an outlet can
stand (a copyright holder, "READ MORE FROM", og:site_name, a JSON-LD publisher, a host whose
brand the page spells out). `open_name` gives such a name its display form, without the
company's legal suffixes, years, hashes and "All Rights Reserved".
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from indexer.errors import NewsdexError

DEFAULT_FILE = Path(__file__).parent / "data" / "outlets.toml"
USER_FILE = Path("~/.config/newsdex/outlets.toml").expanduser()
_CORPORATE = re.compile(
    r"\b(inc|incorporated|ltd|limited|llc|plc|co|corp|corporation|company|group|holdings|"
    r"media|newspapers?|publishing|lp|l\.p|sa|ag|gmbh)\b")


def key(text: str) -> str:
    """Comparable form of a name: "The Dow Jones & Co., Inc." -> "dow jones"."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = _CORPORATE.sub(" ", text)
    words = text.split()
    while words and words[0] == "the":
        words.pop(0)
    while words and words[-1] in ("and", "the", "of"):
        words.pop()
    return " ".join(words)


def _specific(name: str) -> bool:
    """False for a name whose comparable form lost what told it apart: "News Group Newspapers"
    -> "news". Such a name would match any line that says "news"."""
    words = [w for w in re.findall(r"\w+", name.lower()) if w != "the"]
    return len(key(name).split()) > 1 or len(words) <= 1


# Legal and corporate tails of a publisher's name: "PolitiFact, LLC", "Hearst Media Services".
_LEGAL_TAIL = re.compile(
    r"(?:[\s,]+(?:inc|incorporated|ltd|limited|llc|l\.l\.c|plc|corp|corporation|co|gmbh|ag|"
    r"s\.a|sa|s\.l|lp|media services|media group|media|publishing|publications|holdings|"
    r"company|group|newspapers?)\.?)+$", re.I)
_COMPANY_TAIL = re.compile(r"\s(?:company|corporation|group)\b", re.I)
# The end of a copyright line's first sentence, after a word (not "U.S." nor "Co."): what
# follows is terms and notices ("©2015 The Associated Press. Learn more about ...").
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\s?\.\s+(?=\S)")
_PLATFORM_TAIL = re.compile(r"(?:^|\s+)(?:is\s+)?powered by\s+\S.{0,40}$", re.I)
# An edition's tail: "日本経済新聞 電子版" (the digital edition) is the paper.
_EDITION_TAIL = re.compile(r"[\s\u3000]*[(（]?(?:電子版|デジタル版|网络版|電子報)[)）]?$")
# Publishing platforms: their name is a site's og:site_name on every publication they host.
PLATFORMS = {"medium", "substack", "wordpress com", "blogger", "tumblr", "ghost", "wix",
             "squarespace", "livejournal", "hashnode", "dev"}
_SITE_TLD = re.compile(r"(?<=\w)\.(?:com|fr|de|es|it|pt|ru|co\.uk|com\.\w\w)$", re.I)
_NOT_OUTLET = re.compile(
    r"^(?:home|homepage|news|blog|articles?|all articles|alle artikel|todas las noticias|"
    r"toutes les actualités|login|log in|sign in|menu|search|subscribe|wordpress|blogger|"
    r"the|admin|editor|staff)$", re.I)


def open_name(text: str, declared: bool = False) -> str | None:
    """An outlet name the table may not know, as a reader would write it:
    "Copyright ©2020 PC Gamer. All Rights Reserved. 3f9a..." -> "PC Gamer"; a name the table
    knows comes back canonical. None for what cannot be an outlet's name (a sentence, a nav
    label, a bare year). `declared`: the site states it as its name (og:site_name, a JSON-LD
    publisher), so its case is the site's choice ("topicseed")."""
    text = re.sub(r"(?i)\b(?:copyright|all rights reserved)\b\.?|©|\(c\)|\b[0-9a-f]{12,}\b|"
                  r"(?<!\w)(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?(?!\w)", " ", text)
    text = " ".join(text.split()).strip(" .,;:|-–—")
    text = _SENTENCE_END.split(text, maxsplit=1)[0]  # "The Associated Press. Terms under ..."
    text = re.sub(r"(?i)^(?:provided by|courtesy of|via)\s+", "", text)  # "© Provided by X Inc"
    text = re.split(r"\s+[|–—:-]\s+", text)[0]  # "LinkNaija | Nigeria's news platform"
    company = _COMPANY_TAIL.search(text)
    text = _LEGAL_TAIL.sub("", text).strip(" .,;:|-–—")
    if company:  # "The Daring Fireball Company LLC": the company's "The" is not the site's
        text = re.sub(r"^the\s+", "", text, flags=re.I)
    text = _PLATFORM_TAIL.sub("", text)  # "Fandom powered by Wikia": the site is Fandom
    text = _EDITION_TAIL.sub("", text)
    known = table()
    if "." in text and known.by_domain(text):
        return known.by_domain(text)
    if not (text.islower() and len(text.split()) == 1):  # "cleveland.com" is its own brand
        text = _SITE_TLD.sub("", text)  # "Le Monde.fr", "AutoIndustriya.com": the name is the brand
    if not text or len(text) > 60 or len(text.split()) > 6 or _NOT_OUTLET.match(text):
        return None
    if "," in text and not declared:  # "Pierre-Yves David, Greg Ward, and contributors"
        return None
    if re.search(r"@|https?:|www\.", text) or not re.search(r"[^\W\d_]", text):
        return None
    first = text[0]
    caseless = first.isalpha() and not first.isupper() and not first.islower()  # 光明网, ประชาไท
    if not declared and not (first.isupper() or first.isdigit() or caseless
                             or re.match(r"[a-z]+[A-Z.]", text)):
        return None  # "the latest news", but "theguardian.com" or "eNCA" pass
    return known.by_name(text) or text


def is_platform(name: str) -> bool:
    """Medium, Substack, Blogger...: the host of a publication, not the publication."""
    return key(name) in PLATFORMS


def page_spelling(name: str, texts: list[str]) -> str:
    """An all-capitals name as the page also writes it in mixed case ("SIMPLYFOUND" in the
    og:site_name, "SimplyFound" in the <title>), else the name as it is. Short names stay:
    "IETF", "BBC" are written that way."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 5 or not all(c.isupper() for c in letters):
        return name
    want, size = key(name), len(name.split())
    for text in texts:
        words = text.split()
        for i in range(len(words) - size + 1):
            candidate = " ".join(words[i:i + size]).strip(" .,;:|-–—()[]\"'")
            if key(candidate) == want and not candidate.isupper():
                return candidate
    return name


def brand_of_host(host: str, texts: list[str]) -> str | None:
    """The outlet a host belongs to, where the page spells the host's brand in words:
    politifact.com with "© PolitiFact" -> "PolitiFact", pcgamer.com with "PC Gamer"."""
    labels = [p for p in host.lower().removeprefix("www.").split(".") if p]
    if len(labels) < 2:
        return None
    # the registrable label: "bbc" in news.bbc.co.uk, "pcgamer" in www.pcgamer.com
    brand = labels[-3] if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net",
                                                               "gov", "ac") else labels[-2]
    brand = brand.replace("-", "")
    if len(brand) < 3:
        return None
    for text in texts:
        words = re.findall(r"[^\W_][\w'’&.-]*", text)
        for size in range(1, min(5, len(words)) + 1):
            for i in range(len(words) - size + 1):
                window = words[i:i + size]
                if re.sub(r"\W|_", "", "".join(window)).lower() == brand:
                    return open_name(" ".join(window))
    return None


# Words that may follow an outlet's name in a footer without making it a longer name.
_AFTER_A_NAME = {"all", "and", "rights", "reserved", "the", "by", "for", "is", "a", "an", "of",
                 "on", "in", "to", "via", "from", "was", "has", "said", "reports", "reported"}


class OutletTable:
    """Lookups from each kind of evidence to a canonical outlet name."""

    def __init__(self, entries: list[dict]) -> None:
        merged: dict[str, dict] = {}
        for entry in entries:
            merged[entry["name"]] = entry  # a later file overrides an outlet of the same name
        self.domains: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.publishers: dict[str, str] = {}
        self.wire: dict[str, str] = {}
        for name, entry in merged.items():
            self.names[key(name)] = name
            for alias in entry.get("aliases", []):
                if _specific(alias):
                    self.names.setdefault(key(alias), name)
            for domain in entry.get("domains", []):
                self.domains[domain.lower().removeprefix("www.")] = name
            for publisher in entry.get("publishers", []):
                if _specific(publisher):
                    self.publishers[key(publisher)] = name
            for tag in entry.get("wire", []):
                self.wire[tag.lower()] = name
        self.canonical = set(merged)
        evidence = sorted({*self.names, *self.publishers} - {""}, key=len, reverse=True)
        self._inside = re.compile(r"\b(" + "|".join(map(re.escape, evidence)) + r")\b")

    def by_domain(self, host: str) -> str | None:
        """Outlet for a host or e-mail domain, trying parent domains: news.bbc.co.uk -> BBC."""
        parts = host.lower().strip(".").removeprefix("www.").split(".")
        for i in range(len(parts) - 1):
            found = self.domains.get(".".join(parts[i:]))
            if found:
                return found
        return None

    def by_name(self, text: str) -> str | None:
        """Outlet called by one of its names: "THE WASHINGTON EXAMINER", "Source: Reuters"."""
        k = key(text)
        return self.names.get(k) or self.publishers.get(k)

    def by_wire(self, tag: str) -> str | None:
        return self.wire.get(tag.strip().lower())

    def mentioned_in(self, text: str, whole_name: bool = False) -> str | None:
        """The outlet whose name or publisher stands in a footer: "Copyright 2022 Dow Jones ...".

        A one-word name ("Hill", "Sun", "Times") counts only where the text capitalises it, so
        "the latest news" never names an outlet called News. With `whole_name` (a copyright
        holder), the name must end where the holder's name does: "CBS Sports" is not CBS News.
        """
        compared = key(text)
        for m in self._inside.finditer(compared):
            found = m.group(1)
            if " " not in found and not _capitalised(found, text):
                continue
            after = compared[m.end():].split()[:1]
            if whole_name and after and after[0].isalpha() and after[0] not in _AFTER_A_NAME:
                continue  # "CBS Sports", "Times Union": a sister brand, not the table's outlet
            return self.names.get(found) or self.publishers.get(found)
        return None

    def is_outlet_name(self, text: str) -> bool:
        k = key(text)
        return bool(k) and (k in self.names or k in self.publishers)


def _capitalised(word: str, text: str) -> bool:
    return any(m.group()[0].isupper()
               for m in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", text, re.I))


def load(paths: list[str | Path]) -> OutletTable:
    entries: list[dict] = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except OSError as e:
            raise NewsdexError(f"cannot read outlets file {path}: {e.strerror}") from None
        except tomllib.TOMLDecodeError as e:
            raise NewsdexError(f"outlets file {path} is not valid TOML: {e}") from None
        for entry in data.get("outlet", []):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise NewsdexError(f"outlets file {path}: every [[outlet]] needs a name")
            entries.append(entry)
    return OutletTable(entries)


_extra: list[str] = []


def configure(extra_files: list[str]) -> None:
    """Add user evidence files (after the built-in table and the user's config file)."""
    if list(extra_files) == _extra:
        return  # the same files: keep the table already built
    _extra[:] = list(extra_files)
    table.cache_clear()


@lru_cache(maxsize=1)
def table() -> OutletTable:
    paths: list[str | Path] = [DEFAULT_FILE]
    if USER_FILE.is_file():
        paths.append(USER_FILE)
    if os.environ.get("NEWSDEX_OUTLETS"):
        paths.append(os.environ["NEWSDEX_OUTLETS"])
    return load(paths + _extra)
