"""`newsdex index --watch`: a real watching process picks up new, changed and deleted files within
its interval, and exits cleanly (status 0, everything it read committed) on SIGTERM and Ctrl-C."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_incremental import article_path, write_articles

INTERVAL = 0.5


class Watcher:
    """`newsdex index --watch --json` as a process, its summaries read as they come."""

    def __init__(self, archive: Path, index: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "search", "index", str(archive), "--index", str(index),
             "--watch", "--interval", str(INTERVAL), "--json", *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def next_summary(self, timeout: float) -> dict:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no summary within {timeout} s") from None

    def picked_up(self) -> dict:
        """The summary of the scan that sees a change just made: within one interval, plus
        the time of one scan and one commit."""
        return self.next_summary(timeout=INTERVAL + 2.5)

    def stop(self, sig: int) -> tuple[int, str]:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return code, self.proc.stderr.read()


def count(cli, *words: str) -> int:
    result = cli("search", *words, "--count")
    assert result.exit_code == 0, result.output
    return int(result.stdout)


def test_watch_picks_up_new_changed_and_deleted_files(cli, tmp_path):
    archive = tmp_path / "archive"
    write_articles(archive, range(5))
    watcher = Watcher(archive, cli.index)
    try:
        assert watcher.next_summary(timeout=30)["added"] == 5
        # A new file.
        write_articles(archive, [5], age=0)
        data = watcher.picked_up()
        assert (data["added"], data["unchanged"], data["reread"]) == (1, 5, 1)
        assert count(cli, "ref0005") == 1
        # A changed file.
        write_articles(archive, [2], rev=2, age=0)
        data = watcher.picked_up()
        assert data["updated"] == 1
        assert count(cli, "ref0002", "rev2") == 1 and count(cli, "ref0002", "rev1") == 0
        # A deleted file.
        article_path(archive, 4).unlink()
        data = watcher.picked_up()
        assert data["removed"] == 1 and data["documents"] == 5
        assert count(cli, "ref0004") == 0
        # Nothing changed: the watcher stays quiet.
        with pytest.raises(AssertionError):
            watcher.next_summary(timeout=3 * INTERVAL)
    finally:
        code, err = watcher.stop(signal.SIGTERM)
    assert code == 0, err
    assert err == ""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_commits_what_was_read_and_exits_0(cli, tmp_path, sig):
    archive = tmp_path / "archive"
    write_articles(archive, range(3))
    # A commit every 10 files, so that a stop can come between two commits of one scan.
    watcher = Watcher(archive, cli.index, "--jobs", "1", "--batch", "10")
    assert watcher.next_summary(timeout=30)["added"] == 3
    # Many new files at once, and the signal while the watcher is (most likely) reading them.
    write_articles(archive, range(3, 203), age=0)
    time.sleep(INTERVAL + 0.6)
    code, err = watcher.stop(sig)
    assert code == 0, err
    # What it read is committed, each article whole: the index opens and searches, and a run
    # finishes the rest without reading again what the watcher committed.
    done = count(cli, "filing")
    assert 3 <= done <= 203
    result = cli("index", archive, "--json")
    data = json.loads(result.stdout)
    assert (data["added"], data["unchanged"], data["documents"]) == (203 - done, done, 203), done
