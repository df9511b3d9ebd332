"""newsdex's Whoosh codec: posting blocks stored as arrays, decoded with numpy in one call each.

Whoosh's own codec (whoosh3) writes each block of postings as a pickled, zlib-compressed tuple
in which every position list is a pickle of its own: reading a block costs a Python call per
document and per position list. Here a block is a small fixed header and one zlib-compressed
payload of little-endian integer arrays, each in the narrowest width (1, 2 or 4 bytes) its
largest value needs:

    doc-id deltas (count - 1 of them; the first id is in the header)
    counts        positions per document (position formats only)
    positions     deltas within each document, the first one absolute (position formats only)

A weight equal to count x the field's boost (always so for FastPositions) is not stored; other
weights are stored as float32, or left out when all are 1.0. Formats other than FastPositions
keep their values as a pickled tuple, as whoosh3 does. Segments pickle their codec, so
`ArrayCodec` must stay at this import path: an index written by it is read by it.

Everything else (term dictionary, columns, stored fields, segments, commits) is whoosh3's.
`read_postings` decodes a whole posting list into arrays for newsdex's own scorer
(search/matching.py); `ArrayMatcher` gives Whoosh's matchers the same data posting by posting.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate
from pickle import dumps, loads

from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length, length_to_byte


class LazyNumpy:
    """numpy, imported on first use, for a module's global `np`: `np = LazyNumpy(globals())`.

    Opening an index unpickles this module's codec, and what never decodes a big block
    (`newsdex show`, a rerun that changes nothing, a one-word search) should not pay numpy's
    import, 60-70 ms."""

    def __init__(self, namespace: dict) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str):
        import numpy

        self._namespace["np"] = numpy  # from here on, the module's `np` is numpy itself
        return getattr(numpy, name)


np = LazyNumpy(globals())

BLOCK_LIMIT = 512  # postings per block: few headers, few decode calls
# payload length, count, first id, last id, max weight, min and max length bytes, kinds, widths
_HEAD = struct.Struct("<IHIIfBBBB")
# zlib level for posting payloads and stored groups: level 6 is 2-3% smaller and 30-130% slower
# to write (measured on the shared corpus); reading costs the same.
_LEVEL = 3
_COMPRESS_MIN = 64  # payloads shorter than this are stored as they are (zlib would grow them)

# kinds: bits 0-1 weights, bits 2-3 values, bit 4 compressed, bit 5 the posting list's last block
W_ONES, W_COUNTS, W_FLOATS = 0, 1, 2
V_NONE, V_POSITIONS, V_PICKLE = 0, 4, 8
COMPRESSED = 16
LAST = 32
_DTYPES = ("<u1", "<u2", "<u4")
_SIZES = (1, 2, 4)  # bytes of each
_TYPECODES = ("B", "H", "I")  # the same widths for array (native order: little-endian here)
_SMALL = 8  # blocks of up to this many postings are encoded without numpy


def _width(values: np.ndarray) -> int:
    """Code of the narrowest unsigned width holding every value (0: 1 byte, 1: 2, 2: 4)."""
    top = int(values.max()) if len(values) else 0
    return 0 if top < 0x100 else 1 if top < 0x10000 else 2


def positional(fmt) -> bool:
    """Whether a field format's values are FastPositions' arrays of positions."""
    return getattr(fmt, "array_positions", False)


def encode_block(ids, weights, values, fmt) -> tuple[int, int, bytes]:
    """(kinds, widths, payload) of one block of postings."""
    n = len(ids)
    boost = getattr(fmt, "field_boost", 1.0)
    if positional(fmt) and len(values) == n:
        if n <= _SMALL and sys.byteorder == "little":
            return _encode_small(ids, weights, values, boost)
        return _encode_positions(ids, weights, values, boost)
    deltas = _deltas(np.frombuffer(ids, np.uint32) if isinstance(ids, array) else
                     np.asarray(ids, np.int64))
    widths = _width(deltas)
    parts = [_planes(deltas, widths)]
    kinds = V_NONE
    if values:
        kinds = V_PICKLE
        parts.append(dumps(tuple(values), 2))
    w = np.asarray(weights, np.float32)
    if not np.all(w == 1.0):
        kinds |= W_FLOATS
        parts.insert(1, w.astype("<f4").tobytes())
    return _packed(kinds, widths, parts)


def _deltas(a: np.ndarray) -> np.ndarray:
    return a[1:].astype(np.int64) - a[:-1]


def _encode_positions(ids, weights, values, boost: float) -> tuple[int, int, bytes]:
    n = len(ids)
    deltas = _deltas(np.frombuffer(ids, np.uint32))
    counts = np.fromiter(map(len, values), np.int64, n) >> 2
    flat = np.frombuffer(b"".join(values), np.uint32).astype(np.int64)
    pos = np.empty_like(flat)
    pos[0] = flat[0]
    pos[1:] = flat[1:] - flat[:-1]
    starts = np.cumsum(counts) - counts
    pos[starts] = flat[starts]
    iw, cw, pw = _width(deltas), _width(counts), _width(pos)
    parts = [_planes(deltas, iw)]
    w = np.frombuffer(weights, np.float32)
    kinds = V_POSITIONS
    if np.array_equal(w, counts * np.float32(boost)):
        kinds |= W_COUNTS
    else:
        kinds |= W_FLOATS
        parts.append(w.astype("<f4").tobytes())
    parts.append(_planes(counts, cw))
    parts.append(_planes(pos, pw))
    return _packed(kinds, iw | (cw << 2) | (pw << 4), parts)


def _encode_small(ids, weights, values, boost: float) -> tuple[int, int, bytes]:
    """The same bytes as _encode_positions, in plain Python: cheaper for a few postings (most
    blocks hold one: most terms are rare)."""
    deltas = [b - a for a, b in zip(ids, ids[1:], strict=False)]
    counts = [len(v) >> 2 for v in values]
    flat = array("I")
    flat.frombytes(b"".join(values))
    pos = []
    at = 0
    for c in counts:
        prev = 0
        for p in flat[at:at + c]:
            pos.append(p - prev)
            prev = p
        at += c
    iw, cw, pw = _code(deltas), _code(counts), _code(pos)
    parts = [_small_planes(deltas, iw)]
    kinds = V_POSITIONS
    if all(w == c * boost for w, c in zip(weights, counts, strict=True)):
        kinds |= W_COUNTS
    else:
        kinds |= W_FLOATS
        parts.append(array("f", weights).tobytes())
    parts.append(_small_planes(counts, cw))
    parts.append(_small_planes(pos, pw))
    return _packed(kinds, iw | (cw << 2) | (pw << 4), parts)


def _planes(values: np.ndarray, code: int) -> bytes:
    """values in the width of code, byte planes one after the other (all low bytes, then all
    second bytes, ...): the high planes are mostly zeros, which zlib packs to almost nothing."""
    data = values.astype(_DTYPES[code])
    if code == 0:
        return data.tobytes()
    return data.view(np.uint8).reshape(-1, data.itemsize).T.tobytes()


def _small_planes(values: list[int], code: int) -> bytes:
    """_planes for a short list, in plain Python."""
    if code == 0:
        return bytes(values)
    return b"".join(bytes((v >> shift) & 0xFF for v in values)
                    for shift in range(0, 8 * _SIZES[code], 8))


def _unplanes(raw: bytes, code: int, count: int, at: int) -> np.ndarray:
    dt = _DTYPES[code]
    if code == 0 or count == 0:
        return np.frombuffer(raw, dt, count, at)
    size = _SIZES[code]
    planes = np.frombuffer(raw, np.uint8, count * size, at).reshape(size, count)
    return np.ascontiguousarray(planes.T).view(dt).ravel()


def _code(values: list[int]) -> int:
    top = max(values, default=0)
    return 0 if top < 0x100 else 1 if top < 0x10000 else 2


def _packed(kinds: int, widths: int, parts: list[bytes]) -> tuple[int, int, bytes]:
    payload = b"".join(parts)
    if len(payload) >= _COMPRESS_MIN:
        packed = zlib.compress(payload, _LEVEL)
        if len(packed) < len(payload):
            return kinds | COMPRESSED, widths, packed
    return kinds, widths, payload


class Block:
    """One decoded block: ids (int64), weights (float64), and for position formats the
    positions per document: counts and the flat positions array."""

    __slots__ = ("ids", "weights", "counts", "positions", "values")

    def __init__(self, head: tuple, payload: bytes, boost: float,
                 positions: bool = True) -> None:
        _, count, first, _last, _, _, _, kinds, widths = head
        raw = zlib.decompress(payload) if kinds & COMPRESSED else payload
        at = (count - 1) * _SIZES[widths & 3]
        ids = np.empty(count, np.int64)
        ids[0] = first
        if count > 1:
            np.cumsum(_unplanes(raw, widths & 3, count - 1, 0), out=ids[1:])
            ids[1:] += first
        self.ids = ids
        wkind = kinds & 3
        if wkind == W_FLOATS:
            self.weights = np.frombuffer(raw, "<f4", count, at).astype(np.float64)
            at += 4 * count
        self.counts = self.positions = self.values = None
        vkind = kinds & 12
        if vkind == V_POSITIONS:
            counts = _unplanes(raw, (widths >> 2) & 3, count, at).astype(np.int64)
            at += count * _SIZES[(widths >> 2) & 3]
            self.counts = counts
        if vkind == V_POSITIONS and positions:
            total = int(counts.sum())
            pos = _unplanes(raw, (widths >> 4) & 3, total, at).astype(np.int64).cumsum()
            ends = np.cumsum(counts)
            before = np.zeros(count, np.int64)
            before[1:] = pos[ends[:-1] - 1]
            pos -= np.repeat(before, counts)
            self.positions = pos
        elif vkind == V_PICKLE:
            self.values = loads(raw[at:])
        if wkind == W_ONES:
            self.weights = np.ones(count)
        elif wkind == W_COUNTS:
            self.weights = self.counts * boost


def blocks(data: bytes, boost: float, positions: bool = True):
    """The decoded blocks of one posting list (its bytes)."""
    at = 0
    size = _HEAD.size
    while True:
        head = _HEAD.unpack_from(data, at)
        length = head[0]
        at += size
        yield Block(head, data[at:at + length], boost, positions)
        at += length
        if head[7] & LAST:
            return


class Postings:
    """A whole posting list as arrays: segment-local ids, weights, and for position formats
    the counts and flat positions (positions of ids[i] are positions[starts[i]:][:counts[i]])."""

    __slots__ = ("ids", "weights", "counts", "positions")

    def __init__(self, ids, weights, counts=None, positions=None) -> None:
        self.ids, self.weights, self.counts, self.positions = ids, weights, counts, positions


def read_postings(postfile, terminfo, fmt, with_positions: bool = False) -> Postings:
    """Decode one term's postings in a segment (one read, one decode per block)."""
    boost = float(getattr(fmt, "field_boost", 1.0))
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        return Postings(np.asarray(ids, np.int64), np.asarray(weights, np.float64))
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # whoosh3's W3TermInfo.from_bytes leaves it unpacked
        length = length[0]
    parts = list(blocks(postfile.get(offset, length), boost, with_positions))
    if len(parts) == 1:
        b = parts[0]
        return Postings(b.ids, b.weights, b.counts if with_positions else None,
                        b.positions if with_positions else None)
    ids = np.concatenate([b.ids for b in parts])
    weights = np.concatenate([b.weights for b in parts])
    if with_positions and parts[0].counts is not None:
        return Postings(ids, weights, np.concatenate([b.counts for b in parts]),
                        np.concatenate([b.positions for b in parts]))
    return Postings(ids, weights)


