"""Saved HTML pages: the article's paragraphs, and metadata from markup in order of trust.

Metadata: JSON-LD (NewsArticle and kin), then OpenGraph and article:* meta, then name="author" /
"date" style meta, <time datetime>, itemprop microdata, byline elements, and the canonical URL
(date path segments, host -> outlet). What markup does not give, the plain-text rules find in the
page's header lines (the short texts between the <h1> and the first paragraph: byline, date
stamp, "TNN | Jun 5, 2008") and in the extracted paragraphs afterwards (indexer/extract.py).

Main text: itemprop="articleBody", else the <article> or <main> with the most paragraph text, else
the element whose paragraphs hold the most text (a density fallback). Navigation, asides, forms,
share/related/newsletter/cookie widgets and captions are cut before paragraphs are read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, Tag

from indexer import bylines, cleaner, dates, outlets

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "blogposting", "backgroundnewsarticle", "liveblogposting",
                  "reviewnewsarticle", "socialmediaposting", "report", "webpage"}
_DROP_TAGS = ["script", "style", "noscript", "nav", "aside", "form", "iframe", "svg", "button",
              "figcaption", "footer", "template", "select", "input", "textarea", "dialog"]
_JUNK = re.compile(
    r"share|social|related|recommend|newsletter|subscribe|signup|sign-up|cookie|consent|"
    r"comment|promo|advert|(^|[-_ ])ads?([-_ ]|$)|sidebar|most-?read|popular|trending|"
    r"breadcrumb|(^|[-_ ])nav|menu|masthead|site-header|site-footer|footer|byline|author|"
    r"(^|[-_ ])tags?([-_ ]|$)|paywall|caption|credit|read-?more|more-stories|outbrain|taboola",
    re.I)
_BLOCKS = ["p", "h2", "h3", "h4", "blockquote", "li", "pre"]
_DATE_META = ["article:published_time", "og:published_time", "og:pubdate", "pubdate",
              "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
              "dc.date", "dcterms.created", "parsely-pub-date", "sailthru.date",
              "article.published", "datepublished", "original-publish-date",
              "cxenseparse:recs:publishtime"]
_AUTHOR_META = ["author", "article:author", "byl", "dc.creator", "parsely-author",
                "sailthru.author", "cxenseparse:author"]


@dataclass
class Page:
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # byline, date and kicker lines by the <h1>
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    explain: dict[str, str] = field(default_factory=dict)


def parse_page(html: str, latest: dt.date | None = None) -> Page:
    soup = BeautifulSoup(html, "lxml")
    page = Page()
    ld = _json_ld(soup)
    all_metas = _metas(soup)
    metas = {name: values[0] for name, values in all_metas.items()}
    url = _canonical(soup, metas)
    _find_title(soup, ld, metas, page)
    _find_published(soup, ld, metas, url, latest, page)
    _find_authors(soup, ld, all_metas, page)
    _find_outlet(ld, metas, url, page)
    page.header, page.paragraphs = _paragraphs(soup)
    return page


def _set(page: Page, name: str, value, rule: str) -> bool:
    if value and not getattr(page, name):
        setattr(page, name, value)
        page.explain[name] = rule
    return bool(value)


# --- structured metadata -------------------------------------------------------------------

def _json_ld(soup: BeautifulSoup) -> dict:
    """The first JSON-LD object of an article type, searched through lists and @graph."""
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        for obj in _walk_ld(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types) and (
                obj.get("headline") or obj.get("datePublished") or obj.get("author")
            ):
                return obj
    return {}


def _walk_ld(data):
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_ld(data["@graph"])


def _metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Every <meta> value by lower-cased name, in page order (a page may carry one
    name="author" per author)."""
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if name and content and content.strip():
            found.setdefault(name.lower(), []).append(content.strip())
    return found


def _canonical(soup: BeautifulSoup, metas: dict[str, str]) -> str | None:
    link = soup.find("link", rel="canonical")
    href = link.get("href") if link else None
    return href or metas.get("og:url")


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _find_title(soup, ld, metas, page: Page) -> None:
    _set(page, "title", _text(ld.get("headline")), "JSON-LD headline")
    _set(page, "title", _strip_site(metas.get("og:title"), metas), "og:title")
    h1 = soup.find("h1")
    _set(page, "title", h1.get_text(" ", strip=True) if h1 else None, "<h1>")
    title = soup.find("title")
    _set(page, "title", _strip_site(title.get_text(" ", strip=True) if title else None, metas),
         "<title>")


def _strip_site(title: str | None, metas: dict[str, str]) -> str | None:
    if not title:
        return None
    site = metas.get("og:site_name", "")
    parts = re.split(r"\s+[|–—-]\s+|\s+::\s+", title)
    while len(parts) > 1 and (outlets.table().is_outlet_name(parts[-1])
                              or (site and outlets.key(parts[-1]) == outlets.key(site))):
        parts.pop()
    return " - ".join(parts).strip() or None


