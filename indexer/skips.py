"""Files that hold no article, remembered so that an unchanged one is not read again.

A file skipped for what it holds (empty, binary, no article text; a web archive or feed none of
whose records is an article) is skipped again by the next run, from memory, while its size and
mtime stay the same: the run reports it as before (the same skip line, the same count of
records that are not articles) without reading it. A folder of saved pages is full of index and
tag pages that are not articles, and a crawl folder may hold a manifest: reading them on every
run would cost more than the rest of a no-change rerun.

What may pass by itself (permission denied, a file that vanished, an error in newsdex) is not
remembered, nor is a file whose mtime proves nothing yet (see writer._racy). The memory is one
JSON file in the index folder, replaced whole by a rename after the run's last commit, and it
is only a cache: a lost, stale or foreign one costs a read, never an article. It is forgotten
when newsdex, the schema or the options that decide what is an article (--max-size, --map)
change, and by `--full`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

FILE = "newsdex-skips.json"


@dataclass
class Skipped:
    """What one remembered file was: skipped whole (reason), or a container of records that
    are not articles (records: reason -> count)."""

    size: int
    mtime_ns: int
    reason: str | None = None
    records: dict[str, int] = field(default_factory=dict)


class Memory:
    """The remembered skips of an index, and what this run recalls and learns of them."""

    def __init__(self, fingerprint: str, old: dict[str, Skipped] | None = None) -> None:
        self.fingerprint = fingerprint
        self.old = old or {}
        self.new: dict[str, Skipped] = {}
        self.changed = False

    def recall(self, path: str, size: int, mtime_ns: int) -> Skipped | None:
        """The remembered skip of a file that is as it was, kept for the next run; else None."""
        entry = self.old.get(path)
        if entry is None or (entry.size, entry.mtime_ns) != (size, mtime_ns):
            return None
        self.new[path] = entry
        return entry

    def remember(self, path: str, entry: Skipped) -> None:
        self.new[path] = entry
        self.changed = True

    def save(self, folder: str, keep: Callable[[str], bool]) -> None:
        """Write the memory: this run's recalls and skips, and the old entries that `keep`
        says the run did not see (files of another archive)."""
        entries = dict(self.new)
        for path, entry in self.old.items():
            if path not in entries and keep(path):
                entries[path] = entry
        if not self.changed and entries.keys() == self.old.keys():
            return
        data = {"fingerprint": self.fingerprint,
                "files": {p: _encode(e) for p, e in sorted(entries.items())}}
        target = os.path.join(folder, FILE)
        temporary = target + ".tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as f:
                json.dump(data, f, separators=(",", ":"))  # ASCII: paths may hold surrogates
            os.replace(temporary, target)
        except OSError:  # a cache: the run's commits stand, the next run reads these again
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def fingerprint(max_size: int, field_map: list[str]) -> str:
    """What decides whether a file holds an article, besides its bytes."""
    from importlib.metadata import PackageNotFoundError, version

    from indexer.schema import SCHEMA_VERSION

    try:
        release = version("newsdex")
    except PackageNotFoundError:
        release = "?"
    return json.dumps([release, SCHEMA_VERSION, max_size, sorted(field_map)])


def load(folder: str, fingerprint: str) -> Memory:
    """The memory of the index at folder; empty when there is none or it was made otherwise."""
    try:
        with open(os.path.join(folder, FILE), encoding="utf-8") as f:
            data = json.load(f)
        if data.get("fingerprint") != fingerprint:
            return Memory(fingerprint)
        return Memory(fingerprint, {p: _decode(e) for p, e in data["files"].items()})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Memory(fingerprint)


def _encode(entry: Skipped) -> list:
    return [entry.size, entry.mtime_ns, entry.reason, entry.records]


def _decode(raw: list) -> Skipped:
    size, mtime_ns, reason, records = raw
    return Skipped(int(size), int(mtime_ns), reason, {str(k): int(v) for k, v in records.items()})