class ArrayPostingsWriter(whoosh3.W3PostingsWriter):
    def add_posting(self, id_, weight, vbytes, length=None):
        # whoosh3's, without its per-posting type assertions.
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def add_many(self, ids: list[int], weights: list[float], values: list[bytes],
                 lengths: list[int] | None) -> None:
        """add_posting for a whole list, a block's slice at a time."""
        limit = self._blocklimit
        n = len(ids)
        i = 0
        while i < n:
            if len(self._ids) >= limit:
                self._write_block()
            j = min(n, i + limit - len(self._ids))
            part = weights[i:j]
            self._ids.extend(ids[i:j])
            self._weights.extend(part)
            top = max(part)
            if top > self._maxweight:
                self._maxweight = top
            self._values.extend(filter(None, values[i:j]))
            if lengths:
                known = list(filter(None, lengths[i:j]))
                if known:
                    low, high = min(known), max(known)
                    if self._minlength is None or low < self._minlength:
                        self._minlength = low
                    if high > self._maxlength:
                        self._maxlength = high
            i = j

    def _write_block(self, last: bool = False) -> None:
        self._terminfo.add_block(self)
        ids = self._ids
        kinds, widths, payload = encode_block(ids, self._weights, self._values, self._format)
        self._postfile.write(_HEAD.pack(
            len(payload), len(ids), ids[0], ids[-1], self._maxweight,
            length_to_byte(self._minlength), length_to_byte(self._maxlength),
            kinds | LAST if last else kinds, widths))
        self._postfile.write(payload)
        self._blockcount += 1
        self._new_block()


