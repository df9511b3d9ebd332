"""Saved HTML pages: parsed once with lxml; the main text from trafilatura, the date from
htmldate, and newsdex's own metadata evidence on the same tree.

Metadata, in order of trust: JSON-LD (NewsArticle and kin), OpenGraph and article:* meta,
name="author" / "date" style meta, itemprop microdata, <time datetime> in the article header,
byline elements, the canonical URL (or the URL the page was fetched from: date path segments,
host -> outlet). htmldate's answer stands behind the page's explicit markup; the short lines
between the <h1> and the first paragraph (byline, date stamp, "TNN | Jun 5, 2008") go to the
plain-text rules afterwards (indexer/extraction/extract.py), with the paragraphs trafilatura finds.

Speed: the page is parsed once, and trafilatura (its fast mode: no readability/jusText
comparison) and htmldate (no extensive search through the text) work on copies of that tree.
"""

from __future__ import annotations

import datetime as dt
import html as entities
import json
import logging
import re
import warnings
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from urllib.parse import urlparse

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from indexer.extraction import bylines, cleaner, dates, outlets

# The libraries log every page they cannot use ("discarding data", "empty HTML tree") and
# dateparser warns about time zones: none of that is the user's business on a terminal.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)
warnings.filterwarnings("ignore", module=r"(trafilatura|htmldate|dateparser|justext|courlan)")

from htmldate import find_date  # noqa: E402  (after the loggers are quiet)
from trafilatura import bare_extraction  # noqa: E402

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "blogposting", "backgroundnewsarticle", "liveblogposting",
                  "reviewnewsarticle", "socialmediaposting", "report", "webpage", "posting"}
_JUNK = re.compile(
    r"share|social|related|recommend|newsletter|subscribe|signup|sign-up|cookie|consent|"
    r"comment|promo|advert|(^|[-_ ])ads?([-_ ]|$)|sidebar|most-?read|popular|trending|"
    r"breadcrumb|(^|[-_ ])nav|menu|masthead|site-header|site-footer|footer|"
    r"(^|[-_ ])tags?([-_ ]|$)|paywall|caption|credit|read-?more|more-stories|outbrain|taboola",
    re.I)
_DATE_META = ["article:published_time", "og:published_time", "og:pubdate", "pubdate",
              "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
              "dc.date", "dcterms.created", "dcterms.date", "parsely-pub-date", "sailthru.date",
              "article.published", "datepublished", "original-publish-date",
              "cxenseparse:recs:publishtime", "citation_publication_date"]
_AUTHOR_META = ["author", "article:author", "byl", "dc.creator", "parsely-author",
                "sailthru.author", "cxenseparse:author", "citation_author"]
_XP_LD = etree.XPath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
_XP_CANONICAL = etree.XPath('//link[contains(concat(" ", normalize-space(@rel), " "), '
                            '" canonical ")]/@href')
_XP_ASIDES = etree.XPath(
    '//aside | //footer | //nav | //*[contains(@class, "comment") or contains(@id, "comment") '
    'or contains(@class, "sidebar") or contains(@class, "related") or contains(@class, "widget")'
    ' or contains(@class, "trending") or contains(@class, "popular") or contains(@class, "recent")'
    ' or contains(@class, "most-read")]')
# Containers that are never the article, whatever trafilatura's scores say: side columns,
# trending lists, newsletter boxes.
_CLASS = 'concat(" ", normalize-space(@class), " ")'
_PRUNE = (f'//*[contains({_CLASS}, " side ") or contains({_CLASS}, " sidebar ") or '
          'contains(@class, "trending") or contains(@class, "most-read") or '
          'contains(@class, "newsletter")][not(.//h1)]')
_UPDATED = re.compile(r"\b(?:updated|modified)\b", re.I)
# Byline markup: a cheap XPath on the class's letters, then the exact test in Python.
_XP_BYLINE = etree.XPath(
    '//a[@rel="author"] | //*[contains(@class, "yline") or contains(@class, "uthor") or '
    'contains(@class, "YLINE") or contains(@class, "UTHOR")][not(ancestor::aside or '
    'ancestor::footer)]')
_BYLINE_CLASS = re.compile(r"byline|author-name|article-author|author__name|^\s*author\s*$",
                           re.I)
_XP_TEXT = etree.XPath('.//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]')
_XP_FOLLOWING = etree.XPath("following::*[position() <= 80]")
# Copyright lines anywhere on the page; those outside paragraphs and the article are its footer.
_XP_RIGHTS = etree.XPath('//body//text()[contains(., "©") or contains(., "opyright")]'
                         '[not(ancestor::script or ancestor::style)]')


