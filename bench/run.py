"""`make bench`: how fast newsdex builds, updates and searches an index of N archive files.

    python -m bench.run [--files N] [--runs R] [--quick] [--source auto|shared|synthetic]
                        [--corpus DIR] [--work DIR] [--out DIR] [--skip PARTS]

One run measures, on the same corpus: the full build as users run it (`newsdex index`, a
process), the floor (bench/floor.py: raw Whoosh, one process and procs=2), the time split of a
single-process build, a no-change rerun, adding 10 files, peak memory, index size, in-process
search latency, one cold `newsdex search` process, and `rg -li` / `grep -rli` over the files.
Full builds are repeated R times (interleaved, so a busy moment of the machine does not fall on
one contender only); cheap commands --repeat times. It prints one table and writes the figures
as JSON to bench/results/bench-N-<timestamp>.json. docs/benchmarks.md says what each one means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import corpus as synthetic
from bench import provide, report, web
from bench import warc as warc_bench
from bench.provide import ROOT, BenchError, Corpus
from bench.report import MIB, Table, check, latency, spread
from bench.rss import Measured, measure

PARTS = ("floor", "split", "search", "cold", "tools", "web", "warc", "pages")
ADD = 10  # files added per "add files" run
QUICK_FILES = 300
TOOLS = ("rg", "grep")


def query_set(source: str) -> list[dict]:
    """The fixed queries timed in-process; words chosen for each corpus's vocabulary."""
    if source == "synthetic":
        common, rare, both, phrase = ("economy", synthetic.rare_word(),
                                      "police investigation", '"interest rates"')
    else:  # the shared corpus (real news text) or a user's own archive
        common, rare, both, phrase = "government", "hurricane", "economy growth", \
            '"prime minister"'
    return [
        {"name": "common word", "query": common},
        {"name": "rare word", "query": rare},
        {"name": "AND of two words", "query": both},
        {"name": "phrase", "query": phrase},
        {"name": "outlet filter (--outlet)", "query": "market", "outlets": "@top"},
        {"name": "date range", "query": "date:2010..2012"},
    ]


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.py = sys.executable
        self.started = time.monotonic()
        self.own_work = args.work is None
        self.work = Path(args.work or tempfile.mkdtemp(prefix="newsdex-bench-")).resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.facts: dict = {}
        self.notes: list[str] = []
        self.phases: dict[str, float] = {}
        self.arrival_source = "synthetic"
        self.new_files: Corpus | None = None
        self.index_ok = False
        self.failures: list[str] = []
        self.split_corpus: Corpus | None = None

    # -- helpers ---------------------------------------------------------------------------

    def log(self, message: str) -> None:
        print(f"[bench {time.monotonic() - self.started:7.1f} s] {message}", file=sys.stderr,
              flush=True)

    def wants(self, part: str) -> bool:
        return part not in self.args.skip

    def phase(self, name: str, since: float) -> None:
        self.phases[name] = round(self.phases.get(name, 0.0) + time.monotonic() - since, 2)

    def python(self, args: list[str], what: str, with_rss: bool = False) -> tuple:
        """Run `python -m ...` from the repository; (measured, last stdout line as JSON, rss)."""
        report_file = self.work / "rss.json"
        report_file.unlink(missing_ok=True)
        cmd = [self.py, "-m", "bench.rss", str(report_file), *args] if with_rss else \
            [self.py, *args]
        done = measure(cmd, cwd=str(ROOT))
        if done.returncode != 0:
            raise BenchError(f"{what} failed (exit {done.returncode}): {_last(done.stderr)}")
        try:
            data = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise BenchError(f"{what} printed no JSON: {_last(done.stdout)}") from None
        rss = json.loads(report_file.read_text()) if with_rss else None
        return done, data, rss

    def compile_bytecode(self) -> None:
        """Write newsdex's bytecode as an installed package has it. Under
        PYTHONDONTWRITEBYTECODE (set on some machines) an editable install never caches it,
        and every timed process would compile newsdex's modules again (40-80 ms of a cold
        search) where a user's would not."""
        done = subprocess.run([self.py, "-m", "compileall", "-q", "search", "indexer"],
                              cwd=str(ROOT), capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"compileall failed: {_last(done.stdout + done.stderr)}")

    def newsdex_index(self, roots: list[str], index: Path, what: str) -> tuple:
        args = ["-m", "search", "index", *roots, "--index", str(index), "--json", "--quiet"]
        return self.python(args, what, with_rss=True)

    # -- the corpus ------------------------------------------------------------------------

    def corpus(self) -> Corpus:
        started = time.monotonic()
        cache = Path(self.args.cache) if self.args.cache else provide.default_cache()
        if self.args.corpus:
            found = provide.from_folder(self.args.corpus)
            self.arrival_source = "synthetic"
        else:
            source = provide.choose_source(self.args.source)
            self.log(f"corpus: {self.args.files} files from the {source} generator "
                     f"(cache {cache})")
            found = provide.prepare(source, self.args.files, cache)
            self.arrival_source = source
        self.log(f"corpus: {found.files} files, {found.text_bytes / 1e6:.1f} MB of text in "
                 f"{found.folder}" + (" (cached)" if found.cached else
                                      f" (made in {found.generate_seconds} s)"))
        count = ADD * self.args.repeat
        self.new_files = provide.prepare(self.arrival_source, count, cache, start=found.files)
        split = self.args.split_files
        if split and split < found.files and self.wants("split"):
            if self.args.corpus:
                raise BenchError("--split-files needs a generated corpus, not --corpus")
            # File k is the same whatever N is: the first M files are the M-file corpus.
            self.split_corpus = provide.prepare(self.arrival_source, split, cache)
        self.phase("corpus", started)
        return found

    def arrival_batches(self) -> list[list[tuple[str, str]]]:
        """The new files in batches of ADD: (source path, path relative to its folder)."""
        folder = self.new_files.folder

        def number(path: str) -> int:  # files are named <outlet>-<k>.txt
            found = re.search(r"(\d+)\.\w+$", path)
            return int(found.group(1)) if found else 0

        paths = sorted(provide.article_paths(folder), key=number)
        pairs = [(path, os.path.relpath(path, folder)) for path in paths]
        return [pairs[i:i + ADD] for i in range(0, len(pairs), ADD)]

    # -- full builds -----------------------------------------------------------------------

    def build_round(self, data: Corpus, round_no: int) -> None:
        """One run of each full build, one after the other."""
        if self.attempt("newsdex index (full build)", self.build, data, round_no):
            self.index_ok = True
        if self.wants("floor"):
            for procs in (1, 2):
                self.attempt(f"floor, procs={procs}", self.floor, data, procs, round_no)
        if self.wants("split"):
            self.attempt("time split", self.split, self.split_corpus or data, round_no)

    def build(self, data: Corpus, round_no: int) -> None:
        started = time.monotonic()
        self.log(f"round {round_no}/{self.args.runs}: newsdex index (full build)")
        index = self.work / "newsdex-index"
        shutil.rmtree(index, ignore_errors=True)
        self.index_ok = False
        done, summary, rss = self.newsdex_index([data.folder], index, "newsdex index")
        self.samples["build"].append(done.seconds)
        self.samples["build_files_per_s"].append(data.files / done.seconds)
        self.samples["rss_build_main"].append(rss["self_maxrss_kib"] * 1024)
        self.samples["rss_build_child"].append(rss["children_maxrss_kib"] * 1024)
        self.facts["build_documents"] = summary.get("documents")
        self.facts["build_skipped"] = len(summary.get("skipped", []))
        if summary.get("documents") != data.files:
            self.note(f"newsdex indexed {summary.get('documents')} of {data.files} files "
                      f"({len(summary.get('skipped', []))} skipped)")
        self.phase("newsdex builds", started)

    def floor(self, data: Corpus, procs: int, round_no: int) -> None:
        started = time.monotonic()
        mode = "one process" if procs == 1 else "procs=2, multisegment"
        self.log(f"round {round_no}/{self.args.runs}: floor, {mode}")
        index = self.work / f"floor-{procs}"
        shutil.rmtree(index, ignore_errors=True)
        args = ["-m", "bench.floor", data.folder, str(index), "--procs", str(procs)]
        done, result, rss = self.python(args, f"floor ({mode})", with_rss=True)
        key = f"floor{procs}"
        self.samples[key].append(done.seconds)
        self.samples[f"{key}_files_per_s"].append(data.files / done.seconds)
        self.samples[f"rss_{key}_main"].append(rss["self_maxrss_kib"] * 1024)
        self.samples[f"rss_{key}_child"].append(rss["children_maxrss_kib"] * 1024)
        self.facts[f"{key}_index_bytes"] = provide.tree_size(str(index))
        if result["documents"] != data.files:
            self.note(f"floor ({mode}) indexed {result['documents']} of {data.files} files")
        shutil.rmtree(index, ignore_errors=True)
        self.phase("floor builds", started)

    def split(self, data: Corpus, round_no: int) -> None:
        started = time.monotonic()
        self.log(f"round {round_no}/{self.args.runs}: time split (single-process build)")
        index = self.work / "split-index"
        shutil.rmtree(index, ignore_errors=True)
        _done, result, _rss = self.python(["-m", "bench.split", data.folder, str(index)],
                                          "time split (bench.split)")
        self.facts["split_files"] = result["files"]
        for name in ("walk", "read", "extract", "analysis_write", "commit", "build"):
            if result[name] is not None:
                self.samples[f"split_{name}"].append(result[name])
        if result["commit"] is None:
            self.note("this newsdex does not report commit time: analysis+write includes it")
        shutil.rmtree(index, ignore_errors=True)
        self.phase("time split", started)

    # -- incremental runs ------------------------------------------------------------------

    def reruns(self, data: Corpus) -> None:
        started = time.monotonic()
        index = self.work / "newsdex-index"
        arrivals = self.work / "arrivals"
        shutil.rmtree(arrivals, ignore_errors=True)
        arrivals.mkdir()
        roots = [data.folder, str(arrivals)]
        for i in range(self.args.repeat):
            self.log(f"no-change rerun {i + 1}/{self.args.repeat}")
            done, summary, rss = self.newsdex_index(roots, index, "newsdex index (no change)")
            if summary.get("added") or summary.get("updated") or summary.get("removed"):
                self.note(f"the no-change rerun changed the index: {summary}")
            self.samples["rerun"].append(done.seconds)
            self.samples["rss_rerun"].append(rss["self_maxrss_kib"] * 1024)
        self.phase("reruns", started)

    def add_files(self, data: Corpus) -> None:
        started = time.monotonic()
        index = self.work / "newsdex-index"
        arrivals = self.work / "arrivals"
        roots = [data.folder, str(arrivals)]
        for i, batch in enumerate(self.arrival_batches()[:self.args.repeat]):
            self.log(f"add {len(batch)} files and rerun {i + 1}/{self.args.repeat}")
            for path, rel in batch:
                target = arrivals / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            done, summary, rss = self.newsdex_index(roots, index, "newsdex index (10 new files)")
            if summary.get("added") != len(batch):
                self.note(f"adding {len(batch)} files: the rerun added {summary.get('added')}")
            self.samples["add"].append(done.seconds)
            self.samples["rss_add"].append(rss["self_maxrss_kib"] * 1024)
        self.phase("add files", started)

    # -- searching -------------------------------------------------------------------------

    def search_latency(self, data: Corpus) -> None:
        started = time.monotonic()
        self.log(f"search latency in-process ({self.args.reps} runs per query and mode)")
        spec = self.work / "queries.json"
        spec.write_text(json.dumps(query_set(data.source)), encoding="utf-8")
        args = ["-m", "bench.latency", str(self.work / "newsdex-index"), str(spec),
                str(self.args.reps)]
        _done, result, _rss = self.python(args, "search latency (bench.latency)")
        for row in result["queries"]:
            for mode in ("plain", "facets"):
                self.samples[f"search_{mode}"].extend(row[mode])
                row[mode] = latency(row[mode])
            if not row["hits"]:
                self.note(f"query {row['name']!r} ({row['query']}) has no hits")
        self.facts["search"] = result
        self.phase("search latency", started)

    def cold(self, data: Corpus) -> None:
        started = time.monotonic()
        words = self.cold_words(data)
        index = str(self.work / "newsdex-index")
        results = {}
        for kind, word in words.items():
            self.log(f"cold CLI search {word!r} ({self.args.cold_runs} runs)")
            cmd = [self.py, "-m", "search", "search", word, "--index", index]
            results[kind] = self.timed(cmd, f"newsdex search {word}", ok=(0,))
            results[kind]["word"] = word
        self.facts["cold"] = results
        self.phase("cold search", started)

    def cold_words(self, data: Corpus) -> dict[str, str]:
        queries = {q["name"]: q["query"] for q in query_set(data.source)}
        return {"common": queries["common word"], "rare": queries["rare word"]}

    def tools(self, data: Corpus) -> None:
        started = time.monotonic()
        results: dict = {}
        for tool in TOOLS:
            if shutil.which(tool) is None:
                results[tool] = {"status": "not installed"}
                continue
            results[tool] = {}
            for kind, word in self.cold_words(data).items():
                self.log(f"{tool} over the corpus for {word!r} ({self.args.cold_runs} runs)")
                if tool == "rg":
                    cmd = ["rg", "-li", "-g", "*.txt", word, data.folder]
                else:
                    cmd = ["grep", "-rli", "--include=*.txt", word, data.folder]
                results[tool][kind] = self.timed(cmd, f"{tool} {word}", ok=(0, 1))
                results[tool][kind]["word"] = word
        self.facts["tools"] = results
        self.phase("rg and grep", started)

    def timed(self, cmd: list[str], what: str, ok: tuple[int, ...]) -> dict:
        """A whole command, once untimed (page cache, bytecode), then cold_runs times."""
        runs: list[Measured] = []
        for i in range(self.args.cold_runs + 1):
            done = measure(cmd, cwd=str(ROOT))
            if done.returncode not in ok:
                raise BenchError(f"{what} failed (exit {done.returncode}): {_last(done.stderr)}")
            if i:
                runs.append(done)
        return {"seconds": spread([r.seconds for r in runs]),
                "maxrss_bytes": max(r.maxrss_kib for r in runs) * 1024,
                "output_lines": len(runs[-1].stdout.splitlines())}

    # -- the whole run ---------------------------------------------------------------------

    def attempt(self, part: str, step, *args) -> bool:
        """Run one part; a failure is noted and the other parts still run."""
        try:
            step(*args)
        except BenchError as e:
            self.failures.append(f"{part}: {e}")
            self.log(f"FAILED: {part}: {e}")
            return False
        return True

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
            self.log(f"note: {text}")

    def run(self) -> dict:
        load_before = os.getloadavg()
        self.compile_bytecode()
        data = self.corpus()
        for round_no in range(1, self.args.runs + 1):
            self.build_round(data, round_no)
        if self.index_ok:  # the parts below use the index of the last full build
            self.facts["index_bytes"] = provide.tree_size(str(self.work / "newsdex-index"))
            self.attempt("no-change rerun", self.reruns, data)
            if self.wants("search"):
                self.attempt("search latency", self.search_latency, data)
            if self.wants("cold"):
                self.attempt("cold CLI search", self.cold, data)
            if self.wants("web"):
                self.attempt("web", web.measure, self, data, self.cold_words(data)["common"])
        if self.wants("tools"):
            self.attempt("rg and grep", self.tools, data)
        if self.index_ok:
            self.attempt("add files", self.add_files, data)
        if self.wants("warc"):
            self.attempt("warc", self.warc, data)
        return self.result(data, load_before)

    def warc(self, data: Corpus) -> None:
        """The same pages as one .warc.gz and as .html files (bench/warc.py)."""
        started = time.monotonic()
        try:
            self.facts["warc"] = warc_bench.run(
                Path(data.folder), self.work, min(data.files, warc_bench.RECORDS),
                rounds=1 if self.args.quick else warc_bench.ROUNDS)
        except RuntimeError as e:
            raise BenchError(str(e)) from None
        self.log("; ".join(warc_bench.lines(self.facts)))
        self.phase("warc", started)

    def result(self, data: Corpus, load_before) -> dict:
        figures = figures_of(self.samples, self.facts, data)
        if load_before[0] > 0.5 * (os.cpu_count() or 1):
            self.note(f"the machine was busy before the bench started (load average "
                      f"{load_before[0]:.1f} on {os.cpu_count()} CPUs): other work competed, "
                      f"times are pessimistic")
        return {
            "bench": {
                "files": data.files, "runs": self.args.runs, "repeat": self.args.repeat,
                "reps": self.args.reps, "cold_runs": self.args.cold_runs,
                "quick": self.args.quick, "skipped_parts": sorted(self.args.skip),
                "finished": dt.datetime.now().isoformat(timespec="seconds"),
                "seconds": round(time.monotonic() - self.started, 1),
                "phase_seconds": self.phases, "argv": sys.argv[1:],
            },
            "machine": machine(load_before),
            "corpus": {**data.to_json(), "queries": query_set(data.source),
                       "new_files": self.new_files.to_json()},
            "figures": {**figures, "warc": self.facts.get("warc")},
            "targets": targets_of(figures) + warc_bench.targets(self.facts),
            "notes": self.notes,
            "failures": self.failures,
        }

    def cleanup(self) -> None:
        if self.args.keep:
            self.log(f"kept the scratch folder {self.work}")
            return
        if self.own_work:
            shutil.rmtree(self.work, ignore_errors=True)
            return
        for name in ("newsdex-index", "floor-1", "floor-2", "split-index", "arrivals",
                     "rss.json", "queries.json"):
            path = self.work / name
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _last(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message"


# --- figures, targets, environment -----------------------------------------------------------

def figures_of(samples: dict[str, list[float]], facts: dict, data: Corpus) -> dict:
    s = {name: spread(values) for name, values in samples.items()}
    empty = spread([])
    build = s.get("build", empty)["median"]
    floors = [s[k]["median"] for k in ("floor1", "floor2") if k in s]
    figures: dict = {
        "build": {"seconds": s.get("build", empty),
                  "files_per_second": s.get("build_files_per_s", empty),
                  "documents": facts.get("build_documents"),
                  "skipped": facts.get("build_skipped")},
        "floor_one_process": {"seconds": s.get("floor1", empty),
                              "files_per_second": s.get("floor1_files_per_s", empty),
                              "index_bytes": facts.get("floor1_index_bytes")},
        "floor_procs2": {"seconds": s.get("floor2", empty),
                         "files_per_second": s.get("floor2_files_per_s", empty),
                         "index_bytes": facts.get("floor2_index_bytes")},
        "ratio_to_floor_best": build / min(floors) if build and floors else None,
        "ratio_to_floor_one_process": build / s["floor1"]["median"] if build and "floor1" in s
        else None,
        "split": {"files": facts.get("split_files"),
                  **{name: s.get(f"split_{name}", empty) for name in (
                      "walk", "read", "extract", "analysis_write", "commit", "build")}},
        "rerun_no_change": {"seconds": s.get("rerun", empty)},
        "add_files": {"files": ADD, "seconds": s.get("add", empty)},
        "peak_rss_bytes": {name: s.get(f"rss_{name}", empty) for name in (
            "build_main", "build_child", "floor1_main", "floor2_main", "floor2_child",
            "rerun", "add")},
        "size": {"index_bytes": facts.get("index_bytes"), "corpus_text_bytes": data.text_bytes,
                 "ratio": (facts["index_bytes"] / data.text_bytes
                           if facts.get("index_bytes") else None)},
    }
    search = facts.get("search")
    if search:
        figures["search"] = {**search,
                             "all_plain": latency(samples["search_plain"]),
                             "all_facets": latency(samples["search_facets"])}
    else:
        figures["search"] = None
    figures["cold_search"] = facts.get("cold")
    figures["tools"] = facts.get("tools")
    figures["web"] = facts.get("web")
    return figures


def targets_of(f: dict) -> list[dict]:
    """The issues' targets (set for N=100,000), checked against this run's medians."""
    mib = 1 / MIB
    found = [
        check("full build vs floor best", f["ratio_to_floor_best"], 0.9, "x"),
        check("full build vs floor one process", f["ratio_to_floor_one_process"], 0.5, "x"),
        check("no-change rerun", f["rerun_no_change"]["seconds"]["median"], 2.0, " s"),
        check("add 10 files", f["add_files"]["seconds"]["median"], 2.0, " s"),
    ]
    if f["search"]:
        found += [check("search with facets p50", f["search"]["all_facets"]["p50"], 15, " ms"),
                  check("search with facets p95", f["search"]["all_facets"]["p95"], 60, " ms")]
        for row in f["search"]["queries"]:
            if row["name"] == "phrase":  # plain and with facets alike
                slower = max(row["plain"]["p50"], row["facets"]["p50"])
                found.append(check("phrase query p50", slower, 50, " ms"))
    for kind, cold in (f["cold_search"] or {}).items():
        seconds = cold["seconds"]["median"]
        found.append(check(f"cold CLI search ({kind} word)", seconds, 0.3, " s"))
        rg = (f["tools"] or {}).get("rg", {}).get(kind)
        speedup = rg["seconds"]["median"] / seconds if rg else None
        found.append(check(f"cold CLI search vs rg -li ({kind} word)", speedup, 3.0, "x",
                           at_least=True))
    for name in ("build_main", "build_child"):
        value = f["peak_rss_bytes"][name]["median"]
        found.append(check(f"peak RSS {name.replace('_', ' ')}",
                           value * mib if value is not None else None, 500, " MiB"))
    found.append(check("index size / corpus text", f["size"]["ratio"], 1.2, "x"))
    return found + web.target(f)


def machine(load_before) -> dict:
    import whoosh

    return {
        "cpus": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), "whoosh": whoosh.versionstring(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        **git_state(),
    }


def git_state() -> dict:
    """The commit measured, and whether the work tree differs from it (read-only git calls)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # status must not rewrite .git/index
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": None, "git_dirty": None}
    if head.returncode != 0:
        return {"git_commit": None, "git_dirty": None}
    return {"git_commit": head.stdout.strip(), "git_dirty": bool(dirty.stdout.strip())}


# --- the table -------------------------------------------------------------------------------

def table(result: dict) -> str:
    f, b, c = result["figures"], result["bench"], result["corpus"]
    targets = {t["name"]: t for t in result["targets"]}
    m = result["machine"]
    source = {"shared": "../shared make_corpus.py", "synthetic": "bench/corpus.py",
              "folder": c["folder"]}[c["source"]]
    lines = [
        f"newsdex bench: {c['files']:,} files ({source}, {c['text_bytes'] / 1e6:.1f} MB of "
        f"text), R={b['runs']} runs per full build, {m['cpus']} CPUs, load "
        f"{m['load_before'][0]:.2f} -> {m['load_after'][0]:.2f}"
        + (f", commit {m['git_commit']}{' (modified)' if m['git_dirty'] else ''}"
           if m["git_commit"] else ""),
        "Targets are the issue's, set for N=100,000; medians with min - max over the runs shown.",
        "",
    ]
    t = Table(["figure", "median", "min - max", "runs", "target", "", "note"])
    t.section("full build")
    t.figure("newsdex index (whole process)", f["build"]["seconds"], "s")
    t.figure("  files/s", f["build"]["files_per_second"], "files/s")
    t.figure("floor: raw Whoosh, one process", f["floor_one_process"]["seconds"], "s")
    t.figure("floor: procs=2, multisegment", f["floor_procs2"]["seconds"], "s")
    t.row("newsdex / floor best", report.fmt(f["ratio_to_floor_best"], "x"), "", "",
          *report.status(targets.get("full build vs floor best")))
    t.row("newsdex / floor one process", report.fmt(f["ratio_to_floor_one_process"], "x"), "",
          "", *report.status(targets.get("full build vs floor one process")))
    split_files = f["split"].get("files")
    t.section("time split of a single-process newsdex build" +
              (f" ({split_files:,} files)" if split_files and split_files != c["files"] else ""))
    for key, label in (("walk", "walk (find files, stat)"), ("read", "read"),
                       ("extract", "clean+extract"), ("analysis_write", "analysis+write"),
                       ("commit", "commit"), ("build", "= whole build, jobs=1")):
        t.figure(f"  {label}", f["split"][key], "s")
    t.section("incremental")
    t.figure("no-change rerun", f["rerun_no_change"]["seconds"], "s",
             targets.get("no-change rerun"))
    t.figure(f"add {f['add_files']['files']} files, rerun", f["add_files"]["seconds"], "s",
             targets.get("add 10 files"))
    t.section("peak RSS (ru_maxrss)")
    rss = f["peak_rss_bytes"]
    t.figure("newsdex build, main process", rss["build_main"], "MiB",
             targets.get("peak RSS build main"))
    t.figure("newsdex build, largest worker", rss["build_child"], "MiB",
             targets.get("peak RSS build child"))
    t.figure("floor one process", rss["floor1_main"], "MiB")
    t.figure("floor procs=2, main process", rss["floor2_main"], "MiB")
    t.figure("floor procs=2, largest worker", rss["floor2_child"], "MiB")
    t.figure("no-change rerun", rss["rerun"], "MiB")
    t.figure("add files, rerun", rss["add"], "MiB")
    t.section("size")
    size = f["size"]
    t.row("newsdex index on disk", report.fmt(size["index_bytes"], "MiB"))
    t.row("corpus text (article files)", report.fmt(size["corpus_text_bytes"], "MiB"))
    t.row("index / corpus text", report.fmt(size["ratio"], "x"), "", "",
          *report.status(targets.get("index size / corpus text")))
    t.row("floor index, one process / procs=2",
          f"{report.fmt(f['floor_one_process']['index_bytes'], 'MiB')} / "
          f"{report.fmt(f['floor_procs2']['index_bytes'], 'MiB')}")
    _cold_rows(t, f, targets)
    lines += [t.render(), "", _search_table(f, targets), "", web.rows(f)]
    lines += warc_bench.lines(f)
    if result["notes"]:
        lines += ["", "notes:"] + [f"  - {n}" for n in result["notes"]]
    if result["failures"]:
        lines += ["", "FAILED parts (their figures are missing):"]
        lines += [f"  - {n}" for n in result["failures"]]
    return "\n".join(lines)


def _search_table(f: dict, targets: dict) -> str:
    s = f["search"]
    if not s:
        return "search in-process: skipped"
    t = Table(["query", "hits", "p50", "p95", "facets p50", "facets p95", "target"],
              right={1, 2, 3, 4, 5})
    for row in s["queries"]:
        label = f"{row['name']}: {row['query']}"
        if row["outlets"]:
            label += f" --outlet {row['outlets'][0]!r}"
        plain, facets = row["plain"], row["facets"]
        goal = " ".join(report.status(targets.get("phrase query p50"))) \
            if row["name"] == "phrase" else ""
        t.row(label, f"{row['hits']:,}", *(report.fmt(v, "ms") for v in (
            plain["p50"], plain["p95"], facets["p50"], facets["p95"])), goal)
    every, faceted = s["all_plain"], s["all_facets"]
    met = [" ".join(report.status(targets.get(f"search with facets {p}")))
           for p in ("p50", "p95")]
    t.row("all queries", "", report.fmt(every["p50"], "ms"), report.fmt(every["p95"], "ms"),
          report.fmt(faceted["p50"], "ms"), report.fmt(faceted["p95"], "ms"),
          f"facets p50 {met[0]}; p95 {met[1]}")
    return (f"search in-process: one Search object, {s['reps']} timed runs per query and mode "
            f"after one warm-up; facets: {', '.join(s['facets'])}\n{t.render()}")


def _cold_rows(t: Table, f: dict, targets: dict) -> None:
    cold, tools = f["cold_search"] or {}, f["tools"] or {}
    t.section("one search as a whole process (after one untimed run)")
    if not cold and not tools:
        t.row("  not measured")
    for kind in ("common", "rare"):
        run = cold.get(kind)
        if run:
            t.figure(f"newsdex search {run['word']} ({kind} word)", run["seconds"], "s",
                     targets.get(f"cold CLI search ({kind} word)"),
                     f"peak {run['maxrss_bytes'] / MIB:.0f} MiB")
        for tool in TOOLS:
            found = tools.get(tool)
            if not found:
                continue
            flags = "-li" if tool == "rg" else "-rli"
            if "status" in found:
                t.row(f"  {tool} {flags} ({kind} word)", "-", "", "", "", "", found["status"])
                continue
            other = found[kind]
            target = targets.get(f"cold CLI search vs rg -li ({kind} word)") \
                if tool == "rg" else None
            note = f"{other['output_lines']:,} files"
            if run:
                ratio = other["seconds"]["median"] / run["seconds"]["median"]
                note += f"; newsdex {ratio:.1f}x faster" if ratio >= 1 else \
                    f"; newsdex {1 / ratio:.1f}x slower"
            t.figure(f"  {tool} {flags} {other['word']}", other["seconds"], "s", target, note)


# --- command line ----------------------------------------------------------------------------

SPLIT_SAMPLE = 20_000  # files in the time split when the corpus is larger


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.run",
                                 description="Benchmark newsdex against a raw-Whoosh floor.")
    ap.add_argument("--files", type=int, help="archive files (default 10000; --quick: 300)")
    ap.add_argument("--runs", type=int,
                    help="runs of each full build (default 3 up to 10,000 files, else 1)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each cheap command: reruns, adding files (default 3)")
    ap.add_argument("--reps", type=int, default=20,
                    help="timed runs per search query and mode (default 20, at least 20)")
    ap.add_argument("--cold-runs", type=int, default=5,
                    help="runs of each whole-process search (default 5)")
    ap.add_argument("--split-files", type=int, metavar="M",
                    help="time split on the first M files only (default: all N, at most "
                         f"{SPLIT_SAMPLE:,})")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run: 300 files, one run of everything")
    ap.add_argument("--source", choices=("auto", "shared", "synthetic"), default="auto",
                    help="corpus generator (default: shared when ../shared is present)")
    ap.add_argument("--corpus", metavar="DIR", help="use this folder of .txt files as it is")
    ap.add_argument("--cache", metavar="DIR", help="where generated corpora are kept "
                    "(default: $TMPDIR/newsdex-bench)")
    ap.add_argument("--work", metavar="DIR", help="scratch folder for indexes (default: a "
                    "new temp folder, removed at the end)")
    ap.add_argument("--out", metavar="DIR", default=str(ROOT / "bench" / "results"),
                    help="where the JSON result goes (default bench/results)")
    ap.add_argument("--skip", default="", metavar="PARTS",
                    help=f"comma-separated parts to leave out: {', '.join(PARTS)}")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--show", metavar="JSON", help="print the table of an earlier result file "
                    "and stop")
    args = ap.parse_args(argv)
    if args.files is None:
        args.files = QUICK_FILES if args.quick else 10_000
    if args.runs is None:
        args.runs = 1 if args.quick or args.files > 10_000 else 3
    if args.split_files is None and args.files > SPLIT_SAMPLE:
        # The split is a single-process build: on a large corpus a sample keeps `make bench`
        # within its 30 minutes, and the proportions are what it is for.
        args.split_files = SPLIT_SAMPLE
    if args.quick:
        args.repeat = 1
    skip = {p.strip() for p in args.skip.split(",") if p.strip()}
    if skip - set(PARTS):
        ap.error(f"--skip: unknown part(s) {', '.join(sorted(skip - set(PARTS)))}; "
                 f"choose from {', '.join(PARTS)}")
    args.skip = skip
    if args.split_files is not None and args.split_files < 1:
        ap.error("--split-files must be at least 1")
    for name in ("files", "runs", "repeat", "cold_runs"):
        if getattr(args, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.reps < 20:
        ap.error("--reps must be at least 20")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.show:
        try:
            with open(args.show, encoding="utf-8") as f:
                text = table(json.load(f))
        except (OSError, ValueError, KeyError) as e:
            sys.exit(f"bench: error: cannot show {args.show}: {e}")
        print(text)
        return
    bench = Bench(args)
    try:
        result = bench.run()
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        bench.cleanup()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out / f"bench-{result['bench']['files']}-{stamp}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    if "pages" not in args.skip:  # HTML extraction speed on real pages (bench/pages.py)
        from bench import pages
        print("\n" + pages.report())
    print(f"\nfigures written to {path} (the whole bench took {result['bench']['seconds']:.0f} s)")
    if result["failures"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