class ArrayFieldWriter(whoosh3.W3FieldWriter):
    """whoosh3's field writer, taking the writer's pool a whole term list at a time."""

    def add_postings(self, schema, lengths, items) -> None:
        grouped = getattr(items, "grouped", None)  # indexer.pool.Postings
        if grouped is None:
            super().add_postings(schema, lengths, items)
            return
        current = None
        length_of = None
        for field, term, flat in grouped():
            if field != current:
                if current is not None:
                    self.finish_field()
                self.start_field(field, schema[field])
                current = field
                length_of = lengths.doc_field_length_reader(field) if lengths else None
            ids = flat[0::3]
            self.start_term(term)
            self._postwriter.add_many(ids, flat[1::3], flat[2::3],
                                      list(map(length_of, ids)) if length_of else None)
            self.finish_term()
        if current is not None:
            self.finish_field()


class ArrayMatcher(whoosh3.W3LeafMatcher):
    """whoosh3's leaf matcher over array blocks, for Whoosh's own query matchers."""

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        head = _HEAD.unpack(self._postfile.get(position, _HEAD.size))
        length = head[0]
        if head[7] & LAST:
            self._lastblock = True
        self._head = head
        self._dataoffset = position + _HEAD.size
        self._nextoffset = self._dataoffset + length
        (_, self._blocklength, _, self._maxid, self._maxweight, mnlen, mxlen, _, _) = head
        self._compression = head[7] & COMPRESSED
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)

    def _read_data(self) -> None:
        """Decode the block into lists: ids, weights, values (as Whoosh's matchers and segment
        merges use them)."""
        payload = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        boost = float(getattr(self.format, "field_boost", 1))
        if self._blocklength <= _SMALL and sys.byteorder == "little":
            self._data = _small_lists(self._head, payload, boost)
            return
        block = Block(self._head, payload, boost)
        if block.positions is not None:
            buf = block.positions.astype(np.uint32).tobytes()
            ends = np.cumsum(block.counts).tolist()
            starts = [0] + ends[:-1]
            values = [buf[4 * s:4 * e] for s, e in zip(starts, ends, strict=True)]
        elif block.values is not None:
            values = block.values
        else:
            values = (b"",) * self._blocklength
        self._data = block.ids.tolist(), block.weights.tolist(), values

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = self._data[1]

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        self._values = self._data[2]


