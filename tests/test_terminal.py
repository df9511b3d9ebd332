"""Terminal safety: escape sequences, C0/C1 control characters and bidi overrides inside scraped
articles never reach the terminal raw, in any output (search, show, show --raw, extract), piped
or on a real terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, file_id, run_newsdex
from tests.test_incremental import write_articles

# Retitle the terminal (OSC 0), recolour it (CSI 31m), hide text (CSI 8m), an 8-bit CSI (C1),
# other C1 controls, bidi overrides and isolates, a bell, a backspace, a NUL.
HOSTILE = ("\x1b]0;pwned title\x07\x1b[31m\x1b[8m\x9b2J\x85\x8d\x90\u202e\u2066\u2069"
           "\x07\x08\x00")
ARTICLE = (f"Harbour{HOSTILE} strike ends after talks\n"
           f"By Ann{HOSTILE} Lindqvist\n"
           f"Published March 3, 2021\n"
           f"The dockers' strike in Porthmere ended on Monday{HOSTILE}, the union said after "
           f"talks that ran late into the night and a vote of six to two.\n"
           f"Ships queued outside the harbour{HOSTILE} for a week, and the ferry operator said "
           f"its timetable would be back to normal by Wednesday.\n"
           f"The port authority said the backlog of containers would take at least ten days to "
           f"clear, and that it would open the north quay at night until the queue was gone.\n"
           f"Shipping agents said the cost of the week-long stoppage would be passed on to "
           f"importers, and several retailers warned of gaps on their shelves before Easter.\n")
PAGE = (f"<html><head><title>Ferry{HOSTILE} timetable restored</title></head><body><article>"
        f"<h1>Ferry{HOSTILE} timetable restored</h1><p>The ferry operator in Porthmere said "
        f"its timetable{HOSTILE} would be back to normal by Wednesday after the strike.</p>"
        f"<p>Passengers had waited for a week as ships queued outside the harbour.</p>"
        f"<p>The operator said extra sailings would run on Saturday and Sunday to clear the "
        f"backlog of foot passengers and freight, and that tickets bought for cancelled "
        f"crossings would be valid for a month.</p>"
        f"</article></body></html>")

# Anything a terminal acts on: C0 controls other than tab and newline (so ESC, BEL, BS, CR,
# NUL), DEL, C1 controls, bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "strike.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "ferry.html").write_text(PAGE, encoding="utf-8")
    # ... and a file name with escape sequences of its own (shown defused, not necessarily
    # without their debris: the name must stay recognisable).
    (folder / "name\x1b]2;x\x07\x1b[5m.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def outputs(archive: Path, index: Path) -> dict[str, str]:
    run = run_newsdex("index", archive, "--index", index)
    assert run.returncode == 0, run.stderr
    strike, ferry = str(archive / "strike.txt"), str(archive / "ferry.html")
    commands = {
        "index": ("index", archive, "--index", index),
        "search": ("search", "strike", "--index", index, "--facet", "author"),
        "search --json": ("search", "strike", "--json", "--index", index),
        "search --jsonl": ("search", "*", "--jsonl", "--index", index),
        "search --csv": ("search", "*", "--csv", "--index", index),
        "show": ("show", file_id(strike), "--index", index),
        "show html": ("show", file_id(ferry), "--index", index),
        "show --json": ("show", file_id(strike), "--json", "--index", index),
        "show --raw": ("show", file_id(strike), "--raw", "--index", index),
        "show --raw html": ("show", file_id(ferry), "--raw", "--index", index),
        "extract": ("extract", strike),
        "extract --json": ("extract", strike, "--json"),
        "extract html": ("extract", ferry, "--explain"),
        "facets": ("facets", "author", "--index", index),
    }
    out = {}
    for name, args in commands.items():
        result = run_newsdex(*args)
        assert result.returncode == 0, (name, result.stderr)
        out[name] = result.stdout + result.stderr
    return out


def test_no_control_character_reaches_piped_output(archive, tmp_path):
    out = outputs(archive, tmp_path / "index")
    for name, text in out.items():
        assert not UNSAFE.search(text), (name, UNSAFE.findall(text))
        # Not even the debris of a sequence whose escape character was dropped.
        assert "]0;" not in text and "[31m" not in text and "pwned" not in text, name
    assert "Porthmere ended on Monday, the union said" in out["show"]
    assert "Harbour strike ends after talks" in out["search"]
    assert "Ann Lindqvist" in out["facets"]


def run_on_a_terminal(*args) -> str:
    """newsdex with stdout and stderr on a pseudo-terminal (so colour is on)."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm", COLUMNS="120", LINES="1000")  # tall: no pager
    proc = subprocess.Popen([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8")


def test_on_a_terminal_only_newsdex_own_styling_is_sent(archive, tmp_path):
    index = tmp_path / "index"
    assert run_newsdex("index", archive, "--index", index).returncode == 0
    for args in (("search", "strike"), ("show", file_id(str(archive / "strike.txt"))),
                 ("show", file_id(str(archive / "strike.txt")), "--raw")):
        text = run_on_a_terminal(*args, "--index", index)
        # Bold, dim and reset are newsdex's own; nothing else may be there.
        own = re.sub(r"\x1b\[[012]m", "", text).replace("\r\n", "\n")
        assert not UNSAFE.search(own), (args, UNSAFE.findall(own))
        assert "Harbour strike ends after talks" in own


def test_a_long_run_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    archive = tmp_path / "archive"
    write_articles(archive, range(220))
    text = run_on_a_terminal("index", archive, "--index", tmp_path / "index", "--jobs", "2")
    assert "indexing" in text and "100%" in text
    assert "220 added, 0 updated" in text
    piped = run_newsdex("index", archive, "--index", tmp_path / "piped")
    assert piped.returncode == 0 and piped.stderr == ""
