"""Problems with the index folder: each gets one clear line on stderr and exit status 1, and none
harms an index that was there."""

from __future__ import annotations

import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from indexer.schema import MARKER, SCHEMA_VERSION
from tests.conftest import run_newsdex
from tests.test_hostile import can_drop_root_powers, newsdex
from tests.test_incremental import write_articles


def one_line_error(result, text: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"newsdex: error: {text}\n"


@pytest.fixture
def indexed(tmp_path) -> tuple[Path, Path]:
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(5))
    assert run_newsdex("index", archive, "--index", index).returncode == 0
    return archive, index


def test_a_missing_index(tmp_path):
    missing = tmp_path / "nothing-here"
    for args in (("search", "harbour"), ("stats",), ("show", "0123456789abcdef")):
        one_line_error(run_newsdex(*args, "--index", missing),
                       f"no index at {missing}: run 'newsdex index PATH' first")
    assert not missing.exists()  # searching creates nothing


def test_a_folder_that_is_not_a_newsdex_index_is_left_alone(tmp_path):
    archive, folder = tmp_path / "archive", tmp_path / "documents"
    write_articles(archive, range(2))
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    one_line_error(run_newsdex("index", archive, "--index", folder),
                   f"{folder} is not a newsdex index and not empty: refusing to write into it "
                   f"(choose another --index)")
    one_line_error(run_newsdex("search", "notes", "--index", folder),
                   f"{folder} is not a newsdex index (no newsdex.json marker)")
    assert os.listdir(folder) == ["notes.txt"]  # not even a lock file was left
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    one_line_error(run_newsdex("index", archive, "--index", a_file),
                   f"{a_file} is not a folder: choose another --index")


def test_an_index_of_an_older_schema_needs_a_full_rebuild(indexed):
    archive, index = indexed
    marker = index / MARKER
    marker.write_text(json.dumps({"format": "newsdex", "schema_version": 0}), encoding="utf-8")
    message = (f"the index at {index} has schema version 0, this newsdex needs "
               f"{SCHEMA_VERSION}: rebuild it with 'newsdex index --full PATH'")
    one_line_error(run_newsdex("search", "filing", "--index", index), message)
    one_line_error(run_newsdex("index", archive, "--index", index), message)
    rebuilt = run_newsdex("index", archive, "--index", index, "--full", "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["documents"] == 5
    assert run_newsdex("search", "filing", "--count", "--index", index).stdout == "5\n"


def test_a_damaged_index(indexed):
    archive, index = indexed
    toc = max(index.glob("*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))  # the newest
    toc.write_bytes(b"\0" * 40)
    for result in (run_newsdex("search", "filing", "--index", index),
                   run_newsdex("index", archive, "--index", index)):
        assert result.returncode == 1 and result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"newsdex: error: the index at {index} is damaged (")
        assert result.stderr.endswith("): rebuild it with 'newsdex index --full PATH'\n")
    for old in index.glob("*.toc"):
        old.unlink()
    one_line_error(run_newsdex("search", "filing", "--index", index),
                   f"the index at {index} is empty or damaged: rebuild it with "
                   f"'newsdex index --full PATH'")
    assert run_newsdex("index", archive, "--index", index, "--full").returncode == 0
    assert run_newsdex("search", "filing", "--count", "--index", index).stdout == "5\n"


@contextmanager
def mounted(*args: str):
    """mount ARGS... for the block (skipping the test where mounting is not allowed)."""
    target = args[-1]
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", target], check=True)


def test_a_read_only_index(indexed):
    archive, index = indexed
    with mounted("--bind", "-o", "ro", str(index), str(index)):
        subprocess.run(["mount", "-o", "remount,bind,ro", str(index)], check=True)
        write_articles(archive, [7])
        one_line_error(run_newsdex("index", archive, "--index", index),
                       f"the index at {index} is read-only")
        # Reading it is fine.
        assert run_newsdex("search", "filing", "--count", "--index", index).stdout == "5\n"
        assert run_newsdex("stats", "--json", "--index", index).returncode == 0


@pytest.mark.skipif(not can_drop_root_powers(), reason="root that cannot give up DAC override")
def test_an_index_without_write_permission(indexed):
    archive, index = indexed
    write_articles(archive, [7])
    modes = {p: p.stat().st_mode for p in [index, *index.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        result, _ = newsdex("index", archive, "--index", index, unprivileged=True)
        one_line_error(result, f"the index at {index} is read-only")
        result, _ = newsdex("search", "filing", "--count", "--index", index, unprivileged=True)
        assert result.stdout == "5\n"
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def hits(index: Path) -> dict:
    result = run_newsdex("search", "filing", "--json", "--index", index)
    assert result.returncode == 0, result.stderr
    return {k: v for k, v in json.loads(result.stdout).items() if k != "seconds"}


def test_a_full_disk_during_a_commit_leaves_the_previous_commit_intact(tmp_path):
    archive, disk = tmp_path / "archive", tmp_path / "disk"
    disk.mkdir()
    index = disk / "index"
    write_articles(archive, range(3))
    with mounted("-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)):
        assert run_newsdex("index", archive, "--index", index).returncode == 0
        before = hits(index)
        write_articles(archive, range(3, 400))
        for jobs in ("1", "2"):  # the disk fills in the indexer, or in its extraction processes
            one_line_error(run_newsdex("index", archive, "--index", index, "--jobs", jobs),
                           f"disk full while writing the index at {index}: the previous commit "
                           f"is intact")
            assert hits(index) == before
        # With room again, the next run does the work and the leftovers are cleared.
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        done = run_newsdex("index", archive, "--index", index, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["added"] == 397
        assert run_newsdex("search", "filing", "--count", "--index", index).stdout == "400\n"
        assert not [n for n in os.listdir(index) if n.endswith(".tmp")]