@dataclass
class Page:
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # byline, date and kicker lines by the <h1>
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    explicit_date: bool = False  # the date is the page's own statement, not a guess
    url: str | None = None
    footer: list[str] = field(default_factory=list)  # the site's copyright lines
    explain: dict[str, str] = field(default_factory=dict)
    # lines that are headings (h2-h6 by the headline, <head> in trafilatura's text)
    headings: set[str] = field(default_factory=set)


def parse_page(html: str, latest: dt.date | None = None, url: str | None = None) -> Page:
    """Metadata and main text of one page. `url`: where the page was fetched from, evidence
    when the markup names no canonical URL."""
    page = Page()
    tree = _parse(html)
    if tree is None:
        return page
    ld = _json_ld(tree)
    all_metas = _metas(tree)
    metas = {name: values[0] for name, values in all_metas.items()}
    page.url = _canonical(tree, metas) or url
    _find_title(tree, ld, metas, page)
    page.header = _header_lines(tree, page.headings)
    _find_published(tree, ld, metas, latest, page)
    _find_authors(tree, ld, all_metas, page)
    page.footer = [" ".join(t.split()) for t in _XP_RIGHTS(tree)
                   if not any(a.tag in ("p", "article") for a in _text_ancestors(t))][:5]
    _find_outlet(tree, ld, metas, page)
    _strip_names(page)
    # A site that files its own name as the author ("Московский Комсомолец"): no person.
    brands = {outlets.key(n) for n in (metas.get("og:site_name"), _text(ld.get("publisher")),
                                       outlets.open_name(metas.get("og:site_name") or ""))
              if n}
    page.authors = [a for a in page.authors if outlets.key(a) not in brands]
    page.paragraphs = _main_text(tree, page)
    return page


_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                                remove_pis=True)
_PARSER_UTF8 = lxml.html.HTMLParser(collect_ids=False, default_doctype=False,
                                    remove_comments=True, remove_pis=True, encoding="utf-8")


def _parse(html: str) -> HtmlElement | None:
    """The page's tree, parsed once for every reader (trafilatura's own loader would first run
    regex repairs over the whole text; lxml's parser recovers from the same breakage)."""
    try:
        try:
            tree = lxml.html.document_fromstring(html, parser=_PARSER)
        except ValueError:  # a str that declares its own encoding: lxml wants bytes then
            tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"),
                                                 parser=_PARSER_UTF8)
    except (ValueError, TypeError, etree.ParserError, UnicodeError):
        return None
    return tree if len(tree) else None


def _set(page: Page, name: str, value, rule: str) -> bool:
    if value and not getattr(page, name):
        setattr(page, name, value)
        page.explain[name] = rule
    return bool(value)


def _text_of(element) -> str:
    return " ".join(" ".join(_XP_TEXT(element)).split())


# --- structured metadata -------------------------------------------------------------------

def _json_ld(tree: HtmlElement) -> dict:
    """The first JSON-LD object of an article type, searched through lists and @graph."""
    for script in _XP_LD(tree):
        text = (script.text or "").strip()
        if text.startswith("<![CDATA["):  # XHTML habit: the JSON wrapped in a CDATA section
            text = text.removeprefix("<![CDATA[").removesuffix("]]>")
        try:
            data = json.loads(text)
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


def _metas(tree: HtmlElement) -> dict[str, list[str]]:
    """Every <meta> value by lower-cased name, in page order (a page may carry one
    name="author" per author)."""
    found: dict[str, list[str]] = {}
    for tag in tree.iter("meta"):
        name = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if name and content and content.strip():
            found.setdefault(name.lower(), []).append(content.strip())
    return found


def _canonical(tree: HtmlElement, metas: dict[str, str]) -> str | None:
    hrefs = [h for h in _XP_CANONICAL(tree) if h.startswith("http")]
    og = metas.get("og:url", "")
    return hrefs[0] if hrefs else og if og.startswith("http") else None


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _find_title(tree, ld, metas, page: Page) -> None:
    """The headline as the page shows it: the <h1> when the page's <title>, og:title or JSON-LD
    headline vouches for it (an <h1> may be the site's logo, or the site's name), else the
    first of those that is not just the site's name."""
    h1 = next(tree.iter("h1"), None)
    heading = _text_of(h1) if h1 is not None else None
    title = next(tree.iter("title"), None)
    raw = " ".join(_text_of(title).split()) if title is not None else ""
    candidates = [(_text(ld.get("headline")), "JSON-LD headline"),
                  (_strip_site(metas.get("og:title"), metas), "og:title"),
                  (heading, "<h1>"), (_strip_site(raw, metas), "<title>")]
    settled = _title_around_heading(heading, raw, ld, metas) if heading else None
    if settled:
        _set(page, "title", *settled)
        return
    site = outlets.key(metas.get("og:site_name") or "")
    for text, rule in candidates:
        if text and outlets.key(text) != site:
            _set(page, "title", text, rule)
            return


