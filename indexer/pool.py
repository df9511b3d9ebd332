"""Whoosh's SegmentWriter, tuned: a posting pool that sorts by term, not by posting.

Whoosh's PostingPool collects every posting as a tuple, sorts them all, and when memory runs out
pickles them one by one into run files that a heap merges back posting by posting: a Python call
per posting at each step, about a quarter of a build's time. But a writer adds documents in
document-number order, so grouping postings by (field, term) as they arrive leaves each term's
list already sorted: only the distinct terms need sorting. Runs are written and merged a whole
term list at a time with marshal, so the per-posting work left is Whoosh's own codec.
The output is the same sorted stream of (field, term, docnum, weight, value) tuples.
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import os
from collections.abc import Iterator
from itertools import chain

from whoosh.util import random_name

# Bytes per posting in memory, as Whoosh's PostingPool estimates a tuple and its members.
_POSTING_BYTES = 200


class TermPool:
    """Drop-in for whoosh.writing.PostingPool (the methods SegmentWriter calls)."""

    def __init__(self, tempstore, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024 // _POSTING_BYTES
        self.fieldnames: set[str] = set()
        self.terms: dict[str, dict[bytes, list]] = {}
        self.count = 0
        self.runs: list[str] = []

    def add(self, item: tuple) -> None:
        field = item[0]
        try:
            terms = self.terms[field]
        except KeyError:
            terms = self.terms[field] = {}
            self.fieldnames.add(field)
        try:
            terms[item[1]].append(item)
        except KeyError:
            terms[item[1]] = [item]
        self.count += 1
        if self.count > self.limit:
            self.save()

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
        with open(self._path(name), "wb") as f:
            for field, term, items in self._sorted_lists():
                marshal.dump((field, term, items), f)
        self.runs.append(name)
        self.terms = {}
        self.count = 0

    def _path(self, name: str) -> str:
        return os.path.join(self.tempstore.folder, name)

    def _read_run(self, name: str) -> Iterator[tuple[str, bytes, list]]:
        with open(self._path(name), "rb") as f:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    return

    def iter_postings(self) -> Iterator[tuple]:
        if not self.runs:
            return chain.from_iterable(items for _, _, items in self._sorted_lists())
        self.save()
        return self._merged()

    def _merged(self) -> Iterator[tuple]:
        # Runs hold consecutive document ranges in order, so a term's lists are concatenated
        # in run order; heapq.merge is stable for equal keys across its inputs' order.
        streams = [self._read_run(name) for name in self.runs]
        merged = heapq.merge(*streams, key=lambda record: (record[0], record[1]))
        for _field, _term, items in merged:
            yield from items

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self._path(name))
        self.runs = []
        self.terms = {}
        self.count = 0


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
    """Tune a fresh SegmentWriter: a TermPool for its PostingPool, list-backed field lengths."""
    if writer.pool.current or writer.pool.runs:
        raise ValueError("the writer's pool already holds postings")
    writer.pool.cleanup()
    writer.pool = TermPool(writer._tempstorage, limitmb)
    plain = writer.per_document_reader
    writer.per_document_reader = lambda: _ListLengths(plain())
