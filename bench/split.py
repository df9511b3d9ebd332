"""Where a newsdex build's time goes: walk, read, clean+extract, analysis+write, commit.

    python -m bench.split CORPUS INDEX

All in one process, so each phase is measured alone: first the walk, reading
(indexer.extraction.reader) and extraction (indexer.extraction.extract.extract_source) of every
file, timed separately; then a real single-process build, `index_paths` with Options(jobs=1),
into the new INDEX folder. That build does the walk, reading and extraction again, so its
analysis+write share is what is left of its time after those phases and its commits. Prints
one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time


def phases(corpus: str) -> dict:
    """Seconds to walk, read and extract every file under corpus, one process."""
    from indexer.extraction import reader
    from indexer.extraction.extract import extract_source
    from indexer.walk import walk

    started = time.perf_counter()
    paths = sorted(path for path, _st in walk([os.path.abspath(corpus)], lambda p, r: None))
    walked = time.perf_counter() - started
    read = extract = 0.0
    skipped = 0
    for path in paths:
        t0 = time.perf_counter()
        try:
            source = reader.read(path)
            t1 = time.perf_counter()
            extract_source(source)
        except reader.SkipFile:
            skipped += 1
            t1 = time.perf_counter()
        t2 = time.perf_counter()
        read += t1 - t0
        extract += t2 - t1
    return {"files": len(paths), "walk": walked, "read": read, "extract": extract,
            "skipped": skipped}


def build(corpus: str, folder: str) -> dict:
    """A real single-process build; its total, commit time and document count."""
    from indexer.writer import Options, index_paths

    summary = index_paths([corpus], folder, Options(jobs=1))
    # None when this newsdex does not time its commits: then analysis+write includes them.
    commit = getattr(summary, "commit_seconds", None)
    return {"build": summary.seconds, "commit": commit, "documents": summary.documents}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit("usage: python -m bench.split CORPUS INDEX")
    corpus, folder = argv
    result = phases(corpus)
    result.update(build(corpus, folder))
    rest = result["build"] - result["walk"] - result["read"] - result["extract"]
    result["analysis_write"] = max(rest - (result["commit"] or 0.0), 0.0)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
