"""Score newsdex's extraction on the labelled sets, beside two baselines.

    python -m tests.eval.run [--failures COLUMN [--field KEY]] [--part synthetic|real|dumps]

Two sets: the pages and texts written for the project (tests/fixtures/eval), and real saved
pages (../shared/realpages, labelled by hand in tests/fixtures/realpages; that part is skipped
with one line when ../shared is absent), plus plain-text dumps made from the real pages' labels
at run time in the seeds' forms (tests/eval/dumps.py).

newsdex runs on every document; on the HTML pages trafilatura (metadata and main text) and
htmldate (date only) run on the same files, offline, from the file's text. Both baselines are
optional: without them their columns say "not installed". The label format is described in
tests/fixtures/eval/README.md.

Fields, each as a share of documents (or of labelled strings for the body rows):
  title, authors (as a set), outlet: exact match over all documents (a null label must give null);
  published exact: over documents whose label is not null;
  published wrong: a non-null prediction that differs from the label, over all documents
  (a missing date is not wrong; a wrong one is);
  dateline: exact over all documents (newsdex only: the baselines do not give one);
  body kept: labelled sentences found in the body (whitespace collapsed);
  boilerplate removed: labelled boilerplate lines absent from the body as whole lines.

The baselines cannot state a date's precision (htmldate always gives a day), so their dates are
compared at the label's precision: "2019-06-01" counts as exact for a label "2019". newsdex is
held to the exact string.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "eval"
REAL_LABELS = ROOT / "tests" / "fixtures" / "realpages"
REAL_PAGES = ROOT.parent / "shared" / "realpages"
PARTS = {"text": ".txt", "html": ".html"}


@dataclass
class Doc:
    path: Path
    part: str
    label: dict
    name: str = ""
    # Real-page labels: a boilerplate string counts as left when it appears anywhere in the body
    # (their README); the synthetic set's convention is a whole line.
    substring_remove: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            self.name = str(self.path.relative_to(FIXTURES))


@dataclass
class Prediction:
    title: str | None = None
    authors: list[str] | None = None  # None: this tool does not give the field
    outlet: str | None = None
    published: str | None = None
    body: str | None = None
    dateline: str | None = None
    gives: tuple[str, ...] = ("title", "authors", "outlet", "published", "body")


@dataclass
class Score:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, hit: bool, doc: Doc, detail: str = "", bad: bool | None = None) -> None:
        """Count one case; it is listed under --failures when `bad` (by default: not a hit)."""
        self.total += 1
        self.hits += hit
        if (not hit) if bad is None else bad:
            self.misses.append(f"{doc.name}: {detail}")

    def cell(self) -> str:
        if not self.total:
            return "-"
        return f"{100 * self.hits / self.total:5.1f}% ({self.hits}/{self.total})"


ROWS = [
    ("title", "title exact"),
    ("authors", "authors exact (set)"),
    ("people", "authors exact, byline names people"),
    ("outlet", "outlet exact"),
    ("published", "published exact (labelled)"),
    ("wrong", "published WRONG (all docs)"),
    ("dateline", "dateline exact"),
    ("kept", "body sentences kept"),
    ("removed", "boilerplate lines removed"),
]


def load_docs(parts: list[str]) -> list[Doc]:
    docs = []
    for part in parts:
        for label_path in sorted((FIXTURES / part).rglob("*.json")):
            doc_path = label_path.with_suffix(PARTS[part])
            if doc_path.exists():
                label = json.loads(label_path.read_text(encoding="utf-8"))
                docs.append(Doc(doc_path, part, label))
    return docs


def load_real_docs() -> list[Doc]:
    """The labelled real pages; [] when ../shared/realpages is not there."""
    docs = []
    for label_path in sorted(REAL_LABELS.glob("*/*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        page = REAL_PAGES / label["source"]
        if page.is_file():
            docs.append(Doc(page, "real", label, name=str(label_path.relative_to(REAL_LABELS)),
                            substring_remove=True))
    return docs


# --- the extractors ------------------------------------------------------------------------

def newsdex(doc: Doc) -> Prediction:
    from indexer.extraction.extract import extract_file
    from indexer.extraction.reader import SkipFile

    try:
        article = extract_file(str(doc.path))
    except SkipFile:  # not an article (a feed saved as a page): the index holds nothing
        return Prediction(None, [], None, None, "", None, gives=(*Prediction.gives, "dateline"))
    return Prediction(article.title, article.authors, article.outlet, article.published,
                      article.body, article.dateline, gives=(*Prediction.gives, "dateline"))


def _missing(name: str, error: ImportError) -> None:
    # Installed but broken (trafilatura 2 needs lxml_html_clean) reads differently from absent.
    print(f"{name}: not installed ({error})", file=sys.stderr)


def _trafilatura() -> Callable[[Doc], Prediction] | None:
    try:
        import trafilatura
    except ImportError as e:
        _missing("trafilatura", e)
        return None

    def run(doc: Doc) -> Prediction:
        html = doc.path.read_bytes()  # the library decodes the page itself
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        if result is None:
            return Prediction(authors=[])
        data = result if isinstance(result, dict) else result.as_dict()
        authors = [a.strip() for a in re.split(r";", data.get("author") or "") if a.strip()]
        return Prediction(data.get("title"), authors, data.get("sitename"), data.get("date"),
                          data.get("text") or "")

    return run


def _htmldate() -> Callable[[Doc], Prediction] | None:
    try:
        from htmldate import find_date
    except ImportError as e:
        _missing("htmldate", e)
        return None

    def run(doc: Doc) -> Prediction:
        html = doc.path.read_bytes()  # the library decodes the page itself
        return Prediction(published=find_date(html, original_date=True), gives=("published",))

    return run


# --- scoring -------------------------------------------------------------------------------

def _norm(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _at_precision(value: str | None, label: str | None) -> str | None:
    """A baseline's full date cut to the label's precision (see the module docstring)."""
    if value and label and len(value) > len(label):
        return value[:len(label)]
    return value


def score(docs: list[Doc], predict: Callable[[Doc], Prediction], strict_dates: bool,
          ) -> dict[str, Score]:
    scores = {key: Score() for key, _ in ROWS}
    for doc in docs:
        try:
            pred = predict(doc)
        except Exception as e:  # a crash scores as nothing found, and is shown
            print(f"  {doc.path.name}: {type(e).__name__}: {e}", file=sys.stderr)
            pred = Prediction(authors=[], body="")
        _score_one(doc, pred, scores, strict_dates)
    return scores


def _score_one(doc: Doc, pred: Prediction, scores: dict[str, Score], strict: bool) -> None:
    label = doc.label
    if "title" in pred.gives:
        scores["title"].add(_norm(pred.title) == _norm(label["title"]), doc,
                            f"{pred.title!r} != {label['title']!r}")
    if "authors" in pred.gives:
        got = set(pred.authors or [])
        scores["authors"].add(got == set(label["authors"]), doc,
                              f"{sorted(got)} != {sorted(label['authors'])}")
        if label["authors"]:
            scores["people"].add(got == set(label["authors"]), doc,
                                 f"{sorted(got)} != {sorted(label['authors'])}")
    if "outlet" in pred.gives:
        scores["outlet"].add(pred.outlet == label["outlet"], doc,
                             f"{pred.outlet!r} != {label['outlet']!r}")
    if "published" in pred.gives:
        got = pred.published if strict else _at_precision(pred.published, label["published"])
        detail = f"{got!r} != {label['published']!r}"
        if label["published"] is not None:
            scores["published"].add(got == label["published"], doc, detail)
        wrong = got is not None and got != label["published"]
        scores["wrong"].add(wrong, doc, detail, bad=wrong)
    if "dateline" in pred.gives:
        scores["dateline"].add(pred.dateline == label.get("dateline"), doc,
                               f"{pred.dateline!r} != {label.get('dateline')!r}")
    if "body" in pred.gives:
        _score_body(doc, pred.body or "", scores)


def _score_body(doc: Doc, body: str, scores: dict[str, Score]) -> None:
    flat = " ".join(body.split())
    lines = {line.strip() for line in body.split("\n")}
    for sentence in doc.label["keep"]:
        scores["kept"].add(" ".join(sentence.split()) in flat, doc, f"lost {sentence[:70]!r}")
    for line in doc.label["remove"]:
        left = " ".join(line.split()) in flat if doc.substring_remove else line.strip() in lines
        scores["removed"].add(not left, doc, f"left {line[:70]!r}")


# --- the table -----------------------------------------------------------------------------

def table(columns: dict[str, dict[str, Score] | None]) -> str:
    names = list(columns)
    cells = [["field", *names]]
    for key, title in ROWS:
        row = [title]
        for name in names:
            scores = columns[name]
            row.append("not installed" if scores is None else scores[key].cell())
        cells.append(row)
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    out = []
    for n, row in enumerate(cells):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--failures", metavar="COLUMN",
                    help='list the misses of one column ("newsdex html", "newsdex real", ...)')
    ap.add_argument("--field", help="with --failures: only this row key (title, authors, ...)")
    ap.add_argument("--part", choices=["synthetic", "real", "dumps"], action="append",
                    help="score only these parts (repeatable; default: all)")
    args = ap.parse_args(argv)
    parts = args.part or ["synthetic", "real", "dumps"]
    traf, hdate = _trafilatura(), _htmldate()
    columns: dict[str, dict[str, Score] | None] = {}
    if "synthetic" in parts:
        started = time.perf_counter()
        text_docs, html_docs = load_docs(["text"]), load_docs(["html"])
        synthetic = {
            "newsdex text": score(text_docs, newsdex, strict_dates=True),
            "newsdex html": score(html_docs, newsdex, strict_dates=True),
            "trafilatura html": traf and score(html_docs, traf, strict_dates=False),
            "htmldate html": hdate and score(html_docs, hdate, strict_dates=False),
        }
        print(f"Pages and texts written for the project: {len(text_docs)} text documents, "
              f"{len(html_docs)} HTML pages ({time.perf_counter() - started:.1f} s)\n")
        print(table(synthetic))
        columns.update(synthetic)
    if "real" in parts or "dumps" in parts:
        real_docs = load_real_docs()
        if not real_docs:
            print(f"\nReal pages: skipped ({REAL_PAGES} or its labels are absent)")
        elif "real" in parts:
            columns.update(_real_part(real_docs, traf, hdate))
        if real_docs and "dumps" in parts:
            columns.update(_dumps_part(real_docs))
    if args.failures:
        return _print_failures(columns, args.failures, args.field)
    return 0


def _real_part(docs: list[Doc], traf, hdate) -> dict[str, dict[str, Score] | None]:
    timed: dict[str, float] = {}

    def clocked(name: str, predict: Callable[[Doc], Prediction]) -> Callable[[Doc], Prediction]:
        def run(doc: Doc) -> Prediction:
            started = time.perf_counter()
            try:
                return predict(doc)
            finally:
                timed[name] = timed.get(name, 0.0) + time.perf_counter() - started
        return run

    real = {
        "newsdex real": score(docs, clocked("newsdex real", newsdex), strict_dates=True),
        "trafilatura real": traf and score(docs, clocked("trafilatura real", traf),
                                           strict_dates=False),
        "htmldate real": hdate and score(docs, clocked("htmldate real", hdate),
                                         strict_dates=False),
    }
    print(f"\nReal saved pages ({REAL_PAGES}): {len(docs)} pages labelled in {REAL_LABELS}")
    print("time per page: " + ", ".join(f"{name.split()[0]} {1000 * t / len(docs):.0f} ms"
                                        for name, t in timed.items()) + "\n")
    print(table(real))
    return real


def _dumps_part(docs: list[Doc]) -> dict[str, dict[str, Score] | None]:
    import tempfile

    from tests.eval import dumps

    with tempfile.TemporaryDirectory(prefix="newsdex-dumps-") as folder:
        dump_docs = dumps.write(docs, Path(folder))
        scores = {"newsdex dumps": score(dump_docs, _without_dateline, strict_dates=True)}
    print(f"\nText dumps made from the real pages' labelled text in the seeds' forms: "
          f"{len(dump_docs)} files (no other tool reads these fields from plain text)\n")
    print(table(scores))
    return scores


def _without_dateline(doc: Doc) -> Prediction:
    # A dump's paragraphs are the label's chosen sentences, not the article's opening.
    pred = newsdex(doc)
    pred.gives = tuple(g for g in pred.gives if g != "dateline")
    return pred


def _print_failures(columns: dict[str, dict[str, Score] | None], column: str,
                    field: str | None) -> int:
    scores = columns.get(column)
    if scores is None:
        print(f"\nno column {column!r} (or not installed)", file=sys.stderr)
        return 2
    for key, title in ROWS:
        if field and key != field or key == "wrong" and field != "wrong":
            continue
        if scores[key].misses:
            print(f"\n{title}:")
            print("\n".join(f"  {m}" for m in scores[key].misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
