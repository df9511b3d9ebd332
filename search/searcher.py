"""Running a search: matching documents, ranking, paging, multi-select facets, snippets.

Filters (--outlet, --author, --since/--until) narrow the hits. Facets follow Solr's tag/exclude
rule: a facet's counts apply every filter except its own, so with --outlet X the outlet facet
still shows what each other outlet would add. Documents are matched once per distinct filter
combination, without scoring; only the documents a page needs are scored, and only the page
shown is read from stored fields.

With `collapse`, syndicated copies (indexer/syndication.py) fold into one result per story: the
first in the requested order stands for the story, the others are listed as "also in". Copies are
found among the matching documents only, from their signatures in the `story` column.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer.analysis import SNOWBALL, fold
from indexer.codec import LazyNumpy
from indexer.schema import date_interval, stored_body
from search import facets as facetlib
from search import quick
from search.query import NameResolver, date_range, parse

# numpy and the array matcher (search/matching.py) are imported when first used: a one-word
# search in a fresh process scores without them (search/quick.py).
np = LazyNumpy(globals())

MARK_START, MARK_END = "\x02", "\x03"  # highlight markers in snippets, rendered later
TEXT_FIELDS = ("title", "body")
_OWN_FILTER = {"outlet": "outlet", "author": "author", "year": "date", "month": "date",
               "language": "language"}
FEW = 3  # a query finding fewer hits than this gets a "did you mean" when one finds more


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
    with_body: bool = False  # exports: each hit carries its cleaned body


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
    copies: list[str] = field(default_factory=list)  # ids of the story's other articles
    url: str | None = None  # a web archive record's or feed object's URL
    language: str | None = None
    body: str | None = None  # only when asked for (Request.with_body)

    def to_json(self, collapsed: bool = False) -> dict:
        data = {
            "id": self.id, "path": self.path, "title": self.title, "authors": self.authors,
            "outlet": self.outlet, "published": self.published, "dateline": self.dateline,
            "score": None if self.score is None else round(self.score, 4),
            "snippet": self.snippet.replace(MARK_START, "").replace(MARK_END, ""),
            "url": self.url, "language": self.language,
        }
        if self.body is not None:
            data["body"] = self.body
        if collapsed:
            data["also_in"] = self.also_in
            data["copies"] = self.copies
        return data


@dataclass
class Result:
    query: str
    total: int  # results: articles, or stories when collapsed
    page: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    seconds: float
    articles: int | None = None  # matching articles, when collapsed

    @property
    def collapsed(self) -> bool:
        return self.articles is not None

    def to_json(self) -> dict:
        data = {
            "query": self.query, "total": self.total, "page": self.page,
            "hits": [h.to_json(self.collapsed) for h in self.hits],
            "facets": {name: [{"value": v, "count": n} for v, n in items]
                       for name, items in self.facets.items()},
            "suggestion": self.suggestion,
            "seconds": round(self.seconds, 4),
        }
        if self.collapsed:
            data["articles"] = self.articles
        return data


class Search:
    """An open searcher with its per-index caches; reuse it for many queries.

    once: this process runs a single query (the CLI): a query of words over short posting
    lists is scored without importing numpy (search/quick.py)."""

    def __init__(self, ix, once: bool = False) -> None:
        self.ix = ix
        self.once = once
        # Index.schema reads and unpickles the table of contents on every access: once here.
        self.schema = ix.schema
        self.searcher = ix.searcher(weighting=BM25F())
        self.reader = self.searcher.reader()
        self.names = NameResolver(self.reader)
        self.columns = facetlib.Columns(self.reader)
        self._matcher = None
        self._date_ranks: dict[bool, tuple] = {}
        self._terms: tuple | None = None
        self._intervals: tuple | None = None
        self.snippets = Snippets(self.schema["body"].analyzer)

    def close(self) -> None:
        self.searcher.close()

    @property
    def matcher(self):
        """The array matcher (search/matching.py), made on first use."""
        if self._matcher is None:
            from search.matching import Matcher

            self._matcher = Matcher(self.searcher, dated=self.dated)
        return self._matcher

    def __enter__(self) -> Search:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- matching --------------------------------------------------------------------------

    def parse(self, text: str) -> wq.Query:
        return self.expand(parse(text, self.schema, self.names))

    def expand(self, q: wq.Query) -> wq.Query:
        """Fuzzy terms replaced by the index terms they reach, looked up once per segment with
        Whoosh's automaton (its FuzzyTerm walks a whole letter's terms on a multi-segment
        index, and again for matching, scoring and highlighting)."""
        if isinstance(q, wq.FuzzyTerm):
            words = set()
            for reader, _ in self.reader.leaf_readers():
                words.update(reader.terms_within(q.fieldname, q.text, q.maxdist,
                                                 prefix=q.prefixlength))
            if not words:
                return wq.NullQuery
            terms = [wq.Term(q.fieldname, w, boost=q.boost) for w in sorted(words)]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        if q.is_leaf():
            return q
        return q.apply(self.expand)

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

    def docs(self, q: wq.Query, filters: list[wq.Query]) -> np.ndarray:
        """The documents matching q and every filter (unscored), as a sorted array."""
        return self.narrow(self.docset(q), filters)

    def narrow(self, docs: np.ndarray, filters: list[wq.Query]) -> np.ndarray:
        """docs under every filter; dates are checked last, on what is left."""
        dates = [f for f in filters if _date_ranges(f)]
        for f in filters:
            if len(docs) and f not in dates:
                docs = docs[self.mask(f)[docs]]
        for f in dates:
            if len(docs):
                docs = self.dated(_date_ranges(f), docs)
        return docs

    def mask(self, q: wq.Query) -> np.ndarray:
        """Mask over all document numbers of those matching q (deleted ones excluded)."""
        from search.matching import Unsupported

        try:
            return self.matcher.evaluate(q, scored=False).mask & self.matcher.live()
        except Unsupported:
            found = np.zeros(self.matcher.size, bool)
            found[np.fromiter(self.searcher.docs_for_query(q), np.int64)] = True
            return found

    def match(self, q: wq.Query, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """(documents matching q as a sorted array, scores by document number or None when
        not scored or left to Whoosh)."""
        from search.matching import Unsupported

        try:
            m = self.matcher.evaluate(q, scored=scored)
        except Unsupported:
            return np.flatnonzero(self.mask(q)), None
        return np.flatnonzero(m.mask & self.matcher.live()), m.scores

    def docset(self, q: wq.Query) -> np.ndarray:
        """The documents matching q, as a sorted array of document numbers."""
        return self.match(q, scored=False)[0]

    def dated(self, ranges: list[wq.NumericRange], docs: np.ndarray | None) -> np.ndarray:
        """The documents (of docs, or all) whose published interval meets every range.

        Read from the `published` column's value codes, each distinct value judged once:
        cheaper than Whoosh's numeric range queries, which walk every document of the range's
        terms.
        """
        codes, starts, ends = self.intervals()
        ok = starts > 0  # undated articles never match
        for r in ranges:
            values = starts if r.fieldname == "date_start" else ends
            if r.start is not None:
                ok &= values > r.start if r.startexcl else values >= r.start
            if r.end is not None:
                ok &= values < r.end if r.endexcl else values <= r.end
        if docs is None:
            return np.flatnonzero(ok[codes] & self.matcher.live())
        return docs[ok[codes[docs]]]

    def intervals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(codes, starts, ends): the published column's value codes, and the first and last
        day (YYYYMMDD) each value stands for (0 when undated); computed once per searcher."""
        if self._intervals is None:
            codes, values = self.columns.codes("published")
            days = [date_interval(t) if (t := _text(v)) else (0, 0) for v in values] or [(0, 0)]
            bounds = np.array(days, np.int64)
            self._intervals = codes, bounds[:, 0].copy(), bounds[:, 1].copy()
        return self._intervals

    def everything(self) -> np.ndarray:
        return np.flatnonzero(self.matcher.live())

    # -- the whole search ------------------------------------------------------------------

    def run(self, req: Request) -> Result:
        started = time.perf_counter()
        q = self.parse(req.query)
        filters = self.filters(req)
        if self.once and not (filters or req.facets or req.collapse) and self.ranked(q, req):
            ranked = quick.search(self.searcher, q, req.page * req.limit)
            if ranked is not None:
                return self.quick_result(req, q, *ranked, started)
        base, scores = self.match(q, scored=self.ranked(q, req))
        matched = self.narrow(base, list(filters.values()))
        stories = self.stories(matched) if req.collapse else None
        start = (req.page - 1) * req.limit
        page = self.ordered(q, matched, req, start + req.limit, stories, scores)
        page = page[start:]
        hits = [self.hit(doc, score, q, req.snippets) for doc, score in page]
        total = len(matched)
        if stories is not None:
            for h in hits:
                self.add_copies(h, stories)
            total = stories.count
        counts = self.facet_counts(base, filters, matched, req)
        suggestion = self.suggest(req.query, q, len(matched)) if len(matched) < FEW else None
        return Result(req.query, total, req.page, hits, counts, suggestion,
                      time.perf_counter() - started,
                      articles=len(matched) if stories is not None else None)

    def quick_result(self, req: Request, q: wq.Query, total: int, found: dict[int, float],
                     started: float) -> Result:
        """run's result from search/quick.py's count and scores: the same page, total and
        suggestion."""
        want = req.page * req.limit
        page = self.tie_sorted(*quick.top(found, want))[:want][(req.page - 1) * req.limit:]
        hits = [self.hit(doc, score, q, req.snippets) for doc, score in page]
        suggestion = self.suggest(req.query, q, total) if total < FEW else None
        return Result(req.query, total, req.page, hits, {}, suggestion,
                      time.perf_counter() - started)

    @staticmethod
    def ranked(q: wq.Query, req: Request) -> bool:
        return req.sort == "relevance" and _ranks(q)

    def stream(self, req: Request) -> Iterator[Hit]:
        """Every matching article (or story) in order, read one at a time: for exports."""
        q = self.parse(req.query)
        filters = self.filters(req)
        base, scores = self.match(q, scored=self.ranked(q, req))
        matched = self.narrow(base, list(filters.values()))
        stories = self.stories(matched) if req.collapse else None
        for doc, score in self.ordered(q, matched, req, None, stories, scores):
            hit = self.hit(doc, score, None, snippet=False, body=req.with_body)
            if stories is not None:
                self.add_copies(hit, stories)
            yield hit

    def count(self, req: Request) -> int:
        q = self.parse(req.query)
        matched = self.docs(q, list(self.filters(req).values()))
        return self.stories(matched).count if req.collapse else len(matched)

    # -- order -----------------------------------------------------------------------------

    def ordered(self, q: wq.Query, matched: np.ndarray, req: Request, want: int | None,
                stories: Stories | None, scores: np.ndarray | None
                ) -> list[tuple[int, float | None]]:
        """The first `want` results (all when None) in the requested order, as (doc, score)."""
        if not len(matched):
            return []
        if self.ranked(q, req):
            if scores is None:  # a query kind search.matching leaves to Whoosh
                return self.whoosh_scored(q, matched, want, stories)
            return self.by_score(matched, scores[matched], want, stories)
        docs = self.by_date(matched, req.sort != "oldest", want, stories)
        return [(d, None) for d in docs]

    def by_score(self, docs: np.ndarray, scores: np.ndarray, want: int | None,
                 stories: Stories | None) -> list[tuple[int, float]]:
        """Scored documents, best first, ties by id; with stories, one per story.

        The best `want` are found with a partial sort; every document whose score rounds to
        the cut's is kept so that ties at the cut are ordered by id too. When collapsing
        consumes them, more are taken."""
        limit = want
        while True:
            if limit is None or limit >= len(docs):
                chosen = np.arange(len(docs))
            else:
                cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
                chosen = np.flatnonzero(scores >= cut - 1e-6)
            scored = self.tie_sorted(docs[chosen].tolist(), scores[chosen].tolist())
            if stories is not None:
                kept = set(stories.first_of_each(d for d, _ in scored))
                scored = [pair for pair in scored if pair[0] in kept]
            if want is None or len(scored) >= want or limit >= len(docs):
                return scored if want is None else scored[:want]
            limit *= 4

    def tie_sorted(self, docs: list[int], scores: list[float]) -> list[tuple[int, float]]:
        """(doc, score) best first; equal scores (to 6 decimals) by id."""
        keyed = [(-round(score, 6), doc, score) for doc, score in zip(docs, scores, strict=True)]
        return [(doc, score) for _, doc, score in self.by_id_in_ties(keyed)]

    def by_id_in_ties(self, keyed: list[tuple]) -> list[tuple]:
        """(key, doc, ...) tuples sorted by key, equal keys by the document's id. The id column
        is read only when there are ties (a cold search opens it only then)."""
        keyed.sort(key=lambda item: item[0])
        times = Counter(item[0] for item in keyed)
        tied = sum(n for n in times.values() if n > 1)
        if not tied:
            return keyed
        # Only the tied documents' ids are read: each segment's id column costs a read.
        ids = self.columns.getter("id", tied)
        keyed.sort(key=lambda item: (item[0], ids(item[1]) if times[item[0]] > 1 else ""))
        return keyed

    def whoosh_scored(self, q: wq.Query, matched: np.ndarray, want: int | None,
                      stories: Stories | None) -> list[tuple[int, float]]:
        """by_score for a query Whoosh scores itself."""
        allow = set(matched.tolist())
        limit = None if want is None else want + 20
        while True:
            results = self.searcher.search(q, filter=allow, limit=limit)
            scored = self.tie_sorted([h.docnum for h in results], [h.score for h in results])
            if stories is not None:
                kept = set(stories.first_of_each(d for d, _ in scored))
                scored = [pair for pair in scored if pair[0] in kept]
            if want is None or len(scored) >= want or limit is None or limit >= len(matched):
                return scored if want is None else scored[:want]
            limit *= 4

    def by_date(self, docs: np.ndarray, newest: bool, want: int | None = None,
                stories: Stories | None = None) -> list[int]:
        """Dated documents newest (or oldest) first, ties by id; undated ones last.

        Only the documents whose date can be among the first `want` are sorted in Python."""
        codes, rank = self.date_ranks(newest)
        keys = rank[codes[docs]]
        limit = want
        while True:
            if limit is None or limit >= len(docs):
                chosen = docs
            else:
                cut = np.partition(keys, limit - 1)[limit - 1]
                chosen = docs[keys <= cut]
            places = rank[codes[chosen]].tolist()
            ranked = [doc for _, doc in self.by_id_in_ties(list(zip(places, chosen.tolist(),
                                                                      strict=True)))]
            if stories is not None:
                ranked = list(stories.first_of_each(ranked))
            if want is None or len(ranked) >= want or limit >= len(docs):
                return ranked if want is None else ranked[:want]
            limit *= 4

    def date_ranks(self, newest: bool) -> tuple[np.ndarray, np.ndarray]:
        """(codes, rank): the published column's value codes and each code's place in date
        order (undated last), computed once per searcher."""
        if newest not in self._date_ranks:
            codes, values = self.columns.codes("published")
            texts = [_text(v) for v in values]
            order = sorted((i for i, t in enumerate(texts) if t), key=texts.__getitem__,
                           reverse=newest)
            rank = np.full(max(len(values), 1), len(values), np.int64)  # undated: last
            rank[order] = np.arange(len(order))
            self._date_ranks[newest] = codes, rank
        return self._date_ranks[newest]

    # -- facets ----------------------------------------------------------------------------

    def facet_counts(self, base: np.ndarray, filters: dict, matched: np.ndarray,
                     req: Request) -> dict:
        """Counts of each requested facet; base is what the query alone matches."""
        out = {}
        for facet in req.facets:
            limit = req.facet_limit
            if limit is None and facet not in facetlib.DATE_FACETS:
                limit = 10
            docs = self.facet_docs(base, filters, matched, facet)
            out[facet] = facetlib.top(self.columns, facet, docs, limit)
        return out

    def facet_docs(self, base: np.ndarray, filters: dict, matched: np.ndarray,
                   facet: str) -> np.ndarray:
        """The documents a facet counts: the query with every filter but the facet's own."""
        own = _OWN_FILTER.get(facet)
        if own in filters:
            return self.narrow(base, [f for k, f in filters.items() if k != own])
        return matched

    def facet_values(self, req: Request, facet: str, prefix: str = "",
                     limit: int | None = None) -> list[tuple[str, int]]:
        """Every value of one facet with its count over the articles matching the query and
        all the filters (`newsdex facets`); with prefix, values starting with it (any case, any
        accents) only."""
        docs = self.docs(self.parse(req.query), list(self.filters(req).values()))
        counts = facetlib.count(self.columns, facet, docs)
        if prefix:
            start = fold(prefix)
            counts = Counter({v: n for v, n in counts.items() if fold(v).startswith(start)})
        return facetlib.ordered(facet, counts, None)[:limit]

    # -- per hit ---------------------------------------------------------------------------

    def hit(self, docnum: int, score: float | None, q: wq.Query | None,
            snippet: bool = True, body: bool = False) -> Hit:
        """The page entry for one document; its snippet shows q's words (or, without q, the
        article's opening)."""
        stored = self.searcher.stored_fields(docnum)
        text = self.snippet(stored_body(stored), q, lang=stored.get("language")) \
            if snippet else ""
        return Hit(
            id=stored["id"], path=stored["path"], title=stored.get("title"),
            authors=[a for a in (stored.get("authors") or "").split(",") if a],
            outlet=stored.get("outlet"), published=stored.get("published"),
            dateline=stored.get("dateline"), score=score, snippet=text, docnum=docnum,
            url=stored.get("url"), language=stored.get("language"),
            body=stored_body(stored) if body else None,
        )

    def text_terms(self, q: wq.Query) -> set[str]:
        """_text_terms of q, remembered for the last query (every hit of a page asks)."""
        if self._terms is None or self._terms[0] is not q:
            self._terms = (q, _text_terms(q, self.reader))
        return self._terms[1]

    def snippet(self, body: str, q: wq.Query | None, chars: int = 220,
                lang: str | None = None) -> str:
        """The best passages of body around the query's words, matches between markers;
        without q (or a match), the article's opening."""
        terms = self.text_terms(q) if q is not None else set()
        if terms:
            passages = self.snippets.passages(body, terms, chars, lang)
            if passages:
                return passages
        text = " ".join(body.split())
        return text[:chars].rsplit(" ", 1)[0] + ("…" if len(text) > chars else "")

    # -- did you mean ----------------------------------------------------------------------

    def suggest(self, text: str, q: wq.Query, found: int) -> str | None:
        """The query with its unknown words respelled as words of the archive, when that
        finds more; None otherwise."""
        text = text.strip()
        edits = []
        for start, end, term in _plain_words(q):
            known = self.frequency(term)
            if known >= FEW:
                continue
            word = self.respell(text[start:end], term, known)
            if word:
                edits.append((start, end, word))
        if not edits:
            return None
        for start, end, word in sorted(edits, reverse=True):
            text = text[:start] + word + text[end:]
        try:
            corrected = self.parse(text)
        except Exception:  # a respelling that does not parse is no suggestion
            return None
        # Counting stops as soon as the respelling is known to find more.
        better = sum(1 for _ in islice(self.searcher.docs_for_query(corrected), found + 1))
        return text if better > found else None

    def frequency(self, term: str) -> int:
        return max(self.reader.doc_frequency(f, term) for f in TEXT_FIELDS)

    def respell(self, typed: str, term: str, known: int) -> str | None:
        """The archive's word closest to what the user typed, among index terms within two
        edits of the typed word or its stem, shown as the articles spell it (index terms are
        stems: "exercis" is shown as "exercises"). A word the archive has (`known` articles)
        is only replaced by one ten times as common."""
        typed_term = fold(typed)
        best: tuple | None = None
        for reader, _ in self.reader.leaf_readers():
            for text in {term, typed_term}:
                maxdist = 1 if len(text) <= 4 else 2
                for candidate in reader.terms_within("body", text, maxdist, prefix=1):
                    if candidate == term:
                        continue
                    key = (_distance(typed_term, candidate), -self.frequency(candidate),
                           candidate)
                    if best is None or key < best:
                        best = key
        if best is None or -best[1] < max(1, 10 * known):
            return None
        return self.surface(best[2], typed)

    def surface(self, term: str, typed: str) -> str:
        """How the articles write the words that index as `term`: the commonest form in the
        first article holding it, in the case the user typed."""
        doc = next(iter(self.searcher.docs_for_query(wq.Term("body", term))), None)
        if doc is None:
            return term
        body = stored_body(self.searcher.stored_fields(doc))
        forms: dict[str, int] = {}
        analyzer = self.schema["body"].analyzer
        for token in analyzer(body, chars=True, mode="query"):
            if token.text == term:
                form = body[token.startchar:token.endchar].lower()
                forms[form] = forms.get(form, 0) + 1
        if not forms:
            return term
        form = max(sorted(forms), key=lambda w: (forms[w], -abs(len(w) - len(typed))))
        return form[:1].upper() + form[1:] if typed[:1].isupper() else form

    # -- syndication -----------------------------------------------------------------------

    def stories(self, matched) -> Stories:
        """The stories among matched (a sorted array, or any collection of document numbers)."""
        from indexer import syndication

        docs = matched.tolist() if isinstance(matched, np.ndarray) else sorted(map(int, matched))
        signatures = self.columns.values("story", docs, len(docs))
        return Stories(syndication.groups(zip(docs, signatures, strict=True)), len(docs))

    def add_copies(self, hit: Hit, stories: Stories) -> None:
        others = stories.copies_of(hit.docnum)
        hit.copies = sorted(_text(self.columns.value("id", d)) for d in others)
        outlets = []
        for d in others:
            outlet = _text(self.columns.value("outlet", d))
            if outlet and outlet != hit.outlet and outlet not in outlets:
                outlets.append(outlet)
        hit.also_in = sorted(outlets)

    def similar(self, doc_id: str, limit: int = 10) -> list[Hit]:
        docnum = self.docnum(doc_id)
        body = stored_body(self.searcher.stored_fields(docnum))
        results = self.searcher.more_like(docnum, "body", text=body, top=limit, numterms=25)
        return [self.hit(h.docnum, h.score, None) for h in results]

    def docnum(self, doc_id: str) -> int:
        docnum = self.searcher.document_number(id=doc_id)
        if docnum is None:
            from indexer.errors import NewsdexError
            raise NewsdexError(f"no article with id {doc_id} in this index")
        return docnum


