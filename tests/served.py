"""The archive `newsdex serve` is tested over: tests/archive.py's generated articles plus one
hostile page (tests/fixtures/serve/xss.html: markup in its title, outlet and text), indexed for
real once per test session. Separate from archive.indexed(), whose counts other tests assert."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from archive import Indexed, write

ROOT = Path(__file__).resolve().parent.parent
XSS_PAGE = Path(__file__).resolve().parent / "fixtures" / "serve" / "xss.html"
XSS_TITLE = "<script>alert(1)</script>"
XSS_OUTLET = "<b>Evil</b> Times"

_served: Indexed | None = None


def served(tmp_path_factory) -> Indexed:
    global _served
    if _served is None:
        root = tmp_path_factory.mktemp("served")
        archive = Indexed(root, write(root))
        (archive.articles / "evil").mkdir()
        shutil.copy(XSS_PAGE, archive.articles / "evil" / "xss.html")
        out = archive.ok("index", str(archive.articles), "--outlets", str(archive.outlets),
                         "--quiet")
        assert f"{len(archive.docs) + 1} added" in out, out
        _served = archive
    return _served


def xss_id(archive: Indexed) -> str:
    hits = archive.hits("*", "--outlet", XSS_OUTLET)
    assert [h["title"] for h in hits] == [XSS_TITLE]
    return hits[0]["id"]


class Server:
    """`newsdex serve --port 0` as a real process; its URL read from its first line."""

    def __init__(self, index: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search", "serve", "--index", str(index), "--port", "0",
             *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        line = self.process.stdout.readline()
        m = re.search(r"at (http://\S+/) ", line)
        if not m:
            self.stop()
            raise AssertionError(f"no URL in {line!r}: {self.process.stderr.read()}")
        self.url = m.group(1).rstrip("/")

    def stop(self) -> str:
        """Stops the server (Ctrl-C, as a user would) and returns what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.stderr.read()


def get(url: str) -> tuple[int, dict, bytes]:
    """A plain HTTP GET: status, headers, body (errors included)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def cli_json(archive: Indexed, *args: str):
    """The CLI's --json object, without the field that differs between two runs."""
    data = archive.json(*args)
    if isinstance(data, dict):
        data.pop("seconds", None)
    return data


def wait_until(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def strip_seconds(text: str) -> dict:
    data = json.loads(text)
    data.pop("seconds", None)
    return data