class ListBlock:
    """One block of a posting list, decoded as far as a caller asks: what its header says,
    its ids, one posting's weight, or all its weights."""

    __slots__ = ("count", "first", "last", "max_weight", "min_length", "_head", "_payload",
                 "_raw", "_ids")

    def __init__(self, head: tuple, payload: bytes) -> None:
        self.count, self.first, self.last = head[1], head[2], head[3]  # ids segment-local
        self.max_weight = head[4]  # float32: the weights' maximum, to 6e-8
        self.min_length = head[5]  # length byte of the shortest document
        self._head = head
        self._payload = payload
        self._raw: bytes | None = None
        self._ids: list[int] | None = None

    def ids(self) -> list[int]:
        if self._ids is None:
            _, count, first, _, _, _, _, kinds, widths = self._head
            if self._raw is None:
                self._raw = _inflate(self._payload, _before_positions(count, kinds, widths)) \
                    if kinds & COMPRESSED else self._payload
            deltas, _ = _take(self._raw, 0, widths & 3, count - 1)
            self._ids = list(accumulate(deltas, initial=first))
        return self._ids

    def weight(self, i: int, boost: float) -> float:
        """Posting i's weight, as lists() gives it, without decoding the others."""
        _, count, _, _, _, _, _, kinds, widths = self._head
        self.ids()  # inflates the payload as far as the counts
        at = (count - 1) * _SIZES[widths & 3]
        if kinds & 3 == W_FLOATS:
            return struct.unpack_from("<f", self._raw, at + 4 * i)[0]
        if kinds & 3 == W_ONES:
            return 1.0
        size = _SIZES[(widths >> 2) & 3]  # W_COUNTS: the count, in byte planes
        planes = range(at + i, at + i + size * count, count)
        return boost * sum(self._raw[p] << (8 * k) for k, p in enumerate(planes))

    def lists(self, boost: float) -> tuple[list[int], list[float]]:
        """Its ids and weights, read_postings' to the bit."""
        ids, weights, _ = _small_lists(self._head, self._payload, boost, False)
        return ids, weights


