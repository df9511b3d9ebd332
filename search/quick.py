"""Scoring a query of words without numpy, for a process that runs one search.

`newsdex search WORDS` runs one query and exits. Importing numpy (60-70 ms) then costs more than
the query itself when its posting lists are short: a rare word's few hundred postings score in
a millisecond in plain Python. This module evaluates the queries words make (terms, AND, OR,
nested) over lists and dicts, with search/matching.py's formula and order of operations (so the
same scores, to the bit) and search/searcher.py's ranking rule. A word or an OR of words (what
one word typed becomes: its title and body terms) is ranked by `_Best`, which skips the blocks
of postings that cannot reach the page. Anything else (phrases, NOT, wildcards, dates, filters,
facets, collapsing) or posting lists longer than MAX_POSTINGS in all returns None, and the
numpy path runs: it is faster once numpy is loaded.
"""

from __future__ import annotations

import heapq
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from math import inf as INF

from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.codec import is_array_segment, length_bytes, list_blocks, read_lists

# Postings (all of a query's terms in all segments) up to which plain Python is cheaper than
# importing numpy and scoring with it: about 1 µs a posting here against 80 ms for numpy's
# import and the array path (docs/benchmarks.md, "One search without numpy").
MAX_POSTINGS = 60_000
# Decoded field length of each length byte, as Whoosh's doc_field_length returns it.
LENGTHS = [float(byte_to_length(b)) for b in range(256)]


# The ranking keeps every document within this of the page's cut for its tie-break (top).
TIE = 1e-6


class Unsupported(Exception):
    """A query this module leaves to the numpy path."""


def search(searcher, q: wq.Query, want: int) -> tuple[int, dict[int, float]] | None:
    """(matches, scores): how many live documents match q, and the score of every one that
    may rank in the first `want` (of every match when q is more than a word or an OR of
    words, or want is 0), by global document number; None when q is not for this module."""
    leaves = list(searcher.reader().leaf_readers())
    if sys.byteorder != "little" or not all(is_array_segment(leaf) for leaf, _ in leaves):
        return None
    try:
        terms = _terms(q)
        sizes = [_frequency(leaves, t) for t in terms]
        if sum(sizes) > MAX_POSTINGS:
            return None
        scorer = _Scorer(searcher, leaves)
        if want and _words(q, searcher.schema):
            return _Best(scorer, terms, sizes.index(max(sizes)), want).run()
        found = scorer.evaluate(q)
    except Unsupported:
        return None
    for n, docs in _deleted(leaves).items():
        offset = leaves[n][1]
        for doc in docs:
            found.pop(doc + offset, None)
    return len(found), found


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
        # (first document, segment) of the segments that have documents: where a global
        # document number falls
        self._starts = [(offset, n) for n, (leaf, offset) in enumerate(leaves)
                        if leaf.doc_count_all()]

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
        formula = self.formula(field, btext) if fieldobj.scorable else None
        for n, (leaf, offset) in enumerate(self.leaves):
            terms = leaf._terms
            try:
                info = terms.term_info(field, btext)
            except TermNotFound:
                continue
            ids, weights = read_lists(terms._postfile, info, fieldobj.format)
            if formula:
                values = term_scores(formula, self.lengths(field, n), ids, weights)
            else:
                values = weights
            if q.boost != 1.0:
                values = [v * q.boost for v in values]
            found.update(zip(map(offset.__add__, ids) if offset else ids, values, strict=True))
        return found

    def formula(self, field: str, btext: bytes) -> tuple[float, float, list[float]]:
        """(idf, K1 + 1, the length part for each of the 256 length bytes) of one term: its
        score is idf * ((tf * k1) / (tf + norm[length byte])). The length part is computed
        once per byte with the same operations on the same values as per posting, so the
        same bits."""
        idf, K1, B, avgfl = bm25_constants(self.searcher, field, btext)
        return idf, K1 + 1, [K1 * ((1 - B) + B * fl / avgfl) for fl in LENGTHS]

    def segment(self, doc: int) -> int:
        """The segment of a global document number."""
        return self._starts[bisect_right(self._starts, (doc, len(self.leaves))) - 1][1]

    def lengths(self, field: str, n: int) -> bytes:
        """Segment n's length bytes of field, one per document (missing at the end: 0)."""
        key = (field, n)
        if key not in self._lengths:
            self._lengths[key] = length_bytes(self.leaves[n][0], field)
        return self._lengths[key]


