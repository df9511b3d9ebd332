"""Writing the index: incremental runs that never lose or duplicate an article.

A run stats every file and compares it with what the index remembers (`filestate`, stored in
each document, so it changes in the same commit as the document):
- same size and mtime: unchanged, not read;
- otherwise read and hashed: same hash -> unchanged (only the remembered mtime is refreshed);
  a new path whose hash belongs to a file gone from the walk -> moved, its document copied
  under the new path without extraction; else extracted -> added or updated;
- a remembered file that is gone -> removed (unless keep_missing). Gone means: under a walked
  folder and not found by the walk, or anywhere else and no longer there (one stat each), so a
  folder renamed or moved elsewhere is a set of moves, not a second copy of every article.
Ids come from content and move with the document (indexer/identity.py).
Each commit is atomic (Whoosh renames a new TOC into place) and a document's old version is
deleted in the same commit that adds its new one, so a kill at any moment leaves every article
in its old or its new version.

The files to read are split into chunks; each chunk is read, extracted and indexed into a new
segment of its own, by a forked worker process when there is enough to do (both cores busy,
no document pickled between processes). A round of chunks, one per worker, ends in one commit,
so a killed run keeps the rounds it finished. A --full rebuild commits once, at the end.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import math
import multiprocessing
import operator
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from indexer import analysis, pool, skips, store, syndication
from indexer.article import Article
from indexer.errors import NewsdexError
from indexer.extraction import language, reader, records
from indexer.identity import Owners, content_id, free_id
from indexer.schema import FileState, codec, date_interval, stored_body
from indexer.walk import Finder, Stat, walk

BATCH = 10000  # files per chunk: each chunk becomes one segment, each round of chunks a commit
PARALLEL_MIN = 64  # files to read before worker processes pay for themselves
POOL_MB = 128  # posting memory per writer before it spills a sorted run to disk


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    moved: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    documents: int = 0
    # Seconds spent committing, for `make bench`'s split of a build.
    commit_seconds: float = 0.0
    # Files opened and read this run (the others were known unchanged by size and mtime).
    reread: int = 0
    # Records of web archives and feeds that are not articles, by reason (robots.txt, image...).
    records_skipped: Counter = field(default_factory=Counter)

    def to_json(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "moved": self.moved,
            "removed": self.removed, "unchanged": self.unchanged, "skipped": self.skipped,
            "warnings": self.warnings, "documents": self.documents, "reread": self.reread,
            "records_skipped": dict(sorted(self.records_skipped.items())),
            "seconds": round(self.seconds, 3),
        }

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.moved or self.removed)


@dataclass
class Options:
    full: bool = False
    keep_missing: bool = False
    max_size: int = reader.DEFAULT_MAX_SIZE
    wait: bool = False
    jobs: int = 0  # extraction processes; 0 = one per core
    batch: int = BATCH
    # Called with (path, reason) for every skipped file, as it happens.
    on_skip: Callable[[str, str], None] | None = None
    # Called with (done, total) as files are read; total is known before the first call.
    on_progress: Callable[[int, int], None] | None = None
    # Polled between files: True asks the run to commit what it has and stop.
    should_stop: Callable[[], bool] | None = None
    # JSON feeds: extra `field=name` pairs (newsdex index --map).
    field_map: list[str] = field(default_factory=list)


def path_key(path: str) -> str:
    """The path as the index stores it: valid UTF-8 even for undecodable file names."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def document(article: Article, state: FileState, doc_id: str) -> dict:
    """The Whoosh fields of one article."""
    doc = {
        "id": doc_id,
        "path": path_key(state.path),
        "filestate": state.encode(),
        "body": article.body,
        "content": article.body,
        "published_source": article.published_source,
    }
    signature = syndication.signature(article.body)
    if signature:
        doc["story"] = signature
    if article.title:
        doc["title"] = article.title
    if article.authors:
        doc["authors"] = ",".join(a.replace(",", " ") for a in article.authors)
    if article.outlet:
        doc["outlet"] = article.outlet
    if article.dateline:
        doc["dateline"] = article.dateline
    if article.published:
        doc["published"] = article.published
        doc["date_start"], doc["date_end"] = date_interval(article.published)
    if article.url:
        doc["url"] = article.url
    lang = language.of(article)
    if lang:
        doc["language"] = lang
    return doc


def add_document(writer, doc: dict) -> None:
    """Add one document, its title and body stemmed by the rules of its language."""
    with analysis.stemming(doc.get("language")):
        writer.add_document(**doc)


def article_from_stored(stored: dict, path: str) -> Article:
    """Rebuild an Article from a stored document (for moves and mtime refreshes)."""
    return Article(
        path=path,
        title=stored.get("title"),
        authors=[a for a in (stored.get("authors") or "").split(",") if a],
        outlet=stored.get("outlet"),
        published=stored.get("published"),
        published_source=stored.get("published_source"),
        dateline=stored.get("dateline"),
        body=stored_body(stored),
        url=stored.get("url"),
        language=stored.get("language"),
    )


