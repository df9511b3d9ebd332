"""The index folder: where it is, opening it with clear errors, and the one-writer lock.

Light on purpose (no extraction stack): `newsdex search` opens indexes through here.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os

from whoosh import index as whoosh_index

from indexer.errors import NewsdexError
from indexer.schema import SCHEMA_VERSION, build_schema, read_marker, write_marker

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
    if not whoosh_index.exists_in(folder):
        raise NewsdexError(f"the index at {folder} is empty or damaged: rebuild it with "
                           f"'newsdex index --full PATH'")


def open_index(folder: str):
    """Open an existing index for reading."""
    check(folder)
    try:
        return whoosh_index.open_dir(folder, readonly=True)
    except Exception as e:  # Whoosh raises many kinds on a damaged folder
        raise NewsdexError(f"cannot open the index at {folder}: {e}") from None


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
    if marker.get("schema_version") != SCHEMA_VERSION or not whoosh_index.exists_in(folder):
        if not full:
            check(folder)
        return _create(folder)
    if not os.access(folder, os.W_OK):
        raise NewsdexError(f"the index at {folder} is read-only")
    try:
        return whoosh_index.open_dir(folder)
    except Exception as e:
        raise NewsdexError(f"cannot open the index at {folder}: {e}") from None


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
    """One writer per index: an flock on newsdex.lock, which the kernel drops when its holder
    dies, so a lock left by a killed writer is never stale. The file records the holder's pid."""

    def __init__(self, folder: str, wait: bool = False) -> None:
        self.path = os.path.join(folder, LOCK_FILE)
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> WriteLock:
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise NewsdexError(f"the index at {os.path.dirname(self.path)} is read-only") \
                    from None
            raise NewsdexError(f"cannot lock {self.path}: {e.strerror}") from None
        flags = fcntl.LOCK_EX if self.wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(self.fd, flags)
        except BlockingIOError:
            holder = os.pread(self.fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(self.fd)
            raise NewsdexError(
                f"another newsdex (pid {holder}) is writing to {os.path.dirname(self.path)}: "
                f"try again when it ends, or pass --wait") from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


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

