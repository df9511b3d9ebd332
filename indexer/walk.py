"""Finding archive files under the paths a user names, with a stat of each.

Symlinks are followed, but a loop is walked once (folders are remembered by device and inode);
dangling links, unreadable folders and other problems become warnings, never a stop. Hidden
files and folders (.git, .cache) are passed over, and so is the index folder itself.

The folders a walk could not look into (a root that does not exist, a folder it may not list)
are noted in `unlisted`: their files are unknown, not gone, and the writer must not remove them.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

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