def term_scores(formula: tuple[float, float, list[float]], raw: bytes, ids: list[int],
                weights: list[float]) -> list[float]:
    """BM25F of one term's postings in a segment (raw: its length bytes), as
    matching.Matcher.term_scores writes it: the same operations in the same order, so the
    same bits."""
    idf, k1, norm = formula
    if ids and ids[-1] >= len(raw):  # documents without the field at the segment's end
        raw += bytes(ids[-1] + 1 - len(raw))
    return [idf * ((tf * k1) / (tf + norm[raw[doc]])) for doc, tf in zip(ids, weights,
                                                                         strict=True)]


def _words(q: wq.Query, schema) -> bool:
    """Whether q is a word (a term of a scored field) or an OR of words, each boosted above
    zero: the queries _Best ranks."""
    terms = q.subqueries if type(q) is wq.Or else [q]
    return bool(terms) and all(type(t) is wq.Term and t.boost > 0 and t.fieldname in schema
               and schema[t.fieldname].scorable for t in terms)


def _deleted(leaves: list) -> dict[int, set[int]]:
    """The deleted documents still in the segments: segment -> their local numbers."""
    return {n: set(leaf._segment.deleted_docs())
            for n, (leaf, _) in enumerate(leaves) if leaf.has_deletions()}


class _Best:
    """The best `want` documents of a word or an OR of words, without scoring every posting.

    A common word's matches are mostly in its body postings, and the first page mostly in its
    title postings (boosted): a block of body postings can hold no document of the page when
    the best score its header allows (its highest weight, its shortest document) stays below
    the page's cut. So the word's longest posting list (`big`) is read a block at a time: the
    documents of the other terms are scored in full, with their postings in `big` looked up
    in the blocks that hold them; then `big`'s blocks are scored best bound first, until a
    bound falls below the cut so far. The count needs no postings: the headers give it, less
    the deleted documents and plus the other terms' documents outside `big`. Every score this
    returns is _Scorer's, to the bit; every document left out scores below the cut by more
    than the tie-break's 1e-6 (top).
    """

    def __init__(self, scorer: _Scorer, terms: list[wq.Term], big: int, want: int) -> None:
        self.scorer = scorer
        self.terms = terms
        self.big = big  # the term with the most postings
        self.want = want
        self.deleted = _deleted(scorer.leaves)
        self.best: list[float] = []  # a heap of the `want` best complete scores so far

    def run(self) -> tuple[int, dict[int, float]]:
        parts = {i: self.scorer.term(t) for i, t in enumerate(self.terms) if i != self.big}
        postings = _BigPostings(self.scorer, self.terms[self.big])
        found: dict[int, float] = {}
        outside = 0  # documents of the other terms that are not in big's postings
        for doc in sorted(set().union(*parts.values())):
            if self.is_deleted(doc):
                continue
            own = postings.score(doc)
            if own is None:
                outside += 1
            total = 0.0  # the parts added in the query's order, as matching.union adds them
            for i in range(len(self.terms)):
                part = own if i == self.big else parts[i].get(doc)
                if part is not None:
                    total = total + part
            self.keep(found, doc, total)
        for bound, block in postings.by_bound():
            if len(self.best) == self.want and bound < self.best[0] - TIE:
                break
            for doc, score in postings.scores(block):
                if doc not in found and not self.is_deleted(doc):
                    self.keep(found, doc, score)
        return postings.count(self.deleted) + outside, found

    def is_deleted(self, doc: int) -> bool:
        if not self.deleted:
            return False
        n = self.scorer.segment(doc)
        return n in self.deleted and doc - self.scorer.leaves[n][1] in self.deleted[n]

    def keep(self, found: dict[int, float], doc: int, score: float) -> None:
        found[doc] = score
        if len(self.best) < self.want:
            heapq.heappush(self.best, score)
        elif score > self.best[0]:
            heapq.heapreplace(self.best, score)


