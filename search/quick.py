"""Scoring a query of words without numpy, for a process that runs one search.

`newsdex search WORDS` runs one query and exits. Importing numpy (60-70 ms) then costs more than
the query itself when its posting lists are short: a rare word's few hundred postings score in
a millisecond in plain Python. This module evaluates the queries words make (terms, AND, OR,
nested) over lists and dicts, with search/matching.py's formula and order of operations (so the
same scores, to the bit) and search/searcher.py's ranking rule. Anything else (phrases, NOT,
wildcards, dates, filters, facets, collapsing) or posting lists longer than MAX_POSTINGS in all
returns None, and the numpy path runs: it is faster once numpy is loaded.
"""

from __future__ import annotations

import heapq
import sys

from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.codec import is_array_segment, length_bytes, read_lists

# Postings (all of a query's terms in all segments) up to which plain Python is cheaper than
# importing numpy and scoring with it: about 1 µs a posting here against 80 ms for numpy's
# import and the array path (docs/benchmarks.md, "One search without numpy").
MAX_POSTINGS = 60_000
# Decoded field length of each length byte, as Whoosh's doc_field_length returns it.
LENGTHS = [float(byte_to_length(b)) for b in range(256)]


class Unsupported(Exception):
    """A query this module leaves to the numpy path."""


def scores(searcher, q: wq.Query) -> dict[int, float] | None:
    """Score of every live document matching q (global document numbers), or None when q is
    not for this module."""
    leaves = list(searcher.reader().leaf_readers())
    if sys.byteorder != "little" or not all(is_array_segment(leaf) for leaf, _ in leaves):
        return None
    try:
        terms = _terms(q)
        if sum(_frequency(leaves, t) for t in terms) > MAX_POSTINGS:
            return None
        found = _Scorer(searcher, leaves).evaluate(q)
    except Unsupported:
        return None
    for leaf, offset in leaves:
        if leaf.has_deletions():
            for doc in leaf._segment.deleted_docs():
                found.pop(doc + offset, None)
    return found


def top(found: dict[int, float], want: int) -> tuple[list[int], list[float]]:
    """The documents that may rank in the first `want` (every one whose score rounds to the
    cut's, as Search.by_score keeps them for its tie-break), ascending, with their scores."""
    if want < len(found):
        cut = heapq.nlargest(want, found.values())[-1]
        docs = sorted(d for d, s in found.items() if s >= cut - 1e-6)
    else:
        docs = sorted(found)
    return docs, [found[d] for d in docs]


def bm25_constants(searcher, field: str, btext: bytes) -> tuple[float, float, float, float]:
    """(idf, K1, B, average field length) of one term, as Whoosh's BM25F takes them: both
    scorers (here and search/matching.py) apply the formula with these."""
    w = searcher.weighting
    B = w._field_B.get(field, w.B) if hasattr(w, "_field_B") else w.B
    return searcher.idf(field, btext), w.K1, B, searcher.avg_field_length(field) or 1


def _terms(q: wq.Query) -> list[wq.Term]:
    """The terms of a tree of And and Or over terms; Unsupported for anything else."""
    kind = type(q)
    if kind is wq.Term:
        return [q]
    if kind in (wq.And, wq.Or):
        return [t for s in q.subqueries for t in _terms(s)]
    raise Unsupported(kind.__name__)


def _frequency(leaves: list, term: wq.Term) -> int:
    """Postings of term in all segments (a field the index does not have: none)."""
    total = 0
    for leaf, _ in leaves:
        if term.fieldname not in leaf.schema:
            return 0
        try:
            total += leaf.doc_frequency(term.fieldname, term.text)
        except (TermNotFound, ValueError):
            continue
    return total


def _union(parts: list[dict[int, float]]) -> dict[int, float]:
    """matching.union: the parts' scores added in order (a missing one adds 0.0). Two parts
    are added from the smaller one's side: a + b is b + a to the bit, and 0.0 + a is a."""
    if len(parts) == 2:
        small, large = sorted(parts, key=len)
        total = dict(large)
        for doc, score in small.items():
            total[doc] = score + total[doc] if doc in total else score
        return total
    total: dict[int, float] = {}
    for part in parts:
        for doc, score in part.items():
            total[doc] = total.get(doc, 0.0) + score
    return total


class _Scorer:
    def __init__(self, searcher, leaves: list) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        self.leaves = leaves
        self._lengths: dict[tuple[str, int], bytes] = {}

    def evaluate(self, q: wq.Query) -> dict[int, float]:
        kind = type(q)
        if kind is wq.Term:
            return self.term(q)
        parts = [self.evaluate(s) for s in q.subqueries]
        if kind is wq.Or:
            return _union(parts)
        # wq.And, matching.conjunction without NOT clauses
        if not parts:
            raise Unsupported("an empty And")
        common = set(parts[0]).intersection(*parts[1:])
        total = {}
        for doc in sorted(common):
            score = parts[0][doc]
            for part in parts[1:]:
                score = score + part[doc]
            total[doc] = score
        return total

    def term(self, q: wq.Term) -> dict[int, float]:
        """matching.Matcher.term and term_scores, over lists."""
        field = q.fieldname
        if field not in self.schema:
            return {}
        fieldobj = self.schema[field]
        try:
            btext = fieldobj.to_bytes(q.text) if not isinstance(q.text, bytes) else q.text
        except ValueError:  # a text the field cannot hold
            return {}
        found: dict[int, float] = {}
        for n, (leaf, offset) in enumerate(self.leaves):
            terms = leaf._terms
            try:
                info = terms.term_info(field, btext)
            except TermNotFound:
                continue
            ids, weights = read_lists(terms._postfile, info, fieldobj.format)
            if fieldobj.scorable:
                values = self.term_scores(field, btext, n, ids, weights)
            else:
                values = weights
            if q.boost != 1.0:
                values = [v * q.boost for v in values]
            found.update(zip(map(offset.__add__, ids) if offset else ids, values, strict=True))
        return found

    def term_scores(self, field: str, btext: bytes, n: int, ids: list[int],
                    weights: list[float]) -> list[float]:
        """BM25F, as matching.Matcher.term_scores writes it (the same operations in the same
        order, so the same bits)."""
        idf, K1, B, avgfl = bm25_constants(self.searcher, field, btext)
        raw = self.lengths(field, n)
        if ids and ids[-1] >= len(raw):  # documents without the field at the segment's end
            raw += bytes(ids[-1] + 1 - len(raw))
        # The length part of the formula for each of the 256 length bytes, computed once: the
        # same operations on the same values as per posting, so the same bits.
        norm = [K1 * ((1 - B) + B * fl / avgfl) for fl in LENGTHS]
        k1 = K1 + 1
        return [idf * ((tf * k1) / (tf + norm[raw[doc]])) for doc, tf in zip(ids, weights,
                                                                             strict=True)]

    def lengths(self, field: str, n: int) -> bytes:
        """Segment n's length bytes of field, one per document (missing at the end: 0)."""
        key = (field, n)
        if key not in self._lengths:
            self._lengths[key] = length_bytes(self.leaves[n][0], field)
        return self._lengths[key]