def _title_around_heading(heading: str, raw: str, ld: dict,
                          metas: dict[str, str]) -> tuple[str, str] | None:
    """What the <title> says of the <h1>: (headline, rule) if it settles the title."""
    key = outlets.key(heading)
    parts = _TITLE_PARTS.split(raw)
    prefixed = _SITE_PREFIX.match(raw)
    if prefixed and key == outlets.key(prefixed.group(1)):
        # "Silicon Exposed: Open Verilog flow ...": the <h1> is the site's name
        return prefixed.group(2), "<title>, after the site's name in the <h1>"
    elif len(parts) >= 2 and key and outlets.key(parts[-1]).startswith(key):
        # "Headline | ประชาไท Prachatai.com" under an <h1> "ประชาไท": the <h1> is the site's name
        return parts[0], "<title>, before the site's name in the <h1>"
    elif len(key) > 3 and any(key in outlets.key(text or "")
                              for text in (raw, metas.get("og:title"), _text(ld.get("headline")))):
        return heading, "<h1>, as <title> or og:title has it"
    elif len(parts[0]) > 15 and heading != parts[0] and heading.startswith(parts[0]):
        # An <h1> that runs on past the <title>'s headline part holds more (a logo's text).
        return parts[0], "<title>, where the <h1> runs on past it"


def _strip_names(page: Page) -> None:
    """A title's tail that names the outlet or an author ("... - Eleanor Ainge Roy")."""
    if not page.title:
        return
    names = {outlets.key(n) for n in (page.outlet, *page.authors) if n}
    parts = re.split(r"(\s+(?:[|–—-]|--|::)\s+)", page.title)
    while len(parts) > 2 and (outlets.key(parts[-1]) in names
                              or outlets.open_name(parts[-1]) == page.outlet):
        parts = parts[:-2]
    page.title = "".join(parts)


# "Headline | Section » Site"; Chinese sites join the parts with "_" ("标题_科技_腾讯网").
# Between CJK words the separator may stand without spaces: "短缺药品保供稳价-新华网".
_CJK = "\u3000-\u9fff\uff00-\uffef"
_TITLE_PARTS = re.compile(rf"\s+[|–—»·-]\s+|\s+::\s+|(?<=[{_CJK}])\s*[_｜]\s*"
                          rf"|\s*[_｜]\s*(?=[{_CJK}])|(?<=[{_CJK}])-(?=[{_CJK}])")


def _strip_site(title: str | None, metas: dict[str, str]) -> str | None:
    if not title:
        return None
    site = metas.get("og:site_name", "")
    parts = _TITLE_PARTS.split(" ".join(title.split()))
    while len(parts) > 1 and (outlets.table().is_outlet_name(parts[-1])
                              or (site and outlets.key(parts[-1]) == outlets.key(site))):
        parts.pop()
    return " - ".join(parts).strip() or None


