"""What an index holds: counts, date range, size and age, for `newsdex stats`."""

from __future__ import annotations

import datetime as dt

from indexer.store import last_commit_time, size_on_disk
from search.facets import Columns, count


def collect(ix, folder: str) -> dict:
    """documents, outlets, authors, first, last, undated, index_bytes, last_indexed, index."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs = list(reader.all_doc_ids())
        columns = Columns(reader)
        published = [p for p in columns.values("published", docs, len(docs)) if p]
        published = [p.decode("utf-8") if isinstance(p, bytes) else p for p in published]
        outlets = count(columns, "outlet", docs)
        authors = count(columns, "author", docs)
    last = last_commit_time(folder)
    return {
        "documents": len(docs),
        "outlets": len(outlets),
        "authors": len(authors),
        # Dates at their own precision: "2009" sorts before "2009-01-04".
        "first": min(published, default=None),
        "last": max(published, default=None),
        "undated": len(docs) - len(published),
        "index_bytes": size_on_disk(folder),
        "last_indexed": dt.datetime.fromtimestamp(last).isoformat(timespec="seconds")
        if last else None,
        "index": folder,
    }


def text(data: dict) -> str:
    """The stats as aligned lines for the terminal."""
    shown = dict(data)
    shown["index_bytes"] = f"{human_size(data['index_bytes'])} ({data['index_bytes']} bytes)"
    if data.get("last_indexed"):
        shown["last_indexed"] = data["last_indexed"].replace("T", " ")
    labels = {"index_bytes": "index size", "last_indexed": "last indexed"}
    return "\n".join(f"{labels.get(k, k):<14}{v if v is not None else '-'}"
                     for k, v in shown.items())


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"
