"""Hostile files: each is indexed correctly or skipped with one warning naming it and the reason,
and none stops the run."""

from __future__ import annotations

import codecs
import ctypes
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest

from indexer.extraction import reader
from indexer.extraction.reader import MAX_HTML_DEPTH, SkipFile
from indexer.writer import Options, index_paths
from tests.conftest import ROOT, Cli, file_id
from tests.test_incremental import age_files, article_text, write_articles

MONTREAL = ("Montréal harbour strike\n\nDockers in Montréal walked out on Monday over the new "
            "rota, the union said. “We will not move,” said one worker.\n")


def newsdex(*args, unprivileged: bool = False, **kwargs):
    """newsdex as a process: (CompletedProcess, seconds, peak RSS in MiB)."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_drop_file_permission_override if unprivileged else None,
                            **kwargs)
    out, err = proc.communicate(timeout=120)
    seconds = time.monotonic() - started
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out.decode("utf-8"),
                                         err.decode("utf-8"))
    return result, seconds


# Starts newsdex and reaps it with wait4, writing its peak RSS (KiB) to argv[1]. A child forked
# straight from the test process would start from this process's own peak (Linux copies it at
# fork), and the test process is large once an in-process test has loaded the language model.
_MEASURE = ("import os, subprocess, sys\n"
            "p = subprocess.Popen(sys.argv[2:])\n"
            "_, status, usage = os.wait4(p.pid, 0)\n"
            "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
            "sys.exit(os.waitstatus_to_exitcode(status))\n")


def peak_rss_mib(*args) -> tuple[subprocess.CompletedProcess, float]:
    """Run newsdex and measure its peak memory (wait4 on that one process)."""
    with tempfile.NamedTemporaryFile("r") as report:
        done = subprocess.run([sys.executable, "-c", _MEASURE, report.name, sys.executable, "-m",
                               "search", *map(str, args)], cwd=ROOT, capture_output=True,
                              text=True)
        return done, int(report.read()) / 1024


def _drop_file_permission_override() -> None:
    """In the child before exec: as root, give up CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so
    that file permissions apply to it as to any user (chmod 000 means unreadable)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def can_drop_root_powers() -> bool:
    if os.geteuid() != 0:
        return True
    fd, probe_file = tempfile.mkstemp()
    os.close(fd)
    os.chmod(probe_file, 0)
    try:
        probe = subprocess.run([sys.executable, "-c", f"open({probe_file!r}).read()"],
                               preexec_fn=_drop_file_permission_override, capture_output=True)
    except OSError:
        return False
    finally:
        os.unlink(probe_file)
    return probe.returncode != 0 and b"PermissionError" in probe.stderr


def stderr_lines(result) -> list[str]:
    return result.stderr.splitlines()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- the whole zoo in one run ----------------------------------------------------------------

def hostile_archive(folder: Path) -> dict[str, str]:
    """Good articles among hostile files; returns skipped file -> reason expected."""
    write_articles(folder / "good", range(70))  # enough for worker processes
    skipped = {}

    def bad(name: str, data: bytes, reason: str) -> None:
        write(folder / name, data)
        skipped[str(folder / name)] = reason

    bad("empty.txt", b"", "empty file")
    bad("blank.txt", b"  \n\t\r\n   \n", "empty file")
    # Seeded, so every run has the same bytes: urandom's NUL count varies, and with fewer than
    # the reader's threshold of strays the file would be judged by its control characters.
    rng = random.Random(11)
    bad("random.txt", rng.randbytes(3000) + b"\0" * 16, "binary file (NUL bytes)")
    noise = bytes(b for b in rng.randbytes(6000) if b not in (0, 9, 10, 13))
    bad("noise.txt", noise, "binary file (control characters)")
    bad("bad.txt.gz", b"\x1f\x8b\x08\x00not really gzip", "broken gzip file")
    deep = "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"
    bad("deep.html", deep.encode(), f"HTML nested more than {MAX_HTML_DEPTH} levels deep")
    os.symlink("nowhere.txt", folder / "dangling.txt")
    skipped[str(folder / "dangling.txt")] = "dangling symlink"
    os.symlink("self.txt", folder / "self.txt")
    skipped[str(folder / "self.txt")] = "symlink loop"
    os.symlink("..", folder / "good" / "up")  # a folder loop: walked once
    # Indexed, with a warning: a few stray NUL bytes, a few broken UTF-8 bytes.
    write(folder / "nul.txt", article_text(900).replace("filing", "fil\0ing").encode())
    damaged = article_text(901).encode().replace(b"reference", b"refer\xffence")
    write(folder / "damaged.txt", damaged)
    age_files(folder)
    return skipped