def _find_published(tree, ld, metas, latest, page: Page) -> None:
    """The page's explicit statements first (JSON-LD, meta, microdata: never "modified"), then
    htmldate's reading of the page, then the article's own <time> and the URL."""
    explicit = [(_text(ld.get("datePublished")) or "", "JSON-LD datePublished")]
    explicit += [(metas.get(name, ""), f'meta "{name}"') for name in _DATE_META]
    for prop in tree.xpath('//*[@itemprop="datePublished"]')[:1]:
        value = prop.get("datetime") or prop.get("content") or _text_of(prop)
        explicit.append((value, 'itemprop="datePublished"'))
    for value, rule in explicit:
        if value and _set(page, "published", dates.parse_iso(value, latest, explicit=True), rule):
            page.explicit_date = True
            return
    own, elsewhere = _times(tree)
    if own and _set(page, "published", dates.parse_iso(own[0].get("datetime", ""), latest),
                    "<time datetime> in the article header") and len(page.published) == 10:
        # The site's machine-readable day: its printed text ("December 2, 2016" for
        # 2016-12-01T23:29Z) is the same moment in the reader's time zone, not a later day.
        page.explicit_date = True
    for element in _XP_HATOM_PUBLISHED(tree)[:1]:  # hAtom: class="published" ("3/09/15 8:00am")
        value = element.get("title") or element.get("datetime") or _text_of(element)
        _set(page, "published", dates.parse_iso(value, latest) or dates.parse(value, latest),
             'class="published" (hAtom)')
    if page.url:  # a dated URL is the site's own filing of the article
        _set(page, "published", dates.from_path(urlparse(page.url).path, latest),
             "date in the canonical URL")
    for href in _XP_OTHER_VERSIONS(tree)[:2]:  # the same article's mobile or AMP address
        _set(page, "published", dates.from_path(urlparse(href).path, latest),
             "date in the URL of the page's mobile or AMP version")
    tree = _without_asides(tree)  # htmldate copies it again: the page's tree stays whole
    # the days of "Updated ..." stamps by the headline: htmldate may take them for the date
    elsewhere |= {found[0] for found in (dates.find(line) for line in page.header
                                         if _UPDATED.search(line)) if found}
    month = page.published if page.published and len(page.published) == 7 else None
    if month and not any(_UPDATED.search(line) for line in page.header):
        # htmldate's day inside the URL's month makes it precise (unless the page shows an
        # update stamp, whose day htmldate may have taken).
        found = _htmldate(tree, page.url, latest, False)
        if found and found.startswith(month) and found not in elsewhere:
            page.published = found
            page.explain["published"] = "date in the canonical URL, day from htmldate"
    for extensive in (False, True):
        if page.published or extensive and not _is_article(tree, ld, metas):
            break
        found = _htmldate(tree, page.url, latest, extensive)
        if extensive and found and found.endswith("-01-01"):
            found = None  # a bare year in the text, padded to January 1: no day at all
        if found not in elsewhere:  # a sidebar's or a comment's day is not the article's
            _set(page, "published", found,
                 "htmldate (extensive search)" if extensive else "htmldate")


_XP_OTHER_VERSIONS = etree.XPath('//link[@rel="amphtml" or (@rel="alternate" and @media)]/@href')
_XP_HATOM_PUBLISHED = etree.XPath(
    '//*[contains(concat(" ", normalize-space(@class), " "), " published ")]')


def _is_article(tree: HtmlElement, ld: dict, metas: dict[str, str]) -> bool:
    """A page that holds one article (not a front page, where any date is some story's)."""
    kind = metas.get("og:type", "").lower()
    if kind:
        return kind == "article"
    return bool(ld) or next(tree.iter("article"), None) is not None

def _without_asides(tree: HtmlElement) -> HtmlElement:
    """A copy of the page without asides, footers, comments and related or recent lists:
    their dates are other stories' and readers'."""
    copy = deepcopy(tree)
    for element in _XP_ASIDES(copy):
        element.drop_tree()
    return copy


def _htmldate(tree: HtmlElement, url: str | None, latest: dt.date | None,
              extensive: bool) -> str | None:
    newest = (latest or dt.date.today()) + dt.timedelta(days=1)
    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=extensive,
                          min_date=dates.EARLIEST_GUESS.isoformat(),
                          max_date=newest.isoformat())
    except Exception:  # a library's failure on one odd page is no date, never a crash
        return None
    return dates.parse_iso(found, latest) if found else None


def _times(tree) -> tuple[list[HtmlElement], set[str]]:
    """The <time datetime> elements of the article (not updates), and the days that only
    asides, related lists, comments and footers carry (the days htmldate must not pick)."""
    own, elsewhere = [], set()
    for time in tree.xpath("//time[@datetime]"):
        if _in_junk(time):
            elsewhere.add((time.get("datetime") or "")[:10])
        elif not re.search("updated|modified",
                           (time.get("class") or "") + (time.get("itemprop") or ""), re.I):
            own.append(time)
    return own, elsewhere - {(t.get("datetime") or "")[:10] for t in own}


def _in_junk(element, own: str | None = None) -> bool:
    """Whether element sits in page furniture (an aside, a footer, a related list...). `own`:
    words of a class that name the element's own box, not furniture ("caption" for a
    caption)."""
    def names(p) -> str:
        text = (p.get("class") or "") + " " + (p.get("id") or "")
        return re.sub(own, "", text, flags=re.I) if own else text

    return any(p.tag in ("aside", "footer", "nav") or (
        _JUNK.search(names(p))
        and not re.search("byline|author|meta|header|date|time", p.get("class") or ""))
        for p in element.iterancestors())


