"""The rules issue 9 added, each with the cases it must refuse: people-only authors (bylines.py),
open-world outlets (outlets.py, metadata.py), dates a historian can trust (dates.py), and pages
read through trafilatura and htmldate without a word on the terminal."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from indexer.extraction import bylines, dates, outlets
from indexer.extraction.extract import extract_text
from tests.conftest import ROOT

# --- authors: only people ------------------------------------------------------------------


@pytest.mark.parametrize("text, names", [
    ("'Luana Patriolino", ["Luana Patriolino"]),  # a stray quote is not part of the name
    ("By ANN M. SIMMONS and Jane Doe", ["Ann M. Simmons", "Jane Doe"]),
    ("Иван Петров", ["Иван Петров"]),
    ("Jean-Luc de la Tour", ["Jean-Luc de la Tour"]),
    ("Staff Writer", []),
    ("ET Online", []),
    ("By ALEJANDRO DE LA GARZA", ["Alejandro de la Garza"]),  # a particle inside stays small
    ("BY AL GORE", ["Al Gore"]),  # a first name that is also a particle
])
def test_bylines_give_people(text, names):
    assert bylines.parse_names(text) == names


@pytest.mark.parametrize("text", [
    "Alle Artikel", "Wikimedia Foundation", "ACM Awards", "Newer Article", "Site Navigation",
    "Font Size", "Condé Nast", "Our Foreign", "Redacción", "Todas las noticias",
])
def test_nav_labels_and_organisations_are_no_one(text):
    assert not bylines.parse_names(text)
    assert bylines.markup_names(text) == []


@pytest.mark.parametrize("line", ["- Removed Herobrine", "+ Added Granite", "By El Paso",
                                  "| Raspberry Pi"])
def test_list_items_and_places_are_no_byline(line):
    assert not bylines.is_byline(line, after_title=True)


@pytest.mark.parametrize("line, names", [
    ("By Sleyca", ["Sleyca"]),
    ("By kovarex, TOGos, Ernestas and Albert | Factorio", ["kovarex", "TOGos", "Ernestas",
                                                           "Albert"]),
    ("By AMournfulHowlInTheNight | Archive of Our Own", ["AMournfulHowlInTheNight"]),
    ("By 中沢克二", ["中沢克二"]),
    ("By @lazharichir | topicseed", ["@lazharichir"]),
    ('By Amanda "Tania Mae" Tan', ['Amanda "Tania Mae" Tan']),
])
def test_an_explicit_by_vouches_for_pen_names_handles_and_nicknames(line, names):
    assert bylines.is_byline(line, after_title=True)
    assert bylines.from_byline(line) == names


@pytest.mark.parametrize("line", ["By now", "By contrast", "By far the best", "By Newsdesk",
                                  "By Admin", "By Agencies", "By Default", "By Monday",
                                  "By the way, this", "By 2025 | Plan"])
def test_one_word_after_by_is_no_pen_name_when_it_is_a_word_a_desk_or_a_date(line):
    assert not bylines.is_byline(line, after_title=True)
    assert bylines.from_byline(line) == []


def test_a_handle_alone_under_the_title_is_the_byline(tmp_path):
    text = f"Content Depth and Your Core Topics\n@lazharichir\n{BODY}\n"
    assert extract_text(text, str(tmp_path / "a.txt")).authors == ["@lazharichir"]
    text = f"Content Depth and Your Core Topics\nBy kovarex and TOGos | Factorio\n{BODY}\n" \
           "Copyright ©2019 Factorio. All Rights Reserved.\n"
    assert extract_text(text, str(tmp_path / "b.txt")).authors == ["kovarex", "TOGos"]
    text = f"What kind of wordchain?\nBy Sleyca | Royal Road\n{BODY}\n" \
           "Copyright ©2021 Royal Road. All Rights Reserved.\n"
    article = extract_text(text, str(tmp_path / "c.txt"))
    assert (article.authors, article.outlet) == (["Sleyca"], "Royal Road")


def test_markup_author_fields_take_single_names_and_lower_case_surnames():
    assert bylines.markup_names("Sleyca") == ["Sleyca"]
    assert bylines.markup_names("Mobasir hassan") == ["Mobasir Hassan"]
    assert bylines.markup_names("By Karen Whitfield") == ["Karen Whitfield"]
    for refused in ("Home", "admin", "Associated Press", "The Evening Bulletin", "info@site"):
        assert bylines.markup_names(refused) == []


def test_site_filed_as_its_own_author_is_no_person(cli, tmp_path):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Мэр ушёл",
          "author": {"@type": "Person", "name": "Московский Комсомолец"},
          "publisher": {"@type": "Organization", "name": "Московский Комсомолец"}}
    html = (f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
            "<body><article><h1>Мэр ушёл</h1>" + "<p>Мэр города ушёл в отставку во вторник, "
            "сообщили в администрации, и назвал причиной состояние здоровья.</p>" * 4
            + "</article></body></html>")
    path = tmp_path / "mk.html"
    path.write_text(html, encoding="utf-8")
    data = json.loads(cli("extract", str(path), "--json", index=False).stdout)
    assert data["authors"] == []
    assert data["outlet"] == "Московский Комсомолец"


# --- outlets: the open world ---------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Copyright ©2020 PC Gamer. All Rights Reserved. 3f9a8b7c6d5e4f3a2b1c", "PC Gamer"),
    ("Copyright © PolitiFact. All Rights Reserved.", "PolitiFact"),
    ("Hearst Media Services Connecticut, LLC", "Hearst Media Services Connecticut"),
    ("LinkNaija | Nigeria's popular news platform", "LinkNaija"),
    ("Le Monde.fr", "Le Monde"),
    ("nytimes.com", "The New York Times"),  # a name the table knows comes back canonical
    ("Fandom powered by Wikia", "Fandom"),
    ("cleveland.com", "cleveland.com"),  # a lower-case domain is the brand itself
    ("光明网", "光明网"),  # a script without case needs no capital
    ("日本経済新聞　電子版", "日本経済新聞"),  # the digital edition is the paper
    # a copyright line's first sentence names the holder; terms and notices follow it
    ("©2015 The Associated Press. All rights reserved. Terms under which this site is "
     "provided. Learn more about our Privacy Policy .", "Associated Press"),
    ("Copyright © 2017 Google, Inc. Published by O'Reilly Media, Inc. Licensed under CC "
     "BY-NC-ND 4.0", "Google"),
    ("Copyright © 2002–2015 The Daring Fireball Company LLC.", "Daring Fireball"),
    ("© 2024 U.S. News & World Report", "U.S. News & World Report"),  # "U.S." ends no sentence
    ("© Provided by Harbour Gazette Inc", "Harbour Gazette"),  # the syndication credit's source
])
def test_open_names_are_normalised(text, name):
    assert outlets.open_name(text) == name


def test_an_all_caps_name_takes_the_pages_mixed_case_spelling():
    texts = ["Raspberry Pi 3 - The credit card sized PC - SimplyFound", "by Joe Wee"]
    assert outlets.page_spelling("SIMPLYFOUND", texts) == "SimplyFound"
    assert outlets.page_spelling("LA NACION", ["LA NACION"]) == "LA NACION"  # none: as it is
    assert outlets.page_spelling("IETF", ["the Ietf said"]) == "IETF"  # short: written so


def test_a_page_naming_nothing_else_is_filed_under_its_copyright_holder(cli, tmp_path):
    footer = "<div class='legal'><p>©2005-2015 WebMD, LLC. All rights reserved.</p></div>"
    html = _page().replace("</body>", f"{footer}</body>")
    data = _extract(cli, tmp_path, html)
    assert data["outlet"] == "WebMD"
    assert "copyright holder" in data["explain"]["outlet"]
    site = '<meta property="og:site_name" content="Midland Courier">'
    assert _extract(cli, tmp_path, _page(site).replace("</body>", f"{footer}</body>"))[
        "outlet"] == "Midland Courier"  # the site's own name first
    assert _extract(cli, tmp_path, _page())["outlet"] is None


def test_a_copyright_line_after_a_line_break_names_its_holder(cli, tmp_path):
    footer = ("<div id='footer'><a href='/about'>About</a><br>Copyright © 2002–2015 The "
              "Daring Fireball Company LLC.</div>")
    html = _page().replace("</body>", f"{footer}</body>")
    assert _extract(cli, tmp_path, html)["outlet"] == "Daring Fireball"


def test_cjk_titles_join_the_site_name_without_spaces(cli, tmp_path):
    html = _page().replace("<title>Libraries to close</title>",
                           "<title>短缺药品保供稳价-新华网</title>").replace(
        "<h1>Libraries to close</h1>", "<h1>短缺药品保供稳价</h1>")
    data = _extract(cli, tmp_path, html)
    assert (data["title"], data["outlet"]) == ("短缺药品保供稳价", "新华网")
    # a hyphen between a CJK word and a Latin one is part of the headline
    html = _page().replace("<title>Libraries to close</title>",
                           "<title>新冠-19 Libraries to close</title>").replace(
        "<h1>Libraries to close</h1>", "<h1>新冠-19 Libraries to close</h1>")
    assert _extract(cli, tmp_path, html)["outlet"] is None


def test_the_site_showing_a_copy_beats_the_canonical_link_to_the_original(cli, tmp_path):
    head = ('<meta property="og:site_name" content="MSN">'
            '<meta property="og:url" content="https://www.msn.com/en-us/news/ar-AAkm7Xj">'
            '<link rel="canonical" href="https://www.businessinsider.com/libraries-2016-11">')
    assert _extract(cli, tmp_path, _page(head))["outlet"] == "MSN"
    # without a page address of its own, the canonical host is the page's
    head = '<link rel="canonical" href="https://www.businessinsider.com/libraries-2016-11">'
    assert _extract(cli, tmp_path, _page(head))["outlet"] == "Business Insider"


@pytest.mark.parametrize("href, alt, outlet", [
    ("/", "Archive of Our Own", "Archive of Our Own"),
    ("/?cx_part=nav", "AFPBB News", "AFPBB News"),
    ("https://example.org/", "Harbour Gazette", "Harbour Gazette"),
    ("/about", "Harbour Gazette", None),  # not the home page
    ("/", "Site logo", None),
    ("/", "Back to the homepage", None),
])
def test_the_logo_linking_home_names_the_site(cli, tmp_path, href, alt, outlet):
    header = f'<div id="header"><a href="{href}"><img src="l.png" alt="{alt}"></a></div>'
    html = _page('<link rel="canonical" href="https://example.org/2016/libraries">').replace(
        "<body>", f"<body>{header}")
    data = _extract(cli, tmp_path, html)
    assert data["outlet"] == outlet
    if outlet:
        assert "logo" in data["explain"]["outlet"]


def test_a_platform_is_not_the_publication_it_hosts(cli, tmp_path):
    """og:site_name "Medium" on every Medium publication: the publication is the outlet, by its
    JSON-LD publisher or by the <title> part before the platform's name."""
    site = '<meta property="og:site_name" content="Medium">'
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Libraries '
          'to close", "publisher": {"@type": "Organization", "name": "Voodoo Engineering"}}'
          '</script>')
    assert _extract(cli, tmp_path, _page(site + ld))["outlet"] == "Voodoo Engineering"
    html = _page(site).replace("<title>Libraries to close</title>",
                               "<title>Libraries to close — Backchannel — Medium</title>")
    assert _extract(cli, tmp_path, html)["outlet"] == "Backchannel"
    assert _extract(cli, tmp_path, _page(site))["outlet"] == "Medium"  # nothing else: the host


