"""JSON feeds: news-please files, JSON Lines exports (newsdex's own round trip), field mapping,
hostile lines; and articles in German, French and Spanish, stemmed and faceted by language."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from indexer.store import open_index
from search.searcher import MARK_END, MARK_START, Request, Search
from tests.conftest import SEEDS, run_newsdex

NEWS_PLEASE = {
    "authors": ["Staff", "Maria Keller"],
    "date_download": "2023-03-02 10:01:22",
    "date_modify": None,
    "date_publish": "2023-03-01 08:30:00",
    "description": "Die Regierung plant neue Wahlen.",
    "filename": "https%3A%2F%2Fwww.example.de%2Fpolitik%2Fwahl.json",
    "image_url": None,
    "language": "de",
    "localpath": None,
    "maintext": "Die Regierung hat am Mittwoch angekündigt, dass die nächsten Wahlen im "
                "Herbst stattfinden sollen. Die Opposition begrüßte die Entscheidung, "
                "forderte aber eine längere Frist für die Vorbereitung der Parteien.\n\n"
                "Der Ministerpräsident sagte, das Land brauche eine stabile Regierung.",
    "source_domain": "www.example.de",
    "title": "Regierung kündigt Wahlen im Herbst an",
    "title_page": None,
    "title_rss": None,
    "url": "https://www.example.de/politik/wahl",
}

FRENCH = ("Le gouvernement a annoncé mercredi que les prochaines élections auront lieu à "
          "l'automne. L'opposition a salué cette décision mais réclame un délai plus long "
          "pour préparer les partis politiques.")
SPANISH = ("El gobierno anunció el miércoles que las próximas elecciones se celebrarán en "
           "otoño. La oposición celebró la decisión, pero pidió un plazo más largo para "
           "preparar a los partidos políticos.")
ENGLISH = ("The government announced on Wednesday that the next elections will be held in "
           "the autumn. The opposition welcomed the decision but asked for more time to "
           "prepare the parties.")


def index(cli, *paths) -> dict:
    """`newsdex index PATHS --json` as a process of its own: language detection loads a model of
    ~100 MB, which must not stay in the test process (its children would inherit that peak
    memory, and the tests that measure a child's peak memory would see it)."""
    done = run_newsdex("index", *paths, "--index", cli.index, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def hits(cli, query: str = "*", *options: str) -> list[dict]:
    result = cli("search", query, *options, "--jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_news_please_file_is_one_article_its_metadata_checked(cli, tmp_path):
    folder = tmp_path / "np"
    folder.mkdir()
    (folder / "wahl.json").write_text(json.dumps(NEWS_PLEASE), encoding="utf-8")
    summary = cli.json("index", folder)
    assert summary["added"] == 1
    (hit,) = hits(cli)
    assert hit["title"] == "Regierung kündigt Wahlen im Herbst an"
    assert hit["authors"] == ["Maria Keller"]  # "Staff" is no author
    assert hit["published"] == "2023-03-01"
    assert hit["url"] == "https://www.example.de/politik/wahl"
    assert hit["language"] == "de"
    assert hit["path"] == f"{folder / 'wahl.json'}#0"
    # German stemming: the singular finds the plural and back.
    assert [h["id"] for h in hits(cli, "Wahl")] == [hit["id"]]
    assert [h["id"] for h in hits(cli, "lang:de Regierungen")] == [hit["id"]]
    assert hits(cli, "lang:fr") == []
    raw = cli("show", hit["id"], "--raw")
    assert '"maintext"' in raw.stdout


def test_languages_are_stemmed_faceted_and_queried(cli, tmp_path):
    lines = [
        {"title": "Wahlen im Herbst", "text": NEWS_PLEASE["maintext"], "url": "https://a.de/1"},
        {"title": "Les élections", "text": FRENCH, "url": "https://a.fr/1"},
        {"title": "Las elecciones", "text": SPANISH, "url": "https://a.es/1"},
        {"title": "The elections", "text": ENGLISH, "url": "https://a.uk/1"},
    ]
    feed = tmp_path / "mixed.jsonl"
    feed.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines),
                    encoding="utf-8")
    assert index(cli, feed)["added"] == 4
    by_lang = {h["language"]: h["id"] for h in hits(cli)}
    assert set(by_lang) == {"de", "fr", "es", "en"}  # detected: the feed names none
    # Inflected forms, each in its own language, accents folded as ever.
    assert {h["id"] for h in hits(cli, "Wahl")} == {by_lang["de"]}
    assert {h["id"] for h in hits(cli, "élection")} >= {by_lang["fr"]}
    assert {h["id"] for h in hits(cli, "eleccion")} == {by_lang["es"]}
    assert by_lang["es"] in {h["id"] for h in hits(cli, "partido")}
    assert {h["id"] for h in hits(cli, "election")} >= {by_lang["en"]}
    assert {h["id"] for h in hits(cli, '"nächste Wahl"')} == {by_lang["de"]}
    # Snippets mark the article's own forms of the word, found by its language's stemmer.
    with Search(open_index(str(cli.index))) as s:
        (german,) = s.run(Request("Wahl")).hits
    assert f"{MARK_START}Wahlen{MARK_END}" in german.snippet
    facets = cli.json("search", "*", "--facet", "language")["facets"]["language"]
    assert facets == [{"value": v, "count": 1} for v in ("de", "en", "es", "fr")]
    assert cli.json("facets", "language", "lang:fr OR lang:es") == [
        {"value": "es", "count": 1}, {"value": "fr", "count": 1}]
    assert [h["id"] for h in hits(cli, "lang:ES")] == [by_lang["es"]]


def test_field_names_can_be_mapped_and_bad_lines_are_warned_about(cli, tmp_path):
    feed = tmp_path / "export.jsonl.gz"
    good = {"headline_text": "Harbour pier opens", "story": ENGLISH, "byline": "By Ann Lee",
            "when": "2021-06-02", "site": "Valley Sentinel"}
    with gzip.open(feed, "wt", encoding="utf-8") as f:
        f.write(json.dumps(good) + "\n")
        f.write("{not json at all\n")
        f.write(json.dumps([1, 2]) + "\n")
        f.write(json.dumps({**good, "headline_text": "Second story", "story": ENGLISH + " Two."})
                + "\n")
    args = ["index", feed, "--map", "title=headline_text", "--map", "body=story",
            "--map", "authors=byline", "--map", "published=when", "--map", "outlet=site"]
    summary = cli.json(*args)
    assert summary["added"] == 2
    assert summary["warnings"] == [
        {"path": str(feed), "warning": "line 2: not JSON (Expecting property name enclosed in "
                                       "double quotes: line 1 column 2 (char 1)) (skipped)"}]
    assert summary["records_skipped"] == {"not JSON (Expecting property name enclosed in double "
                                          "quotes: line 1 column 2 (char 1))": 1,
                                          "not a JSON object": 1}
    found = {h["title"]: h for h in hits(cli)}
    assert found["Harbour pier opens"]["authors"] == ["Ann Lee"]
    assert found["Harbour pier opens"]["published"] == "2021-06-02"
    assert found["Harbour pier opens"]["outlet"] == "Valley Sentinel"
    bad = cli(*args[:2], "--map", "colour=x")
    assert bad.exit_code == 1 and "--map 'colour=x'" in bad.stderr


def test_a_jsonl_export_with_bodies_reindexes_into_an_equal_index(cli, tmp_path):
    from tests.conftest import Cli

    cli.json("index", SEEDS)
    export = cli("search", "*", "--jsonl", "--with-body")
    assert export.exit_code == 0
    lines = [json.loads(line) for line in export.stdout.splitlines()]
    assert len(lines) == 2 and all(line["body"] for line in lines)
    dump = tmp_path / "dump" / "export.jsonl"
    dump.parent.mkdir()
    dump.write_text(export.stdout, encoding="utf-8")
    again = Cli(tmp_path / "again")
    assert again.json("index", dump.parent)["added"] == 2

    def fields(c) -> list[tuple]:
        rows = [json.loads(x) for x in c("search", "*", "--jsonl", "--with-body").stdout.split(
            "\n") if x]
        keys = ("title", "authors", "outlet", "published", "dateline", "language", "body")
        return sorted(tuple(json.dumps(r[k]) for k in keys) for r in rows)

    assert fields(again) == fields(cli)
    # Searches agree too.
    for query in ("joint exercises", "lukashenko", "date:2022", "outlet:examiner"):
        assert len(hits(again, query)) == len(hits(cli, query)), query


def test_a_grown_jsonl_feed_reads_only_its_new_lines(cli, tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [{"title": f"Story {i}", "text": ENGLISH + f" Number {i}."} for i in range(3)]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows[:2]))
    old = os.stat(feed).st_mtime_ns - 10_000_000_000
    os.utime(feed, ns=(old, old))
    assert cli.json("index", feed)["added"] == 2
    with open(feed, "a") as f:
        f.write(json.dumps(rows[2]) + "\n")
    os.utime(feed, ns=(old + 1_000_000_000,) * 2)
    grown = cli.json("index", feed)
    assert (grown["added"], grown["updated"], grown["unchanged"]) == (1, 0, 0)
    assert sorted(h["title"] for h in hits(cli)) == ["Story 0", "Story 1", "Story 2"]


