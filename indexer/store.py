"""The index folder: where it is, opening it with clear errors, and the one-writer lock.

Light on purpose (no extraction stack): `newsdex search` opens indexes through here.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import os
import re
import time

from whoosh import index as whoosh_index
from whoosh.index import TOC
from whoosh.writing import SegmentWriter

from indexer.errors import NewsdexError
from indexer.schema import SCHEMA_VERSION, FileState, build_schema, codec, read_marker, write_marker

LOCK_FILE = "newsdex.lock"
_HARMLESS = {".gitkeep", "README", "README.md", ".DS_Store"}


def index_dir(option: str | None) -> str:
    """--index, else $NEWSDEX_INDEX, else ./index."""
    return option or os.environ.get("NEWSDEX_INDEX") or "index"


def check(folder: str) -> None:
    """Raise NewsdexError unless folder holds a newsdex index of this schema version."""
    if not os.path.isdir(folder):
        raise NewsdexError(f"no index at {folder}: run 'newsdex index PATH' first")
    marker = read_marker(folder)
    if marker is None:
        if _is_empty(folder):
            raise NewsdexError(f"no index at {folder}: run 'newsdex index PATH' first")
        raise NewsdexError(f"{folder} is not a newsdex index (no {'newsdex.json'} marker)")
    version = marker.get("schema_version")
    if version != SCHEMA_VERSION:
        raise NewsdexError(
            f"the index at {folder} has schema version {version}, this newsdex needs "
            f"{SCHEMA_VERSION}: rebuild it with 'newsdex index --full PATH'")
    damage = _damage(folder)
    if damage:
        raise NewsdexError(f"the index at {folder} is {damage}: rebuild it with "
                           f"'newsdex index --full PATH'")


def _damage(folder: str) -> str | None:
    """What is wrong with the Whoosh index in folder, or None if its last commit reads."""
    try:
        return None if whoosh_index.exists_in(folder) else "empty or damaged"
    except Exception as e:  # Whoosh raises many kinds on a garbled TOC
        return f"damaged ({e})"


def open_index(folder: str):
    """Open an existing index for reading."""
    check(folder)
    try:
        return whoosh_index.open_dir(folder, readonly=True)
    except Exception as e:  # Whoosh raises many kinds on a damaged folder
        raise NewsdexError(f"cannot open the index at {folder}: {e}") from None


def file_state(ix, doc_id: str) -> FileState | None:
    """What the index remembers of the file the live document with this id was read from, read
    straight from its segment (no searcher: `show --raw` is one look-up and a seek)."""
    from whoosh.reading import TermNotFound

    with ix.reader() as r:
        for leaf, _base in r.leaf_readers():
            try:
                postings = leaf.postings("id", doc_id)
            except (TermNotFound, KeyError, NotImplementedError):  # not in this segment
                continue
            while postings.is_active():  # an edited article's old version may linger, deleted
                docnum = postings.id()
                if not leaf.is_deleted(docnum):
                    return FileState.decode(leaf.column_reader("filestate")[docnum])
                postings.next()
    return None


def open_for_writing(folder: str, full: bool = False):
    """Open the index at folder for writing, creating it when the folder is new or empty.

    With full=True an index of another schema version is replaced; otherwise that is an error.
    """
    if not os.path.isdir(folder) or _is_empty(folder):
        return _create(folder)
    marker = read_marker(folder)
    if marker is None:
        raise NewsdexError(f"{folder} is not a newsdex index and not empty: refusing to write "
                           f"into it (choose another --index)")
    ix = _opened(folder) if marker.get("schema_version") == SCHEMA_VERSION else None
    if ix is None:  # another version, or damaged
        if not full:
            check(folder)
        return _create(folder)
    if not os.access(folder, os.W_OK):
        raise NewsdexError(f"the index at {folder} is read-only")
    return ix


def _opened(folder: str):
    """The Whoosh index in folder, or None if its last commit does not read (one TOC read)."""
    try:
        ix = whoosh_index.open_dir(folder)
        return ix if ix.latest_generation() > -1 else None
    except Exception:  # Whoosh raises many kinds on a garbled TOC
        return None


def _create(folder: str):
    try:
        os.makedirs(folder, exist_ok=True)
        ix = whoosh_index.create_in(folder, build_schema())
        write_marker(folder)
    except OSError as e:
        raise NewsdexError(f"cannot create an index at {folder}: {e.strerror}") from None
    return ix


def _is_empty(folder: str) -> bool:
    try:
        return all(name in _HARMLESS or name == LOCK_FILE for name in os.listdir(folder))
    except OSError:
        return False


class WriteLock:
    """One writer per index: a POSIX record lock (lockf) on newsdex.lock.

    The kernel drops the lock when its holder dies, so a lock left by a killed writer is never
    stale: the file may still name the dead pid, but nothing holds the lock and the next writer
    takes it at once. lockf rather than flock because a lockf lock is never inherited by forked
    children: an extraction worker that outlives a killed writer cannot keep the index locked.
    lockf does not exclude a second writer in the same process, so those are refused by a set.
    """

    _held: set[str] = set()  # real paths of the index folders this process writes to

    def __init__(self, folder: str, wait: bool = False) -> None:
        self.folder = folder
        self.path = os.path.join(folder, LOCK_FILE)
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> WriteLock:
        refuse_foreign(self.folder)
        try:
            os.makedirs(self.folder, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as e:
            raise NewsdexError(_write_problem(e, self.folder)) from None
        key = os.path.realpath(self.folder)
        try:
            if key in self._held:
                raise BlockingIOError
            fcntl.lockf(self.fd, fcntl.LOCK_EX if self.wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            holder = os.pread(self.fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(self.fd)
            self.fd = None
            if e.errno not in (errno.EAGAIN, errno.EACCES, None):
                raise NewsdexError(f"cannot lock {self.path}: {e.strerror}") from None
            raise NewsdexError(
                f"another newsdex (pid {holder}) is writing to {self.folder}: "
                f"try again when it ends, or pass --wait") from None
        self._held.add(key)
        self.key = key
        with contextlib.suppress(OSError):  # the pid is only a hint for the message above
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing drops the lock
            self.fd = None
            self._held.discard(self.key)


def refuse_foreign(folder: str) -> None:
    """Raise NewsdexError when folder holds files but is not a newsdex index (nothing in it is
    touched then, not even a lock file)."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise NewsdexError(f"{folder} is not a folder: choose another --index")
    if os.path.isdir(folder) and not _is_empty(folder) and read_marker(folder) is None:
        raise NewsdexError(f"{folder} is not a newsdex index and not empty: refusing to write "
                           f"into it (choose another --index)")


