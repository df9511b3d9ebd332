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
from collections.abc import Iterator

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


def path_text(path: str | None) -> str:
    """A file path to print: control characters shown escaped (\\x1b, \\n), not dropped,
    so an odd file name stays recognisable and still cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", (path or "").replace(
        "\n", "\\n").replace("\t", "\\t"))


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
    out: list[str] = [header(result, limit)]
    if result.suggestion:
        out.append(f"Did you mean: {one_line(result.suggestion)}")
    first = (result.page - 1) * limit + 1
    for n, hit in enumerate(result.hits, first):
        out.append("")
        title = one_line(hit.title) or "(untitled)"
        out.append(f"{n:>3}. {style.bold(title)}")
        out.append(f"     {describe(hit)}")
        if hit.also_in:
            out.append(f"     also in: {', '.join(one_line(o) for o in hit.also_in)}")
        elif hit.copies:
            out.append(f"     {len(hit.copies)} more cop{'ies' if len(hit.copies) > 1 else 'y'}"
                       f" in the same outlet")
        out.append("     " + style.dim(f"id {hit.id}  {path_text(hit.path)}"))
        if hit.snippet:
            out.append(f"     {style.marks(' '.join(hit.snippet.split()))}")
    if result.facets:
        out.append("")
        out.extend(facets_text(result.facets, style))
    return "\n".join(out)


def header(result: Result, limit: int) -> str:
    """"1-10 of 52 results for 'drill' (0.012 s)"; collapsed: "... of 48 stories (52 articles)"."""
    first = (result.page - 1) * limit + 1
    shown = f"{first}-{first + len(result.hits) - 1} of " if result.hits else ""
    if result.articles is not None:
        stories = _plural(result.total, "story", "stories")
        what = f"{stories} ({_plural(result.articles, 'article')})"
    else:
        what = _plural(result.total, "result")
    return f"{shown}{what} for {one_line(result.query)!r} ({result.seconds:.3f} s)"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


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
    """A date facet as a bar chart, one bar per year or month, empty ones included."""
    items = _fill_gaps(items)
    peak = max((n for _, n in items), default=0) or 1
    lines = []
    for value, count in items:
        bar = "█" * round(width * count / peak) if count else ""
        if count and not bar:
            bar = "▏"  # a count too small for a whole block still shows
        lines.append(f"  {value:<7}  {count:>6}  {bar}".rstrip())
    return lines


def _fill_gaps(items: list[tuple[str, int]], most: int = 60) -> list[tuple[str, int]]:
    """Years or months without articles added as zeros, so the chart's time axis is even
    (unless that would make it longer than `most` bars)."""
    if len(items) < 2:
        return items
    first, last = items[0][0], items[-1][0]
    if len(first) == 4:
        keys = [str(y) for y in range(int(first), int(last) + 1)]
    elif len(first) == 7:
        y0, m0, y1, m1 = int(first[:4]), int(first[5:]), int(last[:4]), int(last[5:])
        keys = [f"{m // 12}-{m % 12 + 1:02d}" for m in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]
    else:
        return items
    if len(keys) > most:
        return items
    counts = dict(items)
    return [(k, counts.get(k, 0)) for k in keys]


def result_json(result: Result) -> str:
    return json_text(result.to_json(), indent=2)


def json_text(data, indent: int | None = None) -> str:
    """JSON with non-ASCII text as is, but every control or bidi character escaped (json
    escapes only those below U+0020 itself): the same data, and nothing a terminal obeys."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def hit_record(hit: Hit, collapsed: bool = False) -> dict:
    data = hit.to_json(collapsed)
    data.pop("snippet", None)
    return data


def jsonl_line(hit: Hit, collapsed: bool = False) -> str:
    return json_text(hit_record(hit, collapsed))


CSV_FIELDS = ["id", "path", "title", "authors", "outlet", "published", "dateline", "score"]


def csv_header(collapsed: bool = False) -> str:
    return _csv_row(CSV_FIELDS + (["also_in", "copies"] if collapsed else []))


def csv_line(hit: Hit, collapsed: bool = False) -> str:
    data = hit_record(hit, collapsed)
    data["authors"] = "; ".join(data["authors"])
    fields = CSV_FIELDS
    if collapsed:
        data["also_in"] = "; ".join(data["also_in"])
        data["copies"] = "; ".join(data["copies"])
        fields = CSV_FIELDS + ["also_in", "copies"]
    # Text fields as one safe line each: a scraped title must not carry escapes into a terminal
    # or a spreadsheet (JSON lines escape them by themselves).
    return _csv_row([one_line(v) if isinstance(v, str) else ("" if v is None else v)
                     for v in (data.get(k) for k in fields)])


def export_lines(search, req, jsonl: bool) -> Iterator[str]:
    """Every hit of req as JSON lines or CSV rows (with its header), read one at a time: the
    export of `search --jsonl/--csv` and of `newsdex serve`."""
    if not jsonl:
        yield csv_header(req.collapse)
    for hit in search.stream(req):
        yield jsonl_line(hit, req.collapse) if jsonl else csv_line(hit, req.collapse)


def facet_values_json(items: list[tuple[str, int]]) -> list[dict]:
    """`newsdex facets --json`: a facet's values as objects."""
    return [{"value": v, "count": n} for v, n in items]


def _csv_row(values: list) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


def article_text(data: dict, style: Style) -> str:
    """`newsdex show`: an article's record (search.article.record) as terminal text."""
    lines = [style.bold(one_line(data.get("title")) or "(untitled)")]
    for label, key in (("Authors", "authors"), ("Outlet", "outlet"), ("Published", "published"),
                       ("Dateline", "dateline"), ("Path", "path"), ("URL", "url"), ("Id", "id"),
                       ("Language", "language")):
        value = data.get(key)
        if key == "url" and not value:
            continue
        if key == "authors" and value:
            value = ", ".join(value)
        if key == "published" and value and data.get("published_source"):
            value = f"{value} (from {data['published_source']})"
        shown = path_text(value) if key == "path" else one_line(value)
        lines.append(f"{label + ':':<11}{shown or '-'}")
    lines.append("")
    lines.append(safe(data.get("body")))
    return "\n".join(lines)


def original(path: str) -> str:
    """The article's file as it is on disk, decoded as the indexer decodes it (or, for a record
    of a web archive or feed, its payload), with control characters removed."""
    from indexer.extraction.records import original as read_original

    return read_original(path)
