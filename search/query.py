"""The query language: Whoosh's syntax, checked first, plus dates and name fields.

    words (AND'ed)  "exact phrase"  OR  NOT  -word  ( ... )  sanction*  Lukashenk~
    title:  body:  author:  outlet:  dateline:
    date:2022  date:2022-12  date:2022-12-01..2023-01-31  date:>2022-06  date:<=2023

author:, outlet: and dateline: values are matched against the index's own list of names, case-
and accent-insensitively: a value equal to a name picks that name, otherwise every name holding
all the value's words does (author:"ann simmons" finds "Ann M. Simmons"). A date matches an
article whose published value lies wholly inside it: date:2022-12 matches "2022-12-19" and
"2022-12", not "2022" (that article could be from any month).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    PlusMinusPlugin,
    syntax,
)
from whoosh.qparser.plugins import TaggingPlugin

from indexer.analysis import SNOWBALL, fold
from indexer.errors import QueryError

TEXT_FIELDS = ("title", "body")
NAME_FIELDS = {"author": "authors", "outlet": "outlet", "dateline": "dateline"}
KNOWN_FIELDS = {"title", "body", "author", "authors", "outlet", "dateline", "date", "lang",
                "language"}
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_NOTHING = wq.NullQuery


# --- dates -----------------------------------------------------------------------------------

def parse_date(text: str, end: bool = False) -> int:
    """YYYY[-MM[-DD]] -> YYYYMMDD: the first day it covers, or with end=True the last."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not m:
        raise QueryError(f"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        raise QueryError(f"'{text}' has no month {month}")
    if day is not None and not 1 <= int(day) <= 31:
        raise QueryError(f"'{text}' has no day {day}")
    if month is None:
        return year * 10000 + (1231 if end else 101)
    if day is None:
        return year * 10000 + int(month) * 100 + (31 if end else 1)
    return year * 10000 + int(month) * 100 + int(day)


def date_range(start: str | None, end: str | None) -> wq.Query:
    """Articles whose published interval lies inside [start, end] (either may be open)."""
    parts: list[wq.Query] = []
    if start:
        parts.append(wq.NumericRange("date_start", parse_date(start), None))
    if end:
        parts.append(wq.NumericRange("date_end", None, parse_date(end, end=True)))
    if not parts:
        return wq.Every()
    return parts[0] if len(parts) == 1 else wq.And(parts)


def date_expression(expr: str) -> wq.Query:
    """The query for what follows "date:": 2022, 2022-12..2023-01, >2022-06, <=2023, 2022..."""
    m = re.fullmatch(rf"(>=|<=|>|<)({_DATE})", expr)
    if m:
        op, value = m.groups()
        if op == ">=":
            return date_range(value, None)
        if op == "<=":
            return date_range(None, value)
        bound = parse_date(value, end=(op == ">"))
        if op == ">":
            return wq.NumericRange("date_start", bound, None, startexcl=True)
        return wq.NumericRange("date_end", None, bound, endexcl=True)
    m = re.fullmatch(rf"({_DATE})?\.\.({_DATE})?", expr)
    if m and (m.group(1) or m.group(2)):
        return date_range(m.group(1), m.group(2))
    if re.fullmatch(_DATE, expr):
        return date_range(expr, expr)
    raise QueryError(f"'date:{expr}' is not a date or range: use date:2022, date:2022-12, "
                     f"date:2022-12-01..2023-01-31, date:>2022-06 or date:<=2023")


class _DatePlugin(TaggingPlugin):
    expr = r"date:(?P<text>[<>]=?\S+|\S*\.\.\S*|\S+)"
    priority = -10  # before field names are tagged

    class DateNode(syntax.SyntaxNode):
        def __init__(self, text: str) -> None:
            self.text = text

        def r(self) -> str:
            return f"date:{self.text}"

        def query(self, parser) -> wq.Query:
            return date_expression(self.text)

    nodetype = DateNode


# --- syntax check ----------------------------------------------------------------------------

def check_syntax(text: str) -> None:
    """Raise QueryError naming the first problem and its column (1-based)."""
    depth_stack: list[int] = []
    in_quote: int | None = None
    for i, c in enumerate(text):
        if c == '"':
            in_quote = None if in_quote is not None else i
        elif in_quote is None and c == "(":
            depth_stack.append(i)
        elif in_quote is None and c == ")":
            if not depth_stack:
                raise QueryError(f"unmatched ')' at column {i + 1}")
            depth_stack.pop()
    if in_quote is not None:
        raise QueryError(f"unclosed quote opened at column {in_quote + 1}")
    if depth_stack:
        raise QueryError(f"unclosed '(' at column {depth_stack[-1] + 1}")
    # Phrases stand as runs of "q": their words are not operators or field names.
    unquoted = re.sub(r'"[^"]*"', lambda m: "q" * len(m.group()), text)
    for m in re.finditer(r"(?<![\w:])(\w+):(?=(\S?))", unquoted):
        name, after = m.group(1), m.group(2)
        if name.lower() not in KNOWN_FIELDS:
            raise QueryError(
                f"unknown field '{name}:' at column {m.start() + 1} "
                f"(fields: title, body, author, outlet, dateline, date, lang)")
        if not after or after == ")":
            raise QueryError(f"nothing after '{name}:' at column {m.start() + 1}")
    tokens = list(re.finditer(r"\S+", unquoted))
    for n, tok in enumerate(tokens):
        word = tok.group()
        if word in ("AND", "OR", "NOT", "ANDNOT"):
            nxt = tokens[n + 1].group() if n + 1 < len(tokens) else None
            if nxt is None or nxt in ("AND", "OR", "ANDNOT") or nxt.startswith(")"):
                raise QueryError(f"nothing after '{word}' at column {tok.start() + 1}")
            if word != "NOT" and (n == 0 or tokens[n - 1].group().endswith("(")):
                raise QueryError(f"nothing before '{word}' at column {tok.start() + 1}")


# --- parsing ---------------------------------------------------------------------------------

_PARSERS: dict[int, tuple] = {}


def make_parser(schema):
    """The query parser for schema, built once (building one costs about a millisecond)."""
    cached = _PARSERS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts={"title": 2.0})
    parser.add_plugin(_DatePlugin())
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(PlusMinusPlugin())
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(FieldAliasPlugin({"authors": ["author"], "language": ["lang"]}))
    _PARSERS[id(schema)] = (schema, parser)
    return parser


