"""`newsdex serve` in `make bench`: how long the search page takes, and that the CLI did not grow.

    python -m bench.web INDEX WORD REPS

In-process, through Starlette's test client over the bench index: the search page for a common
word (results, every facet, the timeline: what a user first sees), the same search from the JSON
API, one article page and its similar articles and copies; each warmed once, then timed REPS
times. Then one `newsdex search WORD` process under `python -X importtime`: the web modules it
imported (none, by design) and the import time of the CLI. Prints one JSON object; times in
milliseconds.

bench/run.py calls measure() (the part named "web"); target() and rows() feed its report.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

from bench.report import check, latency

TARGET_MS = 300  # issue 12: page with facets and timeline at 100,000 articles
WEB_MODULES = {"web", "starlette", "uvicorn", "jinja2", "markupsafe", "anyio", "h11", "httpx",
               "httpx2"}


def timed(client, url: str, reps: int) -> list[float]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench.web: GET {url}: status {response.status_code}")
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def cli_imports(index: str, word: str) -> dict:
    """The web modules a `newsdex search` process imports, and its CLI import time."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "search", "search", word,
                           "--index", index], capture_output=True, text=True, check=True)
    # Lines: "import time: self [us] | cumulative | imported package"
    rows = re.findall(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", done.stderr)
    modules = {name for _, _, _, name in rows}
    cli = [int(total) for _, total, _, name in rows if name == "search.cli"]
    return {"web_modules": sorted(m for m in modules if m.split(".")[0] in WEB_MODULES),
            "cli_import_ms": round(cli[0] / 1000, 1) if cli else None,
            "modules": len(modules)}


def library_times(index: str, word: str, reps: int) -> list[float]:
    """The same search as a library call (bench.latency's "facets" mode), timed alongside the
    page: what the page adds to it is the web layer's own cost, whatever the machine's load."""
    from indexer.store import open_index
    from search.searcher import Request, Search

    search = Search(open_index(index))
    req = Request(query=word, facets=["outlet", "author", "year"])
    search.run(req)
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        search.run(req)
        samples.append((time.perf_counter() - started) * 1000)
    search.close()
    return samples


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit("usage: python -m bench.web INDEX WORD REPS")
    index, word, reps = argv[0], argv[1], int(argv[2])
    from starlette.testclient import TestClient

    from web.app import create_app

    client = TestClient(create_app(index, ["127.0.0.1"]), base_url="http://127.0.0.1")
    api = client.get(f"/api/search?q={word}&facet=outlet").json()
    first = api["hits"][0]["id"] if api["hits"] else None
    out = {"word": word, "reps": reps, "hits": api["total"],
           "page": latency(timed(client, f"/?q={word}", reps)),
           "library": latency(library_times(index, word, reps)),
           "api": latency(timed(client, f"/api/search?q={word}", reps)),
           "article": latency(timed(client, f"/article/{first}", reps)) if first else None,
           "related": latency(timed(client, f"/article/{first}/related", reps))
           if first else None,
           "cli": cli_imports(index, word)}
    print(json.dumps(out))


# -- the hooks bench/run.py calls -------------------------------------------------------------

def measure(bench, data, word: str) -> None:
    started = time.monotonic()
    bench.log(f"newsdex serve: search page for {word!r} ({bench.args.reps} runs)")
    args = ["-m", "bench.web", str(bench.work / "newsdex-index"), word, str(bench.args.reps)]
    _done, result, _rss = bench.python(args, "web page timing (bench.web)")
    if result["cli"]["web_modules"]:
        bench.note(f"`newsdex search` imported web modules: {result['cli']['web_modules']}")
    bench.facts["web"] = result
    bench.phase("web", started)


def target(figures: dict) -> list[dict]:
    web = figures.get("web")
    if not web:
        return []
    return [check("web search page p95", web["page"]["p95"], TARGET_MS, " ms"),
            check("web modules in `newsdex search`", len(web["cli"]["web_modules"]), 0, "")]


def rows(figures: dict) -> str:
    web = figures.get("web")
    if not web:
        return "newsdex serve: skipped"
    page, api, art, cli = web["page"], web["api"], web["article"], web["cli"]
    related = web.get("related")

    def ms(lat: dict | None) -> str:
        return f"p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms" if lat else "-"

    met = "met" if page["p95"] <= TARGET_MS else "MISSED"
    return "\n".join([
        f"newsdex serve (in-process, Starlette test client, {web['reps']} runs each):",
        f"  search page {web['word']!r} ({web['hits']:,} hits; facets, timeline): {ms(page)}"
        f"  target p95 <= {TARGET_MS} ms {met}",
        f"  the search alone (Search.run, 3 facets, as above): {ms(web.get('library'))}",
        f"  JSON API, same search: {ms(api)}",
        f"  article page: {ms(art)}; its similar articles and copies: {ms(related)}",
        f"  `newsdex search` process: {cli['modules']} modules imported, "
        f"{len(cli['web_modules'])} of them web modules; search.cli imports in "
        f"{cli['cli_import_ms']} ms",
    ])


if __name__ == "__main__":
    main(sys.argv[1:])