def list_blocks(postfile, terminfo) -> list[ListBlock]:
    """One term's posting blocks in a segment (not inlined in the terms file), undecoded: a
    scorer that skips blocks reads their headers only."""
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # whoosh3's W3TermInfo.from_bytes leaves it unpacked
        length = length[0]
    data = postfile.get(offset, length)
    found = []
    at = 0
    while True:
        head = _HEAD.unpack_from(data, at)
        at += _HEAD.size
        found.append(ListBlock(head, data[at:at + head[0]]))
        at += head[0]
        if head[7] & LAST:
            return found


def read_lists(postfile, terminfo, fmt) -> tuple[list[int], list[float]]:
    """One term's segment-local ids and weights, as lists, decoded without numpy: for a
    process that runs one search over short posting lists (search/quick.py). The values are
    read_postings' to the bit."""
    if terminfo.is_inlined():
        ids, weights, _values = terminfo.inlined_postings()
        return list(ids), [float(w) for w in weights]
    boost = float(getattr(fmt, "field_boost", 1.0))
    ids: list[int] = []
    weights: list[float] = []
    for block in list_blocks(postfile, terminfo):
        block_ids, block_weights = block.lists(boost)
        ids += block_ids
        weights += block_weights
    return ids, weights


def _small_lists(head: tuple, payload: bytes, boost: float,
                 positions: bool = True) -> tuple[list, list, list | tuple | None]:
    """(ids, weights, values) of a block of a few postings, decoded in plain Python (numpy's
    per-call cost would dominate: most blocks hold one posting, and merging segments reads
    every block). Without positions, the values are None."""
    _, count, first, _last, _, _, _, kinds, widths = head
    if not kinds & COMPRESSED:
        raw = payload
    elif positions:
        raw = zlib.decompress(payload)
    else:  # the positions come last and are most of the block: inflate only what comes before
        raw = _inflate(payload, _before_positions(count, kinds, widths))
    deltas, at = _take(raw, 0, widths & 3, count - 1)
    ids = list(accumulate(deltas, initial=first))
    wkind, vkind = kinds & 3, kinds & 12
    weights: list = []
    if wkind == W_FLOATS:
        weights = array("f", raw[at:at + 4 * count]).tolist()
        at += 4 * count
    values: list | tuple | None = (b"",) * count if positions else None
    counts: list[int] = []
    if vkind == V_POSITIONS:
        counts, at = _take(raw, at, (widths >> 2) & 3, count)
    if vkind == V_POSITIONS and positions:
        deltas, at = _take(raw, at, (widths >> 4) & 3, sum(counts))
        values, i = [], 0
        for c in counts:
            pos, p = array("I"), 0
            for d in deltas[i:i + c]:
                p = d if not pos else p + d
                pos.append(p)
            values.append(pos.tobytes())
            i += c
    elif vkind == V_PICKLE and positions:
        values = loads(raw[at:])
    if wkind == W_ONES:
        weights = [1.0] * count
    elif wkind == W_COUNTS:
        weights = list(map(boost.__mul__, counts))  # boost * c is c * boost, to the bit
    return ids, weights, values


