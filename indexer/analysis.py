"""The analysis chain: how text becomes index terms, at index time and at query time alike.

Whoosh's StemmingAnalyzer runs four generator stages per token (tokenize, lowercase, stop, stem)
with a pure-Python Porter stemmer. `NewsFilter` does lowercase, accent folding, stop words and
stemming in one stage, with a compiled stemmer (PyStemmer's "porter", the same algorithm) and a
cache keyed by the raw token, so a word seen before costs one dict lookup. Accent folding makes
"Montreal" find "Montréal". tests/test_analysis.py pins that it matches what StemmingAnalyzer
matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import Stemmer
from whoosh.analysis import STOP_WORDS, Filter, RegexTokenizer, Token

_CACHE_LIMIT = 200_000


def fold(text: str) -> str:
    """Lowercase and strip accents: "Montréal" -> "montreal"."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class NewsFilter(Filter):
    """Lowercase + accent fold + stop words + stem, in one pass with a cache."""

    is_morph = True

    def __init__(self, stoplist=STOP_WORDS, minsize: int = 2, stem: bool = True) -> None:
        self.stops = frozenset(stoplist)
        self.minsize = minsize
        self.stem = stem
        self._cache: dict[str, str | None] = {}
        self._stemmer = Stemmer.Stemmer("porter") if stem else None

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.stops == other.stops
            and self.minsize == other.minsize
            and self.stem == other.stem
        )

    def __getstate__(self) -> dict:
        # The compiled stemmer does not pickle; schemas are pickled into the index's TOC.
        return {"stops": self.stops, "minsize": self.minsize, "stem": self.stem}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["stops"], state["minsize"], state["stem"])

    def term(self, word: str) -> str | None:
        """The index term for one token, or None for a stop word."""
        text = fold(word)
        if len(text) < self.minsize or text in self.stops:
            return None
        return self._stemmer.stemWord(text) if self._stemmer else text

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = self._cache
        term = self.term
        pos = None
        for t in tokens:
            raw = t.text
            try:
                out = cache[raw]
            except KeyError:
                out = term(raw)
                if len(cache) < _CACHE_LIMIT:
                    cache[raw] = out
            if out is None:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            # Renumber positions over the stop words, as Whoosh's StopFilter does, so a phrase
            # query "joint exercises" matches whatever stop words the text had in between.
            if t.positions:
                if pos is None:
                    pos = t.pos
                else:
                    pos += 1
                    t.pos = pos
            t.stopped = False
            t.text = out
            yield t


def news_analyzer():
    """Analyzer for title and body: words, folded, stop words out, stemmed."""
    return RegexTokenizer() | NewsFilter()


def name_analyzer():
    """Analyzer for names (authors, outlets, datelines): folded words, no stemming, no stops."""
    return RegexTokenizer() | NewsFilter(stoplist=(), minsize=1, stem=False)
