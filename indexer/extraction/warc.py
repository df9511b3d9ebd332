"""WARC and ARC files (`.warc`, `.warc.gz`, `.arc`, `.arc.gz`), read with warcio.

A web archive holds many HTTP exchanges; the articles are its `response` records whose payload
is an HTML page or plain text. Reading is in two steps, both streaming, so memory stays bounded
whatever the file's size:

- `scan` walks the record headers once (payloads are skipped, never held) and returns the
  offsets of the records that may be articles, with counts of the others by reason (robots.txt,
  image, redirect, revisit, truncated, ...). A gzipped WARC in the usual form (one record a
  gzip member, CRLF headers) is scanned with zlib and bytes methods, in half warcio's time;
  warcio reads every other record. A record whose Content-Length lies, or a damaged gzip
  member, becomes a warning naming the record's offset; the scan finds the next record and
  goes on.
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
    """The records of path from byte offset `start` on, sorted into candidates and skips.

    A gzipped WARC's records are taken member by member (`_members`); warcio reads each record
    that path does not fit (and every record of an ARC or an uncompressed WARC)."""
    found = Scan()
    # warcio prints notes on odd records to stderr: newsdex reports its own warnings instead.
    with open(path, "rb") as f, contextlib.redirect_stderr(io.StringIO()):
        offset: int | None = start
        while offset is not None:
            offset, rest = _members(f, offset, found)
            if offset is not None:  # warcio reads the next record (or all the rest)
                offset = _scan_from(f, offset, found, one=not rest)
    return found


def _scan_from(f, offset: int, found: Scan, one: bool = False) -> int | None:
    """Scan records from offset (only the first when `one`); the offset to go on from: after
    the record read when `one`, the resume point after a damaged record, None at the end.

    A record that fails to parse after others were read is tried again on its own first: the
    damage may be its predecessor's (a gzip member that decompressed to garbage)."""
    f.seek(offset)
    it = _iterator(f)
    at = offset
    try:
        for record in it:
            errors = it.err_count
            reason = skip_reason(record)
            hint = None if reason else _hint(record, getattr(record.raw_stream, "limit", None))
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
            if one:
                return at
    except _failures() as e:
        if at != offset:
            return at
        found.warnings.append(f"record at offset {at}: {_reason(e)}; looking for the next record")
        found.skipped["damaged"] += 1
        return _next_start(f, at + 1)
    return None


# --- the scan of a gzipped WARC without warcio ------------------------------------------------
# warcio's header parsing is two thirds of a scan's time (1.3 s for 10,000 records, before any
# worker starts). A gzipped WARC is one gzip member per record: each member is decompressed
# with zlib here and its WARC and HTTP headers split with bytes methods, into the same Hint and
# skip reason. Only the plain form is taken: headers in CRLF lines without continuations, a
# member that is exactly one record whose Content-Length holds, an HTTP/1.x status line. Any
# other record (and a damaged one, whose warning warcio's reading gives) goes to warcio.

_PIECE = 1 << 16  # bytes read, and output taken, at a time
_HEAD = 1 << 16  # the decompressed bytes kept of a member: its WARC and HTTP headers
_HTTP_SCHEMES = ("http:", "https:")


class _Headers:
    """What skip_reason and _metadata ask of warcio's StatusAndHeaders."""

    def __init__(self, fields: dict[str, str], status: str = "") -> None:
        self.fields = fields
        self.status = status

    def get_header(self, name: str) -> str | None:
        return self.fields.get(name.lower())

    def get_statuscode(self) -> str:
        return self.status


class _Record(NamedTuple):
    """What skip_reason, _hint and _metadata ask of warcio's record."""

    format: str
    rec_type: str | None
    rec_headers: _Headers
    http_headers: _Headers | None
    length: int


def _members(f, offset: int, found: Scan) -> tuple[int | None, bool]:
    """Scan the records of a gzipped WARC from offset, one gzip member each. Returns the offset
    of the first record this does not read (None at the file's end), and whether warcio should
    read all the rest: a member larger than its record holds more records (a WARC gzipped
    whole), or a Content-Length that lies."""
    f.seek(offset)
    pending = b""
    while True:
        if len(pending) < len(_GZIP_MAGIC):
            more = f.read(_PIECE)
            if not more and not pending:
                return None, False
            pending += more
        if not pending.startswith(_GZIP_MAGIC):
            return offset, True
        member = _member(f, pending)
        if member is None:
            return offset, False
        head, size, tail, length, pending = member
        warc = _warc_head(head)
        expected = warc[0] + 8 + int(warc[1]["content-length"]) if warc else None
        taken = _plain_record(head, *warc) if expected == size and tail == b"\r\n\r\n" else None
        if taken is None:
            return offset, expected is None or size > expected
        record, payload = taken
        reason = skip_reason(record)
        if reason:
            found.skipped[reason] += 1
        else:
            found.offsets.append(offset)
            hint = _hint(record, payload)
            found.hints.append(hint and hint._replace(length=length))
        offset += length


