"""Files that hold many articles (web archives, JSON feeds): addresses, scans, records to Articles.

Each article in such a file has an address, `PATH#OFFSET` (the record's byte offset in a WARC, its
line's offset in JSON Lines, its position in a JSON array), which is its `path` in the index and
its key in the indexer's state. `scan` lists a file's records from an offset on without holding
their content; `read` turns the records at given offsets into Articles, one at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from indexer.article import Article
from indexer.extraction import feeds, reader, warc
from indexer.extraction.reader import SkipFile


@dataclass
class Scan:
    """A container's records to read (offsets, with line numbers for feeds and the scan's
    hints for web archives), the records skipped while scanning by reason, and warnings (each
    naming its record)."""

    offsets: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    hints: list = field(default_factory=list)


def is_container(name: str) -> bool:
    """Whether a file name is a web archive or a JSON feed."""
    return warc.is_warc(name) or feeds.is_feed(name)


def appendable(path: str) -> bool:
    """Whether records appended to this file can be read from where the last run stopped
    (not for gzipped JSON Lines, whose offsets are in the decompressed stream, nor JSON)."""
    lower = path.lower()
    return warc.is_warc(lower) or (feeds.is_lines(lower) and not lower.endswith(".gz"))


def address(path: str, offset: int) -> str:
    return f"{path}#{offset}"


def container_of(value: str) -> str | None:
    """The container path of a record's address (None for a plain file's path)."""
    split = split_address(value)
    return split[0] if split else None


def split_address(value: str) -> tuple[str, int] | None:
    """(container path, offset) for a record's address; None for a plain file's path."""
    path, sep, offset = value.rpartition("#")
    if sep and offset.isdigit() and is_container(path):
        return path, int(offset)
    return None


def scan(path: str, start: int, first_line: int, max_size: int) -> Scan:
    """The records of a container from byte offset start on (first_line: its line number)."""
    if warc.is_warc(path):
        found = warc.scan(path, start)
        return Scan(found.offsets, [0] * len(found.offsets), found.skipped, found.warnings,
                    found.hints)
    try:
        found = feeds.scan(path, start, first_line, max_size)
    except feeds.FeedError as e:
        raise SkipFile(str(e)) from None
    return Scan(found.offsets, found.lines, Counter(), found.warnings,
                [None] * len(found.offsets))


@dataclass
class Options:
    """How records become articles: the size cap and the JSON field names."""

    max_size: int = reader.DEFAULT_MAX_SIZE
    names: dict = field(default_factory=feeds.mapping)


def read(path: str, offsets: list[int], lines: list[int], opts: Options,
         hints: list | None = None) -> Iterator[tuple[str, Article | str, list[str], str | None]]:
    """(address, Article or the reason it was skipped, warnings, SHA-1 of the record's content)
    for each record offset (hints: the scan's, one per offset, for a web archive)."""
    if warc.is_warc(path):
        with open(path, "rb") as f:
            for offset, hint in zip(offsets, hints or [None] * len(offsets), strict=True):
                yield (address(path, offset), *_warc_article(path, offset, opts, f, hint))
        return
    numbers = dict(zip(offsets, lines, strict=True))
    for offset, obj in feeds.objects(path, offsets, opts.max_size):
        where = _where(path, offset, numbers.get(offset))
        if isinstance(obj, str):
            yield address(path, offset), obj, [f"{where}: {obj} (skipped)"], None
            continue
        try:
            article = from_object(obj, address(path, offset), opts.names)
        except SkipFile as e:
            yield address(path, offset), str(e), [], None
            continue
        except Exception as e:  # a bug on one record must cost that record, not the run
            reason = f"cannot be extracted ({type(e).__name__}: {e})"
            yield address(path, offset), reason, [f"{where}: {reason}"], None
            continue
        content = json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()
        yield address(path, offset), article, [], hashlib.sha1(content).hexdigest()


def _where(path: str, offset: int, line: int | None) -> str:
    return f"line {line}" if line else f"object {offset + 1}"


def _warc_article(path: str, offset: int, opts: Options, opened,
                  hint: warc.Hint | None) -> tuple[Article | str, list[str], str | None]:
    try:
        payload = warc.read_at(path, offset, opts.max_size, opened, hint)
    except ValueError as e:
        return "damaged", [f"record at offset {offset}: {e} (skipped)"], None
    if len(payload.data) > opts.max_size:
        return "larger than the size cap", [], None
    found, warnings = _payload_article(path, offset, payload)
    return found, warnings, hashlib.sha1(payload.data).hexdigest()


def _payload_article(path: str, offset: int,
                     payload: warc.Payload) -> tuple[Article | str, list[str]]:
    from indexer.extraction.extract import extract_html, extract_text

    try:
        text, _encoding, warnings = _decode(payload)
        if payload.kind == "html" and text.count("<") > reader.MAX_HTML_DEPTH and \
                reader.html_depth(text) > reader.MAX_HTML_DEPTH:
            raise SkipFile("HTML nested too deeply")
        # The URL stands for the file's path in the date rules (/2023/05/06/ in a URL is the
        # page's own date); the crawl date only bounds the publication date.
        where = payload.url or address(path, offset)
        latest = payload.date + dt.timedelta(days=1) if payload.date else None
        if payload.kind == "html":
            article = extract_html(text, where, latest, url=payload.url)
        else:
            article = extract_text(text, where, latest)
    except SkipFile as e:
        return str(e), []
    except RecursionError:
        return "too deeply nested to parse", []
    except Exception as e:  # as for files: one record, never the run
        reason = f"cannot be extracted ({type(e).__name__}: {e})"
        return reason, [f"record at offset {offset}: {reason}"]
    if not article.body.strip():
        return "no article text", []
    article.path = address(path, offset)
    article.url = payload.url
    return article, [f"record at offset {offset}: {w}" for w in warnings]


def _decode(payload: warc.Payload) -> tuple[str, str, list[str]]:
    """The payload as text: the HTTP charset when it decodes cleanly, else the reader's rules."""
    if payload.charset:
        try:
            text = payload.data.decode(payload.charset)
            if text.strip():
                return reader.strip_controls(text).replace("\r\n", "\n"), payload.charset, []
        except (LookupError, UnicodeDecodeError):
            pass
    text, encoding, warnings = reader.decode(payload.data, payload.kind)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, warnings


# --- JSON objects ------------------------------------------------------------------------------

def from_object(obj, where: str, names: dict) -> Article:
    """An Article from one feed object: its text cleaned, its metadata checked by the same rules
    as a page's, and text-derived metadata where the object gives none."""
    from indexer.extraction import cleaner, dates, metadata

    if not isinstance(obj, dict):
        raise SkipFile("not a JSON object")
    given = feeds.fields_of(obj, names)
    body = _text(given.get("body"))
    if not body.strip():
        raise SkipFile("no article text")
    body = reader.strip_controls(body).replace("\r\n", "\n")
    url = _text(given.get("url")) or None
    latest = _crawled(given.get("crawled"))
    lines = cleaner.classify(body, title=False, after_title=True)
    meta = metadata.from_lines(lines, url or where, latest)
    authors = clean_authors(given["authors"]) if "authors" in given else meta.authors
    cleaner.mark_author_bio(lines, authors)
    published = dates.parse_iso(_text(given.get("published")), latest) if given.get(
        "published") else None
    outlet = _outlet(given, url) or meta.outlet
    article = Article(
        path=where,
        title=" ".join(_text(given.get("title")).split()) or meta.title,
        authors=authors,
        outlet=outlet,
        published=published or meta.published,
        published_source="feed" if published else meta.published_source,
        dateline=_text(given.get("dateline")) or meta.dateline,
        body="\n\n".join(cleaner.body_paragraphs(lines)),
        removed=cleaner.removed_lines(lines),
    )
    if not article.body.strip():
        raise SkipFile("no article text after cleaning")
    article.url = url
    article.language = _text(given.get("language")).lower()[:12] or None
    return article


def clean_authors(value) -> list[str]:
    """Author names from a feed's author field, by the byline rules: "Staff", an outlet's name
    or an e-mail address is no author; "By A and B" is two."""
    from indexer.extraction import bylines

    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in items:
        text = " ".join(_text(item.get("name") if isinstance(item, dict) else item).split())
        if not text:
            continue
        name = bylines.normalise(text)
        names = [name] if bylines.is_name(name) else bylines.from_byline(text)
        for n in names:
            if n not in found:
                found.append(n)
    return found


def _outlet(given: dict, url: str | None) -> str | None:
    from indexer.extraction import outlets

    table = outlets.table()
    name = " ".join(_text(given.get("outlet")).split())
    if name and "." in name and " " not in name:  # a domain given as the source
        return table.by_domain(name) or name
    if name:
        return table.by_name(name) or name
    host = _text(given.get("domain")) or (urlsplit(url).hostname if url else "")
    return table.by_domain(urlsplit(host).hostname or host) if host else None


def _crawled(value) -> dt.date | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", _text(value))
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups())) + dt.timedelta(days=1)
    except ValueError:
        return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(_text(v) for v in value)
    return value if isinstance(value, str) else str(value)


def raw(path: str, offset: int) -> str:
    """One record's content as the file holds it (a WARC payload decoded; a feed's object)."""
    if warc.is_warc(path):
        payload = warc.read_at(path, offset, 1 << 30)
        return _decode(payload)[0]
    return feeds.raw_object(path, offset)


def original(path: str) -> str:
    """What an article was read from, for `newsdex show --raw`: a file as on disk (gzip undone,
    decoded as the reader decodes it), or a record's content (PATH#OFFSET, read by seeking to
    its offset); control characters and escape sequences removed, ending in a newline."""
    from indexer.errors import NewsdexError

    split = split_address(path)
    try:
        if split:
            text = raw(*split)
        else:
            text = reader.decode(reader.read_bytes(path, max_size=1 << 30),
                                 reader.kind_of(path))[0]
    except (SkipFile, OSError, ValueError) as e:
        raise NewsdexError(f"cannot show {path}: {e}") from None
    text = reader.strip_controls(text).replace("\r", "")  # as the renderer prints text
    return text if text.endswith("\n") else text + "\n"
