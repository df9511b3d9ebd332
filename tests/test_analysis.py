"""The analysis chain: newsdex's fast path matches at least what Whoosh's StemmingAnalyzer does."""

from __future__ import annotations

import random

import pytest
from whoosh import fields
from whoosh.analysis import StemmingAnalyzer
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Positions
from whoosh.qparser import QueryParser

from indexer.analysis import fold, news_analyzer
from indexer.schema import build_schema
from tests.conftest import SEEDS

# Words chosen for the stemmer's hard cases: -ed/-ing/-s, doubled consonants, -ation, -ies, -y.
_VOCAB_TEXT = (
    "add added adding adds accelerate accelerated accelerating acceleration admit admitted "
    "admitting running ran runs runner company companies drill drills drilled drilling exercise "
    "exercises exercised exercising sanction sanctions sanctioned military militaries militia "
    "agreed agreement agree agreeing generous generously general generally happy happiness "
    "relate related relation relational relativity university universal universe probe probed "
    "probing vote voted votes voters election elections elected elect electoral rate rated "
    "rating ratings nation national nationally nationalism cost costs costly costing fly flies "
    "flying flew analysis analyses analyst analysts analyze analyzed policy policies political "
    "politics politician U.S. co-operation e-mail 2022 1990s Putin's Kremlin's BBC NATO"
)
VOCAB = _VOCAB_TEXT.split()
QUERIES = [
    "drill", "drills", "drilling", "added", "add", "adding", "accelerated", "acceleration",
    "admitted", "running", "companies", "company", "exercise", "exercises", "sanction",
    "sanctioned", "military", "agreed", "generously", "relational", "university", "probing",
    "voters", "electoral", "ratings", "nationalism", "costly", "flies", "analyses", "analyst",
    "policies", "politician", "2022", "1990s", "NATO", "Putin's", "Kremlin", "co-operation",
    "U.S.", '"joint exercises"', '"military exercises"', '"naval drills"', "drill AND vote",
    "sanction* OR drill*", "elect*", "Lukashenko", "Minsk",
]


def _corpus() -> list[str]:
    rng = random.Random(7)
    docs = [p.read_text(encoding="utf-8") for p in SEEDS.iterdir()]
    for _ in range(120):
        words = [rng.choice(VOCAB) for _ in range(rng.randint(20, 80))]
        docs.append(" ".join(words) + ". The joint exercises and naval drills were held.")
    return docs


def _index(analyzer_field):
    schema = fields.Schema(n=fields.ID(stored=True), body=analyzer_field)
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for n, text in enumerate(_corpus()):
            w.add_document(n=str(n), body=text)
    return ix


def _hits(ix, text: str) -> set[str]:
    q = QueryParser("body", ix.schema).parse(text)
    with ix.searcher() as s:
        return {s.stored_fields(d)["n"] for d in s.docs_for_query(q)}


@pytest.fixture(scope="module")
def indexes():
    ours = build_schema()["body"]
    theirs = fields.TEXT(analyzer=StemmingAnalyzer(), phrase=True)
    return _index(ours), _index(theirs)


@pytest.mark.parametrize("text", QUERIES)
def test_same_documents_as_stemming_analyzer(indexes, text):
    ours, theirs = indexes
    expected = _hits(theirs, text)
    assert _hits(ours, text) == expected
    if text in ("drill", "exercises", "added", "Lukashenko"):
        assert expected  # the query set is not vacuous


def test_fast_path_writes_the_same_postings_as_the_token_chain():
    field = build_schema()["body"]
    fmt = field.format
    for text in _corpus()[:20]:
        fast = sorted((w, f, wt, fmt.decode_positions(v)) for w, f, wt, v in field.index(text))
        # Whoosh's own Positions format over the token chain: the same terms, frequencies,
        # weights and positions (only the value's byte encoding differs: arrays, not pickles).
        slow = sorted((w.encode(), f, wt, Positions().decode_positions(v)) for w, f, wt, v in
                      Positions().word_values(text, news_analyzer(), mode="index"))
        assert fast == slow
        assert all(fmt.decode_frequency(v) == f for _, f, _, v in field.index(text))


def test_accents_fold_on_both_sides():
    assert fold("Montréal Zürich ÉLYSÉE") == "montreal zurich elysee"
    analyzer = news_analyzer()
    assert [t.text for t in analyzer("Montréal")] == [t.text for t in analyzer("Montreal")]


def test_stop_words_do_not_break_phrases():
    analyzer = news_analyzer()
    tokens = [(t.text, t.pos) for t in analyzer("joint military and naval exercises",
                                                 positions=True)]
    assert tokens == [("joint", 0), ("militari", 1), ("naval", 2), ("exercis", 3)]
