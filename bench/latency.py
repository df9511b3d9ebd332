"""Search latency in-process: one open Search object, each query warmed once, then timed.

    python -m bench.latency INDEX QUERIES.json REPS

QUERIES.json is a list of {"name", "query", "outlets"}; an outlets value of "@top" stands for
the outlet with the most articles in this index (so a field filter always has something to
filter, whatever outlets the extraction recognised). Every query runs as `newsdex search` runs
it (first page of 10, snippets), once without facets and once with the outlet, author and year
facets. Prints one JSON object with every timing in milliseconds.
"""

from __future__ import annotations

import json
import sys
import time

FACETS = ["outlet", "author", "year"]


def top_outlet(search) -> str | None:
    from search.searcher import Request

    counts = search.run(Request(query="*", facets=["outlet"], limit=1, snippets=False))
    values = counts.facets.get("outlet") or []
    return values[0][0] if values else None


def time_query(search, request, reps: int) -> tuple[int, list[float]]:
    """Hits of the request and the milliseconds of reps runs after one warm-up run."""
    hits = search.run(request).total
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        search.run(request)
        samples.append((time.perf_counter() - started) * 1000)
    return hits, samples


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit("usage: python -m bench.latency INDEX QUERIES.json REPS")
    folder, spec_file, reps = argv[0], argv[1], int(argv[2])
    from indexer.store import open_index
    from search.searcher import Request, Search

    with open(spec_file, encoding="utf-8") as f:
        specs = json.load(f)
    started = time.perf_counter()
    search = Search(open_index(folder))
    opened = time.perf_counter() - started
    top = top_outlet(search)
    out = []
    for spec in specs:
        outlets = spec.get("outlets") or []
        if outlets == "@top":
            outlets = [top] if top else []
        row = {"name": spec["name"], "query": spec["query"], "outlets": outlets}
        for mode, facets in (("plain", []), ("facets", FACETS)):
            req = Request(query=spec["query"], outlets=list(outlets), facets=list(facets))
            row["hits"], row[mode] = time_query(search, req, reps)
        out.append(row)
    search.close()
    print(json.dumps({"open_seconds": round(opened, 4), "top_outlet": top, "reps": reps,
                      "facets": FACETS, "queries": out}))


if __name__ == "__main__":
    main(sys.argv[1:])