def _write_problem(e: OSError, folder: str) -> str:
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the index at {folder} is read-only"
    if e.errno == errno.ENOSPC:
        return f"no space left on the disk of {folder}"
    return f"cannot write to {folder}: {e.strerror or e}"


# --- commits ---------------------------------------------------------------------------------

# A generation superseded less than this long ago keeps its files: a search that opened it just
# before a commit can still read every file of it (Whoosh would delete them at once, and a
# search would then fail or miscount in the middle of its work).
GRACE_SECONDS = 120.0


class SafeWriter(SegmentWriter):
    """Whoosh's segment writer with a safer commit.

    The new segment files and the new TOC reach the disk (fsync) before the TOC is renamed into
    place, so even a power cut leaves the old or the new generation, never a TOC naming missing
    data; and files of superseded generations are deleted only after GRACE_SECONDS.
    """

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self._before = {s.segment_id() for s in self.segments}

    def _commit_toc(self, segments) -> None:
        folder = self.storage.folder
        new = {s.segment_id() for s in segments} - self._before
        for name in os.listdir(folder):
            if name.split(".", 1)[0] in new:
                _fsync(os.path.join(folder, name))
        TOC(self.schema, segments, self.generation).write(_SyncedRename(self.storage),
                                                          self.indexname)
        _fsync(folder)
        clean_files(self.storage, self.indexname, self.generation, self.schema)


