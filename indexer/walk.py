"""Finding archive files under the paths a user names, with a stat of each.

Symlinks are followed, but a loop is walked once (folders are remembered by device and inode);
dangling links, unreadable folders and other problems become warnings, never a stop. Hidden
files and folders (.git, .cache) are passed over, and so is the index folder itself.

The folders a walk could not look into (a root that does not exist, a folder it may not list)
are noted in `unlisted`: their files are unknown, not gone, and the writer must not remove them.

A rerun of a big archive is mostly this walk, and a walk mostly stat calls: a million of them
take 4-5 s from Python, most of it building stat results. On a rerun `Finder` has GNU find make
them in a process of its own (2.5 s for a million files, while this one loads the index's state
and keys it by find's way of printing a file), so the archive is matched against the index with
no Python call per file. It stands in for `walk` only where the two agree exactly: folders
without symlinks, overlaps or errors; anything else and `walk` does it all.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import getitem

Warn = Callable[[str, str], None]  # (path, reason)
# What a run needs of a file's stat: (size, mtime in ns). An os.stat_result holds some twenty
# Python objects (about 800 bytes), most of a million-file run's memory; a plain tuple is also
# made five times faster than a NamedTuple, a second of a million-file rerun.
Stat = tuple[int, int]


def walk(roots: list[str], warn: Warn, exclude: str | None = None,
         unlisted: list[str] | None = None) -> list[tuple[str, Stat]]:
    """(absolute path, stat) of every candidate file under roots; a named file is always one.

    Folders (and roots) whose content could not be seen are appended to unlisted."""
    seen_dirs: set[tuple[int, int]] = set()
    excluded = _key_of(exclude) if exclude else None
    blind = unlisted if unlisted is not None else []
    found: list[tuple[str, Stat]] = []
    for root in roots:
        try:
            st = os.stat(root)
        except FileNotFoundError:
            warn(root, "no such file or folder" if not os.path.islink(root) else "dangling symlink")
            blind.append(root)
            continue
        except OSError as e:
            warn(root, e.strerror or str(e))
            blind.append(root)
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk_dir(root, st, _Walk(warn, seen_dirs, excluded, blind, found))
        elif stat.S_ISREG(st.st_mode):
            found.append((root, (st.st_size, st.st_mtime_ns)))
    return found


def _wanted_suffixes() -> tuple[str, ...]:
    """File name endings the walk keeps: articles (also gzipped), web archives and feeds."""
    from indexer.extraction import feeds, reader, warc

    return tuple(s + z for s in reader.SUFFIXES for z in ("", ".gz")) + warc.SUFFIXES + \
        feeds.SUFFIXES


WANTED = _wanted_suffixes()


@dataclass
class _Walk:
    warn: Warn
    seen: set[tuple[int, int]]
    excluded: tuple[int, int] | None
    blind: list[str]
    found: list[tuple[str, Stat]]


def _dir_key(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _key_of(path: str) -> tuple[int, int] | None:
    try:
        return _dir_key(os.stat(path))
    except OSError:
        return None


def _walk_dir(folder: str, folder_stat: os.stat_result, w: _Walk) -> None:
    # One stat per entry, which the result keeps: a walk of a big archive is mostly stat calls,
    # made relative to the open folder (fstatat) so the kernel does not resolve the whole path
    # again for each (4.1-4.3 s for a million files against 4.7-5.2 s by DirEntry.stat).
    key = _dir_key(folder_stat)
    if key in w.seen or key == w.excluded:
        return
    w.seen.add(key)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as e:
        w.warn(folder, f"cannot list folder: {e.strerror or e}")
        w.blind.append(folder)
        return
    try:
        names = sorted(os.listdir(fd))
    except OSError as e:
        os.close(fd)
        w.warn(folder, f"cannot list folder: {e.strerror or e}")
        w.blind.append(folder)
        return
    try:
        prefix = folder if folder.endswith(os.sep) else folder + os.sep
        for name in names:
            if name[0] == ".":
                continue
            try:
                st = os.stat(name, dir_fd=fd)  # follows symlinks
            except FileNotFoundError:
                if _is_link(name, fd):
                    w.warn(prefix + name, "dangling symlink")
                continue  # vanished since the listing
            except OSError as e:
                if e.errno == errno.ELOOP:  # a symlink that points at itself
                    w.warn(prefix + name, "symlink loop")
                else:
                    w.warn(prefix + name, e.strerror or str(e))
                    w.blind.append(prefix + name)  # there, but unseen: not gone
                continue
            mode = st.st_mode
            if stat.S_ISREG(mode):
                if name.lower().endswith(WANTED):
                    w.found.append((prefix + name, (st.st_size, st.st_mtime_ns)))
            elif stat.S_ISDIR(mode):
                _walk_dir(prefix + name, st, w)  # one open descriptor per level of the tree
    finally:
        os.close(fd)


def _is_link(name: str, fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=fd).st_mode)
    except OSError:
        return False


# --- the same walk by GNU find ----------------------------------------------------------------

# find prints %T@ as seconds, a dot and ten digits (nanoseconds and a 0): "1700000000.1234567890".
# A record is b"path\0size\0seconds.nanoseconds0", what a stored FileState's stem (b"path\0size\0
# nanoseconds") becomes with a dot before its last nine digits and a 0 after them. The stored
# stems are turned into records (while find runs), never the records into stems (after it has).
_RECORD_END = b"\0\0"
_SYMLINK = b"L" + _RECORD_END  # printed, and find stops, at the first symlink
_RECORD = re.compile(rb"\A[^\0]+\0\d+\0\d+\.\d{9}0\Z")


class Finder:
    """The files `walk` would find, found by GNU find in a process of its own.

    Started on creation; find writes to a temporary file, so it never waits on this process
    (a pipe would fill while the index's state loads). `records()` waits for it and gives None
    whenever its answer could differ from walk()'s (no GNU find, a symlink, an unreadable
    folder, a file gone mid-walk, roots that are not folders apart from each other): walk() then
    finds the files and says what was wrong."""

    def __init__(self, roots: list[str], exclude: str | None = None) -> None:
        self._proc: subprocess.Popen | None = None
        self._out = self._err = None
        if not _apart(roots):
            return
        try:
            # closed by close(): the files outlive this call
            self._out = tempfile.TemporaryFile()  # noqa: SIM115
            self._err = tempfile.TemporaryFile()  # noqa: SIM115
            self._proc = subprocess.Popen(
                _find_command(roots, exclude), stdout=self._out, stderr=self._err,
                stdin=subprocess.DEVNULL, env=dict(os.environ, LC_ALL="C"))
        except OSError:  # no find, no room for its output: walk() will do
            self.close()

    def records(self) -> Iterator[bytes] | None:
        """Each file's record, read as they are used, or None: use walk()."""
        if self._proc is None or self._proc.wait() or os.fstat(self._err.fileno()).st_size:
            return None
        out = self._out
        if out.seek(0, os.SEEK_END) >= len(_SYMLINK):
            out.seek(-len(_SYMLINK), os.SEEK_END)
            if out.read() == _SYMLINK:
                return None
        out.seek(0)
        first = out.read(2 * 4096).partition(_RECORD_END)[0]  # a path is at most 4,096 bytes
        if first and not _RECORD.match(first):  # another find, or another format
            return None
        out.seek(0)
        return self._read()

    def _read(self) -> Iterator[bytes]:
        tail = b""
        while chunk := self._out.read(1 << 22):
            records = (tail + chunk).split(_RECORD_END)
            tail = records.pop()
            yield from records

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None
        for file in (self._out, self._err):
            if file is not None:
                file.close()

    def __enter__(self) -> Finder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def as_found(stems: list[bytes]) -> Iterator[bytes]:
        """Stored FileState stems as find's records of the same files, made with no Python call
        per file (while find runs: the records are used as they are)."""
        heads = map(getitem, stems, repeat(slice(None, -9)))
        tails = map(getitem, stems, repeat(slice(-9, None)))
        return map(b"%s.%s0".__mod__, zip(heads, tails, strict=True))

    @staticmethod
    def entries(records: Iterable[bytes]) -> list[tuple[str, Stat]]:
        """(path, stat) of the files of these records, stat again (so a file changed since find
        saw it is seen as it is now), in walk()'s order; a file gone since is left out, as
        walk() would."""
        found = []
        for record in records:
            path = os.fsdecode(record.partition(b"\0")[0])
            try:
                st = os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found.append((path, (st.st_size, st.st_mtime_ns)))
        found.sort(key=lambda entry: entry[0].split(os.sep))  # folder by folder, names sorted
        return found


