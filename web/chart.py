"""The timeline as SVG geometry: one stacked bar per period, one colour per outlet series.

Drawn on the server (the template writes the shapes), so the page needs no chart script; every
bar is a link that narrows the search to its period.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.timeline import OTHER, UNKNOWN, Timeline

WIDTH, HEIGHT = 760, 170
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 8, 20  # margins for the axis labels
WIDEST = 48  # a bar's room at most: a few periods do not make slabs


@dataclass
class Segment:
    y: float
    height: float
    css: str  # the series' colour class


@dataclass
class Bar:
    period: str
    x: float
    width: float
    total: int
    segments: list[Segment]
    title: str  # the tooltip: period, total, each series' count
    href: str
    label: str  # the axis label under the bar, or ""


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    peak: int
    baseline: float
    top: float


def chart(tl: Timeline, href) -> Chart:
    """Bars for each period of tl; href(period) is the link of a bar."""
    peak = max(tl.totals, default=0) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = min(WIDEST, inner_w / max(len(tl.periods), 1))
    gap = min(2.0, step * 0.2)
    every = _label_every(tl)
    bars = []
    for i, (period, total) in enumerate(zip(tl.periods, tl.totals, strict=True)):
        y = TOP + inner_h
        segments = []
        for k, name in enumerate(tl.series):
            n = tl.counts[name][i]
            if n:
                h = inner_h * n / peak
                y -= h
                segments.append(Segment(round(y, 2), round(h, 2), colour(name, k)))
        parts = [f"{name} {tl.counts[name][i]}" for name in tl.series if tl.counts[name][i]]
        title = f"{period}: {total} match{'es' if total != 1 else ''}" + (
            f" ({', '.join(parts)})" if parts else "")
        bars.append(Bar(period, round(LEFT + i * step + gap / 2, 2), round(step - gap, 2),
                        total, segments, title, href(period), _label(tl, i, every)))
    return Chart(WIDTH, HEIGHT, bars, peak, TOP + inner_h, TOP)


def colour(series: str, k: int) -> str:
    """The CSS class of the k-th series: the top outlets in colours, the rest in greys."""
    return {OTHER: "other", UNKNOWN: "unknown"}.get(series, f"s{k}")


def _label_every(tl: Timeline) -> int:
    """Label every nth period so that labels do not overlap (about 16 fit)."""
    if tl.unit == "month" and len(tl.periods) > 16:
        return 0  # months: label each January instead
    return max(1, -(-len(tl.periods) // 16))


def _label(tl: Timeline, i: int, every: int) -> str:
    period = tl.periods[i]
    if every == 0:
        return period[:4] if period.endswith("-01") or i == 0 else ""
    return period if i % every == 0 else ""
