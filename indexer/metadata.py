"""Metadata from cleaned plain-text lines: title, authors, outlet, published date, dateline.

Every finder reads only the lines the cleaner classified for it (a byline, a "Write to" footer, a
copyright line, the first paragraph's dateline), so a sentence that merely mentions a date or a
newspaper never becomes metadata. Each result carries its rule name for `extract --explain`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer import bylines, dates, outlets
from indexer.cleaner import BODY, TITLE, Line

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,2}))?"
    rf"(?:,?\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?))?"
    r"\s*(?:\((?P<wire>[^)]{1,40})\))?\s*(?:—|–|--|-|:)\s*(?=\S)")
_WIRE_ONLY = re.compile(r"^\((?P<wire>[A-Za-z][\w .&-]{1,30})\)\s*(?:—|–|--|-)\s*")
_READ_MORE_FROM = re.compile(r"\b(?:read|more|stories|coverage) (?:more )?from (?:the )?(.+?)\W*$",
                             re.I)
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


@dataclass
class Meta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    published_source: str | None = None
    dateline: str | None = None
    explain: dict[str, str] = field(default_factory=dict)


def from_lines(lines: list[Line], path: str, latest: dt.date | None = None) -> Meta:
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
    find_outlet(lines, wire, meta)
    find_published(lines, path, month_day, latest, meta)
    return meta


def find_authors(lines: list[Line], meta: Meta) -> None:
    found: list[tuple[str, str]] = []
    for line in lines:
        if line.kind == "byline":
            found += [(n, "byline line under the title") for n in bylines.from_byline(line.text)]
        elif line.kind == "write-to":
            found += [(n, '"Write to ... at" footer') for n in bylines.from_write_to(line.text)]
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
    m = _DATELINE.match(paragraph)
    if m and sum(c.isalpha() for c in m.group("city")) >= 3:
        return m.group("city").strip(" ,"), m.group("date"), m.group("wire")
    m = _WIRE_ONLY.match(paragraph)
    if m:
        return None, None, m.group("wire")
    return None, None, None


def find_outlet(lines: list[Line], wire: str | None, meta: Meta) -> None:
    table = outlets.table()
    candidates: list[tuple[str | None, str]] = []
    for line in lines:
        if line.kind == "copyright":
            candidates.append((table.mentioned_in(_strip_copyright(line.text)), "copyright holder"))
    for line in lines:
        if line.kind in ("write-to", "contact", "byline"):
            for domain in _EMAIL.findall(line.text):
                candidates.append((table.by_domain(domain), f"e-mail domain {domain}"))
    for line in lines:
        if line.kind in ("click-here", "related"):
            m = _READ_MORE_FROM.search(line.text)
            if m:
                candidates.append((table.by_name(m.group(1)), '"read more from" line'))
        elif line.kind == "source":
            candidates.append((table.by_name(line.text.split(":", 1)[1]), '"Source:" line'))
    if wire:
        candidates.append((table.by_wire(wire) or table.by_name(wire), f"wire dateline ({wire})"))
    for line in lines:
        if line.kind == "byline":  # "By JOHN SMITH, Associated Press"
            for part in re.split(r"[,|]", line.text)[1:]:
                candidates.append((table.by_name(part), "outlet named in the byline"))
    for outlet, rule in candidates:
        if outlet:
            meta.outlet = outlet
            meta.explain["outlet"] = rule
            return


def _strip_copyright(text: str) -> str:
    text = re.sub(r"copyright|©|\(c\)|all rights reserved\.?|\b[0-9a-f]{16,}\b", " ", text,
                  flags=re.I)
    return re.sub(r"\b\d{4}\b", " ", text)


def find_published(lines: list[Line], path: str, month_day: str | None,
                   latest: dt.date | None, meta: Meta) -> None:
    def use(value: str | None, source: str) -> bool:
        if value:
            meta.published, meta.published_source = value, source
            meta.explain["published"] = source
        return bool(value)

    for line in lines:
        if (line.kind == "dateinfo" and not dates.is_update_line(line.text)
                and use(dates.from_line(line.text, latest), "published line")):
            return
    if month_day and re.search(r"\d{4}", month_day) and use(dates.parse(month_day, latest),
                                                              "dateline"):
        return
    if use(dates.from_path(path, latest), "file path"):
        return
    year = None
    for line in lines:
        if line.kind == "copyright":
            year = dates.copyright_year(line.text, latest) or year
    if month_day and year and use(dates.with_year(month_day, year, latest),
                                  "dateline with the copyright year"):
        return
    use(year, "copyright year")