@dataclass
class Remembered:
    """What the index remembers of its files: each live document's `filestate` and id as
    stored (bytes), and its document number. Decoded only where a run needs them: a no-change
    rerun of a big archive matches the walk against the raw values."""

    states: list[bytes] = field(default_factory=list)
    ids: list[bytes] = field(default_factory=list)
    docnums: list[int] = field(default_factory=list)

    def rows(self, form: Callable[[list[bytes]], Iterable[bytes]] | None = None
             ) -> dict[bytes, int]:
        """Row of each remembered file by its key (path, size, mtime: FileState.stems), or by
        what form makes of the keys; made with no Python call per file."""
        stems = FileState.stems(self.states)
        return dict(zip(form(list(stems)) if form else stems, itertools.count()))

    def match(self, keys: Iterable[bytes], rows: dict[bytes, int]
              ) -> tuple[list[bytes], bytearray]:
        """The keys no remembered file has (new or changed files), and a flag per row, set for
        the rows a key matched. Matched as bytes, nothing decoded: a rerun that finds a million
        files unchanged builds nothing per file."""
        get = rows.get
        matched = bytearray(len(self.states))
        unmatched = []
        for key in keys:
            row = get(key)
            if row is None:
                unmatched.append(key)
            else:
                matched[row] = 1
        return unmatched, matched

    def ids_of(self) -> dict[str, str]:
        """path -> id of every row."""
        return dict(zip(FileState.paths(self.states), map(_text, self.ids), strict=True))

    def holders(self, flags: bytearray) -> Callable[[str], str | None]:
        """id -> path of the flagged rows, as a lookup: a dict of their ids (made in C, nothing
        decoded), a path decoded only for an id asked about and found."""
        ids = self.ids
        raw = bool(ids) and isinstance(ids[0], bytes)
        row_of = dict(zip(itertools.compress(ids, flags),
                          itertools.compress(range(len(ids)), flags), strict=True))

        def path_of(doc_id: str) -> str | None:
            row = row_of.get(doc_id.encode("utf-8") if raw else doc_id)
            return None if row is None else next(FileState.paths([self.states[row]]))

        return path_of

    def known(self, skip: bytearray) -> tuple[dict[str, tuple[FileState, int]], dict[str, str]]:
        """path -> (state, docnum) and path -> id of every document but those flagged."""
        decode = FileState.decode
        known, ids = {}, {}
        for i in itertools.compress(range(len(self.states)), map(operator.not_, skip)):
            state = decode(self.states[i])
            known[state.path] = (state, self.docnums[i])
            ids[state.path] = _text(self.ids[i])
        return known, ids


def load_state(ix) -> Remembered:
    """What the index remembers of every indexed file, read a segment at a time, each column
    in one read."""
    found = Remembered()
    with ix.reader() as r:
        for leaf, base in r.leaf_readers():
            if not leaf.doc_count_all():  # an empty index's reader has no columns at all
                continue
            states = _column_values(leaf, "filestate")
            ids = _column_values(leaf, "id")
            if leaf.has_deletions():
                live = list(leaf.all_doc_ids())
                states, ids = [states[d] for d in live], [ids[d] for d in live]
            else:
                live = range(len(states))
            found.states += states
            found.ids += ids
            found.docnums += [base + d for d in live]
    return found


def _column_values(leaf, name: str) -> list[bytes]:
    """Every value of a segment's bytes column, read at once rather than one seek each."""
    column = leaf.column_reader(name, translate=False)
    lengths = getattr(column, "_lengths", None)
    if lengths is None or not hasattr(column, "_dbfile"):  # not a VarBytesColumn: one by one
        return list(column)
    data = column._dbfile.get(column._basepos, sum(lengths))
    ends = list(itertools.accumulate(lengths))
    starts = map(operator.sub, ends, lengths)
    return list(map(data.__getitem__, map(slice, starts, ends)))


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _missing(path: str) -> bool:
    """Whether an indexed file is no longer there (not merely out of reach)."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:  # no permission, an I/O error: it may well be there
        return False
    return False


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


# --- reading, in worker processes when there is much to read ---------------------------------

_expected: dict[str, str] = {}  # path -> hash the index has (set before the pool forks)
_gone_hashes: set[str] = set()
_ids: dict[str, str] = {}  # path -> id its document keeps (set before the pool forks)
_walk_started_ns = 0  # wall clock when the run's walk began (set before the pool forks)
# A file whose mtime is this close to the walk may still change within the same timestamp tick
# (ticks are a few ms on Linux file systems, 1-2 s on FAT and some network shares).
RACY_NS = 100_000_000
RACY_COARSE_NS = 2_000_000_000


def _racy(mtime_ns: int) -> bool:
    """Whether a later write could leave this mtime as it is (so the mtime proves nothing)."""
    coarse = mtime_ns % 1_000_000_000 == 0  # a file system that keeps whole seconds
    return mtime_ns >= _walk_started_ns - (RACY_COARSE_NS if coarse else RACY_NS)


def _read_one(task: tuple[str, int, int, int]):
    """Read, hash and (when the content is new) extract one file. Runs in a worker.

    A skipped file's outcome carries, in the article's place, what the next run may remember
    of it (indexer/skips.py), or None."""
    path, size, mtime_ns, max_size = task
    try:
        source = reader.read(path, max_size)
    except reader.SkipFile as e:
        return _skipped(path, size, mtime_ns, str(e), e.lasting)
    except RecursionError:
        return _skipped(path, size, mtime_ns, "too deeply nested to read", True)
    except Exception as e:  # a bug in reading must cost one file, not the run
        return _skipped(path, size, mtime_ns, f"cannot be read ({type(e).__name__}: {e})", False)
    if _racy(mtime_ns):
        # Remember no mtime, so that the next run reads the file again (as git does for
        # "racily clean" entries): else a write in the same tick, after this read, would be
        # missed for good.
        mtime_ns = 0
    state = FileState(path, size, mtime_ns, source.sha1)
    new_path = path not in _expected
    if _expected.get(path) == source.sha1 or (new_path and source.sha1 in _gone_hashes):
        return ("known", path, state, None, source.warnings)
    try:
        article = _extraction().extract_source(source)
    except reader.SkipFile as e:
        return _skipped(path, size, mtime_ns, str(e), e.lasting)
    except RecursionError:
        return _skipped(path, size, mtime_ns, "too deeply nested to parse", True)
    except Exception as e:  # a bug in extraction must cost one file, not the run
        return _skipped(path, size, mtime_ns, f"cannot be extracted ({type(e).__name__}: {e})",
                        False)
    return ("article", path, state, article, source.warnings)


def _extraction():
    """The extraction stack, imported the first time a file is read: a run that reads nothing
    (a no-change rerun) does without it."""
    from indexer.extraction import extract

    return extract


def _dated(path: str):
    """The date a file's path gives (a move to a path of another date means reading again)."""
    from indexer.extraction import dates

    return dates.from_path(path)


