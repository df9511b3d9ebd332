"""The floor: the plainest Whoosh indexer of the same files, with no extraction at all.

    python -m bench.floor CORPUS INDEX [--procs 2] [--limitmb 256]

title = the first line, body = the rest, both through Whoosh's StemmingAnalyzer and stored;
facets from the path alone: the outlet slug of the file name (ID), the date folders as keywords
(KEYWORD) and as a date (DATETIME). One add_document per file and one commit, Whoosh's defaults
otherwise. With --procs 2 the writer is writer(procs=2, multisegment=True): the fastest
documented way to build with Whoosh on two cores. newsdex has to beat this while doing all of its
cleaning and metadata extraction. Prints one JSON line: {"documents": n, "seconds": s}.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sys
import time

from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer

from bench.provide import article_paths

_DATE_DIRS = re.compile(r"(\d{4})/(\d{2})/(\d{2})/[^/]+$")
_SLUG = re.compile(r"^(.*?)(?:-\d+)?\.\w+$")


def schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        outlet=fields.ID(stored=True, sortable=True),
        folders=fields.KEYWORD(stored=True, commas=True),
        published=fields.DATETIME(stored=True, sortable=True),
    )


def document(path: str) -> dict:
    """The fields of one file: first line, rest, and what its path says."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    title, _, body = text.partition("\n")
    doc = {"path": path, "title": title.strip(), "body": body}
    slug = _SLUG.match(os.path.basename(path))
    if slug:
        doc["outlet"] = slug.group(1)
    found = _DATE_DIRS.search(path.replace(os.sep, "/"))
    if found:
        year, month, day = found.groups()
        doc["folders"] = f"{year},{year}-{month}"
        with contextlib.suppress(ValueError):  # a folder named like a date that is none
            doc["published"] = dt.datetime(int(year), int(month), int(day))
    return doc


def build(corpus: str, folder: str, procs: int = 1, limitmb: int = 256) -> int:
    """Index every article file under corpus into a new index at folder; returns its size."""
    os.makedirs(folder, exist_ok=True)
    ix = index.create_in(folder, schema())
    if procs > 1:
        writer = ix.writer(procs=procs, multisegment=True, limitmb=limitmb)
    else:
        writer = ix.writer(limitmb=limitmb)
    for path in article_paths(corpus):
        writer.add_document(**document(path))
    writer.commit()
    with ix.searcher() as searcher:
        return searcher.doc_count()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n")[0])
    ap.add_argument("corpus", help="folder of article files")
    ap.add_argument("index", help="new index folder (must not hold an index)")
    ap.add_argument("--procs", type=int, default=1, help="writer processes (default 1)")
    ap.add_argument("--limitmb", type=int, default=256, help="writer memory per process")
    a = ap.parse_args(argv)
    if index.exists_in(a.index):
        sys.exit(f"bench.floor: {a.index} already holds an index")
    started = time.perf_counter()
    documents = build(a.corpus, a.index, a.procs, a.limitmb)
    seconds = time.perf_counter() - started
    print(json.dumps({"documents": documents, "seconds": round(seconds, 3), "procs": a.procs}))


if __name__ == "__main__":
    main()
