"""Facet counts: outlet, author, year, month, dateline, language, from columns (not stored
fields).

Counting walks the matching document numbers against per-field column values; for large match
sets the whole column is read into a list once per searcher, for small ones values are read per
document. Counts sort by count (descending) then value; year and month sort by value, as the
date histogram they form.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import partial

from whoosh import columns, fields

FACETS = ("outlet", "author", "year", "month", "dateline", "language")
_COLUMN = {"outlet": "outlet", "author": "authors", "year": "published", "month": "published",
           "dateline": "dateline", "language": "language"}
DATE_FACETS = ("year", "month")


class Columns:
    """Column values by document number, loaded lazily and kept for the searcher's life.

    Read segment by segment: Whoosh's multi-segment column reader leaves out segments that
    have no value of a field at all, which shifts every later document."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.leaves = list(reader.leaf_readers())
        self.offsets = [offset for _, offset in self.leaves]
        self._lists: dict[str, list] = {}
        self._readers: dict[str, dict[int, object]] = {}
        self._codes: dict[str, tuple] = {}
        self._groups: dict[str, tuple] = {}

    def values(self, field: str, docs: Iterable[int], size: int) -> Iterable:
        """The field's values for docs, in order (whole column read when docs are many)."""
        return map(self.getter(field, size), docs)

    def getter(self, field: str, size: int):
        """A function docnum -> value, for looking up `size` documents: the whole column's
        list lookup (a C call) when they are many, per-segment reads when they are few."""
        if field in self._lists or size * 20 > self.reader.doc_count_all():
            return self.full(field).__getitem__
        return partial(self.value, field)

    def full(self, field: str) -> list:
        if field not in self._lists:
            values: list = []
            for leaf, _ in self.leaves:
                values.extend(_read_all(leaf.column_reader(field), self.reader.schema[field]))
            self._lists[field] = values
        return self._lists[field]

    def codes(self, field: str) -> tuple:
        """(codes, values): every document's value as an index into values (distinct values),
        a numpy array over all document numbers; built once per searcher. Read from the
        RefBytesColumn's own reference arrays where it has them."""
        if field not in self._codes:
            self._codes[field] = _codes(self.leaves, self.reader.schema[field], field)
        return self._codes[field]

    def groups(self, facet: str) -> tuple:
        """(pair_codes, pair_groups, groups): which facet values (groups) each column value
        code counts for, as pairs of arrays; built once per searcher."""
        if facet not in self._groups:
            import numpy as np

            _, values = self.codes(_COLUMN[facet])
            index: dict[str, int] = {}
            codes, groups = [], []
            for code, value in enumerate(values):
                for name in _facet_values(facet, value):
                    codes.append(code)
                    groups.append(index.setdefault(name, len(index)))
            self._groups[facet] = (np.array(codes, np.int64), np.array(groups, np.int64),
                                   list(index))
        return self._groups[facet]

    def value(self, field: str, doc: int):
        if field in self._lists:
            return self._lists[field][doc]
        n = bisect_right(self.offsets, doc) - 1
        readers = self._readers.setdefault(field, {})
        if n not in readers:  # opened per segment, when one of its documents is asked about
            readers[n] = self.leaves[n][0].column_reader(field)
        return readers[n][doc - self.offsets[n]]


def _read_all(reader, field) -> list:
    """Every value of one segment's column. Whoosh yields them one at a time through a
    generator and a translating wrapper (microseconds each); the column types newsdex uses are
    read here in one piece, values translated once per distinct value or with a C decode."""
    raw = reader.raw_column() if hasattr(reader, "raw_column") else reader
    translate = reader._translate if raw is not reader else None
    try:
        if isinstance(raw, columns.RefBytesColumn.Reader):
            refs = _array(raw._dbfile, raw._basepos, raw._typecode, raw._doccount)
            uniques = list(map(translate, raw._uniques)) if translate else raw._uniques
            return list(map(uniques.__getitem__, refs))
        if isinstance(raw, columns.FixedBytesColumn.Reader) and (
                translate is None or isinstance(field, fields.COLUMN)):  # COLUMN: as stored
            size, count = raw._fixedlen, raw._count
            data = raw._dbfile.get(raw._basepos, size * count)
            return [data[i:i + size] for i in range(0, size * count, size)] + [
                raw._defaultbytes] * (raw._doccount - count)
        if isinstance(raw, columns.VarBytesColumn.Reader) and (
                translate is None or _plain_text(field)):
            data = raw._dbfile.get(raw._basepos, sum(raw._lengths))
            values = [data[o:o + n] for o, n in zip(raw._offsets, raw._lengths, strict=True)]
            return list(map(bytes.decode, values)) if translate else values
    except (AttributeError, TypeError, ValueError):  # another Whoosh: the plain way
        pass
    return list(reader)