@pytest.mark.parametrize("text", ["Alle Artikel", "the latest news", "2021", "Home",
                                  "Powered by Tumblr",
                                  "Read more at https://example.com/a", "Menu",
                                  "© Copyright 2010-2014, Pierre-Yves David, Greg Ward, and "
                                  "contributors. Last updated on Sep 21, 2017."])
def test_open_names_refuse_what_is_no_outlet(text):
    assert outlets.open_name(text) is None


def test_host_brand_needs_the_page_to_spell_it():
    assert outlets.brand_of_host("www.politifact.com", ["© PolitiFact"]) == "PolitiFact"
    assert outlets.brand_of_host("www.pcgamer.com", ["Reviews", "PC Gamer"]) == "PC Gamer"
    assert outlets.brand_of_host("www.pcgamer.com", ["Games and reviews"]) is None
    assert outlets.brand_of_host("localhost", ["Localhost"]) is None


def test_sister_brands_are_not_their_parents():
    table = outlets.table()
    assert table.mentioned_in("CBS Sports.", whole_name=True) is None
    assert table.mentioned_in("Times Union", whole_name=True) is None
    assert table.mentioned_in("CBS News.", whole_name=True) == "CBS News"
    assert table.mentioned_in("The Associated Press. ", whole_name=True) == "Associated Press"