def _skipped(path: str, size: int, mtime_ns: int, reason: str, lasting: bool) -> tuple:
    memo = skips.Skipped(size, mtime_ns, reason) if lasting and _memorable(mtime_ns) else None
    return ("skip", path, reason, memo, [])


def _memorable(mtime_ns: int) -> bool:
    """Whether a skip of a file with this mtime may be remembered (the mtime proves it)."""
    return bool(mtime_ns) and not _racy(mtime_ns)


# --- chunks: read, extract and write one segment, in a worker process or in-process -----------

@dataclass
class _Chunk:
    """What one chunk of files became: a new segment (or None) and each file's outcome."""

    segment: object | None
    # (kind, path, state_or_reason, warnings, doc): doc is (docnum in the segment, id) for an
    # article the worker added, else None
    outcomes: list[tuple]
    seconds: float = 0.0


_index = None  # the FileIndex workers write segments for (set before the pool forks)
_progress = None  # a shared counter of files read, for the parent's progress bar


def _index_chunk(tasks: list[tuple[str, int, int, int]]) -> _Chunk:
    """Read, extract and index a list of files into a new segment of its own.

    This is Whoosh's multi-segment MpWriter done per worker, except that reading and extraction
    happen in the worker too, so documents are never pickled across processes. The segment is
    not part of the index until the parent commits a TOC that lists it.
    """
    started = time.monotonic()
    writer = SegmentWriter(_index, _lk=False, compound=False, codec=codec())
    pool.install(writer, limitmb=POOL_MB)
    outcomes = []
    added = 0
    for task in tasks:
        for kind, path, state, article, warnings, sha1 in _outcomes(task):
            doc = None
            if kind == "article":
                # A new article is named by its content; the parent makes the id unique if
                # need be.
                doc = (added, _ids.get(path) or content_id(sha1))
                add_document(writer, document(article, state, doc[1]))
                added += 1
            elif kind == "skip":
                doc = article  # what the next run may remember of it, or None
            outcomes.append((kind, path, state, warnings, doc))
            if _progress is not None:
                with _progress.get_lock():
                    _progress.value += 1
    # Workers share Whoosh's temp folder: only the parent's commit may destroy it. Files of a
    # segment nobody commits are swept by the next commit's clean-up.
    if added:
        segment = writer._finalize_segment()
    else:
        writer._close_segment()
        segment = None
    return _Chunk(segment, outcomes, time.monotonic() - started)