class Stories:
    """Which matching documents are copies of one story (groups of two or more)."""

    def __init__(self, groups: list[list[int]], articles: int) -> None:
        self.group_of = {doc: i for i, group in enumerate(groups) for doc in group}
        self.groups = groups
        self.count = articles - sum(len(g) - 1 for g in groups)

    def first_of_each(self, docs) -> Iterator[int]:
        """docs without the copies of a story already seen."""
        seen: set[int] = set()
        for doc in docs:
            group = self.group_of.get(doc)
            if group is None:
                yield doc
            elif group not in seen:
                seen.add(group)
                yield doc

    def copies_of(self, doc: int) -> list[int]:
        group = self.group_of.get(doc)
        return [] if group is None else [d for d in self.groups[group] if d != doc]


class Snippets:
    """Passages of an article around the index terms a query matched, matches between markers.

    Words are found with the body field's own tokenizer and term function (cached per word), so
    a snippet marks exactly the words the index matched, "drills" for drill, "Montréal" for
    montreal. A passage is the window of text holding the most distinct query terms, then the
    most matches; a second one is added from elsewhere in the article when there is one.
    """

    def __init__(self, analyzer) -> None:
        self.analyzer = analyzer
        items = getattr(analyzer, "items", [])
        fast = len(items) == 2 and hasattr(items[0], "expression") and hasattr(items[1], "term")
        self.expression = items[0].expression if fast else None
        self.term = items[1].term if fast else None
        self.cache: dict[str, str | None] = {}
        self._starts: tuple | None = None
        self.news = items[1] if fast else None
        # An article in another language was indexed with its own stemmer: its words are
        # matched with that one (language -> (term function, cache)).
        self.languages: dict[str, tuple] = {}

    def term_of(self, lang: str | None) -> tuple:
        """The term function and word cache for an article's words."""
        if not lang or lang not in SNOWBALL or not hasattr(self.news, "term_function"):
            return self.term, self.cache
        if lang not in self.languages:
            self.languages[lang] = (self.news.term_function(lang), {})
        return self.languages[lang]

    def matches(self, body: str, terms: set[str],
                lang: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, term) of every word of body that indexes as one of terms."""
        if self.expression is None:  # another analysis chain: let it tokenize
            return [(t.startchar, t.endchar, t.text) for t in
                    self.analyzer(body, chars=True, mode="query") if t.text in terms]
        (term_of, cache), found = self.term_of(lang), []
        for m in self.words(body, terms, every=term_of is not self.term):
            word = m.group()
            try:
                term = cache[word]
            except KeyError:
                term = term_of(word)
                if len(cache) < 200_000:
                    cache[word] = term
            if term in terms:
                found.append((m.start(), m.end(), term))
        return found

    def words(self, body: str, terms: set[str], every: bool) -> Iterator[re.Match]:
        """The words of body that can index as one of terms: with the English analysis
        (every=False) only those whose first letters fold to a term's; with another
        language's stemmer, every word."""
        if every:
            yield from self.expression.finditer(body)
            return
        token = self.expression.match
        for m in self.starts(terms).finditer(body):
            start = m.start()
            if start > 1 and body[start - 1] == "." and body[start - 2].isalnum():
                continue  # inside a word such as "U.S."
            word = token(body, start)
            if word is not None:
                yield word

    def starts(self, terms: set[str]) -> re.Pattern:
        """Where a word indexing as one of terms can begin: a word start whose first letters
        fold to the term's (stemming changes only the end of a word), so that only those
        words are tokenized and looked up."""
        key = frozenset(terms)
        if self._starts is None or self._starts[0] != key:
            heads = sorted({"".join(_letter_class(c) for c in (t[:2] if len(t) > 2 else t[:1]))
                            for t in terms if t})
            self._starts = key, re.compile(r"(?<!\w)(?:" + "|".join(heads) + ")", re.I)
        return self._starts[1]

    def passages(self, body: str, terms: set[str], chars: int, lang: str | None = None) -> str:
        spans = self.matches(body, terms, lang)[:500]
        if not spans:
            return ""
        half = chars // 2
        windows = [self._window(spans, i, half) for i in range(len(spans))]
        best = max(windows)
        others = [w for w in windows if w[1] >= best[2] or w[2] <= best[1]]
        if others:
            chosen = sorted([best, max(others)], key=lambda w: w[1])
        else:  # every match in one place: one passage of full length
            chosen = [self._window(spans, spans.index(best[3]), chars)]
        text = " ".join(_passage(body, lo, hi, spans) for _, lo, hi, _ in chosen)
        return text.replace("… …", "…")

    @staticmethod
    def _window(spans: list, i: int, width: int) -> tuple:
        """(score, start, end, first span) of the window of `width` chars led by match i."""
        lo = max(0, spans[i][0] - 40)
        hi = lo + width
        inside = [s for s in spans[i:] if s[1] <= hi]
        return (len({s[2] for s in inside}), len(inside), -lo), lo, hi, spans[i]


