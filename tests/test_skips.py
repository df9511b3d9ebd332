"""Files that hold no article are remembered: an unchanged one is skipped again without a read
(indexer/skips.py), with the same report, until it changes or what decides an article does."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from indexer.skips import FILE
from tests.conftest import run_newsdex
from tests.test_incremental import age_files, article_text, write_articles


def index(folder: Path, index_dir: Path, *options: str) -> dict:
    done = run_newsdex("index", folder, "--index", index_dir, "--json", *options)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def manifest(path: Path, rows: int) -> None:
    """A crawler's manifest beside its files: JSON Lines, none of whose objects is an article."""
    path.write_text("".join(json.dumps({"path": f"{n}.txt", "status": 200}) + "\n"
                            for n in range(rows)))


def test_a_feed_of_no_articles_is_not_read_again_until_it_changes(tmp_path):
    archive, ix = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(3))
    manifest(archive / "MANIFEST.jsonl", 150)  # enough records for worker processes
    age_files(archive)
    first = index(archive, ix)
    assert (first["added"], first["records_skipped"]) == (3, {"no article text": 150})
    again = index(archive, ix)
    assert (again["reread"], again["unchanged"], again["records_skipped"]) == (
        0, 3, {"no article text": 150})
    with open(archive / "MANIFEST.jsonl", "a") as f:  # an article arrives in it
        f.write(json.dumps({"title": "Late story", "text": article_text(7)}) + "\n")
    stamp = time.time() - 1800
    os.utime(archive / "MANIFEST.jsonl", (stamp, stamp))
    grown = index(archive, ix)
    assert (grown["reread"], grown["added"], grown["documents"]) == (1, 1, 4)
    assert index(archive, ix)["reread"] == 0  # it holds an article now: unchanged, as any


def test_a_skip_is_forgotten_when_the_size_cap_changes(tmp_path):
    archive, ix = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(2))
    (archive / "long.txt").write_text(article_text(5) + "\n\nMore words here." * 400)
    age_files(archive)
    cap = "--max-size", "8000"
    first = index(archive, ix, *cap)
    assert [s["path"] for s in first["skipped"]] == [str(archive / "long.txt")]
    again = index(archive, ix, *cap)
    assert (again["reread"], again["skipped"]) == (0, first["skipped"])
    bigger = index(archive, ix, "--max-size", "1000000")
    assert (bigger["reread"], bigger["added"], bigger["skipped"]) == (1, 1, [])


def test_another_archive_keeps_its_memory_and_a_lost_memory_costs_a_read(tmp_path):
    a, b, ix = tmp_path / "a", tmp_path / "b", tmp_path / "index"
    for folder in (a, b):
        write_articles(folder, range(2) if folder == a else range(10, 12))
        (folder / "empty.txt").write_text("")
        age_files(folder)
    index(a, ix)
    index(b, ix)  # knows nothing of a's files, and must not forget them
    assert index(a, ix)["reread"] == 0
    os.unlink(a / "empty.txt")  # gone: no longer skipped, nor remembered
    assert index(a, ix)["skipped"] == []
    memory = json.loads((ix / FILE).read_text())["files"]
    assert sorted(memory) == [str(b / "empty.txt")]
    (ix / FILE).write_text("{not json")
    lost = index(b, ix)
    assert (lost["reread"], lost["unchanged"], lost["documents"]) == (1, 2, 4)
    assert index(b, ix)["reread"] == 0