def test_english_analysis_is_unchanged_by_other_languages(cli, tmp_path):
    """English words keep their Porter stems whatever else the index holds."""
    cli.json("index", SEEDS)
    before = {q: [h["id"] for h in hits(cli, q)] for q in ("drills", "exercise", "sanctions")}
    feed = Path(tmp_path / "de.jsonl")
    feed.write_text(json.dumps({"title": "Wahl", "text": NEWS_PLEASE["maintext"]}) + "\n")
    index(cli, SEEDS, feed)
    after = {q: [h["id"] for h in hits(cli, q)] for q in before}
    assert after == before and all(before.values())


def test_a_truncated_gzip_feed_keeps_the_lines_before_the_break(cli, tmp_path):
    rows = [{"title": f"Story {i}", "text": ENGLISH + f" Number {i}. " + ENGLISH * 12}
            for i in range(40)]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    feed = tmp_path / "cut.jsonl.gz"
    feed.write_bytes(data[: len(data) * 2 // 3])  # a download that stopped
    result = cli("index", feed, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert 0 < summary["added"] < 40
    (warning,) = summary["warnings"]
    assert warning["path"] == str(feed) and warning["warning"].startswith(
        f"line {summary['added'] + 1}: broken gzip data")
    assert {h["title"] for h in hits(cli)} == {f"Story {i}" for i in range(summary["added"])}
