"""Crash safety: `newsdex index` killed with SIGKILL at varied moments, again and again.

After every kill the index must open, search, and hold every article in its old or its new
version: an updated file exactly once (old or new text, never both, never neither), a renamed
file under exactly one of its two paths, a deleted or a new file at most once. The next run must
start at once (a killed writer leaves no lock behind), and a last run to completion must give the
index a clean `--full` build gives.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer.schema import stored_body
from indexer.store import open_index
from tests.conftest import ROOT, file_id
from tests.test_incremental import age_files, article_path, article_text, summary, write_articles

REV = re.compile(r"\brev(\d+)\b")
REF = re.compile(r"\bref(\d{4})\b")


@dataclass
class Expect:
    """What the index may hold while a run that brings it from one state to the next is
    interrupted: path -> allowed revisions."""

    one: dict[str, set[int]] = field(default_factory=dict)  # exactly one document
    maybe: dict[str, set[int]] = field(default_factory=dict)  # none or one
    pairs: list[tuple[str, str, set[int]]] = field(default_factory=list)  # one of the two paths
    # article number -> its id: the content id of its first revision, kept through edits and moves
    ids: dict[int, str] = field(default_factory=dict)


class Archive:
    """The files on disk: article number -> (path, revision)."""

    def __init__(self, folder: Path, numbers) -> None:
        self.folder = folder
        self.files = {n: (article_path(folder, n), 1) for n in numbers}
        write_articles(folder, numbers)
        self.ids = {n: file_id(path) for n, (path, _rev) in self.files.items()}

    def change(self, rng: random.Random, next_new: int) -> Expect:
        """Update, rename, delete and add files; what a run may leave half done."""
        before = dict(self.files)
        numbers = sorted(before)
        rng.shuffle(numbers)
        updates, renames, deletes = numbers[:90], numbers[90:100], numbers[100:110]
        for n in updates:
            path, rev = before[n]
            path.write_text(article_text(n, rev + 1), encoding="utf-8")
            self.files[n] = (path, rev + 1)
        for n in renames:
            path, rev = before[n]
            target = path.with_name(f"r{rng.randrange(10**6)}-{path.name}")
            path.rename(target)
            self.files[n] = (target, rev)
        for n in deletes:
            before[n][0].unlink()
            del self.files[n]
        added = range(next_new, next_new + 25)
        for n, path in zip(added, write_articles(self.folder, added, rev=2), strict=True):
            self.files[n] = (path, 2)
            self.ids[n] = file_id(path)
        age_files(self.folder)
        expect = Expect(ids=dict(self.ids))
        for n, (path, rev) in before.items():
            if n not in self.files:
                expect.maybe[str(path)] = {rev}
            elif self.files[n][0] != path:
                expect.pairs.append((str(path), str(self.files[n][0]), {rev}))
            else:
                expect.one[str(path)] = {rev, self.files[n][1]}
        for n in added:
            expect.maybe[str(self.files[n][0])] = {2}
        return expect

    def settled(self) -> Expect:
        """After a run that finished: every file exactly once, in its current revision."""
        return Expect(one={str(path): {rev} for path, rev in self.files.values()},
                      ids={n: self.ids[n] for n in self.files})


def documents(index: Path) -> list[tuple[str, str, str]]:
    """(id, path, body) of every document, read straight from the index."""
    ix = open_index(str(index))
    with ix.searcher() as s:
        return [(d["id"], d["path"], stored_body(d))
                for d in (s.stored_fields(n) for n in s.reader().all_doc_ids())]


def check(cli, index: Path, expect: Expect) -> frozenset:
    """Assert what the index may hold; return its state, as (path, revision) pairs."""
    docs = documents(index)
    ids = Counter(d[0] for d in docs)
    assert max(ids.values(), default=1) == 1, "a document id twice"
    paths = Counter(d[1] for d in docs)
    revs: dict[str, int] = {}
    for doc, path, body in docs:
        found = set(REV.findall(body))
        assert len(found) == 1, f"{path}: revisions {found} in one document"
        (ref,) = set(REF.findall(body))
        assert doc == expect.ids[int(ref)], f"{path}: the article's id changed"
        revs[path] = int(found.pop())
    allowed = set(expect.one) | set(expect.maybe) | {p for pair in expect.pairs for p in pair[:2]}
    assert set(paths) <= allowed, f"unexpected documents: {set(paths) - allowed}"
    for path, ok in expect.one.items():
        assert paths[path] == 1, f"{path}: {paths[path]} documents"
        assert revs[path] in ok
    for path, ok in expect.maybe.items():
        assert paths[path] <= 1
        assert path not in revs or revs[path] in ok
    for old, new, ok in expect.pairs:
        assert paths[old] + paths[new] == 1, f"moved file {new}: {paths[old] + paths[new]} docs"
        assert revs.get(old, revs.get(new)) in ok
    # ... and the CLI opens and searches it: every article has the word "filing".
    found = cli("search", "filing", "--count")
    assert found.exit_code == 0, found.output
    assert int(found.stdout) == len(docs)
    return frozenset(revs.items())


def leftovers(index: Path) -> list[str]:
    """Files in the index folder that no table of contents there names (what killed runs left
    and a later commit did not clear)."""
    storage = FileStorage(str(index))
    named = set()
    for toc in index.glob("_MAIN_*.toc"):
        generation = int(toc.stem.rsplit("_", 1)[1])
        named |= {s.segment_id() for s in TOC.read(storage, "MAIN", generation).segments}
    return sorted(name for name in os.listdir(index)
                  if ".toc." in name or name.endswith(".tmp")
                  or (name.startswith("MAIN_") and name.split(".")[0] not in named
                      and name != "MAIN_WRITELOCK"))


def start(archive: Path, index: Path, jobs: int) -> subprocess.Popen:
    # --batch 3: a commit every few files, so kills land before, during and after commits.
    return subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(archive), "--index", str(index),
         "--batch", "3", "--jobs", str(jobs), "--json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_at_any_moment_loses_and_duplicates_nothing(cli, tmp_path):
    rng = random.Random(4)
    archive = Archive(tmp_path / "archive", range(160))
    index = cli.index
    assert summary(cli, archive.folder)["added"] == 160
    expect = archive.change(rng, next_new=1000)
    kills, runs, finished, next_new = 0, 0, 0, 2000
    states = set()  # what the index held after each kill
    while kills < 12:
        assert runs < 60, "the runs kept finishing before they could be killed"
        proc = start(archive.folder, index, jobs=2 if runs % 3 == 2 else 1)
        runs += 1
        try:  # from "still starting up" to "in the middle of the work"
            proc.wait(timeout=rng.uniform(0.1, 2.0))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            states.add(check(cli, index, expect))
            continue
        # The run ended before its kill: it must have succeeded (no stale lock, no error).
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        finished += 1
        check(cli, index, archive.settled())
        expect = archive.change(rng, next_new)
        next_new += 1000
    assert kills >= 10
    assert len(states) >= 4  # kills came at different points of the work, not all before it
    # The next run finishes the work, and the index is the one a clean build makes.
    proc = start(archive.folder, index, jobs=2)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    count = len(check(cli, index, archive.settled()))
    assert count == len(archive.files)
    # A clean build names each file by its present content; the incremental index keeps the
    # ids articles had before they were edited (README, "Stable ids"): all else is the same.
    clean = type(cli)(tmp_path / "clean")
    assert summary(clean, archive.folder, "--full")["added"] == count
    assert _without_ids(cli) == _without_ids(clean)
    assert {p: b for _, p, b in documents(index)} == {p: b for _, p, b in documents(clean.index)}
    assert all(doc == file_id(path) for doc, path, _ in documents(clean.index))
    assert leftovers(index) == []
    clean_ids = {path: doc for doc, path, _ in documents(clean.index)}
    for doc, path, _ in rng.sample(documents(index), 15):
        shown = [json.loads(c("show", d, "--json").stdout)
                 for c, d in ((cli, doc), (clean, clean_ids[path]))]
        assert {k: v for k, v in shown[0].items() if k != "id"} == \
            {k: v for k, v in shown[1].items() if k != "id"}


def _without_ids(cli) -> list[dict]:
    """Every hit of a full export, without its id, in path order."""
    hits = [json.loads(line) for line in cli("search", "*", "--jsonl").stdout.splitlines()]
    return sorted(({k: v for k, v in h.items() if k != "id"} for h in hits),
                  key=lambda h: h["path"])
