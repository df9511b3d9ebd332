"""Reading one archive file: bytes in (gzip transparently, size-capped), text out.

Bytes are never assumed to be UTF-8: a BOM wins, then UTF-16 without a BOM (recognised by its
NUL bytes), then strict UTF-8, then the charset an HTML page declares, then cp1252/latin-1 for
legacy text. A file that is mostly UTF-8 with a few broken bytes is decoded with those bytes
replaced and a warning; a few stray NUL bytes are dropped with a warning. Binary files, empty
files, files over the size cap and HTML nested deeper than any browser renders are refused with a
`SkipFile` whose message is the reason users see. At most cap + 1 bytes are ever read.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import io
import os
import re
import stat
import zlib
from dataclasses import dataclass, field

DEFAULT_MAX_SIZE = 50 * 1024 * 1024  # bytes read from one file (after decompression)
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Terminal escape sequences whole (CSI such as ESC[31m, a terminated OSC such as ESC]0;title BEL,
# and the short kinds), so that no "[31m" debris is left once the escape character is gone.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]P^_X][^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?")
# Browsers stop nesting elements at 512 levels (Chromium's limit); a page nested eight times
# deeper is a machine-made trap (100,000 levels take seconds and much memory to parse). Eight
# times, not once: old pages that never close their <font> or <b> tags look deep to the
# estimate below without being so.
MAX_HTML_DEPTH = 4096
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
# Elements that never hold others, or whose end tag HTML lets a page leave out.
_UNCLOSED = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "colgroup", "rb", "rt", "rtc", "rp"})
# C0 and C1 control characters other than tab, newline and carriage return. Scraped pages must not
# be able to send escape sequences to a user's terminal, so these never leave the reader.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The C0 controls that text never holds but binary data is full of (escape, form feed and
# vertical tab are left out: scraped text does carry them; so are bidi marks, which RTL text uses).
_BINARY_HINT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class SkipFile(Exception):
    """This file cannot be indexed; the message says why, in a few words. `lasting` is False
    for a reason that may pass by itself (a permission, a file that vanished)."""

    def __init__(self, reason: str, lasting: bool = True) -> None:
        super().__init__(reason)
        self.lasting = lasting


@dataclass
class Source:
    path: str
    text: str
    kind: str  # "text" or "html"
    encoding: str
    sha1: str
    size: int
    warnings: list[str] = field(default_factory=list)


def is_candidate(name: str) -> bool:
    """Whether a file name looks like an article this reader handles."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(SUFFIXES)


def kind_of(path: str) -> str:
    lower = path.lower().removesuffix(".gz")
    return "html" if lower.endswith(HTML_SUFFIXES) else "text"


def read_bytes(path: str, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """The file's content, decompressed if it is gzip, at most max_size bytes.

    Never reads more than max_size + 1 bytes (of decompressed data for gzip): a file over the cap
    is refused by its size before any read, and one that grows while it is read stops there.
    """
    try:
        # O_NONBLOCK: a FIFO named on the command line must not hang the run (no effect on files).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", buffering=0) as f:  # unbuffered: no read-ahead past the cap
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise SkipFile("is a directory" if stat.S_ISDIR(st.st_mode)
                               else "not a regular file")
            head = _read_upto(f, 2)
            if head == b"\x1f\x8b":
                f.seek(0)
                return _read_gzip(io.BufferedReader(f), max_size)
            if st.st_size > max_size:
                raise SkipFile(f"larger than the size cap of {max_size} bytes (see --max-size)")
            data = head + _read_upto(f, max_size + 1 - len(head))
    except FileNotFoundError:
        raise SkipFile("file vanished before it could be read", lasting=False) from None
    except IsADirectoryError:
        raise SkipFile("is a directory") from None
    except PermissionError:
        raise SkipFile("permission denied", lasting=False) from None
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror or e}", lasting=False) from None
    if len(data) > max_size:
        raise SkipFile(f"larger than the size cap of {max_size} bytes (see --max-size)")
    return data


def _read_upto(f, limit: int) -> bytes:
    """Up to limit bytes from an unbuffered file (a raw read may return fewer than asked)."""
    parts: list[bytes] = []
    while limit > 0:
        part = f.read(min(limit, 1 << 20))
        if not part:
            break
        parts.append(part)
        limit -= len(part)
    return b"".join(parts)