BODY = ("The county board voted on Tuesday to close two libraries after a long and "
        "bitter budget fight that drew hundreds of residents to the hearing.")


def test_a_byline_may_end_with_a_site_no_table_knows(tmp_path):
    assert bylines.from_byline("By Anna Ūdre | LSM") == ["Anna Ūdre"]
    assert bylines.from_byline("By Courtney Kirchoff | Medium") == ["Courtney Kirchoff"]
    assert not bylines.is_byline("By Jane Doe | the latest news", after_title=True)
    text = (f"Libraries to close\nBy Sarah Gooding | WordPress Tavern\n{BODY}\n"
            "Copyright ©2020 WordPress Tavern. All Rights Reserved.\n")
    assert extract_text(text, str(tmp_path / "a.txt")).authors == ["Sarah Gooding"]
    blog = (f"Simple Anomaly Detection Using Plain SQL\nHaki Benita\n{BODY}\n"
            "Copyright ©2020 Haki Benita. All Rights Reserved.\n")
    assert extract_text(blog, str(tmp_path / "b.txt")).authors == ["Haki Benita"]


def test_a_japanese_headline_is_a_headline_in_a_text_dump(tmp_path):
    title = "動画：ナイジェリアで少女らによる自爆攻撃、ロケット弾も撃ち込まれ31人死亡"
    article = extract_text(f"{title}\nBy Aminu Abubakar\n{BODY}\n", str(tmp_path / "a.txt"))
    assert (article.title, article.authors) == (title, ["Aminu Abubakar"])


