"""Publication dates, only as precise as the evidence: "2022", "2022-12" or "2022-12-19".

Evidence, from most to least trusted in plain text: a "Published ..." line, a date stamp line in
the article's header, a byline that carries a date, a dateline that carries a date, a date in the
file's path (2022/12/19/, 20221219), a dateline's month and day completed by the copyright year,
a copyright year. Narrative mentions ("in August of 2022", "through Dec. 27", "Monday") are never
read: only those positions are. A date after the file's modification time is impossible and
refused; so is epoch zero (1970-01-01, a timestamp of 0 that a page template printed). A date
before 1990 needs explicit evidence (a "Published" line, datePublished markup): a path, a URL, a
copyright year or a library's guess that old is far likelier a stray number than an archive
page, and never before 1800 either way.

A handful of explicit patterns decide where a date stands (no fuzzy search through prose): they
find what news sites print ("Mon 7 Mar 2022 17.31 GMT", "6:00 AM EDT, Sat May 21, 2022",
"04/27/23 10:15 AM ET", "2021-03-04T23:30:00-05:00"), so a stray number is never taken for a date.
dateutil then parses each expression found; parsing it twice with two different default dates
shows which parts the text really gave, and so the precision.

Numeric dates ("08/01/2014") are read month first, as American English writes them, unless the
page is in another language (`numeric_order`): then day first, as the rest of the world writes
them; a first number over 12 is a day whatever the language.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator

from dateutil import parser as dateparser

_EARLIEST = dt.date(1800, 1, 1)
EARLIEST_GUESS = dt.date(1990, 1, 1)  # the earliest date taken without explicit evidence
_EPOCH_ZERO = "1970-01-01"
# A part the text does not give comes back as the default's: two defaults tell them apart.
_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 2, 2)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_ORD = r"(?:st|nd|rd|th)?"

# Each pattern names its parts; the leftmost match in a string wins.
_PATTERNS = [
    re.compile(rf"(?<!\d)(?P<y>{_YEAR4})-(?P<m>0?[1-9]|1[0-2])-(?P<d>{_DAY})(?!\d)"),
    re.compile(rf"\b(?P<mon>{MONTH})\.?\s+(?P<d>{_DAY}){_ORD},?\s+(?P<y>{_YEAR4})(?!\d)", re.I),
    re.compile(rf"(?<![\d/])(?P<d>{_DAY}){_ORD}\s+(?:of\s+)?(?P<mon>{MONTH})\.?,?\s+"
               rf"(?P<y>{_YEAR4})(?!\d)", re.I),
    re.compile(rf"(?<![\d/.])(?P<a>{_DAY})/(?P<b>{_DAY})/(?P<y>{_YEAR4}|\d\d)(?![\d/])"),
    re.compile(rf"\b(?P<mon>{MONTH})\.?,?\s+(?P<y>{_YEAR4})(?!\d)", re.I),
]
_YEAR_ONLY = re.compile(rf"(?<![\d.,/$£€])(?P<y>{_YEAR4})(?![\d%])")
_MONTH_DAY = re.compile(rf"\b(?P<mon>{MONTH})\.?\s+(?P<d>{_DAY}){_ORD}\b", re.I)

# What may stand around a date on a stamp line: weekdays, times, zones, separators.
_STAMP_NOISE = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\b\.?|"
    r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)(?!\w)|\b\d{1,2}[:.]\d\d(?::\d\d)?\b|"
    r"\b(?:gmt|bst|utc|est|edt|cst|cdt|mst|mdt|pst|pdt|et|pt|ct|ist|cet|cest|aest|aedt|hkt|"
    r"jst|sgt)\b|\b(?:at|on)\b|[,•|·/()\-–—]",
    re.I)

_PATH_YMD = re.compile(
    r"(?<!\d)((?:18|19|20)\d{2})([-_/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_PATH_Y_M_D = re.compile(r"(?:^|/)((?:18|19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")
_PATH_NAMED = re.compile(
    rf"(?:^|[/_-])((?:18|19|20)\d{{2}})[/_-]({MONTH})[/_-](0?[1-9]|[12]\d|3[01])(?:[/_-]|$)",
    re.I)
_PATH_YM = re.compile(r"(?:^|/)((?:18|19|20)\d{2})/(0?[1-9]|1[0-2])(?:/|$)")
_LABEL = re.compile(
    r"^(?P<label>published|posted|first published|originally published|date|updated|"
    r"last updated|last modified|modified|page last updated|updated on|published on)"
    r"(?:\s+(?:on|at))?\s*:?\s*", re.I)
_UPDATE_WORDS = re.compile(r"\b(?:updated|modified|last updated|edited)\b", re.I)
_RELATIVE = re.compile(r"\b(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b"
                       r"|\b(?:yesterday|today|just now)\b", re.I)


_day_first = False  # numeric dates read day first (while a page in such a language is read)


@contextlib.contextmanager
def numeric_order(language: str | None) -> Iterator[None]:
    """Read numeric dates day first within this block when the text's language is not English
    (None: unknown, month first as before)."""
    global _day_first
    before = _day_first
    _day_first = bool(language) and not language.lower().startswith("en")
    try:
        yield
    finally:
        _day_first = before


def _month(token: str) -> int:
    return _MONTHS[token[:3].lower()]


def find(text: str) -> tuple[str, int, int] | None:
    """The first date expression in text: (value, start, end), at the precision it states."""
    best: tuple[int, int, str] | None = None
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m is None or (best is not None and m.start() >= best[0]):
            continue
        value = _value(m)
        if value:
            best = (m.start(), m.end(), value)
    if best is None:
        return None
    return best[2], best[0], best[1]


def _value(m: re.Match[str]) -> str | None:
    """dateutil's reading of one matched expression, as "YYYY-MM" or "YYYY-MM-DD"."""
    text = m.group(0).replace(" of ", " ")
    try:
        a = dateparser.parse(text, default=_DEFAULT_A, dayfirst=_day_first)
        b = dateparser.parse(text, default=_DEFAULT_B, dayfirst=_day_first)
    except (ValueError, OverflowError):
        return None
    if a.year != b.year or a.month != b.month:
        return None  # the patterns only match expressions with a year and a month
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    return f"{a.year:04d}-{a.month:02d}-{a.day:02d}"


