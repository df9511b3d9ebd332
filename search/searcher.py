"""Running a search: matching documents, ranking, paging, multi-select facets, snippets.

Filters (--outlet, --author, --since/--until) narrow the hits. Facets follow Solr's tag/exclude
rule: a facet's counts apply every filter except its own, so with --outlet X the outlet facet
still shows what each other outlet would add. Documents are matched once per distinct filter
combination, without scoring; only the page shown is scored and read.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

from whoosh import highlight
from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer.schema import decompress
from search import facets as facetlib
from search.query import NameResolver, date_range, parse

SORTS = ("relevance", "newest", "oldest")
MARK_START, MARK_END = "\x02", "\x03"  # highlight markers in snippets, rendered later


@dataclass
class Request:
    query: str = "*"
    outlets: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    facets: list[str] = field(default_factory=list)
    facet_limit: int | None = None
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    snippets: bool = True
    collapse: bool = False


@dataclass
class Hit:
    id: str
    path: str
    title: str | None
    authors: list[str]
    outlet: str | None
    published: str | None
    dateline: str | None
    score: float | None
    snippet: str
    docnum: int
    also_in: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data = {
            "id": self.id, "path": self.path, "title": self.title, "authors": self.authors,
            "outlet": self.outlet, "published": self.published, "dateline": self.dateline,
            "score": None if self.score is None else round(self.score, 4),
            "snippet": self.snippet.replace(MARK_START, "").replace(MARK_END, ""),
        }
        if self.also_in:
            data["also_in"] = self.also_in
        return data


@dataclass
class Result:
    query: str
    total: int
    page: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    seconds: float

    def to_json(self) -> dict:
        return {
            "query": self.query, "total": self.total, "page": self.page,
            "hits": [h.to_json() for h in self.hits],
            "facets": {name: [{"value": v, "count": n} for v, n in items]
                       for name, items in self.facets.items()},
            "suggestion": self.suggestion,
            "seconds": round(self.seconds, 4),
        }


class Search:
    """An open searcher with its per-index caches; reuse it for many queries."""

    def __init__(self, ix) -> None:
        self.ix = ix
        self.searcher = ix.searcher(weighting=BM25F())
        self.reader = self.searcher.reader()
        self.names = NameResolver(self.reader)
        self.columns = facetlib.Columns(self.reader)

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> Search:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- matching --------------------------------------------------------------------------

    def parse(self, text: str) -> wq.Query:
        return parse(text, self.ix.schema, self.names)

    def filters(self, req: Request) -> dict[str, wq.Query]:
        """One query per filter kind, so a facet can leave its own out."""
        found: dict[str, wq.Query] = {}
        if req.outlets:
            found["outlet"] = wq.Or([self.names.terms("outlet", o) for o in req.outlets])
        if req.authors:
            found["author"] = wq.Or([self.names.terms("authors", a) for a in req.authors])
        if req.since or req.until:
            found["date"] = date_range(req.since, req.until)
        return found

    def docs(self, q: wq.Query, filters: list[wq.Query]) -> set[int]:
        combined = wq.And([q, *filters]).normalize() if filters else q
        if isinstance(combined, wq.Every):
            return set(self.reader.all_doc_ids())
        return set(self.searcher.docs_for_query(combined))

    # -- the whole search ------------------------------------------------------------------

    def run(self, req: Request) -> Result:
        started = time.perf_counter()
        q = self.parse(req.query)
        filters = self.filters(req)
        matched = self.docs(q, list(filters.values()))
        ordered = self.order(q, matched, req)
        if req.collapse:
            ordered, copies = self.collapse(ordered)
        else:
            copies = {}
        start = (req.page - 1) * req.limit
        page_docs = ordered[start:start + req.limit]
        hits = [self.hit(doc, score, q if req.snippets else None) for doc, score in page_docs]
        for hit in hits:
            hit.also_in = copies.get(hit.docnum, [])
        counts = self.facet_counts(q, filters, matched, req)
        suggestion = self.suggest(req.query, q) if len(matched) < 3 else None
        return Result(req.query, len(matched), req.page, hits, counts, suggestion,
                      time.perf_counter() - started)

    def order(self, q: wq.Query, matched: set[int], req: Request) -> list[tuple[int, float | None]]:
        """Matched documents in the requested order, as far as the page needs."""
        if req.sort == "relevance" and not isinstance(q, wq.Every):
            want = req.page * req.limit
            results = self.searcher.search(q, filter=matched, limit=want + 20)
            scored = [(hit.docnum, hit.score) for hit in results]
            ids = self.columns
            # Equal scores are broken by id, so the order never depends on segment layout.
            scored.sort(key=lambda pair: (-round(pair[1], 6), ids.value("id", pair[0])))
            return scored[:want] if not req.collapse else scored + self._rest(matched, scored)
        return [(d, None) for d in self.by_date(matched, req.sort != "oldest")]

    def _rest(self, matched: set[int], scored: list) -> list:
        seen = {d for d, _ in scored}
        return [(d, None) for d in self.by_date(matched - seen, True)]

    def by_date(self, docs: set[int], newest: bool) -> list[int]:
        """Dated documents newest (or oldest) first, ties by id; undated ones last."""
        pub = self.columns.values("published", docs, len(docs))
        ids = self.columns.values("id", docs, len(docs))
        keyed = list(zip(pub, ids, docs, strict=True))
        dated = sorted((k for k in keyed if k[0]), key=lambda k: k[1])
        dated.sort(key=lambda k: k[0], reverse=newest)
        undated = sorted((k for k in keyed if not k[0]), key=lambda k: k[1])
        return [k[2] for k in dated + undated]

    def facet_counts(self, q, filters, matched, req: Request) -> dict:
        out = {}
        for facet in req.facets:
            own = {"outlet": "outlet", "author": "author", "year": "date", "month": "date"}.get(
                facet)
            if own in filters:
                docs = self.docs(q, [f for k, f in filters.items() if k != own])
            else:
                docs = matched
            counts = facetlib.count(self.columns, facet, docs)
            limit = req.facet_limit
            if limit is None and facet not in facetlib.DATE_FACETS:
                limit = 10
            out[facet] = facetlib.ordered(facet, counts, limit)
        return out

    # -- per hit ---------------------------------------------------------------------------

    def hit(self, docnum: int, score: float | None, q: wq.Query | None) -> Hit:
        stored = self.searcher.stored_fields(docnum)
        body = decompress(stored["content"])
        return Hit(
            id=stored["id"], path=stored["path"], title=stored.get("title"),
            authors=[a for a in (stored.get("authors") or "").split(",") if a],
            outlet=stored.get("outlet"), published=stored.get("published"),
            dateline=stored.get("dateline"), score=score,
            snippet=self.snippet(body, q), docnum=docnum,
        )

    def snippet(self, body: str, q: wq.Query | None, chars: int = 220) -> str:
        terms = _text_terms(q, self.reader) if q is not None else set()
        if terms:
            fragments = highlight.highlight(
                body, terms, self.ix.schema["body"].analyzer,
                highlight.ContextFragmenter(maxchars=chars, surround=70),
                _Markers(), top=2, scorer=highlight.BasicFragmentScorer(), order=highlight.FIRST)
            if fragments:
                return " … ".join(fragments.split("\n")).strip()
        text = " ".join(body.split())
        return text[:chars].rsplit(" ", 1)[0] + ("…" if len(text) > chars else "")

    def suggest(self, text: str, q: wq.Query) -> str | None:
        """A respelling of the query's words from the index's vocabulary, when it finds little."""
        try:
            corrected = self.searcher.correct_query(q, text, prefix=1, maxdist=2)
        except Exception:
            return None
        if corrected.query != q and corrected.string != text:
            return corrected.string
        return None

    # -- syndication -----------------------------------------------------------------------

    def collapse(self, ordered: list) -> tuple[list, dict[int, list[str]]]:
        """One entry per story: later copies fold into the first, listed as "also in"."""
        first: dict[str, int] = {}
        kept, copies = [], {}
        for doc, score in ordered:
            story = self.columns.value("story", doc)
            if story and story in first:
                outlet = self.columns.value("outlet", doc)
                lst = copies.setdefault(first[story], [])
                if outlet and outlet not in lst:
                    lst.append(outlet)
                continue
            if story:
                first[story] = doc
            kept.append((doc, score))
        return kept, copies

    def similar(self, doc_id: str, limit: int = 10) -> list[Hit]:
        docnum = self.docnum(doc_id)
        body = decompress(self.searcher.stored_fields(docnum)["content"])
        results = self.searcher.more_like(docnum, "body", text=body, top=limit, numterms=25)
        return [self.hit(h.docnum, h.score, None) for h in results]

    def docnum(self, doc_id: str) -> int:
        docnum = self.searcher.document_number(id=doc_id)
        if docnum is None:
            from indexer.errors import NewsdexError
            raise NewsdexError(f"no article with id {doc_id} in this index")
        return docnum


class _Markers(highlight.Formatter):
    """Wraps matched words in marker characters; the renderer turns them bold or drops them."""

    between = "\n"

    def format_token(self, text, token, replace=False):
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"

    def format_fragment(self, fragment, replace=False):
        out = super().format_fragment(fragment, replace)
        return " ".join(out.split())


def _text_terms(q: wq.Query, reader) -> set:
    # all_terms() has the plain words; existing_terms(expand=True) adds what wildcards and fuzzy
    # terms matched (it misses some plain terms in this Whoosh, hence both).
    terms = set(q.all_terms(phrases=True))
    with contextlib.suppress(Exception):
        terms |= q.existing_terms(reader, phrases=True, expand=True)
    return {t.decode("utf-8") if isinstance(t, bytes) else t
            for f, t in terms if f in ("body", "title")}