def _chunks(todo: list, jobs: int, batch: int) -> list[list]:
    """Split the files to read into chunks: one per worker, at most `batch` files each."""
    if not todo:
        return []
    size = max(1, min(batch, math.ceil(len(todo) / max(jobs, 1))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _worker_started(parent: int) -> None:
    """In each worker: Ctrl-C and SIGTERM are the parent's to handle (a worker that a terminal's
    Ctrl-C killed would leave its chunk unfinished and the pool waiting for ever), and a worker
    dies with its parent rather than writing on as an orphan after a kill."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(Exception):  # Linux only: PR_SET_PDEATHSIG
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


class _Workers:
    """Runs chunks in forked worker processes, or in-process when that is cheaper."""

    def __init__(self, jobs: int, parallel: bool, on_progress, total: int) -> None:
        self.jobs = jobs
        self.on_progress = on_progress
        self.total = total
        self.pool = None
        global _progress
        _progress = None
        if parallel:
            _extraction()  # imported once, here: the forked workers inherit it
            ctx = multiprocessing.get_context("fork")
            _progress = ctx.Value("i", 0)
            self.pool = ctx.Pool(jobs, initializer=_worker_started, initargs=(os.getpid(),))

    def run(self, chunks: list[list]) -> list[_Chunk]:
        if self.pool is None:
            results = []
            for chunk in chunks:
                results.append(_index_chunk(chunk))
                self._report(sum(len(r.outcomes) for r in results))
            return results
        pending = self.pool.map_async(_index_chunk, chunks)
        while not pending.ready():
            pending.wait(0.2)
            self._report(_progress.value)
        return pending.get()

    def _report(self, done: int) -> None:
        if self.on_progress:
            self.on_progress(done, self.total)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


# --- the run ---------------------------------------------------------------------------------

def index_paths(paths: list[str], folder: str, options: Options | None = None) -> Summary:
    """Bring the index at folder up to date with the files under paths."""
    opts = options or Options()
    started = time.monotonic()
    summary = Summary()
    roots = [os.path.abspath(p) for p in paths]
    if not any(os.path.lexists(r) for r in roots):
        raise NewsdexError(f"no such file or folder: {paths[0]}")

    def skip(path: str, reason: str) -> None:
        summary.skipped.append({"path": path_key(path), "reason": reason})
        if opts.on_skip:
            opts.on_skip(path, reason)

    with store.WriteLock(folder, opts.wait):
        ix = store.open_for_writing(folder, opts.full)
        try:
            _run(ix, roots, opts, summary, skip, os.path.abspath(folder))
        except OSError as e:
            raise NewsdexError(_os_error_message(e, folder)) from None
        except LockError:  # Whoosh's own lock, held by something that is not newsdex
            raise NewsdexError(f"the index at {folder} is locked by another program "
                               f"(its MAIN_WRITELOCK file)") from None
        finally:
            ix.close()
        with ix.reader() as r:
            summary.documents = r.doc_count()
    summary.seconds = time.monotonic() - started
    return summary


def _os_error_message(e: OSError, folder: str) -> str:
    if e.errno == 28:
        return f"disk full while writing the index at {folder}: the previous commit is intact"
    if e.errno in (13, 30):
        return f"the index at {folder} is read-only"
    return f"cannot write the index at {folder}: {e.strerror or e}"


@dataclass
class _Plan:
    known: dict[str, tuple[FileState, int]]
    todo: list[tuple[str, int, int, int]]
    gone: dict[str, tuple[FileState, int]]
    owners: Owners  # which path holds each id, as the run changes it
    # content hash -> gone paths with that content (two gone copies can share one)
    gone_by_hash: dict[str, list[str]] = field(default_factory=dict)
    containers: _ContainerPlan | None = None
    memory: skips.Memory | None = None  # files remembered as holding no article
    unlisted: list[str] = field(default_factory=list)
    ids_known: dict[str, str] = field(default_factory=dict)  # the ids of the known files


def _plan(ix, roots, opts: Options, summary: Summary, skip, index_folder: str) -> _Plan:
    """Stat every file and decide what must be read; nothing is read here."""
    global _walk_started_ns
    _walk_started_ns = time.time_ns()
    unlisted: list[str] = []  # folders the walk could not see into: their files are not gone
    if opts.full:  # read everything again, but files still there keep their ids
        remembered = load_state(ix)
        current = dict(walk(roots, skip, exclude=index_folder, unlisted=unlisted))
        known: dict[str, tuple[FileState, int]] = {}
        ids = {p: i for p, i in remembered.ids_of().items()
               if p in current or records.container_of(p) in current}
        owners = Owners(ids)
        ids_known = ids
    else:
        remembered, changed, matched = _walk_against(ix, roots, skip, index_folder, unlisted)
        current = dict(changed)
        summary.unchanged += matched.count(1)
        known, ids_known = remembered.known(skip=matched)
        owners = Owners(ids_known, held=lambda: remembered.holders(matched))
    fingerprint = skips.fingerprint(opts.max_size, opts.field_map)
    memory = skips.Memory(fingerprint) if opts.full else skips.load(index_folder, fingerprint)
    containers = _containers_apart(current, known, roots, unlisted, summary, memory, skip)
    todo = []
    for path, (size, mtime_ns) in current.items():
        if path not in known and (was := memory.recall(path, size, mtime_ns)):
            skip(path, was.reason)
        else:
            todo.append((path, size, mtime_ns, opts.max_size))
    todo.sort()
    gone = {p: known[p] for p in known if p not in current and _gone(p, roots, unlisted)}
    by_hash: dict[str, list[str]] = {}
    for p in sorted(gone):
        by_hash.setdefault(gone[p][0].sha1, []).append(p)
    return _Plan(known, todo, gone, owners, by_hash, containers, memory, unlisted, ids_known)


def _walk_against(ix, roots: list[str], skip, index_folder: str, unlisted: list[str]
                  ) -> tuple[Remembered, list[tuple[str, Stat]], bytearray]:
    """The index's state; the files under roots that are not as it remembers them; and a flag
    per remembered row, set for the files found as they were. GNU find walks while the state
    loads, when it can stand in for walk() (indexer/walk.py)."""
    # an empty index has nothing to match find's records against
    finding = Finder(roots, index_folder) if ix.doc_count_all() else contextlib.nullcontext()
    with finding as finder:
        remembered = load_state(ix)
        if finder:
            rows = remembered.rows(Finder.as_found)  # while find runs
            records = finder.records()
            if records is not None:
                unmatched, matched = remembered.match(records, rows)
                return remembered, Finder.entries(unmatched), matched
    walked = walk(roots, skip, exclude=index_folder, unlisted=unlisted)
    if not remembered.states:
        return remembered, walked, bytearray()
    unmatched, matched = remembered.match(FileState.keys(walked), remembered.rows())
    return remembered, list(map(FileState.entry, unmatched)), matched


def _gone(path: str, roots: list[str], unlisted: list[str]) -> bool:
    """Whether an indexed file the walk did not find is gone: under the walked folders it is
    (unless under one the walk could not list); elsewhere only when it is not there at all."""
    if _under(path, roots):
        return not _under(path, unlisted)
    return _missing(path)


def _run(ix, roots, opts: Options, summary: Summary, skip, index_folder: str) -> None:
    global _index
    plan = _plan(ix, roots, opts, summary, skip, index_folder)
    _expected.clear()
    _expected.update({p: plan.known[p][0].sha1 for p, *_ in plan.todo if p in plan.known})
    _gone_hashes.clear()
    _gone_hashes.update(state.sha1 for state, _ in plan.gone.values())
    _ids.clear()
    _ids.update(plan.ids_known)
    _index = ix
    jobs = max(1, opts.jobs or os.cpu_count() or 1)
    parallel = jobs > 1 and len(plan.todo) >= PARALLEL_MIN
    chunks = _chunks(plan.todo, jobs if parallel else 1, opts.batch)
    # --full commits once, at the end: the old index stands till then
    held: list[_Chunk] = _index_containers(ix, plan.containers, opts, summary, jobs,
                                           plan.owners, plan.memory)
    workers = _Workers(jobs, parallel, opts.on_progress, len(plan.todo))
    step = jobs if parallel else 1
    try:
        for i in range(0, max(len(chunks), 1), step):
            results = workers.run(chunks[i:i + step]) if chunks else []
            last = i + step >= len(chunks)
            stop = bool(opts.should_stop and opts.should_stop())
            if opts.full and not last:
                if stop:  # a partial rebuild would drop every article not yet read again
                    raise NewsdexError("stopped before the --full rebuild was complete: "
                                       "the index is as it was")
                held += results
                continue
            _commit_round(ix, held + results, plan, opts, summary, skip, clear=opts.full,
                          remove_gone=last and not stop, merge=not parallel)
            held = []
            if stop:
                break
    finally:
        workers.close()
    plan.memory.save(index_folder, lambda p: not _gone(p, roots, plan.unlisted))


def _commit_round(ix, results: list[_Chunk], plan: _Plan, opts: Options, summary: Summary,
                  skip, clear: bool, remove_gone: bool, merge: bool) -> None:
    """One atomic commit: the round's new segments, and in the same TOC the deletion of every
    old version they replace, moved and refreshed documents, and files gone from the walk."""
    segments = [r.segment for r in results if r.segment is not None]
    removals = list(plan.gone) if remove_gone and not opts.keep_missing else []
    pending = [(o, r.segment) for r in results for o in r.outcomes]
    summary.reread += len(pending)
    if not segments and not removals and not clear and not any(
            _writes(o, plan) for o, _ in pending):
        for (kind, path, state, warnings, doc), _ in pending:  # nothing to write: no commit
            _note(summary, path, warnings)
            if kind == "skip":
                _skip_file(plan, skip, path, state, doc)
            else:
                summary.unchanged += 1
        return
    started = time.monotonic()
    writer = store.writer(ix, compound=False)
    pool.install(writer, limitmb=POOL_MB)
    try:
        with ix.searcher() as searcher:
            for outcome, segment in pending:
                _note(summary, outcome[1], outcome[3])
                _apply(writer, searcher, outcome, segment, plan, opts, summary, skip)
        for path in removals:
            if path not in plan.gone:  # it moved, in this very round
                continue
            _delete(writer, plan, path)
            summary.removed += 1
        _commit_with(writer, segments, clear, merge)
    except BaseException:
        if not writer.is_closed:  # a failed commit has closed it already
            writer.cancel()
        raise
    summary.commit_seconds += time.monotonic() - started


def _skip_file(plan: _Plan, skip, path: str, reason: str, memo: skips.Skipped | None) -> None:
    skip(path, reason)
    if memo is not None:
        plan.memory.remember(path, memo)


def _writes(outcome: tuple, plan: _Plan) -> bool:
    """Whether a file's outcome changes the index (a skip of a file it never had does not, nor
    a file read again whose size, mtime and content are all as remembered)."""
    kind, path, state, _warnings, _doc = outcome
    if path not in plan.known:
        return kind != "skip"
    return kind != "known" or state != plan.known[path][0]


def _note(summary: Summary, path: str, warnings: list[str]) -> None:
    for w in warnings:
        summary.warnings.append({"path": path_key(path), "warning": w})


def _stored(searcher, path: str) -> dict | None:
    docnum = searcher.document_number(path=path_key(path))
    return None if docnum is None else searcher.stored_fields(docnum)


def _take_gone(plan: _Plan, sha1: str) -> str | None:
    """A gone path whose content had this hash, no longer gone (it moved)."""
    paths = plan.gone_by_hash.get(sha1)
    if not paths:
        return None
    old_path = paths.pop(0)
    plan.gone.pop(old_path)
    return old_path


def _add(writer, article: Article | None, state: FileState, opts: Options, skip,
         doc_id: str) -> int:
    """Add a document for state's file, extracting it here when no article is given (a rare
    case, so done in this process). 1 if added, 0 if the file turned out to be skipped."""
    if article is None:
        try:
            article = _extraction().extract_file(state.path, opts.max_size)
        except reader.SkipFile as e:
            skip(state.path, str(e))
            return 0
        except Exception as e:  # as in _read_one: one file, never the run
            skip(state.path, f"cannot be extracted ({type(e).__name__}: {e})")
            return 0
    add_document(writer, document(article, state, doc_id))
    return 1


def _add_new(writer, state: FileState, plan: _Plan, opts: Options, skip) -> int:
    """Add a file as a new article, under the first id of its content no one holds."""
    doc_id = free_id(state.sha1, plan.owners.taken)
    added = _add(writer, None, state, opts, skip, doc_id)
    if added:
        plan.owners.claim(doc_id, state.path)
    return added


def _delete(writer, plan: _Plan, path: str) -> None:
    writer.delete_by_term("path", path_key(path))
    plan.owners.release(path)


def _apply(writer, searcher, outcome: tuple, segment, plan: _Plan, opts: Options, summary,
           skip) -> None:
    """Record one file's outcome in the parent's writer (the worker already indexed articles)."""
    kind, path, state, _warnings, doc = outcome
    known = plan.known
    if kind == "skip":
        _skip_file(plan, skip, path, state, doc)
        if path in known:  # no longer an article (emptied, vanished, ...)
            _delete(writer, plan, path)
            summary.removed += 1
    elif kind == "known" and path in known:  # touched: same content, new mtime
        summary.unchanged += 1
        if state == known[path][0]:  # read again only because its mtime proved nothing
            return
        stored = _stored(searcher, path)
        writer.delete_by_term("path", path_key(path))
        _add(writer, stored and article_from_stored(stored, path), state, opts, skip,
             plan.owners.id_of[path])
    elif kind == "known":  # moved: a gone file's content under a new path
        _move(writer, searcher, path, state, plan, opts, summary, skip)
    elif path in known:  # updated: the worker's segment holds the new version, under its id
        writer.delete_by_term("path", path_key(path))
        summary.updated += 1
    else:
        local, doc_id = doc
        if plan.owners.taken(doc_id, path):
            # An identical copy of an article indexed under another path: the worker could not
            # know, so its document is dropped and the file added again as the content's next
            # copy (rare: extracting it twice costs nothing worth saving).
            segment.delete_document(local)
            summary.added += _add_new(writer, state, plan, opts, skip)
        else:
            plan.owners.claim(doc_id, path)
            summary.added += 1


def _move(writer, searcher, path: str, state: FileState, plan: _Plan, opts: Options, summary,
          skip) -> None:
    """A gone file's content found under a new path: its document moves there, id and all."""
    old_path = _take_gone(plan, state.sha1)
    if old_path is None:  # a second copy of a gone file: the first took its document
        summary.added += _add_new(writer, state, plan, opts, skip)
        return
    stored = _stored(searcher, old_path)
    writer.delete_by_term("path", path_key(old_path))
    doc_id = plan.owners.release(old_path)
    moved = stored and article_from_stored(stored, path)
    if reader.kind_of(old_path) != reader.kind_of(path) or \
            _dated(old_path) != _dated(path):
        moved = None  # read as another kind, or dated by its path: extract it again
    if _add(writer, moved, state, opts, skip, doc_id):
        plan.owners.claim(doc_id, path)
        summary.moved += 1
    else:
        summary.removed += 1