def test_text_dump_names_an_unknown_outlet_in_its_footer(tmp_path):
    text = (f"Libraries to close\nBy Jane Roe\n{BODY}\n"
            "Copyright ©2020 PC Gamer. All Rights Reserved. 87990cbe856818d5eddac44c7b1cdeb8\n")
    article = extract_text(text, str(tmp_path / "a.txt"))
    assert article.outlet == "PC Gamer"
    assert article.authors == ["Jane Roe"]


def test_page_naming_itself_beats_the_wire_tag(tmp_path):
    text = (f"HARTFORD (AP) — {BODY}\nCLICK HERE TO READ MORE FROM THE CONNECTICUT POST\n"
            "Copyright © Hearst Media Services Connecticut, LLC\n")
    assert extract_text(text, str(tmp_path / "a.txt")).outlet == "Connecticut Post"
    wire_only = f"HARTFORD (AP) — {BODY}\n"
    assert extract_text(wire_only, str(tmp_path / "b.txt")).outlet == "Associated Press"


# --- dates: never epoch zero, never before 1990 without explicit evidence ------------------

def test_epoch_zero_is_never_a_date():
    assert dates.parse_iso("1970-01-01T00:00:00Z", explicit=True) is None
    assert not dates.plausible("1970-01-01", explicit=True)
    assert dates.parse_iso("1971-03-02", explicit=True) == "1971-03-02"


def test_before_1990_needs_explicit_evidence():
    assert dates.from_path("/archive/1985/06/12/story.txt") is None
    assert dates.from_path("/archive/1995/06/12/story.txt") == "1995-06-12"
    assert dates.from_line("Published June 12, 1985") == "1985-06-12"  # labelled: explicit
    assert dates.from_line("June 12, 1856") is None  # a bare stamp may be any date
    assert dates.parse_iso("1856-05-07") is None
    assert dates.parse_iso("1856-05-07", explicit=True) == "1856-05-07"


def _page(head: str = "", header: str = "", aside: str = "") -> str:
    paragraphs = "".join(f"<p>{BODY} Paragraph {n} adds a little more to it.</p>"
                         for n in range(5))
    return (f"<html><head><title>Libraries to close</title>{head}</head><body>"
            f"<article><h1>Libraries to close</h1>{header}{paragraphs}</article>{aside}"
            "</body></html>")


