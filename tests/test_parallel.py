"""Parallel indexing (worker processes writing their own segments) gives exactly the documents a
single-process build does, and loses none (Whoosh's multi-process writers have lost documents
in some versions)."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh import index as whoosh_index

from indexer import writer
from indexer.writer import Options, index_paths

OUTLETS = [("The Wall Street Journal", "wsj.com"), ("Reuters", "reuters.com"),
           ("The Guardian", "theguardian.com"), ("Bloomberg", "bloomberg.net")]
PEOPLE = ["Ann Lee", "Tom Ridley", "Maria Lopez", "Sam Okafor", "Jane Doe", "Omar Haddad"]
_WORDS_TEXT = ("council budget river flood minister vote harbour strike rail union wages court "
         "appeal school teachers energy prices wind farm drought farmers export tariff bank "
         "rates housing rents clinic nurses bridge repairs festival museum election")
WORDS = _WORDS_TEXT.split()


def write_archive(folder: Path, count: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    for n in range(count):
        outlet, domain = OUTLETS[n % len(OUTLETS)]
        author = PEOPLE[n % len(PEOPLE)]
        year, month, day = 2015 + n % 8, 1 + n % 12, 1 + n % 28
        paragraphs = []
        for _ in range(rng.randint(3, 7)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(15, 40))]
            paragraphs.append(" ".join(words).capitalize() + ".")
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        email = author.lower().replace(" ", ".") + "@" + domain
        text = "\n".join([title, "[ad_1]", *paragraphs, f"Write to {author} at {email}",
                          "Leave a Reply"])
        path = folder / f"{year}/{month:02d}/{day:02d}/story-{n:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, dict]:
    """Every live document's stored fields, by id."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as s:
        docs = {}
        for _, stored in s.iter_docs() if hasattr(s, "iter_docs") else s.reader().iter_docs():
            stored = dict(stored)
            docs[stored["id"]] = stored
        return docs


