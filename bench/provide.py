"""The corpus a benchmark runs on: made once per (source, N) and cached in a temp folder.

Two sources: "shared", the realistic generator in ../shared/bench/make_corpus.py (real article
text, run as a program when that folder is present, never copied), and "synthetic", this
project's own generator (bench/corpus.py), which a fresh clone always has. A finished corpus
folder holds a hidden marker file with its figures; a folder without one is an interrupted
generation and is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
SHARED_DATA = SHARED / "corpus" / "bbc_news.jsonl.gz"
MARKER = ".bench-corpus.json"
SUFFIX = ".txt"


class BenchError(Exception):
    """A benchmark step failed; the message says which and why, in one line."""


@dataclass
class Corpus:
    source: str  # "shared", "synthetic" or "folder"
    folder: str
    files: int
    text_bytes: int
    generate_seconds: float
    cached: bool = False

    def to_json(self) -> dict:
        return asdict(self)


def shared_available() -> bool:
    return MAKE_CORPUS.is_file() and SHARED_DATA.is_file()


def choose_source(requested: str) -> str:
    """"auto" means shared when ../shared is present, else synthetic."""
    if requested == "shared" and not shared_available():
        raise BenchError(f"--source shared needs {MAKE_CORPUS} and {SHARED_DATA}")
    if requested == "auto":
        return "shared" if shared_available() else "synthetic"
    return requested


def default_cache() -> Path:
    return Path(tempfile.gettempdir()) / "newsdex-bench"


def cache_key(source: str, n: int, start: int = 0) -> str:
    if source == "shared":
        version = hashlib.sha1(MAKE_CORPUS.read_bytes()).hexdigest()[:8]
    else:
        version = f"v{corpus.VERSION}"
    tail = f"-from{start}" if start else ""
    return f"{source}-{version}-n{n}{tail}"


def prepare(source: str, n: int, cache: Path, start: int = 0) -> Corpus:
    """Files start .. start+n-1 of the source's archive, generated unless cached."""
    folder = cache / cache_key(source, n, start)
    found = _load_marker(folder)
    if found:
        return found
    cache.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{folder.name}.tmp-", dir=cache))
    try:
        started = time.monotonic()
        _generate(source, n, scratch, start)
        seconds = time.monotonic() - started
        files, size = text_files(str(scratch))
        if files != n:
            raise BenchError(f"the {source} generator wrote {files} files instead of {n}")
        done = Corpus(source, str(folder), files, size, round(seconds, 2))
        (scratch / MARKER).write_text(json.dumps(done.to_json()) + "\n", encoding="utf-8")
        try:
            os.rename(scratch, folder)
        except OSError:  # another bench made it meanwhile (or a broken leftover is in the way)
            if not _load_marker(folder):
                shutil.rmtree(folder, ignore_errors=True)
                os.rename(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return done


def from_folder(folder: str) -> Corpus:
    """A corpus the user already has (--corpus DIR), taken as it is."""
    if not os.path.isdir(folder):
        raise BenchError(f"--corpus {folder}: no such folder")
    files, size = text_files(folder)
    if not files:
        raise BenchError(f"--corpus {folder}: no {SUFFIX} files in it")
    return Corpus("folder", os.path.abspath(folder), files, size, 0.0, cached=True)


def _load_marker(folder: Path) -> Corpus | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    data.update(folder=str(folder), cached=True)
    return Corpus(**data)


def _generate(source: str, n: int, folder: Path, start: int) -> None:
    if source == "synthetic":
        corpus.generate(n, str(folder), start=start)
        return
    cmd = [sys.executable, str(MAKE_CORPUS), str(n), str(folder), "--force"]
    if start:
        cmd += ["--start", str(start)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BenchError(f"{MAKE_CORPUS.name} failed (exit {done.returncode}): {tail}")


def text_files(folder: str) -> tuple[int, int]:
    """Number and total size of the article files under folder."""
    files = size = 0
    for path in article_paths(folder):
        files += 1
        size += os.path.getsize(path)
    return files, size


def article_paths(folder: str) -> list[str]:
    """Every article file under folder, sorted (hidden files and folders left out)."""
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(top, n) for n in sorted(names)
                  if n.endswith(SUFFIX) and not n.startswith(".")]
    return found


def tree_size(folder: str) -> int:
    """Bytes of every file under folder (an index's size on disk, as `du -b` counts it)."""
    total = 0
    for top, _dirs, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):  # a file removed meanwhile
                total += os.path.getsize(os.path.join(top, name))
    return total
