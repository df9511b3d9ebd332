"""One file in, one Article out: reader -> cleaner -> metadata (and HTML markup for pages)."""

from __future__ import annotations

import datetime as dt
import os

from indexer import cleaner, metadata, reader
from indexer.article import Article
from indexer.reader import SkipFile, Source

__all__ = ["SkipFile", "extract_file", "extract_source", "extract_text"]


def extract_file(path: str, max_size: int = reader.DEFAULT_MAX_SIZE) -> Article:
    """Read, clean and extract one file. Raises SkipFile when it cannot be indexed."""
    return extract_source(reader.read(path, max_size))


def extract_source(source: Source) -> Article:
    latest = _mtime_date(source.path)
    if source.kind == "html":
        return extract_html(source.text, source.path, latest)
    return extract_text(source.text, source.path, latest)


def _mtime_date(path: str) -> dt.date | None:
    # A publication date after the file was last written is impossible.
    try:
        return dt.date.fromtimestamp(os.stat(path).st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


def extract_text(text: str, path: str, latest: dt.date | None = None) -> Article:
    lines = cleaner.classify(text)
    meta = metadata.from_lines(lines, path, latest)
    return Article(
        path=path,
        title=meta.title,
        authors=meta.authors,
        outlet=meta.outlet,
        published=meta.published,
        published_source=meta.published_source,
        dateline=meta.dateline,
        body="\n\n".join(cleaner.body_paragraphs(lines)),
        removed=cleaner.removed_lines(lines),
        explain=meta.explain,
    )


def extract_html(html: str, path: str, latest: dt.date | None = None) -> Article:
    from indexer.html import parse_page  # bs4 is only needed for pages

    try:
        page = parse_page(html, latest)
    except RecursionError:
        raise SkipFile("HTML nested too deeply to parse") from None
    lines = cleaner.classify("\n".join(page.paragraphs), title=False)
    meta = metadata.from_lines(lines, path, latest)
    explain = {**{k: f"text: {v}" for k, v in meta.explain.items()}, **page.explain}
    published_source = page.explain.get("published") or meta.published_source
    return Article(
        path=path,
        title=page.title or meta.title,
        authors=page.authors or meta.authors,
        outlet=page.outlet or meta.outlet,
        published=page.published or meta.published,
        published_source=published_source if (page.published or meta.published) else None,
        dateline=meta.dateline,
        body="\n\n".join(cleaner.body_paragraphs(lines)),
        removed=cleaner.removed_lines(lines),
        explain=explain,
    )