def test_parallel_build_equals_single_process_build(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    write_archive(archive, 150)
    monkeypatch.setattr(writer, "PARALLEL_MIN", 10)

    single = index_paths([str(archive)], str(tmp_path / "single"), Options(jobs=1))
    parallel = index_paths([str(archive)], str(tmp_path / "parallel"),
                           Options(jobs=2, batch=20))  # 8 chunks, 4 commits, 8 segments
    assert single.added == parallel.added == single.documents == parallel.documents == 150

    one, two = snapshot(tmp_path / "single"), snapshot(tmp_path / "parallel")
    assert one == two
    assert {d["outlet"] for d in one.values()} == {o for o, _ in OUTLETS}

    # And the parallel index answers queries exactly like the single-process one.
    from search.searcher import Request, Search

    for text in ("flood", "council budget", '"wind farm"', "author:lopez", "date:2017"):
        results = []
        for name in ("single", "parallel"):
            with Search(whoosh_index.open_dir(str(tmp_path / name))) as s:
                r = s.run(Request(query=text, limit=200, sort="newest", facets=["outlet"]))
                results.append(([h.id for h in r.hits], r.total, r.facets))
        assert results[0] == results[1]
        assert results[0][1] > 0


def test_parallel_incremental_run_updates_moves_and_removes(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    write_archive(archive, 120)
    monkeypatch.setattr(writer, "PARALLEL_MIN", 10)
    folder = str(tmp_path / "ix")
    index_paths([str(archive)], folder, Options(jobs=2, batch=25))
    first_ids = {d["path"]: d["id"] for d in snapshot(tmp_path / "ix").values()}
    files = sorted(archive.rglob("*.txt"))
    for path in files[:5]:
        path.write_text(path.read_text() + "\nA late correction paragraph.", encoding="utf-8")
    for path in files[5:8]:
        path.rename(path.with_name("renamed-" + path.name))
    for path in files[8:10]:
        path.unlink()
    write_archive(tmp_path / "more", 30, seed=9)
    for n, path in enumerate(sorted((tmp_path / "more").rglob("*.txt"))):
        target = archive / "new" / f"extra-{n}.txt"
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
    summary = index_paths([str(archive)], folder, Options(jobs=2, batch=10))
    assert (summary.added, summary.updated, summary.moved, summary.removed) == (30, 5, 3, 2)
    assert summary.documents == 120 - 2 + 30

    index_paths([str(archive)], str(tmp_path / "clean"), Options(jobs=1, full=True))
    # The same documents as a clean build; the edited files keep the ids they had (a clean
    # build names them by their new content), the moved ones too.
    incremental, clean = _by_path(snapshot(tmp_path / "ix")), _by_path(snapshot(tmp_path / "clean"))
    edited = {str(p) for p in files[:5]}
    assert {p: {k: v for k, v in d.items() if k != "id"} for p, d in incremental.items()} == \
        {p: {k: v for k, v in d.items() if k != "id"} for p, d in clean.items()}
    assert {p: d["id"] for p, d in incremental.items() if p not in edited} == \
        {p: d["id"] for p, d in clean.items() if p not in edited}
    assert all(incremental[p]["id"] == first_ids[p] for p in edited)
    for path in files[5:8]:
        renamed = str(path.with_name("renamed-" + path.name))
        assert incremental[renamed]["id"] == first_ids[str(path)]


def _by_path(docs: dict[str, dict]) -> dict[str, dict]:
    return {d["path"]: d for d in docs.values()}


def test_term_pool_spilling_runs_changes_nothing(tmp_path, monkeypatch):
    """A pool too small for the archive spills sorted runs and merges them back: the index is
    the same, posting for posting, as one built in memory."""
    archive = tmp_path / "archive"
    write_archive(archive, 60)
    built = {}
    from indexer import pool

    monkeypatch.setattr(pool, "_POSTING_BYTES", 2000)  # so 1 MB holds about 500 postings
    for mb, name in ((1, "spilled"), (256, "memory")):
        monkeypatch.setattr(writer, "POOL_MB", mb)
        index_paths([str(archive)], str(tmp_path / name), Options(jobs=1))
        reader = whoosh_index.open_dir(str(tmp_path / name)).reader()
        postings = []
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            while m.is_active():
                postings.append((field, term, m.id(), m.weight(), m.value()))
                m.next()
        built[name] = postings
    assert built["spilled"] == built["memory"] and len(built["memory"]) > 3000
    assert snapshot(tmp_path / "spilled") == snapshot(tmp_path / "memory")


def _segment_files(folder: Path) -> dict[str, list[bytes]]:
    """Each kind of segment file's contents (term tables, postings, length columns), sorted."""
    kinds: dict[str, list[bytes]] = {}
    for path in folder.iterdir():
        kind = path.name.split(".", 1)[-1]
        if path.name.startswith("MAIN_") and kind in ("trm", "pst", "_body_len.col",
                                                      "_title_len.col"):
            kinds.setdefault(kind, []).append(path.read_bytes())
    return {k: sorted(v) for k, v in kinds.items()}


def test_tuned_writer_writes_what_whoosh_writes(tmp_path, monkeypatch):
    """indexer/pool.py's add_document, term pool and grouped codec input write the same term
    tables, posting blocks and field lengths, byte for byte, as Whoosh's own add_document and
    PostingPool do, whether the pool spills runs or not."""
    from indexer import pool

    archive = tmp_path / "archive"
    write_archive(archive, 80)
    (archive / "de.txt").write_text(
        "Die Regierung plant neue Gesetze\n\nDie Regierungen der Länder verhandeln über die "
        "geplanten Gesetze. Der Minister sagte, die Verhandlungen würden schwierig.\n",
        encoding="utf-8")
    tuned = pool.install
    monkeypatch.setattr(pool, "install", lambda w, limitmb=128: None)
    index_paths([str(archive)], str(tmp_path / "whoosh"), Options(jobs=1))
    monkeypatch.setattr(pool, "install", tuned)
    index_paths([str(archive)], str(tmp_path / "tuned"), Options(jobs=1))
    monkeypatch.setattr(pool, "_POSTING_BYTES", 2000)  # so 1 MB holds about 500 postings
    monkeypatch.setattr(writer, "POOL_MB", 1)
    index_paths([str(archive)], str(tmp_path / "spilled"), Options(jobs=1))

    plain = _segment_files(tmp_path / "whoosh")
    assert set(plain) == {"trm", "pst", "_body_len.col", "_title_len.col"}
    assert _segment_files(tmp_path / "tuned") == plain
    assert _segment_files(tmp_path / "spilled") == plain
    assert snapshot(tmp_path / "tuned") == snapshot(tmp_path / "whoosh")