def _extract(cli, tmp_path, html: str) -> dict:
    path = tmp_path / "p.html"
    path.write_text(html, encoding="utf-8")
    result = cli("extract", str(path), "--json", "--explain", index=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_published_over_modified_and_precision_kept(cli, tmp_path):
    head = ('<meta property="article:modified_time" content="2023-06-01T10:00:00Z">'
            '<meta property="article:published_time" content="2023-05-18T21:30:00-04:00">')
    data = _extract(cli, tmp_path, _page(head))
    assert data["published"] == "2023-05-18"
    url = '<link rel="canonical" href="https://example.org/archive/2022/11/libraries">'
    data = _extract(cli, tmp_path, _page(url))
    assert data["published"] == "2022-11"  # the URL's month stays a month
    assert "month precision" in data["explain"]["published"]


def test_a_front_page_has_no_publication_date(cli, tmp_path):
    stamp = "<p>Thursday, July 24, 2014</p>"
    front = '<link rel="canonical" href="https://www.example.com/">'
    assert _extract(cli, tmp_path, _page(front, stamp))["published"] is None
    story = '<link rel="canonical" href="https://www.example.com/local/libraries-to-close">'
    assert _extract(cli, tmp_path, _page(story, stamp))["published"] == "2014-07-24"


def test_the_header_time_element_gives_the_day_not_its_printed_text(tmp_path):
    """<time datetime="2016-12-01T23:29:49Z">December 2, 2016</time>: the printed day is the
    same moment in the saving browser's time zone; the site's own statement is the attribute.
    A year-only datetime leaves the printed day its place."""
    from indexer.extraction.extract import extract_html

    def page(stamp: str, printed: str) -> str:
        return (f"<html><head><title>Carrier deal</title></head><body><article>"
                f"<h1>Carrier deal</h1><div class='byline'>By Jane Roe <time datetime='{stamp}'>"
                f"{printed}</time></div><p>{BODY}</p><p>{BODY}</p></article></body></html>")

    assert extract_html(page("2016-12-01T23:29:49.000Z", "December 2, 2016"),
                        str(tmp_path / "a.html")).published == "2016-12-01"
    assert extract_html(page("2014", "January 8, 2014"),
                        str(tmp_path / "b.html")).published == "2014-01-08"


def test_hatom_published_class_dates_the_article(cli, tmp_path):
    stamp = '<div><span class="show-on-hover published updated">3/09/15 8:00am</span></div>'
    data = _extract(cli, tmp_path, _page(aside=stamp))
    assert data["published"] == "2015-03-09"
    assert data["explain"]["published"].startswith('class="published" (hAtom)')


def test_the_mobile_or_amp_address_dates_the_article(cli, tmp_path):
    mobile = ('<link rel="alternate" media="only screen and (max-width: 640px)" '
              'href="http://m.example.com/news/20150417/libraries-to-close">')
    data = _extract(cli, tmp_path, _page(mobile))
    assert data["published"] == "2015-04-17"
    assert data["explain"]["published"].startswith("date in the URL of the page's mobile")


def test_comment_dates_are_not_the_article_date(cli, tmp_path):
    aside = ("<div class='comments'><div class='comment-metadata'>September 21, 2021 at 10:00"
             " am</div><p>Great story.</p></div>")
    data = _extract(cli, tmp_path, _page(aside=aside))
    assert data["published"] is None


def test_numeric_dates_are_day_first_on_pages_in_other_languages(cli, tmp_path):
    byline = "<p><strong>Patricio Candia</strong> | Palma de Mallorca | 08/01/2014</p>"
    spanish = _page(header=byline).replace("<html>", '<html lang="es">')
    data = _extract(cli, tmp_path, spanish)
    assert (data["published"], data["authors"]) == ("2014-01-08", ["Patricio Candia"])
    english = _page(header=byline).replace("<html>", '<html lang="en-US">')
    assert _extract(cli, tmp_path, english)["published"] == "2014-08-01"
    assert dates.parse("13/01/2014") == "2014-01-13"  # a first number over 12 is the day


def test_main_text_keeps_every_block_trafilatura_returns(cli, tmp_path):
    """A list item that holds a list keeps its own text; a bare line after the last paragraph
    is a paragraph; character references escaped twice or unknown to HTML 4 read as text."""
    items = ("<ul><li>DevTools and Marionette are now fully compatible with the new design."
             "<ul><li>Congratulations to both teams on reaching this milestone!</li></ul>"
             "</li><li>Printing now supports page ranges in every dialog.</li></ul>")
    html = _page(header=items).replace(
        "</article>", "<p>Sign-ups rose 400&amp;percnt; and costs fell 5&percnt;.</p>"
                      "A closing line that sits outside any paragraph.</article>")
    body = _extract(cli, tmp_path, html)["body"]
    for kept in ("DevTools and Marionette are now fully compatible with the new design.",
                 "Congratulations to both teams", "Printing now supports page ranges",
                 "Sign-ups rose 400% and costs fell 5%.",
                 "A closing line that sits outside any paragraph."):
        assert kept in body, kept


def test_captions_that_are_sentences_of_the_story_are_kept_in_place(cli, tmp_path):
    """trafilatura leaves out figure captions; one that is a sentence of the story comes back
    after the paragraph before it. A picture credit, a caption that ends with its credit block
    apart ("27-06-2012 | Efe" after the sentence), and a caption in an aside stay out."""
    figure = ("<figure><img src='a.png'><figcaption><h4>Readers who visit both branches will "
              "find the reading room moved upstairs.</h4><p>27-06-2012 | Efe</p></figcaption>"
              "</figure><div class='wp-caption'><p class='wp-caption-text'>The old building, "
              "seen from the river. Photo: Jane Roe/Getty Images</p></div>")
    aside = ("<aside><figure><img src='b.png'><figcaption>Another story's picture about a "
             "market that opened on Sunday morning.</figcaption></figure></aside>")
    html = _page(aside=aside).replace("Paragraph 1 adds a little more to it.</p>",
                                      f"Paragraph 1 adds a little more to it.</p>{figure}")
    body = _extract(cli, tmp_path, html)["body"].split("\n\n")
    caption = "Readers who visit both branches will find the reading room moved upstairs."
    assert caption in body
    assert body.index(caption) == next(i for i, b in enumerate(body) if "Paragraph 1" in b) + 1
    assert not any("Efe" in b or "Getty" in b or "market that opened" in b for b in body)


def test_a_paragraph_the_agency_signs_stays_without_the_signature(tmp_path):
    signed = ("The government has repeatedly said the insurgents are in retreat, but analysts "
              "say they keep the means to strike.(c)AFP/Aminu ABUBAKAR")
    article = extract_text(f"Attack in the north\n{BODY}\n{signed}\n", str(tmp_path / "a.txt"))
    assert signed[:-len("(c)AFP/Aminu ABUBAKAR")] in article.body
    assert "(c)AFP/Aminu ABUBAKAR" in article.removed
    caption = "Protesters march through the capital on Tuesday. REUTERS/John Smith"
    captioned = extract_text(f"Protest in the capital\n{BODY}\n{caption}\n",
                             str(tmp_path / "b.txt"))
    assert caption not in captioned.body and caption in captioned.removed


def test_placeholders_tags_and_logos_are_not_bylines_or_headlines(cli, tmp_path):
    assert bylines.markup_names("FAIL") == [] and bylines.markup_names("Anonymous") == []
    assert bylines.markup_names("Laura June Topolsky") == ["Laura June Topolsky"]
    assert not bylines.is_byline("| Raspberry Pi", after_title=True)
    logo = ("<html><head><title>Libraries to close in three districts » Local » Ultima Hora"
            "</title></head><body><h1><span>Libraries to close in three districts</span>"
            "<a href='/'>Ultima Hora Mallorca</a></h1>"
            + "".join(f"<p>{BODY} Paragraph {n}.</p>" for n in range(4)) + "</body></html>")
    assert _extract(cli, tmp_path, logo)["title"] == "Libraries to close in three districts"


def test_site_names_before_or_after_the_headline_in_the_title(cli, tmp_path):
    def page(title: str, h1: str = "Libraries to close") -> str:
        return _page().replace("<title>Libraries to close</title>", f"<title>{title}</title>") \
            .replace("<h1>Libraries to close</h1>", f"<h1>{h1}</h1>")

    assert _extract(cli, tmp_path, page("Libraries to close [LWN.net]"))["outlet"] == "LWN.net"
    blog = _extract(cli, tmp_path, page("Silicon Exposed: Libraries to close", "Silicon Exposed"))
    assert (blog["title"], blog["outlet"]) == ("Libraries to close", "Silicon Exposed")
    kicker = _extract(cli, tmp_path, page("Opinion: Libraries to close"))
    assert (kicker["title"], kicker["outlet"]) == ("Libraries to close", None)
    logo = _extract(cli, tmp_path, page("Libraries to close | Riverside Courier", "Riverside"))
    assert (logo["title"], logo["outlet"]) == ("Libraries to close", "Riverside Courier")


def test_chinese_titles_join_their_parts_with_underscores(cli, tmp_path):
    body = "".join(f"<p>{BODY} {n}</p>" for n in range(4))
    headline = "海外留学生看两会：出国前后关注点大不同"
    html = (f"<html><head><title>{headline}_教育频道_中国青年网</title></head>"
            f"<body><h1>{headline}</h1>{body}</body></html>")
    data = _extract(cli, tmp_path, html)
    assert (data["title"], data["outlet"]) == (headline, "中国青年网")


def test_html_page_prints_nothing_but_its_result(tmp_path):
    """No library warning (bs4's XMLParsedAsHTMLWarning, trafilatura's or htmldate's logging)
    reaches the terminal, on an XHTML page and on one with no text at all."""
    xhtml = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
             + _page()[6:])
    (tmp_path / "x.xhtml.html").write_text(xhtml, encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><div></div></body></html>",
                                         encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "search", "index", str(tmp_path),
                           "--index", str(tmp_path / "ix"), "-q"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


# --- the real pages (../shared/realpages), as `make eval` scores them -----------------------

def test_real_pages_hold_their_figures():
    """newsdex's figures on the hand-labelled real pages (tests/fixtures/realpages), where the
    issue's table put it behind trafilatura and htmldate; floors just under today's figures."""
    from tests.eval import run

    docs = run.load_real_docs()
    if not docs:
        pytest.skip("../shared/realpages is absent")
    scores = run.score(docs, run.newsdex, strict_dates=True)
    share = {key: s.hits / s.total for key, s in scores.items() if s.total}
    assert share["title"] >= 0.80 and share["people"] >= 0.72, scores["people"].misses
    assert share["outlet"] >= 0.92 and share["published"] >= 0.93, scores["published"].misses
    assert share["wrong"] <= 0.04 and share["kept"] >= 0.998 and share["removed"] >= 0.95


def test_real_page_dumps_hold_their_figures(tmp_path):
    """The text dumps `make eval` writes from the real pages' labels in the seeds' forms: the
    issue's targets for dumps (authors and outlet >= 95%, boilerplate absent >= 98%)."""
    from tests.eval import dumps, run

    docs = run.load_real_docs()
    if not docs:
        pytest.skip("../shared/realpages is absent")
    scores = run.score(dumps.write(docs, tmp_path), run.newsdex, strict_dates=True)
    share = {key: s.hits / s.total for key, s in scores.items() if s.total}
    assert share["authors"] >= 0.95, scores["authors"].misses
    assert share["outlet"] >= 0.95, scores["outlet"].misses
    assert share["removed"] >= 0.98 and share["kept"] >= 0.99


def test_a_feed_saved_as_a_page_is_skipped_with_its_reason(cli, tmp_path):
    feed = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>EduMock '
            'Tests - Latest Mock Exams</title><item><title>Mock Test #102</title><description>'
            'The council said the library would close in March after years of cuts to its '
            'budget.</description></item></channel></rss>')
    (tmp_path / "feed.html").write_text(feed, encoding="utf-8")
    (tmp_path / "page.html").write_text(_page(), encoding="utf-8")
    summary = cli.json("index", tmp_path)
    assert summary["added"] == 1
    assert summary["skipped"] == [{"path": str(tmp_path / "feed.html"),
                                   "reason": "an RSS or Atom feed, not an article"}]