_FOLDS_TO: dict[str, str] = {}


def _letter_class(c: str) -> str:
    """A regex for every character that folds to c (c and its accented forms, either case)."""
    if not _FOLDS_TO:
        for code in range(0xC0, 0x250):
            ch = chr(code)
            base = fold(ch)
            if len(base) == 1 and base != ch.lower():
                _FOLDS_TO[base] = _FOLDS_TO.get(base, "") + ch
    extra = _FOLDS_TO.get(c, "")
    return f"[{re.escape(c)}{extra}]" if extra else re.escape(c)


def _passage(body: str, lo: int, hi: int, spans: list) -> str:
    """body[lo:hi] cut at word boundaries, matches marked, "…" where the text goes on."""
    inside = [s for s in spans if lo <= s[0] and s[1] <= hi]
    first = inside[0][0] if inside else hi
    last = inside[-1][1] if inside else lo
    if lo > 0 and not body[lo - 1].isspace():
        space = body.find(" ", lo, first)
        lo = space + 1 if space != -1 else lo
    hi = min(hi, len(body))
    if hi < len(body) and not body[hi].isspace():
        space = body.rfind(" ", last, hi)
        hi = space if space != -1 else hi
    out, at = [], lo
    for start, end, _ in inside:
        out += [body[at:start], MARK_START, body[start:end], MARK_END]
        at = end
    out.append(body[at:hi])
    text = " ".join("".join(out).split())
    lead = "… " if body[:lo].strip() else ""
    tail = " …" if body[hi:].strip() else ""
    return lead + text + tail


