"""`newsdex serve` over HTTP (Starlette's test client, and the real command as a process): the
API returns the CLI's --json objects, exports are the CLI's, every article string is escaped,
raw files go out by id only as text/plain, the CSP header is everywhere, the app is read-only,
and `newsdex search` never imports the web stack."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
from archive import Indexed
from served import XSS_OUTLET, XSS_TITLE, Server, cli_json, get, served, strip_seconds, xss_id

pytest.importorskip("starlette.testclient")
from starlette.testclient import TestClient  # noqa: E402

from web.app import create_app  # noqa: E402
from web.state import View  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = ["127.0.0.1", "localhost", "::1"]


@pytest.fixture(scope="module")
def arc(tmp_path_factory) -> Indexed:
    return served(tmp_path_factory)


@pytest.fixture(scope="module")
def client(arc) -> TestClient:
    return TestClient(create_app(str(arc.index), LOOPBACK), base_url="http://127.0.0.1")


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id (tags dropped, entities decoded)."""
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|ol|div|h1|table|ul)>', html, re.S)
    assert m, f"no #{element_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())


# -- the JSON API is the CLI's --json -----------------------------------------------------------

def test_api_search_is_the_cli_json(arc, client):
    r = client.get("/api/search", params={"q": "drills", "facet": ["outlet", "year"],
                                          "outlet": ["Tidewire", "Harbor Gazette"]})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    expected = cli_json(arc, "search", "drills", "--facet", "outlet", "--facet", "year",
                        "--outlet", "Tidewire", "--outlet", "Harbor Gazette")
    assert strip_seconds(r.text) == expected
    assert expected["total"] > 0 and expected["facets"]["outlet"]


def test_api_search_options_match_the_cli(arc, client):
    r = client.get("/api/search", params={"q": "ferry", "sort": "newest", "page": "2",
                                          "limit": "5", "since": "2015", "until": "2022-06",
                                          "collapse": "1", "facet": "author",
                                          "facet_limit": "3"})
    expected = cli_json(arc, "search", "ferry", "--sort", "newest", "--page", "2", "--limit",
                        "5", "--since", "2015", "--until", "2022-06", "--collapse", "--facet",
                        "author", "--facet-limit", "3")
    assert strip_seconds(r.text) == expected
    assert len(expected["hits"]) == 5 and len(expected["facets"]["author"]) == 3


def test_api_show_facets_similar_stats_are_the_cli_json(arc, client):
    doc = arc.hits("ferry")[0]["id"]
    assert client.get(f"/api/show/{doc}").json() == arc.json("show", doc)
    assert client.get("/api/facets/author", params={"q": "ferry", "prefix": "s"}).json() == \
        arc.json("facets", "author", "ferry", "--prefix", "s")
    assert client.get("/api/facets/outlet", params={"limit": "2"}).json() == \
        arc.json("facets", "outlet", "--limit", "2")
    assert strip_seconds(client.get(f"/api/similar/{doc}").text) == \
        cli_json(arc, "similar", doc)
    assert client.get("/api/stats").json() == arc.json("stats")


def test_api_errors_are_the_cli_words(arc, client):
    r = client.get("/api/search", params={"q": '"joint exercises'})
    assert r.status_code == 400
    cli = arc.run("search", '"joint exercises')
    assert cli.exit_code == 1
    assert cli.stderr.strip() == f"newsdex: error: {r.json()['error']}"
    assert client.get("/api/search", params={"since": "2022-13"}).json() == {
        "error": "'2022-13' has no month 13"}
    assert client.get("/api/search", params={"page": "0"}).status_code == 400
    assert client.get("/api/facets/colour").status_code == 404
    missing = client.get("/api/show/0000000000000000")
    assert missing.status_code == 404 and "no article with id" in missing.json()["error"]


