"""A synthetic scraped-style news archive: deterministic, article-like text in YYYY/MM/DD folders.

    python -m bench.corpus N OUTDIR [--start K] [--seed S] [--jobs J]

`make bench` uses it when ../shared (the realistic corpus generator) is absent, so a fresh clone
can benchmark. File k depends only on (seed, k): the first 10,000 files of a 100,000-file archive
are the 10,000-file archive, and `--start N` writes new arrivals that follow an archive of N.

Each file is laid out as scraped pages are: one paragraph per line, an optional title line and
byline, an optional dateline (some with a wire tag such as "(AP)"), and scraper noise: "[ad_1]"
/ "[ad_2]", "Advertisement", "Leave a Reply", "Write to X at x@outlet.example", copyright lines.
Sentences come from small templates over the word lists in bench/words.py, with words drawn by
Zipf-like popularity and a long tail of invented proper nouns, so the vocabulary grows with the
archive as a real one does. Layout: OUTDIR/YYYY/MM/DD/<outlet-slug>-<k:07d>.txt.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import os
import random
import sys
import time
from multiprocessing import get_context

from bench import words

VERSION = 1  # part of the cache key: bump it whenever the output changes
N_PROPER = 20_000  # invented proper nouns (names of people, places, companies)
N_TAIL = 40_000  # invented lowercase words: the long tail of the vocabulary
TAIL_SHARE = 0.25  # of nouns drawn from the invented tail
RARE_RANK = 300  # popularity rank of the word used as the "rare word" query
FIRST_DAY = dt.date(2000, 1, 1).toordinal()
LAST_DAY = dt.date(2024, 12, 31).toordinal()


class Table:
    """Items drawn by Zipf-like popularity: the item of rank r has weight 1 / (r + 1) ** s."""

    def __init__(self, items: list[str], s: float = 1.0) -> None:
        self.items = items
        self.cum: list[float] = []
        total = 0.0
        for rank in range(len(items)):
            total += 1.0 / (rank + 1) ** s
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


def invented(count: int, seed: int) -> list[str]:
    """Invented words ("kalomi", "vosterdar"), the same on every run for a seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        word = "".join(rng.choice(words.SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen and len(word) > 3:
            seen.add(word)
            out.append(word)
    return out


def proper_nouns(count: int = N_PROPER) -> list[str]:
    return [w.capitalize() for w in invented(count, 20240601)]


def rare_word() -> str:
    """A word found in a small share of the articles (for the benchmark's rare-word query)."""
    return proper_nouns()[RARE_RANK].lower()


def slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


class Generator:
    """Writes article k of the archive for a seed; holds the popularity tables."""

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.nouns = Table(words.NOUNS, s=0.6)
        self.adjectives = Table(words.ADJECTIVES)
        self.past = Table(words.PAST)
        self.base = Table(words.BASE)
        self.proper = Table(proper_nouns())
        self.tail = Table(invented(N_TAIL, 20240602))
        self.outlets = Table([o[0] for o in words.OUTLETS], s=0.9)
        self.by_name = {o[0]: o for o in words.OUTLETS}

    # -- words and phrases -----------------------------------------------------------------

    def person(self, rng: random.Random) -> str:
        last = rng.choice(words.LAST_NAMES) if rng.random() < 0.7 else self.proper.pick(rng)
        return f"{rng.choice(words.FIRST_NAMES)} {last}"

    def noun_phrase(self, rng: random.Random) -> str:
        noun = self.tail.pick(rng) if rng.random() < TAIL_SHARE else self.nouns.pick(rng)
        if rng.random() < 0.35:
            noun = f"{self.adjectives.pick(rng)} {noun}"
        if rng.random() < 0.15:
            noun = f"{noun} of the {self.nouns.pick(rng)}"
        det = rng.choice(words.DETERMINERS)
        if det == "a" and noun[0] in "aeiou":
            det = "an"
        return f"{det} {noun}"

    def subject(self, rng: random.Random) -> str:
        r = rng.random()
        if r < 0.45:
            return self.noun_phrase(rng)
        if r < 0.6:
            return self.person(rng)
        if r < 0.75:
            return f"{self.proper.pick(rng)} {rng.choice(words.ORG_KINDS)}"
        if r < 0.85:
            return f"{rng.choice(['Mr.', 'Ms.', 'Dr.'])} {rng.choice(words.LAST_NAMES)}"
        return f"{rng.choice(words.CITIES).title()} officials"

    def amount(self, rng: random.Random) -> str:
        r = rng.random()
        if r < 0.4:
            return f"{rng.randint(2, 99)} percent"
        if r < 0.7:
            return f"${rng.randint(1, 999) / 10:.1f} {rng.choice(['million', 'billion'])}"
        return f"{rng.randint(2, 5000):,}"

    def place(self, rng: random.Random) -> str:
        r = rng.random()
        if r < 0.25:
            return f" in {rng.choice(words.CITIES).title()}"
        if r < 0.4:
            return f" on {rng.choice(words.WEEKDAYS)}"
        if r < 0.5:
            return f" in {rng.choice(words.MONTHS)}"
        if r < 0.75:
            return f" {rng.choice(words.PREPOSITIONS)} {self.noun_phrase(rng)}"
        if r < 0.85:
            return f" in {self.proper.pick(rng)}"
        return ""

    def sentence(self, rng: random.Random) -> str:
        r = rng.random()
        if r < 0.35:
            text = f"{self.subject(rng)} {self.past.pick(rng)} {self.noun_phrase(rng)}"
            text += self.place(rng)
        elif r < 0.55:
            text = (f"{self.subject(rng)} {self.past.pick(rng)} that {self.noun_phrase(rng)} "
                    f"would {self.base.pick(rng)} {self.noun_phrase(rng)}{self.place(rng)}")
        elif r < 0.7:
            said = f"{self.person(rng)}, {rng.choice(words.ROLES)} at " \
                   f"{self.proper.pick(rng)} {rng.choice(words.ORG_KINDS)}"
            quote = f"{self.subject(rng)} {self.past.pick(rng)} {self.noun_phrase(rng)}"
            return f"\u201c{_cap(quote)},\u201d said {said}."
        elif r < 0.85:
            text = (f"{self.subject(rng)} {self.past.pick(rng)} {self.amount(rng)} "
                    f"{rng.choice(['in', 'for', 'of'])} {self.noun_phrase(rng)}{self.place(rng)}")
        else:
            lead = self.place(rng).strip() or f"on {rng.choice(words.WEEKDAYS)}"
            text = (f"{lead}, {self.subject(rng)} {self.past.pick(rng)} "
                    f"{self.noun_phrase(rng)}")
        return _cap(text) + "."

    def title(self, rng: random.Random) -> str:
        parts = [self.subject(rng), self.past.pick(rng), self.noun_phrase(rng)]
        if rng.random() < 0.4:
            parts.append(self.place(rng).strip())
        return " ".join(w if w.isupper() else w.capitalize() for w in " ".join(parts).split())

    # -- one article -----------------------------------------------------------------------

    def article(self, k: int) -> tuple[str, str]:
        """(relative path, text) of article k."""
        rng = random.Random(self.seed * 1_000_003 + k)
        outlet, publisher, domain = self.by_name[self.outlets.pick(rng)]
        day = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY))
        authors = [self.person(rng) for _ in range(1 if rng.random() < 0.8 else 2)]
        lines: list[str] = []
        ads = rng.random() < 0.3
        if ads:
            lines.append("[ad_1]")
        if rng.random() < 0.92:
            lines.append(self.title(rng))
        if rng.random() < 0.75:
            lines.append(byline(rng, authors, outlet))
        if rng.random() < 0.15:
            lines.append(f"Published {words.MONTHS[day.month - 1]} {day.day}, {day.year}")
        lines += self.body(rng)
        if rng.random() < 0.2:
            first, *_, last = authors[0].split()
            email = f"{first}.{last}".lower().replace("'", "")
            lines.append(f"Write to {authors[0]} at {email}@{domain}")
        if rng.random() < 0.25:
            lines.append(f"Copyright \u00a9 {day.year} {publisher}. All rights reserved.")
        if ads:
            lines.append("[ad_2]")
        if rng.random() < 0.2:
            lines.append("Leave a Reply")
        rel = f"{day:%Y/%m/%d}/{slug(outlet)}-{k:07d}.txt"
        return rel, "\n".join(lines) + "\n"

    def body(self, rng: random.Random) -> list[str]:
        paragraphs = [" ".join(self.sentence(rng) for _ in range(rng.randint(1, 4)))
                      for _ in range(rng.randint(8, 24))]
        r = rng.random()
        city = rng.choice(words.CITIES)
        if r < 0.2:
            paragraphs[0] = f"{city} \u2014 {paragraphs[0]}"
        elif r < 0.35:
            paragraphs[0] = f"{city} ({rng.choice(words.WIRE_TAGS)}) \u2014 {paragraphs[0]}"
        for noise in ("Advertisement", "Share this article", "Sign up for our newsletter"):
            if rng.random() < 0.1:
                paragraphs.insert(rng.randint(1, len(paragraphs) - 1), noise)
        return paragraphs