def _find_authors(tree, ld, metas, page: Page) -> None:
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
            names += bylines.markup_names(person)
    if _set(page, "authors", _dedupe(names), "JSON-LD author"):
        return
    for name in _AUTHOR_META:
        names = []
        for value in metas.get(name, []):
            if not value.startswith("http"):  # article:author is often a profile URL
                names += bylines.markup_names(value)
        if _set(page, "authors", _dedupe(names), f'meta "{name}"'):
            return
    names = []
    for prop in tree.xpath('//*[@itemprop="author"]'):
        inner = prop.xpath('.//*[@itemprop="name"]')
        if inner:
            value = inner[0].get("content") or _text_of(inner[0])
        else:
            value = prop.get("content") or _text_of(prop)
        names += bylines.parse_names(re.sub(r"^by\s+", "", value or "", flags=re.I)) or []
    if _set(page, "authors", _dedupe(names), 'itemprop="author"'):
        return
    for element in _byline_elements(tree):
        if _set(page, "authors", bylines.from_byline(_text_of(element)), "byline element"):
            return


def _byline_elements(tree):
    found = [e for e in _XP_BYLINE(tree)
             if e.tag == "a" and e.get("rel") == "author" or _BYLINE_CLASS.search(e.get("class"))]
    links = [e for e in found if e.tag == "a" and e.get("rel") == "author"]
    if links:
        yield _common_parent(links)
    yield from (e for e in found if not (e.tag == "a" and e.get("rel") == "author"))


def _common_parent(elements: list[HtmlElement]) -> HtmlElement:
    """The nearest element holding all of `elements` (the byline around two rel=author links)."""
    first = elements[0]
    for parent in [first, *first.iterancestors()]:
        if all(e is parent or parent in e.iterancestors() for e in elements[1:]):
            return parent
    return first


def _dedupe(names: list[str]) -> list[str]:
    seen, out = set(), []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _find_outlet(tree, ld, metas, page: Page) -> None:
    """The table's names first (site name, host, publisher), then the open world: the site's
    own name, the host's brand as the page spells it, the publisher, the <title>'s suffix."""
    table = outlets.table()
    publisher = _text(ld.get("publisher"))
    site = metas.get("og:site_name")
    # The page's own address: a canonical link to another site names the story's first
    # publisher (MSN's copy of a Business Insider story), not the site that shows it.
    own = metas.get("og:url", "")
    host = urlparse(own if own.startswith("http") else page.url or "").hostname
    title = next(tree.iter("title"), None)
    suffix = _title_suffix(_text_of(title) if title is not None else "", page.title)
    _set(page, "outlet", site and table.by_name(site), "og:site_name")
    _set(page, "outlet", host and table.by_domain(host), f"host of the URL ({host})")
    _set(page, "outlet", outlets.open_name(site or "", declared=True),
         "og:site_name (not in the outlet table)")
    texts = [t for t in (suffix, *page.footer, metas.get("application-name")) if t]
    _set(page, "outlet", host and outlets.brand_of_host(host, texts),
         "host's brand as the page spells it")
    _set(page, "outlet", publisher and table.by_name(publisher), "JSON-LD publisher")
    _set(page, "outlet", outlets.open_name(metas.get("application-name") or "", declared=True),
         'meta "application-name"')
    _set(page, "outlet", outlets.open_name(suffix or ""), "site name after the <title>'s headline")
    _set(page, "outlet", outlets.open_name(publisher or "", declared=True),
         "JSON-LD publisher (not in the outlet table)")
    if not page.outlet:
        _set(page, "outlet", _logo_name(tree, host), "alt text of the logo linking home")
    if not page.outlet:
        _set(page, "outlet", _copyright_holder(tree), "copyright holder on the page (last resort)")
    if page.outlet and outlets.is_platform(page.outlet):
        _publication(page, publisher, title)
    if page.outlet and not table.by_name(page.outlet):
        page.outlet = outlets.page_spelling(page.outlet, texts + list(metas.values()))


def _text_ancestors(text) -> Iterator[HtmlElement]:
    """The elements that contain a text node of an XPath result (a tail's element does not)."""
    parent = text.getparent()
    if parent is None:
        return
    if not text.is_tail:
        yield parent
    yield from parent.iterancestors()


def _logo_name(tree: HtmlElement, host: str | None) -> str | None:
    """The site's name as its logo spells it: the alt text of the image in the page's first
    link to its home page (<a href="/"><img alt="Archive of Our Own"></a>)."""
    for link in _XP_IMAGE_LINKS(tree)[:60]:
        if not _is_home(link.get("href", ""), host):
            continue
        for image in link.iter("img"):
            alt = " ".join((image.get("alt") or "").split())
            if alt and not _NOT_A_LOGO_NAME.search(alt):
                return outlets.open_name(alt)
        return None  # the first link home is the logo, or there is none
    return None