def test_exports_are_the_cli_writers(arc, client):
    params = {"q": "drills", "sort": "oldest"}
    r = client.get("/export.csv", params=params)
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in r.headers["content-disposition"]
    assert r.text == arc.ok("search", "drills", "--sort", "oldest", "--csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == int(arc.ok("search", "drills", "--count"))
    r = client.get("/export.jsonl", params={**params, "outlet": "Tidewire", "collapse": "1"})
    assert r.text == arc.ok("search", "drills", "--sort", "oldest", "--outlet", "Tidewire",
                            "--collapse", "--jsonl")


# -- the search page ----------------------------------------------------------------------------

def test_search_page_shows_the_results_and_facets(arc, client):
    html = client.get("/", params={"q": "drills"}).text
    total = int(arc.ok("search", "drills", "--count"))
    assert re.match(rf"1-10 of {total} results for 'drills' \(", text_of(html, "summary"))
    first = arc.json("search", "drills")["hits"][0]
    assert f'href="/article/{first["id"]}?' in html
    assert "<mark>drills</mark>" in html or "<mark>drill</mark>" in html
    outlets = arc.json("facets", "outlet", "drills")
    for item in outlets:
        assert f'{item["value"]}</a></label> <span class="n">{item["count"]}</span>' in unescape(
            html)


def test_outlet_filter_is_multi_select(arc, client):
    html = client.get("/", params={"q": "drills", "outlet": "Tidewire"}).text
    only = int(arc.ok("search", "drills", "--outlet", "Tidewire", "--count"))
    assert f"of {only} result" in text_of(html, "summary")
    # The outlet facet still offers the other outlets, with what they would add.
    facet = re.search(r'data-facet="outlet">(.*?)</section>', html, re.S).group(1)
    assert 'checked> <a href="/?q=drills">Tidewire' in facet
    assert "Harbor Gazette" in facet
    assert "outlet=Tidewire&amp;outlet=Harbor+Gazette" in facet


def test_query_error_is_shown_under_the_box(client):
    r = client.get("/", params={"q": "title:"})
    assert r.status_code == 400
    assert text_of(r.text, "query-error") == "nothing after 'title:' at column 1"
    assert 'value="title:"' in r.text


def test_timeline_counts_every_match_once(arc, client):
    data = client.get("/api/timeline", params={"q": "ferry"}).json()
    total = int(arc.ok("search", "ferry", "--count"))
    assert sum(data["totals"]) + data["undated"] + data["year_only"] == total
    outlets = dict((i["value"], i["count"]) for i in arc.json("facets", "outlet", "ferry"))
    top = [name for name in data["series"] if name not in ("other", "unknown outlet")]
    assert top == [name for name, _ in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))][
        :5]
    for name in top:
        assert sum(data["counts"][name]) <= outlets[name]
    assert ("other" in data["series"]) == (len(outlets) > 5)
    csv_text = client.get("/timeline.csv", params={"q": "ferry"}).text
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["period", *data["series"], "total"]
    assert [int(r[-1]) for r in rows[1:]] == data["totals"]


def test_timeline_bar_narrows_to_its_period(arc, client):
    html = client.get("/", params={"q": "ferry"}).text
    bars = re.findall(r'<a href="([^"]+)" class="bar" data-period="(\d{4})">', html)
    assert bars
    href, period = bars[-1]
    assert unescape(href) == f"/?q=ferry&since={period}&until={period}"
    narrowed = client.get(unescape(href)).text
    count = int(arc.ok("search", "ferry", "--since", period, "--until", period, "--count"))
    assert f"of {count} result" in text_of(narrowed, "summary")


def test_facet_page_filters_by_prefix(arc, client):
    html = client.get("/facet/author", params={"q": "ferry", "prefix": "s"}).text
    expected = arc.json("facets", "author", "ferry", "--prefix", "s")
    shown = re.findall(r'<a href="[^"]*">([^<]+)</a></label> <span class="n">(\d+)', html)
    assert [(unescape(v), int(n)) for v, n in shown] == [
        (i["value"], i["count"]) for i in expected]


# -- escaping, CSP, raw files, traversal, read-only ---------------------------------------------

