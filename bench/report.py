"""Figures into words: medians with min-max, percentiles, target checks, the plain-text table."""

from __future__ import annotations

import statistics

MIB = 1024 * 1024


def spread(values: list[float]) -> dict:
    """Median, min and max of repeated measurements (and the measurements themselves)."""
    if not values:
        return {"median": None, "min": None, "max": None, "runs": 0, "values": []}
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values), "values": [round(v, 4) for v in values]}


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile, interpolated between the closest ranks (as numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency(samples: list[float]) -> dict:
    return {"p50": percentile(samples, 50), "p95": percentile(samples, 95),
            "min": min(samples), "max": max(samples), "runs": len(samples)}


# --- targets (issue 6; they apply to N=100,000) ----------------------------------------------

def check(name: str, value: float | None, limit: float, unit: str, at_least: bool = False) -> dict:
    """One target: met when value <= limit (or >= limit with at_least)."""
    met = None if value is None else (value >= limit if at_least else value <= limit)
    sign = ">=" if at_least else "<="
    return {"name": name, "value": value, "target": f"{sign} {_num(limit)}{unit}", "met": met}


def status(target: dict | None) -> list[str]:
    """The target and whether it is met, as two cells."""
    if not target:
        return ["", ""]
    return [target["target"], {True: "met", False: "MISSED", None: "n/a"}[target["met"]]]


# --- formatting ------------------------------------------------------------------------------

def _num(value: float) -> str:
    if value == int(value) and abs(value) >= 1:
        return f"{int(value)}"
    return f"{value:g}"


def fmt(value: float | None, unit: str) -> str:
    """A figure with a sensible number of digits for its size."""
    if value is None:
        return "-"
    if unit == "MiB":
        return f"{value / MIB:.1f} MiB"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "files/s":
        return f"{value:,.0f} files/s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"
    return f"{value:g}{unit}"


def fmt_range(fig: dict | None, unit: str) -> str:
    if not fig or fig.get("median") is None:
        return ""
    if fig["runs"] < 2:
        return ""
    low, high = fmt(fig["min"], unit), fmt(fig["max"], unit)
    return f"{low.split()[0]} - {high}"


class Table:
    """Rows of cells printed with aligned columns; a section title is a row of its own."""

    def __init__(self, header: list[str], right: set[int] | None = None) -> None:
        self.header = header
        self.right = {1, 3} if right is None else right  # right-aligned (number) columns
        self.rows: list[list[str] | str] = []

    def section(self, title: str) -> None:
        self.rows.append(title)

    def row(self, *cells: str) -> None:
        self.rows.append([str(c) for c in cells])

    def figure(self, label: str, fig: dict | None, unit: str, target: dict | None = None,
               note: str = "") -> None:
        """A label with a median, its min-max and the number of runs."""
        if not fig or fig.get("median") is None:
            self.row(label, "-", "", "", *status(target), note or "not measured")
            return
        self.row(label, fmt(fig["median"], unit), fmt_range(fig, unit), fig["runs"],
                 *status(target), note)

    def render(self) -> str:
        cells = [r for r in self.rows if isinstance(r, list)] + [self.header]
        widths = [max(len(r[i]) for r in cells if i < len(r)) for i in range(len(self.header))]
        right = self.right

        def line(row: list[str]) -> str:
            out = []
            for i, cell in enumerate(row):
                out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
            return "  ".join(out).rstrip()

        text = [line(self.header), "-" * len(line(self.header))]
        for r in self.rows:
            text.append(f"{r}" if isinstance(r, str) else line(r))
        return "\n".join(text)