_XP_IMAGE_LINKS = etree.XPath("//body//a[@href][.//img[@alt]]")
_NOT_A_LOGO_NAME = re.compile(r"(?i)\b(?:logo|home|homepage|startseite|inicio|accueil|back|"
                              r"return|go to|click)\b")


def _is_home(href: str, host: str | None) -> bool:
    """Whether a link goes to the site's home page ("/", "/?ref=nav", "https://host/")."""
    parts = urlparse(href.strip())
    if parts.netloc and (not host or parts.netloc.lower().removeprefix("www.")
                         != host.lower().removeprefix("www.")):
        return False
    return parts.path in ("", "/", "/index.html", "/index.htm", "/index.php") and \
        (bool(parts.netloc) or parts.path.startswith("/"))


def _copyright_holder(tree: HtmlElement) -> str | None:
    """The holder a copyright line names, the last such line of the page first ("©2005-2015
    WebMD, LLC. All rights reserved." -> "WebMD"): when nothing else names the site, its own
    footer does (a publisher group named there is still closer than no outlet)."""
    for node in reversed(_XP_RIGHTS(tree)[-6:]):
        box = next(_text_ancestors(node), None)  # a tail's line is its own ("<br>© 2015 ...")
        line = _text_of(box) if box is not None else ""
        if len(line) > 200 or not line.lstrip().startswith(("©", "(c)", "Copyright", "copyright")):
            line = " ".join(node.split())
        if len(line) <= 200 and cleaner.is_copyright(line):
            name = outlets.open_name(line)
            if name:
                return name
    return None


def _publication(page: Page, publisher: str, title) -> None:
    """A publication a platform hosts (og:site_name "Medium") by the name the page gives it:
    its JSON-LD publisher, else the part of the <title> before the platform's name
    ("Inside the Deep Web Drug Lab — Backchannel — Medium")."""
    named = outlets.open_name(publisher or "", declared=True)
    if not named or outlets.is_platform(named):
        parts = _TITLE_PARTS.split(" ".join(_text_of(title).split())) if title is not None \
            else []
        named = outlets.open_name(parts[-2]) if len(parts) >= 3 and \
            outlets.is_platform(parts[-1]) else None
    if named and not outlets.is_platform(named) and not _is_headline(named, page.title or ""):
        page.outlet = named
        page.explain["outlet"] += ", the publication it hosts"


def _title_suffix(title: str, headline: str | None) -> str | None:
    """The site's name beside the headline in a <title>: "Sudan Sanctions to Be Lifted - The New
    York Times" -> the last part, when what comes before it is the headline (so a headline with
    a dash in it is never cut); "Silicon Exposed: Open Verilog flow" and "Weekly Edition
    [LWN.net]" -> the part that is not the headline."""
    if not headline:
        return None
    title = " ".join(title.split())
    parts = _TITLE_PARTS.split(title)
    if len(parts) >= 2 and _is_headline(parts[0], headline):
        return parts[-1]
    prefixed = _SITE_PREFIX.match(title)
    if prefixed and _is_headline(prefixed.group(2), headline) and \
            prefixed.group(1).lower() not in _KICKERS:
        return prefixed.group(1)
    bracketed = _SITE_BRACKETS.match(title)
    if bracketed and _is_headline(bracketed.group(1), headline):
        return bracketed.group(2)
    return None


# Labels a <title> may put before its headline with a colon: never the site's name.
_KICKERS = {"breaking", "breaking news", "exclusive", "opinion", "analysis", "watch", "live",
            "update", "updated", "review", "editorial", "letters", "comment", "commentary",
            "explainer", "factbox", "fact check", "photos", "in pictures", "interview", "podcast",
            "video", "q&a", "timeline", "poll", "report", "obituary", "perspective", "essay",
            "feature", "first look", "just in", "developing", "news", "sponsored", "advertorial"}
_SITE_PREFIX = re.compile(r"^([^:]{2,40}?):\s+(.+)$")  # "Silicon Exposed: <headline>"
_SITE_BRACKETS = re.compile(r"^(.+?)\s*\[([^\]]{2,40})\]$")  # "<headline> [LWN.net]"


def _is_headline(part: str, headline: str) -> bool:
    head = outlets.key(part)
    return bool(head) and (head == outlets.key(headline) or outlets.key(headline).startswith(head))


# --- header lines and main text ------------------------------------------------------------

_HEADER_CLASS = re.compile(r"header|standfirst|sub-?title|sub-?head|summary|strapline|"
                           r"(?:^|[-_ ])dec?k(?:$|[-_ ])", re.I)
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "’", ")")
_LEAF_BLOCKS = {"div", "p", "span", "time", "address", "li", "h2", "h3", "h4", "h5", "h6",
                "section", "a", "small", "strong", "em", "b"}
