"""One file in, one Article out: reader -> cleaner -> metadata (and HTML markup for pages)."""

from __future__ import annotations

import datetime as dt
import os
import re

from indexer.article import Article
from indexer.extraction import bylines, cleaner, dates, metadata, reader
from indexer.extraction.language import from_markup
from indexer.extraction.reader import SkipFile, Source

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
    cleaner.mark_author_bio(lines, meta.authors)
    return _with_precision(Article(
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
    ))


# A feed saved under an .html name: its root element, after the XML declaration and comments.
_FEED_ROOT = re.compile(r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*"
                        r"<(?:rss|feed|rdf:RDF)\b", re.S)


def extract_html(html: str, path: str, latest: dt.date | None = None,
                 url: str | None = None) -> Article:
    """One saved page. `url`: where it was fetched from (a web archive's record),
    evidence for the outlet and the date when the markup names no canonical URL."""
    if _FEED_ROOT.match(html[:2000]):
        raise SkipFile("an RSS or Atom feed, not an article")
    language = from_markup(html)
    with dates.numeric_order(language):  # "08/01/2014" on a Spanish page is 8 January
        return _page_article(html, path, latest, url, language)


def _page_article(html: str, path: str, latest: dt.date | None, url: str | None,
                  language: str | None) -> Article:
    # lxml, trafilatura, htmldate: only needed for pages
    from indexer.extraction.html import parse_page

    try:
        page = parse_page(html, latest, url)
    except RecursionError:
        raise SkipFile("HTML nested too deeply to parse") from None
    lines = cleaner.classify("\n".join(page.header + page.paragraphs), title=False,
                             after_title=True)
    for line in lines[:len(page.header)]:
        if line.kind == cleaner.BODY and cleaner.word_count(line.text) < 25:
            line.kind = "page-header"  # a kicker or label by the headline, never body text
    for line in lines:
        # A heading of the article ("Maxwell's Equations") is no bare-name byline;
        # a heading that says "By ..." still is.
        if line.kind == "byline" and line.text in page.headings and not \
                bylines.is_byline(line.text, after_title=False):
            line.kind = cleaner.BODY
    footer = cleaner.classify("\n".join(page.footer), title=False)
    meta = metadata.from_lines(lines + footer, path, latest, page=True)
    explain = {**{k: f"text: {v}" for k, v in meta.explain.items()}, **page.explain}
    cleaner.mark_author_bio(lines, page.authors or meta.authors)
    published, source = page.published, page.explain.get("published")
    if meta.published and not page.explicit_date and meta.published_source != "file path":
        # A date the page prints by the headline ("Published March 4, 2023", "TNN | Jun 5,
        # 2008") is a statement; htmldate's and the URL's readings are inferences.
        published, source = meta.published, meta.published_source
        explain["published"] = f"text: {source}"
    if _is_front_page(page.url):  # a site's home page lists stories: none of their dates is its
        published, source = None, None
        explain["published"] = "none: the page is the site's front page"
    outlet = page.outlet or meta.outlet
    if meta.outlet and page.explain.get("outlet", "").startswith("host's brand"):
        outlet = meta.outlet  # the page's own footer names it outright
        explain["outlet"] = f"text: {meta.explain['outlet']}"
    if not outlet and url:
        outlet = _outlet_of_url(url)
        if outlet:
            explain["outlet"] = "host of the record's URL"
    return _with_precision(Article(
        path=path,
        title=page.title or meta.title,
        authors=page.authors or meta.authors,
        outlet=outlet,
        published=published,
        published_source=source if published else None,
        dateline=meta.dateline,
        body="\n\n".join(cleaner.body_paragraphs(lines, rejoin=False)),
        removed=cleaner.removed_lines(lines),
        explain=explain,
        url=url,
        language=language,
    ))


_FRONT_PATHS = {"", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home"}


def _is_front_page(url: str | None) -> bool:
    from urllib.parse import urlsplit

    if not url:
        return False
    parts = urlsplit(url)
    return bool(parts.hostname) and parts.path.lower() in _FRONT_PATHS and not parts.query


def _outlet_of_url(url: str) -> str | None:
    from urllib.parse import urlsplit

    from indexer.extraction import outlets

    host = urlsplit(url).hostname
    return outlets.table().by_domain(host) if host else None


def _with_precision(article: Article) -> Article:
    """`--explain` says how precise the date is: a copyright year is a year, never a day."""
    if article.published and "published" in article.explain:
        precision = {4: "year", 7: "month"}.get(len(article.published), "day")
        article.explain["published"] += f" ({precision} precision)"
    return article
