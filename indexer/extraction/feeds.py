"""JSON and JSON Lines article feeds (`.json`, `.jsonl`, `.ndjson`, gzipped or not).

One object is one article: news-please's files (one object per file), JSON Lines exports (one
object per line: Media Cloud, newsdex's own `search --jsonl --with-body`) and JSON arrays of
objects. Field names are mapped by `DEFAULT_FIELDS` (the README's table); `--map field=name`
adds a name for a field. The values are evidence, not gospel: the text still goes through the
cleaner, authors through the byline rules, dates through the date rules (see
indexer/extraction/records.py, which turns an object into an Article).

Each object's address in its file is a byte offset: of its line in JSON Lines (in the
decompressed stream for .gz), or its position in the array for plain JSON.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

LINE_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
SUFFIXES = (".json", ".json.gz") + LINE_SUFFIXES

# newsdex field -> the names it is read from, first found wins (case-insensitive).
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("body", "maintext", "text", "story_text", "content", "article_text",
             "articlebody"),
    "authors": ("authors", "author", "byline", "creator", "creators"),
    "published": ("published", "date_publish", "publish_date", "publication_date",
                  "datepublished", "pubdate", "date"),
    "outlet": ("outlet", "media_name", "source_name", "publisher", "site_name", "source"),
    "domain": ("source_domain", "media_url", "domain"),
    "url": ("url", "link", "canonical_url", "guid"),
    "language": ("language", "lang"),
    "dateline": ("dateline",),
    "crawled": ("date_download", "indexed_date", "collect_date", "crawled"),
}


@dataclass
class Scan:
    """Where a feed's objects start, with their line numbers (for messages)."""

    offsets: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_feed(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def is_lines(path: str) -> bool:
    return path.lower().endswith(LINE_SUFFIXES)


def _open(path: str):
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gz else open(path, "rb")


def scan(path: str, start: int = 0, first_line: int = 1, max_size: int = 0) -> Scan:
    """The objects of a feed from `start` (a line boundary of a JSON Lines file) on."""
    found = Scan()
    if not is_lines(path):
        data = _load(path, max_size)
        found.offsets = list(range(len(data))) if isinstance(data, list) else [0]
        found.lines = [0] * len(found.offsets)
        return found
    try:
        with _open(path) as f:
            f.seek(start)
            offset, number = start, first_line
            for line in f:
                if line.strip():
                    found.offsets.append(offset)
                    found.lines.append(number)
                offset += len(line)
                number += 1
    except (OSError, EOFError, zlib.error) as e:
        found.warnings.append(f"line {number}: broken gzip data ({e}); the rest is not read")
    return found


class FeedError(ValueError):
    """A feed file that cannot be read at all; the message says why."""


def _load(path: str, max_size: int):
    try:
        with _open(path) as f:
            raw = f.read(max_size + 1) if max_size else f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise FeedError(f"broken gzip file: {e}") from None
    if max_size and len(raw) > max_size:
        raise FeedError(f"larger than the size cap of {max_size} bytes (see --max-size)")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise FeedError(f"not JSON ({_short(e)})") from None


def objects(path: str, offsets: list[int], max_size: int) -> Iterator[tuple[int, object]]:
    """(offset, object or the error message as a str) for each offset, in order."""
    if not is_lines(path):
        try:
            data = _load(path, max_size)
        except FeedError as e:
            for offset in offsets:
                yield offset, str(e)
            return
        items = data if isinstance(data, list) else [data]
        for offset in offsets:
            yield offset, items[offset] if offset < len(items) else "no such object"
        return
    with _open(path) as f:
        for offset in offsets:
            try:
                f.seek(offset)
                line = f.readline(max_size + 1)
            except (OSError, EOFError, zlib.error) as e:
                yield offset, f"broken gzip data ({_short(e)})"
                return
            if len(line) > max_size:
                yield offset, f"larger than the size cap of {max_size} bytes"
                continue
            try:
                yield offset, json.loads(line)
            except (ValueError, UnicodeDecodeError, RecursionError) as e:
                yield offset, f"not JSON ({_short(e)})"


def raw_object(path: str, offset: int) -> str:
    """One object's text as the file has it (for `show --raw`)."""
    if not is_lines(path):
        data = _load(path, 0)
        item = data[offset] if isinstance(data, list) else data
        return json.dumps(item, ensure_ascii=False, indent=2)
    with _open(path) as f:
        f.seek(offset)
        return f.readline().decode("utf-8", "replace")


def _short(e: Exception) -> str:
    return " ".join(str(e).split())[:100]


def mapping(extra: list[str] | tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """The field names to read: DEFAULT_FIELDS with `field=name` pairs put first."""
    names = {k: list(v) for k, v in DEFAULT_FIELDS.items()}
    for pair in extra:
        key, sep, name = pair.partition("=")
        key, name = key.strip().lower(), name.strip()
        if not sep or key not in names or not name:
            raise ValueError(f"--map {pair!r}: use FIELD=NAME with FIELD one of "
                             f"{', '.join(sorted(names))}")
        names[key].insert(0, name.lower())
    return {k: tuple(v) for k, v in names.items()}


def fields_of(obj: dict, names: dict[str, tuple[str, ...]]) -> dict[str, object]:
    """newsdex field -> the object's value for it (keys compared case-insensitively)."""
    lowered = {str(k).lower(): v for k, v in obj.items()}
    found = {}
    for key, candidates in names.items():
        for name in candidates:
            value = lowered.get(name)
            if value not in (None, "", []):
                found[key] = value
                break
    return found