def _take(raw: bytes, at: int, code: int, n: int) -> tuple[list[int], int]:
    """n integers of width code in byte planes at raw[at:], and the offset after them."""
    size = _SIZES[code]
    end = at + n * size
    if size == 1:
        return list(raw[at:end]), end
    # Each plane goes to every size-th byte of a buffer (a slice assignment, in C), which then
    # holds the integers in little-endian order for array to read.
    words = bytearray(n * size)
    for k in range(size):
        words[k::size] = raw[at + k * n:at + (k + 1) * n]
    return array(_TYPECODES[code], words).tolist(), end


def _before_positions(count: int, kinds: int, widths: int) -> int:
    """Bytes of a block's payload before its positions: id deltas, weights, counts."""
    size = (count - 1) * _SIZES[widths & 3]
    if kinds & 3 == W_FLOATS:
        size += 4 * count
    if kinds & 12 == V_POSITIONS:
        size += count * _SIZES[(widths >> 2) & 3]
    return size


def _inflate(payload: bytes, size: int) -> bytes:
    """The first size bytes of a compressed payload, inflating no further."""
    if size <= 0:  # decompress's max_length of 0 would mean no limit
        return b""
    return zlib.decompressobj().decompress(payload, size)


# -- stored fields, compressed a group of documents at a time ------------------------------------

STORED_GROUP = 16  # documents compressed together: a fifth smaller than one at a time
_GROUP_TAIL = struct.Struct("<QI")  # offset of the group table, number of documents


class GroupedStoredColumn(columns.Column):
    """Stored fields, pickled, compressed STORED_GROUP documents at a time.

    whoosh3 compresses each document's stored fields alone; articles of one archive share most
    of their vocabulary and phrasing, so zlib over a group of them is about 20% smaller (and
    faster to write: fewer, longer compress calls). Reading
    one document decompresses its group (the last group read is kept, for sequential reads).
    Layout: the groups, then the table of group offsets (uint64), then the table's offset and
    the document count.
    """

    def writer(self, dbfile):
        return GroupedStoredColumn.Writer(dbfile)

    def reader(self, dbfile, basepos, length, doccount):
        return GroupedStoredColumn.Reader(dbfile, basepos, length, doccount)

    class Writer(columns.ColumnWriter):
        def __init__(self, dbfile) -> None:
            self._dbfile = dbfile
            self._start = dbfile.tell()
            self._pending: list[bytes] = []
            self._offsets: list[int] = []
            self._count = 0

        def add(self, docnum: int, value) -> None:
            while self._count < docnum:  # documents without stored fields
                self._append(b"")
            self._append(dumps(value, -1))

        def _append(self, data: bytes) -> None:
            self._pending.append(data)
            self._count += 1
            if len(self._pending) == STORED_GROUP:
                self._flush()

        def _flush(self) -> None:
            if not self._pending:
                return
            lengths = array("I", map(len, self._pending))
            if sys.byteorder != "little":
                lengths.byteswap()
            record = struct.pack("<I", len(self._pending)) + lengths.tobytes() + b"".join(
                self._pending)
            self._offsets.append(self._dbfile.tell() - self._start)
            self._dbfile.write(zlib.compress(record, _LEVEL))
            self._pending = []

        def finish(self, doccount: int) -> None:
            while self._count < doccount:
                self._append(b"")
            self._flush()
            table = self._dbfile.tell() - self._start
            self._offsets.append(table)
            self._dbfile.write(np.array(self._offsets, "<u8").tobytes())
            self._dbfile.write(_GROUP_TAIL.pack(table, doccount))

    class Reader(columns.ColumnReader):
        def __init__(self, dbfile, basepos, length, doccount) -> None:
            self._dbfile = dbfile
            self._basepos = basepos
            self._doccount = doccount
            table, count = _GROUP_TAIL.unpack(
                dbfile.get(basepos + length - _GROUP_TAIL.size, _GROUP_TAIL.size))
            groups = (length - _GROUP_TAIL.size - table) // 8
            self._offsets = _little("Q", dbfile.get(basepos + table, groups * 8)).tolist()
            self._count = count
            self._group = -1
            self._docs: list[bytes] = []

        def __len__(self) -> int:
            return self._doccount

        def _load(self, group: int) -> None:
            start, end = self._offsets[group], self._offsets[group + 1]
            record = zlib.decompress(self._dbfile.get(self._basepos + start, end - start))
            n = struct.unpack_from("<I", record)[0]
            lengths = _little("I", record[4:4 + 4 * n]).tolist()
            at = 4 + 4 * n
            docs = []
            for size in lengths:
                docs.append(record[at:at + size])
                at += size
            self._group, self._docs = group, docs

        def __getitem__(self, docnum: int):
            if docnum >= self._count:
                return None
            group = docnum // STORED_GROUP
            if group != self._group:
                self._load(group)
            data = self._docs[docnum % STORED_GROUP]
            return loads(data) if data else None

        def __iter__(self):
            for docnum in range(self._doccount):
                yield self[docnum]


