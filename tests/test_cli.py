"""Day one, through the CLI: index the seeds, search them with facets, extract, show, stats."""

from __future__ import annotations

import json
import os
import shutil

from tests.conftest import SEEDS

WSJ = "000_ce7903ab4e07314b.txt"
EXAMINER = "002_96b4f7c06a63472f.txt"


def extract(cli, path) -> dict:
    result = cli("extract", path, "--json", index=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_seeds_are_the_shared_samples_under_their_own_names():
    assert sorted(p.name for p in SEEDS.iterdir()) == [WSJ, EXAMINER]


def test_extract_wsj_seed(cli):
    data = extract(cli, SEEDS / WSJ)
    assert data["authors"] == ["Ann M. Simmons"]
    assert data["outlet"] == "The Wall Street Journal"
    assert data["published"] == "2022"  # the copyright year: right, and only as precise as that
    assert data["published_source"]
    assert data["dateline"] == "MOSCOW"
    body = data["body"]
    for gone in ("[ad_1]", "[ad_2]", "Leave a Reply", "Photo:", "Getty Images", "Write to",
                 "Copyright", "87990cbe856818d5"):
        assert gone not in body
    for line in ("[ad_1]", "[ad_2]", "Leave a Reply", "Photo:",
                 "vyacheslav oseledko/Agence France-Presse/Getty Images",
                 "Write to Ann M. Simmons at ann.simmons@wsj.com"):
        assert line in data["removed"]
    assert any(r.startswith("Copyright ©2022 Dow Jones") for r in data["removed"])
    # The fragments left by dropped links are one paragraph again.
    assert ("came the same day Russian President met with Belarusian President Alexander "
            "Lukashenko in Minsk, stirring unease") in body
    assert "On Monday, Kremlin spokesman Dmitry Peskov, described as" in body
    assert "Sergei Lavrov and his Chinese counterpart Wang Yi." in body
    # The photo's caption is a sentence of the page: only the label and the credit go.
    assert ("Belarus President Alexander Lukashenko has signaled that he isn’t planning to "
            "deploy troops to aid the Kremlin.") in body
    # Every article sentence is kept, in order.
    raw = (SEEDS / WSJ).read_text(encoding="utf-8")
    for sentence in ("MOSCOW—Russia said it would hold joint naval drills with China",
                     "Russian and Chinese marine aviation planes and helicopters would also",
                     "“Our relations will grow only stronger.”"):
        assert sentence in raw and sentence in body
    assert body.index("MOSCOW—Russia") < body.index("marine aviation planes")


def test_extract_examiner_seed(cli):
    data = extract(cli, SEEDS / EXAMINER)
    assert data["title"] == ("Putin boasts of ‘joint military exercises’ in meeting with "
                             "Chinese defense chief")
    assert data["authors"] == ["Joel Gehrke"]
    assert data["outlet"] == "Washington Examiner"
    assert data["published"] is None  # "August of 2022" in the text is not its date
    body = data["body"]
    for gone in ("Video Embed", "PENTAGON: CHINA REFUSES", "CLICK HERE TO READ MORE"):
        assert gone not in body
    assert body.startswith("Russian President Vladimir Putin touted")
    assert "in August of 2022" in body
    assert body.rstrip().endswith("the most profound changes of the past 100 years.”")


def test_index_search_facets_and_rerun(cli, seeds):
    first = cli.json("index", seeds)
    assert (first["added"], first["skipped"]) == (2, [])

    result = cli.json("search", "joint exercises", "--facet", "outlet")
    assert result["total"] == 2
    counts = {f["value"]: f["count"] for f in result["facets"]["outlet"]}
    assert counts == {"The Wall Street Journal": 1, "Washington Examiner": 1}

    wsj = cli.json("search", "drills", "--outlet", "The Wall Street Journal")
    assert [h["outlet"] for h in wsj["hits"]] == ["The Wall Street Journal"]
    assert wsj["hits"][0]["path"].endswith(WSJ)

    again = cli.json("index", seeds)
    assert again["unchanged"] == 2 and again["added"] == again["updated"] == 0
    assert cli.json("stats")["documents"] == 2


def test_search_json_shape(cli, seeds):
    cli("index", seeds)
    result = cli.json("search", "Lukashenko", "--facet", "author", "--facet", "year",
                      "--facet", "month")
    assert set(result) >= {"query", "total", "page", "hits", "facets", "suggestion"}
    hit = result["hits"][0]
    assert set(hit) >= {"id", "path", "title", "authors", "outlet", "published", "score",
                        "snippet"}
    assert hit["authors"] == ["Ann M. Simmons"] and hit["published"] == "2022"
    assert "Lukashenko" in hit["snippet"]
    assert result["facets"]["author"] == [{"value": "Ann M. Simmons", "count": 1}]
    assert result["facets"]["year"] == [{"value": "2022", "count": 1}]
    assert result["facets"]["month"] == []  # a year-precise date has no month


def test_search_filters_sort_and_paging(cli, seeds):
    cli("index", seeds)
    assert cli.json("search", "Putin", "--author", "joel gehrke")["total"] == 1
    # A year-precise date lies inside all of 2022, not inside January to November.
    assert cli.json("search", "Putin", "--since", "2022", "--until", "2022-12")["total"] == 1
    assert cli.json("search", "Putin", "--since", "2022", "--until", "2022-11")["total"] == 0
    assert cli.json("search", "Putin", "--since", "2022")["total"] == 1
    newest = cli.json("search", "*", "--sort", "newest")["hits"]
    assert [h["published"] for h in newest] == ["2022", None]  # undated last
    page2 = cli.json("search", "Putin", "--limit", "1", "--page", "2")
    assert page2["total"] == 2 and len(page2["hits"]) == 1


def test_text_output_has_hits_and_facet_counts(cli, seeds):
    cli("index", seeds)
    result = cli("search", "joint exercises", "--facet", "outlet", "--facet", "author")
    assert result.exit_code == 0
    out = result.stdout
    assert "2 results" in out
    assert "Washington Examiner" in out and "The Wall Street Journal" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert "outlet:" in out and "author:" in out


def test_show_and_stats(cli, seeds):
    cli("index", seeds)
    hit = cli.json("search", "drills", "--outlet", "The Wall Street Journal")["hits"][0]
    shown = cli.json("show", hit["id"])
    assert shown["id"] == hit["id"] and shown["authors"] == ["Ann M. Simmons"]
    assert "[ad_1]" not in shown["body"] and "joint naval drills" in shown["body"]
    text = cli("show", hit["id"]).stdout
    assert "Ann M. Simmons" in text and "joint naval drills" in text
    stats = cli.json("stats")
    assert stats["documents"] == 2 and stats["outlets"] == 2 and stats["authors"] == 2
    assert stats["first"] == stats["last"] == "2022" and stats["undated"] == 1
    assert stats["index_bytes"] > 0


def test_ids_are_stable_across_runs(cli, seeds, tmp_path):
    cli("index", seeds)
    before = {h["path"]: h["id"] for h in cli.json("search", "*")["hits"]}
    (seeds / WSJ).write_text((seeds / WSJ).read_text() + "\nOne more line.\n")
    assert cli.json("index", seeds)["updated"] == 1
    after = {h["path"]: h["id"] for h in cli.json("search", "*")["hits"]}
    assert before == after


def test_deleted_files_leave_the_index(cli, seeds):
    cli("index", seeds)
    (seeds / EXAMINER).unlink()
    summary = cli.json("index", seeds)
    assert summary["removed"] == 1
    assert cli.json("search", "*")["total"] == 1


def test_bad_input_folder(cli, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(SEEDS, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\t\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes(
        "Montréal élection\nLe maire de Montréal a parlé aux électeurs.\n".encode("latin-1"))
    (folder / "broken-utf8.txt").write_bytes(
        "Café owners in Zürich said prices rose.\nThey blamed the winter, ".encode() +
        b"\xff\xfe bad bytes here, " + "and the café closed early.\n".encode())
    (folder / "gone.txt").symlink_to(tmp_path / "vanished.txt")
    result = cli("index", folder, "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in summary["skipped"]}
    assert set(skipped) == {"empty.txt", "blank.txt", "binary.txt", "gone.txt"}
    assert "empty" in skipped["empty.txt"] and "binary" in skipped["binary.txt"]
    assert "symlink" in skipped["gone.txt"]
    assert summary["added"] == 4  # the seeds, latin-1 and broken UTF-8, decoded
    assert "Traceback" not in result.output
    # One warning line per skipped file, each naming the file and the reason.
    warnings = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(warnings) == 4 and all(":" in w for w in warnings)
    assert cli.json("search", "Montreal")["total"] == 1
    assert cli.json("search", "cafe closed")["total"] == 1


def test_missing_index_and_broken_query_are_one_line_errors(cli, seeds):
    missing = cli("search", "anything")
    assert missing.exit_code == 1
    assert missing.stderr.count("\n") == 1 and "no index" in missing.stderr
    cli("index", seeds)
    broken = cli("search", '"joint exercises')
    assert broken.exit_code == 1
    assert broken.stderr.count("\n") == 1 and "quote" in broken.stderr
    assert "Traceback" not in broken.output


def test_show_raw_finds_a_file_whose_name_is_not_utf8(cli, tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    name = b"caf\xe9-report.txt"  # latin-1 bytes: not valid UTF-8
    with open(bytes(folder) + b"/" + name, "wb") as f:
        f.write(b"Harbour strike ends\nDock workers returned to work on Monday.\n")
    cli("index", folder)
    hit = cli.json("search", "harbour")["hits"][0]
    assert "\\xe9" in hit["path"]  # printable in the index and in output
    raw = cli("show", hit["id"], "--raw")
    assert raw.exit_code == 0, raw.output
    assert "Dock workers returned to work on Monday." in raw.stdout


def test_show_raw_of_an_edited_article_prints_its_new_version(cli, tmp_path):
    """An edited file keeps its id; its old document lingers, deleted, in an older segment
    until a merge: `show --raw` must find the live one."""
    folder = tmp_path / "edits"
    folder.mkdir()
    story = folder / "strike.txt"
    story.write_text("Harbour strike ends\nDock workers returned to work on Monday.\n")
    os.utime(story, (1, 1))
    cli("index", folder)
    doc_id = cli.json("search", "harbour")["hits"][0]["id"]
    story.write_text("Harbour strike ends\nDock workers returned to work on Tuesday.\n")
    cli("index", folder)
    raw = cli("show", doc_id, "--raw")
    assert raw.exit_code == 0, raw.output
    assert "Tuesday" in raw.stdout and "Monday" not in raw.stdout


def test_paths_with_control_characters_are_escaped_in_every_output(cli, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "evil\x1b]0;pwned\x07\u009b31m.txt").write_text(
        "Harbour strike ends\nDock workers returned to work on Monday.\n", encoding="utf-8")
    summary = cli("index", folder, "--json")
    outputs = [summary.stdout, cli("search", "harbour").stdout,
               cli("search", "harbour", "--json").stdout,
               cli("search", "harbour", "--jsonl").stdout]
    hit_id = cli.json("search", "harbour")["hits"][0]["id"]
    outputs += [cli("show", hit_id).stdout, cli("show", hit_id, "--json").stdout]
    for out in outputs:
        assert not any(c in out for c in "\x1b\x07\u009b"), out
    assert "\\x1b]0;pwned" in cli("search", "harbour").stdout  # escaped, still recognisable
