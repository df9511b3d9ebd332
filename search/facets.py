"""Facet counts: outlet, author, year, month, dateline, read from columns (never stored fields).

Counting walks the matching document numbers against per-field column values; for large match
sets the whole column is read into a list once per searcher, for small ones values are read per
document. Counts sort by count (descending) then value; year and month sort by value, as the
date histogram they form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

FACETS = ("outlet", "author", "year", "month", "dateline")
_COLUMN = {"outlet": "outlet", "author": "authors", "year": "published", "month": "published",
           "dateline": "dateline"}
DATE_FACETS = ("year", "month")


class Columns:
    """Column values by document number, loaded lazily and kept for the searcher's life."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self._lists: dict[str, list] = {}
        self._readers: dict[str, object] = {}

    def values(self, field: str, docs: Iterable[int], size: int) -> Iterable:
        if field in self._lists or size * 20 > self.reader.doc_count_all():
            column = self.full(field)
            return (column[d] for d in docs)
        if field not in self._readers:
            self._readers[field] = self.reader.column_reader(field)
        reader = self._readers[field]
        return (reader[d] for d in docs)

    def full(self, field: str) -> list:
        if field not in self._lists:
            self._lists[field] = list(self.reader.column_reader(field))
        return self._lists[field]

    def value(self, field: str, doc: int):
        if field in self._lists:
            return self._lists[field][doc]
        if field not in self._readers:
            self._readers[field] = self.reader.column_reader(field)
        return self._readers[field][doc]


def count(columns: Columns, facet: str, docs: set[int] | list[int]) -> Counter:
    """Counts of facet values over docs (empty values are not counted)."""
    values = columns.values(_COLUMN[facet], docs, len(docs))
    counts: Counter = Counter(values)
    if facet == "author":
        out: Counter = Counter()
        for joined, n in counts.items():
            for name in _text(joined).split(","):
                if name:
                    out[name] += n
        return out
    out = Counter()
    for value, n in counts.items():
        value = _text(value)
        if facet == "year":
            value = value[:4]
        elif facet == "month":
            value = value[:7] if len(value) >= 7 else ""
        if value:
            out[value] += n
    return out


def ordered(facet: str, counts: Counter, limit: int | None) -> list[tuple[str, int]]:
    if facet in DATE_FACETS:
        items = sorted(counts.items())
        return items[-limit:] if limit else items
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return items[:limit] if limit else items


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""
