"""Workers stopped the moment they start (a build that fails while reading the manuscript, right after
the workers were forked) end at once and quietly, in every process.

A freshly forked worker still has the main process's SIGTERM handler (cli.py turns SIGTERM into a stop
like Ctrl-C) until its own start-up resets it; a SIGTERM arriving then was swallowed by one of Python's
after-fork steps ("Exception ignored"), the worker lived on, and a build in the test suite once waited
for it for good. Workers are stopped with SIGKILL (workers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SCRIPT = """
import signal, sys
from kolofon.cli import _terminate
from kolofon.workers import Workers

signal.signal(signal.SIGTERM, _terminate)  # as a build sets it
for _ in range(40):
    try:
        with Workers(sys.argv[1]) as workers:
            workers.start_tools()
            raise ValueError("the manuscript has a mistake")
    except ValueError:
        pass
print("done")
"""


def test_workers_stopped_as_they_start_end_at_once_and_quietly(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and done.stdout == "done\n", done.stderr
    assert "Terminated" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []
