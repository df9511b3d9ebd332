"""Whoosh's SegmentWriter, tuned: postings grouped by term from the document to the codec.

Whoosh's SegmentWriter sends every posting through its PostingPool as a tuple; the pool sorts
them all, and when memory runs out pickles them one by one into run files that a heap merges
back posting by posting: a Python call per posting at each step. But a writer adds documents in
document-number order, so grouping postings by (field, term) as they arrive leaves each term's
list already sorted: only the distinct terms need sorting. Here:
- `add_document` (installed on the writer) hands the pool a whole field of a document at once,
  and the news text fields' postings come from the analyzer as one list (no token generators);
- the pool keeps each term's postings as one flat list (docnum, weight, value, docnum, ...),
  about a third of the memory of a tuple per posting, so a worker's chunk rarely spills;
- runs, when they are needed, are written and merged a whole term list at a time with marshal;
- the codec (indexer/codec.py) takes the pool's term lists whole (`grouped`) and writes each
  block from slices, without a call per posting.
The index written is the same, byte for byte, as Whoosh's own add_document and PostingPool
write (tests/test_parallel.py).
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import os
import struct
import types
from collections.abc import Iterator
from itertools import repeat
from operator import itemgetter

from whoosh.util import random_name

from indexer.analysis import FastPositions

# Bytes per posting in memory: a flat list's three slots, the weight's float, a share of the
# position bytes (most are shared: indexer/analysis.py caches one-position values).
_POSTING_BYTES = 80
# A run's record is its marshal bytes after their length: marshal.load on a file object reads
# it a few bytes per Python call, 15x slower than one read and marshal.loads.
_LENGTH = struct.Struct("<I")
_KEY = itemgetter(0, 1)


class TermPool:
    """Drop-in for whoosh.writing.PostingPool (the methods SegmentWriter calls), plus
    `add_field` for a document's whole field."""

    def __init__(self, tempstore, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024 // _POSTING_BYTES
        self.fieldnames: set[str] = set()
        # field -> term -> [docnum, weight, value, docnum, weight, value, ...]
        self.terms: dict[str, dict[bytes, list]] = {}
        self.count = 0
        self.runs: list[str] = []

    def _field(self, field: str) -> dict[bytes, list]:
        try:
            return self.terms[field]
        except KeyError:
            self.fieldnames.add(field)
            terms = self.terms[field] = {}
            return terms

    def add(self, item: tuple) -> None:
        """One posting (field, term, docnum, weight, value): how Whoosh adds a merged reader."""
        terms = self._field(item[0])
        try:
            terms[item[1]] += item[2:]
        except KeyError:
            terms[item[1]] = list(item[2:])
        self.count += 1
        if self.count > self.limit:
            self.save()

    def add_field(self, field: str, docnum: int, items, boost: float, scorable: bool) -> int:
        """A document's postings in one field, as (term, freq, weight, value) items with
        Whoosh's field boost applied; returns the field's length (Whoosh's rule)."""
        terms = self._field(field)
        length = 0
        count = 0
        for term, freq, weight, value in items:
            weight *= boost
            if scorable:
                length += freq
            found = terms.get(term)
            if found is None:
                terms[term] = [docnum, weight, value]
            else:
                found += (docnum, weight, value)
            count += 1
        self.count += count
        if self.count > self.limit:
            self.save()
        return length

    def _sorted_lists(self) -> Iterator[tuple[str, bytes, list]]:
        for field in sorted(self.terms):
            terms = self.terms[field]
            for term in sorted(terms):
                yield field, term, terms[term]

    def save(self) -> None:
        """Write what is in memory as one sorted run, a term list per record."""
        if not self.count:
            return
        name = f"{random_name()}.trun"
        pack = _LENGTH.pack
        with open(self._path(name), "wb") as f:
            for record in self._sorted_lists():
                data = marshal.dumps(record)
                f.write(pack(len(data)))
                f.write(data)
        self.runs.append(name)
        self.terms = {}
        self.count = 0

    def _path(self, name: str) -> str:
        return os.path.join(self.tempstore.folder, name)

    def _read_run(self, name: str) -> Iterator[tuple[str, bytes, list]]:
        size = _LENGTH.size
        unpack = _LENGTH.unpack
        with open(self._path(name), "rb") as f:
            while head := f.read(size):
                yield marshal.loads(f.read(unpack(head)[0]))

    def iter_postings(self) -> Postings:
        if self.runs:
            self.save()
            return Postings(self._merged)
        return Postings(self._sorted_lists)

    def _merged(self) -> Iterator[tuple[str, bytes, list]]:
        # Runs hold consecutive document ranges in order, so a term's lists are concatenated
        # in run order; heapq.merge is stable for equal keys across its inputs' order.
        streams = [self._read_run(name) for name in self.runs]
        last = None
        for record in heapq.merge(*streams, key=_KEY):
            if last is not None and _KEY(record) == _KEY(last):
                last[2].extend(record[2])
                continue
            if last is not None:
                yield last
            last = record
        if last is not None:
            yield last

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self._path(name))
        self.runs = []
        self.terms = {}
        self.count = 0


