"""Matches over time, split by outlet: the series behind the timeline of `newsdex serve`
("attention over time": how often a query's articles appeared, and where).

A period is a month when most dated matches have a month and those span at most MOST_MONTHS
months, else a year. Every article counts in the period its published value falls in, at the
precision the value has: in a month chart an article known only to its year cannot be placed
and is counted in `year_only`; undated articles are counted in `undated`. The series are the
`top` outlets with the most matches in the whole result, then "other" for the other outlets
and "unknown outlet" for articles without one.

Light on purpose: counting reads two columns of the matching documents, as facets do, so the
web page can draw it on every request.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from search.searcher import Request, Search

MOST_MONTHS = 60
TOP = 5
OTHER = "other"  # named outlets beyond the top ones
UNKNOWN = "unknown outlet"  # articles whose outlet extraction could not tell


@dataclass
class Timeline:
    unit: str  # "month" or "year"
    periods: list[str]  # every period from the first to the last, empty ones included
    series: list[str]  # the top outlets, most matches first, then OTHER and UNKNOWN if any
    counts: dict[str, list[int]]  # series -> matches per period
    undated: int
    year_only: int  # articles dated to a year only, left out of a month chart

    @property
    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.counts.values(), strict=True)] \
            if self.counts else [0] * len(self.periods)

    def to_json(self) -> dict:
        return {"unit": self.unit, "periods": self.periods, "series": self.series,
                "counts": self.counts, "totals": self.totals, "undated": self.undated,
                "year_only": self.year_only}

    def csv_lines(self) -> Iterator[str]:
        """period, one column per series, total: the chart as a table."""
        yield _row(["period", *self.series, "total"])
        for i, (period, total) in enumerate(zip(self.periods, self.totals, strict=True)):
            yield _row([period, *(self.counts[s][i] for s in self.series), total])


def timeline(search: Search, req: Request, top: int = TOP,
             most_months: int = MOST_MONTHS) -> Timeline:
    """The matches of req (its query and every filter) per period and outlet."""
    docs = sorted(search.docs(search.parse(req.query), list(search.filters(req).values())))
    pairs = Counter(zip(search.columns.values("published", docs, len(docs)),
                        search.columns.values("outlet", docs, len(docs)), strict=True))
    by_outlet: Counter = Counter()
    dated: Counter = Counter()  # (month, or year when that is all it has; outlet) -> matches
    undated = 0
    for (published, outlet), n in pairs.items():
        published, outlet = _text(published)[:7], _text(outlet)
        by_outlet[outlet] += n
        if published:
            dated[published, outlet] += n
        else:
            undated += n
    named = sorted((o for o in by_outlet if o), key=lambda o: (-by_outlet[o], o))
    series = named[:top] + ([OTHER] if len(named) > top else []) + (
        [UNKNOWN] if by_outlet[""] else [])
    unit, periods = _periods(dated, most_months)
    slot = {p: i for i, p in enumerate(periods)}
    counts = {s: [0] * len(periods) for s in series}
    year_only = 0
    for (published, outlet), n in dated.items():
        key = published[:7] if unit == "month" else published[:4]
        if key not in slot:  # a year-only date in a month chart
            year_only += n
            continue
        counts[_series_of(outlet, counts)][slot[key]] += n
    return Timeline(unit, periods, series, counts, undated, year_only)


def _series_of(outlet: str, counts: dict) -> str:
    if not outlet:
        return UNKNOWN
    return outlet if outlet in counts and outlet not in (OTHER, UNKNOWN) else OTHER


def _periods(dated: Counter, most_months: int) -> tuple[str, list[str]]:
    """The chart's unit and its periods, first to last with none missing: months when most
    dated matches have a month and their months span at most most_months, else years."""
    months = sorted({p[:7] for p, _ in dated if len(p) >= 7})
    with_month = sum(n for (p, _), n in dated.items() if len(p) >= 7)
    if months and 2 * with_month >= sum(dated.values()):
        start = int(months[0][:4]) * 12 + int(months[0][5:]) - 1
        end = int(months[-1][:4]) * 12 + int(months[-1][5:]) - 1
        if end - start < most_months:
            return "month", [f"{m // 12}-{m % 12 + 1:02d}" for m in range(start, end + 1)]
    years = sorted({p[:4] for p, _ in dated})
    if not years:
        return "year", []
    return "year", [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]


def _row(values: list) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")