def test_hostile_files_are_skipped_with_one_line_each_and_never_stop_the_run(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    skipped = hostile_archive(archive)
    result, seconds = newsdex("index", archive, "--index", index, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert reasons.keys() == skipped.keys()
    for path, reason in skipped.items():  # (a broken gzip file's reason says how it is broken)
        assert reasons[path] == reason or reasons[path].startswith(reason + ": ")
    assert data["added"] == 72 and data["documents"] == 72  # 70 articles + nul + damaged
    assert {w["path"]: w["warning"] for w in data["warnings"]} == {
        str(archive / "nul.txt"): "1 NUL byte(s) removed",
        str(archive / "damaged.txt"): "1 invalid UTF-8 byte sequence(s) replaced"}
    # One line on stderr per file, naming it and the reason.
    lines = stderr_lines(result)
    assert sorted(lines) == sorted(
        [f"newsdex: skipped {p}: {reasons[p]}" for p in skipped]
        + [f"newsdex: warning: {archive / 'nul.txt'}: 1 NUL byte(s) removed",
           f"newsdex: warning: {archive / 'damaged.txt'}: 1 invalid UTF-8 byte sequence(s) "
           f"replaced"])
    assert seconds < 60
    # Nothing was indexed twice through the folder loop, and the damaged files are searchable.
    assert newsdex("search", "ref0900", "filing", "--count", "--index", index)[0].stdout == "1\n"
    assert newsdex("search", "ref0901", "--count", "--index", index)[0].stdout == "1\n"
    # A rerun reads nothing: the skipped files are remembered as holding no article
    # (indexer/skips.py), and skipped again with the same reasons, from memory.
    rerun = json.loads(newsdex("index", archive, "--index", index, "--json")[0].stdout)
    assert (rerun["unchanged"], rerun["reread"]) == (72, 0)
    assert {s["path"]: s["reason"] for s in rerun["skipped"]} == reasons
    # Once a skipped file changes, it is read again.
    write(archive / "empty.txt", article_text(902).encode())
    rerun = json.loads(newsdex("index", archive, "--index", index, "--json")[0].stdout)
    assert (rerun["added"], rerun["reread"], len(rerun["skipped"])) == (1, 1, len(skipped) - 1)


# --- encodings -------------------------------------------------------------------------------

ENCODED = {
    "cp1252.txt": MONTREAL.encode("cp1252"),
    "latin1.txt": MONTREAL.replace("“", '"').replace("”", '"').encode("latin-1"),
    "utf16-bom.txt": MONTREAL.encode("utf-16"),
    "utf16be-bom.txt": codecs.BOM_UTF16_BE + MONTREAL.encode("utf-16-be"),
    "utf16-no-bom.txt": MONTREAL.encode("utf-16-le"),
    "utf8-bom.txt": codecs.BOM_UTF8 + MONTREAL.encode("utf-8"),
    "page-cp1252.html": (f'<html><head><meta charset="windows-1252"><title>Montréal</title>'
                         f'</head><body><p>{MONTREAL}</p></body></html>').encode("cp1252"),
    "text.txt.gz": gzip.compress(MONTREAL.encode("utf-8")),
}


def test_every_encoding_is_decoded_so_montreal_is_found(cli, tmp_path):
    archive = tmp_path / "archive"
    for name, data in ENCODED.items():
        write(archive / name, data)
    data = json.loads(cli("index", archive, "--json").stdout)
    assert data["added"] == len(ENCODED) and data["skipped"] == [] and data["warnings"] == []
    hits = json.loads(cli("search", "Montreal", "--json", "--limit", "20").stdout)
    assert sorted(h["path"] for h in hits["hits"]) == sorted(str(archive / n) for n in ENCODED)
    for name in ENCODED:
        shown = json.loads(cli("show", file_id(str(archive / name)), "--json").stdout)
        assert "Dockers in Montréal walked out" in shown["body"]
        if name.startswith(("cp1252", "utf", "text")):
            assert "“We will not move,”" in shown["body"]
    assert json.loads(cli("search", "Montréal", "--json").stdout)["total"] == len(ENCODED)


# --- size caps -------------------------------------------------------------------------------

def test_a_200_mb_file_is_skipped_by_its_size_without_being_read(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(3))
    huge = archive / "huge.txt"
    with open(huge, "wb") as f:  # 200 MB that take no disk: a sparse file
        f.write(article_text(5).encode())
        f.truncate(200 * 1024 * 1024)
    result, rss = peak_rss_mib("index", archive, "--index", index, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"newsdex: skipped {huge}: larger than the size cap of 52428800 "
                             f"bytes (see --max-size)\n")
    assert json.loads(result.stdout)["added"] == 3
    assert rss < 150  # never read into memory
    # --max-size sets the cap.
    result, _ = newsdex("index", archive, "--index", index, "--max-size", "300M", "--json")
    assert "binary file (NUL bytes)" in result.stderr  # now read: and found to be binary
    small = json.loads(newsdex("index", archive, "--index", index, "--max-size", "1K",
                               "--full", "--json")[0].stdout)
    assert small["added"] == 0
    assert {s["reason"] for s in small["skipped"]} == {
        "larger than the size cap of 1024 bytes (see --max-size)"}


def read_chars() -> int:
    with open("/proc/self/io") as f:
        return int(next(line for line in f if line.startswith("rchar:")).split()[1])


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux /proc")
def test_the_reader_reads_at_most_cap_plus_one_bytes(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5_000_000)
    before = read_chars()
    with pytest.raises(SkipFile, match="larger than the size cap of 1000000 bytes"):
        reader.read_bytes(str(big), max_size=1_000_000)
    assert read_chars() - before < 4096  # refused by its size: not read at all
    # A file that is bigger than its size said (it grew; /proc files say 0): reading stops at
    # cap + 1 bytes.
    proc_file = "/proc/self/smaps"
    assert os.stat(proc_file).st_size == 0
    own = read_chars()
    own = read_chars() - own  # what reading the counter itself adds
    before = read_chars()
    with pytest.raises(SkipFile, match="larger than the size cap of 1000 bytes"):
        reader.read_bytes(proc_file, max_size=1000)
    assert read_chars() - before - own <= 1001
    before = read_chars()
    assert reader.read_bytes(str(big), max_size=6_000_000) == b"x" * 5_000_000
    assert read_chars() - before - own <= 5_000_001


def test_gzip_files_are_read_and_bombs_are_capped(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write(archive / "story.txt.gz", gzip.compress(article_text(11).encode()))
    page = article_text(10, html=True)
    write(archive / "page.html.gz", gzip.compress(page.encode()))
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = bytes(1 << 20)
    parts = [bomb.compress(b"Headline\n\n" + b"word " * 1000)]
    parts += [bomb.compress(chunk) for _ in range(300)]  # 300 MB of zeros
    write(archive / "bomb.txt.gz", b"".join(parts) + bomb.flush())
    assert (archive / "bomb.txt.gz").stat().st_size < 1_000_000
    result, rss = peak_rss_mib("index", archive, "--index", index, "--max-size", "2M", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"newsdex: skipped {archive / 'bomb.txt.gz'}: decompresses to more "
                             f"than the size cap of 2097152 bytes\n")
    assert rss < 150
    assert newsdex("search", "ref0011", "--count", "--index", index)[0].stdout == "1\n"
    shown = json.loads(newsdex("show", file_id(str(archive / "page.html.gz")), "--json",
                               "--index", index)[0].stdout)
    assert "reference ref0010" in shown["body"] and "<p>" not in shown["body"]


# --- deep HTML -------------------------------------------------------------------------------

def test_html_nested_100000_levels_is_skipped_in_moments(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, [3])  # an HTML article
    depth = 100_000
    write(archive / "deep.html", ("<html><body>" + "<div>" * depth + "<p>deep</p>"
                                  + "</div>" * depth + "</body></html>").encode())
    # Deep, but not absurdly: indexed.
    write(archive / "nested.html", ("<html><body>" + "<div>" * 2000 + f"<p>{MONTREAL}</p>"
                                    + "</div>" * 2000 + "</body></html>").encode())
    started = time.monotonic()
    result, _ = newsdex("index", archive, "--index", index, "--json")
    assert time.monotonic() - started < 15
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"newsdex: skipped {archive / 'deep.html'}: HTML nested more than "
                             f"{MAX_HTML_DEPTH} levels deep\n")
    assert json.loads(result.stdout)["added"] == 2
    extract, _ = newsdex("extract", archive / "deep.html")
    assert extract.returncode == 1
    assert extract.stderr == (f"newsdex: error: {archive / 'deep.html'}: HTML nested more than "
                              f"{MAX_HTML_DEPTH} levels deep\n")


# --- links, races, permissions, names --------------------------------------------------------

def test_symlinks_are_followed_once(cli, tmp_path):
    archive, outside = tmp_path / "archive", tmp_path / "outside"
    write_articles(archive, range(4))
    write_articles(outside, [50])
    os.symlink(outside / "2012" / "story-0050.txt", archive / "linked.txt")
    os.symlink(archive, archive / "2010" / "loop")  # a folder loop
    os.symlink(tmp_path / "gone", archive / "dangling")
    data = json.loads(cli("index", archive, "--json").stdout)
    assert data["added"] == 5
    assert data["skipped"] == [{"path": str(archive / "dangling"), "reason": "dangling symlink"}]
    assert cli("search", "ref0050", "--json").stdout.count(str(archive / "linked.txt")) == 1


def test_files_that_vanish_or_change_between_walk_and_read(tmp_path):
    """The walk stats every file before any is read: files deleted or rewritten in between are
    skipped (and dropped from the index) or indexed as they are when read."""
    archive, index = tmp_path / "archive", tmp_path / "index"
    folder = archive / "day"
    folder.mkdir(parents=True)
    for name, n in (("a.txt", 1), ("b.txt", 2), ("c.txt", 3)):
        (folder / name).write_text(article_text(n), encoding="utf-8")
    age_files(archive)
    assert index_paths([str(archive)], str(index), Options(jobs=1)).added == 3
    os.symlink("nowhere", folder / "m-link")  # met by the walk after a, b and c

    def meanwhile(path: str, reason: str) -> None:
        if path.endswith("m-link"):  # the walk has stat'ed a, b and c: now change them
            (folder / "a.txt").unlink()
            (folder / "b.txt").write_text(article_text(2, rev=5), encoding="utf-8")
            (folder / "c.txt").unlink()
            (folder / "c.txt").write_text("", encoding="utf-8")

    for name in ("a.txt", "b.txt", "c.txt"):  # so that the run reads all three
        os.utime(folder / name, (1, 1))
    summary = index_paths([str(archive)], str(index), Options(jobs=1, on_skip=meanwhile))
    reasons = {os.path.basename(s["path"]): s["reason"] for s in summary.skipped}
    assert reasons == {"m-link": "dangling symlink",
                       "a.txt": "file vanished before it could be read",
                       "c.txt": "empty file"}
    assert (summary.updated, summary.removed, summary.documents) == (1, 2, 1)
    assert Cli(index)("search", "ref0002", "rev5", "--count").stdout == "1\n"
    # The next run sees b's true size and mtime: read again, found as indexed.
    again = index_paths([str(archive)], str(index), Options(jobs=1))
    assert (again.updated, again.unchanged, again.reread) == (0, 1, 2)  # b, and empty c


@pytest.mark.skipif(not can_drop_root_powers(), reason="root that cannot give up DAC override")
def test_unreadable_files_and_folders_are_skipped(tmp_path):
    archive, index = tmp_path / "archive", tmp_path / "index"
    write_articles(archive, range(3))
    locked = archive / "locked"
    write_articles(locked, [61])
    first, _ = newsdex("index", archive, "--index", index, "--json")
    assert json.loads(first.stdout)["added"] == 4
    secret = write(archive / "secret.txt", article_text(60).encode())
    secret.chmod(0)
    locked.chmod(0)
    try:
        result, _ = newsdex("index", archive, "--index", index, "--json", unprivileged=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert sorted(stderr_lines(result)) == [
        f"newsdex: skipped {locked}: cannot list folder: Permission denied",
        f"newsdex: skipped {secret}: permission denied"]
    data = json.loads(result.stdout)
    # A folder it could not list is unseen, not gone: its articles stay.
    assert (data["unchanged"], data["removed"], data["documents"]) == (3, 0, 4)


def test_file_names_that_are_not_utf8_or_hold_newlines(cli, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    root = os.fsencode(archive)
    names = [b"caf\xe9-latin1.txt", b"two\nlines.txt", b"tab\there.txt"]
    for n, name in enumerate(names):
        with open(os.path.join(root, name), "wb") as f:
            f.write(article_text(70 + n).encode())
    with open(os.path.join(root, b"empty\n\xff\x1b[31m.txt"), "wb"):
        pass
    age_files(archive)
    result, _ = newsdex("index", archive, "--index", cli.index, "--json")
    assert result.returncode == 0, result.stderr
    # One warning line, the name escaped: no raw newline, byte or escape reaches the terminal.
    assert result.stderr == (f"newsdex: skipped {archive}/empty\\n\\xff\\x1b[31m.txt: "
                             f"empty file\n")
    assert json.loads(result.stdout)["added"] == 3
    for n, name in enumerate(names):
        path = os.fsdecode(os.path.join(root, name))
        hits = json.loads(cli("search", f"ref{70 + n:04d}", "--json").stdout)["hits"]
        assert [h["id"] for h in hits] == [file_id(path)]
        assert cli("show", file_id(path)).exit_code == 0
    text = cli("search", "filing").stdout  # each path on one line, its odd characters escaped
    assert f"{archive}/two\\nlines.txt" in text and f"{archive}/caf\\xe9-latin1.txt" in text
    assert f"{archive}/tab\\there.txt" in text
    # A rerun finds every name as it was remembered.
    rerun = json.loads(cli("index", archive, "--json").stdout)
    assert (rerun["unchanged"], rerun["added"], rerun["removed"]) == (3, 0, 0)
