"""Shared test helpers: run the real CLI (in-process with CliRunner, or as a subprocess)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.extraction.reader import read_bytes
from indexer.identity import content_id
from search.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Cli:
    """`cli("search", "x", "--json")` runs newsdex in-process against this test's index."""

    def __init__(self, index: Path) -> None:
        self.index = index
        self.runner = CliRunner()

    def __call__(self, *args: str, index: bool = True, input: str | None = None):
        argv = [str(a) for a in args]
        if index:
            argv += ["--index", str(self.index)]
        return self.runner.invoke(main, argv, input=input, catch_exceptions=False)

    def json(self, *args: str):
        result = self(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def file_id(path) -> str:
    """The id of a file's article when the file is first indexed: named by its content."""
    return content_id(hashlib.sha1(read_bytes(str(path))).hexdigest())


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "index")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of seeds/, safe to modify."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def run_newsdex(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """newsdex as a real process (for signals, locks, cold start)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], env=full_env,
                          capture_output=True, text=True, cwd=ROOT, **kwargs)
