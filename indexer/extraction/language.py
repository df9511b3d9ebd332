"""An article's language: the one its markup or feed gives, else detected from its text.

Detection is py3langid's (langid.py's model, 97 languages, 4.5 MB shipped inside the wheel, no
download at run time; lingua's wheel, the other candidate, is 96 MB). Loading the model takes
about 1.7 s and ~100 MB, so it is loaded only for an article that is not plainly English:
English text is recognised first by its function words (in the 2,225 BBC articles of
../shared/corpus, at least 8% of the first 300 words are among `_ENGLISH`; German, French and
Spanish text has none of them), which keeps indexing English archives as fast as before. Codes
are ISO 639-1 ("de"); a text too short to judge gets none.
"""

from __future__ import annotations

import re

from indexer.article import Article

# Common English words that are not words of the other languages newsdex stems (no "was",
# "will", "die", "in", "is", "he", "as": German, Dutch or Spanish have them too).
_ENGLISH = frozenset((
    "the", "and", "of", "to", "that", "for", "it", "with", "by", "his", "said", "from", "are",
    "have", "has", "this", "were", "which", "but", "not", "they", "its", "would", "been", "their",
    "who"))
ENGLISH_SHARE = 0.06
MIN_LETTERS = 40  # shorter texts are not judged
_WORD = re.compile(r"\w+")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][\w-]*)?", re.I)
_identifier = None


def of(article: Article) -> str | None:
    """The article's language code: as given (normalised), else detected."""
    given = code(article.language)
    if given:
        return given
    return detect(f"{article.title or ''}\n{article.body[:3000]}")


def code(value: str | None) -> str | None:
    """"de-DE", "DE", "de_AT" -> "de"; None for nothing usable."""
    if not value:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:$|[-_\s])", value)
    return m.group(1).lower() if m else None


def from_markup(html: str) -> str | None:
    """The language an HTML page declares on its <html> element."""
    m = _HTML_LANG.search(html[:20000])
    return code(m.group(1)) if m else None


def detect(text: str) -> str | None:
    words = _WORD.findall(text[:5000].lower())
    if sum(len(w) for w in words) < MIN_LETTERS:
        return None
    sample = words[:300]
    if sum(w in _ENGLISH for w in sample) >= ENGLISH_SHARE * len(sample):
        return "en"
    lang, _score = _model().classify(" ".join(words[:1000]))
    return lang


def _model():
    global _identifier
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    return _identifier