def _member(f, data: bytes) -> tuple[bytes, int, bytes, int, bytes] | None:
    """One gzip member from data and the file after it: (its first _HEAD decompressed bytes,
    its decompressed size, its last 4 decompressed bytes, its length in the file, the bytes
    read after it), or None when it does not end well."""
    unzip = zlib.decompressobj(31)
    head, size, tail, fed = b"", 0, b"", 0
    while True:
        fed += len(data)
        try:
            while data and not unzip.eof:  # (at the end, the rest is in unused_data)
                out = unzip.decompress(data, _PIECE)
                if len(head) < _HEAD:
                    head += out[:_HEAD - len(head)]
                size += len(out)
                tail = (tail + out[-4:])[-4:]
                data = unzip.unconsumed_tail
        except zlib.error:
            return None
        if unzip.eof:
            rest = unzip.unused_data
            return head, size, tail, fed - len(rest), rest
        data = f.read(_PIECE)
        if not data:
            return None


def _warc_head(head: bytes) -> tuple[int, dict[str, str]] | None:
    """(where the WARC headers end, the headers) of a member's decompressed bytes, or None when
    they are not in the plain form or give no Content-Length."""
    end = head.find(b"\r\n\r\n")
    if not head.startswith((b"WARC/1.0\r\n", b"WARC/1.1\r\n")) or end < 0:
        return None
    fields = _fields(head[10:end])
    if fields is None or not fields.get("content-length", "").isdigit():
        return None
    return end, fields


def _plain_record(head: bytes, end: int,
                  fields: dict[str, str]) -> tuple[_Record, int | None] | None:
    """(the record, its payload's length) of a member that is exactly the record its WARC
    headers (ending at `end`) announce, or None when the record is not in the plain form."""
    block = int(fields["content-length"])
    rec_type = fields.get("warc-type")
    uri = fields.get("warc-target-uri") or ""
    if uri.startswith("<") or " " in uri:
        return None  # warcio rewrites such a URI
    if rec_type != "response" or not block or not uri.startswith(_HTTP_SCHEMES):
        return _Record("warc", rec_type, _Headers(fields), None, block), None
    http = _http_headers(head[end + 4:], block)
    if http is None:
        return None
    headers, used = http
    return _Record("warc", rec_type, _Headers(fields), headers, block), block - used


def _http_headers(block: bytes, length: int) -> tuple[_Headers, int] | None:
    """(the HTTP status and headers, their length in bytes) at the start of a response block."""
    end = block.find(b"\r\n\r\n")
    if block[:8].upper() not in (b"HTTP/1.0", b"HTTP/1.1") or end < 0 or end + 4 > length:
        return None
    line, _, rest = block[8:end].partition(b"\r\n")
    fields = _fields(rest) if rest else {}
    if fields is None or b"\n" in line:
        return None
    status = _decoded(line).strip().split(" ", 1)[0]
    return _Headers(fields, status), end + 4


def _fields(lines: bytes) -> dict[str, str] | None:
    """Header lines as {lower-case name: value} (the first of a name, as warcio's get_header
    returns), or None for a form left to warcio (a bare LF, a continuation line)."""
    try:  # whole, when it can be: a line is UTF-8 when the lines together are
        rows = lines.decode("utf-8").split("\r\n")
    except UnicodeDecodeError:
        rows = [_decoded(line) for line in lines.split(b"\r\n")]
    fields: dict[str, str] = {}
    for row in rows:
        if not row or row[0] in " \t" or "\n" in row:
            return None
        name, sep, value = row.partition(":")
        if sep:
            fields.setdefault(name.rstrip(" \t").lower(), value.lstrip())
    return fields


def _decoded(line: bytes) -> str:
    try:  # as warcio decodes header lines
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("iso-8859-1")


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


def _hint(record, payload: int | None) -> Hint | None:
    """The Hint of a candidate record whose payload (its length: `payload`) is its block's
    plain tail, else None."""
    http = record.http_headers
    if record.format != "warc" or payload is None or record.length is None or \
            (http.get_header("Content-Encoding") or "identity").strip().lower() != "identity" \
            or (http.get_header("Transfer-Encoding") or "identity").strip().lower() != "identity":
        return None
    return Hint(0, int(record.length), payload, *_metadata(record))


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
