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
from collections.abc import Callable, Iterator

from indexer.reader import is_candidate
from indexer.records import is_container

Warn = Callable[[str, str], None]  # (path, reason)


def walk(roots: list[str], warn: Warn, exclude: str | None = None,
         unlisted: list[str] | None = None) -> Iterator[tuple[str, os.stat_result]]:
    """(absolute path, stat) of every candidate file under roots; a named file is always one.

    Folders (and roots) whose content could not be seen are appended to unlisted."""
    seen_dirs: set[tuple[int, int]] = set()
    excluded = _dir_key(exclude) if exclude else None
    blind = unlisted if unlisted is not None else []
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
            yield from _walk_dir(root, warn, seen_dirs, excluded, blind)
        elif stat.S_ISREG(st.st_mode):
            yield root, st


def _dir_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _walk_dir(folder: str, warn: Warn, seen: set, excluded,
              blind: list[str]) -> Iterator[tuple[str, os.stat_result]]:
    key = _dir_key(folder)
    if key is None or key in seen or key == excluded:
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        warn(folder, f"cannot list folder: {e.strerror or e}")
        blind.append(folder)
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
            if e.errno == errno.ELOOP:  # a symlink that points at itself
                warn(entry.path, "symlink loop")
            else:
                warn(entry.path, e.strerror or str(e))
                blind.append(entry.path)  # there, but unseen: not gone
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(entry.path, warn, seen, excluded, blind)
        elif stat.S_ISREG(st.st_mode) and (is_candidate(entry.name) or is_container(entry.name)):
            yield entry.path, st
