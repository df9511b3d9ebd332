"""The Whoosh schema: the one definition of what an index holds, for the indexer and search alike.

Kept light on purpose (Whoosh, the analysis chain and the standard library only): the search
command imports it and must start fast.

Display fields are stored once; the cleaned body is stored in `content` (Whoosh compresses each
document's stored fields, so it is not compressed twice) and indexed, not stored, in `body`.
Facets and sorting read columns (`outlet`, `authors`, `published`, `dateline`, `story`), never
stored fields, so counting does not load documents.
`filestate` is the indexer's memory of each source file (path, size, mtime, content hash). It
lives in the documents themselves, so it changes in the same atomic commit as they do.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import getitem, itemgetter, methodcaller
from typing import NamedTuple

from whoosh import columns, fields

from indexer.analysis import FastPositions, news_analyzer

# 4: ids named by content (issue 13); 5: language and url (issue 11);
# 6: array posting blocks, grouped stored fields (indexer/codec.py, issue 10)
SCHEMA_VERSION = 6
MARKER = "newsdex.json"  # names an index folder as newsdex's, with its schema version

SIGNATURE_SIZE = 128  # bytes in a `story` signature (indexer.syndication.SIZE)


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        path=fields.ID(stored=True, unique=True),
        filestate=fields.COLUMN(columns.VarBytesColumn()),
        title=_text(stored=True, field_boost=2.0),
        body=_text(),
        content=fields.STORED(),
        # Exact display values; comma-separated because one article has several authors.
        authors=fields.KEYWORD(
            stored=True, commas=True, lowercase=False, scorable=False,
            sortable=columns.RefBytesColumn(),
        ),
        outlet=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
        dateline=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
        # "2022", "2022-12" or "2022-12-19": only as precise as the evidence.
        published=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
        published_source=fields.STORED(),
        # The interval the published value stands for, as YYYYMMDD numbers, for date ranges.
        date_start=fields.NUMERIC(int, bits=32, signed=False),
        date_end=fields.NUMERIC(int, bits=32, signed=False),
        # The body's MinHash signature: syndicated copies of one story are found by comparing
        # them (see indexer/syndication.py). A column only: 128 bytes an article, no index terms.
        story=fields.COLUMN(columns.FixedBytesColumn(SIGNATURE_SIZE)),
        # A web archive record's or feed object's URL (its `path` is the container's PATH#OFFSET).
        url=fields.ID(stored=True),
        # ISO 639-1 code ("de"): a facet, the `lang:` query term, and which stemmer indexed it.
        language=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
    )


def codec():
    """The codec every newsdex writer uses: Whoosh's, with array posting blocks."""
    from indexer.codec import ArrayCodec

    return ArrayCodec()


def _text(stored: bool = False, field_boost: float = 1.0) -> fields.TEXT:
    field = fields.TEXT(analyzer=news_analyzer(), stored=stored, field_boost=field_boost)
    field.format = FastPositions(field_boost=field_boost)
    return field


_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
_first, _second = itemgetter(0), itemgetter(1)
_STEM = slice(None, -41)  # an encoded state without b"\0" and the hash's 40 hex digits
_partition_nul = methodcaller("partition", b"\0")


class FileState(NamedTuple):
    """What the index remembers of one source file (a tuple: a rerun builds one per file)."""

    path: str
    size: int
    mtime_ns: int
    sha1: str  # 40 hex digits (SHA-1)

    def encode(self) -> bytes:
        return b"\0".join(
            [os.fsencode(self.path), b"%d" % self.size, b"%d" % self.mtime_ns, self.sha1.encode()]
        )

    @classmethod
    def decode(cls, raw: bytes) -> FileState:
        path, size, mtime, sha1 = raw.split(b"\0")
        # os.fsdecode, without its per-call lookups
        return cls(path.decode(_FS_ENCODING, _FS_ERRORS), int(size), int(mtime), sha1.decode())

    @staticmethod
    def keys(walked: list[tuple[str, tuple[int, int]]]) -> Iterator[bytes]:
        """The encoded state's first three fields (path, size, mtime) for each file of a walk
        (path, (size, mtime_ns)): what FileState.stems gives, made without a Python call per
        file."""
        paths = map(str.encode, map(_first, walked), repeat(_FS_ENCODING), repeat(_FS_ERRORS))
        stats = list(map(_second, walked))
        fields = zip(paths, map(_first, stats), map(_second, stats), strict=True)
        return map(b"%s\0%d\0%d".__mod__, fields)

    @staticmethod
    def entry(key: bytes) -> tuple[str, tuple[int, int]]:
        """The walk's (path, (size, mtime_ns)) of one of FileState.keys."""
        path, size, mtime = key.split(b"\0")
        return path.decode(_FS_ENCODING, _FS_ERRORS), (int(size), int(mtime))

    @staticmethod
    def stems(raws: list[bytes]) -> Iterator[bytes]:
        """Each encoded state without its hash: what the keys of a walk match."""
        return map(getitem, raws, repeat(_STEM))

    @staticmethod
    def paths(raws: Iterable[bytes]) -> Iterator[str]:
        """The path of each encoded state (without a Python call each)."""
        encoded = map(_first, map(_partition_nul, raws))
        return map(bytes.decode, encoded, repeat(_FS_ENCODING), repeat(_FS_ERRORS))


def date_interval(value: str) -> tuple[int, int]:
    """The first and last day a published value stands for, as YYYYMMDD numbers.

    "2022" stands for 20220101..20221231, "2022-12" for 20221201..20221231 (every month ends on
    day 31 here: the numbers only bound ranges, they are never shown).
    """
    parts = [int(p) for p in value.split("-")]
    year = parts[0] * 10000
    if len(parts) == 1:
        return year + 101, year + 1231
    if len(parts) == 2:
        return year + parts[1] * 100 + 1, year + parts[1] * 100 + 31
    day = year + parts[1] * 100 + parts[2]
    return day, day


def stored_body(stored: dict) -> str:
    """The cleaned body of a stored document (Whoosh compresses stored fields itself)."""
    return stored.get("content") or ""


def write_marker(folder: str) -> None:
    with open(os.path.join(folder, MARKER), "w", encoding="utf-8") as f:
        json.dump({"format": "newsdex", "schema_version": SCHEMA_VERSION}, f)
        f.write("\n")


def read_marker(folder: str) -> dict | None:
    try:
        with open(os.path.join(folder, MARKER), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
