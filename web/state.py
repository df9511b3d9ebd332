"""The search page's whole state, read from and written to the URL (so every view is a
bookmark and the back button works): the query, the filters, sort, page, collapse.

Facet clicks are URL changes: outlets and authors are the CLI's repeatable --outlet/--author
(OR'ed, multi-select); years and months set --since/--until (one range: ticking a period widens
it to cover the period, unticking one at an edge shrinks it); facets with no filter option
(dateline, language) add or remove a `field:"value"` clause in the query text, as a user would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from search.query import QueryError, parse_date
from search.searcher import Request

SORTS = ("relevance", "newest", "oldest")
MOST_PER_PAGE = 100
QUERY_FIELDS = {"dateline": "dateline", "language": "lang"}  # facets filtered by a clause


@dataclass(frozen=True)
class View:
    q: str = ""
    outlets: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    collapse: bool = False
    facets: tuple[str, ...] = field(default=(), compare=False)  # for the API only

    @classmethod
    def from_params(cls, params) -> View:
        """The view a URL's query string describes; QueryError for a value that is wrong."""
        since, until = _one(params, "since"), _one(params, "until")
        for value in (since, until):
            if value:
                parse_date(value)
        sort = _one(params, "sort") or "relevance"
        if sort not in SORTS:
            raise QueryError(f"sort {sort!r} is not one of {', '.join(SORTS)}")
        return cls(q=_one(params, "q") or "", outlets=_many(params, "outlet"),
                   authors=_many(params, "author"), since=since, until=until, sort=sort,
                   page=_number(params, "page", 1, None), collapse=_one(params, "collapse") == "1",
                   limit=_number(params, "limit", 10, MOST_PER_PAGE),
                   facets=_many(params, "facet"))

    def request(self, facets: list[str] | None = None, snippets: bool = True) -> Request:
        return Request(query=self.q.strip() or "*", outlets=list(self.outlets),
                       authors=list(self.authors), since=self.since, until=self.until,
                       facets=list(self.facets if facets is None else facets), sort=self.sort,
                       limit=self.limit, page=self.page, snippets=snippets,
                       collapse=self.collapse)

    # -- URLs ------------------------------------------------------------------------------

    def params(self) -> list[tuple[str, str]]:
        """The query string's pairs, defaults left out (short, stable URLs)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        pairs += [("outlet", o) for o in self.outlets]
        pairs += [("author", a) for a in self.authors]
        pairs += [(k, v) for k, v in (("since", self.since), ("until", self.until)) if v]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.collapse:
            pairs.append(("collapse", "1"))
        if self.limit != 10:
            pairs.append(("limit", str(self.limit)))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url(self, path: str = "/", **changes) -> str:
        """The URL of this view with some fields changed; any change but paging goes back to
        page 1."""
        if changes and "page" not in changes:
            changes["page"] = 1
        view = replace(self, **changes)
        query = urlencode(view.params())
        return f"{path}?{query}" if query else path

    # -- facets ----------------------------------------------------------------------------

    def ticked(self, facet: str, value: str) -> bool:
        if facet == "outlet":
            return value in self.outlets
        if facet == "author":
            return value in self.authors
        if facet in ("year", "month"):
            return self._covers(value)
        if facet in QUERY_FIELDS:
            return _clause(facet, value) in self.q
        return False

    def can_tick(self, facet: str, value: str) -> bool:
        return facet in ("outlet", "author", "year", "month") or (
            facet in QUERY_FIELDS and '"' not in value)

    def toggled(self, facet: str, value: str, path: str = "/") -> str:
        """The URL with one facet value ticked or unticked."""
        on = self.ticked(facet, value)
        if facet in ("outlet", "author"):
            key = facet + "s"
            values = getattr(self, key)
            values = tuple(v for v in values if v != value) if on else (*values, value)
            return self.url(path, **{key: values})
        if facet in ("year", "month"):
            since, until = self._without(value) if on else self._with(value)
            return self.url(path, since=since, until=until)
        clause = _clause(facet, value)
        if on:
            q = " ".join(self.q.replace(clause, " ").split())
        else:
            q = clause if self.q.strip() in ("", "*") else f"{self.q.strip()} {clause}"
        return self.url(path, q=q)

    def narrowed(self, period: str, path: str = "/") -> str:
        """The URL narrowed to one period (a timeline bar)."""
        return self.url(path, since=period, until=period)

    def _bounds(self) -> tuple[int, int]:
        return (parse_date(self.since) if self.since else 0,
                parse_date(self.until, end=True) if self.until else 99991231)

    def _covers(self, period: str) -> bool:
        if not (self.since or self.until):
            return False
        low, high = self._bounds()
        return low <= parse_date(period) and parse_date(period, end=True) <= high

    def _with(self, period: str) -> tuple[str | None, str | None]:
        if not (self.since or self.until):
            return period, period
        low, high = self._bounds()
        since = period if parse_date(period) < low else self.since
        until = period if parse_date(period, end=True) > high else self.until
        return since, until

    def _without(self, period: str) -> tuple[str | None, str | None]:
        low, high = self._bounds()
        start, end = parse_date(period), parse_date(period, end=True)
        if start <= low and end >= high:
            return None, None
        if start <= low:
            return _step(period, 1), self.until
        return self.since, _step(period, -1)


def _clause(facet: str, value: str) -> str:
    return f'{QUERY_FIELDS[facet]}:"{value}"'


def _step(period: str, by: int) -> str:
    """The year or month next to period (by = 1) or before it (by = -1)."""
    if len(period) == 4:
        return str(int(period) + by)
    months = int(period[:4]) * 12 + int(period[5:7]) - 1 + by
    return f"{months // 12}-{months % 12 + 1:02d}"


def _one(params: Mapping, name: str) -> str | None:
    value = params.get(name)
    return value if value else None


def _many(params, name: str) -> tuple[str, ...]:
    return tuple(v for v in params.getlist(name) if v)


def _number(params: Mapping, name: str, default: int, most: int | None) -> int:
    value = params.get(name) or str(default)
    if not value.isdigit() or int(value) < 1 or (most and int(value) > most):
        limit = f" to {most}" if most else ""
        raise QueryError(f"{name} must be a whole number from 1{limit}, not {value!r}")
    return int(value)
