"""The query language, through `newsdex search` over the generated archive (tests/archive.py).

Every expected set comes from the generated text itself: the oracle is a regular expression over
an article's title and body, or its known metadata, never the search code.
"""

from __future__ import annotations

import re

import pytest
from archive import Indexed, indexed


@pytest.fixture(scope="session")
def arc(tmp_path_factory) -> Indexed:
    return indexed(tmp_path_factory)


def has(pattern: str):
    regex = re.compile(pattern, re.I)
    return lambda doc: bool(regex.search(doc.text))


DRILL = r"\bdrill(s|ed|ing)?\b"
FRIGATE = r"\bfrigates?\b"


def test_the_archive_is_big_and_varied(arc: Indexed):
    assert len(arc.docs) == 240
    assert len({d.outlet for d in arc.docs}) == 6
    assert len({a for d in arc.docs for a in d.authors}) == 18
    assert len({d.year for d in arc.docs if d.year}) >= 10


def test_words_are_anded_and_stemmed(arc: Indexed):
    drill = arc.expect(has(DRILL))
    # "drill" finds "drills", "drilled" and "drilling" too.
    assert arc.found("drill") == drill
    assert arc.expect(has(r"\bdrills\b")) - arc.expect(has(r"\bdrill\b"))
    both = arc.expect(lambda d: has(DRILL)(d) and has(FRIGATE)(d))
    assert arc.found("drill frigates") == both
    assert 0 < len(both) < len(drill)


def test_exact_phrase(arc: Indexed):
    phrase = arc.found('"joint exercises"')
    assert phrase == arc.expect(has(r"\bjoint exercises\b"))
    words = arc.found("joint exercises")
    # "joint naval and air exercises" has both words but not the phrase.
    assert phrase < words
    assert words == arc.expect(lambda d: has(r"\bjoint\b")(d) and has(r"\bexercises?\b")(d))


def test_or_not_minus_and_parentheses(arc: Indexed):
    ferry, trawler = arc.expect(has(r"\bferry\b|\bferries\b")), arc.expect(has(r"\btrawlers?\b"))
    assert arc.found("ferry OR trawler") == ferry | trawler
    drill, frigate = arc.expect(has(DRILL)), arc.expect(has(FRIGATE))
    assert arc.found("drill NOT frigates") == drill - frigate
    assert arc.found("drill -frigates") == drill - frigate
    porto = arc.expect(has(r"\bporto\b"))
    assert arc.found("(ferry OR trawler) Porto") == (ferry | trawler) & porto
    assert arc.found("ferry OR (trawler Porto)") == ferry | (trawler & porto)


def test_title_and_body_fields(arc: Indexed):
    in_title = arc.expect(lambda d: re.search(DRILL, d.title, re.I) is not None)
    in_body = arc.expect(lambda d: re.search(DRILL, "\n".join(d.paragraphs), re.I) is not None)
    assert arc.found("title:drill") == in_title
    assert arc.found("body:drill") == in_body
    assert in_title != in_body


def test_author_values_ignore_case_accents_and_middle_initials(arc: Indexed):
    ruth = arc.expect(lambda d: "Ruth K. Abernathy" in d.authors)
    assert ruth and arc.found('author:"ruth abernathy"') == ruth
    jose = arc.expect(lambda d: "José Martínez" in d.authors)
    assert arc.found("author:martinez") == jose
    assert arc.found('author:"JOSE MARTINEZ"') == jose
    assert arc.found("author:Martínez") == jose
    # Two authors: either.
    both = arc.expect(lambda d: {"Simon Hale", "Marcus Webb"} & set(d.authors))
    assert arc.found('author:"simon hale" OR author:webb') == both


def test_outlet_values_match_whole_words(arc: Indexed):
    courrier = arc.expect(lambda d: d.outlet == "Le Courrier de Montréal")
    assert arc.found('outlet:"courrier de montreal"') == courrier
    # "courier" is a word of "Coastal Courier" only, not of "Courrier".
    assert arc.found("outlet:courier") == arc.expect(lambda d: d.outlet == "Coastal Courier")
    assert arc.found('outlet:"prairie ledger" drill') == arc.expect(
        lambda d: d.outlet == "The Prairie Ledger" and has(DRILL)(d))


def test_dateline_field(arc: Indexed):
    lisbon = arc.expect(lambda d: d.dateline == "LISBON")
    assert lisbon and arc.found("dateline:lisbon") == lisbon


