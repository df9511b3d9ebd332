"""Reading one archive file: bytes in (gzip transparently, size-capped), text out.

Bytes are never assumed to be UTF-8: a BOM wins, then strict UTF-8, then the charset an HTML page
declares, then cp1252/latin-1 for legacy text. A file that is mostly UTF-8 with a few broken bytes
is decoded with those bytes replaced and a warning. Binary files and empty files are refused with
a `SkipFile` whose message is the reason users see.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import re
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
# C0 and C1 control characters other than tab, newline and carriage return. Scraped pages must not
# be able to send escape sequences to a user's terminal, so these never leave the reader.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class SkipFile(Exception):
    """This file cannot be indexed; the message says why, in a few words."""


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
    """The file's content, decompressed if it is gzip, at most max_size bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(2)
            f.seek(0)
            if head == b"\x1f\x8b":
                return _read_gzip(f, max_size)
            data = f.read(max_size + 1)
    except FileNotFoundError:
        raise SkipFile("file vanished before it could be read") from None
    except IsADirectoryError:
        raise SkipFile("is a directory") from None
    except PermissionError:
        raise SkipFile("permission denied") from None
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror or e}") from None
    if len(data) > max_size:
        raise SkipFile(f"larger than the size cap of {max_size} bytes (see --max-size)")
    return data


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
        raise SkipFile("binary file (NUL bytes)")
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


def _checked(text: str) -> str:
    if not text.strip():
        raise SkipFile("empty file")
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 50):
        raise SkipFile("binary file (control characters)")
    return strip_controls(text)


def strip_controls(text: str) -> str:
    """Drop control and escape characters (and bidi overrides); keep tab and newlines."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def read(path: str, max_size: int = DEFAULT_MAX_SIZE) -> Source:
    """Read and decode one file. Raises SkipFile with the reason when it cannot be indexed."""
    data = read_bytes(path, max_size)
    kind = kind_of(path)
    text, encoding, warnings = decode(data, kind)
    return Source(
        path=path,
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        kind=kind,
        encoding=encoding,
        sha1=hashlib.sha1(data).hexdigest(),
        size=len(data),
        warnings=warnings,
    )


def file_sha1(path: str, max_size: int = DEFAULT_MAX_SIZE) -> str:
    """Content hash of a file as the index records it (of its decompressed bytes)."""
    return hashlib.sha1(read_bytes(path, max_size)).hexdigest()


def display_path(path: str) -> str:
    """A path safe to print: undecodable bytes and control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
