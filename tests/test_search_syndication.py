"""Syndicated copies: recognised at index time (indexer/syndication.py), folded by --collapse.

The generated archive (tests/archive.py) holds three stories in several outlets: one reprinted
verbatim under a new headline, one with a new headline and an added paragraph, one with a
sentence dropped and a word changed. Every other article is its own story, though many share
stock sentences with others on their topic.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from pathlib import Path

import pytest
from archive import Indexed, indexed

from indexer import schema, syndication


@pytest.fixture(scope="session")
def arc(tmp_path_factory) -> Indexed:
    return indexed(tmp_path_factory)


def stories(arc: Indexed) -> dict[str, list]:
    found: dict[str, list] = {}
    for doc in arc.docs:
        if doc.story:
            found.setdefault(doc.story, []).append(doc)
    return found


def test_the_archive_has_three_syndicated_stories(arc: Indexed):
    groups = stories(arc)
    assert sorted(groups) == ["edited", "trimmed", "verbatim"]
    assert [len(groups[k]) for k in ("edited", "trimmed", "verbatim")] == [3, 2, 3]
    edited = groups["edited"]
    assert len({d.title for d in edited}) == 2
    assert max(len(d.paragraphs) for d in edited) == min(len(d.paragraphs) for d in edited) + 1


def test_collapse_keeps_one_article_per_story(arc: Indexed):
    ids = {h["path"]: h["id"] for h in arc.hits("*")}
    hits = arc.hits("*", "--collapse", "--sort", "newest")
    assert len(hits) == 240 - (3 - 1) - (2 - 1) - (3 - 1) == 235
    shown = {h["path"]: h for h in hits}
    for members in stories(arc).values():
        present = [d for d in members if d.path in shown]
        assert len(present) == 1
        hit = shown[present[0].path]
        others = [d for d in members if d is not present[0]]
        assert hit["also_in"] == sorted({d.outlet for d in others} - {hit["outlet"]})
        assert sorted(hit["copies"]) == sorted(ids[d.path] for d in others)
    for h in hits:
        if not arc.by_path[h["path"]].story:
            assert h["also_in"] == [] and h["copies"] == []


def test_the_first_copy_in_the_requested_order_stands_for_the_story(arc: Indexed):
    for options in (["--sort", "newest"], ["--sort", "oldest"]):
        full = arc.hits("*", *options)
        collapsed = arc.hits("*", "--collapse", *options)
        for members in stories(arc).values():
            paths = {d.path for d in members}
            first = next(h["path"] for h in full if h["path"] in paths)
            assert [h["path"] for h in collapsed if h["path"] in paths] == [first]
        # Everything else keeps its place.
        kept = {h["path"] for h in collapsed}
        assert [h["path"] for h in full if h["path"] in kept] == [h["path"] for h in collapsed]


def test_collapse_by_relevance(arc: Indexed):
    story = stories(arc)["edited"]
    words = story[0].paragraphs[0].split()[2:5]
    query = " ".join(w.strip(",.“”") for w in words)
    full = arc.hits(query)
    collapsed = arc.hits(query, "--collapse")
    paths = {d.path for d in story}
    assert paths <= {h["path"] for h in full}
    best = next(h for h in full if h["path"] in paths)
    assert [h["path"] for h in collapsed if h["path"] in paths] == [best["path"]]
    assert len(collapsed) == len(full) - 2
    page = arc.json("search", query, "--collapse", "--limit", "5")
    assert page["total"] == len(collapsed) and page["articles"] == len(full)
    assert [h["id"] for h in page["hits"]] == [h["id"] for h in collapsed[:5]]


def test_collapsed_terminal_output_says_also_in(arc: Indexed):
    story = stories(arc)["verbatim"]
    original = next(d for d in story if d.outlet == "Tidewire")
    sentence = original.paragraphs[1].split(". ")[0].strip(".")
    out = arc.ok("search", f'"{sentence}"', "--collapse").splitlines()
    assert out[0].startswith("1-1 of 1 story (3 articles) for ")
    shown = next(d for d in story if out[2].endswith(d.title) and d.outlet in out[3])
    others = sorted({d.outlet for d in story} - {shown.outlet})
    assert out[4] == f"     also in: {', '.join(others)}"
    plain = arc.ok("search", f'"{sentence}"').splitlines()
    assert plain[0].startswith("1-3 of 3 results for ")
    assert not any("also in" in line for line in plain)


def test_copies_are_folded_only_among_the_matches(arc: Indexed):
    story = stories(arc)["verbatim"]
    left_out = next(d for d in story if d.outlet == "Coastal Courier")
    sentence = story[0].paragraphs[1].split(". ")[0].strip(".")
    outlets = [o for o in {d.outlet for d in story} if o != left_out.outlet]
    options = [x for o in outlets for x in ("--outlet", o)]
    hits = arc.hits(f'"{sentence}"', "--collapse", *options)
    assert len(hits) == 1
    assert hits[0]["also_in"] == sorted(set(outlets) - {hits[0]["outlet"]})
    assert arc.ok("search", f'"{sentence}"', "--collapse", "--count", *options) == "1\n"
    assert arc.ok("search", f'"{sentence}"', "--count", *options) == "2\n"


def test_collapse_in_csv_and_count(arc: Indexed):
    assert arc.ok("search", "*", "--collapse", "--count") == "235\n"
    out = arc.ok("search", "*", "--collapse", "--csv").splitlines()
    assert out[0].endswith(",also_in,copies") and len(out) == 236
    data = arc.json("search", "*", "--collapse", "--limit", "1", "--facet", "outlet")
    assert (data["total"], data["articles"]) == (235, 240)
    # Facets count articles, copies included.
    assert sum(f["count"] for f in data["facets"]["outlet"]) == 240


def test_an_incremental_index_equals_a_full_rebuild(arc: Indexed, tmp_path: Path):
    # A small archive: the three stories and twenty other articles, indexed in two orders.
    chosen = [d for d in arc.docs if d.story] + [d for d in arc.docs if not d.story][:20]
    folder = tmp_path / "articles"
    for doc in chosen:
        target = folder / Path(doc.path).relative_to(arc.articles)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(doc.path, target)
    subfolders = sorted(p for p in folder.iterdir())
    runs = {
        "full": [[folder]],
        "forwards": [subfolders[:3], [folder]],
        "backwards": [subfolders[3:], [folder]],
    }
    exports = {}
    for name, steps in runs.items():
        index = tmp_path / f"index-{name}"
        for paths in steps:
            _index(arc, paths, index)
        exports[name] = _collapsed(arc, index)
    assert exports["full"] == exports["forwards"] == exports["backwards"]
    assert sum(1 for h in exports["full"] if h["copies"]) == 3


def _index(arc: Indexed, paths, index: Path) -> None:
    from click.testing import CliRunner

    from search.cli import main

    args = ["index", *map(str, paths), "--outlets", str(arc.outlets), "--index", str(index),
            "--quiet", "--jobs", "1"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _collapsed(arc: Indexed, index: Path) -> list[dict]:
    from click.testing import CliRunner

    from search.cli import main

    args = ["search", "*", "--collapse", "--jsonl", "--sort", "oldest", "--index", str(index)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- the method itself -----------------------------------------------------------------------

def _body(doc) -> str:
    return "\n\n".join(doc.paragraphs)


def test_near_identical_survives_edits_and_distinct_articles_stay_apart(arc: Indexed):
    doc = max((d for d in arc.docs if not d.story), key=lambda d: len(_body(d)))
    body = _body(doc)
    sig = syndication.signature(body)
    added = body + "\n\n" + _body(arc.docs[7])[:400]
    words = body.split()
    edited = " ".join(w.upper() if i % 40 == 0 else w for i, w in enumerate(words))
    assert syndication.resemblance(sig, syndication.signature(body)) == 1.0
    assert syndication.resemblance(sig, syndication.signature(added)) >= 0.6
    assert syndication.resemblance(sig, syndication.signature(edited)) == 1.0  # case
    reworded = " ".join("xx" if i % 40 == 0 else w for i, w in enumerate(words))
    assert syndication.resemblance(sig, syndication.signature(reworded)) >= 0.6
    others = [syndication.signature(_body(d)) for d in arc.docs
              if d.topic == doc.topic and d is not doc and not d.story]
    assert max(syndication.resemblance(sig, o) for o in others) < syndication.THRESHOLD


def test_short_bodies_get_no_signature():
    assert syndication.signature("Markets closed higher on Monday.") is None
    assert syndication.signature("") is None


def test_signature_fits_the_schema_column():
    assert syndication.SIZE == schema.SIGNATURE_SIZE
    assert len(syndication.NONE) == schema.SIGNATURE_SIZE


def test_signatures_cost_well_under_a_millisecond(arc: Indexed):
    # About 600 words: a typical news article.
    body = " ".join(" ".join(_body(d) for d in arc.docs[:6]).split()[:600])
    syndication.signature(body)
    times = []
    for _ in range(30):
        started = time.perf_counter()
        syndication.signature(body)
        times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.001