class _BigPostings:
    """One term's postings in every segment, as blocks read when first needed (_Best)."""

    def __init__(self, scorer: _Scorer, term: wq.Term) -> None:
        self.scorer = scorer
        self.field = term.fieldname
        fieldobj = scorer.schema[self.field]
        self.btext = fieldobj.to_bytes(term.text) if not isinstance(term.text, bytes) \
            else term.text
        self.boost = term.boost
        self.field_boost = float(getattr(fieldobj.format, "field_boost", 1.0))
        self.formula = scorer.formula(self.field, self.btext)
        self.blocks: dict[int, list] = {}  # segment -> its blocks (ListBlock or _Inlined)
        self.firsts: dict[int, list[int]] = {}  # segment -> each block's first id
        for n, (leaf, _) in enumerate(scorer.leaves):
            terms = leaf._terms
            try:
                info = terms.term_info(self.field, self.btext)
            except TermNotFound:
                continue
            if info.is_inlined():  # a few postings in the terms file: one block, never skipped
                blocks = [_Inlined(*read_lists(terms._postfile, info, fieldobj.format))]
            else:
                blocks = list_blocks(terms._postfile, info)
            self.blocks[n] = blocks
            self.firsts[n] = [b.first for b in blocks]

    def score(self, doc: int) -> float | None:
        """The term's score of one document (global number); None if it is not a posting."""
        place = self.find(doc)
        if place is None:
            return None
        n, local, weight = place
        value = term_scores(self.formula, self.scorer.lengths(self.field, n), [local],
                            [weight])[0]
        return value * self.boost if self.boost != 1.0 else value

    def find(self, doc: int) -> tuple[int, int, float] | None:
        """(segment, local id, weight) of one document's posting, or None."""
        n = self.scorer.segment(doc)
        if n not in self.blocks:
            return None
        local = doc - self.scorer.leaves[n][1]
        j = bisect_right(self.firsts[n], local) - 1
        if j < 0 or local > self.blocks[n][j].last:
            return None
        block = self.blocks[n][j]
        ids = block.ids()
        i = bisect_left(ids, local)
        if i == len(ids) or ids[i] != local:
            return None
        return n, local, block.weight(i, self.field_boost)

    def by_bound(self) -> list[tuple[float, tuple[int, int]]]:
        """(bound, (segment, block)) of every block, highest bound first: no document of the
        block scores above its bound."""
        idf, k1, norm = self.formula
        found = []
        for n, blocks in self.blocks.items():
            raw = self.scorer.lengths(self.field, n)
            for j, block in enumerate(blocks):
                if block.max_weight == INF or block.last >= len(raw):
                    bound = INF
                else:  # the stored maximum is a float32: up to 6e-8 below the weight itself
                    w = block.max_weight * (1 + 1e-6)
                    bound = idf * ((w * k1) / (w + norm[block.min_length])) * self.boost
                found.append((bound, (n, j)))
        found.sort(key=lambda pair: pair[0], reverse=True)
        return found

    def scores(self, block: tuple[int, int]) -> Iterator[tuple[int, float]]:
        """(global document, score) of every posting of one block."""
        n, j = block
        ids, weights = self.blocks[n][j].lists(self.field_boost)
        values = term_scores(self.formula, self.scorer.lengths(self.field, n), ids, weights)
        if self.boost != 1.0:
            values = [v * self.boost for v in values]
        return zip(map(self.scorer.leaves[n][1].__add__, ids), values, strict=True)

    def count(self, deleted: dict[int, set[int]]) -> int:
        """Live postings, in all: the headers' counts less the deleted documents found in the
        blocks."""
        total = sum(b.count for blocks in self.blocks.values() for b in blocks)
        for n, docs in deleted.items():
            offset = self.scorer.leaves[n][1]
            total -= sum(self.find(doc + offset) is not None for doc in docs)
        return total


class _Inlined:
    """A few postings kept in the terms file, as one block whose bound is unknown."""

    max_weight = INF
    min_length = 0

    def __init__(self, ids: list[int], weights: list[float]) -> None:
        self.count, self.first, self.last = len(ids), ids[0], ids[-1]
        self._lists = ids, weights

    def ids(self) -> list[int]:
        return self._lists[0]

    def weight(self, i: int, boost: float) -> float:
        return self._lists[1][i]

    def lists(self, boost: float) -> tuple[list[int], list[float]]:
        return self._lists