def byline(rng: random.Random, authors: list[str], outlet: str) -> str:
    names = " and ".join(authors)
    r = rng.random()
    if r < 0.3:
        return names
    if r < 0.7:
        return f"By {names}"
    if r < 0.8:
        return f"By {names.upper()}"
    if r < 0.9:
        return f"By {names} | {outlet}"
    return f"{names}, {outlet}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- writing files ---------------------------------------------------------------------------

_generator: Generator | None = None


def _init(seed: int) -> None:
    global _generator
    _generator = Generator(seed)


def _write_range(args: tuple[str, int, int]) -> int:
    outdir, lo, hi = args
    made: set[str] = set()
    size = 0
    for k in range(lo, hi):
        rel, text = _generator.article(k)
        folder = os.path.join(outdir, os.path.dirname(rel))
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        data = text.encode("utf-8")
        with open(os.path.join(outdir, rel), "wb") as f:
            f.write(data)
        size += len(data)
    return size


def generate(n: int, outdir: str, start: int = 0, seed: int = 1, jobs: int = 0) -> int:
    """Write files start .. start+n-1 under outdir; returns the bytes of text written."""
    jobs = jobs or min(2, os.cpu_count() or 1)
    step = 500
    chunks = [(outdir, lo, min(lo + step, start + n)) for lo in range(start, start + n, step)]
    if jobs == 1 or n <= step:
        _init(seed)
        return sum(map(_write_range, chunks))
    with get_context("fork").Pool(jobs, initializer=_init, initargs=(seed,)) as pool:
        return sum(pool.imap_unordered(_write_range, chunks))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus",
                                 description="Write N synthetic scraped-style article files.")
    ap.add_argument("n", type=int, help="number of files")
    ap.add_argument("outdir")
    ap.add_argument("--start", type=int, default=0, help="number of the first file (default 0)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=0, help="processes (default: up to 2)")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("N must be at least 1")
    started = time.monotonic()
    size = generate(a.n, a.outdir, a.start, a.seed, a.jobs)
    print(f"wrote {a.n} files ({size / 1e6:.1f} MB) under {a.outdir} "
          f"in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
