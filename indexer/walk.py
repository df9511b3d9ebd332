"""Finding archive files under the paths a user names, with a stat of each.

Symlinks are followed, but a loop is walked once (folders are remembered by device and inode);
dangling links, unreadable folders and other problems become warnings, never a stop. Hidden
files and folders (.git, .cache) are passed over, and so is the index folder itself.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

from indexer.reader import is_candidate

Warn = Callable[[str, str], None]  # (path, reason)


def walk(roots: list[str], warn: Warn,
         exclude: str | None = None) -> Iterator[tuple[str, os.stat_result]]:
    """(absolute path, stat) of every candidate file under roots; a named file is always one."""
    seen_dirs: set[tuple[int, int]] = set()
    excluded = _dir_key(exclude) if exclude else None
    for root in roots:
        try:
            st = os.stat(root)
        except FileNotFoundError:
            warn(root, "no such file or folder" if not os.path.islink(root) else "dangling symlink")
            continue
        except OSError as e:
            warn(root, e.strerror or str(e))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(root, warn, seen_dirs, excluded)
        elif stat.S_ISREG(st.st_mode):
            yield root, st


def _dir_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _walk_dir(folder: str, warn: Warn, seen: set, excluded) -> Iterator[tuple[str, os.stat_result]]:
    key = _dir_key(folder)
    if key is None or key in seen or key == excluded:
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        warn(folder, f"cannot list folder: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            st = entry.stat()  # follows symlinks
        except FileNotFoundError:
            if entry.is_symlink():
                warn(entry.path, "dangling symlink")
            continue  # vanished since the listing
        except OSError as e:
            if e.errno == 40:  # ELOOP: a symlink that points at itself
                warn(entry.path, "symlink loop")
            else:
                warn(entry.path, e.strerror or str(e))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(entry.path, warn, seen, excluded)
        elif stat.S_ISREG(st.st_mode) and is_candidate(entry.name):
            yield entry.path, st
