"""Syndicated copies: the same story reprinted by several outlets, recognised at index time.

At index time every body gets a MinHash signature (`signature()`, stored in the `story` column).
At search time `groups()` finds which of a set of documents are copies of each other: LSH band
keys propose candidates, the signatures confirm them.

Method: MinHash with one-permutation hashing over word 3-shingles.
- The cleaned body is lowercased and split into words (punctuation at a word's edges dropped; at
  most the first MAX_WORDS words). Every run of three consecutive words is a shingle.
- Each shingle gets a 64-bit hash (of its words' CRC-32s: the same on every run and machine).
  The hashes fall into BUCKETS buckets by six of their bits; each bucket keeps its smallest hash.
  Two bodies agree in a bucket with probability equal to their Jaccard resemblance J (shared
  shingles / all shingles of the two). The signature keeps two bytes of each bucket's minimum
  (never a zero byte; 00 00 marks a bucket no shingle fell into): 128 bytes per article.
- Candidates: BANDS bands of ROWS buckets each; two bodies with one identical band are
  candidates. That happens with probability 1 - (1 - J^ROWS)^BANDS: 0.74 at J = 0.5, 0.985 at
  0.7, 0.999 at 0.8 and 0.08 at 0.2.
- Copies: candidates whose signatures agree in at least THRESHOLD of the buckets filled in
  either (the estimated resemblance; its standard error is about 0.06 at 0.5).

THRESHOLD = 0.5 means at least half of the two bodies' three-word sequences are the same. A copy
under a new headline (the headline is not part of the body), with an added paragraph (a fifth
more text: J ~ 0.8) or with a few edited words (each edit changes three shingles) stays above
it; two articles on one event written separately share a few phrases (J < 0.1), and articles
built from the same stock sentences stay below 0.3. Bodies with fewer than MIN_SHINGLES
shingles get no signature: a two-line brief is no evidence of syndication.

The signature depends on the body alone, so it is the same whatever order files are indexed in,
and an incremental index equals a full rebuild. Cost: about 0.2 ms for a 600-word article.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import repeat

from indexer.codec import LazyNumpy

BUCKETS = 64
BANDS = 10
ROWS = 3
THRESHOLD = 0.5
MIN_SHINGLES = 40
MAX_WORDS = 1200
SIZE = 2 * BUCKETS  # bytes in a signature
EMPTY = b"\0\0"  # a bucket no shingle fell into
NONE = bytes(SIZE)  # the column's value for a body without a signature

_EDGES = "\"'()[]{}<>.,;:!?*_-/\\|“”‘’«»—–…"
_CACHE_LIMIT = 500_000
_SPANS = [(b * 2 * ROWS, (b + 1) * 2 * ROWS) for b in range(BANDS)]


class _WordHashes(dict):
    """CRC-32 of each word, computed once (news vocabulary repeats)."""

    def __missing__(self, word: str) -> int:
        h = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        if len(self) < _CACHE_LIMIT:
            self[word] = h
        return h


_words = _WordHashes()
np = LazyNumpy(globals())  # numpy, imported by the first signature made (search only compares)


def signature(body: str) -> bytes | None:
    """The body's MinHash signature (SIZE bytes), or None for a body too short to judge."""
    tokens = body.lower().split()[:MAX_WORDS]
    hashes = list(map(_words.__getitem__, filter(None, map(str.strip, tokens, repeat(_EDGES)))))
    # CPython hashes a tuple of ints the same way on every run and 64-bit machine (only str and
    # bytes hashes are salted), and does it in C: the cheapest good 64-bit shingle hash.
    shingles = set(map(hash, zip(hashes, hashes[1:], hashes[2:], strict=False)))
    if len(shingles) < MIN_SHINGLES:
        return None
    return _minima(shingles)