def _commit_with(writer, segments: list, clear: bool, merge: bool) -> None:
    """Commit writer's own changes plus finished segments from workers, as one new TOC.

    The same steps as Whoosh's MpWriter commit in multi-segment mode. `clear` drops every
    existing segment (a --full rebuild); `merge` lets store.merge_tiers fold small
    existing segments together (not during a big parallel build, where it would only cost).
    """
    try:
        final = [] if clear else writer._merge_segments(
            store.merge_tiers if merge else None, False, merge)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(final + segments)
    except BaseException:
        writer._cleanup_on_error()
        raise
    writer._finish()


# --- files that hold many articles: web archives and JSON feeds ------------------------------
#
# Each record's document has the address PATH#OFFSET as its path, and as its filestate the
# container's size, mtime and content hash *up to the end of the round that indexed it*. So the
# state the index remembers of a container is that of its document with the largest size: a
# container whose size and mtime are that state's is unchanged; one that grew with its first
# `size` bytes unchanged (their hash) is read from there on (crawlers append; a killed run
# resumes the same way); anything else is read again from the start.

RECORDS = "records"  # the first item of a chunk task that reads a container's records


@dataclass
class _Container:
    path: str
    size: int
    mtime_ns: int
    docs: dict[int, str] = field(default_factory=dict)  # offset -> address, as indexed
    state: FileState | None = None  # the remembered state with the largest size


