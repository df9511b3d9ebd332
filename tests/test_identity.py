"""Article identity: ids named by content survive moves and copies of files and whole archives,
and an archive reorganised between runs is never indexed twice.

Each test reorganises a real archive on disk, indexes it again through the CLI, and checks that
every existing article is in the index exactly once, that `search '*' --jsonl` equals a clean
`--full` build of the same files, and that ids are unchanged wherever the content is.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import file_id
from tests.test_incremental import (
    age_files,
    article_path,
    article_text,
    counts,
    summary,
    write_articles,
)


def export(cli) -> list[dict]:
    result = cli("search", "*", "--jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def ids_by_ref(cli) -> dict[str, str]:
    """ref number -> id, read through search: which article holds which id."""
    found = {}
    for hit in export(cli):
        body = json.loads(cli("show", hit["id"], "--json").stdout)["body"]
        ref = re.search(r"\bref\d{4}\b", body).group()
        found[ref] = hit["id"]
    return found


def assert_each_once_and_like_a_clean_build(cli, tmp_path: Path, *roots: Path) -> None:
    hits = export(cli)
    paths = [h["path"] for h in hits]
    on_disk = sorted(str(p) for root in roots for p in root.rglob("*") if p.is_file())
    assert sorted(paths) == on_disk  # every existing file once, nothing that is gone
    assert len({h["id"] for h in hits}) == len(hits)
    clean = type(cli)(tmp_path / f"clean-{len(list(tmp_path.glob('clean-*')))}")
    assert summary(clean, *roots, "--full")["added"] == len(on_disk)
    assert export(clean) == hits


def test_a_renamed_folder_is_a_set_of_moves(cli, tmp_path):
    archive = tmp_path / "archive"
    paths = write_articles(archive, range(12))
    summary(cli, archive)
    before = ids_by_ref(cli)
    assert before["ref0003"] == file_id(paths[3])  # named by content
    renamed = tmp_path / "archive-2024"
    archive.rename(renamed)
    data = summary(cli, renamed)
    assert counts(data) == dict(added=0, updated=0, moved=12, removed=0, unchanged=0)
    assert data["documents"] == 12
    assert ids_by_ref(cli) == before
    assert_each_once_and_like_a_clean_build(cli, tmp_path, renamed)


def test_a_folder_moved_under_another_root(cli, tmp_path):
    old_root, new_root = tmp_path / "disk1", tmp_path / "disk2"
    write_articles(old_root / "news", range(8))
    new_root.mkdir()
    summary(cli, old_root)
    before = ids_by_ref(cli)
    shutil.move(old_root / "news", new_root / "2023-news")
    data = summary(cli, new_root)  # the run is given only the new root
    assert counts(data) == dict(added=0, updated=0, moved=8, removed=0, unchanged=0)
    assert ids_by_ref(cli) == before
    assert_each_once_and_like_a_clean_build(cli, tmp_path, new_root)


def test_an_archive_copied_elsewhere_and_the_old_one_deleted(cli, tmp_path):
    archive, copy = tmp_path / "archive", tmp_path / "bigger-disk" / "archive"
    write_articles(archive, range(10))
    summary(cli, archive)
    before = ids_by_ref(cli)
    shutil.copytree(archive, copy)  # new mtimes, new inodes: only the content is the same
    age_files(copy)
    shutil.rmtree(archive)
    data = summary(cli, copy)
    assert counts(data) == dict(added=0, updated=0, moved=10, removed=0, unchanged=0)
    assert ids_by_ref(cli) == before
    assert_each_once_and_like_a_clean_build(cli, tmp_path, copy)


def test_an_archive_and_its_index_copied_to_another_place_keep_their_ids(cli, tmp_path):
    archive = tmp_path / "here" / "archive"
    write_articles(archive, range(6))
    summary(cli, archive)
    before = ids_by_ref(cli)
    there = tmp_path / "there"
    shutil.copytree(tmp_path / "here", there)
    shutil.copytree(cli.index, there / "index")
    shutil.rmtree(tmp_path / "here")
    moved = type(cli)(there / "index")
    assert counts(summary(moved, there / "archive"))["moved"] == 6
    assert ids_by_ref(moved) == before


def test_two_archives_by_two_commands_then_one_deleted(cli, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_articles(first, range(5))
    write_articles(second, range(100, 104))
    summary(cli, first)
    summary(cli, second)
    # Indexing one archive leaves the other alone while it exists ...
    data = summary(cli, first)
    assert (data["unchanged"], data["removed"], data["documents"]) == (5, 0, 9)
    before = ids_by_ref(cli)
    # ... and removes its articles once it exists nowhere.
    shutil.rmtree(second)
    data = summary(cli, first)
    assert (data["unchanged"], data["removed"], data["documents"]) == (5, 4, 5)
    assert ids_by_ref(cli) == {r: i for r, i in before.items() if int(r[3:]) < 100}
    assert_each_once_and_like_a_clean_build(cli, tmp_path, first)


def test_keep_missing_keeps_the_articles_of_a_deleted_archive(cli, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_articles(first, range(3))
    write_articles(second, range(100, 102))
    summary(cli, first)
    summary(cli, second)
    shutil.rmtree(second)
    data = summary(cli, first, "--keep-missing")
    assert (data["removed"], data["documents"]) == (0, 5)


def test_a_file_moved_and_edited_in_one_run_is_a_new_article(cli, tmp_path):
    archive, other = tmp_path / "archive", tmp_path / "other"
    paths = write_articles(archive, range(4))
    other.mkdir()
    summary(cli, archive)
    before = ids_by_ref(cli)
    target = other / "edited.txt"
    target.write_text(article_text(2, rev=2), encoding="utf-8")
    paths[2].unlink()
    age_files(other)
    data = summary(cli, archive, other)
    assert counts(data) == dict(added=1, updated=0, moved=0, removed=1, unchanged=3)
    after = ids_by_ref(cli)
    assert after["ref0002"] == file_id(target) != before["ref0002"]
    assert {r: i for r, i in after.items() if r != "ref0002"} == \
        {r: i for r, i in before.items() if r != "ref0002"}
    assert_each_once_and_like_a_clean_build(cli, tmp_path, archive, other)


def test_an_edited_file_keeps_its_id_at_its_path(cli, tmp_path):
    archive = tmp_path / "archive"
    paths = write_articles(archive, range(3))
    summary(cli, archive)
    before = ids_by_ref(cli)
    write_articles(archive, [1], rev=2)
    assert counts(summary(cli, archive))["updated"] == 1
    assert ids_by_ref(cli) == before
    assert cli("search", "ref0001", "rev2", "--count").stdout.strip() == "1"
    # --full rebuilds from the files but keeps the ids of the articles still there.
    assert summary(cli, archive, "--full")["added"] == 3
    assert ids_by_ref(cli) == before != {"ref0001": file_id(paths[1])}


def test_identical_copies_at_two_paths(cli, tmp_path):
    archive = tmp_path / "archive"
    (archive / "a").mkdir(parents=True)
    text = article_text(9)
    for name in ("one.txt", "two.txt"):
        (archive / "a" / name).write_text(text, encoding="utf-8")
    write_articles(archive, [1])
    age_files(archive)
    assert summary(cli, archive)["added"] == 3
    hits = {Path(h["path"]).name: h["id"] for h in export(cli)}
    assert hits["one.txt"] == file_id(archive / "a" / "one.txt")  # the first path in order
    assert hits["two.txt"] != hits["one.txt"]
    assert_each_once_and_like_a_clean_build(cli, tmp_path, archive)
    # Both copies move to another folder: each keeps its own id.
    (archive / "b").mkdir()
    for name in ("one.txt", "two.txt"):
        (archive / "a" / name).rename(archive / "b" / name)
    assert counts(summary(cli, archive))["moved"] == 2
    assert {Path(h["path"]).name: h["id"] for h in export(cli)} == hits
    assert_each_once_and_like_a_clean_build(cli, tmp_path, archive)
    # A third copy made later is one more article, with an id of its own.
    shutil.copy(archive / "b" / "one.txt", archive / "b" / "three.txt")
    age_files(archive)
    data = summary(cli, archive)
    assert (data["added"], data["documents"]) == (1, 4)
    ids = [h["id"] for h in export(cli)]
    assert len(set(ids)) == 4
    assert article_path(archive, 1).exists()


def test_a_copy_of_an_unchanged_file_gets_an_id_of_its_own(cli, tmp_path):
    """The ids of the files a run leaves alone are taken too, though the run never loads them
    by path (identity.Owners' `held`): a new copy of an unchanged file, and a second one, are
    the content's next articles, and the original keeps its id."""
    archive = tmp_path / "archive"
    write_articles(archive, [1, 2])
    age_files(archive)
    assert summary(cli, archive)["added"] == 2
    original = article_path(archive, 1)
    first = {Path(h["path"]).name: h["id"] for h in export(cli)}
    (archive / "copies").mkdir()
    for n in (1, 2):
        shutil.copy(original, archive / "copies" / f"copy-{n}.txt")
        age_files(archive / "copies", age=7200.0 + n)
        data = summary(cli, archive)
        assert (data["added"], data["unchanged"], data["documents"]) == (1, 1 + n, 2 + n)
    ids = {Path(h["path"]).name: h["id"] for h in export(cli)}
    assert len(set(ids.values())) == 4
    assert ids[original.name] == first[original.name] == file_id(original)
    assert_each_once_and_like_a_clean_build(cli, tmp_path, archive)
