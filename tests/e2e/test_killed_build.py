"""A build killed outright (SIGKILL, a crash) takes its workers with it: the layout server and the
tool processes ran on for a minute and more (QA sweep 13), and the next build cleans up after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import MANUSCRIPT, REPO


def _group(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:  # field 5: the process group
                pids.append(int(entry))
    return pids


def test_a_killed_build_leaves_no_workers_running(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), str(MANUSCRIPT), "-o", str(out),
                             "--force", "--no-proof"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(_group(proc.pid)) < 3:  # the main process, the layout server, the tools
            assert time.monotonic() < deadline and proc.poll() is None, "the workers never started"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while _group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _group(proc.pid) == []
    finally:
        for pid in _group(proc.pid):
            os.kill(pid, signal.SIGKILL)
    again = subprocess.run([sys.executable, str(REPO / "build.py"), str(MANUSCRIPT), "-o", str(out), "-q",
                            "--no-proof", "-e", "pdf"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    left = sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".kolofon-cache")
    assert left == [".kolofon-stamp.json"], left
