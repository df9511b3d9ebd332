"""`newsdex serve` in a real headless browser: Debian's chromium driven by Playwright (never
Playwright's own browser download). A real `newsdex serve` process over the served archive;
each step does what a user does and checks what the page then shows against the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from archive import Indexed
from served import XSS_OUTLET, XSS_TITLE, Server, served, xss_id

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium; .ci/run does)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")


@pytest.fixture(scope="module")
def arc(tmp_path_factory) -> Indexed:
    return served(tmp_path_factory)


@pytest.fixture(scope="module")
def server(arc):
    running = Server(arc.index)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    problems: list[str] = []
    # A CSP violation or a script error shows up on the console; an alert() as a dialog.
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    opened.problems = problems
    yield opened
    context.close()


def summary(page) -> str:
    return page.locator("#summary").inner_text()


def results(arc: Indexed, *args: str) -> int:
    return int(arc.ok("search", *args, "--count"))


def test_a_user_session(arc, server, page, tmp_path):
    word = "drills"
    total = results(arc, word)
    page.goto(server.url + "/")
    # Type a query.
    page.fill("#q", word)
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"\?q=drills&sort=relevance$"))  # the form's fields
    assert summary(page).startswith(f"1-10 of {total} results for 'drills'")
    first = arc.json("search", word)["hits"][0]
    assert page.locator("#hits li .title").first.inner_text() == first["title"]
    assert page.locator("#hits mark").count() > 0
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    # Tick an outlet: only its articles, the box stays ticked, the other outlets stay offered.
    outlet = page.locator('[data-facet="outlet"] input[type=checkbox]').nth(1)
    name = page.locator('[data-facet="outlet"] label').nth(1).inner_text().strip()
    with page.expect_navigation(url=re.compile(r"outlet=")):
        outlet.click()
    only = results(arc, word, "--outlet", name)
    assert f"of {only} result" in summary(page)
    assert set(page.locator("#hits .outlet").all_inner_texts()) == {name}
    assert page.locator('[data-facet="outlet"] input[type=checkbox]').nth(1).is_checked() or \
        page.locator('[data-facet="outlet"] input:checked').count() == 1
    assert page.locator('[data-facet="outlet"] li').count() > 1

    # Untick it: back to every outlet.
    with page.expect_navigation(url=re.compile(r"\?q=drills$")):
        page.locator('[data-facet="outlet"] input:checked').click()
    assert summary(page).startswith(f"1-10 of {total} results")
    assert page.locator('[data-facet="outlet"] input:checked').count() == 0

    # Click the timeline's tallest bar: narrowed to its period.
    bars = page.locator("#timeline a.bar")
    periods = bars.evaluate_all("els => els.map(e => e.dataset.period)")
    totals = [int(re.search(r": (\d+) match", t).group(1)) for t in
              page.locator("#timeline a.bar title").all_text_contents()]
    tallest = periods[totals.index(max(totals))]
    bars.nth(periods.index(tallest)).click()
    page.wait_for_url(re.compile(rf"since={tallest}&until={tallest}"))
    narrowed = results(arc, word, "--since", tallest, "--until", tallest)
    assert narrowed == max(totals)
    assert f"of {narrowed} result" in summary(page)
    assert f"date: {tallest} ×" in page.locator("#filters").inner_text()
    assert page.locator(f'[data-facet="year"] label:has-text("{tallest[:4]}") input').is_checked()

    # Open an article, then go back.
    before = summary(page)
    title = page.locator("#hits li .title").first
    expected = title.inner_text()
    title.click()
    page.wait_for_url(re.compile(r"/article/"))
    assert page.locator("#title").inner_text() == expected
    doc = page.url.split("/article/")[1].split("?")[0]
    shown = arc.json("show", doc)
    assert shown["outlet"] in page.locator("#fields").inner_text()
    assert page.locator("#body p").first.inner_text() == shown["body"].split("\n")[0].strip()
    page.wait_for_selector("#similar li")  # loaded by the page's script
    assert page.locator("#similar li a").count() == min(5, len(arc.json("similar", doc)["hits"]))
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    page.go_back()
    page.wait_for_url(re.compile(rf"since={tallest}"))
    assert summary(page).split(" (")[0] == before.split(" (")[0]

    # Page: the second page of the whole result.
    page.goto(server.url + "/?q=drills")
    page.click("#pager a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    assert summary(page).startswith(f"11-{min(20, total)} of {total} results")
    second = arc.json("search", word, "--page", "2")["hits"]
    assert page.locator("#hits li .title").all_inner_texts() == [
        h["title"] or "(untitled)" for h in second]
    assert page.locator("#hits").get_attribute("start") == "11"
    assert page.problems == []
    assert (tmp_path / "search.png").stat().st_size > 10_000
    assert (tmp_path / "article.png").stat().st_size > 10_000


def test_query_errors_and_hostile_pages_fail_safely(arc, server, page):
    page.goto(server.url + "/")
    page.fill("#q", '"joint exercises')
    page.press("#q", "Enter")
    page.wait_for_selector("#query-error")
    assert page.locator("#query-error").inner_text() == "unclosed quote opened at column 1"
    page.problems.remove("Failed to load resource: the server responded with a status of 400 "
                         "(Bad Request)")  # the page comes with status 400, as it should

    # The hostile article: its markup shows as text and runs nothing.
    page.goto(server.url + "/?q=harbour+drills")
    assert XSS_TITLE in page.locator("#hits .title").all_inner_texts()
    page.goto(f"{server.url}/article/{xss_id(arc)}")
    assert page.locator("#title").inner_text() == XSS_TITLE
    assert XSS_OUTLET in page.locator("#fields").inner_text()
    assert page.locator("#body img, #body script, #fields b").count() == 0
    assert page.problems == []

    # A path in the URL reaches no file.
    for path in ("/article/..%2F..%2F..%2Fetc%2Fpasswd/raw", "/static/..%2F..%2Fsearch%2Fcli.py"):
        response = page.goto(server.url + path)
        assert response.status == 404
        assert "root:" not in page.content()
    page.problems.clear()  # the two 404s
    raw = page.goto(f"{server.url}/article/{xss_id(arc)}/raw")
    assert raw.headers["content-type"] == "text/plain; charset=utf-8"
    # Shown as the file's text, markup and all, not rendered as a page.
    assert page.locator("body").inner_text().startswith("<!doctype html>\n<html><head>")
    assert page.problems == []
