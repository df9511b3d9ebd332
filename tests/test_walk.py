"""The walk, and GNU find standing in for it on reruns: same files, same keys, same order, and
find gives way to the walk wherever the two could differ."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from indexer.schema import FileState
from indexer.walk import Finder, walk
from indexer.writer import Options, index_paths
from tests.test_incremental import age_files, article_text, write_articles


def _gnu_find() -> bool:
    if not shutil.which("find"):
        return False
    try:
        version = subprocess.run(["find", "--version"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "GNU findutils" in version


needs_gnu_find = pytest.mark.skipif(not _gnu_find(), reason="GNU find is not installed")


def _tree(root) -> None:
    """Every kind of entry the walk keeps or passes over."""
    write_articles(root, range(3))
    for name in ("UPPER.TXT", "page.html.gz", "feed.JSONL", "crawl.warc.gz", "note.pdf",
                 "bare.gz", ".hidden.txt", "two words.txt"):
        (root / name).write_bytes(b"x" * len(name))
    (root / ".cache").mkdir()
    (root / ".cache" / "kept-out.txt").write_text("hidden folder")
    (root / "folder.txt").mkdir()  # a folder with an article's name: walked into
    (root / "folder.txt" / "inside.txt").write_text("in a folder named like a file")
    (root / "index").mkdir()  # the index folder: passed over
    (root / "index" / "segment.txt").write_text("index")
    os.mkfifo(root / "pipe.txt")
    raw = os.fsencode(root)
    for name in (b"caf\xe9.txt", b"two\nlines.txt"):
        with open(os.path.join(raw, name), "wb") as f:
            f.write(b"odd name")


@needs_gnu_find
def test_find_finds_what_the_walk_finds(tmp_path):
    root = tmp_path / "archive"
    _tree(root)
    other = tmp_path / "other"
    write_articles(other, [9])
    roots, exclude = [str(root), str(other)], str(root / "index")
    walked = walk(roots, lambda path, reason: pytest.fail(f"{path}: {reason}"), exclude=exclude)
    with Finder(roots, exclude) as finder:
        records = list(finder.records())
    # What the index would remember of each file walked, in find's form, is what find printed.
    remembered = list(Finder.as_found(list(FileState.keys(walked))))
    assert sorted(remembered) == sorted(records)
    assert Finder.entries(records) == walked  # the same (path, (size, mtime)), in the same order
    os.symlink(root / "index", tmp_path / "index-link")  # the index named through a link
    with Finder(roots, str(tmp_path / "index-link")) as finder:
        assert sorted(finder.records()) == sorted(records)
    names = {os.path.basename(p) for p, _ in walked}
    assert {"UPPER.TXT", "page.html.gz", "crawl.warc.gz", "inside.txt", "two\nlines.txt"} <= names
    assert not names & {"note.pdf", "bare.gz", ".hidden.txt", "kept-out.txt", "segment.txt",
                        "pipe.txt"}


@needs_gnu_find
@pytest.mark.parametrize("case", ["file link", "folder link", "dangling link", "nested roots",
                                  "a root that is a file", "a missing root"])
def test_find_gives_way_to_the_walk(tmp_path, case):
    root = tmp_path / "archive"
    write_articles(root, range(2))
    roots = [str(root)]
    if case == "file link":
        os.symlink(root / "2010" / "story-0000.txt", root / "linked.txt")
    elif case == "folder link":
        os.symlink(root, root / "2010" / "loop")
    elif case == "dangling link":
        os.symlink(tmp_path / "nowhere", root / "gone.txt")
    elif case == "nested roots":
        roots.append(str(root / "2010"))
    elif case == "a root that is a file":
        roots.append(str(root / "2010" / "story-0000.txt"))
    else:
        roots.append(str(tmp_path / "missing"))
    with Finder(roots) as finder:
        assert finder.records() is None


@needs_gnu_find
def test_a_link_in_a_hidden_folder_does_not_stop_find(tmp_path):
    root = tmp_path / "archive"
    write_articles(root, range(2))
    (root / ".git").mkdir()
    os.symlink(tmp_path / "nowhere", root / ".git" / "HEAD.txt")
    with Finder([str(root)]) as finder:
        assert len(list(finder.records())) == 2


def test_reruns_without_find_are_the_same(tmp_path, monkeypatch):
    """With find or without it (PATH empty), a rerun sees the same new, changed, moved and
    deleted files, and warns of a dangling link in the same words."""
    archive = tmp_path / "archive"
    write_articles(archive, range(6))
    age_files(archive)
    results = []
    for label in ("find", "no find"):
        if label == "no find":
            monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        index = tmp_path / f"index-{label}"
        shutil.rmtree(archive)
        write_articles(archive, range(6))
        age_files(archive)
        index_paths([str(archive)], str(index), Options(jobs=1))
        (archive / "2010" / "story-0000.txt").write_text(article_text(0, rev=2), encoding="utf-8")
        (archive / "2011" / "story-0001.txt").unlink()
        os.rename(archive / "2012" / "story-0002.txt", archive / "2012" / "moved.txt")
        (archive / "new.txt").write_text(article_text(40), encoding="utf-8")
        summary = index_paths([str(archive)], str(index), Options(jobs=1))
        os.symlink(tmp_path / "nowhere", archive / "dangling.txt")
        linked = index_paths([str(archive)], str(index), Options(jobs=1))
        os.unlink(archive / "dangling.txt")
        figures = {k: v for k, v in summary.to_json().items() if k != "seconds"}
        results.append((json.dumps(figures, sort_keys=True),
                        [(os.path.basename(s["path"]), s["reason"]) for s in linked.skipped]))
    assert results[0] == results[1]
    summary = json.loads(results[0][0])
    assert (summary["added"], summary["updated"], summary["moved"], summary["removed"],
            summary["unchanged"]) == (1, 1, 1, 1, 3)
    assert results[0][1] == [("dangling.txt", "dangling symlink")]