@dataclass
class _ContainerPlan:
    todo: list[_Container] = field(default_factory=list)
    gone: list[_Container] = field(default_factory=list)


def _containers_apart(current: dict, known: dict, roots: list[str], unlisted: list[str],
                      summary: Summary, memory: skips.Memory, skip) -> _ContainerPlan:
    """Take web archives and feeds out of the walk's files and their records out of the known
    files, and decide which containers must be read (unchanged ones are counted here)."""
    remembered: dict[str, _Container] = {}
    for addr in [a for a in known if "#" in a]:
        split = records.split_address(addr)
        if split is None:
            continue
        state, _docnum = known.pop(addr)
        box = remembered.setdefault(split[0], _Container(split[0], 0, 0))
        box.docs[split[1]] = addr
        if box.state is None or state.size > box.state.size:
            box.state = state
    plan = _ContainerPlan()
    for path in [p for p in current if records.is_container(p)]:
        st = current.pop(path)
        box = remembered.pop(path, None) or _Container(path, 0, 0)
        box.size, box.mtime_ns = st
        if box.state and (box.state.size, box.state.mtime_ns) == (box.size, box.mtime_ns):
            summary.unchanged += len(box.docs)
        elif not box.docs and (was := memory.recall(path, box.size, box.mtime_ns)):
            _report_skip(was, path, summary, skip)  # holds no article, as last time
        else:
            plan.todo.append(box)
    plan.gone = [box for path, box in sorted(remembered.items())
                 if _gone(path, roots, unlisted)]
    return plan


def _report_skip(was: skips.Skipped, path: str, summary: Summary, skip) -> None:
    if was.reason:
        skip(path, was.reason)
    summary.records_skipped.update(was.records)


def _index_containers(ix, plan: _ContainerPlan | None, opts: Options, summary: Summary,
                      jobs: int, owners: Owners, memory: skips.Memory) -> list[_Chunk]:
    """Read every container that changed, round by round. Incremental runs commit each round;
    a --full run returns the segments for its single commit at the end."""
    global _record_options
    held: list[_Chunk] = []
    if plan is None:
        return held
    ropts = _record_options = records.Options(opts.max_size, _field_names(opts))
    if not opts.full:
        _container_moves(ix, plan, summary, owners)
    for box in plan.todo:
        if opts.should_stop and opts.should_stop():
            if opts.full:
                raise NewsdexError("stopped before the --full rebuild was complete: "
                                   "the index is as it was")
            return held
        held += _index_container(ix, box, opts, ropts, summary, jobs, owners, memory)
    if plan.gone and not opts.keep_missing and not opts.full:
        addresses = [a for box in plan.gone for a in box.docs.values()]
        _commit_records(ix, [], addresses, [], summary, True, owners)
    return held


