"""The array codec: what is written is what Whoosh's matchers and newsdex's array reader read."""

from __future__ import annotations

import random

import numpy as np
from whoosh import fields, index

from indexer.analysis import FastPositions, news_analyzer
from indexer.codec import ArrayCodec, length_bytes, list_blocks, read_lists, read_postings
from indexer.schema import SCHEMA_VERSION, build_schema


def _random_docs(rng: random.Random, count: int) -> list[dict]:
    """Documents whose term positions need 1, 2 and 4 bytes, terms in one to all documents."""
    docs = []
    for n in range(count):
        words = [f"w{rng.randint(0, 40)}" for _ in range(rng.randint(1, 30))]
        if n % 7 == 0:  # long documents: positions above 255 (and once above 65,535)
            words += ["filler"] * (70_000 if n == 700 else 300) + ["far"]
        if n % 100 == 0:  # terms of one document
            words.append(f"q{n}")
        docs.append({"key": f"k{n}", "body": " ".join(words), "tag": f"t{n % 3}",
                     "weighted": "xy " * (n % 4 + 1)})
    return docs


def _expected(tokenized: list[list[str]], term: str) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for n, tokens in enumerate(tokenized):
        positions = [i for i, t in enumerate(tokens) if t == term]
        if positions:
            found[n] = positions
    return found


def test_postings_round_trip(tmp_path):
    rng = random.Random(3)
    docs = _random_docs(rng, 1300)  # more than two blocks of the commonest terms
    body = fields.TEXT(analyzer=news_analyzer())
    body.format = FastPositions(field_boost=1.5)
    schema = fields.Schema(key=fields.ID(stored=True, unique=True), body=body,
                           tag=fields.KEYWORD, weighted=fields.TEXT(phrase=False))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer(codec=ArrayCodec()) as w:
        for doc in docs:
            w.add_document(**doc)
    reader = ix.reader()
    leaf = reader.leaf_readers()[0][0]
    assert isinstance(leaf._segment.codec(), ArrayCodec)
    analyzer = news_analyzer()
    tokenized = [[t.text for t in analyzer(doc["body"])] for doc in docs]
    for term in ("w0", "w17", "w40", "filler", "far", "q0", "q700"):
        expected = _expected(tokenized, term)
        assert expected, term
        # Whoosh's own matcher, posting by posting
        m = reader.postings("body", term)
        seen = {}
        while m.is_active():
            seen[m.id()] = m.value_as("positions")
            assert m.weight() == len(seen[m.id()]) * 1.5
            m.next()
        assert seen == expected
        # the array reader, whole list at once
        p = read_postings(leaf._terms._postfile, leaf._terms.term_info("body", term.encode()),
                          schema["body"].format, with_positions=True)
        assert p.ids.tolist() == sorted(expected)
        assert p.weights.tolist() == [len(v) * 1.5 for _, v in sorted(expected.items())]
        flat = [pos for _, v in sorted(expected.items()) for pos in v]
        assert p.counts.tolist() == [len(v) for _, v in sorted(expected.items())]
        assert np.array_equal(p.positions, flat)
        # the plain-Python reader of a one-search process (search/quick.py)
        assert read_lists(leaf._terms._postfile, leaf._terms.term_info("body", term.encode()),
                          schema["body"].format) == (p.ids.tolist(), p.weights.tolist())
        _check_blocks(leaf, "body", term.encode(), schema["body"].format)
    # fields without positions: ids and weights only
    assert list(reader.postings("tag", "t1").all_ids()) == list(range(1, 1300, 3))
    assert list(reader.postings("key", "k5").all_ids()) == [5]
    m = reader.postings("weighted", "xy")
    weights = {}
    while m.is_active():
        weights[m.id()] = m.weight()
        m.next()
    assert weights == {n: float(n % 4 + 1) for n in range(1300)}
    for field, term in (("weighted", b"xy"), ("tag", b"t1"), ("key", b"k5")):
        info = leaf._terms.term_info(field, term)
        arrays = read_postings(leaf._terms._postfile, info, schema[field].format)
        assert read_lists(leaf._terms._postfile, info, schema[field].format) == (
            arrays.ids.tolist(), arrays.weights.tolist()), field
        if not info.is_inlined():
            _check_blocks(leaf, field, term, schema[field].format)


