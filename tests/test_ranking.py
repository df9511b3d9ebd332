"""Ranking is Whoosh's BM25F: newsdex's array postings and numpy scorer against stock Whoosh.

The documents of the test archive are copied into a second index written the stock way (Whoosh's
own codec and Positions format); each query of a fixed set runs there through Whoosh's searcher
with BM25F, and through newsdex's Search on its own index. The first ten results must be the same
articles in the same order, with scores equal to 1e-6.
"""

from __future__ import annotations

import pytest
from whoosh import fields, index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions
from whoosh.scoring import BM25F

from indexer.analysis import news_analyzer
from indexer.schema import build_schema, date_interval
from indexer.store import open_index
from search.query import NameResolver, parse
from search.searcher import Request, Search
from tests.archive import Indexed, indexed

QUERIES = [
    # single words, title and body
    "drills", "sanctions", "ferry", "wildfire", "quota", "strike", "officials", "said",
    # AND, OR, NOT
    "ferry fares", "naval exercises warships", "drills OR ferry", "rent OR quota OR strike",
    "said NOT drills", "officials -sanctions", "(ferry OR rail) AND strike",
    # phrases
    '"joint exercises"', '"naval drills"', '"return ticket"', '"the wildfire spread"',
    '"joint exercises" OR ferry',
    # fields
    "title:drills", "body:sanctions title:lawmakers", "outlet:tidewire ferry",
    "author:hannah drills",
    # dates
    "drills date:2015..2020", "rent date:2012", "quota date:>2018",
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Indexed, str]:
    """The archive's newsdex index, and a stock Whoosh index of the same documents."""
    arc = indexed(tmp_path_factory)
    stock = tmp_path_factory.mktemp("stock")
    schema = build_schema()
    for name, boost in (("title", 2.0), ("body", 1.0)):
        schema.remove(name)
        schema.add(name, fields.TEXT(analyzer=news_analyzer(), stored=name == "title",
                                     field_boost=boost))
        assert type(schema[name].format) is Positions
    ix = index.create_in(str(stock), schema)
    source = open_index(str(arc.index))
    with source.searcher() as s, ix.writer(codec=W3Codec()) as w:
        for docnum in range(s.doc_count_all()):
            if s.reader().is_deleted(docnum):
                continue
            stored = s.stored_fields(docnum)
            doc = {k: v for k, v in stored.items()
                   if k in ("id", "path", "title", "authors", "outlet", "dateline", "published")}
            doc["body"] = stored.get("content") or ""
            if stored.get("published"):
                doc["date_start"], doc["date_end"] = date_interval(stored["published"])
            w.add_document(**doc)
    return arc, str(stock)


def _stock_top(folder: str, text: str) -> list[tuple[str, float]]:
    ix = index.open_dir(folder)
    with ix.searcher(weighting=BM25F()) as s:
        q = parse(text, ix.schema, NameResolver(s.reader()))
        results = s.search(q, limit=None)
        pairs = [(s.stored_fields(h.docnum)["id"], h.score) for h in results]
    pairs.sort(key=lambda p: (-round(p[1], 6), p[0]))  # newsdex's tie rule: equal scores by id
    return pairs[:10]


@pytest.mark.parametrize("text", QUERIES)
def test_same_top_ten_and_scores_as_stock_whoosh(pair, text):
    arc, stock = pair
    expected = _stock_top(stock, text)
    with Search(open_index(str(arc.index))) as s:
        result = s.run(Request(query=text, limit=10, snippets=False))
    got = [(h.id, h.score) for h in result.hits]
    assert [i for i, _ in got] == [i for i, _ in expected]
    for (_, mine), (_, theirs) in zip(got, expected, strict=True):
        assert mine == pytest.approx(theirs, abs=1e-6)
    if text in ("drills", '"joint exercises"', "ferry fares", "drills date:2015..2020"):
        assert len(expected) == 10  # the set is not vacuous


def test_scores_come_from_the_array_scorer(pair):
    """The fast path really ran (no silent fallback to Whoosh's matchers), and matching without
    scores finds the same documents as with them."""
    arc, _ = pair
    with Search(open_index(str(arc.index))) as s:
        for text in QUERIES:
            q = s.parse(text)
            docs, scores = s.match(q, scored=True)
            assert scores is not None, text
            assert s.docset(q).tolist() == docs.tolist()
            assert set(docs.tolist()) == set(s.searcher.docs_for_query(q)), text