_CONTAINERS = {"div", "p", "ul", "ol", "li", "section", "header", "h1", "h2", "h3", "h4", "h5",
               "h6", "address", "table", "tr", "td", "article", "main", "figure", "blockquote"}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "nav", "aside", "form", "button", "figcaption", "footer",
         "template", "select", "svg"}


def _header_lines(tree: HtmlElement, headings: set[str]) -> list[str]:
    """The short lines after the article's <h1> and before its first paragraph of text; those
    of <h2>-<h6> elements are added to headings."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return []
    lines: list[str] = []
    taken: set[HtmlElement] = set()
    for element in _XP_FOLLOWING(h1):
        if len(lines) >= 12:
            break
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "h1" or tag in ("p", "div") and _is_prose(element):
            break
        if tag not in _LEAF_BLOCKS or any(c.tag in _CONTAINERS for c in element.iterdescendants()):
            continue
        if any(p in taken or p.tag in _SKIP for p in element.iterancestors()):
            continue  # already read as part of an enclosing line, or page furniture
        found = [line for line in (" ".join(t.split()) for t in _separated_text(element)) if line]
        if tag == "p" and _is_lead(element, lines, found):
            break
        if found:
            taken.add(element)
            lines += found
            if tag in _HEADINGS:
                headings.update(found)
    return lines


def _is_lead(element, lines: list[str], found: list[str]) -> bool:
    """A short first paragraph ("The mayor resigned on Tuesday."): a sentence in a <p> outside
    header markup, which the text rules read as body, not as a byline, date stamp or the like."""
    if not found or not found[-1].endswith(_SENTENCE_END) or _in_header_markup(element):
        return False
    classified = cleaner.classify("\n".join(lines + found), title=False, after_title=True)
    return all(line.kind == cleaner.BODY for line in classified[-len(found):])


def _in_header_markup(element) -> bool:
    """Inside <header> or a standfirst/dek/subtitle/summary element (not one holding the whole
    article)."""
    for tag in (element, *element.iterancestors()):
        if tag.tag in ("body", "html"):
            return False
        label = (tag.get("class") or "") + " " + (tag.get("id") or "")
        if tag.tag == "header" or _HEADER_CLASS.search(label):
            return not _holds_article(tag)
    return False


def _holds_article(element) -> bool:
    return bool(element.xpath('.//*[@itemprop="articleBody"]')) or len(
        element.xpath(".//p[position() <= 6]")) >= 6


def _is_prose(element) -> bool:
    if any(c.tag in _CONTAINERS for c in element.iterdescendants()):
        return False
    return cleaner.word_count(_text_of(element)) >= 15


def _separated_text(element) -> list[str]:
    """Lines of a header element: <br> breaks lines; adjacent child elements with nothing
    between them (styled as separate lines: a name span, then a role span) are kept apart
    with " | "."""
    parts: list[str] = [element.text or ""]
    previous_tag = False
    for child in element:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str) and child.tag not in _SKIP:
            text = " ".join(_XP_TEXT(child))
            if previous_tag and text.strip() and "".join(parts).strip():
                parts.append(" | ")
            parts.append(text)
            previous_tag = bool(text.strip())
        if child.tail and child.tail.strip():
            previous_tag = False
        parts.append(child.tail or "")
    return "".join(parts).split("\n")


def _main_text(tree: HtmlElement, page: Page) -> list[str]:
    """The article's paragraphs as trafilatura finds them, one string per block (a list item
    and a table row each on their own line), without a repeat of the headline."""
    document = _trafilatura(tree, page.url)
    if document is None or document.body is None:
        return []
    # The page's own markup may say where the article is: then nothing outside it is.
    marked = tree.xpath('//*[@itemprop="articleBody"]')
    inside = "".join("".join(_text_of(m).split()) for m in marked) if marked else None
    # The headline and the header lines (read already) may open trafilatura's text again.
    seen = {page.title, *page.header}
    for lb in document.body.iter("lb"):
        lb.tail = " " + (lb.tail or "")
    out: list[str] = []
    for text in _block_texts(document.body):
        if text and not (not out and text in seen) and (
                inside is None or "".join(text.split()) in inside):
            out.append(text)
    page.headings.update(_plain("".join(h.itertext())) for h in document.body.iter("head"))
    return _with_captions(tree, out, page.title)


_XP_CAPTIONS = etree.XPath(
    '//figcaption | //*[contains(@class, "wp-caption-text")][contains(concat(" ", '
    'normalize-space(@class), " "), " wp-caption-text ")]')
_PHOTO_WORDS = re.compile(r"©|\(c\)|\b(?:photo|photograph|image|picture|foto|getty|reuters|"
                          r"afp|ap|epa|shutterstock|istock|alamy|courtesy|handout|credit)\b",
                          re.I)


def _with_captions(tree: HtmlElement, blocks: list[str], title: str | None) -> list[str]:
    """trafilatura's blocks with the captions it leaves out that are sentences of the story
    ("Users who run several profiles will see this less!" under a screenshot), each put back
    before the block that follows it on the page. A caption outside the story (before the
    headline, after its last block, in an aside) or one that credits a picture stays out."""
    if not blocks:
        return blocks
    captions = [text for c in _XP_CAPTIONS(tree) if not _in_junk(c, own="caption|credit")
                for text in _caption_texts(c)
                if _is_caption_sentence(text) and text not in blocks]
    if not captions:
        return blocks
    body = next(tree.iter("body"), tree)
    text = _plain(" ".join(body.itertext()))
    at, after = [], 0
    for block in blocks:  # in page order: paragraphs may open alike
        found = text.find(block[:80], after)
        at.append(found)
        after = max(after, found + 1)
    start = text.find(title[:80]) if title else -1
    if start < 0:
        start = min((a for a in at if a >= 0), default=-1)
    end = max(at) + len(blocks[at.index(max(at))]) if max(at) >= 0 else -1
    out = list(blocks)
    for caption in captions:
        where = text.find(caption[:80])
        if where < 0 or start < 0 or not start <= where <= end:
            continue
        following = [i for i, a in enumerate(at) if a > where]
        # never first: the story's opening paragraph holds its dateline
        place = max(1, following[0]) if following else len(out)
        out.insert(place, caption)
        at.insert(place, where)
    return out


def _caption_texts(caption) -> list[str]:
    """A caption's blocks, each alone: the sentence in its <h4> apart from the "27-06-2012 | Efe"
    credit after it."""
    parts = [child for child in caption if child.tag in ("p", "div", "span", "h2", "h3", "h4",
                                                         "h5", "h6")]
    return [_plain("".join(p.itertext())) for p in parts] if parts else [
        _plain("".join(caption.itertext()))]


def _is_caption_sentence(text: str) -> bool:
    words = text.split()
    return len(words) >= 8 and text.endswith((".", "!", "?", "”", '"', "…")) and \
        not _PHOTO_WORDS.search(text)


def _block_texts(body) -> Iterator[str]:
    """trafilatura's output blocks as text, whitespace collapsed: p, head, quote, code; lists by
    item (an item without the items of a list in it), tables by row; text between blocks (a
    bare line after the last paragraph in a link) is a block of its own."""
    yield _plain(body.text)
    for element in body:
        if element.tag == "list":
            for item in element.iter("item"):
                yield _plain(_own_text(item))
        elif element.tag == "table":
            for row in element.iter("row"):
                yield _plain("".join(row.itertext()))
        elif element.tag not in ("graphic", "lb"):
            yield _plain("".join(element.itertext()))
        yield _plain(element.tail)


def _own_text(item) -> str:
    """A list item's text without its nested lists (their items are blocks of their own)."""
    parts = [item.text or ""]
    for child in item:
        if child.tag != "list":
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return "".join(parts)


