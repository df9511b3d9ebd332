"""Turning results into terminal text, JSON, JSON lines and CSV.

Nothing from an article reaches the terminal raw: control and escape characters are dropped
(a scraped page must not retitle or recolour the user's terminal), and highlighting is bold only
when stdout is a terminal and NO_COLOR is unset.
"""

from __future__ import annotations

import csv
import io
import json
import re

from search.searcher import MARK_END, MARK_START, Hit, Result

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def safe(text: str | None) -> str:
    """Text with control characters removed (newlines and tabs kept)."""
    if not text:
        return ""
    return _CONTROL.sub("", text)


def one_line(text: str | None) -> str:
    return " ".join(safe(text).split())


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def bold(self, text: str) -> str:
        return f"{BOLD}{text}{RESET}" if self.color else text

    def dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self.color else text

    def marks(self, text: str) -> str:
        text = safe(text.replace(MARK_START, "\x00S").replace(MARK_END, "\x00E").replace(
            "\x00S", "\ue000").replace("\x00E", "\ue001"))
        if self.color:
            return text.replace("\ue000", BOLD).replace("\ue001", RESET)
        return text.replace("\ue000", "").replace("\ue001", "")


def describe(hit: Hit) -> str:
    parts = [hit.outlet or "unknown outlet"]
    if hit.authors:
        parts.append(", ".join(hit.authors))
    parts.append(hit.published or "undated")
    if hit.dateline:
        parts.append(hit.dateline)
    return " · ".join(one_line(p) for p in parts)


def results_text(result: Result, style: Style, limit: int) -> str:
    out: list[str] = []
    first = (result.page - 1) * limit + 1
    shown = f"{first}-{first + len(result.hits) - 1} of " if result.hits else ""
    out.append(f"{shown}{result.total} result{'s' if result.total != 1 else ''} "
               f"for {one_line(result.query)!r} ({result.seconds:.3f} s)")
    if result.suggestion:
        out.append(f"Did you mean: {one_line(result.suggestion)}")
    for n, hit in enumerate(result.hits, first):
        out.append("")
        title = one_line(hit.title) or "(untitled)"
        out.append(f"{n:>3}. {style.bold(title)}")
        out.append(f"     {describe(hit)}")
        if hit.also_in:
            out.append(f"     also in: {', '.join(one_line(o) for o in hit.also_in)}")
        out.append("     " + style.dim(f"id {hit.id}  {one_line(hit.path)}"))
        if hit.snippet:
            out.append(f"     {style.marks(' '.join(hit.snippet.split()))}")
    if result.facets:
        out.append("")
        out.extend(facets_text(result.facets, style))
    return "\n".join(out)


def facets_text(facets: dict[str, list[tuple[str, int]]], style: Style) -> list[str]:
    out: list[str] = []
    for name, items in facets.items():
        out.append(style.bold(f"{name}:"))
        if not items:
            out.append("  (none)")
            continue
        if name in ("year", "month"):
            out.extend(histogram(items))
            continue
        width = max(len(one_line(v)) for v, _ in items)
        for value, count in items:
            out.append(f"  {one_line(value):<{width}}  {count:>6}")
    return out


def histogram(items: list[tuple[str, int]], width: int = 40) -> list[str]:
    """A date facet as a bar chart, one bar per year or month."""
    peak = max(n for _, n in items) or 1
    lines = []
    for value, count in items:
        bar = "█" * max(1, round(width * count / peak))
        lines.append(f"  {value:<7}  {count:>6}  {bar}")
    return lines


def result_json(result: Result) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)


def hit_record(hit: Hit) -> dict:
    data = hit.to_json()
    data.pop("snippet", None)
    return data


def jsonl_line(hit: Hit) -> str:
    return json.dumps(hit_record(hit), ensure_ascii=False)


CSV_FIELDS = ["id", "path", "title", "authors", "outlet", "published", "dateline", "score"]


def csv_header() -> str:
    return _csv_row(CSV_FIELDS)


def csv_line(hit: Hit) -> str:
    data = hit_record(hit)
    data["authors"] = "; ".join(data["authors"])
    return _csv_row([data.get(k) if data.get(k) is not None else "" for k in CSV_FIELDS])


def _csv_row(values: list) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


def article_text(stored: dict, body: str, style: Style) -> str:
    lines = [style.bold(one_line(stored.get("title")) or "(untitled)")]
    for label, key in (("Authors", "authors"), ("Outlet", "outlet"), ("Published", "published"),
                       ("Dateline", "dateline"), ("Path", "path"), ("Id", "id")):
        value = stored.get(key)
        if key == "authors" and value:
            value = ", ".join(a for a in value.split(",") if a)
        if key == "published" and value and stored.get("published_source"):
            value = f"{value} (from {stored['published_source']})"
        lines.append(f"{label + ':':<11}{one_line(value) or '-'}")
    lines.append("")
    lines.append(safe(body))
    return "\n".join(lines)