class Postings:
    """The pool's sorted postings: Whoosh's stream of (field, term, docnum, weight, value)
    tuples when iterated, or whole term lists from `grouped()` for a codec that takes them."""

    def __init__(self, lists) -> None:
        self.grouped = lists  # () -> (field, term, [docnum, weight, value, ...]) in order

    def __iter__(self) -> Iterator[tuple]:
        for field, term, flat in self.grouped():
            yield from zip(repeat(field), repeat(term), flat[0::3], flat[1::3], flat[2::3])


class _ListLengths:
    """A segment's per-document reader whose field lengths come from one list per field.

    When a segment's postings are written, Whoosh looks up the document length of every posting
    (for each block's min/max length); a list lookup replaces a column read and decode.
    """

    def __init__(self, reader) -> None:
        self._reader = reader

    def __getattr__(self, name: str):
        return getattr(self._reader, name)

    def doc_field_length_reader(self, fieldname: str, default=0):
        get = self._reader.doc_field_length_reader(fieldname, default)
        return [get(d) for d in range(self._reader.doc_count_all())].__getitem__


def install(writer, limitmb: int = 128) -> None:
    """Tune a fresh SegmentWriter: a TermPool for its PostingPool, add_document by whole
    fields, list-backed field lengths."""
    if writer.pool.current or writer.pool.runs:
        raise ValueError("the writer's pool already holds postings")
    writer.pool.cleanup()
    writer.pool = TermPool(writer._tempstorage, limitmb)
    plain = writer.per_document_reader
    writer.per_document_reader = lambda: _ListLengths(plain())
    if all(not f.separate_spelling() and not f.vector for _, f in writer.schema.items()):
        writer.add_document = types.MethodType(add_document, writer)


def add_document(writer, **fields) -> None:
    """Whoosh's SegmentWriter.add_document (whoosh3 3.54.0), for schemas without spelling or
    vector fields, with each field's postings handed to the pool at once."""
    writer._check_state()
    perdoc = writer.perdocwriter
    schema = writer.schema
    docnum = writer.docnum
    add_field = writer.pool.add_field
    docboost = writer._doc_boost(fields)
    names = sorted([name for name in fields if not name.startswith("_")])
    writer._check_fields(schema, names)
    perdoc.start_doc(docnum)
    try:
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                boost = writer._field_boost(fields, name, docboost)
                items = _field_postings(field, value)
                length = add_field(name, docnum, items, boost, field.scorable)
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdoc.add_column_value(name, column, field.to_column_value(stored))
    except ValueError:
        perdoc.cancel_doc()
        raise
    perdoc.finish_doc()
    writer._added = True
    writer.docnum += 1


def _field_postings(field, value):
    """A field value's (term bytes, freq, weight, value) items, as field.index gives them."""
    fmt = field.format
    if isinstance(fmt, FastPositions):
        items = fmt.postings(value, field.analyzer)
        if items is not None:
            return items
    return field.index(value)
