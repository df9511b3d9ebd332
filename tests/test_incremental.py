"""Incremental indexing: change detection with exact counts, no re-reading of unchanged files,
moves without re-extraction, --keep-missing, --full, and an incremental index that equals a
clean rebuild.

`write_articles` is also the article generator of the crash, lock and watch tests: invented
scraped-style articles (title, byline, date line, ad and footer noise, several paragraphs; every
seventh one a saved HTML page), each with a reference word (`ref0042`) and a revision word
(`rev2`) so a test can tell which article, and which version of it, the index holds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from pathlib import Path

from tests.conftest import file_id

PLACES = ["Halden", "Porthmere", "Lindvik", "Caragh", "Ostrava", "Tarnby", "Velmont", "Queyras"]
NOUNS = ["council", "harbour board", "rail union", "school district", "water utility",
         "hospital trust", "ferry operator", "farmers' cooperative", "planning committee"]
VERBS = ["approves", "delays", "rejects", "reviews", "doubles", "cuts", "defends", "expands"]
THINGS = ["budget", "fare rise", "repair plan", "wage deal", "flood barrier", "new terminal",
          "tram line", "housing scheme", "night service"]
PEOPLE = ["Ann Lindqvist", "Tomas Brennan", "Mira Sandoval", "Kofi Mensah", "Ilse Varga",
          "Rhys Prothero", "Noor Haddad", "Paulo Serrano"]
OUTLETS = [("Porthmere Gazette", "porthmeregazette.example"),
           ("Lindvik Courier", "lindvikcourier.example"),
           ("The Valley Record", "valleyrecord.example")]
CLAUSES = ["officials said on {day}", "according to documents seen by reporters",
           "after a meeting that ran late into the evening", "despite objections from residents",
           "in a vote of {a} to {b}", "weeks after the first proposal was shelved",
           "as costs rose for a {nth} year", "while the opposition called for an inquiry"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "May", "June", "September", "October", "November"]


def article_text(n: int, rev: int = 1, html: bool | None = None) -> str:
    """Article number n in revision rev: the same story, with one paragraph rewritten per rev."""
    rng = random.Random(n)
    place, noun, verb, thing = (rng.choice(x) for x in (PLACES, NOUNS, VERBS, THINGS))
    author = rng.choice(PEOPLE)
    outlet, domain = rng.choice(OUTLETS)
    year, month, day = 2010 + n % 12, rng.choice(MONTHS), 1 + n % 27
    title = f"{place} {noun} {verb} {thing}"
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            clause = rng.choice(CLAUSES).format(day=rng.choice(DAYS), a=rng.randint(5, 9),
                                                b=rng.randint(1, 4), nth=rng.choice(
                                                    ["second", "third", "fourth"]))
            sentences.append(f"The {rng.choice(NOUNS)} {rng.choice(VERBS)} the "
                             f"{rng.choice(THINGS)} {clause}.")
        paragraphs.append(" ".join(sentences))
    # The marker paragraph: which article (ref) and which revision (rev) this file holds.
    marker = (f"The filing, reference ref{n:04d}, was amended in revision rev{rev} "
              f"{'with new figures' if rev > 1 else 'as first published'}.")
    paragraphs.insert(1, marker)
    if html if html is not None else n % 7 == 3:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (f'<!doctype html><html><head><title>{title} | {outlet}</title>'
                f'<meta property="og:site_name" content="{outlet}"></head><body>'
                f'<nav><a href="/">Home</a></nav><article><h1>{title}</h1>'
                f'<p class="byline">By {author}</p>{body}</article>'
                f'<footer>Copyright {year} {outlet}</footer></body></html>\n')
    email = author.lower().replace(" ", ".") + "@" + domain
    lines = [title, f"By {author}", f"Published {month} {day}, {year}", "[ad_1]", *paragraphs,
             f"Write to {author} at {email}", "Leave a Reply",
             # No holder named: the text's only outlet evidence is the e-mail domain, which
             # needs the outlets file (a named holder is an outlet on its own since issue 9).
             f"Copyright © {year}. All Rights Reserved."]
    return "\n".join(lines) + "\n"


def article_path(folder: Path, n: int) -> Path:
    ext = "html" if n % 7 == 3 else "txt"
    return folder / f"{2010 + n % 12}" / f"story-{n:04d}.{ext}"


def write_articles(folder: Path, numbers, rev: int = 1, age: float = 3600.0) -> list[Path]:
    """Write articles; their mtimes are set `age` seconds in the past (as a real archive's are,
    so none is "racily" new)."""
    paths = []
    stamp = time.time() - age
    for n in numbers:
        path = article_path(folder, n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(n, rev), encoding="utf-8")
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def age_files(folder: Path, age: float = 3600.0) -> None:
    stamp = time.time() - age
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (stamp, stamp))


def summary(cli, *args) -> dict:
    result = cli("index", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def counts(data: dict) -> dict:
    keys = ("added", "updated", "moved", "removed", "unchanged")
    return {k: data[k] for k in keys}


def dump(cli) -> dict[str, dict]:
    """Every document as `search '*' --jsonl` and `show --json` print it, by id."""
    result = cli("search", "*", "--jsonl")
    assert result.exit_code == 0, result.output
    docs = {}
    for line in result.stdout.splitlines():
        hit = json.loads(line)
        shown = cli("show", hit["id"], "--json")
        assert shown.exit_code == 0, shown.output
        docs[hit["id"]] = {"hit": hit, "show": json.loads(shown.stdout)}
    return docs


def assert_same_as_clean_build(cli, archive: Path, tmp_path: Path, edited=()) -> None:
    """The incremental index holds what `index --full` builds from the same files, under the
    same ids, except that files edited in place keep the ids they had (a clean build, knowing
    no history, names them by their new content)."""
    incremental = _by_path(dump(cli))
    clean = type(cli)(tmp_path / "clean-index")
    data = summary(clean, archive, "--full")
    assert data["added"] == len(incremental)
    rebuilt = _by_path(dump(clean))
    assert {p: _without_id(d) for p, d in incremental.items()} == \
        {p: _without_id(d) for p, d in rebuilt.items()}
    edited = {str(p) for p in edited}
    assert {p: d["hit"]["id"] for p, d in incremental.items() if p not in edited} == \
        {p: d["hit"]["id"] for p, d in rebuilt.items() if p not in edited}


def _by_path(docs: dict[str, dict]) -> dict[str, dict]:
    return {d["hit"]["path"]: d for d in docs.values()}


def _without_id(doc: dict) -> dict:
    return {part: {k: v for k, v in fields.items() if k != "id"} for part, fields in doc.items()}


# --- change detection ------------------------------------------------------------------------

def test_each_kind_of_change_is_counted_exactly(cli, tmp_path):
    archive = tmp_path / "archive"
    paths = write_articles(archive, range(40))
    assert counts(summary(cli, archive)) == dict(added=40, updated=0, moved=0, removed=0,
                                                 unchanged=0)
    ids = {n: file_id(paths[n]) for n in range(40)}
    # 3 new, 2 changed, 2 renamed in place, 1 moved to another folder, 2 deleted, 1 touched.
    write_articles(archive, range(40, 43))
    write_articles(archive, [5, 6], rev=2)
    paths[10].rename(paths[10].with_name("renamed-10.txt"))
    paths[11].rename(paths[11].with_name("renamed-11.txt"))
    (archive / "elsewhere").mkdir()
    paths[12].rename(archive / "elsewhere" / paths[12].name)
    paths[20].unlink()
    paths[21].unlink()
    os.utime(paths[30], (time.time() - 60, time.time() - 60))  # same content, new mtime
    data = summary(cli, archive)
    assert counts(data) == dict(added=3, updated=2, moved=3, removed=2, unchanged=33)
    assert data["reread"] == 3 + 2 + 3 + 1  # the touched file is read, found unchanged
    assert data["documents"] == 41
    # The changed articles hold their new revision, the moved ones live under their new paths.
    assert cli("search", "ref0005", "rev2", "--count").stdout.strip() == "1"
    assert cli("search", "ref0005", "rev1", "--count").stdout.strip() == "0"
    hits = json.loads(cli("search", "ref0010", "--json").stdout)["hits"]
    assert [h["path"] for h in hits] == [str(paths[10].with_name("renamed-10.txt"))]
    assert hits[0]["id"] == ids[10]
    assert cli("search", "ref0020", "--count").stdout.strip() == "0"
    # The edited articles keep their ids: a new version of the same article.
    edited = json.loads(cli("search", "ref0005", "--json").stdout)["hits"]
    assert [h["id"] for h in edited] == [ids[5]] != [file_id(paths[5])]
    assert_same_as_clean_build(cli, archive, tmp_path, edited=[paths[5], paths[6]])


def test_a_rerun_with_nothing_changed_reads_no_file(cli, tmp_path):
    archive = tmp_path / "archive"
    paths = write_articles(archive, range(30))
    summary(cli, archive)
    data = summary(cli, archive)
    assert counts(data) == dict(added=0, updated=0, moved=0, removed=0, unchanged=30)
    assert data["reread"] == 0
    # The proof without counters: rewrite a file behind the index's back, keeping its size and
    # mtime. Had the rerun read it, the new words would be indexed.
    st = paths[3].stat()
    text = paths[3].read_text(encoding="utf-8")
    paths[3].write_text(text.replace("ref0003", "zzz0003"), encoding="utf-8")
    os.utime(paths[3], ns=(st.st_atime_ns, st.st_mtime_ns))
    assert paths[3].stat().st_size == st.st_size
    data = summary(cli, archive)
    assert data["reread"] == 0 and data["unchanged"] == 30
    assert cli("search", "zzz0003", "--count").stdout.strip() == "0"
    # ... and a changed mtime alone is enough to make it read again.
    os.utime(paths[3], (time.time() - 10, time.time() - 10))
    data = summary(cli, archive)
    assert (data["reread"], data["updated"]) == (1, 1)
    assert cli("search", "zzz0003", "--count").stdout.strip() == "1"


def test_a_file_rewritten_in_the_same_mtime_tick_is_not_missed(cli, tmp_path):
    """A file read when its mtime was too recent to prove anything (a second write in the same
    timestamp tick would keep it) is read again on the next run, as git does."""
    archive = tmp_path / "archive"
    (path,) = write_articles(archive, [1])
    stamp = time.time_ns() + 5 * 10**9  # in the future: as recent as it gets
    os.utime(path, ns=(stamp, stamp))
    assert summary(cli, archive)["added"] == 1
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rev1", "rev9"), encoding="utf-8")  # same size
    os.utime(path, ns=(stamp, stamp))  # and the same mtime: only the content tells
    data = summary(cli, archive)
    assert data["updated"] == 1
    assert cli("search", "rev9", "--count").stdout.strip() == "1"


def outlets_file(tmp_path: Path) -> Path:
    """Outlet evidence for the invented outlets (without it their articles have no outlet)."""
    extra = tmp_path / "extra-outlets.toml"
    extra.write_text("".join(f'[[outlet]]\nname = "{name}"\ndomains = ["{domain}"]\n'
                             for name, domain in OUTLETS), encoding="utf-8")
    return extra


def test_moves_keep_the_document_without_extracting_again(cli, tmp_path):
    archive = tmp_path / "archive"
    write_articles(archive, range(6))
    extra = outlets_file(tmp_path)
    summary(cli, archive, "--outlets", extra)
    source = article_path(archive, 1)
    before = json.loads(cli("show", file_id(source), "--json").stdout)
    assert before["outlet"] in {name for name, _ in OUTLETS}
    # Extracted now, without the outlet file, the article would have another outlet ...
    target = source.with_name("moved-story.txt")
    fresh = json.loads(cli("extract", source, "--json", index=False).stdout)
    assert fresh["outlet"] != before["outlet"]
    # ... so a move that keeps the outlet kept the document and extracted nothing.
    source.rename(target)
    data = summary(cli, archive)
    assert (data["moved"], data["added"], data["removed"], data["reread"]) == (1, 0, 0, 1)
    after = json.loads(cli("show", before["id"], "--json").stdout)  # the same id
    assert after["outlet"] == before["outlet"]
    assert after["path"] == str(target)
    assert {k: v for k, v in after.items() if k != "path"} == \
        {k: v for k, v in before.items() if k != "path"}
    assert cli("search", "*", "--count").stdout.strip() == "6"


def test_identical_files_move_and_copy(cli, tmp_path):
    """Two gone files with one content, and new files sharing it: each gone document moves at
    most once; a further copy is added as a new article."""
    archive = tmp_path / "archive"
    (archive / "a").mkdir(parents=True)
    text = article_text(7)
    for name in ("one.txt", "two.txt"):
        (archive / "a" / name).write_text(text, encoding="utf-8")
    age_files(archive)
    assert summary(cli, archive)["added"] == 2
    (archive / "b").mkdir()
    for name in ("one.txt", "two.txt"):
        (archive / "a" / name).rename(archive / "b" / name)
    (archive / "b" / "three.txt").write_text(text, encoding="utf-8")
    age_files(archive)
    assert counts(summary(cli, archive)) == dict(added=1, updated=0, moved=2, removed=0,
                                                 unchanged=0)
    assert cli("search", "ref0007", "--count").stdout.strip() == "3"
    assert_same_as_clean_build(cli, archive, tmp_path)


def test_keep_missing_and_the_scope_of_removals(cli, tmp_path):
    archive, other = tmp_path / "archive", tmp_path / "other"
    paths = write_articles(archive, range(10))
    write_articles(other, range(100, 103))
    summary(cli, archive)
    summary(cli, other)
    paths[0].unlink()
    paths[1].unlink()
    data = summary(cli, archive, "--keep-missing")
    assert (data["removed"], data["unchanged"], data["documents"]) == (0, 8, 13)
    assert cli("search", "ref0000", "--count").stdout.strip() == "1"
    # Files of a folder this run did not walk are left alone while they exist ...
    data = summary(cli, archive)
    assert (data["removed"], data["unchanged"], data["documents"]) == (2, 8, 11)
    assert cli("search", "ref0100", "--count").stdout.strip() == "1"
    # ... and removed, whichever folder the run walks, once they exist nowhere.
    article_path(other, 100).unlink()
    data = summary(cli, archive)
    assert (data["removed"], data["unchanged"], data["documents"]) == (1, 8, 10)
    assert cli("search", "ref0100", "--count").stdout.strip() == "0"
    # A path that is not there at all (an unmounted disk, a typo) removes nothing.
    result = cli("index", archive, tmp_path / "unplugged", "--json")
    assert result.stderr == f"newsdex: skipped {tmp_path / 'unplugged'}: no such file or folder\n"
    assert json.loads(result.stdout)["documents"] == 10
    shutil.rmtree(other)
    result = cli("index", other, "--json")
    assert result.exit_code == 1 and "no such file or folder" in result.stderr


def test_a_file_that_stops_being_an_article_is_removed(cli, tmp_path):
    archive = tmp_path / "archive"
    paths = write_articles(archive, range(4))
    summary(cli, archive)
    paths[2].write_text("   \n", encoding="utf-8")
    data = summary(cli, archive)
    assert data["removed"] == 1
    assert data["skipped"] == [{"path": str(paths[2]), "reason": "empty file"}]
    assert data["documents"] == 3


def test_full_rebuilds_from_scratch(cli, tmp_path):
    archive = tmp_path / "archive"
    paths = write_articles(archive, range(12))
    summary(cli, archive)
    write_articles(archive, [3], rev=2)
    paths[4].unlink()
    data = summary(cli, archive, "--full")
    assert counts(data) == dict(added=11, updated=0, moved=0, removed=0, unchanged=0)
    assert data["reread"] == 11 and data["documents"] == 11
    assert cli("search", "ref0003", "rev2", "--count").stdout.strip() == "1"
    assert cli("search", "ref0004", "--count").stdout.strip() == "0"
    # A rebuild of an empty folder empties the index.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert summary(cli, empty, "--full")["documents"] == 0


def test_a_single_file_can_be_indexed_and_updated(cli, tmp_path):
    archive = tmp_path / "archive"
    (path,) = write_articles(archive, [9])
    assert summary(cli, path)["added"] == 1
    write_articles(archive, [9], rev=3)
    assert counts(summary(cli, path)) == dict(added=0, updated=1, moved=0, removed=0,
                                              unchanged=0)
    path.unlink()
    result = cli("index", path, "--json")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"newsdex: error: no such file or folder: {path}"


def test_the_summary_line_and_json_shape(cli, tmp_path):
    archive = tmp_path / "archive"
    write_articles(archive, range(3))
    (archive / "empty.txt").write_text("", encoding="utf-8")
    result = cli("index", archive)
    assert result.exit_code == 0
    assert result.stdout.startswith("3 added, 0 updated, 0 moved, 0 removed, 0 unchanged, "
                                    "1 skipped in ")
    assert result.stderr == f"newsdex: skipped {archive / 'empty.txt'}: empty file\n"
    data = summary(cli, archive)
    for key in ("added", "updated", "removed", "unchanged", "skipped", "seconds"):
        assert key in data
    assert data["skipped"] == [{"path": str(archive / "empty.txt"), "reason": "empty file"}]


def test_facets_stats_and_exports_over_segments_that_lack_a_field(cli, tmp_path):
    """Every incremental run adds a segment. One whose articles have no outlet at all must not
    shift the outlets of the documents after it (Whoosh's MultiReader.column_reader leaves such
    segments out of the column)."""
    archive = tmp_path / "archive"
    extra = outlets_file(tmp_path)
    write_articles(archive, range(5))
    summary(cli, archive, "--outlets", extra)
    write_articles(archive, [5])
    summary(cli, archive)  # no outlet evidence: this segment has no outlet column
    write_articles(archive, [6, 8])  # (7 is an HTML page: its outlet comes from its markup)
    summary(cli, archive, "--outlets", extra)
    truth: dict[str, int] = {}
    for line in cli("search", "*", "--jsonl").stdout.splitlines():
        shown = json.loads(cli("show", json.loads(line)["id"], "--json").stdout)
        if shown.get("outlet"):
            truth[shown["outlet"]] = truth.get(shown["outlet"], 0) + 1
    assert sum(truth.values()) == 7
    facets = json.loads(cli("search", "filing", "--facet", "outlet", "--json").stdout)["facets"]
    assert {f["value"]: f["count"] for f in facets["outlet"]} == truth
    stats = json.loads(cli("stats", "--json").stdout)
    assert (stats["documents"], stats["outlets"]) == (8, len(truth))
    newest = json.loads(cli("search", "filing", "--sort", "newest", "--json").stdout)
    assert newest["total"] == 8


def test_updates_merge_small_segments_a_tier_at_a_time(cli, tmp_path, monkeypatch):
    """Each run that adds a file writes a small segment; the run that finds ten of one size
    tier merges them into one, and a build's bigger segments are never merged by an update."""
    from indexer import store

    monkeypatch.setattr(store, "MERGE_BELOW", 30)  # the build's two 40-article chunks are big
    archive = tmp_path / "archive"
    write_articles(archive, range(80))
    summary(cli, archive, "--jobs", "2")

    def sizes() -> list[int]:
        with store.open_index(str(cli.index)).reader() as reader:
            return sorted(leaf.doc_count_all() for leaf, _ in reader.leaf_readers())

    assert sizes() == [40, 40]
    for n in range(80, 90):  # ten runs, one new article each: ten one-document segments
        write_articles(archive, [n])
        assert counts(summary(cli, archive))["added"] == 1
    assert sizes() == [1] * 10 + [40, 40]
    write_articles(archive, [90])  # the eleventh run merges them (its own article apart)
    assert counts(summary(cli, archive))["added"] == 1
    assert sizes() == [1, 10, 40, 40]
    assert cli("search", "*", "--count").stdout.strip() == "91"
    assert cli("search", "ref0085", "--count").stdout.strip() == "1"