def parse(text: str, latest: dt.date | None = None, explicit: bool = False) -> str | None:
    """"YYYY", "YYYY-MM" or "YYYY-MM-DD" for the first date in text, at the precision it states.

    A text with only a year ("2019") gives the year; one with no year at all gives nothing.
    """
    found = find(text)
    if found is not None:
        value = found[0]
    else:
        m = _YEAR_ONLY.search(text)
        value = m.group("y") if m else None
    return value if value and plausible(value, latest, explicit) else None


def parse_iso(text: str, latest: dt.date | None = None, explicit: bool = False) -> str | None:
    """A machine date (ISO 8601, as in JSON-LD or <time datetime>), as the page's own calendar day.

    The day is read before any time-zone conversion: "2021-03-04T23:30:00-05:00" was published
    on March 4 where it was published.
    """
    m = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)", text or "") or re.match(
        r"\s*(\d{4})(\d{2})(\d{2})(?:T|$)", text or "")  # the basic form, "20180619T055000"
    if not m:
        return parse(text or "", latest, explicit)
    year, month, day = m.groups()
    value = "-".join(p for p in (year, month, day) if p)
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return value if plausible(value, latest, explicit) else None


def plausible(value: str, latest: dt.date | None = None, explicit: bool = False) -> bool:
    """Not epoch zero, not before 1990 (1800 with `explicit` evidence), and not after `latest`
    (the file's mtime, plus a day for time zones)."""
    if value.startswith(_EPOCH_ZERO):
        return False
    parts = [int(p) for p in value.split("-")]
    start = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if start < (_EARLIEST if explicit else EARLIEST_GUESS):
        return False
    return latest is None or start <= latest + dt.timedelta(days=1)


def is_stamp(line: str) -> bool:
    """A line that is nothing but a date and time: "Mon 7 Mar 2022 17.31 GMT"."""
    found = find(line)
    if found is None or len(line) > 80:
        return False
    rest = line[:found[1]] + " " + line[found[2]:]
    return not _STAMP_NOISE.sub(" ", rest).strip(" .")


def from_line(line: str, latest: dt.date | None = None) -> str | None:
    """The publication date on a "Published 9:14 AM EST, Mon March 6, 2023" style line.

    A line that also carries the update ("Published Oct. 3, 2021 Updated Oct. 4, 2021",
    "Posted: Mar 12 | Last Updated: March 13") is cut before the update. Relative stamps
    ("4 hours ago") are not dates.
    """
    label = _LABEL.match(line)
    if label and _UPDATE_WORDS.search(label.group("label")):
        return None
    text = line[label.end():] if label else line
    update = _UPDATE_WORDS.search(text)
    if update:
        text = text[:update.start()]
    if _RELATIVE.search(text):
        return None
    found = find(text)
    # Only a labelled line ("Published ...") is explicit evidence; a bare stamp may be any date.
    return found[0] if found and plausible(found[0], latest, explicit=bool(label)) else None


def is_relative(text: str) -> bool:
    """"4 hours ago", "yesterday": a stamp that is no date."""
    return bool(_RELATIVE.search(text))


def from_path(path: str, latest: dt.date | None = None) -> str | None:
    """A date in the file name or its folders: .../2022/12/19/x.txt, 20221219-x.txt, 2022/12/."""
    path = path.replace("\\", "/")
    found = None
    for m in _PATH_YMD.finditer(path):
        year, _, month, day = m.groups()
        found = _checked(year, month, day) or found  # the last: the file's name beats folders
    if found is None:
        for m in _PATH_Y_M_D.finditer(path):
            found = _checked(*m.groups()) or found
    if found is None:
        for m in _PATH_NAMED.finditer(path):
            found = _checked(m.group(1), str(_month(m.group(2))), m.group(3)) or found
    if found is None:
        for m in _PATH_YM.finditer(path):
            found = f"{m.group(1)}-{int(m.group(2)):02d}"
    return found if found and plausible(found, latest) else None


def _checked(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def copyright_year(line: str, latest: dt.date | None = None) -> str | None:
    """The year of a copyright footer: "Copyright ©2022 Dow Jones" -> "2022"; a range -> its end."""
    years = re.findall(rf"(?<!\d){_YEAR4}(?!\d)", line)
    if not years:
        return None
    year = years[-1]
    return year if plausible(year, latest) else None


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a dateline's "June 3" or "Aug 24"."""
    m = _MONTH_DAY.search(text)
    return (_month(m.group("mon")), int(m.group("d"))) if m else None


def with_year(text: str, year: str, latest: dt.date | None = None) -> str | None:
    """Complete a dateline's "June 3" with a year known from elsewhere (the copyright line)."""
    md = month_day(text)
    if md is None:
        return None
    value = _checked(year, str(md[0]), str(md[1]))
    return value if value and plausible(value, latest) else None
