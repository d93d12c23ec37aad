"""A build leaves nothing behind outside its output folder: full, incremental, failed, interrupted,
and every cycle of --watch. TMPDIR points at an empty folder and must stay empty (in every process:
WeasyPrint's font copies are made in the layout workers)."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import MANUSCRIPT, REPO


def _env(tmpdir: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(tmpdir), "PYTHONDONTWRITEBYTECODE": "1"}


def _build(root: Path, out: Path, tmpdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), str(root), "-o", str(out), "-q",
                           "--no-proof", *extra], env=_env(tmpdir), capture_output=True, text=True,
                          timeout=600)


def _read_until(proc: subprocess.Popen[bytes], wanted: str, timeout: float) -> str:
    """The process's output up to `wanted` (raw reads: a buffered reader would hide lines from select)."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no '{wanted}' in time; got: {seen.decode(errors='replace')}"
        if sel.select(left):
            chunk = os.read(proc.stdout.fileno(), 65536)
            assert chunk, f"the build ended before '{wanted}': {seen.decode(errors='replace')}"
            seen += chunk
    sel.close()
    return seen.decode(errors="replace")


def _start(*args: str, tmpdir: Path) -> subprocess.Popen[bytes]:
    # Ctrl-C as a terminal sends it: a suite started in the background by a shell (`pytest &`) runs
    # with SIGINT ignored, which the build would inherit and never see.
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), *args],
                            env={**_env(tmpdir), "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_builds_leave_no_temporary_files(tmp_path: Path) -> None:
    root = tmp_path / "ms"
    shutil.copytree(MANUSCRIPT, root)
    out = tmp_path / "out"
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    chapter = sorted(root.glob("*.md"))[0]

    assert _build(root, out, tmpdir).returncode == 0  # full
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nJeszcze jedno zdanie.\n", encoding="utf-8")
    assert _build(root, out, tmpdir).returncode == 0  # incremental: one chapter laid out again
    assert _build(root, out, tmpdir, "--force", "-e", "print").returncode == 0  # the single-pass edition
    yaml = (root / "book.yaml").read_text(encoding="utf-8")
    (root / "book.yaml").write_text(yaml + "titel: x\n", encoding="utf-8")
    failed = _build(root, out, tmpdir)
    assert failed.returncode == 1, failed.stderr
    (root / "book.yaml").write_text(yaml, encoding="utf-8")
    assert list(tmpdir.iterdir()) == []

    # Interrupted in the middle of laying out (Ctrl-C reaches the whole process group).
    proc = _start(str(root), "-o", str(out), "--force", tmpdir=tmpdir)
    _read_until(proc, "read and convert", 60)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(60) == 130
    proc.stdout.close()
    assert list(tmpdir.iterdir()) == []

    # Stopped by SIGTERM (`kill`, a CI job's timeout), sent to the main process alone: it stops as on
    # Ctrl-C, and no worker of it is left behind (Python's default would have ended the main process
    # alone, its four workers left running for good).
    proc = _start(str(root), "-o", str(out), "--force", tmpdir=tmpdir)
    _read_until(proc, "read and convert", 60)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 128 + signal.SIGTERM
    proc.stdout.close()
    deadline = time.monotonic() + 10
    while _group_alive(proc.pid):
        assert time.monotonic() < deadline, "a worker of the stopped build is still running"
        time.sleep(0.1)
    assert list(tmpdir.iterdir()) == []
    assert not (out / ".kolofon-tmp").exists()
    assert _build(root, out, tmpdir).returncode == 0  # the outputs before it are intact: up to date

    # --watch with two edits.
    proc = _start(str(root), "-o", str(out), "--watch", "--no-proof", tmpdir=tmpdir)
    try:
        _read_until(proc, "watching", 120)
        for n in (1, 2):
            time.sleep(0.5)
            chapter.write_text(chapter.read_text(encoding="utf-8") + f"\nZdanie {n}.\n", encoding="utf-8")
            _read_until(proc, "built in", 120)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(60)
        proc.stdout.close()
    assert list(tmpdir.iterdir()) == []
    assert not (out / ".kolofon-tmp").exists()


def test_a_run_that_lays_nothing_out_leaves_no_process(tmp_path: Path) -> None:
    """build.py forks the layout server before it knows whether anything will be laid out
    (server.start_early): a build with nothing to do, a failed one and a bad argument end it as they
    exit (else it ran on, importing WeasyPrint, after the command had returned)."""
    root = tmp_path / "ms"
    shutil.copytree(MANUSCRIPT, root)
    out, tmpdir = tmp_path / "out", tmp_path / "tmp"
    tmpdir.mkdir()
    assert _build(root, out, tmpdir).returncode == 0
    for args, code in (((str(root), "-o", str(out), "--no-proof"), 0),  # up to date
                       ((str(tmp_path / "missing"), "-o", str(out)), 1),
                       ((str(root), "--no-such-option"), 2)):
        proc = _start(*args, tmpdir=tmpdir)
        assert proc.wait(60) == code, args
        proc.stdout.close()
        assert not _group_alive(proc.pid), f"a process of `build.py {' '.join(args)}` outlived it"
    assert list(tmpdir.iterdir()) == []
