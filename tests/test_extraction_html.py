"""Extraction from saved HTML pages: main text and metadata in order of trust, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PARAGRAPHS = [
    "The regional transit authority approved a plan on Tuesday to rebuild three aging bridges "
    "along the river line, a project officials said would take five years to finish.",
    "Engineers told the board that the oldest of the bridges, built in 1911, had been under "
    "weight restrictions since last spring after inspectors found corroded steel.",
    "Commuters will face weekend closures during construction, though the authority promised "
    "shuttle buses on every affected stretch.",
]

CHROME = """
<div id="consent" class="cookie-banner"><p>We use cookies to improve your experience on our
site and to show you relevant advertising.</p></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
</ul></nav></header>
"""

SIDEBAR = """
<aside class="most-read"><h2>Most read</h2><ol>
<li><a href="/a">Zoo welcomes twin red panda cubs</a> <time datetime="2024-03-09T10:00:00Z">
March 9, 2024</time></li>
<li><a href="/b">Ferry fares to rise again in autumn</a> <time datetime="2024-03-11T10:00:00Z">
March 11, 2024</time></li></ol></aside>
<footer class="site-footer"><p>© 2024 Riverside Media. All rights reserved.</p></footer>
"""


def page(head: str = "", header: str = "", body: str = "", after: str = SIDEBAR) -> str:
    paragraphs = body or "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge plan | Site</title>"
            f"{head}</head><body>{CHROME}<main><article><header>"
            f"<h1>Transit board approves five-year plan to rebuild river bridges</h1>{header}"
            f"</header><div class='article-body'>{paragraphs}</div></article>{after}</main>"
            f"</body></html>")


def extract(cli, tmp_path: Path, html: str, name: str = "page.html") -> dict:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    result = cli("extract", str(path), "--json", "--explain", index=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ld(**fields) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_gives_headline_original_date_authors_and_publisher(cli, tmp_path):
    head = ld(headline="Transit board approves bridge plan",
              datePublished="2023-05-18T21:30:00-04:00", dateModified="2023-05-19T08:00:00-04:00",
              author=[{"@type": "Person", "name": "KAREN WHITFIELD"},
                      {"@type": "Person", "name": "Samuel Ortega"}],
              publisher={"@type": "Organization", "name": "The Wall Street Journal"})
    header = ('<div class="timestamp">Updated May 19, 2023 8:00 am ET</div>'
              '<div class="byline">By Karen Whitfield and Samuel Ortega</div>')
    data = extract(cli, tmp_path, page(head, header))
    assert data["title"] == "Transit board approves bridge plan"
    assert data["published"] == "2023-05-18"  # the page's own day, not UTC's May 19
    assert data["authors"] == ["Karen Whitfield", "Samuel Ortega"]
    assert data["outlet"] == "The Wall Street Journal"
    assert data["explain"]["published"].startswith("JSON-LD datePublished")


def test_organization_author_is_not_a_person(cli, tmp_path):
    head = ld(headline="Storms roll across the Midwest", datePublished="2024-05-07",
              author={"@type": "Organization", "name": "The Associated Press"},
              publisher={"@type": "Organization", "name": "AP News"})
    data = extract(cli, tmp_path, page(head, '<div class="byline">By The Associated Press</div>'))
    assert data["authors"] == []
    assert data["outlet"] == "Associated Press"


def test_opengraph_and_author_meta_with_a_job_title(cli, tmp_path):
    head = ('<meta property="og:site_name" content="The Riverbend Courier">'
            '<meta property="article:published_time" content="2022-05-23T06:00:00-05:00">'
            '<meta name="author" content="Brandon Yates, Energy Reporter">')
    data = extract(cli, tmp_path, page(head))
    assert data["authors"] == ["Brandon Yates"]
    assert data["outlet"] == "The Riverbend Courier"  # a site the table does not know
    assert data["published"] == "2022-05-23"


def test_every_author_meta_is_an_author(cli, tmp_path):
    head = ('<meta name="author" content="Karen Whitfield">'
            '<meta name="author" content="By Samuel Ortega">'
            '<meta name="author" content="Karen Whitfield">')
    assert extract(cli, tmp_path, page(head))["authors"] == ["Karen Whitfield", "Samuel Ortega"]
    head = ('<meta property="article:author" content="https://www.facebook.com/kwhitfield">'
            '<meta property="article:author" content="Karen Whitfield">'
            '<meta property="article:author" content="Samuel Ortega">')
    data = extract(cli, tmp_path, page(head), "b.html")
    assert data["authors"] == ["Karen Whitfield", "Samuel Ortega"]
    assert data["explain"]["authors"] == 'meta "article:author"'


LEAD = "The mayor resigned on Tuesday."


def test_short_first_paragraph_after_the_headline_is_body(cli, tmp_path):
    body = f"<p>{LEAD}</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    bare = f"<html><body><article><h1>Mayor quits</h1>{body}</article></body></html>"
    for name, text in (("a.html", page(body=body)), ("b.html", bare)):
        data = extract(cli, tmp_path, text, name)
        assert data["body"].split("\n\n") == [LEAD, *PARAGRAPHS], name
        assert LEAD not in data["removed"]


def test_header_material_after_the_headline_still_goes(cli, tmp_path):
    # A byline and a date stamp as bare paragraphs go by the text rules; a standfirst goes by its
    # markup; the short lead under them stays.
    standfirst = "A scandal over contracts ends a decade in office."
    body = (f"<p>By Jane Roe</p><p>March 4, 2023</p><p class='standfirst'>{standfirst}</p>"
            f"<p>{LEAD}</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    data = extract(cli, tmp_path, page(body=body))
    assert data["body"].split("\n\n") == [LEAD, *PARAGRAPHS]
    assert (data["authors"], data["published"]) == (["Jane Roe"], "2023-03-04")
    for line in ("By Jane Roe", "March 4, 2023", standfirst):
        assert line in data["removed"]


def test_a_section_heading_is_not_a_byline(cli, tmp_path):
    # trafilatura keeps an article's h2 as a heading: a name-like one ("Maxwell's Equations",
    # on a real page) is body text, not an author; a heading that says "By ..." is a byline.
    body = "<h2>Bridge Repairs</h2>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    data = extract(cli, tmp_path, page(body=body), "a.html")
    assert data["authors"] == []
    assert data["body"].split("\n\n")[0] == "Bridge Repairs"
    body = "<h3>By Jane Roe</h3>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    data = extract(cli, tmp_path, page(body=body), "b.html")
    assert data["authors"] == ["Jane Roe"]


def test_page_without_markup_uses_the_visible_byline_and_date(cli, tmp_path):
    header = ('<div class="byline">By RUTH ANN KESSLER, Weekly Correspondent</div>'
              '<div class="date">Thursday, September 12, 2013</div>')
    data = extract(cli, tmp_path, page(header=header))
    assert data["authors"] == ["Ruth Ann Kessler"]
    assert data["published"] == "2013-09-12"
    # no site name, no canonical URL, no known publisher: the footer's copyright holder
    assert data["outlet"] == "Riverside"
    assert "copyright holder" in data["explain"]["outlet"]
    assert "By RUTH ANN KESSLER, Weekly Correspondent" in data["removed"]


def test_sidebar_dates_and_footer_year_are_not_the_publication_date(cli, tmp_path):
    data = extract(cli, tmp_path, page(header='<div class="byline">By Walt Kingsley</div>'))
    assert data["published"] is None
    assert data["authors"] == ["Walt Kingsley"]


def test_updated_stamp_is_not_the_publication_date(cli, tmp_path):
    header = ('<div class="byline">Dearbhla Quinn, Western Correspondent</div>'
              '<div class="updated">Page last updated at 14:22 GMT, Wednesday, 4 March 2009</div>')
    data = extract(cli, tmp_path, page(header=header))
    assert data["published"] is None
    assert data["authors"] == ["Dearbhla Quinn"]


def test_canonical_url_gives_date_and_outlet(cli, tmp_path):
    head = '<link rel="canonical" href="https://www.theguardian.com/uk-news/2019/aug/27/bridges">'
    data = extract(cli, tmp_path, page(head))
    assert data["published"] == "2019-08-27"
    assert data["outlet"] == "The Guardian"


def test_main_text_keeps_paragraphs_and_drops_the_page_chrome(cli, tmp_path):
    body = (f"<p>{PARAGRAPHS[0]}</p>"
            "<div class='share-bar'><button>Share on Facebook</button><a>Copy link</a></div>"
            f"<figure><img src='x.jpg'><figcaption>Crews inspect a bridge. "
            f"<span class='credit'>Jane Roe/Getty Images</span></figcaption></figure>"
            f"<p>{PARAGRAPHS[1]}</p>"
            "<aside class='related'><h3>Related</h3><ul><li>Ferry fares to rise</li></ul></aside>"
            "<div class='newsletter'><p>Sign up for our morning briefing.</p>"
            "<form><input type='email'></form></div>"
            f"<p>{PARAGRAPHS[2]}</p>"
            "<script>var tracking = 'Share this article';</script><!-- comment text -->")
    data = extract(cli, tmp_path, page(body=body))
    assert data["body"].split("\n\n") == PARAGRAPHS
    for junk in ("Jane Roe/Getty Images", "Most read", "cookies", "Ferry fares", "Sign up",
                 "Riverside Media", "Copy link", "comment text", "Home"):
        assert junk not in data["body"]


def test_article_body_itemprop_wins(cli, tmp_path):
    body = ("<div itemprop='articleBody'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
            + "</div><div class='promo'><p>" + " ".join(["Promoted text."] * 40) + "</p></div>")
    data = extract(cli, tmp_path, page(body=body))
    assert data["body"].split("\n\n") == PARAGRAPHS[:2]


def test_density_fallback_without_article_or_main(cli, tmp_path):
    html = ("<html><head><title>Bridge plan</title></head><body>"
            "<div class='nav'><p>Home</p><p>News</p></div>"
            "<div class='col'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
            "<div class='side'><p>Weather: sunny, 21C</p></div></body></html>")
    data = extract(cli, tmp_path, html)
    assert data["body"].split("\n\n") == PARAGRAPHS


def test_text_files_never_import_the_html_stack(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("\n".join(PARAGRAPHS), encoding="utf-8")
    code = ("import sys; from indexer.extraction.extract import extract_file; "
            f"extract_file({str(path)!r}); print(*(m in sys.modules for m in "
            "('bs4', 'lxml', 'trafilatura', 'htmldate')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    assert out.split() == ["False", "False", "False", "False"]