def _container_moves(ix, plan: _ContainerPlan, summary: Summary, owners: Owners) -> None:
    """A new container with the bytes of a gone one (renamed, moved to another folder) takes
    over its documents, ids and all, without reading a record: one commit per container."""
    for box in [b for b in plan.todo if b.state is None]:
        same = [g for g in plan.gone if g.state and g.state.size == box.size and
                _dated(g.path) == _dated(box.path) and
                records.appendable(g.path) == records.appendable(box.path)]
        if not same or _sha1(box.path) not in {g.state.sha1 for g in same}:
            continue
        sha1 = _sha1(box.path)
        old = next(g for g in same if g.state.sha1 == sha1)
        plan.gone.remove(old)
        plan.todo.remove(box)
        mtime = 0 if _racy(box.mtime_ns) else box.mtime_ns
        writer = store.writer(ix, compound=False)
        pool.install(writer, limitmb=POOL_MB)
        try:
            with ix.searcher() as searcher:
                for offset, addr in sorted(old.docs.items()):
                    stored = _stored(searcher, addr)
                    writer.delete_by_term("path", path_key(addr))
                    doc_id = owners.release(addr)
                    if not stored or doc_id is None:
                        continue
                    new = records.address(box.path, offset)
                    state = FileState(new, box.size, mtime, sha1)
                    add_document(writer, document(article_from_stored(stored, new), state,
                                                  doc_id))
                    owners.claim(doc_id, new)
                    summary.moved += 1
            _commit_with(writer, [], False, True)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise


def _sha1(path: str) -> str | None:
    import hashlib

    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha1").hexdigest()
    except OSError:
        return None


def _field_names(opts: Options) -> dict:
    from indexer.extraction import feeds

    try:
        return feeds.mapping(opts.field_map)
    except ValueError as e:
        raise NewsdexError(str(e)) from None


def _index_container(ix, box: _Container, opts: Options, ropts, summary: Summary,
                     jobs: int, owners: Owners, memory: skips.Memory) -> list[_Chunk]:
    summary.reread += 1
    lasting = _memorable(box.mtime_ns)  # may the next run remember a skip
    try:
        start, first_line, hasher = _resume_point(box)
        touched = start == box.size and box.state and hasher is not None
        scan = None if touched else records.scan(box.path, start, first_line, opts.max_size)
    except (reader.SkipFile, OSError) as e:
        reason = "file vanished before it could be read" if isinstance(
            e, FileNotFoundError) else str(e)
        if opts.on_skip:
            opts.on_skip(box.path, reason)
        summary.skipped.append({"path": path_key(box.path), "reason": reason})
        if lasting and isinstance(e, reader.SkipFile) and e.lasting:
            memory.remember(box.path, skips.Skipped(box.size, box.mtime_ns, reason))
        if box.docs and not opts.full:  # no longer readable: its articles go, as a file's do
            _commit_records(ix, [], sorted(box.docs.values()), [], summary, True, owners)
        return []
    if scan is None:
        _refresh(ix, box, hasher.hexdigest(), summary, owners)  # touched: new mtime only
        return []
    summary.records_skipped.update(scan.skipped)
    _note(summary, box.path, scan.warnings)
    rounds = _record_rounds(box, scan, start, hasher, opts, jobs)
    stale = {o: a for o, a in box.docs.items() if o >= start}
    parallel = jobs > 1 and len(scan.offsets) >= PARALLEL_MIN
    workers = _Workers(jobs, parallel, opts.on_progress, len(scan.offsets))
    held: list[_Chunk] = []
    found = Counter(scan.skipped)  # records that are not articles, by reason
    articles = 0
    try:
        for n, (chunks, end) in enumerate(rounds):
            last = n == len(rounds) - 1
            results = workers.run(chunks)
            for kind, _addr, reason, _warnings, _doc in [o for r in results for o in r.outcomes]:
                if kind == "article":
                    articles += 1
                elif kind == "record-skip":
                    found[reason] += 1
            gone = [a for o, a in sorted(stale.items()) if last or o < end]
            for o in [o for o in stale if last or o < end]:
                del stale[o]
            if opts.full:
                _count_records(results, set(), summary)
                held += [_Chunk(r.segment, [], r.seconds) for r in results]
                extra = _unique_ids(ix, results, owners, ropts, None)
                if extra is not None:
                    held.append(_Chunk(extra, [], 0.0))
            else:
                _commit_records(ix, results, gone, list(box.docs.values()), summary,
                                not parallel, owners, ropts)
            if not last and opts.should_stop and opts.should_stop():
                if opts.full:
                    raise NewsdexError("stopped before the --full rebuild was complete: "
                                       "the index is as it was")
                break
        else:
            if lasting and start == 0 and not articles:  # the whole container, read: none
                memory.remember(box.path, skips.Skipped(box.size, box.mtime_ns,
                                                        records=dict(+found)))
    finally:
        workers.close()
    return held


def _resume_point(box: _Container):
    """(offset to read from, its line number, sha1 of the bytes before it or None).

    A container whose remembered bytes are all still there, unchanged, is read from where the
    last run stopped; any other is read from the start."""
    import hashlib

    state = box.state
    if state is None or state.size > box.size or not (
            records.appendable(box.path) or state.size == box.size):
        return 0, 1, None
    hasher = hashlib.sha1()
    lines = 0
    last = b"\n"
    with open(box.path, "rb") as f:
        left = state.size
        while left > 0:
            block = f.read(min(left, 1 << 20))
            if not block:
                return 0, 1, None
            hasher.update(block)
            lines += block.count(b"\n")
            last = block[-1:]
            left -= len(block)
    if hasher.hexdigest() != state.sha1 or last != b"\n" and not records.warc.is_warc(box.path):
        return 0, 1, None
    return state.size, lines + 1, hasher


