"""Writing the index: incremental runs that never lose or duplicate an article.

A run stats every file and compares it with what the index remembers (`filestate`, stored in
each document, so it changes in the same commit as the document):
- same size and mtime: unchanged, not read;
- otherwise read and hashed: same hash -> unchanged (only the remembered mtime is refreshed);
  a new path whose hash belongs to a file gone from the walk -> moved, its document copied
  under the new path without extraction; else extracted -> added or updated;
- a remembered file under the walked folders that is gone -> removed (unless keep_missing).
Each commit is atomic (Whoosh renames a new TOC into place) and a document's old version is
deleted in the same commit that adds its new one, so a kill at any moment leaves every article
in its old or its new version. Long runs commit in batches, so a killed run keeps its progress.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from whoosh.writing import CLEAR

from indexer import dates, reader, store, syndication
from indexer.article import Article
from indexer.errors import NewsdexError
from indexer.extract import extract_file, extract_source
from indexer.schema import FileState, compress, date_interval, decompress
from indexer.walk import walk

BATCH = 5000  # documents per intermediate commit
PARALLEL_MIN = 64  # files to read before worker processes pay for themselves


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

    def to_json(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "moved": self.moved,
            "removed": self.removed, "unchanged": self.unchanged, "skipped": self.skipped,
            "warnings": self.warnings, "documents": self.documents,
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


def path_key(path: str) -> str:
    """The path as the index stores it: valid UTF-8 even for undecodable file names."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def doc_id(path: str) -> str:
    """Stable id of a file's document: the same path always gets the same id."""
    return hashlib.sha1(os.fsencode(path)).hexdigest()[:16]


def document(article: Article, state: FileState) -> dict:
    """The Whoosh fields of one article."""
    doc = {
        "id": doc_id(state.path),
        "path": path_key(state.path),
        "filestate": state.encode(),
        "body": article.body,
        "content": compress(article.body),
        "published_source": article.published_source,
        "story": syndication.story_key(article.body),
    }
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
    return doc


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
        body=decompress(stored["content"]),
    )


def load_state(ix) -> dict[str, tuple[FileState, int]]:
    """Every indexed file the index remembers: path -> (state, docnum)."""
    known: dict[str, tuple[FileState, int]] = {}
    with ix.reader() as r:
        if r.doc_count() == 0:
            return known
        column = r.column_reader("filestate")
        for docnum in r.all_doc_ids():
            state = FileState.decode(column[docnum])
            known[state.path] = (state, docnum)
    return known


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


# --- reading, in worker processes when there is much to read ---------------------------------

_expected: dict[str, str] = {}  # path -> hash the index has (set before the pool forks)
_gone_hashes: set[str] = set()


def _read_one(task: tuple[str, int, int, int]):
    """Read, hash and (when the content is new) extract one file. Runs in a worker."""
    path, size, mtime_ns, max_size = task
    try:
        source = reader.read(path, max_size)
    except reader.SkipFile as e:
        return ("skip", path, str(e), None, [])
    except RecursionError:
        return ("skip", path, "too deeply nested to read", None, [])
    state = FileState(path, size, mtime_ns, source.sha1)
    new_path = path not in _expected
    if _expected.get(path) == source.sha1 or (new_path and source.sha1 in _gone_hashes):
        return ("known", path, state, None, source.warnings)
    try:
        article = extract_source(source)
    except reader.SkipFile as e:
        return ("skip", path, str(e), None, [])
    except RecursionError:
        return ("skip", path, "too deeply nested to parse", None, [])
    return ("article", path, state, article, source.warnings)


def _read_all(tasks: list, jobs: int) -> Iterator:
    if jobs <= 1 or len(tasks) < PARALLEL_MIN:
        yield from map(_read_one, tasks)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        yield from pool.imap(_read_one, tasks, chunksize=8)


# --- the run ---------------------------------------------------------------------------------