def _find_published(soup, ld, metas, url, latest, page: Page) -> None:
    _set(page, "published", dates.parse_iso(_text(ld.get("datePublished")) or "", latest),
         "JSON-LD datePublished")
    for name in _DATE_META:
        if page.published:
            return
        _set(page, "published", dates.parse_iso(metas.get(name, ""), latest), f'meta "{name}"')
    prop = soup.find(attrs={"itemprop": "datePublished"})
    if prop is not None:
        value = prop.get("datetime") or prop.get("content") or prop.get_text(" ", strip=True)
        _set(page, "published", dates.parse_iso(value, latest), 'itemprop="datePublished"')
    time = _article_time(soup)
    if time is not None:
        _set(page, "published", dates.parse_iso(time.get("datetime", ""), latest),
             "<time datetime> in the article header")
    if url:
        _set(page, "published", dates.from_path(urlparse(url).path, latest),
             "date in the canonical URL")


def _article_time(soup) -> Tag | None:
    """The article's own <time>: not one in an aside, a related list or a comment."""
    for time in soup.find_all("time", datetime=True):
        if time.find_parent(["aside", "footer", "nav"]) or any(
            _JUNK.search(" ".join(p.get("class", [])) + " " + (p.get("id") or ""))
            and not re.search("byline|author|meta|header|date|time", " ".join(p.get("class", [])))
            for p in time.parents if isinstance(p, Tag)
        ):
            continue
        if re.search("updated|modified", " ".join(time.get("class", [])) + str(
                time.get("itemprop", "")), re.I):
            continue
        return time
    return None


def _find_authors(soup, ld, metas, page: Page) -> None:
    people = ld.get("author") or ld.get("creator")
    people = people if isinstance(people, list) else [people] if people else []
    names = []
    for person in people:
        if isinstance(person, dict):
            kind = str(person.get("@type", "Person")).lower()
            if "organization" in kind:
                continue
            person = person.get("name")
        if isinstance(person, str):
            names += bylines.parse_names(person) or []
    if _set(page, "authors", _dedupe(names), "JSON-LD author"):
        return
    for name in _AUTHOR_META:
        names = []
        for value in metas.get(name, []):
            if not value.startswith("http"):  # article:author is often a profile URL
                names += bylines.parse_names(re.sub(r"^by\s+", "", value, flags=re.I)) or []
        if _set(page, "authors", _dedupe(names), f'meta "{name}"'):
            return
    props = soup.find_all(attrs={"itemprop": "author"})
    names = []
    for prop in props:
        inner = prop.find(attrs={"itemprop": "name"})
        value = inner.get("content") or inner.get_text(" ", strip=True) if inner else (
            prop.get("content") or prop.get_text(" ", strip=True))
        names += bylines.parse_names(re.sub(r"^by\s+", "", value or "", flags=re.I)) or []
    if _set(page, "authors", _dedupe(names), 'itemprop="author"'):
        return
    for element in _byline_elements(soup):
        text = element.get_text(" ", strip=True)
        found = bylines.from_byline(text)
        if _set(page, "authors", found, "byline element"):
            return


def _byline_elements(soup):
    links = soup.find_all("a", rel="author")
    if links:
        yield _common_parent(links)
    for element in soup.find_all(class_=re.compile(r"byline|author-name|article-author", re.I)):
        if not element.find_parent(["aside", "footer"]):
            yield element


def _common_parent(elements: list[Tag]) -> Tag:
    """The nearest element holding all of `elements` (the byline around two rel=author links)."""
    first = elements[0]
    for parent in [first, *first.parents]:
        if all(e is parent or parent in e.parents for e in elements[1:]):
            return parent
    return first


def _dedupe(names: list[str]) -> list[str]:
    seen, out = set(), []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _find_outlet(ld, metas, url, page: Page) -> None:
    table = outlets.table()
    publisher = _text(ld.get("publisher"))
    site = metas.get("og:site_name")
    host = urlparse(url).hostname if url else None
    _set(page, "outlet", publisher and table.by_name(publisher), "JSON-LD publisher")
    _set(page, "outlet", site and table.by_name(site), "og:site_name")
    _set(page, "outlet", host and table.by_domain(host), f"host of the canonical URL ({host})")
    _set(page, "outlet", publisher, "JSON-LD publisher (not in the outlet table)")
    _set(page, "outlet", site, "og:site_name (not in the outlet table)")


# --- main text -----------------------------------------------------------------------------