def _read_gzip(f, max_size: int) -> bytes:
    # Read at most max_size + 1 decompressed bytes, so a decompression bomb costs nothing.
    try:
        with gzip.GzipFile(fileobj=f) as gz:
            data = gz.read(max_size + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise SkipFile(f"broken gzip file: {e}") from None
    if len(data) > max_size:
        raise SkipFile(f"decompresses to more than the size cap of {max_size} bytes")
    return data


def decode(data: bytes, kind: str = "text") -> tuple[str, str, list[str]]:
    """Text, encoding name and warnings for raw bytes; raises SkipFile for binary or empty."""
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding, warnings
            except UnicodeDecodeError:
                raise SkipFile(f"invalid {encoding} after its byte-order mark") from None
    if b"\0" in data[:65536]:
        data, found = _without_nuls(data)
        if isinstance(found, str):  # UTF-16 without a byte-order mark
            return _checked(data.decode(found)), found, warnings
        warnings.append(f"{found} NUL byte(s) removed")
    try:
        return _checked(data.decode("utf-8")), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    if kind == "html":
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "replace").lower()
            try:
                return _checked(data.decode(name)), name, warnings
            except (LookupError, UnicodeDecodeError):
                pass
    # Legacy 8-bit text has almost no valid UTF-8 multibyte sequences; UTF-8 with a few
    # damaged bytes has more valid ones than broken ones.
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if ord(c) > 127) - bad
    if multibyte >= max(1, bad):
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced")
        return _checked(text), "utf-8", warnings
    try:
        return _checked(data.decode("cp1252")), "cp1252", warnings
    except UnicodeDecodeError:
        return _checked(data.decode("latin-1")), "latin-1", warnings


def _without_nuls(data: bytes) -> tuple[bytes, int | str]:
    """Data with stray NUL bytes dropped and how many there were; or, when the NULs make a
    pattern, the data as it is and the UTF-16 it is. Raises SkipFile for binary data."""
    sample = data[:65536]
    nuls = sample.count(0)
    if nuls * 4 > len(sample):
        # Text in UTF-16 has a NUL in every other byte (mostly odd ones in little-endian).
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            if zeros * 3 > len(sample) // 2 and others * 20 < zeros:
                with contextlib.suppress(UnicodeDecodeError):
                    data.decode(encoding)
                    return data, encoding
        raise SkipFile("binary file (NUL bytes)")
    if nuls > max(8, len(sample) // 1000):
        raise SkipFile("binary file (NUL bytes)")
    return data.replace(b"\0", b""), data.count(0)


def _checked(text: str) -> str:
    if not text.strip():
        raise SkipFile("empty file")
    sample = text[:65536]
    controls = len(_BINARY_HINT.findall(sample))
    if controls > max(8, len(sample) // 50):
        raise SkipFile("binary file (control characters)")
    return strip_controls(text)


def strip_controls(text: str) -> str:
    """Drop terminal escape sequences, control characters and bidi overrides; keep tab and
    newlines."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPES.sub("", text))


def html_depth(text: str) -> int:
    """How deep a page's elements nest, estimated from its tags alone (no parse): elements that
    hold nothing or may be left open (br, img, p, li, ...) are not counted."""
    depth = deepest = 0
    for m in _TAG.finditer(text):
        if m.group(2).lower() in _UNCLOSED or m.group(0).endswith("/>"):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def read(path: str, max_size: int = DEFAULT_MAX_SIZE) -> Source:
    """Read and decode one file. Raises SkipFile with the reason when it cannot be indexed."""
    data = read_bytes(path, max_size)
    kind = kind_of(path)
    text, encoding, warnings = decode(data, kind)
    if kind == "html" and text.count("<") > MAX_HTML_DEPTH and html_depth(text) > MAX_HTML_DEPTH:
        raise SkipFile(f"HTML nested more than {MAX_HTML_DEPTH} levels deep")
    return Source(
        path=path,
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        kind=kind,
        encoding=encoding,
        sha1=hashlib.sha1(data).hexdigest(),
        size=len(data),
        warnings=warnings,
    )


def display_path(path: str) -> str:
    """A path safe to print: undecodable bytes and control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
