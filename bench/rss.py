"""Peak memory of a measured command, exactly: the kernel's ru_maxrss, not sampling.

Two tools:
- `measure(cmd)` runs a command and reaps it with os.wait4, whose rusage covers that process
  and every descendant it waited for: ru_maxrss is then the peak resident size of the largest
  single process in the tree (not a sum of processes running at once).
- `python -m bench.rss REPORT -m MODULE ARGS...` runs MODULE as `python -m MODULE ARGS` would,
  in this same process, and at exit writes REPORT (JSON) with this process's own peak
  (RUSAGE_SELF) and its largest reaped child's peak (RUSAGE_CHILDREN) separately: a build that
  forks workers gets both its main process and its workers measured.
Linux reports ru_maxrss in KiB.
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    maxrss_kib: int  # largest single process of the command's tree


def measure(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> Measured:
    """Run cmd to completion; wall time and peak RSS of its process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        # wait4 rather than proc.wait(): only wait4 hands back the child's rusage.
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss)


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] != "-m":
        sys.exit("usage: python -m bench.rss REPORT -m MODULE [ARGS...]")
    report, module, args = argv[0], argv[2], argv[3:]
    pid = os.getpid()
    code: int | str | None = 0
    started = time.perf_counter()
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as e:
        code = e.code
    finally:
        if os.getpid() == pid:  # not in a forked worker that unwinds through here
            _write(report, code, time.perf_counter() - started)
    sys.exit(code)


def _write(report: str, code, seconds: float) -> None:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = {
        "self_maxrss_kib": own.ru_maxrss,
        "children_maxrss_kib": children.ru_maxrss,
        "exit": code if isinstance(code, int) or code is None else 1,
        "seconds": round(seconds, 3),
    }
    with open(report, "w", encoding="utf-8") as f:
        json.dump(data, f)


if __name__ == "__main__":
    main(sys.argv[1:])