def _codes(leaves: list, field, name: str) -> tuple:
    import numpy as np

    index: dict = {}
    parts = []
    for leaf, _ in leaves:
        reader = leaf.column_reader(name)
        raw = reader.raw_column() if hasattr(reader, "raw_column") else reader
        translate = reader._translate if raw is not reader else None
        if isinstance(raw, columns.RefBytesColumn.Reader):
            refs = np.frombuffer(raw._dbfile.get(raw._basepos, raw._doccount *
                                                 array(raw._typecode).itemsize),
                                 np.dtype(raw._typecode).newbyteorder(">"))
            uniques = list(map(translate, raw._uniques)) if translate else raw._uniques
            local = np.array([index.setdefault(u, len(index)) for u in uniques] or [0],
                             np.int32)
            parts.append(local[refs.astype(np.int64)])
        else:
            values = _read_all(reader, field)
            parts.append(np.array([index.setdefault(v, len(index)) for v in values], np.int32))
    codes = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    return codes, list(index)


def _array(dbfile, start: int, typecode: str, count: int) -> array:
    refs = array(typecode, dbfile.get(start, count * array(typecode).itemsize))
    if sys.byteorder == "little" and refs.itemsize > 1:
        refs.byteswap()  # stored in network order
    return refs


def _plain_text(field) -> bool:
    """Whether the field's column values are plain UTF-8 text (Whoosh's default translation)."""
    kind = type(field)
    return (kind.from_column_value is fields.FieldType.from_column_value
            and kind.from_bytes is fields.FieldType.from_bytes)


def count(columns: Columns, facet: str, docs) -> Counter:
    """Counts of facet values over docs (empty values are not counted)."""
    counts, groups = tally(columns, facet, docs)
    present = counts.nonzero()[0]
    return Counter({groups[i]: int(n) for i, n in zip(present.tolist(),
                                                      counts[present].tolist(), strict=True)})


def tally(columns: Columns, facet: str, docs) -> tuple:
    """(counts, values): the count of every facet value over docs, as an array aligned with
    values. A bincount of the documents' value codes, then a weighted bincount from codes to
    facet values (an article with two authors counts for both)."""
    import numpy as np

    codes, values = columns.codes(_COLUMN[facet])
    if not isinstance(docs, np.ndarray):
        docs = np.fromiter(docs, np.int64, len(docs))
    per_code = np.bincount(codes[docs], minlength=len(values))
    pair_codes, pair_groups, groups = columns.groups(facet)
    counts = np.bincount(pair_groups, weights=per_code[pair_codes], minlength=len(groups))
    return counts.astype(np.int64), groups


def top(columns: Columns, facet: str, docs, limit: int | None) -> list[tuple[str, int]]:
    """ordered(facet, count(...), limit), without building every value's count in Python:
    only values that can be among the first `limit` are sorted."""
    import numpy as np

    counts, groups = tally(columns, facet, docs)
    present = counts.nonzero()[0]
    if limit and facet not in DATE_FACETS and len(present) > limit:
        cut = np.partition(counts[present], len(present) - limit)[len(present) - limit]
        present = present[counts[present] >= cut]
    found = Counter({groups[i]: int(n) for i, n in zip(present.tolist(),
                                                       counts[present].tolist(), strict=True)})
    return ordered(facet, found, limit)


def _facet_values(facet: str, value) -> list[str]:
    """The facet values one column value counts for."""
    value = _text(value)
    if facet == "author":
        return [name for name in value.split(",") if name]
    if facet == "year":
        value = value[:4]
    elif facet == "month":
        value = value[:7] if len(value) >= 7 else ""
    return [value] if value else []


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