class _SyncedRename:
    """The storage as TOC.write sees it: the temporary TOC is synced before its rename."""

    def __init__(self, storage) -> None:
        self.storage = storage

    def create_file(self, name: str, **kwargs):
        return self.storage.create_file(name, **kwargs)

    def rename_file(self, frm: str, to: str, safe: bool = False) -> None:
        _fsync(os.path.join(self.storage.folder, frm))
        self.storage.rename_file(frm, to, safe=safe)


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as e:
        if e.errno not in (errno.EINVAL, errno.EBADF):  # folders on some file systems
            raise
    finally:
        os.close(fd)


def clean_files(storage, indexname: str, gen: int, schema, now: float | None = None) -> None:
    """Delete what no search can need any more: generations superseded more than GRACE_SECONDS
    ago, the segment files only they name, and files left by killed writers."""
    folder = storage.folder
    now = time.time() if now is None else now
    names = os.listdir(folder)
    toc_pattern, seg_pattern = TOC._pattern(indexname), TOC._segment_pattern(indexname)
    tocs = sorted((int(m.group(1)), name) for name in names if (m := toc_pattern.match(name)))
    keep = {gen}
    for (old, _), (_, successor) in itertools.pairwise(tocs):
        # A search may still read generation `old` until its successor has been in place a while.
        with contextlib.suppress(OSError):
            if old < gen and now - os.path.getmtime(os.path.join(folder, successor)) \
                    < GRACE_SECONDS:
                keep.add(old)
    needed: set[str] = set()
    for kept in keep:
        with contextlib.suppress(Exception):  # an unreadable TOC can be opened by no one
            needed |= {s.segment_id() for s in TOC.read(storage, indexname, kept, schema).segments}
    toc_temp = re.compile(rf"^_{re.escape(indexname)}_[0-9]+\.toc\.")
    for name in names:
        m = toc_pattern.match(name)
        seg = seg_pattern.match(name)
        if (m and int(m.group(1)) not in keep) or toc_temp.match(name) or \
                (seg and not m and seg.group(1) not in needed):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, name))


# Segments of fewer documents than this are merged by updates, ten of a size tier at a time.
MERGE_BELOW = 1000
TIER_WIDTH = 10


def merge_tiers(writer, segments: list) -> list:
    """The merge policy of commits that may merge: segments under MERGE_BELOW documents are
    merged a size tier at a time (tier: the digits of their document count) once a tier holds
    TIER_WIDTH of them; bigger segments (a build's chunks) are never merged by an update.

    Whoosh's MERGE_SMALL merges the smallest segments up to a point set by Fibonacci numbers:
    on an archive built in 10,000-document segments it merged 24 of them (240,000 documents,
    minutes and 1 GB) to add 10 files. Here an update merges at most a few thousand documents,
    and each is merged again at most once per tier."""
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    for seg in segments:
        count = seg.doc_count_all()
        if count < MERGE_BELOW:
            tiers.setdefault(len(str(max(count, 1))), []).append(seg)
    merged = {id(seg) for tier in tiers.values() if len(tier) >= TIER_WIDTH for seg in tier}
    for seg in segments:
        if id(seg) in merged:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
    return [seg for seg in segments if id(seg) not in merged]


def writer(ix, **kwargs) -> SafeWriter:
    """A writer for ix whose commits are durable and keep recent generations readable."""
    kwargs.setdefault("codec", codec())
    return SafeWriter(ix, **kwargs)


def last_commit_time(folder: str) -> float | None:
    """When the index was last committed (the newest TOC file's mtime)."""
    tocs = [os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".toc")]
    return max((os.path.getmtime(p) for p in tocs), default=None)


def size_on_disk(folder: str) -> int:
    total = 0
    for name in os.listdir(folder):
        with contextlib.suppress(OSError):
            total += os.path.getsize(os.path.join(folder, name))
    return total

