"""What an index holds: counts, date range and size, for `newsdex stats`."""

from __future__ import annotations

import datetime as dt

from indexer.store import last_commit_time, size_on_disk
from search.facets import Columns, count


def collect(ix, folder: str) -> dict:
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs = list(reader.all_doc_ids())
        columns = Columns(reader)
        published = [p for p in columns.values("published", docs, len(docs)) if p]
        outlets = count(columns, "outlet", docs)
        authors = count(columns, "author", docs)
    last = last_commit_time(folder)
    return {
        "documents": len(docs),
        "outlets": len(outlets),
        "authors": len(authors),
        "first": min(published, default=None),
        "last": max(published, default=None),
        "undated": len(docs) - len(published),
        "index_bytes": size_on_disk(folder),
        "last_indexed": dt.datetime.fromtimestamp(last).isoformat(timespec="seconds")
        if last else None,
    }