def _apart(roots: list[str]) -> bool:
    """Whether every root is a folder and none is inside another (or the same)."""
    real = []
    for root in roots:
        if not os.path.isdir(root):
            return False
        real.append(os.path.join(os.path.realpath(root), ""))
    return not any(a.startswith(b) for i, a in enumerate(real) for j, b in enumerate(real)
                   if i != j)


def _find_command(roots: list[str], exclude: str | None) -> list[str]:
    # -H follows a root that is a symlink, as walk() does; below the roots a symlink stops find.
    # Names are matched in the C locale, where any byte is a character and matching is cheap
    # (-iname in a UTF-8 locale made find four times slower); a .txt name is taken before the
    # regular expression of every WANTED suffix is tried.
    skipped = ["-name", ".*"]
    if exclude and os.path.isdir(exclude):  # compared by inode, as walk() does
        skipped += ["-o", "-type", "d", "-samefile", os.path.realpath(exclude)]
    wanted = "|".join(re.escape(suffix) for suffix in WANTED)
    return ["find", "-H", *[_safe(r) for r in roots], "-mindepth", "1",
            "(", *skipped, ")", "-prune",
            "-o", "-type", "f", "(", "-name", "*.txt", "-o", "-regextype", "posix-extended",
            "-iregex", f".*({wanted})", ")", "-printf", "%p\\0%s\\0%T@\\0\\0",
            "-o", "-type", "l", "-printf", "L\\0\\0", "-quit"]


def _safe(root: str) -> str:
    """A root find cannot take for an option or an expression ("-x", "(", "!")."""
    return root if root.startswith(os.sep) else os.path.join(os.curdir, root)
