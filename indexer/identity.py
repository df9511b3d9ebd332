"""Article ids: named by their content, kept through moves, copies and edits.

An article's id comes from the content of the file it was first indexed from (the SHA-1 of its
bytes, decompressed for `.gz`), not from its path, so it is the same on every machine and
survives a move within or between folders, a copy of the archive elsewhere and a `--full`
rebuild. Identical copies at two paths share a content and need two ids: the first path (in
sorted order) gets the content's first id, the next one its second, and so on.

An edited file stays the same article while it stays at its path: it keeps the id it had. A
clean build of a new index knows no history, so there an edited file is named by its current
content (README, "Stable ids").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

ID_LENGTH = 16


def content_id(sha1: str, copy: int = 1) -> str:
    """The id of the `copy`-th article (1, 2, ...) whose content has this SHA-1."""
    if copy == 1:
        return sha1[:ID_LENGTH]
    return hashlib.sha1(f"{sha1}/{copy}".encode()).hexdigest()[:ID_LENGTH]


def free_id(sha1: str, taken: Callable[[str], bool]) -> str:
    """The first id of this content that `taken` says is free."""
    for candidate in _candidates(sha1):
        if not taken(candidate):
            return candidate
    raise AssertionError("unreachable")  # _candidates never ends


def _candidates(sha1: str) -> Iterator[str]:
    copy = 1
    while True:
        yield content_id(sha1, copy)
        copy += 1


class Owners:
    """Which path holds each id, kept up to date as a run adds, moves and removes documents,
    so that no two documents ever share an id.

    `by_path` maps the paths of the documents a run may change to their ids (or is a function
    giving that map, called the first time it is needed: a run that changes nothing never
    needs it). `held`, if given, is a function giving the ids of the documents the run leaves
    alone (unchanged files), as a lookup from id to path: those ids are taken, and no path of
    theirs is ever claimed or released, so they are never copied into the run's own maps (at a
    million files that copy was most of the time of a run adding ten)."""

    def __init__(self, by_path: dict[str, str] | Callable[[], dict[str, str]],
                 held: Callable[[], Callable[[str], str | None]] | None = None) -> None:
        self._by_path = by_path
        self._held = held
        self._held_path: Callable[[str], str | None] | None = None
        self._id_of: dict[str, str] | None = None
        self._path_of: dict[str, str] = {}

    def _load(self) -> None:
        if self._id_of is None:
            by_path = self._by_path() if callable(self._by_path) else self._by_path
            self._path_of = dict(zip(by_path.values(), by_path, strict=True))
            self._id_of = dict(by_path)

    @property
    def id_of(self) -> dict[str, str]:
        self._load()
        return self._id_of

    @property
    def path_of(self) -> dict[str, str]:
        self._load()
        return self._path_of

    def taken(self, doc_id: str, path: str | None = None) -> bool:
        owner = self.path_of.get(doc_id)
        if owner is None and self._held is not None:
            if self._held_path is None:
                self._held_path = self._held()
            owner = self._held_path(doc_id)
        return owner is not None and owner != path

    def claim(self, doc_id: str, path: str) -> None:
        self.release(path)
        self.path_of[doc_id] = path
        self.id_of[path] = doc_id

    def release(self, path: str) -> str | None:
        doc_id = self.id_of.pop(path, None)
        if doc_id is not None and self.path_of.get(doc_id) == path:
            del self.path_of[doc_id]
        return doc_id
