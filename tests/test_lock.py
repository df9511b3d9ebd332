"""One writer at a time: a second `newsdex index` fails at once with one clear line (or waits with
--wait), a lock left by a killed writer is no obstacle, and searches run while a writer commits,
seeing the last commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from indexer.schema import stored_body
from indexer.store import open_index
from search.searcher import Request, Search
from tests.conftest import ROOT, run_newsdex
from tests.test_incremental import summary, write_articles


def start_writer(archive: Path, index: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(archive), "--index", str(index), "-q",
         *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lock(index: Path, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Until proc holds the index's lock (the lock file names its pid)."""
    lock = index / "newsdex.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("the writer never took the lock")


def test_a_second_writer_fails_at_once_with_one_line(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(150))
    first = start_writer(archive, index, "--jobs", "1", "--batch", "5")
    try:
        wait_for_lock(index, first)
        started = time.monotonic()
        second = run_newsdex("index", archive, "--index", index)
        assert time.monotonic() - started < 5  # at once: it does not wait for the first
        assert second.returncode == 1
        assert second.stderr == (f"newsdex: error: another newsdex (pid {first.pid}) is "
                                 f"writing to {index}: try again when it ends, or pass --wait\n")
        assert second.stdout == ""
        assert first.poll() is None  # the first one was not disturbed
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert out.startswith("150 added")


def test_wait_waits_for_the_running_writer(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(100))
    first = start_writer(archive, index, "--jobs", "1", "--batch", "5")
    wait_for_lock(index, first)
    second = start_writer(archive, index, "--wait", "--json")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    # It ran after the first had committed everything: nothing was left for it to do.
    assert '"unchanged": 100' in out and '"added": 0' in out
    assert first.wait(timeout=30) == 0


def test_a_killed_writer_leaves_no_lock_behind(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(200))
    # Two extraction processes: they must not keep the lock after their parent is killed.
    first = start_writer(archive, index, "--jobs", "2", "--batch", "5")
    wait_for_lock(index, first)
    time.sleep(0.8)
    first.send_signal(signal.SIGKILL)
    first.wait()
    # The lock file still names the dead writer: a "stale" lock, which is no lock at all.
    assert (index / "newsdex.lock").read_text().strip() == str(first.pid)
    second = run_newsdex("index", archive, "--index", index, "--json", timeout=120)
    assert second.returncode == 0, second.stderr
    assert '"documents": 200' in second.stdout
    assert (index / "newsdex.lock").read_text() == ""  # released when the writer ended


def test_searches_run_while_a_writer_commits_and_see_the_last_commit(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(120))
    writer = start_writer(archive, index, "--jobs", "1", "--batch", "4")
    seen = []
    while writer.poll() is None:
        if (index / "newsdex.json").exists():
            result = run_newsdex("search", "filing", "--count", "--index", index)
            if result.returncode == 1 and "no index" in result.stderr:
                continue  # not created yet
            assert result.returncode == 0, result.stderr
            seen.append(int(result.stdout))
    assert writer.returncode == 0, writer.communicate()
    assert seen == sorted(seen)  # every search saw a commit at least as new as the last one
    assert any(0 < n < 120 for n in seen)  # ... including ones in the middle of the run
    assert run_newsdex("search", "filing", "--count", "--index", index).stdout == "120\n"


def test_a_search_opened_before_a_commit_keeps_working(cli, tmp_path):
    """A commit that replaces segments (here a --full rebuild) must not pull files from under a
    search that opened the index just before: Whoosh deletes them at once, newsdex keeps the
    files of a superseded generation for a while."""
    archive = tmp_path / "archive"
    write_articles(archive, range(30))
    summary(cli, archive)
    search = Search(open_index(str(cli.index)))
    old_segments = {s.segment_id() for s in open_index(str(cli.index))._segments()}
    write_articles(archive, range(30), rev=2)
    assert summary(cli, archive, "--full")["added"] == 30
    new_segments = {s.segment_id() for s in open_index(str(cli.index))._segments()}
    assert not old_segments & new_segments  # the old generation is gone from the index ...
    assert any(name.startswith(tuple(old_segments)) for name in os.listdir(cli.index))
    # ... but the search that opened it reads every file of it, facets and sorting included.
    result = search.run(Request(query="filing", facets=["author", "year"], sort="newest",
                                limit=30))
    assert result.total == 30 and len(result.hits) == 30
    with Search(open_index(str(cli.index))) as fresh:
        assert result.facets == fresh.run(Request(query="filing", facets=["author", "year"])).facets
    for hit in result.hits:
        stored = search.searcher.stored_fields(search.docnum(hit.id))
        assert "rev1" in stored_body(stored)
    search.close()
    # A new search sees the last commit.
    assert cli("search", "rev2", "--count").stdout == "30\n"
    assert cli("search", "rev1", "--count").stdout == "0\n"