def _check_blocks(leaf, field: str, term: bytes, fmt) -> None:
    """A posting list a block at a time (search/quick.py's skipping reader): ids and each
    posting's weight as read_lists gives them, and headers that bound every posting: no weight
    above the block's maximum, no document shorter than its shortest."""
    info = leaf._terms.term_info(field, term)
    boost = float(getattr(fmt, "field_boost", 1.0))
    ids, weights = read_lists(leaf._terms._postfile, info, fmt)
    lengths = length_bytes(leaf, field)
    blocks = list_blocks(leaf._terms._postfile, info)
    assert sum(b.count for b in blocks) == len(ids)
    at = 0
    for block in blocks:
        block_ids = block.ids()
        assert block_ids == ids[at:at + block.count]
        assert (block.first, block.last) == (block_ids[0], block_ids[-1])
        block_weights = [block.weight(i, boost) for i in range(block.count)]
        assert block_weights == weights[at:at + block.count]
        assert block.lists(boost) == (block_ids, block_weights)
        assert max(block_weights) <= block.max_weight * (1 + 1e-6)
        if lengths:
            assert min(lengths[d] for d in block_ids) >= block.min_length
        at += block.count
    assert at == len(ids)


def test_old_index_asks_for_a_full_rebuild(tmp_path):
    """An index written before array postings (schema 5, whoosh3's codec) gets one line saying
    what to run, and `newsdex index --full` rebuilds it."""
    from click.testing import CliRunner

    from indexer.schema import MARKER
    from search.cli import main
    from tests.conftest import SEEDS

    folder = tmp_path / "index"
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    with ix.writer() as w:  # the stock codec, as schema 5 wrote
        w.add_document(id="a1", path="/x.txt", body="old postings")
    (folder / MARKER).write_text('{"format": "newsdex", "schema_version": 5}\n')
    assert SCHEMA_VERSION >= 6  # array postings came after schema 5
    runner = CliRunner()
    result = runner.invoke(main, ["search", "old", "--index", str(folder)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "schema version 5" in lines[0]
    assert "newsdex index --full" in lines[0] and "Traceback" not in result.output
    result = runner.invoke(main, ["index", "--full", str(SEEDS), "--index", str(folder),
                                  "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["search", "*", "--index", str(folder), "--json"])
    assert result.exit_code == 0 and '"total": 2' in result.output


def test_variable_length_columns_read_as_whoosh_reads_them(tmp_path):
    """newsdex's reader of variable-length columns (offsets summed in C) against whoosh's own,
    on a segment without stored offsets and one with them, values of every length."""
    from whoosh import columns
    from whoosh.filedb.filestore import FileStorage

    from indexer.codec import VarBytesReader

    storage = FileStorage(str(tmp_path))
    rng = random.Random(5)
    for count, cutoff in ((700, 2**15), (700, 10)):  # 10: whoosh writes offsets ("X")
        values = [bytes(rng.randrange(256) for _ in range(rng.choice((0, 1, 16, 300))))
                  for _ in range(count)]
        name = f"col{cutoff}"
        with storage.create_file(name) as f:
            writer = columns.VarBytesColumn(write_offsets_cutoff=cutoff).writer(f)
            for n, value in enumerate(values):
                if value:  # documents without a value are filled in, as whoosh does
                    writer.add(n, value)
            writer.finish(count)
        length = storage.file_length(name)
        f = storage.open_file(name)
        ours = VarBytesReader(f, 0, length, count)
        theirs = columns.VarBytesColumn.Reader(f, 0, length, count)
        assert ours.had_stored_offsets is (cutoff == 10)
        assert [ours[n] for n in range(count)] == [theirs[n] for n in range(count)] == values
        assert list(ours) == values
        f.close()