def _minima(shingles: set[int]) -> bytes:
    """Each bucket's smallest hash, two bytes of it (1..255 in each, so a zero byte can only
    mean an empty bucket), as one sort and one pass of numpy."""
    h = np.fromiter(shingles, np.int64, len(shingles))
    h.sort()
    # The first of each bucket in ascending order is its minimum (a stable unique).
    buckets, first = np.unique((h >> 40) & (BUCKETS - 1), return_index=True)
    low = h[first]
    out = np.zeros((BUCKETS, 2), np.uint8)  # 00 00: EMPTY
    out[buckets, 0] = (low >> 8) % 255 + 1  # numpy's % and >> round as Python's do
    out[buckets, 1] = (low & 0xFF) % 255 + 1
    return out.tobytes()


def resemblance(a: bytes, b: bytes) -> float:
    """Estimated Jaccard resemblance of two bodies from their signatures: the share of buckets,
    filled in either, where they agree."""
    if len(a) != SIZE or len(b) != SIZE:
        return 0.0
    return _resemblance(_Lanes(a), _Lanes(b))


# A signature read as one 1024-bit number of BUCKETS 16-bit lanes, compared lane by lane with a
# few big-integer operations (C speed) instead of a Python loop over the buckets.
_LOW15 = int.from_bytes(b"\x7f\xff" * BUCKETS, "big")
_HIGH = int.from_bytes(b"\x80\x00" * BUCKETS, "big")


def _nonzero(v: int) -> int:
    """The top bit of every lane of v that is not zero."""
    return (((v & _LOW15) + _LOW15) | v) & _HIGH


class _Lanes:
    __slots__ = ("value", "empty")

    def __init__(self, sig: bytes) -> None:
        self.value = int.from_bytes(sig, "big")
        self.empty = ~_nonzero(self.value) & _HIGH  # the top bit of every empty bucket


def _resemblance(x: _Lanes, y: _Lanes) -> float:
    same = BUCKETS - _nonzero(x.value ^ y.value).bit_count()
    both_empty = (x.empty & y.empty).bit_count()
    filled = BUCKETS - both_empty
    return (same - both_empty) / filled if filled else 0.0


def groups(signatures: Iterable[tuple[int, bytes]]) -> list[list[int]]:
    """The sets of copies among documents given as (doc, signature): each a sorted list of two
    or more docs, linked by pairs at or above THRESHOLD (a chain of edits is one story)."""
    docs: list[int] = []
    sigs: list[bytes] = []
    for doc, sig in signatures:
        if sig and sig != NONE:
            docs.append(doc)
            sigs.append(sig)
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    views = [_Lanes(sig) if len(sig) == SIZE else None for sig in sigs]
    apart: set[tuple[int, int]] = set()
    for i, j in _candidates(sigs):
        ri, rj = root(i), root(j)
        # Already one story (a big cluster of copies meets itself in every band): no check.
        if ri == rj or (i, j) in apart or views[i] is None or views[j] is None:
            continue
        if _resemblance(views[i], views[j]) >= THRESHOLD:
            parent[max(ri, rj)] = min(ri, rj)
        else:
            apart.add((i, j))
    members: dict[int, set[int]] = {}
    for i in parent:
        members.setdefault(root(i), {root(i)}).add(i)
    return sorted(sorted(docs[i] for i in group) for group in members.values())


def _candidates(sigs: list[bytes]) -> Iterator[tuple[int, int]]:
    """Pairs of positions (i < j) whose signatures have one band in common."""
    for start, end in _SPANS:
        # Counting in C first: nearly every band value is unique, and those need no more work.
        chunks = [sig[start:end] for sig in sigs]
        shared = {c for c, n in Counter(chunks).items() if n > 1 and b"\0" not in c}
        if not shared:
            continue
        holders: dict[bytes, list[int]] = {}
        for i in [i for i, c in enumerate(chunks) if c in shared]:
            holders.setdefault(chunks[i], []).append(i)
        for positions in holders.values():
            for n, i in enumerate(positions[:-1]):
                for j in positions[n + 1:]:
                    yield i, j