class _Batches:
    """A Whoosh writer opened on first use and committed every `size` documents."""

    def __init__(self, ix, size: int, clear: bool) -> None:
        self.ix, self.size, self.clear = ix, size, clear
        self.writer = None
        self.pending = 0
        self.commit_seconds = 0.0

    def get(self):
        if self.writer is None:
            # compound=False: a compound segment is read whole into memory each time the index
            # is opened, which is most of a cold search's time (WHOOSH-NOTES.md).
            self.writer = self.ix.writer(limitmb=128, compound=False)
        return self.writer

    def wrote(self) -> None:
        self.pending += 1
        if self.pending >= self.size and not self.clear:
            started = time.monotonic()
            self.writer.commit(merge=False)
            self.commit_seconds += time.monotonic() - started
            self.writer, self.pending = None, 0

    def commit(self) -> None:
        if self.writer is not None:
            started = time.monotonic()
            if self.clear:
                self.writer.commit(mergetype=CLEAR)
            else:
                self.writer.commit()
            self.commit_seconds += time.monotonic() - started
            self.writer = None

    def cancel(self) -> None:
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.cancel()
            self.writer = None


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


def _run(ix, roots, opts: Options, summary: Summary, skip, index_folder: str) -> None:
    known = {} if opts.full else load_state(ix)
    current = dict(walk(roots, skip, exclude=index_folder))
    todo = []
    for path, st in current.items():
        old = known.get(path)
        if old and old[0].size == st.st_size and old[0].mtime_ns == st.st_mtime_ns:
            summary.unchanged += 1
        else:
            todo.append((path, st.st_size, st.st_mtime_ns, opts.max_size))
    todo.sort()
    gone = {p: known[p] for p in known if p not in current and _under(p, roots)}
    _expected.clear()
    _expected.update({p: known[p][0].sha1 for p, *_ in todo if p in known})
    _gone_hashes.clear()
    _gone_hashes.update(state.sha1 for state, _ in gone.values())
    gone_by_hash = {state.sha1: p for p, (state, _) in gone.items()}

    batches = _Batches(ix, opts.batch, clear=opts.full)
    if opts.full:
        batches.get()  # even with no files at all, --full empties the index
    stopped = False
    jobs = opts.jobs or os.cpu_count() or 1
    try:
        with ix.searcher() as searcher:
            for done, (kind, path, state, article, warnings) in enumerate(
                    _read_all(todo, jobs), 1):
                for w in warnings:
                    summary.warnings.append({"path": path_key(path), "warning": w})
                if kind == "skip":
                    skip(path, state)
                    if path in known:  # no longer an article (emptied, vanished, ...)
                        batches.get().delete_by_term("path", path_key(path))
                        summary.removed += 1
                elif kind == "known" and path in known:
                    stored = searcher.stored_fields(known[path][1])
                    _write(batches, article_from_stored(stored, path), state)
                    summary.unchanged += 1
                elif kind == "known":
                    old_path = gone_by_hash.pop(state.sha1)
                    stored = searcher.stored_fields(gone.pop(old_path)[1])
                    batches.get().delete_by_term("path", path_key(old_path))
                    moved = article_from_stored(stored, path)
                    if dates.from_path(old_path) != dates.from_path(path):
                        moved = extract_file(path, opts.max_size)  # its date came from the path
                    _write(batches, moved, state)
                    summary.moved += 1
                else:
                    _write(batches, article, state)
                    if path in known:
                        summary.updated += 1
                    else:
                        summary.added += 1
                if opts.on_progress:
                    opts.on_progress(done, len(todo))
                if opts.should_stop and opts.should_stop():
                    stopped = True
                    break
        if not stopped and not opts.keep_missing:
            for path in gone:
                batches.get().delete_by_term("path", path_key(path))
                summary.removed += 1
        batches.commit()
        summary.commit_seconds = batches.commit_seconds
    except BaseException:
        batches.cancel()
        raise


def _write(batches: _Batches, article: Article, state: FileState) -> None:
    writer = batches.get()
    doc = document(article, state)
    if batches.clear:
        writer.add_document(**doc)
    else:
        writer.update_document(**doc)
    batches.wrote()
