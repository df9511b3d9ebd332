"""WARC and ARC files (`.warc`, `.warc.gz`, `.arc`, `.arc.gz`), read with warcio.

A web archive holds many HTTP exchanges; the articles are its `response` records whose payload
is an HTML page or plain text. Reading is in two steps, both streaming, so memory stays bounded
whatever the file's size:

- `scan` walks the record headers once (payloads are skipped, never held) and returns the
  offsets of the records that may be articles, with counts of the others by reason (robots.txt,
  image, redirect, revisit, truncated, ...). A record whose Content-Length lies, or a damaged
  gzip member, becomes a warning naming the record's offset; the scan finds the next record
  and goes on.
- `read_at` seeks to one record's offset and returns its payload, decoded. Records of a gzipped
  WARC are separate gzip members, so each can be read alone: worker processes share a file's
  records, and `newsdex show --raw` prints one without reading the rest. With the scan's `Hint`
  for the record (where its payload lies, its URL, date and type), a worker takes the payload
  out of the decompressed member without parsing the record a second time; a record the hint
  does not fit (chunked or compressed HTTP content, ARC, a member that is not one record) is
  read with warcio as before.

warcio rather than fastwarc: warcio is pure Python, maintained by Webrecorder, reads ARC as well,
and its cost is small beside extraction (see docs/indexing.md for the figures); fastwarc is a
compiled wheel with its own C++ dependencies, which would buy speed where newsdex spends little.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# How far to look for the next record after a damaged one (bytes); a record start further away
# than this ends the file's scan with a warning.
RESYNC_WINDOW = 64 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RECORD_START = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")


def _iterator(f):
    """warcio's record iterator over f, ARC records read as WARC ones."""
    return _iterator_class()(f, arc2warc=True)


@functools.cache
def _iterator_class():
    # warcio is imported only when an archive is read (it costs a plain-file run ~8 MB).
    from warcio.archiveiterator import ArchiveIterator

    class Iterator(ArchiveIterator):
        # warcio writes a note to stderr when a record's Content-Length does not match its
        # content; newsdex counts those itself (err_count) and reports them as warnings.
        INC_RECORD = ""

    return Iterator


def _failures() -> tuple:
    """The exceptions a damaged archive raises while it is read."""
    from warcio.exceptions import ArchiveLoadFailed

    return (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError)


class Hint(NamedTuple):
    """What the scan learnt of a candidate record, so that reading it needs no second parse:
    its bytes in the file (a gzip member when compressed), its Content-Length, the length of
    its payload (the end of its block, after the HTTP headers), and the payload's metadata."""

    length: int
    block: int
    payload: int
    url: str | None
    date: dt.date | None
    kind: str
    charset: str | None


@dataclass
class Scan:
    """What a scan found: offsets of candidate article records (with a Hint each, or None),
    counts of the rest."""

    offsets: list[int] = field(default_factory=list)
    hints: list[Hint | None] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Payload:
    """One response record's article bytes and what the archive says about them."""

    data: bytes
    url: str | None
    date: dt.date | None
    kind: str  # "html" or "text"
    charset: str | None


