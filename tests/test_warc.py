"""Web archives: WARC files written here with warcio (real pages from ../shared/realpages, and
small hand-made records for every edge), indexed through the CLI into a real index."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import run_newsdex

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages" / "newspaper4k" / "html"

ARTICLE = """<html lang="en"><head><title>{title}</title></head><body><article>
<h1>{title}</h1>
<p>The harbour authority said on Tuesday that the new pier would open to ferries in the spring,
after two years of work that ran over budget because of storms along the coast.</p>
<p>Residents had asked for the pier since the old one closed, and the council agreed to pay for
the extra work from its reserves, a spokesman for the authority said.</p>
<p>{extra}</p>
</article></body></html>"""


def page(title: str, extra: str = "Ferries will run every hour.") -> bytes:
    return ARTICLE.format(title=title, extra=extra).encode()


def record(writer: WARCWriter, url: str, body: bytes, ctype: str = "text/html; charset=utf-8",
           status: str = "200 OK", kind: str = "response", date: str = "2023-05-06T10:00:00Z",
           headers: dict | None = None) -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": date, **(headers or {})}
    writer.write_record(writer.create_warc_record(
        url, kind, payload=io.BytesIO(body), http_headers=http if kind == "response" else None,
        warc_headers_dict=warc_headers))


def write_warc(path: Path, pages: list[tuple[str, bytes]], gz: bool = True,
               mode: str = "wb") -> None:
    with open(path, mode) as f:
        writer = WARCWriter(f, gzip=gz)
        for url, body in pages:
            record(writer, url, body)


def hits(cli, query: str = "*", *options: str) -> list[dict]:
    result = cli("search", query, *options, "--jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_warc_of_real_pages_indexes_each_response_as_an_article(cli, tmp_path):
    if not REALPAGES.is_dir():
        pytest.skip("../shared/realpages is not there")
    pages = sorted(REALPAGES.glob("*.html"))[:12]
    warc = tmp_path / "crawl" / "CC-NEWS-20230506.warc.gz"
    warc.parent.mkdir()
    write_warc(warc, [(f"https://news.example.org/{p.stem}", p.read_bytes()) for p in pages])
    # A process of its own: real pages in other languages load the language model (see
    # tests/test_feeds.py, index).
    done = run_newsdex("index", warc.parent, "--index", cli.index, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] >= 10, summary
    found = hits(cli)
    assert len(found) == summary["added"]
    for hit in found:
        archive, _, offset = hit["path"].rpartition("#")
        assert archive == str(warc) and offset.isdigit()
        assert hit["url"].startswith("https://news.example.org/")
        # The crawl date bounds the publication date, never replaces it.
        assert hit["published"] is None or hit["published"] <= "2023-05-07"
    # Each real page's own words find it again.
    titled = [h for h in found if h["title"]]
    assert titled
    word = max(titled[0]["title"].split(), key=len)
    assert titled[0]["id"] in {h["id"] for h in hits(cli, word)}


def test_non_article_records_are_skipped_and_counted(cli, tmp_path):
    warc = tmp_path / "a.warc.gz"
    with open(warc, "wb") as f:
        w = WARCWriter(f, gzip=True)
        record(w, "https://www.bbc.co.uk/news/pier", page("Pier opens in spring"))
        record(w, "https://www.bbc.co.uk/robots.txt", b"User-agent: *\nDisallow:", "text/plain")
        record(w, "https://www.bbc.co.uk/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
               "image/png")
        record(w, "https://www.bbc.co.uk/old", b"", status="301 Moved Permanently")
        record(w, "https://www.bbc.co.uk/news/pier", b"", kind="revisit",
               headers={"WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/"
                                        "identical-payload-digest"})
        record(w, "https://www.bbc.co.uk/news/cut", page("Cut short"),
               headers={"WARC-Truncated": "length"})
        record(w, "https://www.bbc.co.uk/news/ferries", page("Ferries return", "Timetables."))
    summary = cli.json("index", warc)
    assert summary["added"] == 2
    assert summary["records_skipped"] == {"image": 1, "redirect": 1, "revisit": 1,
                                          "robots.txt": 1, "truncated": 1}
    assert summary["skipped"] == [] and summary["warnings"] == []
    text = cli("index", warc, "--full")
    assert "5 archive records were not articles" in text.stdout
    # The URL's host is outlet evidence; the URL is stored and shown.
    found = {h["title"]: h for h in hits(cli)}
    assert found["Ferries return"]["outlet"] == "BBC News"
    assert found["Ferries return"]["url"] == "https://www.bbc.co.uk/news/ferries"
    shown = cli("show", found["Ferries return"]["id"])
    assert "URL:       https://www.bbc.co.uk/news/ferries" in shown.stdout
    assert f"Path:      {warc}#" in shown.stdout
    raw = cli("show", found["Ferries return"]["id"], "--raw")
    assert raw.stdout.startswith('<html lang="en">') and "Timetables." in raw.stdout
    assert cli.json("show", found["Pier opens in spring"]["id"])["language"] == "en"


def test_a_lying_content_length_costs_its_record_only(cli, tmp_path):
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for title in ("First pier story", "Second pier story", "Third pier story"):
        record(w, f"https://example.com/{title.split()[0].lower()}", page(title))
    data = buf.getvalue()
    # The second record claims fewer bytes than it has: its tail reads as garbage.
    second = data.index(b"WARC/1.0", 10)
    length_at = data.index(b"Content-Length: ", second) + len(b"Content-Length: ")
    end = data.index(b"\r\n", length_at)
    data = data[:length_at] + str(int(data[length_at:end]) - 300).encode() + data[end:]
    warc = tmp_path / "lying.warc"
    warc.write_bytes(data)
    summary = cli.json("index", warc)
    titles = {h["title"] for h in hits(cli)}
    assert {"First pier story", "Third pier story"} <= titles
    assert "Second pier story" not in titles
    assert summary["warnings"], summary
    assert all(w["path"] == str(warc) and "record at offset" in w["warning"]
               for w in summary["warnings"])


def test_a_corrupt_gzip_member_costs_its_record_only(cli, tmp_path):
    parts = []
    for title in ("Alpha harbour news", "Beta harbour news", "Gamma harbour news"):
        buf = io.BytesIO()
        record(WARCWriter(buf, gzip=True), f"https://example.com/{title.split()[0]}",
               page(title))
        parts.append(buf.getvalue())
    middle = bytearray(parts[1])
    middle[len(middle) // 2:len(middle) // 2 + 40] = b"\xff" * 40  # damage its deflate data
    warc = tmp_path / "broken.warc.gz"
    warc.write_bytes(parts[0] + bytes(middle) + parts[2])
    result = cli("index", warc)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    titles = {h["title"] for h in hits(cli)}
    assert {"Alpha harbour news", "Gamma harbour news"} <= titles
    assert "Beta harbour news" not in titles
    assert f"warning: {warc}: record at offset {len(parts[0])}" in result.stderr


def test_incremental_unchanged_grown_and_removed_archives(cli, tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    warc = folder / "news.warc.gz"
    write_warc(warc, [(f"https://example.com/{i}", page(f"Story number {i}", f"Item {i}."))
                      for i in range(3)])
    old = os.stat(warc).st_mtime_ns - 10_000_000_000  # not "racily clean"
    os.utime(warc, ns=(old, old))
    first = cli.json("index", folder)
    assert first["added"] == 3
    ids = {h["path"]: h["id"] for h in hits(cli)}

    again = cli.json("index", folder)
    assert (again["added"], again["unchanged"], again["reread"]) == (0, 3, 0)

    # A crawler appends two records: only those are read; the others keep their documents.
    write_warc(warc, [(f"https://example.com/{i}", page(f"Story number {i}", f"Item {i}."))
                      for i in (3, 4)], mode="ab")
    os.utime(warc, ns=(old + 5_000_000_000,) * 2)
    grown = cli.json("index", folder)
    assert (grown["added"], grown["updated"], grown["removed"]) == (2, 0, 0), grown
    now = {h["path"]: h["id"] for h in hits(cli)}
    assert len(now) == 5 and all(now[p] == i for p, i in ids.items())
    assert cli.json("index", folder)["reread"] == 0

    # A rewritten archive is read again from the start; vanished records go.
    write_warc(warc, [("https://example.com/9", page("Only story left", "Last."))])
    os.utime(warc, ns=(old + 9_000_000_000,) * 2)
    rewritten = cli.json("index", folder)
    assert rewritten["documents"] == 1
    assert [h["title"] for h in hits(cli)] == ["Only story left"]

    warc.unlink()
    removed = cli.json("index", folder)
    assert (removed["removed"], removed["documents"]) == (1, 0)


def test_a_touched_archive_is_not_read_again(cli, tmp_path):
    warc = tmp_path / "t.warc"
    write_warc(warc, [("https://example.com/a", page("Touched story"))], gz=False)
    old = os.stat(warc).st_mtime_ns - 10_000_000_000
    os.utime(warc, ns=(old, old))
    cli.json("index", warc)
    os.utime(warc, ns=(old + 1_000_000_000,) * 2)
    touched = cli.json("index", warc)
    assert (touched["added"], touched["updated"], touched["unchanged"]) == (0, 0, 1)
    assert cli.json("index", warc)["reread"] == 0


def test_an_arc_file_is_read_too(cli, tmp_path):
    body = page("Archived in ARC format")
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)
    header = b"filedesc://test.arc 0.0.0.0 20230506100000 text/plain 76\n"
    version = b"1 0 newsdex\nURL IP-address Archive-date Content-type Archive-length\n"
    desc = header.replace(b" 76\n", b" %d\n" % len(version)) + version + b"\n"
    rec = (b"https://www.bbc.co.uk/news/arc 10.0.0.1 20230506100000 text/html "
           + str(len(http)).encode() + b"\n" + http + b"\n")
    arc = tmp_path / "old.arc.gz"
    with open(arc, "wb") as f:
        for part in (desc, rec):  # one gzip member per record, as crawlers write them
            f.write(gzip.compress(part))
    summary = cli.json("index", arc)
    assert summary["added"] == 1, summary
    (hit,) = hits(cli)
    assert hit["title"] == "Archived in ARC format"
    assert hit["url"] == "https://www.bbc.co.uk/news/arc"


def test_record_ids_come_from_content_and_copies_get_their_own(cli, tmp_path):
    import hashlib

    body = page("The same page twice")
    for name in ("a.warc.gz", "b.warc.gz"):
        write_warc(tmp_path / name, [("https://example.com/same", body)])
    cli.json("index", tmp_path)
    found = sorted(hits(cli), key=lambda h: h["path"])
    assert len(found) == 2 and found[0]["id"] != found[1]["id"]
    assert found[0]["id"] == hashlib.sha1(body).hexdigest()[:16]  # the first path's
    again = cli.json("index", tmp_path, "--full")
    assert again["added"] == 2
    assert sorted(hits(cli), key=lambda h: h["path"]) == found


def test_a_moved_archive_keeps_its_documents_and_ids(cli, tmp_path):
    first, second = tmp_path / "2023", tmp_path / "elsewhere"
    first.mkdir()
    second.mkdir()
    warc = first / "news.warc.gz"
    write_warc(warc, [(f"https://example.com/{i}", page(f"Moving story {i}")) for i in range(3)])
    cli.json("index", tmp_path)
    before = {h["path"].rpartition("#")[2]: h["id"] for h in hits(cli)}
    warc.rename(second / "renamed.warc.gz")
    moved = cli.json("index", tmp_path)
    assert (moved["moved"], moved["added"], moved["removed"]) == (3, 0, 0), moved
    after = {h["path"]: h["id"] for h in hits(cli)}
    assert after == {f"{second / 'renamed.warc.gz'}#{o}": i for o, i in before.items()}


def encoded_record(writer: WARCWriter, url: str, body: bytes, headers: list) -> None:
    """A response whose HTTP payload is stored encoded (chunked, gzip) as the server sent it."""
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *headers],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": "2023-05-06T10:00:00Z"}))


@pytest.mark.parametrize("gz", [True, False])
def test_the_scan_hint_reads_plain_payloads_and_encoded_ones_go_through_warcio(cli, tmp_path,
                                                                            gz):
    from indexer.extraction import warc as warc_module

    plain = page("Plain pier story", "Plain ferries.")
    chunked = page("Chunked pier story", "Chunked ferries.")
    zipped = page("Zipped pier story", "Zipped ferries.")
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        record(w, "https://example.com/plain", plain)
        encoded_record(w, "https://example.com/chunked",
                       b"%x\r\n%s\r\n0\r\n\r\n" % (len(chunked), chunked),
                       [("Transfer-Encoding", "chunked")])
        encoded_record(w, "https://example.com/zipped", gzip.compress(zipped),
                       [("Content-Encoding", "gzip")])
    found = warc_module.scan(str(path))
    assert len(found.offsets) == 3
    assert found.hints[0] is not None and found.hints[1:] == [None, None]
    with open(path, "rb") as f:
        for offset, hint, body in zip(found.offsets, found.hints, [plain, chunked, zipped],
                                      strict=True):
            read = warc_module.read_at(str(path), offset, 1 << 20, f, hint)
            assert read == warc_module.read_at(str(path), offset, 1 << 20, f)
            assert read.data == body
        # A hint that does not fit the bytes at its offset is not trusted.
        stale = found.hints[0]._replace(block=found.hints[0].block + 7)
        assert warc_module.read_at(str(path), found.offsets[0], 1 << 20, f, stale).data == plain
    assert cli.json("index", path)["added"] == 3
    assert {h["title"] for h in hits(cli, "ferries")} == {
        "Plain pier story", "Chunked pier story", "Zipped pier story"}


def raw_member(url: bytes, http_head: bytes, body: bytes, kind: bytes = b"response") -> bytes:
    """One record as a gzip member, its bytes written here (forms warcio's writer never makes)."""
    block = http_head + body
    return gzip.compress(
        b"WARC/1.0\r\nWARC-Type: " + kind + b"\r\nWARC-Target-URI: " + url +
        b"\r\nWARC-Date: 2023-05-06T10:00:00Z\r\nContent-Type: application/http; "
        b"msgtype=response\r\nContent-Length: %d\r\n\r\n" % len(block) + block + b"\r\n\r\n")


def test_the_scan_without_warcio_finds_what_warcio_finds(tmp_path, monkeypatch):
    """A gzipped WARC's records are scanned member by member without warcio; every form that
    path does not read (bare LF or continued headers, a non-HTTP response, a whole-file gzip,
    lying lengths, damaged members) goes to warcio, and the scans agree record for record."""
    from indexer.extraction import warc as warc_module

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    record(w, "https://example.com/plain", page("Plain pier story"))
    record(w, "https://example.com/robots.txt", b"User-agent: *", "text/plain")
    record(w, "https://example.com/logo.png", b"\x89PNG" + b"\0" * 64, "image/png")
    record(w, "https://example.com/old", b"", status="301 Moved Permanently")
    record(w, "https://example.com/gone", b"Not here", status="404 Not Found")
    record(w, "https://example.com/plain", b"", kind="revisit")
    record(w, "https://example.com/cut", page("Cut short"), headers={"WARC-Truncated": "length"})
    record(w, "https://example.com/latin", page("Latin"), ctype="text/html; charset=iso-8859-1")
    plain = buf.getvalue()
    odd = [
        raw_member(b"https://example.com/lf", b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n",
                   page("Bare line feeds")),
        raw_member(b"https://example.com/cont", b"HTTP/1.1 200 OK\r\nContent-Type: text/html;"
                   b"\r\n charset=utf-8\r\nX-Note: caf\xe9\r\n\r\n", page("Continued header")),
        raw_member(b"dns:example.com", b"", b"20230506100000\nexample.com. 300 IN A 1.2.3.4\n"),
        raw_member(b"https://example.com/empty", b"", b""),
        raw_member(b"<https://example.com/wget>", b"HTTP/1.1 200 OK\r\n\r\n", page("Wget bug")),
    ]
    damaged = bytearray(odd[0])
    damaged[len(damaged) // 2:len(damaged) // 2 + 20] = b"\xff" * 20
    files = {
        "plain.warc.gz": plain,
        "odd.warc.gz": plain + b"".join(odd) + plain,
        "damaged.warc.gz": plain + bytes(damaged) + plain,
        "whole.warc.gz": gzip.compress(gzip.decompress(plain)),  # one member for all records
    }
    warcio_calls = []
    scan_from = warc_module._scan_from
    monkeypatch.setattr(warc_module, "_scan_from",
                        lambda *a, **k: warcio_calls.append(a[1]) or scan_from(*a, **k))
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        warcio_calls.clear()
        mine = warc_module.scan(str(path))
        # the plain records were read without warcio; the odd ones, the damaged and the
        # whole-file gzip by warcio
        assert bool(warcio_calls) == (name != "plain.warc.gz"), name
        with monkeypatch.context() as m:
            m.setattr(warc_module, "_members", lambda f, offset, found: (offset, True))
            theirs = warc_module.scan(str(path))
        assert mine == theirs, name
        assert mine.offsets, name
    assert warc_module.scan(str(tmp_path / "plain.warc.gz")).skipped == {
        "robots.txt": 1, "image": 1, "redirect": 1, "HTTP 404": 1, "revisit": 1, "truncated": 1}
