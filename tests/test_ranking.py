"""Ranking is Whoosh's BM25F: newsdex's array postings and numpy scorer against stock Whoosh.

The documents of the test archive are copied into a second index written the stock way (Whoosh's
own codec and Positions format); each query of a fixed set runs there through Whoosh's searcher
with BM25F, and through newsdex's Search on its own index. The first ten results must be the same
articles in the same order, with scores equal to 1e-6.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

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


def test_one_search_without_numpy_ranks_as_the_array_scorer(pair):
    """A CLI search (Search(once=True)) scores queries of words in plain Python
    (search/quick.py): the same page, scores to the bit, total and suggestion as the numpy
    path, and it really ran for every query made only of words."""
    from search import quick

    arc, _ = pair
    # words, fields, AND and OR: no phrase, NOT or date
    words = [t for t in QUERIES + ["drils"]
             if not any(c in t for c in ('"', "-", "NOT", "date:"))]
    assert len(words) >= 16
    ix = open_index(str(arc.index))
    with Search(ix) as arrays, Search(ix, once=True) as once:
        for text in QUERIES + ["drils"]:
            for page in (1, 2):
                req = Request(query=text, limit=5, page=page, snippets=False)
                mine, theirs = once.run(req), arrays.run(req)
                assert [(h.id, h.score) for h in mine.hits] == \
                    [(h.id, h.score) for h in theirs.hits], (text, page)
                assert (mine.total, mine.suggestion) == (theirs.total, theirs.suggestion), text
            taken = quick.search(once.searcher, once.parse(text), 10) is not None
            assert taken == (text in words), text


def test_one_search_without_numpy_leaves_out_deleted_versions(tmp_path, monkeypatch):
    """An edited article's old version is deleted, not gone from its segment: the plain-Python
    path must not count it; and a query over long posting lists is left to numpy."""
    from indexer.writer import index_paths
    from search import quick

    folder = tmp_path / "news"
    folder.mkdir()

    def write(n: int, extra: str = "") -> None:
        (folder / f"pilots-{n}.txt").write_text(
            f"Harbour pilots vote on day {n}\n\n" + " ".join(
                f"The harbour pilots of the port met for the {k}th time on day {n} and spoke "
                f"about tides, tugs and the new quay.{extra}" for k in range(6)) + "\n",
            encoding="utf-8")

    for n in range(6):
        write(n)
    index_paths([str(folder)], str(tmp_path / "index"))
    write(0, " Then they went home.")
    index_paths([str(folder)], str(tmp_path / "index"))
    ix = open_index(str(tmp_path / "index"))
    with Search(ix) as arrays, Search(ix, once=True) as once:
        assert once.reader.has_deletions()
        req = Request(query="harbour pilots", snippets=False)
        mine, theirs = once.run(req), arrays.run(req)
        assert mine.total == theirs.total == 6
        assert [(h.id, h.score) for h in mine.hits] == [(h.id, h.score) for h in theirs.hits]
        assert quick.search(once.searcher, once.parse("harbour pilots"), 10) is not None
        monkeypatch.setattr(quick, "MAX_POSTINGS", 5)
        assert quick.search(once.searcher, once.parse("harbour pilots"), 10) is None
        assert once.run(req).total == 6


BBC = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc_news.jsonl.gz"


@pytest.fixture(scope="module")
def bbc(tmp_path_factory) -> str:
    """An index of the 2,225 BBC articles of ../shared/corpus (real text: common words fill
    several blocks of postings), written in three runs (several segments), then with 15 articles
    edited and 10 deleted (deleted documents left in the segments)."""
    from indexer.writer import index_paths

    if not BBC.is_file():
        pytest.skip(f"needs {BBC} (the shared BBC corpus)")
    with gzip.open(BBC, "rt", encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    root = tmp_path_factory.mktemp("bbc")
    folder, index_dir = root / "news", str(root / "index")
    paths = []
    for n, article in enumerate(articles):
        path = folder / f"round{n * 3 // len(articles)}" / f"{article['id']}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{article['title']}\n\n{article['body']}\n", encoding="utf-8")
        paths.append(path)
    for k in range(3):
        index_paths([str(folder / f"round{r}") for r in range(k + 1)], index_dir)
    for path in paths[::150]:
        path.write_text(path.read_text(encoding="utf-8") + "\nThe government said more.\n",
                        encoding="utf-8")
    for path in paths[7::220]:
        path.unlink()
    index_paths([str(folder / f"round{r}") for r in range(3)], index_dir)
    return index_dir


def test_one_search_skips_blocks_and_ranks_the_same(bbc):
    """A word (title OR body) or an OR of words is ranked by search/quick.py without scoring
    the blocks of postings that cannot reach the page: on real articles, over three segments
    with deleted documents, the same pages, scores to the bit, totals and suggestions as the
    numpy path, and for common words most matches were never scored."""
    from search import quick

    ix = open_index(bbc)
    assert len(ix.reader().leaf_readers()) >= 3
    skipped = 0
    with Search(ix) as arrays, Search(ix, once=True) as once:
        assert once.reader.has_deletions()
        for text in ("said", "government", "people", "film", "economy", "england", "mobile",
                     "body:said", "title:england", "film^2 OR music", "oil OR gas OR fuel",
                     "body:government OR title:economy^3", "tsunami", "ipod", "iraq"):
            q = once.parse(text)
            for page in (1, 2, 3):
                req = Request(query=text, limit=10, page=page, snippets=False)
                mine, theirs = once.run(req), arrays.run(req)
                assert [(h.id, h.score) for h in mine.hits] == \
                    [(h.id, h.score) for h in theirs.hits], (text, page)
                assert (mine.total, mine.suggestion) == (theirs.total, theirs.suggestion), text
                total, found = quick.search(once.searcher, q, page * 10)
                assert total == theirs.total, text
                if page == 1:
                    skipped += len(found) < total / 2
    assert skipped >= 4
