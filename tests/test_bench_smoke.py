"""`make bench` in miniature: the whole benchmark on 300 synthetic files, as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

SPLIT = ("walk", "read", "extract", "analysis_write", "commit", "build")


def positive(figure: dict) -> bool:
    return figure["runs"] >= 1 and figure["min"] > 0 and figure["min"] <= figure["median"] \
        <= figure["max"]


def test_quick_bench_measures_every_figure(tmp_path):
    out, work, cache = tmp_path / "out", tmp_path / "work", tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--files", "300", "--source", "synthetic",
         "--out", str(out), "--work", str(work), "--cache", str(cache)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "newsdex bench: 300 files" in done.stdout
    results = list(out.glob("bench-300-*.json"))
    assert len(results) == 1
    r = json.loads(results[0].read_text())
    f = r["figures"]
    assert r["failures"] == []
    assert r["corpus"]["files"] == 300 and r["corpus"]["source"] == "synthetic"

    # Builds: newsdex indexed every file; both floors ran; the ratios follow from the medians.
    assert f["build"]["documents"] == 300
    for figure in (f["build"]["seconds"], f["build"]["files_per_second"],
                   f["floor_one_process"]["seconds"], f["floor_procs2"]["seconds"]):
        assert positive(figure)
    best = min(f["floor_one_process"]["seconds"]["median"], f["floor_procs2"]["seconds"]["median"])
    assert abs(f["ratio_to_floor_best"] - f["build"]["seconds"]["median"] / best) < 1e-9
    assert f["ratio_to_floor_best"] >= f["ratio_to_floor_one_process"]

    # The split's phases add up to the single-process build they come from.
    split = {k: f["split"][k]["median"] for k in SPLIT}
    assert all(split[k] is not None and split[k] >= 0 for k in SPLIT)
    parts = sum(split[k] for k in SPLIT if k != "build")
    assert abs(parts - split["build"]) <= 0.01 * split["build"] + 0.005

    assert positive(f["rerun_no_change"]["seconds"])
    assert positive(f["add_files"]["seconds"]) and f["add_files"]["files"] == 10
    for name in ("build_main", "build_child", "floor1_main", "floor2_main", "rerun", "add"):
        assert positive(f["peak_rss_bytes"][name])
    # A Python process that imported Whoosh and indexed cannot be under 10 MiB.
    assert f["peak_rss_bytes"]["build_main"]["min"] > 10 * 2**20
    size = f["size"]
    assert size["index_bytes"] > 0 and size["corpus_text_bytes"] > 0
    assert abs(size["ratio"] - size["index_bytes"] / size["corpus_text_bytes"]) < 1e-9

    # The same pages as one WARC and as files: every record indexed, both timed, show --raw too.
    warc = f["warc"]
    assert warc["records"] == 300 and warc["warc"]["articles"] == warc["files"]["articles"] == 300
    assert warc["ms_per_article_warc"] > 0 and warc["ms_per_article_files"] > 0
    assert 0 < warc["show_raw_seconds"] < 5
    assert "WARC: 300 records" in done.stdout

    # Search latency: every query of the fixed set, with and without facets, 20 timed runs each.
    queries = f["search"]["queries"]
    assert [q["name"] for q in queries] == [q["name"] for q in r["corpus"]["queries"]]
    assert len(queries) == 6
    for q in queries:
        for mode in ("plain", "facets"):
            assert q[mode]["runs"] >= 20 and 0 < q[mode]["p50"] <= q[mode]["p95"]
    assert queries[0]["hits"] > 0  # the common word
    assert f["search"]["all_facets"]["runs"] == 20 * len(queries)

    for kind in ("common", "rare"):
        assert positive(f["cold_search"][kind]["seconds"])
        assert f["cold_search"][kind]["seconds"]["runs"] == 5
        for tool in ("rg", "grep"):
            found = f["tools"][tool]
            assert found == {"status": "not installed"} or positive(found[kind]["seconds"])

    names = {t["name"] for t in r["targets"]}
    assert {"no-change rerun", "add 10 files", "index size / corpus text",
            "search with facets p95", "full build vs floor best"} <= names
    assert all(t["met"] in (True, False) for t in r["targets"] if "rg" not in t["name"])
    assert not (work / "newsdex-index").exists()  # scratch indexes are cleaned up
