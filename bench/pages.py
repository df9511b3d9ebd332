"""Pages per second on real saved HTML, beside trafilatura's and htmldate's own time.

    python -m bench.pages [--copies K] [--jobs N]

The pages are ../shared/realpages (160 real news and web pages, read where they lie, never
copied into the project). In process, on one core, each page goes once through newsdex's
extraction (`extract_file`: one lxml parse, trafilatura's main text, htmldate, newsdex's own
metadata rules and cleaning) and through the anchors as their users call them on the page's
bytes: trafilatura's `bare_extraction` with metadata (its default mode) and htmldate's
`find_date`. Then `newsdex index` (a process, --jobs N) builds an index of the pages repeated K
times under distinct names in a temporary folder, removed afterwards. Skipped with one line when
../shared/realpages is absent.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "realpages"


def page_files() -> list[Path]:
    return sorted(PAGES.glob("readability/*/source.html")) + sorted(
        PAGES.glob("newspaper4k/html/*.html"))


def _per_page(files: list[Path], run: Callable[[Path], object]) -> float:
    """Milliseconds per page, one pass, in this process."""
    started = time.perf_counter()
    for path in files:
        with contextlib.suppress(Exception):  # a failure on one page still costs its time
            run(path)
    return 1000 * (time.perf_counter() - started) / len(files)


def in_process(files: list[Path]) -> dict[str, float]:
    from htmldate import find_date
    from trafilatura import bare_extraction

    from indexer.extraction.extract import extract_file

    logging.disable(logging.CRITICAL)  # the anchors' own logging, called here without newsdex
    extract_file(str(files[0]))  # imports and the outlet table, outside the timing
    return {
        "newsdex": _per_page(files, lambda p: extract_file(str(p))),
        "trafilatura": _per_page(files, lambda p: bare_extraction(
            p.read_bytes(), with_metadata=True, include_comments=False)),
        "htmldate": _per_page(files, lambda p: find_date(p.read_bytes(), original_date=True)),
    }


def index_build(files: list[Path], copies: int, jobs: int) -> tuple[int, float]:
    """(pages, seconds) of `newsdex index` over the pages repeated `copies` times."""
    work = Path(tempfile.mkdtemp(prefix="newsdex-pages-"))
    try:
        folder = work / "pages"
        folder.mkdir()
        n = 0
        for copy in range(copies):
            for path in files:
                n += 1
                shutil.copyfile(path, folder / f"page-{copy:02d}-{n:05d}.html")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "search", "index", str(folder), "--index",
                        str(work / "index"), "--jobs", str(jobs), "-q"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        return n, time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(copies: int = 2, jobs: int = 2) -> str:
    files = page_files()
    if not files:
        return f"pages: skipped ({PAGES} is absent)"
    ms = in_process(files)
    n, seconds = index_build(files, copies, jobs)
    lines = [f"Real saved pages ({len(files)} pages of {PAGES}), in process, one core:",
             *(f"  {name:12} {value:6.1f} ms/page  {1000 / value:6.1f} pages/s"
               for name, value in ms.items()),
             f"`newsdex index` of {n} pages ({copies} copies of each), --jobs {jobs}: "
             f"{seconds:.1f} s, {n / seconds:.1f} pages/s"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=2, help="copies of each page to index")
    ap.add_argument("--jobs", type=int, default=2, help="`newsdex index --jobs`")
    args = ap.parse_args(argv)
    print(report(args.copies, args.jobs))


if __name__ == "__main__":
    main()