def test_article_strings_are_escaped(arc, client):
    doc = xss_id(arc)
    for html in (client.get("/", params={"q": "harbour drills"}).text,
                 client.get(f"/article/{doc}").text):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert" not in html and "<b>Evil" not in html
        assert "<img src=x" not in html
    article = client.get(f"/article/{doc}").text
    assert text_of(article, "title") == XSS_TITLE
    assert XSS_OUTLET in text_of(article, "fields")
    assert "onerror=alert(2)" in unescape(text_of(article, "body"))


def test_every_response_has_the_csp(arc, client):
    doc = xss_id(arc)
    for url in ("/", f"/article/{doc}", f"/article/{doc}/raw", "/api/stats", "/nowhere",
                "/static/app.js", "/export.csv?q=drills", "/timeline.csv"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp, url
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    page = client.get("/").text
    assert "<script>" not in page and "style=" not in page  # nothing inline for the CSP to block


def test_raw_file_by_id_as_text_plain(arc, client):
    doc = xss_id(arc)
    r = client.get(f"/article/{doc}/raw")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == (arc.articles / "evil" / "xss.html").read_text(encoding="utf-8")
    assert r.text == arc.ok("show", doc, "--raw")


@pytest.mark.parametrize("url", [
    "/article/..%2F..%2F..%2F..%2Fetc%2Fpasswd/raw",
    "/article/%2Fetc%2Fpasswd/raw",
    "/article/../../etc/passwd",
    "/static/..%2F..%2Fsearch%2Fcli.py",
    "/static/%2e%2e/app.py",
    "/raw?path=/etc/passwd",
])
def test_no_path_reaches_a_file(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "root:" not in r.text and "import" not in r.text


def test_unknown_ids_and_pages_are_404(client):
    for url in ("/article/0000000000000000", "/article/0000000000000000/raw",
                "/article/0000000000000000/related",
                "/facet/colour", "/nowhere"):
        r = client.get(url)
        assert r.status_code == 404, url


def test_read_only_and_host_checked(arc):
    app = create_app(str(arc.index), LOOPBACK)
    local = TestClient(app, base_url="http://127.0.0.1:8080")
    assert local.post("/", data={"q": "x"}).status_code == 405
    assert local.delete("/api/stats").status_code == 405
    assert local.get("/", headers={"host": "localhost:8080"}).status_code == 200
    rebound = local.get("/api/stats", headers={"host": "attacker.example"})
    assert rebound.status_code == 400 and "documents" not in rebound.text


def test_view_url_state_round_trips():
    from starlette.datastructures import QueryParams

    view = View.from_params(QueryParams("q=ferry&outlet=A&outlet=B%20C&since=2019&until=2021"
                                        "&sort=newest&page=3&collapse=1"))
    assert View.from_params(QueryParams(view.url().split("?", 1)[1])) == view
    assert view.ticked("year", "2020") and not view.ticked("year", "2018")
    # Ticking a year widens the range, unticking an end shrinks it; dropping back to page 1.
    assert "since=2018&until=2021" in view.toggled("year", "2018")
    assert "since=2020&until=2021" in view.toggled("year", "2019")
    assert "since=2019&until=2020" in view.toggled("year", "2021")
    assert "page=" not in view.toggled("year", "2021")
    single = View(q="x", since="2020-03", until="2020-03")
    assert single.toggled("month", "2020-03") == "/?q=x"
    assert "dateline%3A%22HALIFAX%22" in View(q="ferry").toggled("dateline", "HALIFAX")
    assert View(q='ferry dateline:"HALIFAX"').toggled("dateline", "HALIFAX") == "/?q=ferry"


# -- the command -------------------------------------------------------------------------------

def test_serve_command_binds_loopback_and_stops_cleanly(arc):
    server = Server(arc.index)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        status, headers, body = get(server.url + "/api/stats")
        assert status == 200 and json.loads(body) == arc.json("stats")
        assert "content-security-policy" in {k.lower() for k in headers}
    finally:
        err = server.stop()
    assert "Traceback" not in err


def test_serve_elsewhere_warns(arc):
    server = Server(arc.index, "--host", "0.0.0.0")
    try:
        status, _, _ = get(server.url + "/")
        assert status == 200
    finally:
        err = server.stop()
    assert "newsdex: warning: listening on 0.0.0.0: anyone who can reach this machine" in err


def test_serve_errors_are_one_line(arc, tmp_path):
    server = Server(arc.index)
    try:
        port = server.url.rsplit(":", 1)[1]
        busy = subprocess.run([sys.executable, "-m", "search", "serve", "--index",
                               str(arc.index), "--port", port], cwd=ROOT, capture_output=True,
                              text=True, timeout=30)
    finally:
        server.stop()
    assert busy.returncode == 1
    assert busy.stderr.startswith(f"newsdex: error: cannot listen on 127.0.0.1:{port}: ")
    assert busy.stderr.count("\n") == 1
    missing = arc.run("serve", "--index", str(tmp_path / "none"))
    assert missing.exit_code == 1
    assert missing.stderr.startswith("newsdex: error: no index at ")


def test_search_does_not_import_the_web_stack(arc):
    """`newsdex search` starts as fast as before: no web module is loaded by a search."""
    code = ("import sys\nfrom search.cli import main\n"
            "try:\n    main(['search', 'drills', '--facet', 'outlet', '--index', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "web = sorted(m for m in sys.modules if m.split('.')[0] in {'web', 'starlette', "
            "'uvicorn', 'jinja2', 'markupsafe', 'anyio', 'h11', 'httpx', 'httpx2'})\n"
            "print('WEB', web, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(arc.index)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert "results for 'drills'" in done.stdout
    assert "WEB []" in done.stderr, done.stderr


def test_article_page_lists_syndicated_copies_and_similar(arc, client):
    story = next(h for h in arc.hits("*", "--collapse") if len(h["copies"]) >= 2)
    page = client.get(f"/article/{story['id']}").text
    assert f'data-related="/article/{story["id"]}/related?' in page
    html = client.get(f"/article/{story['id']}/related").text
    copies = re.search(r'id="copies">(.*?)</section>', html, re.S).group(1)
    assert sorted(re.findall(r'href="/article/(\w+)\?', copies)) == sorted(story["copies"])
    similar = re.search(r'id="similar">(.*?)</section>', html, re.S).group(1)
    expected = [h["id"] for h in arc.json("similar", story["id"], "--limit", "5")["hits"]]
    assert re.findall(r'href="/article/(\w+)\?', similar) == expected
    source = arc.json("show", story["id"]).get("published_source")
    assert source is None or f"(from {source})" in text_of(page, "fields")


def test_the_server_sees_a_new_index_commit(cli, seeds):
    """An index updated while the server runs is reopened by the next request."""
    assert cli("index", str(seeds)).exit_code == 0
    client = TestClient(create_app(str(cli.index), LOOPBACK), base_url="http://127.0.0.1")
    assert client.get("/api/search", params={"q": "kremlin"}).json()["total"] == 2
    (seeds / "copy.txt").write_text("A note on the Kremlin and its ferry timetable, with "
                                    "nothing else in it.\n", encoding="utf-8")
    assert cli("index", str(seeds)).exit_code == 0
    assert client.get("/api/search", params={"q": "kremlin"}).json()["total"] == 3


def test_a_dateline_is_ticked_as_a_query_clause(arc, client):
    html = client.get("/", params={"q": "ferry"}).text
    facet = re.search(r'data-facet="dateline">(.*?)</section>', html, re.S).group(1)
    href, value = re.search(r'data-href="([^"]+)"> <a href="[^"]+">([^<]+)</a>', facet).groups()
    assert unescape(href) == "/?" + urlencode({"q": f'ferry dateline:"{value}"'})
    ticked = client.get(unescape(href)).text
    count = int(arc.ok("search", f'ferry dateline:"{value}"', "--count"))
    assert count > 0 and f"of {count} result" in text_of(ticked, "summary")
    facet = re.search(r'data-facet="dateline">(.*?)</section>', ticked, re.S).group(1)
    assert f'data-href="/?q=ferry" checked> <a href="/?q=ferry">{value}</a>' in facet