def _interval(published: str) -> tuple[str, str]:
    """First and last day a published value stands for, as comparable strings."""
    parts = published.split("-")
    if len(parts) == 1:
        return published + "-01-01", published + "-12-31"
    if len(parts) == 2:
        return published + "-01", published + "-31"
    return published, published


def _dated(keep):
    return lambda d: d.published is not None and keep(*_interval(d.published))


@pytest.mark.parametrize("query, keep", [
    ("date:2022", lambda a, b: a >= "2022-01-01" and b <= "2022-12-31"),
    ("date:2022-06", lambda a, b: a >= "2022-06-01" and b <= "2022-06-31"),
    ("date:2021-03-01..2021-06-30", lambda a, b: a >= "2021-03-01" and b <= "2021-06-30"),
    ("date:2021..2022", lambda a, b: a >= "2021-01-01" and b <= "2022-12-31"),
    ("date:>2022-06", lambda a, b: a > "2022-06-31"),
    ("date:>=2023", lambda a, b: a >= "2023-01-01"),
    ("date:<=2011", lambda a, b: b <= "2011-12-31"),
    ("date:<2013-05", lambda a, b: b < "2013-05-01"),
])
def test_dates_at_every_precision(arc: Indexed, query, keep):
    expected = arc.expect(_dated(keep))
    assert expected and arc.found(query) == expected


def test_a_year_only_date_is_not_inside_a_month(arc: Indexed):
    year_only = arc.expect(lambda d: d.published == "2019")
    assert year_only
    # "2019" could be any day of 2019: inside the whole year, not inside part of it.
    assert year_only <= arc.found("date:2019")
    assert year_only <= arc.found("date:2019-01..2019-12")
    assert not year_only & arc.found("date:2019-01..2019-11")
    assert not year_only & arc.found("date:2019-06")


def test_wildcard_and_fuzzy_terms(arc: Indexed):
    sanction = arc.expect(has(r"\bsanction\w*"))
    assert arc.found("sanction*") == sanction
    assert arc.expect(has(r"\bsanctioned\b")) and arc.expect(has(r"\bsanctioning\b"))
    halvorsen = arc.expect(has(r"\bhalvorsen\b"))
    assert halvorsen and arc.found("Halvorsn~") == halvorsen
    assert arc.found("Halvorsn") == set()


def test_accents_fold_both_ways(arc: Indexed):
    montreal = arc.expect(has(r"\bmontr[ée]al\b"))
    assert montreal and arc.found("Montreal") == montreal == arc.found("MONTRÉAL")


def test_everything_and_filters(arc: Indexed):
    assert len(arc.found("*")) == 240
    since = arc.expect(_dated(lambda a, b: a >= "2020-01-01"))
    assert arc.found("*", "--since", "2020") == since
    tidewire = arc.expect(lambda d: d.outlet == "Tidewire")
    assert arc.found("*", "--outlet", "tidewire") == tidewire
    ledger = arc.expect(lambda d: d.outlet == "The Prairie Ledger")
    assert arc.found("*", "--outlet", "tidewire", "--outlet", "ledger") == tidewire | ledger
    assert arc.found("drill", "--author", "simon hale", "--until", "2019-06") == arc.expect(
        lambda d: has(DRILL)(d) and "Simon Hale" in d.authors
        and _dated(lambda a, b: b <= "2019-06-31")(d))


@pytest.mark.parametrize("query, message", [
    ('"joint exercises', "unclosed quote opened at column 1"),
    ("(drill OR ferry", "unclosed '(' at column 1"),
    ("drill) ferry", "unmatched ')' at column 6"),
    ("drill AND", "nothing after 'AND' at column 7"),
    ("OR drill", "nothing before 'OR' at column 1"),
    ("headline:drill", "unknown field 'headline:' at column 1"),
    ("drill title:", "nothing after 'title:' at column 7"),
    ("date:2022-13", "'2022-13' has no month 13"),
    ("date:yesterday", "'date:yesterday' is not a date or range"),
])
def test_bad_queries_get_one_line_saying_what_and_where(arc: Indexed, query, message):
    result = arc.run("search", query)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsdex: error: ")
    assert message in lines[0]


def test_bad_dates_in_options_are_one_line_errors(arc: Indexed):
    result = arc.run("search", "drill", "--since", "2022-02-30x")
    assert result.exit_code == 1
    assert result.stderr.startswith("newsdex: error: '2022-02-30x' is not a date")
    assert len(result.stderr.splitlines()) == 1
