"""The analysis chain: how text becomes index terms, at index time and at query time alike.

Whoosh's StemmingAnalyzer runs four generator stages per token (tokenize, lowercase, stop, stem).
`NewsFilter` does lowercase, accent folding, stop words and stemming in one stage, with a cache
keyed by the raw token, so a word seen before costs one dict lookup; for indexing,
`FastPositions` skips the token objects altogether. The stemmer is Whoosh's own Porter
implementation: a compiled Snowball "porter" was measured too, and its stems differ from
Whoosh's on about 3% of news words (Whoosh conflates "add" and "added", Snowball does not), which
would lose recall against StemmingAnalyzer; behind the cache, stemming costs nothing that
matters. Accent folding makes "Montreal" find "Montréal". tests/test_analysis.py pins that every
query matches at least what StemmingAnalyzer matches.

Articles in other languages are stemmed by their language's Snowball stemmer (PyStemmer, in C:
0.2 us a word against 10-20 us for Whoosh's pure-Python snowball): the writer sets the language
around each document (`stemming`), and NewsFilter keeps one term cache per language. Queries
are analysed as English here; search/query.py adds each word's stem in the index's other
languages.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.analysis import STOP_WORDS, Filter, RegexTokenizer, Token
from whoosh.analysis.tokenizers import default_pattern
from whoosh.formats import Positions
from whoosh.lang.porter import stem as porter_stem

_CACHE_LIMIT = 200_000

# Snowball stemmers (PyStemmer) by ISO 639-1 code; English keeps the index's own Porter stemmer.
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


def fold(text: str) -> str:
    """Lowercase and strip accents: "Montréal" -> "montreal"."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _TermCache(dict):
    """raw token -> index term (None for a stop word), computed on first sight."""

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> str | None:
        out = self.compute(word)
        if len(self) < _CACHE_LIMIT:
            self[word] = out
        return out


def snowball(lang: str | None):
    """The Snowball stem function of a language (PyStemmer, in C), or None: English keeps the
    Porter stemmer, and a language without a stemmer is indexed unstemmed by it."""
    name = SNOWBALL.get(lang or "")
    if name is None:
        return None
    import Stemmer

    return Stemmer.Stemmer(name).stemWord


# The language whose Snowball stemmer indexes the document being added (None: English, with the
# Porter stemmer as always). Set by the writer around each document (`stemming`); one writer per
# process, so a module-level value is enough.
_language: list[str | None] = [None]


@contextmanager
def stemming(lang: str | None):
    """Index what is added inside with the stemmer of lang (Porter for English or unknown)."""
    before = _language[0]
    _language[0] = lang if lang in SNOWBALL else None
    try:
        yield
    finally:
        _language[0] = before


class NewsFilter(Filter):
    """Lowercase + accent fold + stop words + stem, in one pass with a cache (one per language:
    see `stemming`)."""

    is_morph = True

    def __init__(self, stoplist=STOP_WORDS, minsize: int = 2, stem: bool = True) -> None:
        self.stops = frozenset(stoplist)
        self.minsize = minsize
        self.stem = stem
        self._cache = _TermCache(self.term)
        self._caches: dict[str | None, _TermCache] = {None: self._cache}

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.stops == other.stops
            and self.minsize == other.minsize
            and self.stem == other.stem
        )

    def __getstate__(self) -> dict:
        # Schemas are pickled into the index's TOC: leave the cache out.
        return {"stops": self.stops, "minsize": self.minsize, "stem": self.stem}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["stops"], state["minsize"], state["stem"])

    def term(self, word: str) -> str | None:
        """The index term for one token, or None for a stop word."""
        text = fold(word)
        if len(text) < self.minsize or text in self.stops:
            return None
        return porter_stem(text) if self.stem else text

    def cache(self) -> _TermCache:
        """The term cache of the language being indexed."""
        lang = _language[0]
        found = self._caches.get(lang)
        if found is None:
            found = self._caches[lang] = _TermCache(self.term_function(lang))
        return found

    def term_function(self, lang: str | None):
        """The term function for a language's words: fold, stop words, its Snowball stem."""
        stem = snowball(lang) if self.stem else None
        if stem is None:
            return self.term

        def term(word: str) -> str | None:
            text = fold(word)
            if len(text) < self.minsize or text in self.stops:
                return None
            return stem(text)

        return term

    def positions(self, text: str, pattern: re.Pattern[str]) -> dict[str, list[int]]:
        """term -> positions for a whole text: what the token chain yields, without Tokens."""
        cache = self.cache()
        found: dict[str, list[int]] = defaultdict(list)
        pos = 0
        for word in pattern.findall(text):
            out = cache[word]
            if out is not None:
                found[out].append(pos)
                pos += 1
        return found

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = self.cache()
        pos = None
        for t in tokens:
            out = cache[t.text]
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


# The tokenizer's pattern as a non-capturing expression, so findall returns whole words.
_WORDS = re.compile(default_pattern.pattern.replace("(", "(?:"), re.UNICODE)


def news_analyzer():
    """Analyzer for title and body: words, folded, stop words out, stemmed."""
    return RegexTokenizer() | NewsFilter()


class FastPositions(Positions):
    """Whoosh's Positions format with positions stored as arrays, and indexing fused into one
    pass over the text.

    A posting's value is its positions as native unsigned 32-bit integers (Whoosh's Positions
    pickles a list per posting): newsdex's codec (indexer/codec.py) joins a block's values and
    reads them with one numpy call. For the news analyzer, word_values skips Token objects and
    generator stages: it runs the tokenizer's regex and NewsFilter's cached term function
    directly. Terms, frequencies, weights and positions are those the token chain gives
    (tests/test_analysis.py checks).
    """

    array_positions = True  # indexer.codec stores these values as position arrays
    _single: dict[int, bytes] = {}  # encoded [p] for a term at one position p

    def encode(self, poslist):
        if len(poslist) == 1:  # most terms occur once in an article
            pos = poslist[0]
            try:
                return self._single[pos]
            except KeyError:
                value = self._single[pos] = array("I", poslist).tobytes()
                return value
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = array("I")
        positions.frombytes(valuestring)
        return positions.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def word_values(self, value, analyzer, **kwargs):
        news = _news_filter(analyzer)
        if news is None or not isinstance(value, str) or kwargs.get("mode") == "query":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for word, poslist in news.positions(value, _WORDS).items():
            yield word, len(poslist), len(poslist) * boost, encode(poslist)

    def postings(self, value, analyzer) -> list[tuple[bytes, int, float, bytes]] | None:
        """What FieldType.index yields for value, as one list (term bytes, freq, weight,
        positions): the writer's fast path (indexer/pool.py). None when value is not plain
        text for the news analyzer."""
        news = _news_filter(analyzer)
        if news is None or not isinstance(value, str):
            return None
        boost = self.field_boost
        encode = self.encode
        return [(word.encode("utf-8"), len(p), len(p) * boost, encode(p))
                for word, p in news.positions(value, _WORDS).items()]


def _news_filter(analyzer) -> NewsFilter | None:
    items = getattr(analyzer, "items", None)
    if (items and len(items) == 2 and isinstance(items[1], NewsFilter)
            and isinstance(items[0], RegexTokenizer)
            and items[0].expression.pattern == default_pattern.pattern and not items[0].gaps):
        return items[1]
    return None