def _paragraphs(soup: BeautifulSoup) -> tuple[list[str], list[str]]:
    """(header lines, article paragraphs). Header lines are the short texts between the headline
    and the first paragraph (byline, date, kicker): the plain-text rules read them for metadata
    and they never reach the body."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    header = _header_lines(soup)
    container = _main_container(soup)
    for element in container.find_all("header"):
        if element.find("p") is None or element.find("h1"):
            element.decompose()
    for element in container.find_all(True):
        if element.decomposed or element is container:
            continue
        label = " ".join(element.get("class", [])) + " " + (element.get("id") or "")
        if _JUNK.search(label) and not _holds_article(element):
            element.decompose()
    out: list[str] = []
    for block in container.find_all(_BLOCKS):
        if block.find(_BLOCKS) or block.get(_HEADER_MARK):  # inner blocks are read on their own
            continue
        text = _clean_text(block.get_text(" ", strip=True))
        if text:
            out.append(text)
    return header, out


_HEADER_MARK = "data-newsdex-header"
_HEADER_CLASS = re.compile(r"header|standfirst|sub-?title|sub-?head|summary|strapline|"
                           r"(?:^|[-_ ])dec?k(?:$|[-_ ])", re.I)
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "’", ")")
_LEAF_BLOCKS = {"div", "p", "span", "time", "address", "li", "h2", "h3", "h4", "h5", "h6",
                "section", "a", "small", "strong", "em", "b"}
_CONTAINERS = ["div", "p", "ul", "ol", "li", "section", "header", "h1", "h2", "h3", "h4", "h5",
               "h6", "address", "table", "tr", "td", "article", "main", "figure", "blockquote"]


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"\s+([,.;:!?’”)])", r"\1", text)


def _header_lines(soup: BeautifulSoup) -> list[str]:
    """The short lines after the article's <h1> and before its first paragraph of text."""
    h1 = soup.find("h1")
    if h1 is None:
        return []
    lines: list[str] = []
    for n, element in enumerate(h1.find_all_next(True)):
        if n > 80 or len(lines) >= 12:
            break
        if element.name == "h1" or element.name in ("p", "div") and _is_prose(element):
            break
        if element.name not in _LEAF_BLOCKS or element.find(_CONTAINERS) is not None:
            continue
        if element.find_parent(lambda tag: tag.get(_HEADER_MARK)) is not None:
            continue  # already read as part of an enclosing line
        found = [line for line in (_clean_text(t) for t in _separated_text(element).split("\n"))
                 if line]
        if element.name == "p" and _is_lead(element, lines, found):
            break
        if found:
            element[_HEADER_MARK] = "1"
            lines += found
    return lines


def _is_lead(element: Tag, lines: list[str], found: list[str]) -> bool:
    """A short first paragraph ("The mayor resigned on Tuesday."): a sentence in a <p> outside
    header markup, which the text rules read as body, not as a byline, date stamp or the like."""
    if not found or not found[-1].endswith(_SENTENCE_END) or _in_header_markup(element):
        return False
    classified = cleaner.classify("\n".join(lines + found), title=False, after_title=True)
    return all(line.kind == cleaner.BODY for line in classified[-len(found):])


def _in_header_markup(element: Tag) -> bool:
    """Inside <header> or a standfirst/dek/subtitle/summary element (not one holding the whole
    article)."""
    for tag in (element, *element.parents):
        if not isinstance(tag, Tag) or tag.name in ("body", "html"):
            return False
        label = " ".join(tag.get("class", [])) + " " + (tag.get("id") or "")
        if tag.name == "header" or _HEADER_CLASS.search(label):
            return not _holds_article(tag)
    return False


def _is_prose(element: Tag) -> bool:
    text = element.get_text(" ", strip=True)
    return element.find(_CONTAINERS) is None and len(text.split()) >= 15


def _separated_text(element: Tag) -> str:
    """Text of a header element; adjacent child elements with nothing between them (styled as
    separate lines: a name span, then a role span) are kept apart with " | "."""
    parts: list[str] = []
    previous_tag = False
    for child in element.children:
        if isinstance(child, Tag):
            text = child.get_text(" ")
            if previous_tag and parts and text.strip():
                parts.append(" | ")
            parts.append(text)
            previous_tag = True
        else:
            parts.append(str(child))
            previous_tag = False
    return "".join(parts).strip()


def _holds_article(element: Tag) -> bool:
    return element.find(attrs={"itemprop": "articleBody"}) is not None or len(
        element.find_all("p")) >= 6


def _main_container(soup: BeautifulSoup) -> Tag:
    body = soup.find(attrs={"itemprop": "articleBody"})
    if body is not None:
        return body
    candidates = soup.find_all(["article", "main"]) + soup.find_all(
        class_=re.compile(r"article-body|story-body|entry-content|post-content|article-content|"
                          r"story-content|article__body|body-text", re.I))
    best = max(candidates, key=_paragraph_text, default=None)
    if best is not None and _paragraph_text(best) > 200:
        return best
    return _densest(soup)


def _paragraph_text(element: Tag) -> int:
    return sum(len(p.get_text()) for p in element.find_all("p"))


def _densest(soup: BeautifulSoup) -> Tag:
    """The element whose own <p> children hold the most text: the density fallback."""
    scores: dict[int, tuple[int, Tag]] = {}
    for p in soup.find_all("p"):
        parent = p.parent
        if isinstance(parent, Tag):
            score, _ = scores.get(id(parent), (0, parent))
            scores[id(parent)] = (score + len(p.get_text(strip=True)), parent)
    if not scores:
        return soup.body or soup
    return max(scores.values(), key=lambda pair: pair[0])[1]
