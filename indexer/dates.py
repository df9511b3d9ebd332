"""Publication dates, only as precise as the evidence: "2022", "2022-12" or "2022-12-19".

Evidence, from most to least trusted in plain text: a "Published ..." line, a dateline that
carries a date, a date in the file's path (2022/12/19/, 20221219), a copyright year. Narrative
mentions ("in August of 2022", "through Dec. 27", "Monday") are never read: only those positions
are. A date before 1800 or after the file's modification time is impossible and refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as dateparser

_EARLIEST = dt.date(1800, 1, 1)
# Two different defaults: a component the text did not give comes back different.
_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 2, 2)

_PATH_YMD = re.compile(
    r"(?<!\d)((?:18|19|20)\d{2})([-_/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_PATH_YM = re.compile(r"(?:^|/)((?:18|19|20)\d{2})/(0[1-9]|1[0-2])(?:/|$)")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
_LABEL = re.compile(
    r"^(published|posted|first published|originally published|date|updated|last updated|"
    r"modified)(\s+(on|at))?\s*:?\s*", re.I)


@dataclass(frozen=True)
class Found:
    """A publication date with its precision ("year", "month", "day") and where it came from."""

    value: str
    source: str

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month"}.get(len(self.value), "day")


def parse(text: str, latest: dt.date | None = None) -> str | None:
    """"YYYY", "YYYY-MM" or "YYYY-MM-DD" for a date expression, at the precision it states."""
    text = text.strip()
    if not text or not re.search(r"\d", text):
        return None
    try:
        a = dateparser.parse(text, default=_DEFAULT_A, fuzzy=True)
        b = dateparser.parse(text, default=_DEFAULT_B, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if a.year != b.year:
        return None  # no year in the text: not enough evidence
    if a.month != b.month:
        value = f"{a.year:04d}"
    elif a.day != b.day:
        value = f"{a.year:04d}-{a.month:02d}"
    else:
        value = f"{a.year:04d}-{a.month:02d}-{a.day:02d}"
    return value if plausible(value, latest) else None


def parse_iso(text: str, latest: dt.date | None = None) -> str | None:
    """A machine date (ISO 8601, as in JSON-LD or <time datetime>), as the page's own calendar day.

    The day is read before any time-zone conversion: "2021-03-04T23:30:00-05:00" was published
    on March 4 where it was published.
    """
    m = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text or "")
    if not m:
        return parse(text or "", latest)
    year, month, day = m.groups()
    value = "-".join(p for p in (year, month, day) if p)
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return value if plausible(value, latest) else None


def plausible(value: str, latest: dt.date | None = None) -> bool:
    """Not before 1800, and not after `latest` (the file's mtime, plus a day for time zones)."""
    parts = [int(p) for p in value.split("-")]
    start = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if start < _EARLIEST:
        return False
    return latest is None or start <= latest + dt.timedelta(days=1)


def from_line(line: str, latest: dt.date | None = None) -> str | None:
    """The date on a "Published 9:14 AM EST, Mon March 6, 2023" style line."""
    return parse(_LABEL.sub("", line), latest)


def is_update_line(line: str) -> bool:
    label = _LABEL.match(line)
    return bool(label) and label.group(1).lower() in ("updated", "last updated", "modified")


def from_path(path: str, latest: dt.date | None = None) -> str | None:
    """A date in the file name or its folders: .../2022/12/19/x.txt, 20221219-x.txt, 2022/12/."""
    path = path.replace("\\", "/")
    found = None
    for m in _PATH_YMD.finditer(path):
        year, _, month, day = m.groups()
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        found = f"{year}-{month}-{day}"  # the last one: the file's own name beats its folders
    if found is None:
        for m in _PATH_YM.finditer(path):
            found = f"{m.group(1)}-{m.group(2)}"
    return found if found and plausible(found, latest) else None


def copyright_year(line: str, latest: dt.date | None = None) -> str | None:
    """The year of a copyright footer: "Copyright ©2022 Dow Jones" -> "2022"; a range -> its end."""
    years = _YEAR.findall(line)
    if not years:
        return None
    year = years[-1]
    return year if plausible(year, latest) else None


def with_year(month_day: str, year: str, latest: dt.date | None = None) -> str | None:
    """Complete "June 3" from a dateline with a year known from elsewhere."""
    return parse(f"{month_day} {year}", latest)
