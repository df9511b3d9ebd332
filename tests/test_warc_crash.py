"""Crash safety for web archives: `newsdex index` on a WARC killed with SIGKILL at varied
moments while it is first read, while it grows, and after it is rewritten. After every kill each
record is in the index at most once, in a version the archive held; a last run gives what a clean
`--full` build gives."""

from __future__ import annotations

import io
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
    """Start and SIGKILL the indexer `times` times; check the index after each kill."""
    kills = 0
    for _ in range(times):
        proc = subprocess.Popen(index_cmd(warc, index), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0))  # a run takes about a second on a quiet machine
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        check(index, warc, allowed)
    return kills


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
    first = append(warc, range(40), 1, "wb")
    kills = kill_runs(warc, cli.index, versions(first), rng, 3)
    settled(cli, clean, warc)

    grown = append(warc, range(40, 70), 1, "ab")  # the crawler appends
    kills += kill_runs(warc, cli.index, versions(first, grown), rng, 3)
    settled(cli, clean, warc)
    assert len(documents(cli.index)) == 70

    rewritten = append(warc, range(10, 60), 2, "wb")  # other records at the same offsets
    kills += kill_runs(warc, cli.index, versions(first, grown, rewritten), rng, 3)
    settled(cli, clean, warc)
    assert sorted(TAG.findall(body)[0] for _i, _p, body in documents(cli.index)) == sorted(
        (str(n), "2") for n in range(10, 60))
    assert kills >= 4, "the runs kept finishing before they could be killed"
