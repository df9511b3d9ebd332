"""One indexed article as `newsdex show` gives it, and its neighbours: the one implementation
behind `show`, `show --raw`, `similar` and the article page of `newsdex serve`."""

from __future__ import annotations

import time

from indexer.schema import FileState, stored_body
from search.searcher import Hit, Result, Search

COPY_CANDIDATES = 20  # similar articles checked for being copies of one article


def record(search: Search, doc_id: str) -> dict:
    """The `show --json` object: every stored field (where a field came from in its
    `<field>_source`), authors as a list, the cleaned body as `body`."""
    stored = dict(search.searcher.stored_fields(search.docnum(doc_id)))
    body = stored_body(stored)
    stored.pop("content", None)
    stored["authors"] = [a for a in (stored.get("authors") or "").split(",") if a]
    stored["body"] = body
    return stored


def raw_text(search: Search, doc_id: str) -> str:
    """The article's original file as text (`show --raw`)."""
    from search.render import original

    # The stored path is printable; the file's real name (bytes and all) is in filestate.
    real_path = FileState.decode(search.columns.value("filestate", search.docnum(doc_id))).path
    return original(real_path)


def similar_result(search: Search, doc_id: str, limit: int = 10) -> Result:
    """`newsdex similar` as a Result: the articles most like one article."""
    started = time.perf_counter()
    hits = search.similar(doc_id, limit)
    return Result(f"similar:{doc_id}", len(hits), 1, hits, {}, None,
                  time.perf_counter() - started)


def copies(search: Search, doc_id: str, similar: list[Hit] | None = None) -> list[Hit]:
    """Syndicated copies of one article (indexer/syndication.py), looked for among the
    articles most like it (`similar`, else the first COPY_CANDIDATES): a copy shares its
    body's words, so more-like-this ranks it first."""
    docnum = search.docnum(doc_id)
    if similar is None:
        similar = search.similar(doc_id, COPY_CANDIDATES)
    near = {h.docnum: h for h in similar}
    stories = search.stories(set(near) | {docnum})
    return [near[d] for d in sorted(stories.copies_of(docnum), key=lambda d: near[d].id)]