def _record_rounds(box: _Container, scan, start: int, hasher, opts: Options, jobs: int):
    """The scan's records as rounds of chunks (one per worker, at most opts.batch records
    each), with each round's end offset; every chunk task carries the container's state at
    its round's end (size and hash of the bytes up to there)."""
    import hashlib

    offsets, lines, hints = scan.offsets, scan.lines, scan.hints
    per = max(1, min(opts.batch, math.ceil(len(offsets) / max(jobs, 1))))
    if not records.appendable(box.path):
        per = max(1, math.ceil(len(offsets) / max(jobs, 1)))  # cannot resume: one round
    bounds = list(range(0, len(offsets), per)) or [0]
    step = max(jobs, 1)
    hasher = hasher or hashlib.sha1()
    done = start
    mtime = 0 if _racy(box.mtime_ns) else box.mtime_ns
    rounds = []
    with open(box.path, "rb") as f:
        f.seek(done)
        for r in range(0, len(bounds), step):
            firsts = bounds[r:r + step]
            nxt = r + step
            end = offsets[bounds[nxt]] if nxt < len(bounds) else box.size
            while done < end:  # the hash of the container's bytes up to this round's end
                block = f.read(min(end - done, 1 << 20))
                if not block:
                    break
                hasher.update(block)
                done += len(block)
            sha1 = hasher.copy().hexdigest()
            chunks = [[(RECORDS, box.path, offsets[i:i + per], lines[i:i + per], end, mtime,
                        sha1, hints[i:i + per])] for i in firsts if offsets[i:i + per]]
            rounds.append((chunks, end))
    return rounds


_record_options = None  # records.Options for workers (set before the pool forks)


def _outcomes(task):
    """What one task became: one outcome for a file, one per record for a container's part."""
    if task[0] != RECORDS:
        kind, path, state, article, warnings = _read_one(task)
        yield kind, path, state, article, warnings, state.sha1 if kind == "article" else None
        return
    _, path, offsets, lines, size, mtime_ns, sha1, hints = task
    ropts = _record_options or records.Options()
    for addr, article, warnings, digest in records.read(path, offsets, lines, ropts, hints):
        if isinstance(article, str):
            yield "record-skip", addr, article, None, warnings, None
        else:
            state = FileState(addr, size, mtime_ns, sha1)
            yield "article", addr, state, article, warnings, digest


def _count_records(results: list[_Chunk], known: set[str], summary: Summary) -> None:
    for r in results:
        for kind, addr, state, warnings, _doc in r.outcomes:
            _note(summary, addr.rpartition("#")[0], warnings)
            if kind == "record-skip":
                summary.records_skipped[state] += 1
            elif addr in known:
                summary.updated += 1
            else:
                summary.added += 1


def _commit_records(ix, results: list[_Chunk], gone: list[str], known: list[str],
                    summary: Summary, merge: bool, owners: Owners,
                    ropts: records.Options | None = None) -> None:
    """One atomic commit: a round's segments, and the deletion of the remembered records of
    the round's stretch of the container (`gone`: read again, or no longer there)."""
    _count_records(results, set(known), summary)
    segments = [r.segment for r in results if r.segment is not None]
    again = {o[1] for r in results for o in r.outcomes if o[0] == "article"}
    if not segments and not gone:
        return
    summary.removed += sum(1 for a in gone if a not in again)
    started = time.monotonic()
    for addr in gone:
        owners.release(addr)
    extra = _unique_ids(ix, results, owners, ropts, gone)
    writer = store.writer(ix, compound=False)
    pool.install(writer, limitmb=POOL_MB)
    try:
        for addr in gone:
            writer.delete_by_term("path", path_key(addr))
        _commit_with(writer, segments + ([extra] if extra else []), False, merge)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    summary.commit_seconds += time.monotonic() - started


def _refresh(ix, box: _Container, sha1: str, summary: Summary, owners: Owners) -> None:
    """Record a touched container's new mtime in its documents (content as indexed)."""
    mtime = 0 if _racy(box.mtime_ns) else box.mtime_ns
    summary.unchanged += len(box.docs)
    writer = store.writer(ix, compound=False)
    pool.install(writer, limitmb=POOL_MB)
    try:
        with ix.searcher() as searcher:
            for addr in box.docs.values():
                stored = _stored(searcher, addr)
                writer.delete_by_term("path", path_key(addr))
                if stored:
                    state = FileState(addr, box.size, mtime, sha1)
                    add_document(writer, document(article_from_stored(stored, addr), state,
                                                  stored["id"]))
        _commit_with(writer, [], False, True)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _unique_ids(ix, results: list[_Chunk], owners: Owners, ropts, gone) -> object | None:
    """Claim the ids the workers gave a round's records; a record whose id another document
    holds (an identical copy: the worker could not know) is dropped from its worker's segment
    and read again here under the content's next free id, into a segment of its own."""
    again: list[tuple[str, FileState, str]] = []
    for r in results:
        for kind, addr, state, _warnings, doc in r.outcomes:
            if kind != "article":
                continue
            local, doc_id = doc
            if owners.taken(doc_id, addr):
                r.segment.delete_document(local)
                again.append((addr, state, doc_id))
            else:
                owners.claim(doc_id, addr)
    if not again:
        return None
    writer = SegmentWriter(ix, _lk=False, compound=False)
    added = 0
    for addr, state, _doc_id in again:
        path, offset = records.split_address(addr)
        for _a, article, _w, digest in records.read(path, [offset], [0], ropts or
                                                     records.Options()):
            if isinstance(article, str):
                continue
            doc_id = free_id(digest, owners.taken)
            add_document(writer, document(article, state, doc_id))
            owners.claim(doc_id, addr)
            added += 1
    if not added:
        writer._close_segment()
        return None
    return writer._finalize_segment()