def _text_terms(q: wq.Query, reader) -> set[str]:
    """The index terms of q's title and body words that the index has, wildcards and fuzzy
    terms expanded. (Whoosh's Query.existing_terms skips fields after the first it meets.)"""
    found = set()
    leaves = [q] if q.is_leaf() else q.leaves()
    for leaf in leaves:
        if isinstance(leaf, wq.Not) or getattr(leaf, "fieldname", None) not in TEXT_FIELDS:
            continue
        try:
            terms = leaf.expanded_terms(reader, phrases=True)
        except Exception:  # a query kind that cannot list its terms: no highlight from it
            continue
        for field_name, text in terms:
            if field_name in TEXT_FIELDS and (field_name, text) in reader:
                found.add(_text(text))
    return found


def _date_ranges(q: wq.Query) -> list[wq.NumericRange]:
    """The date ranges q consists of (a --since/--until filter), or [] if it is something else."""
    if _is_date_range(q):
        return [q]
    if isinstance(q, wq.And) and all(_is_date_range(sub) for sub in q.subqueries):
        return list(q.subqueries)
    return []


def _is_date_range(q: wq.Query) -> bool:
    return isinstance(q, wq.NumericRange) and q.fieldname in ("date_start", "date_end")


def _ranks(q: wq.Query) -> bool:
    """Whether q has words to rank by; a query of only names and dates lists newest first."""
    return any(getattr(leaf, "fieldname", None) in TEXT_FIELDS for leaf in q.leaves()) or (
        q.is_leaf() and getattr(q, "fieldname", None) in TEXT_FIELDS)


def _plain_words(q: wq.Query) -> list[tuple[int, int, str]]:
    """(start, end, term) of each plain word the user typed for title/body, not negated."""
    found: dict[tuple[int, int], str] = {}

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if type(node) is wq.Term and node.fieldname in TEXT_FIELDS:
            start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
            if start is not None and end is not None:
                found[(start, end)] = _text(node.text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return [(start, end, term) for (start, end), term in sorted(found.items())]


def _distance(a: str, b: str) -> int:
    from whoosh.support.levenshtein import distance

    return distance(a, b)


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")
