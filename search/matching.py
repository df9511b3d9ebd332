"""Matching and BM25F scoring a whole posting list at a time, with numpy.

Whoosh matches and scores one document at a time in Python (a matcher tree stepping through
postings, a scorer call per document). Here a query tree is evaluated over arrays instead: each
term's postings are decoded block by block into arrays (indexer/codec.py), and a node's result
is a boolean mask over all document numbers plus, when ranking, a float64 array of scores. AND,
OR and NOT become mask operations; a term's BM25F score is computed for all its documents in a
few vector operations, with exactly the formula, statistics and order of operations of
Whoosh's BM25F (idf and average field length from the searcher, field lengths decoded from the
length byte), so scores agree with Whoosh's to the last bits (tests/test_ranking.py).

Phrases intersect positions: each word's (document, position - word's offset) pairs become
64-bit keys, and the keys every word has are the phrase's occurrences (sorted arrays,
searchsorted). A phrase scores as Whoosh's: the sum of its words' term scores, times its boost.

Query kinds not handled here (wildcards, ranges over terms, slop phrases, ...) raise
Unsupported; the searcher then uses Whoosh's own matchers for that query.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermNotFound

from indexer.codec import Postings, is_array_segment, length_bytes, read_postings
from search.quick import LENGTHS, bm25_constants

_LENGTHS = np.array(LENGTHS, np.float64)
_DATE_FIELDS = ("date_start", "date_end")


class Unsupported(Exception):
    """A query kind this module does not evaluate."""


class Match:
    """Documents matching a query node (mask over all document numbers) and their scores
    (None for an unscored node)."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: np.ndarray, scores: np.ndarray | None) -> None:
        self.mask, self.scores = mask, scores