def _plain(text: str | None) -> str:
    """Text with whitespace collapsed and character references a page escaped twice (its
    "400&amp;percnt;" reads "400&percnt;" in the tree) or that lxml's HTML 4 parser does not
    know (HTML5's "&percnt;") decoded."""
    text = " ".join((text or "").split())
    return entities.unescape(text) if "&" in text else text


def _trafilatura(tree: HtmlElement, url: str | None):
    """trafilatura's fast mode: its own extractor without the readability and jusText
    comparisons, which double its time. When fast mode finds little text (under _SHORT
    characters: a lead paragraph or the whole body in markup its rules pass over, as on the
    real pages' Latvian news site and MathJax page), the full mode runs too and the longer
    text is kept."""
    found = _bare(tree, url, fast=True)
    have = len(found.text or "") if found is not None else 0
    if have < _SHORT:
        fuller = _bare(tree, url, fast=False)
        if fuller is not None and len(fuller.text or "") > have:
            return fuller
    return found


_SHORT = 1200


def _bare(tree: HtmlElement, url: str | None, fast: bool):
    try:  # bare_extraction copies the tree: the same tree can be read twice
        return bare_extraction(tree, url=url, fast=fast, include_comments=False,
                               include_tables=True, with_metadata=False, prune_xpath=_PRUNE)
    except Exception:  # trafilatura's failure on one odd page leaves no text, never a crash
        return None