_STORED = GroupedStoredColumn()


def _little(typecode: str, data: bytes) -> array:
    """Little-endian unsigned integers as an array (numpy-free: `newsdex show` reads stored
    fields only)."""
    values = array(typecode, data)
    if sys.byteorder != "little":
        values.byteswap()
    return values


class ArrayPerDocWriter(whoosh3.W3PerDocWriter):
    """whoosh3's per-document writer with grouped stored fields."""

    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, _STORED if fieldname == "_stored" else column)


class VarBytesReader(columns.VarBytesColumn.Reader):
    """whoosh's variable-length column reader, except that a segment of up to 32,768 documents
    (whoosh stores no offsets for those) has its offsets summed in C: whoosh sums them in a
    Python loop, 10-30 ms of a cold search that reads ten ids for its tie-break."""

    def _read_offsets_and_lengths(self) -> None:
        dbfile = self._dbfile
        last = self._basepos + self._length - 1
        code = chr(dbfile.get_byte(last))
        if code == "X":  # offsets stored: whoosh reads them as they are
            super()._read_offsets_and_lengths()
            return
        size = struct.calcsize(code)
        self._lengths = dbfile.get_array(last - size * self._doccount, code, self._doccount)
        self._offsets = array("Q", accumulate(self._lengths, initial=0))


class ArrayPerDocReader(whoosh3.W3PerDocReader):
    def stored_fields(self, docnum):
        value = self._cached_reader("_stored", _STORED)[docnum]
        return {} if value is None else value

    def column_reader(self, fieldname, column):
        if type(column) is columns.VarBytesColumn:
            if fieldname not in self._colfiles:
                self._colfiles[fieldname] = self._get_column_file(fieldname)
            colfile, offset, length = self._colfiles[fieldname]
            return VarBytesReader(colfile, offset, length, self._doccount)
        return super().column_reader(fieldname, column)


def is_array_segment(leaf) -> bool:
    """Whether a segment reader's segment was written by ArrayCodec."""
    segment = getattr(leaf, "_segment", None)
    return segment is not None and isinstance(segment.codec(), ArrayCodec)


def length_bytes(leaf, field: str) -> bytes:
    """A segment's length byte of field for each document, in one read (documents past the end
    have none: length byte 0)."""
    perdoc = leaf._perdoc
    name = f"_{field}_len"
    if not perdoc.has_column(name):
        return b""
    col = perdoc.column_reader(name, whoosh3.LENGTHS_COLUMN)
    return col._dbfile.get(col._basepos, col._count)


class ArrayCodec(whoosh3.W3Codec):
    """whoosh3's codec with array posting blocks and grouped stored fields (vectors, if any,
    stay whoosh3's)."""

    def per_document_writer(self, storage, segment):
        return ArrayPerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return ArrayPerDocReader(storage, segment)

    def field_writer(self, storage, segment):
        return ArrayFieldWriter(self, storage, segment)

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = _LEVEL,
                 inlinelimit: int = 1) -> None:
        super().__init__(blocklimit, compression, inlinelimit)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:
            return super().postings_writer(dbfile, byteids)
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=False,
                                   compression=self._compression,
                                   inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return ArrayMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