@dataclass
class Names:
    """The distinct values of a name field, with their folded words, read once per searcher."""

    values: list[str]
    folded: list[list[str]]

    @classmethod
    def of(cls, reader, field: str) -> Names:
        values = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(field)]
        return cls(values, [_words(v) for v in values])

    def matching(self, text: str) -> list[str]:
        """Names equal to text (folded), else names holding all of text's words."""
        words = _words(text)
        if not words:
            return []
        exact = [v for v, f in zip(self.values, self.folded, strict=True) if f == words]
        if exact:
            return exact
        return [v for v, f in zip(self.values, self.folded, strict=True)
                if all(_word_in(w, f) for w in words)]


def _words(text: str) -> list[str]:
    words = re.findall(r"[\w*?]+", fold(text))
    return [w for w in words if w != "the"] or words


def _word_in(word: str, words: list[str]) -> bool:
    if "*" in word or "?" in word:
        return any(fnmatch.fnmatchcase(w, word) for w in words)
    return word in words


class NameResolver:
    """Turns author:/outlet:/dateline: clauses into exact-value terms for this index."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self._names: dict[str, Names] = {}

    def names(self, field: str) -> Names:
        if field not in self._names:
            self._names[field] = Names.of(self.reader, field)
        return self._names[field]

    def terms(self, field: str, text: str) -> wq.Query:
        values = self.names(field).matching(text)
        if not values:
            return _NOTHING()
        return wq.Or([wq.Term(field, v) for v in values]) if len(values) > 1 else wq.Term(
            field, values[0])

    def rewrite(self, q: wq.Query) -> wq.Query:
        """Replace every leaf on a name field with its resolved terms (and a language's name
        with its code: lang:DE is lang:de)."""
        if q.is_leaf():
            field = getattr(q, "fieldname", None)
            if field in NAME_FIELDS.values():
                return self.terms(field, _leaf_text(q))
            if field == "language" and isinstance(q, wq.Term):
                return wq.Term("language", _leaf_text(q).lower())
            return q
        return q.apply(self.rewrite)

    def languages(self) -> list[str]:
        """The languages of the index's articles that have a stemmer of their own."""
        return [v for v in self.names("language").values if v in SNOWBALL]


# --- languages ---------------------------------------------------------------------------------

def in_languages(q: wq.Query, text: str, languages: list[str]) -> wq.Query:
    """q with each title/body word also looked up as its stem in every other language of the
    index ("Wahlen" finds German "Wahl" too): a word's forms are found whatever the article's
    language. An index of English articles only gets q unchanged."""
    if not languages:
        return q
    from indexer.analysis import NewsFilter

    terms = [NewsFilter().term_function(lang) for lang in languages]

    def forms(word: str) -> list[str]:
        return [t for t in (term(word) for term in terms) if t]

    def walk(node: wq.Query) -> wq.Query:
        field = getattr(node, "fieldname", None)
        if type(node) is wq.Term and field in TEXT_FIELDS:
            start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
            if start is None or end is None:
                return node
            variants = dict.fromkeys([node.text, *forms(text[start:end])])
            if len(variants) == 1:
                return node
            return wq.Or([wq.Term(field, v, boost=node.boost) for v in variants])
        if isinstance(node, wq.Phrase) and field in TEXT_FIELDS and node.char_ranges and all(
                a is not None for a, _ in node.char_ranges):
            words = [text[a:b] for a, b in node.char_ranges]
            phrases = [node]
            for term in terms:
                stems = [term(w) for w in words]
                if all(stems) and stems != list(node.words):
                    phrases.append(wq.Phrase(field, stems, slop=node.slop, boost=node.boost))
            return wq.Or(phrases) if len(phrases) > 1 else node
        if node.is_leaf():
            return node
        return node.apply(walk)

    return walk(q)


def _leaf_text(q: wq.Query) -> str:
    if isinstance(q, wq.Phrase):
        return " ".join(q.words)
    text = getattr(q, "text", "")
    if isinstance(q, (wq.Prefix,)):
        text += "*"
    return text if isinstance(text, str) else text.decode("utf-8")


def parse(text: str, schema, resolver: NameResolver | None = None) -> wq.Query:
    """The Whoosh query for a user's query string; raises QueryError with a one-line reason."""
    text = text.strip()
    if text in ("", "*", "*:*"):
        return wq.Every()
    check_syntax(text)
    try:
        q = make_parser(schema).parse(text)
    except QueryError:
        raise
    except Exception as e:  # Whoosh's own parse failures
        raise QueryError(f"cannot parse the query: {e}") from None
    if resolver is not None:
        q = in_languages(resolver.rewrite(q), text, resolver.languages())
    return q.normalize()