def is_warc(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def scan(path: str, start: int = 0) -> Scan:
    """The records of path from byte offset `start` on, sorted into candidates and skips."""
    found = Scan()
    # warcio prints notes on odd records to stderr: newsdex reports its own warnings instead.
    with open(path, "rb") as f, contextlib.redirect_stderr(io.StringIO()):
        offset = start
        while offset is not None:
            offset = _scan_from(f, offset, found)
    return found


def _scan_from(f, offset: int, found: Scan) -> int | None:
    """Scan records from offset; on a damaged record, the offset to resume from (else None).

    A record that fails to parse after others were read is tried again on its own first: the
    damage may be its predecessor's (a gzip member that decompressed to garbage)."""
    f.seek(offset)
    it = _iterator(f)
    at = offset
    try:
        for record in it:
            errors = it.err_count
            reason = skip_reason(record)
            hint = None if reason else _hint(record)
            at = it.get_record_offset()  # reads to the record's end: absolute, f can tell
            if it.err_count > errors:
                # Where this record really ends is unknown: resume at the next record start.
                found.warnings.append(f"record at offset {at}: its Content-Length does not "
                                      f"match its content (skipped)")
                found.skipped["damaged"] += 1
                return _next_start(f, at + 1)
            if reason:
                found.skipped[reason] += 1
            else:
                found.offsets.append(at)
                found.hints.append(hint and hint._replace(length=it.get_record_length()))
            at = at + max(1, it.get_record_length())
    except _failures() as e:
        if at != offset:
            return at
        found.warnings.append(f"record at offset {at}: {_reason(e)}; looking for the next record")
        found.skipped["damaged"] += 1
        return _next_start(f, at + 1)
    return None


def _reason(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:120] or type(e).__name__


def _next_start(f, offset: int) -> int | None:
    """The offset of the next plausible record start (a gzip member or a WARC/1.x line)."""
    f.seek(offset)
    data = f.read(RESYNC_WINDOW)
    candidates = []
    gz = data.find(_GZIP_MAGIC)
    if gz != -1:
        candidates.append(gz)
    m = _RECORD_START.search(data)
    if m:
        candidates.append(m.start(1))
    return offset + min(candidates) if candidates else None


def skip_reason(record) -> str | None:
    """Why a record is not an article, or None if it may be one."""
    kind = record.rec_type
    if kind != "response":
        return kind if kind in ("revisit", "request", "metadata", "warcinfo", "resource",
                                "conversion") else "not a response"
    headers = record.rec_headers
    if headers.get_header("WARC-Truncated"):
        return "truncated"
    url = headers.get_header("WARC-Target-URI") or ""
    if url.split("?", 1)[0].lower().endswith("/robots.txt"):
        return "robots.txt"
    http = record.http_headers
    if http is None:
        return "no HTTP headers"
    status = (http.get_statuscode() or "").strip()
    if status.startswith("3"):
        return "redirect"
    if not status.startswith("2"):
        return f"HTTP {status or 'status missing'}"
    ctype = (http.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    if ctype and ctype not in ARTICLE_TYPES:
        return ctype.split("/", 1)[0] if ctype.startswith(("image/", "video/", "audio/")) \
            else "not HTML or text"
    return None


def _hint(record) -> Hint | None:
    """The Hint of a candidate record whose payload is its block's plain tail, else None."""
    http = record.http_headers
    limit = getattr(record.raw_stream, "limit", None)
    if record.format != "warc" or limit is None or record.length is None or \
            (http.get_header("Content-Encoding") or "identity").strip().lower() != "identity" \
            or (http.get_header("Transfer-Encoding") or "identity").strip().lower() != "identity":
        return None
    return Hint(0, int(record.length), limit, *_metadata(record))


def _metadata(record) -> tuple[str | None, dt.date | None, str, str | None]:
    """(URL, crawl date, "html" or "text", HTTP charset) of a response record."""
    headers = record.rec_headers
    http = record.http_headers
    ctype = (http.get_header("Content-Type") or "") if http else ""
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", ctype, re.I)
    url = headers.get_header("WARC-Target-URI")
    return (url.strip("<>") if url else None, _date(headers.get_header("WARC-Date")),
            "text" if ctype.split(";", 1)[0].strip().lower() == "text/plain" else "html",
            charset.group(1).lower() if charset else None)


def _read_hinted(f, offset: int, max_size: int, hint: Hint) -> Payload | None:
    """The payload where the hint says it is, or None when the bytes there do not fit it."""
    f.seek(offset)
    data = f.read(hint.length)
    if data[:3] == _GZIP_MAGIC:
        unzip = zlib.decompressobj(31)
        try:
            data = unzip.decompress(data)
        except zlib.error:
            return None
        if not unzip.eof or unzip.unused_data:
            return None
    head = data.find(b"\r\n\r\n")
    end = head + 4 + hint.block
    # The record's own trailer (a blank line) must follow the block where the hint ends it.
    if not data.startswith(b"WARC/") or head < 0 or data[end:end + 4] != b"\r\n\r\n":
        return None
    data = data[end - hint.payload:end][:max_size + 1]
    return Payload(data, hint.url, hint.date, hint.kind, hint.charset)


def read_at(path: str, offset: int, max_size: int, opened=None,
            hint: Hint | None = None) -> Payload:
    """The payload of the record at offset (decompressed, HTTP chunking undone), at most
    max_size + 1 bytes. Raises ValueError when there is no readable record there. `opened`:
    the archive already open (a worker reads many records of one archive); `hint`: the scan's
    Hint for the record."""
    with contextlib.ExitStack() as stack:
        f = opened or stack.enter_context(open(path, "rb"))
        if hint is not None:
            payload = _read_hinted(f, offset, max_size, hint)
            if payload is not None:
                return payload
        stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
        f.seek(offset)
        try:
            record = next(iter(_iterator(f)))
            data = record.content_stream().read(max_size + 1)
        except StopIteration:
            raise ValueError("no record at this offset") from None
        except _failures() as e:
            raise ValueError(_reason(e)) from None
        return Payload(data, *_metadata(record))


def _date(value: str | None) -> dt.date | None:
    """WARC-Date (ISO 8601, UTC; ARC dates come converted by warcio) as a date."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
