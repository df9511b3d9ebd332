"""The web archive figure: one N-record `.warc.gz` against the same pages as N `.html` files.

The bench's corpus files (text, one paragraph a line) are wrapped as HTML pages, written once as
files and once as the HTTP responses of one gzipped WARC (one gzip member per record, as crawlers
write them). Both are indexed from scratch with the same options; the figure is seconds per
article for each, the WARC build's peak RSS, and `newsdex show ID --raw` of a record near the
archive's end as a whole process (start-up included).

    python -m bench.warc CORPUS_DIR WORK_DIR [--files N]    # alone, prints JSON
"""

from __future__ import annotations

import argparse
import html
import io
import json
import shutil
import sys
from pathlib import Path

from bench.rss import measure

ROOT = Path(__file__).resolve().parent.parent
SHOW_RUNS = 5
RECORDS = 10_000  # issue 11's archive: one 10,000-record .warc.gz, whatever the corpus's size
# Builds of each kind, alternated (files, WARC, files, ...): the machine's speed drifts by
# tens of percent within minutes, and one build of each would compare two moments. The target
# is the median of the rounds' WARC/files ratios: each pair measured at one moment.
ROUNDS = 5


def page(text: str) -> bytes:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = html.escape(lines[0]) if lines else ""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}"
            f"</title></head><body><article><h1>{title}</h1>\n{paragraphs}\n</article></body>"
            f"</html>\n").encode()


def write_inputs(corpus: Path, work: Path, files: int | None) -> tuple[Path, Path, int]:
    """The corpus's first `files` texts as HTML files under work/pages and as one WARC."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages, warc = work / "warc-pages", work / "warc" / "corpus.warc.gz"
    for folder in (pages, warc.parent):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    texts = sorted(p for p in corpus.rglob("*.txt"))[:files]
    with open(warc, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for n, text_file in enumerate(texts):
            body = page(text_file.read_text(encoding="utf-8", errors="replace"))
            (pages / f"{n:07d}.html").write_bytes(body)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.example.org/{text_file.stem}", "response",
                payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-12-31T00:00:00Z"}))
    return pages, warc, len(texts)


def index(roots: list[Path], index_dir: Path) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    done = measure([sys.executable, "-m", "search", "index", *map(str, roots), "--index",
                    str(index_dir), "--json", "--quiet"], cwd=str(ROOT))
    if done.returncode != 0:
        raise RuntimeError(f"newsdex index failed: {done.stderr.strip()[-300:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": round(done.seconds, 2), "articles": summary["added"],
            "maxrss_bytes": done.maxrss_kib * 1024}


def _per_article(build: dict) -> float:
    return build["seconds"] / max(1, build["articles"])


def _median_build(builds: list[dict]) -> dict:
    """The median build by time (its own RSS), with every run's seconds."""
    ordered = sorted(builds, key=lambda b: b["seconds"])
    return {**ordered[(len(ordered) - 1) // 2], "runs": [b["seconds"] for b in builds],
            "maxrss_bytes": max(b["maxrss_bytes"] for b in builds)}


def show_seconds(index_dir: Path) -> float:
    """Best of SHOW_RUNS runs of `newsdex show ID --raw` for the archive's last record."""
    done = measure([sys.executable, "-m", "search", "search", "*", "--sort", "oldest", "--jsonl",
                    "--index", str(index_dir)], cwd=str(ROOT))
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    last = max(hits, key=lambda h: int(h["path"].rpartition("#")[2]))
    times = []
    for _ in range(SHOW_RUNS):
        shown = measure([sys.executable, "-m", "search", "show", last["id"], "--raw", "--index",
                         str(index_dir)], cwd=str(ROOT))
        if shown.returncode != 0 or "<html" not in shown.stdout:
            raise RuntimeError(f"newsdex show --raw failed: {shown.stderr.strip()[-300:]}")
        times.append(shown.seconds)
    return round(min(times), 3)


def run(corpus: Path, work: Path, files: int | None = None, rounds: int = ROUNDS) -> dict:
    pages, warc, count = write_inputs(corpus, work, files)
    builds: dict[str, list[dict]] = {"files": [], "warc": []}
    for _ in range(rounds):
        builds["files"].append(index([pages], work / "warc-pages-index"))
        builds["warc"].append(index([warc], work / "warc-index"))
    as_files, as_warc = _median_build(builds["files"]), _median_build(builds["warc"])
    result = {
        "records": count, "warc_bytes": warc.stat().st_size, "rounds": rounds,
        "files": as_files, "warc": as_warc,
        "ms_per_article_files": round(1000 * as_files["seconds"] / max(1, as_files["articles"]),
                                      2),
        "ms_per_article_warc": round(1000 * as_warc["seconds"] / max(1, as_warc["articles"]), 2),
        # each round's pair, WARC / files per article: the ratio at one moment of the machine
        "round_ratios": [round(_per_article(w) / _per_article(f), 3) for f, w in
                         zip(builds["files"], builds["warc"], strict=True)],
        "show_raw_seconds": show_seconds(work / "warc-index"),
    }
    for name in ("warc-pages", "warc", "warc-pages-index", "warc-index"):
        shutil.rmtree(work / name, ignore_errors=True)
    return result


def targets(facts: dict) -> list[dict]:
    """Issue 11's targets: per article at least as fast as files, RSS, show --raw."""
    from bench.report import check

    w = facts.get("warc")
    if not w:
        return []
    ratios = sorted(w.get("round_ratios") or [])
    ratio = ratios[(len(ratios) - 1) // 2] if ratios else None
    return [check("WARC build per article / files build per article (median of the rounds' "
                  "ratios)", ratio, 1.0, "x"),
            check("WARC build peak RSS", w["warc"]["maxrss_bytes"] / 2**20, 500, " MiB"),
            check("show --raw of a WARC record", w["show_raw_seconds"], 0.2, " s")]


def lines(facts: dict) -> list[str]:
    """The figure as lines for the bench report."""
    w = facts.get("warc")
    if not w:
        return []
    return [
        f"WARC: {w['records']} records in one .warc.gz ({w['warc_bytes'] / 2**20:.1f} MiB): "
        f"{w['ms_per_article_warc']} ms/article (as .html files: {w['ms_per_article_files']} "
        f"ms/article; medians of {w.get('rounds', 1)} alternated builds, WARC/files per round "
        f"{', '.join(map(str, w.get('round_ratios', [])))}); "
        f"peak RSS {w['warc']['maxrss_bytes'] / 2**20:.0f} MiB (target <= 500); "
        f"show --raw {w['show_raw_seconds']} s (target <= 0.2)"]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.warc", description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--files", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.corpus, args.work, args.files, args.rounds)))


if __name__ == "__main__":
    main()
