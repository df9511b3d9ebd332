"""Plain-text dumps made from the real pages' labels, in the seeds' forms, for `make eval`.

Auto-blog scrapers publish an article as one paragraph per line with their own noise around it
(see seeds/ and ../shared/bench/make_corpus.py): "[ad_1]", a title line, a byline line ("By X
and Y", a bare name, "By X | Outlet"), "Video Embed", "Photo:" and a credit, "CLICK HERE TO READ
MORE FROM THE <OUTLET>", "Write to X at x@domain", "Copyright ©<year> <Outlet>. All Rights
Reserved. <hash>", "[ad_2]", "Leave a Reply". Each dump here is written at run time into a
temporary folder from one real page's label: its title, its people, its outlet, and its `keep`
sentences as the paragraphs (the page's text, not ours), with those lines around them. Which
forms a dump gets is fixed by a hash of its name, so every run writes the same files. Nothing is
committed: the sentences come from ../shared.

The dump's own label follows: the title line, the authors the byline names, the outlet that the
footer or the "READ MORE FROM" line names, the date a date folder gives (only for a label with a
day), and every noise line as boilerplate.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PHOTO_CREDITS = ["Getty Images", "REUTERS/Staff", "AP Photo/File", "Handout via Reuters",
                 "AFP via Getty Images"]


def write(docs: list, folder: Path) -> list:
    """One dump per labelled page with sentences to keep; returns their Docs."""
    from tests.eval.run import Doc

    out = []
    for doc in docs:
        label = doc.label
        if not label["keep"] or not label["title"]:
            continue
        name = doc.name.replace("/", "-").removesuffix(".json")
        pick = hashlib.sha1(name.encode()).digest()
        lines, noise, day = _lines(label, pick)
        sub = Path(*day.split("-")) if day else Path()
        path = folder / sub / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        want = {"title": label["title"], "authors": label["authors"],
                "outlet": label["outlet"], "published": day, "dateline": None,
                "keep": label["keep"], "remove": noise}
        out.append(Doc(path, "dumps", want, name=f"dumps/{name}"))
    return out


def _lines(label: dict, pick: bytes) -> tuple[list[str], list[str], str | None]:
    outlet, authors = label["outlet"], label["authors"]
    published = label["published"] or ""
    day = published if len(published) == 10 else None
    lines: list[str] = []
    noise: list[str] = []

    def add(line: str, is_noise: bool = True) -> None:
        lines.append(line)
        if is_noise:
            noise.append(line)

    if pick[0] % 2:
        add("[ad_1]")
    add(label["title"], is_noise=False)
    if authors:
        add(_byline(authors, outlet, pick[1]), is_noise=False)
    if pick[2] % 3 == 0:
        add("Video Embed")
    keep = label["keep"]
    for n, sentence in enumerate(keep):
        add(sentence, is_noise=False)
        if n == 1 and pick[3] % 2:
            add("Photo:")
            add(PHOTO_CREDITS[pick[4] % len(PHOTO_CREDITS)])
    if outlet and (pick[5] % 2 or not authors):
        add(f"CLICK HERE TO READ MORE FROM THE {outlet.upper().removeprefix('THE ')}")
    if authors and pick[6] % 2:
        add(f"Write to {authors[0]} at {_email(authors[0], outlet)}")
    if outlet:
        year = f"{day[:4]} " if day else ""
        tail = f" {pick.hex()[:32]}" if pick[7] % 2 else ""
        add(f"Copyright ©{year}{outlet}. All Rights Reserved.{tail}")
    if pick[8] % 2:
        add("[ad_2]")
    add("Leave a Reply")
    return lines, noise, day


def _byline(authors: list[str], outlet: str | None, pick: int) -> str:
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    form = pick % 4
    if form == 0:
        return f"By {names}"
    if form == 1:
        return f"By {names.upper()}"
    if form == 2 and outlet:
        return f"By {names} | {outlet}"
    return names


def _email(author: str, outlet: str | None) -> str:
    user = ".".join(author.lower().split()[-2:])
    domain = "".join(c for c in (outlet or "news").lower() if c.isalnum()) or "news"
    return f"{user}@{domain}.example"


if __name__ == "__main__":  # a look at one dump: python -m tests.eval.dumps LABEL.json
    import sys

    lines, noise, day = _lines(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")),
                               hashlib.sha1(sys.argv[1].encode()).digest())
    print("\n".join(lines))
