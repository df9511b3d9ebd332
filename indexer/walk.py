"""Finding archive files under the paths a user names, with a stat of each.

Symlinks are followed, but a loop is walked once (folders are remembered by device and inode);
dangling links, unreadable folders and other problems become warnings, never a stop. Hidden
files and folders (.git, .cache) are passed over, and so is the index folder itself.

The folders a walk could not look into (a root that does not exist, a folder it may not list)
are noted in `unlisted`: their files are unknown, not gone, and the writer must not remove them.

A rerun of a big archive is mostly this walk, and a walk mostly stat calls: a million of them
made from Python take about 5 s, four fifths of it building stat results. `Finder` has GNU find
make them in a process of its own (about 1.5 s, while the index's state loads) and print each
file as the bytes a stored `FileState` starts with, so a rerun matches the archive against the
index with no Python call per file. It stands in for `walk` only where the two agree exactly:
folders without symlinks, overlaps or errors; anything else and `walk` does it all.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterable
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
# A record is b"path\0size\0seconds.fraction0\0\0"; the key is b"path\0size\0nanoseconds", the
# record without the dot and the last digit (for mtimes after 1970, when seconds have no sign).
_RECORD_END = b"\0\0"
_SYMLINK = b"L" + _RECORD_END  # printed, and find stops, at the first symlink
_BEFORE_DOT = slice(None, -11)
_NANOSECONDS = slice(-10, -1)
_TIME = re.compile(rb"\A[^\0]+\0\d+\0\d+\.\d{9}0\Z")


class Finder:
    """The files `walk` would find, found by GNU find, as FileState keys (path, size, mtime).

    Started on creation; `keys()` waits for it and gives None whenever its answer could differ
    from walk()'s (no GNU find, a symlink, an unreadable folder, a file gone mid-walk, roots
    that are not folders apart from each other): walk() then finds the files and says what was
    wrong. Order is find's; `entries` sorts what it returns as walk() would."""

    def __init__(self, roots: list[str], exclude: str | None = None) -> None:
        self._proc: subprocess.Popen | None = None
        if not _apart(roots):
            return
        try:
            self._proc = subprocess.Popen(
                _find_command(roots, exclude), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL, env=dict(os.environ, LC_ALL="C"))
        except OSError:  # no find at all
            self._proc = None

    def keys(self) -> list[bytes] | None:
        """Each file's key, or None: use walk()."""
        if self._proc is None:
            return None
        out, err = self._proc.communicate()
        if self._proc.returncode or err or out == _SYMLINK or out.endswith(_RECORD_END + _SYMLINK):
            return None
        records = out.split(_RECORD_END)
        del out
        records.pop()  # what follows the last record's end
        if records and not _TIME.match(records[0]):  # another find, or another format
            return None
        return list(map(bytes.__add__, map(getitem, records, repeat(_BEFORE_DOT)),
                        map(getitem, records, repeat(_NANOSECONDS))))

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()

    @staticmethod
    def entries(keys: Iterable[bytes]) -> list[tuple[str, Stat]]:
        """(path, stat) of the files of these keys, stat again (so a file changed since find saw it
        is seen as it is now), in walk()'s order; a file gone since is left out, as walk() would."""
        found = []
        for key in keys:
            path = os.fsdecode(key.partition(b"\0")[0])
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
    # Patterns are matched in the C locale: any byte is a character, and -iregex is then cheap
    # (-iname in a UTF-8 locale made the walk four times slower).
    skipped = ["-name", ".*"]
    if exclude and os.path.isdir(exclude):
        skipped += ["-o", "-type", "d", "-samefile", exclude]
    wanted = "|".join(re.escape(suffix) for suffix in WANTED)
    return ["find", "-H", *[_safe(r) for r in roots], "-mindepth", "1",
            "(", *skipped, ")", "-prune",
            "-o", "-type", "f", "-regextype", "posix-extended", "-iregex", f".*({wanted})",
            "-printf", "%p\\0%s\\0%T@\\0\\0",
            "-o", "-type", "l", "-printf", "L\\0\\0", "-quit"]


def _safe(root: str) -> str:
    """A root find cannot take for an option or an expression ("-x", "(", "!")."""
    return root if root.startswith(os.sep) else os.path.join(os.curdir, root)