class Matcher:
    """Evaluates query trees over one searcher's index; per-searcher arrays are kept."""

    def __init__(self, searcher, dated=None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.leaves = list(self.reader.leaf_readers())
        self.size = self.reader.doc_count_all()
        self.dated = dated  # (ranges, docs array or None) -> docs array, from the searcher
        self._lengths: dict[str, np.ndarray] = {}
        self._live: np.ndarray | None = None
        self.fast = all(is_array_segment(leaf) for leaf, _ in self.leaves)

    # -- per-searcher arrays ---------------------------------------------------------------

    def live(self) -> np.ndarray:
        """Mask of the documents not deleted."""
        if self._live is None:
            live = np.ones(self.size, bool)
            if self.reader.has_deletions():
                for leaf, offset in self.leaves:
                    if leaf.has_deletions():
                        segment = getattr(leaf, "_segment", None)
                        dead = np.fromiter(segment.deleted_docs(), np.int64) if segment else \
                            np.setdiff1d(np.arange(leaf.doc_count_all()),
                                         np.fromiter(leaf.all_doc_ids(), np.int64))
                        live[dead + offset] = False
            self._live = live
        return self._live

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in field, decoded from its length byte (as Whoosh)."""
        if field not in self._lengths:
            parts = []
            for leaf, _ in self.leaves:
                raw = np.frombuffer(length_bytes(leaf, field), np.uint8)
                parts.append(np.pad(raw, (0, leaf.doc_count_all() - len(raw))))
            self._lengths[field] = _LENGTHS[np.concatenate(parts)] if parts else np.zeros(0)
        return self._lengths[field]

    # -- postings --------------------------------------------------------------------------

    def postings(self, field: str, text, positions: bool = False) -> list[tuple[int, Postings]]:
        """(segment offset, postings) of one term in every segment that has it."""
        fieldobj = self.schema[field]
        btext = fieldobj.to_bytes(text) if not isinstance(text, bytes) else text
        found = []
        for leaf, offset in self.leaves:
            terms = leaf._terms
            try:
                info = terms.term_info(field, btext)
            except TermNotFound:
                continue
            found.append((offset, read_postings(terms._postfile, info, fieldobj.format,
                                                positions)))
        return found

    def ids(self, field: str, text) -> np.ndarray:
        """Global document numbers of one term (deleted documents included)."""
        parts = [p.ids + offset for offset, p in self.postings(field, text)]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    # -- evaluation ------------------------------------------------------------------------

    def evaluate(self, q: wq.Query, scored: bool = True) -> Match:
        """The documents matching q (deleted ones included) and, if scored, their scores."""
        if not self.fast:
            raise Unsupported("an index segment of another codec")
        kind = type(q)
        if kind is wq.Term:
            return self.term(q, scored)
        if q is wq.NullQuery or kind is type(wq.NullQuery):
            return self.nothing(scored)
        if isinstance(q, wq.Every) and not getattr(q, "fieldname", None):
            return Match(self.live().copy(), None)
        if kind is wq.Phrase:
            return self.phrase(q, scored)
        if kind is wq.Or:
            return self.union([self.evaluate(s, scored) for s in q.subqueries])
        if kind is wq.DisjunctionMax:
            return self.dismax([self.evaluate(s, scored) for s in q.subqueries], q.tiebreak)
        if kind is wq.And:
            return self.conjunction(q.subqueries, scored)
        if kind is wq.Not:
            # Whoosh's InverseMatcher scores every document it matches 1.0.
            mask = ~self.evaluate(q.query, False).mask
            return Match(mask, mask.astype(np.float64) if scored else None)
        if kind is wq.AndNot:
            a = self.evaluate(q.a, scored)
            a.mask &= ~self.evaluate(q.b, False).mask
            return a
        if kind is wq.Require:
            a = self.evaluate(q.a, scored)
            a.mask &= self.evaluate(q.b, False).mask
            return a
        if kind is wq.AndMaybe:
            a = self.evaluate(q.a, scored)
            if scored:
                b = self.evaluate(q.b, True)
                if b.scores is not None:
                    extra = np.where(a.mask & b.mask, b.scores, 0.0)
                    a.scores = extra if a.scores is None else a.scores + extra
            return a
        if kind is wq.NumericRange and q.fieldname in _DATE_FIELDS and self.dated is not None:
            mask = np.zeros(self.size, bool)
            mask[self.dated([q], None)] = True
            # Whoosh scores a numeric range as a constant: its boost.
            return Match(mask, np.where(mask, float(q.boost), 0.0) if scored else None)
        raise Unsupported(kind.__name__)

    def nothing(self, scored: bool) -> Match:
        return Match(np.zeros(self.size, bool), np.zeros(self.size) if scored else None)

    def term(self, q: wq.Term, scored: bool) -> Match:
        field = q.fieldname
        if field not in self.schema:
            return self.nothing(scored)
        try:
            found = self.postings(field, q.text)
        except ValueError:  # a text the field cannot hold
            return self.nothing(scored)
        mask = np.zeros(self.size, bool)
        scores = np.zeros(self.size) if scored else None
        for offset, p in found:
            ids = p.ids + offset
            mask[ids] = True
            if scored:
                found_scores = self.term_scores(field, q.text, ids, p.weights)
                # Whoosh's WrappingMatcher multiplies by the boost, only when it is not 1
                scores[ids] = found_scores * q.boost if q.boost != 1.0 else found_scores
        return Match(mask, scores)

    def term_scores(self, field: str, text, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """BM25F scores of one term's postings, as Whoosh's BM25F computes them."""
        fieldobj = self.schema[field]
        if not fieldobj.scorable:
            return weights.astype(np.float64)
        btext = fieldobj.to_bytes(text) if not isinstance(text, bytes) else text
        idf, K1, B, avgfl = bm25_constants(self.searcher, field, btext)
        fl = self.lengths(field)[ids]
        tf = weights
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def union(self, parts: list[Match]) -> Match:
        mask = np.zeros(self.size, bool)
        scores = None
        for m in parts:
            mask |= m.mask
            if m.scores is not None:
                scores = m.scores.copy() if scores is None else scores + m.scores
        return Match(mask, scores)

    def dismax(self, parts: list[Match], tiebreak: float) -> Match:
        mask = np.zeros(self.size, bool)
        best = total = None
        for m in parts:
            mask |= m.mask
            if m.scores is not None:
                best = m.scores.copy() if best is None else np.maximum(best, m.scores)
                total = m.scores.copy() if total is None else total + m.scores
        if best is not None and tiebreak:
            best = best + (total - best) * tiebreak
        return Match(mask, best)

    def conjunction(self, subqueries, scored: bool) -> Match:
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positive:
            mask = self.live().copy()
            scores = None
        else:
            first = self.evaluate(positive[0], scored)
            mask, scores = first.mask, first.scores
            for sub in positive[1:]:
                m = self.evaluate(sub, scored)
                mask &= m.mask
                if m.scores is not None:
                    scores = m.scores if scores is None else scores + m.scores
        for sub in negative:
            mask &= ~self.evaluate(sub, False).mask
            if scored:  # Whoosh's And adds a NOT clause's score: 1.0 (InverseMatcher)
                scores = np.ones(self.size) if scores is None else scores + 1.0
        return Match(mask, scores)

    def phrase(self, q: wq.Phrase, scored: bool) -> Match:
        """Documents holding q's words at consecutive positions (slop 1, as Whoosh's)."""
        if q.slop != 1:
            raise Unsupported("phrase with slop")
        field = q.fieldname
        if field not in self.schema or not q.words:
            return self.nothing(scored)
        fieldobj = self.schema[field]
        try:
            words = [fieldobj.to_bytes(w) for w in q.words]
        except ValueError:
            return self.nothing(scored)
        lists = []
        for word in words:
            found = self.postings(field, word, positions=True)
            if not found:
                return self.nothing(scored)
            lists.append(_joined(found))
        if any(p.counts is None for p in lists):
            raise Unsupported("phrase over a field without array positions")
        # Documents with every word first, then positions only there.
        common = lists[0].ids
        for p in lists[1:]:
            common = common[_member(common, p.ids)]
        if not len(common):
            return self.nothing(scored)
        keys = None
        for offset, p in enumerate(lists):
            k = _keys(p, common, offset)
            keys = k if keys is None else k[_member(k, keys)] if len(k) < len(keys) else \
                keys[_member(keys, k)]
            if not len(keys):
                return self.nothing(scored)
        docs = keys >> 32
        docs = docs[np.concatenate(([True], docs[1:] != docs[:-1]))]
        mask = np.zeros(self.size, bool)
        mask[docs] = True
        if not scored:
            return Match(mask, None)
        total = np.zeros(len(docs))
        for word, p in zip(words, lists, strict=True):
            at = np.searchsorted(p.ids, docs)
            total = total + self.term_scores(field, word, docs, p.weights[at])
        scores = np.zeros(self.size)
        scores[docs] = total * q.boost if q.boost != 1.0 else total
        return Match(mask, scores)


def _joined(found: list[tuple[int, Postings]]) -> Postings:
    """One term's postings over all segments, with global ids."""
    if len(found) == 1:
        offset, p = found[0]
        return Postings(p.ids + offset, p.weights, p.counts, p.positions)
    return Postings(np.concatenate([p.ids + o for o, p in found]),
                    np.concatenate([p.weights for _, p in found]),
                    None if found[0][1].counts is None else
                    np.concatenate([p.counts for _, p in found]),
                    None if found[0][1].positions is None else
                    np.concatenate([p.positions for _, p in found]))


def _keys(p: Postings, docs: np.ndarray, offset: int) -> np.ndarray:
    """Sorted keys doc << 32 | (position - offset) of p's positions in docs."""
    keep = np.isin(p.ids, docs, assume_unique=True)
    sel = np.repeat(keep, p.counts)
    doc_of = np.repeat(p.ids, p.counts)[sel]
    pos = p.positions[sel] - offset
    ok = pos >= 0
    return (doc_of[ok] << 32) | pos[ok]


def _member(a: np.ndarray, sorted_b: np.ndarray) -> np.ndarray:
    """Mask of a's values present in sorted_b."""
    at = np.searchsorted(sorted_b, a)
    at[at == len(sorted_b)] = 0
    return sorted_b[at] == a
