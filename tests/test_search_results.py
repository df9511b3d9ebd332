"""Results, ranking, facets, snippets, suggestions, exports, show, stats and similar, through the
CLI over the generated archive (tests/archive.py); expectations come from the generated text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pty
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from archive import Indexed, indexed

ROOT = Path(__file__).resolve().parent.parent
DRILL = r"\bdrill(s|ed|ing)?\b"


@pytest.fixture(scope="session")
def arc(tmp_path_factory) -> Indexed:
    return indexed(tmp_path_factory)


def has(pattern: str):
    regex = re.compile(pattern, re.I)
    return lambda doc: bool(regex.search(doc.text))


def docs_of(arc: Indexed, paths) -> list:
    return [arc.by_path[p] for p in paths]


# --- ranking and order -----------------------------------------------------------------------

@pytest.mark.parametrize("word, pattern", [("drill", DRILL), ("wildfire", r"\bwildfires?\b")])
def test_title_matches_rank_above_body_only_matches(arc: Indexed, word, pattern):
    hits = arc.hits(word)
    in_title = [bool(re.search(pattern, arc.by_path[h["path"]].title, re.I)) for h in hits]
    assert True in in_title and False in in_title
    # Every title match first, then the rest.
    assert in_title == sorted(in_title, reverse=True)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_equal_scores_are_ordered_by_id(arc: Indexed):
    story = [d for d in arc.docs if d.story == "verbatim"]
    twins = [d for d in story if d.title == story[0].title]  # same headline, same body
    assert len(twins) == 2
    word = twins[0].paragraphs[0].split()[3]
    hits = [h for h in arc.hits(word) if h["path"] in {d.path for d in twins}]
    assert hits[0]["score"] == hits[1]["score"]
    assert [h["id"] for h in hits] == sorted(h["id"] for h in hits)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_put_undated_last_and_break_ties_by_id(arc: Indexed, sort):
    hits = arc.hits("ferry", "--sort", sort)
    assert {h["path"] for h in hits} == arc.expect(has(r"\bferry\b|\bferries\b"))
    for h in hits:
        assert h["published"] == arc.by_path[h["path"]].published
    dated = [h for h in hits if h["published"]]
    undated = [h for h in hits if not h["published"]]
    assert undated and hits[len(dated):] == undated
    assert [h["id"] for h in undated] == sorted(h["id"] for h in undated)
    expected = sorted(dated, key=lambda h: h["id"])
    expected.sort(key=lambda h: h["published"], reverse=sort == "newest")
    assert dated == expected
    assert all(h["score"] is None for h in hits)


def test_segments_without_a_field_do_not_shift_column_values(arc: Indexed, tmp_path: Path):
    # Three runs, three segments; the middle one has no dates and no datelines at all.
    groups = [
        [d for d in arc.docs if d.outlet == "Harbor Gazette"],
        [d for d in arc.docs if d.outlet == "The Prairie Ledger" and not d.published],
        [d for d in arc.docs if d.outlet == "Tidewire"],
    ]
    index = tmp_path / "index"
    for n, docs in enumerate(groups):
        folder = tmp_path / f"part{n}"
        folder.mkdir()
        for doc in docs:  # under the same relative path: some carry their date in it
            target = folder / Path(doc.path).relative_to(arc.articles)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(Path(doc.path).read_bytes())
        arc.ok("index", folder, "--outlets", arc.outlets, "--quiet", "--index", index)
    assert len(list(index.glob("*.pst"))) == 3
    hits = arc.hits("*", "--sort", "newest", "--index", index)
    by_name = {Path(d.path).name: d for docs in groups for d in docs}
    assert len(by_name) == sum(map(len, groups))
    assert len(hits) == sum(map(len, groups))
    for h in hits:
        doc = by_name[Path(h["path"]).name]
        assert (h["published"], h["dateline"], h["outlet"]) == (doc.published, doc.dateline,
                                                                 doc.outlet)
    assert [h["published"] for h in hits if h["published"]] == sorted(
        (d.published for docs in groups for d in docs if d.published), reverse=True)
    facets = arc.json("search", "*", "--facet", "year", "--facet", "dateline", "--index", index)
    everyone = [d for docs in groups for d in docs]
    assert facets["facets"]["year"] == _by_value(_counts(everyone, "year"))
    assert facets["facets"]["dateline"] == _by_count(_counts(everyone, "dateline"))
    since = arc.hits("*", "--since", "2020", "--index", index)
    assert {Path(h["path"]).name for h in since} == {
        Path(d.path).name for d in everyone if d.published and d.published >= "2020"}


def test_a_query_without_words_lists_newest_first(arc: Indexed):
    assert arc.hits("outlet:tidewire") == arc.hits("outlet:tidewire", "--sort", "newest")


def test_pages_and_limits_cut_the_same_order(arc: Indexed):
    everything = arc.hits("drill")
    page1 = arc.json("search", "drill", "--limit", "7")
    page3 = arc.json("search", "drill", "--limit", "7", "--page", "3")
    assert page1["total"] == page3["total"] == len(everything) == 29
    assert [h["id"] for h in page1["hits"]] == [h["id"] for h in everything[:7]]
    assert [h["id"] for h in page3["hits"]] == [h["id"] for h in everything[14:21]]
    beyond = arc.json("search", "drill", "--page", "9")
    assert beyond["total"] == 29 and beyond["hits"] == []


def test_terminal_results_show_rank_metadata_id_path_and_snippet(arc: Indexed):
    out = arc.ok("search", "wildfire", "--limit", "3")
    first = arc.hits("wildfire")[0]
    doc = arc.by_path[first["path"]]
    lines = out.splitlines()
    assert re.fullmatch(r"1-3 of 28 results for 'wildfire' \(\d+\.\d{3} s\)", lines[0])
    assert lines[2] == f"  1. {doc.title}"
    meta = " · ".join([doc.outlet, ", ".join(doc.authors), doc.published or "undated",
                       *([doc.dateline] if doc.dateline else [])])
    assert lines[3] == f"     {meta}"
    assert lines[4] == f"     id {first['id']}  {doc.path}"
    assert re.search(r"\bwildfires?\b", lines[5], re.I)
    assert "\x1b[" not in out  # not a terminal: no bold


# --- facets ----------------------------------------------------------------------------------

def _counts(docs, facet: str) -> Counter:
    values = {
        "outlet": lambda d: [d.outlet],
        "author": lambda d: d.authors,
        "year": lambda d: [d.year] if d.year else [],
        "month": lambda d: [d.published[:7]] if d.published and len(d.published) >= 7 else [],
        "dateline": lambda d: [d.dateline] if d.dateline else [],
    }[facet]
    return Counter(v for d in docs for v in values(d))


def _by_count(counts: Counter, limit: int | None = None) -> list[dict]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [{"value": v, "count": n} for v, n in items]


def _by_value(counts: Counter) -> list[dict]:
    return [{"value": v, "count": n} for v, n in sorted(counts.items())]


def test_facet_counts_and_their_order(arc: Indexed):
    result = arc.json("search", "drill", "--facet", "outlet", "--facet", "author", "--facet",
                      "year", "--facet", "month", "--facet", "dateline")
    docs = [d for d in arc.docs if has(DRILL)(d)]
    assert result["total"] == len(docs)
    facets = result["facets"]
    assert facets["outlet"] == _by_count(_counts(docs, "outlet"))
    assert facets["author"] == _by_count(_counts(docs, "author"), 10)
    assert len(facets["author"]) == 10 < len(_counts(docs, "author"))
    assert facets["dateline"] == _by_count(_counts(docs, "dateline"))
    assert facets["year"] == _by_value(_counts(docs, "year"))
    assert facets["month"] == _by_value(_counts(docs, "month"))
    limited = arc.json("search", "drill", "--facet", "author", "--facet-limit", "3")
    assert limited["facets"]["author"] == _by_count(_counts(docs, "author"), 3)


def test_multi_select_facets_leave_out_their_own_filter(arc: Indexed):
    result = arc.json("search", "drill", "--outlet", "Tidewire", "--since", "2015",
                      "--facet", "outlet", "--facet", "author", "--facet", "year")
    drill = [d for d in arc.docs if has(DRILL)(d)]

    def since(d):
        return d.published is not None and d.published >= "2015"

    shown = [d for d in drill if d.outlet == "Tidewire" and since(d)]
    assert result["total"] == len(shown) > 0
    assert {h["path"] for h in arc.hits("drill", "--outlet", "Tidewire", "--since", "2015")} \
        == {d.path for d in shown}
    # outlet: every outlet's count under the other filters (the date), so the choice can widen.
    assert result["facets"]["outlet"] == _by_count(
        _counts([d for d in drill if since(d)], "outlet"))
    assert len(result["facets"]["outlet"]) == 6
    # year: under the outlet filter but not the date filter.
    assert result["facets"]["year"] == _by_value(
        _counts([d for d in drill if d.outlet == "Tidewire"], "year"))
    # author has no filter of its own here: every filter applies.
    assert result["facets"]["author"] == _by_count(_counts(shown, "author"))


def test_author_filter_is_or_within_and_across_facets(arc: Indexed):
    result = arc.json("search", "*", "--author", "Simon Hale", "--author", "priya raman",
                      "--facet", "author", "--facet", "outlet")
    chosen = [d for d in arc.docs if {"Simon Hale", "Priya Raman"} & set(d.authors)]
    assert result["total"] == len(chosen)
    assert result["facets"]["author"] == _by_count(_counts(arc.docs, "author"), 10)
    assert result["facets"]["outlet"] == _by_count(_counts(chosen, "outlet"))


def test_year_facet_is_a_bar_chart_with_empty_years(arc: Indexed):
    out = arc.ok("search", "drill", "--facet", "year", "--limit", "1")
    docs = [d for d in arc.docs if has(DRILL)(d)]
    years = _counts(docs, "year")
    peak = max(years.values())
    chart = out.split("year:\n", 1)[1].splitlines()
    first, last = int(min(years)), int(max(years))
    assert len(chart) == last - first + 1
    for line, year in zip(chart, range(first, last + 1), strict=True):
        n = years.get(str(year), 0)
        bar = "█" * round(40 * n / peak)
        assert line == f"  {year:<7}  {n:>6}  {bar}".rstrip()
    assert any(str(y) not in years for y in range(first, last + 1))


def test_facets_command_lists_values_with_a_prefix(arc: Indexed):
    everyone = _counts(arc.docs, "author")
    sim = Counter({a: n for a, n in everyone.items() if a.lower().startswith("sim")})
    assert sorted(sim) == ["Simeon Barlow", "Simon Hale", "Simone Okafor"]
    assert json.loads(arc.ok("facets", "author", "--prefix", "Sim", "--json")) == _by_count(sim)
    assert json.loads(arc.ok("facets", "author", "--prefix", "SIM", "--json")) == _by_count(sim)
    # Accents do not matter either: "el" finds "Élodie Tremblay".
    assert [v["value"] for v in json.loads(arc.ok("facets", "author", "--prefix", "el",
                                                  "--json"))] == ["Élodie Tremblay"]
    drill = [d for d in arc.docs if has(DRILL)(d)]
    sim_drill = Counter({a: n for a, n in _counts(drill, "author").items()
                         if a.lower().startswith("sim")})
    assert json.loads(arc.ok("facets", "author", "drill", "--prefix", "sim", "--json")) == \
        _by_count(sim_drill)
    # All values, not the search's ten, sorted by count then name; --limit cuts.
    assert json.loads(arc.ok("facets", "author", "--json")) == _by_count(everyone)
    assert json.loads(arc.ok("facets", "outlet", "--limit", "2", "--json")) == \
        _by_count(_counts(arc.docs, "outlet"), 2)
    text = arc.ok("facets", "outlet", "--prefix", "the")
    assert text.splitlines() == ["outlet:", f"  The Prairie Ledger  "
                                 f"{_counts(arc.docs, 'outlet')['The Prairie Ledger']:>6}"]


def test_facets_command_applies_every_filter(arc: Indexed):
    got = json.loads(arc.ok("facets", "year", "--since", "2020", "--outlet", "Harbor Gazette",
                            "--json"))
    chosen = [d for d in arc.docs if d.outlet == "Harbor Gazette" and d.year and d.year >= "2020"]
    assert got == _by_value(_counts(chosen, "year"))
    months = json.loads(arc.ok("facets", "month", "--prefix", "2022-0", "--json"))
    assert months == _by_value(Counter({m: n for m, n in _counts(arc.docs, "month").items()
                                        if m.startswith("2022-0")}))


# --- snippets, colour, pager -----------------------------------------------------------------

@pytest.mark.parametrize("query, pattern", [
    ("frigates", r"\bfrigates?\b"),
    ("embargo", r"\bembargo\b"),  # never in a title, rarely in the opening lines
    ("sanction*", r"\bsanction\w*"),
    ("Halvorsn~", r"\bHalvorsen\b"),
])
def test_snippets_hold_the_matched_words(arc: Indexed, query, pattern):
    result = arc.json("search", query, "--limit", "50")
    assert result["total"] == len(result["hits"]) > 5
    for hit in result["hits"]:
        assert re.search(pattern, hit["snippet"], re.I), hit["snippet"]
        assert len(hit["snippet"]) <= 300
        assert "\x02" not in hit["snippet"] and "\x1b" not in hit["snippet"]


def _in_terminal(*args: str, env: dict | None = None, lines: int = 200) -> str:
    """newsdex run with stdin and stdout on a pseudo-terminal; what the terminal received."""
    master, slave = pty.openpty()
    full_env = {**os.environ, "LINES": str(lines), "COLUMNS": "120", "TERM": "xterm",
                **(env or {})}
    if "NO_COLOR" not in (env or {}):
        full_env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "search", *args], stdin=slave, stdout=slave,
                            stderr=slave, env=full_env, cwd=ROOT, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed when newsdex exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0, b"".join(chunks)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_matches_are_bold_on_a_terminal_unless_no_color(arc: Indexed):
    args = ("search", "frigates", "--limit", "2", "--index", str(arc.index))
    out = _in_terminal(*args, env={"PAGER": "cat"})
    assert re.search(r"\x1b\[1mfrigates?\x1b\[0m", out, re.I)
    embargo = _in_terminal("search", "embargo", "--limit", "3", "--index", str(arc.index))
    assert embargo.count("\x1b[1membargo\x1b[0m") >= 3
    plain = _in_terminal(*args, env={"NO_COLOR": "1", "PAGER": "cat"})
    assert "\x1b[" not in plain
    def untimed(text):
        return re.sub(r"\(\d+\.\d+ s\)", "(s)", text)

    assert untimed(re.sub(r"\x1b\[\d+m", "", out)) == untimed(plain)


def test_long_output_goes_through_the_pager_on_a_terminal(arc: Indexed, tmp_path: Path):
    paged = tmp_path / "paged.txt"
    args = ("search", "ferry", "--index", str(arc.index))
    out = _in_terminal(*args, env={"PAGER": f"tee {paged}", "NO_COLOR": "1"}, lines=20)
    assert paged.exists()
    text = paged.read_text()
    assert text.startswith("1-10 of 30 results for 'ferry'") and text.count("\n") > 20
    assert text in out
    short = tmp_path / "short.txt"
    _in_terminal("search", "ferry", "--limit", "1", "--index", str(arc.index),
                 env={"PAGER": f"tee {short}", "NO_COLOR": "1"}, lines=20)
    assert not short.exists()


# --- did you mean ----------------------------------------------------------------------------

@pytest.mark.parametrize("query, suggestion", [
    ("drils", "drills"),
    ("Halvorson", "Halvorsen"),
    ("exercize", "exercises"),
    ("naval exercize", "naval exercises"),
    ("trawlr quota", "trawler quota"),
])
def test_did_you_mean_real_words(arc: Indexed, query, suggestion):
    result = arc.json("search", query)
    assert result["suggestion"] == suggestion
    better = arc.json("search", suggestion)
    assert better["total"] > result["total"]
    assert f"Did you mean: {suggestion}" in arc.ok("search", query).splitlines()[1]


@pytest.mark.parametrize("query", ["drill", "qqqzzzx", "drill -drills", "Halvorsn~"])
def test_no_suggestion_when_found_or_nothing_close(arc: Indexed, query):
    assert arc.json("search", query)["suggestion"] is None


# --- exports ---------------------------------------------------------------------------------

def test_jsonl_exports_every_hit_in_order(arc: Indexed):
    hits = arc.hits("*", "--sort", "oldest", "--limit", "3")
    assert len(hits) == 240
    assert {h["path"] for h in hits} == {d.path for d in arc.docs}
    first_page = arc.json("search", "*", "--sort", "oldest", "--limit", "25")
    assert [h["id"] for h in hits[:25]] == [h["id"] for h in first_page["hits"]]
    for h in hits:
        doc = arc.by_path[h["path"]]
        assert (h["title"], h["authors"], h["outlet"], h["published"], h["dateline"]) == (
            doc.title, doc.authors, doc.outlet, doc.published, doc.dateline)
        assert set(h) == {"id", "path", "title", "authors", "outlet", "published", "dateline",
                          "score", "url", "language"}


def test_csv_exports_every_hit(arc: Indexed):
    out = arc.ok("search", "sanction*", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = arc.expect(has(r"\bsanction\w*"))
    assert len(rows) == len(expected) and {r["path"] for r in rows} == expected
    assert list(rows[0]) == ["id", "path", "title", "authors", "outlet", "published",
                             "dateline", "score"]
    two = next(r for r in rows if len(arc.by_path[r["path"]].authors) == 2)
    assert two["authors"] == "; ".join(arc.by_path[two["path"]].authors)
    assert [r["id"] for r in rows] == [h["id"] for h in arc.hits("sanction*")]


def test_count_prints_only_the_total(arc: Indexed):
    assert arc.ok("search", "drill", "--count") == "29\n"
    assert arc.ok("search", "*", "--count", "--outlet", "Valley Sentinel") == \
        f"{len(arc.expect(lambda d: d.outlet == 'Valley Sentinel'))}\n"
    assert arc.ok("search", "qqqzzzx", "--count") == "0\n"


def test_json_matches_the_contract(arc: Indexed):
    result = arc.json("search", "drill", "--facet", "outlet", "--limit", "2")
    assert {"query", "total", "page", "hits", "facets", "suggestion"} <= set(result)
    assert result["query"] == "drill" and result["page"] == 1
    assert {"id", "path", "title", "authors", "outlet", "published", "score", "snippet"} <= \
        set(result["hits"][0])


# --- show, stats, similar --------------------------------------------------------------------

def _id(arc: Indexed, doc) -> str:
    return next(h["id"] for h in arc.hits("*") if h["path"] == doc.path)


def test_show_prints_the_cleaned_article_with_metadata(arc: Indexed):
    doc = next(d for d in arc.docs
               if d.outlet == "Harbor Gazette" and len(d.authors) == 2 and d.dateline)
    doc_id = _id(arc, doc)
    out = arc.ok("show", doc_id)
    assert out.splitlines()[:7] == [
        doc.title, f"Authors:   {', '.join(doc.authors)}", f"Outlet:    {doc.outlet}",
        f"Published: {doc.published} (from file path)", f"Dateline:  {doc.dateline}",
        f"Path:      {doc.path}", f"Id:        {doc_id}"]
    assert out.split("\n\n", 1)[1].rstrip("\n") == "\n\n".join(doc.paragraphs)
    data = arc.json("show", doc_id)
    assert data["body"] == "\n\n".join(doc.paragraphs)
    assert (data["title"], data["authors"], data["outlet"], data["published"]) == (
        doc.title, doc.authors, doc.outlet, doc.published)


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_show_raw_prints_the_original_file(arc: Indexed, suffix):
    doc = next(d for d in arc.docs if d.path.endswith(suffix))
    raw = arc.ok("show", _id(arc, doc), "--raw")
    original = Path(doc.path).read_text(encoding="utf-8")
    assert raw == original if original.endswith("\n") else raw == original + "\n"


def test_show_an_unknown_id_is_a_one_line_error(arc: Indexed):
    result = arc.run("show", "0123456789abcdef")
    assert result.exit_code == 1
    assert result.stderr == "newsdex: error: no article with id 0123456789abcdef in this index\n"


def test_stats(arc: Indexed):
    data = arc.json("stats")
    published = [d.published for d in arc.docs if d.published]
    size = sum(f.stat().st_size for f in arc.index.iterdir() if f.is_file())
    assert data["documents"] == 240
    assert data["outlets"] == 6
    assert data["authors"] == 18
    assert data["first"] == min(published) and data["last"] == max(published)
    assert data["undated"] == 240 - len(published) > 0
    assert data["index_bytes"] == size
    indexed_at = dt.datetime.fromisoformat(data["last_indexed"])
    assert abs((dt.datetime.now() - indexed_at).total_seconds()) < 3600
    text = arc.ok("stats").splitlines()
    assert text[0] == "documents     240"
    assert f"undated       {data['undated']}" in text
    assert any(re.fullmatch(rf"index size    \d+\.\d (KiB|MiB) \({size} bytes\)", t)
               for t in text)


def test_similar_finds_the_copies_and_the_topic_first(arc: Indexed):
    story = [d for d in arc.docs if d.story == "verbatim"]
    original = next(d for d in story if d.outlet == "Tidewire")
    result = arc.json("similar", _id(arc, original), "--limit", "5")
    paths = [h["path"] for h in result["hits"]]
    assert set(paths[:2]) == {d.path for d in story if d is not original}
    assert original.path not in paths
    assert all(arc.by_path[p].topic == original.topic for p in paths)
    plain = next(d for d in arc.docs if not d.story and d.topic == "fisheries")
    near = arc.json("similar", _id(arc, plain), "--limit", "5")["hits"]
    assert len(near) == 5 and all(arc.by_path[h["path"]].topic == "fisheries" for h in near)


# --- cold start ------------------------------------------------------------------------------

def _cold_run(arc: Indexed, argv: list[str], then: str) -> list[str]:
    """Run `newsdex ARGV --index ...` in a fresh interpreter, then the Python lines `then`
    (which print what they look at in sys.modules); the output's lines."""
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['newsdex', *{argv!r}, '--index', {str(arc.index)!r}]\n"
        "try:\n"
        "    runpy.run_module('search', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n" + then
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_search_does_not_import_the_extraction_stack(arc: Indexed):
    lines = _cold_run(arc, ["search", "drill", "--facet", "outlet"], (
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'bs4', 'lxml', 'dateutil', 'html5lib', 'trafilatura', 'htmldate'}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('indexer.')))\n"))
    *_, heavy, ours = lines
    assert "29 results for 'drill'" in "\n".join(lines)
    assert heavy == "[]"
    assert set(eval(ours)) <= {"indexer.analysis", "indexer.codec", "indexer.errors",
                               "indexer.schema",
                               "indexer.store"}


@pytest.mark.parametrize("argv", [["search", "drill"], ["search", "drill OR ferry", "--json"],
                                  ["show", "ID"], ["show", "ID", "--raw"]])
def test_one_search_or_show_does_not_import_numpy(arc: Indexed, argv):
    """numpy's import is most of a cold process's time: a search of words (search/quick.py)
    and `show` run without it."""
    argv = [_id(arc, arc.docs[0]) if a == "ID" else a for a in argv]
    lines = _cold_run(arc, argv, "print('numpy' in sys.modules)\n")
    assert lines[-1] == "False"
    assert len(lines) > 2  # it printed a result


@pytest.mark.parametrize("argv,collecting", [(["search", "drill"], False),
                                             (["search", "drill", "--jsonl"], True),
                                             (["stats"], True)])
def test_the_collector_stays_off_for_a_page_of_results_only(arc: Indexed, argv, collecting):
    """The command starts with the garbage collector off (search/__main__.py: 20 ms of a cold
    search); a page of results keeps it off, an export (unbounded) and every other command
    turn it back on."""
    lines = _cold_run(arc, argv, "import gc\nprint(gc.isenabled())\n")
    assert lines[-1] == str(collecting)
    assert len(lines) > 2
