"""Crash safety for web archives: `newsdex index` on a WARC killed with SIGKILL at varied
moments while it is first read, while it grows, and after it is rewritten. After every kill each
record is in the index at most once, in a version the archive held; a last run gives what a clean
`--full` build gives."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import ROOT, Cli
from tests.test_crash import documents

TAG = re.compile(r"\bitem(\d+)rev(\d+)\b")
TOC = re.compile(r"_MAIN_(\d+)\.toc")


def text(n: int, rev: int) -> bytes:
    return (f"Harbour report number {n}.\n\nThe ferry timetable item{n}rev{rev} was published "
            f"by the harbour authority, which said the new pier would open in the spring after "
            f"two years of work along the coast.\n").encode()


def append(path: Path, items, rev: int, mode: str) -> dict[int, tuple[int, int]]:
    """Write records; {offset: (item, revision)} of those written."""
    written = {}
    with open(path, mode) as f:
        writer = WARCWriter(f, gzip=True)
        for n in items:
            written[f.tell()] = (n, rev)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/plain; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://example.com/{n}", "response", payload=io.BytesIO(text(n, rev)),
                http_headers=http, warc_headers_dict={"WARC-Date": "2023-05-06T10:00:00Z"}))
    return written


def index_cmd(warc: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "search", "index", str(warc), "--index", str(index),
            "--jobs", "1", "--batch", "3", "--quiet"]


def kill_runs(warc: Path, index: Path, allowed: dict[int, set], rng, times: int) -> int:
    """Start and SIGKILL the indexer `times` times; check the index after each kill.

    Each kill lands at a varied moment of the work, not of the clock: after the run's first few
    commits (one to four of them), 0-50 ms into what follows. A fixed delay missed the work
    whenever the machine was faster or slower than the one it was tuned on."""
    kills = 0
    for _ in range(times):
        target = generation(index) + rng.randint(1, 4)
        proc = subprocess.Popen(index_cmd(warc, index), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and generation(index) < target and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        check(index, warc, allowed)
    return kills


def generation(index: Path) -> int:
    """The number of the index's latest commit (its table of contents), -1 before the first."""
    names = os.listdir(index) if index.is_dir() else []
    return max((int(m.group(1)) for m in map(TOC.fullmatch, names) if m), default=-1)


def check(index: Path, warc: Path, allowed: dict[int, set]) -> None:
    """Each record (offset) at most once, in a version the archive held at that offset."""
    if not (index / "newsdex.json").exists():
        return  # killed before the index was created
    docs = documents(index)
    assert max(Counter(d[0] for d in docs).values(), default=1) == 1, "an id twice"
    assert max(Counter(d[1] for d in docs).values(), default=1) == 1, "a record twice"
    for _id, path, body in docs:
        archive, _, offset = path.rpartition("#")
        assert archive == str(warc)
        (tag,) = TAG.findall(body)
        assert (int(tag[0]), int(tag[1])) in allowed[int(offset)], f"{path}: version {tag}"


def versions(*writes: dict) -> dict[int, set]:
    found: dict[int, set] = {}
    for written in writes:
        for offset, tag in written.items():
            found.setdefault(offset, set()).add(tag)
    return found


def settled(cli: Cli, clean: Cli, warc: Path) -> None:
    done = subprocess.run(index_cmd(warc, cli.index), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert clean("index", warc, "--full", "--quiet").exit_code == 0
    ours = sorted((p, b) for _i, p, b in documents(cli.index))
    assert ours == sorted((p, b) for _i, p, b in documents(clean.index))
    assert cli("search", "*", "--jsonl").stdout == clean("search", "*", "--jsonl").stdout


def test_sigkill_while_an_archive_is_read_grows_and_is_rewritten(tmp_path):
    rng = random.Random(11)
    warc = tmp_path / "crawl.warc.gz"
    cli, clean = Cli(tmp_path / "index"), Cli(tmp_path / "clean")
    # Enough records (a commit every 3) that every kill lands in the work, not after it.
    first = append(warc, range(120), 1, "wb")
    kills = kill_runs(warc, cli.index, versions(first), rng, 3)
    settled(cli, clean, warc)

    grown = append(warc, range(120, 210), 1, "ab")  # the crawler appends
    kills += kill_runs(warc, cli.index, versions(first, grown), rng, 3)
    settled(cli, clean, warc)
    assert len(documents(cli.index)) == 210

    rewritten = append(warc, range(30, 180), 2, "wb")  # other records at the same offsets
    kills += kill_runs(warc, cli.index, versions(first, grown, rewritten), rng, 3)
    settled(cli, clean, warc)
    assert sorted(TAG.findall(body)[0] for _i, _p, body in documents(cli.index)) == sorted(
        (str(n), "2") for n in range(30, 180))
    assert kills == 9, "a run finished before it could be killed"
