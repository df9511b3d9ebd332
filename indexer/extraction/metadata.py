"""Metadata from cleaned plain-text lines: title, authors, outlet, published date, dateline.

Every finder reads only the lines the cleaner classified for it (a byline, a "Write to" footer, a
copyright line, the first paragraph's dateline), so a sentence that merely mentions a date or a
newspaper never becomes metadata. Each result carries its rule name for `extract --explain`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer.extraction import bylines, dates, outlets
from indexer.extraction.cleaner import BODY, TITLE, Line, is_prose

_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,2}))?"
    rf"(?:,?\s+(?P<date>(?i:{dates.MONTH})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?))?"
    r"\s*(?:\((?P<wire>[^)]{1,40})\))?\s*(?:—|–|--|-|:)\s*(?=\S)")
# "Washington (CNN) —": a mixed-case city is a dateline only with a wire tag after it.
_DATELINE_WIRE = re.compile(
    r"^(?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})(?:,\s*(?P<region>[A-Z][\w.]+(?: [A-Z][\w.]+)?))?"
    r"\s+\((?P<wire>[^)]{1,40})\)\s*(?:—|–|--|-)\s*(?=\S)")
_READ_MORE_FROM = re.compile(r"\b(?:read|more|stories|coverage) (?:more )?from (?:the )?(.+?)\W*$",
                             re.I)
_WIRE_ONLY = re.compile(r"^\((?P<wire>[A-Za-z][\w .&-]{1,30})\)\s*(?:—|–|--|-)\s*")
_EMAIL_DOMAIN = re.compile(r"(?<![\w.+-])[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_DOMAIN = re.compile(
    r"(?<![\w.-])((?:[\w-]+\.)+(?:com|co\.uk|org|net|news|ca|in|ie|com\.au|uk|co))\b", re.I)
# Removed lines in which a publication names itself: "Read the original article on Business
# Insider", "Download the NBC News app", "Subscribe to CNBC on YouTube", "Source: Reuters".
_SELF_KINDS = ("syndication", "promo", "newsletter", "follow", "click-here", "related", "source",
               "standards", "share")


@dataclass
class Meta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    published_source: str | None = None
    dateline: str | None = None
    explain: dict[str, str] = field(default_factory=dict)


def from_lines(lines: list[Line], path: str, latest: dt.date | None = None,
               page: bool = False) -> Meta:
    """Metadata of a classified article. `page`: the lines come from an HTML page, whose footer
    copyright year is the site's, not the article's."""
    meta = Meta()
    titles = [line.text for line in lines if line.kind == TITLE]
    if titles:
        meta.title = titles[0]
        meta.explain["title"] = "first line reads as a headline"
    find_authors(lines, meta)
    first = next((line.text for line in lines if line.kind == BODY), "")
    place, month_day, wire = dateline_parts(first)
    if place:
        meta.dateline = place
        meta.explain["dateline"] = "dateline at the start of the first paragraph"
    find_outlet(lines, wire, meta, page)
    if meta.outlet and len(meta.authors) > 1:
        # "By Sarah Gooding | WordPress Tavern": the site the text names is no one (but a
        # personal site named after its one author, "Haki Benita", is that author's)
        meta.authors = [a for a in meta.authors if outlets.key(a) != outlets.key(meta.outlet)]
    find_published(lines, path, month_day, latest, meta, page)
    return meta


def find_authors(lines: list[Line], meta: Meta) -> None:
    found: list[tuple[str, str]] = []
    for line in lines:
        if line.kind == "byline":
            found += [(n, "byline line under the title") for n in bylines.from_byline(line.text)]
    for line in lines:
        if line.kind == "write-to":
            found += [(n, '"Write to ... at" footer') for n in bylines.from_write_to(line.text)]
        elif line.kind == "contact":
            found += [(n, "reporter's contact line") for n in bylines.from_contact(line.text)]
        elif line.kind == "reporting":
            found += [(n, '"Reporting by" credit') for n in bylines.from_credits(line.text)]
    seen = set()
    for name, rule in found:
        if name.lower() not in seen:
            seen.add(name.lower())
            meta.authors.append(name)
            meta.explain.setdefault("authors", rule)


def dateline_parts(paragraph: str) -> tuple[str | None, str | None, str | None]:
    """(place, "June 3", wire tag) of a paragraph opening "LONDON, June 3 (Reuters) -"."""
    m = _DATELINE.match(paragraph) or _DATELINE_WIRE.match(paragraph)
    if m and sum(c.isalpha() for c in m.group("city")) >= 3 and _real_city(m.group("city")):
        parts = m.groupdict()
        return parts["city"].strip(" ,").upper(), parts.get("date"), parts.get("wire")
    m = _WIRE_ONLY.match(paragraph)
    if m:
        return None, None, m.group("wire")
    return None, None, None


def _real_city(city: str) -> bool:
    # "NATO and EU leaders ..." stops at " and": an acronym alone is not a city unless a dash
    # or colon follows it directly, which the pattern already demands.
    return not outlets.table().is_outlet_name(city)


def find_outlet(lines: list[Line], wire: str | None, meta: Meta, page: bool = False) -> None:
    table = outlets.table()
    candidates: list[tuple[str | None, str]] = []
    for line in lines:
        if line.kind == "copyright":
            candidates.append((table.mentioned_in(_strip_copyright(line.text), whole_name=True),
                               "copyright holder"))
    for line in lines:
        if line.kind in ("write-to", "contact", "byline", "byline-extra", "link", "syndication"):
            for domain in _EMAIL_DOMAIN.findall(line.text):
                candidates.append((table.by_domain(domain), f"e-mail domain {domain}"))
    for line in lines:
        if line.kind in ("byline", "byline-extra"):  # "By JOHN SMITH, Associated Press"
            candidates.append((_outlet_in_byline(line.text), "outlet named in the byline"))
    for line in lines:
        if line.kind in ("link", "byline-extra", "syndication", "promo"):
            for domain in _DOMAIN.findall(_EMAIL_DOMAIN.sub(" ", line.text)):
                candidates.append((table.by_domain(domain), f"site {domain}"))
    for line in lines:
        if line.kind in _SELF_KINDS:
            candidates.append((table.mentioned_in(line.text), f"{line.kind} line names it"))
    # Then the open world, where only an outlet can stand: a copyright holder the table does
    # not know ("Copyright ©2020 PC Gamer. All Rights Reserved."), "READ MORE FROM THE EVENING
    # BULLETIN" (a page naming itself beats a wire tag), "By Jane Doe | Midland Courier".
    holders = [] if page else [outlets.open_name(line.text) for line in lines
                               if line.kind == "copyright"]
    holders = [h for h in holders if h]
    for line in lines:
        if line.kind in ("click-here", "related"):
            m = _READ_MORE_FROM.search(line.text)
            if m:
                named = _as_written(m.group(1), holders) or _masthead(m.group(1))
                candidates.append((named, '"read more from" line (unknown outlet)'))
    if wire:
        candidates.append((table.by_wire(wire) or table.by_name(wire), f"wire dateline ({wire})"))
    candidates += [(holder, "copyright holder (unknown outlet)") for holder in holders]
    for line in lines:
        if line.kind in ("byline", "byline-extra"):
            for part in re.split(r"\s*(?:[,|·•/]|\s[–—-]\s)\s*", line.text):
                candidates.append((_masthead(part), "masthead in the byline (unknown outlet)"))
    for outlet, rule in candidates:
        if outlet:
            meta.outlet = outlet
            meta.explain["outlet"] = rule
            return


def _as_written(text: str, names: list[str]) -> str | None:
    """The name among `names` that `text` spells, in case and all ("THE SOTT.NET")."""
    wanted = outlets.key(text)
    return next((name for name in names if outlets.key(name) == wanted), None)


def _masthead(text: str) -> str | None:
    """A newspaper name as a masthead gives it: "THE THE HARBOR LEDGER" -> "The Harbor Ledger"."""
    text = re.sub(r"^(?:the\s+)+", "The ", " ".join(text.split()).strip(" .:!"), flags=re.I)
    if not bylines.looks_like_outlet(text):
        return None
    if text.removeprefix("The ").isupper():
        text = " ".join(w.capitalize() if w.isalpha() else w.title() for w in text.split())
    return text


def _outlet_in_byline(text: str) -> str | None:
    table = outlets.table()
    for part in re.split(r"\s*(?:[,|·•/]|\s[–—-]\s)\s*", text):
        found = table.by_name(part)
        if found:
            return found
        # "DEAN OKONJO Associated Press": an outlet at the end of a name part
        words = part.split()
        for k in range(1, min(4, len(words)) + 1):
            found = table.by_name(" ".join(words[-k:]))
            if found and len(words) > k:
                return found
    return None


def _strip_copyright(text: str) -> str:
    text = re.sub(r"copyright|©|\(c\)|all rights reserved\.?|\b[0-9a-f]{16,}\b", " ", text,
                  flags=re.I)
    return re.sub(r"\b\d{4}\b", " ", text)


def find_published(lines: list[Line], path: str, month_day: str | None,
                   latest: dt.date | None, meta: Meta, page: bool = False) -> None:
    def use(value: str | None, source: str) -> bool:
        if value:
            meta.published, meta.published_source = value, source
            meta.explain["published"] = source
        return bool(value)

    for line in lines:
        if line.kind == "dateinfo" and use(dates.from_line(line.text, latest), "published line"):
            return
    for line in _header(lines):
        # "(1998-02-28)" beside an infobox's date is an annotation, not a stamp
        if line.kind == "stamp" and not line.text.startswith("(") and use(
                dates.from_line(line.text, latest), "date stamp under the headline"):
            return
        if line.kind in ("byline", "byline-extra") and use(
                _plausible(bylines.date_in_byline(line.text), latest), "date in the byline"):
            return
    if month_day and re.search(r"\d{4}", month_day) and use(dates.parse(month_day, latest),
                                                              "dateline"):
        return
    if use(dates.from_path(path, latest), "file path"):
        return
    if page:
        return  # a page footer's copyright year is the site's, not the article's
    year = None
    for line in lines:
        if line.kind == "copyright":
            year = dates.copyright_year(line.text, latest) or year
    if month_day and year and use(dates.with_year(month_day, year, latest),
                                  "dateline with the copyright year"):
        return
    use(year, "copyright year")


def _header(lines: list[Line]) -> list[Line]:
    out = []
    for line in lines:
        if line.kind == BODY and is_prose(line.text):
            break
        out.append(line)
    return out


def _plausible(value: str | None, latest: dt.date | None) -> str | None:
    return value if value and dates.plausible(value, latest) else None
