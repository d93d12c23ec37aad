"""The layout server (kolofon/layout/server.py): one process forks the children that lay the parts out;
a child is replaced once it has grown, errors reach the main process, parts run side by side, and
nothing is left running or on disk."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kolofon.layout import engine, server
from kolofon.layout.part import Job
from kolofon.layout.written import NOTHING_PENDING, Written

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the growth is read from /proc")

_held: list[bytearray] = []


def _job(html: str) -> Job:
    return Job(html, "file:///", (), 0.0, Path("unused.pdf"))


def _fake_lay_out(job: Job, laid: Callable[[object], None] | None = None) -> tuple[int, str]:
    """Stands in for WeasyPrint in the forked child: `grow` keeps memory, as WeasyPrint does; `write N`
    takes N seconds to write its PDF after its pages are known."""
    if job.html == "fail":
        raise ValueError("a part that cannot be laid out")
    if job.html == "grow":
        _held.append(bytearray(os.urandom(1024)) * (server.GROWTH // 1024 + 1024))
    if job.html == "temp":  # as WeasyPrint copies fonts into a folder it never removes in a child
        tempfile.mkdtemp(prefix="weasyprint-")
    if job.html.startswith("sleep"):
        time.sleep(float(job.html.split()[1]))
    if laid is not None:
        laid((os.getpid(), job.html))
    if job.html.startswith("write"):
        time.sleep(float(job.html.split()[1]))
    return os.getpid(), job.html


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """Where the server writes down its warm-ups (it is another process: a list would stay there)."""
    return tmp_path / "warm-ups.txt"


@pytest.fixture
def scratch_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"  # the build's scratch folder
    folder.mkdir()
    return folder


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """The server is forked from this process: it inherits the stand-ins."""
    def warm_up(job: Job, now: bool = False) -> None:
        with log.open("a") as f:
            f.write(f"{job.html}{' now' if now else ''}\n")

    monkeypatch.setattr(engine, "lay_out", _fake_lay_out)
    monkeypatch.setattr(engine, "warm_up", warm_up)


def _pool(scratch_dir: Path, count: int) -> Iterator[server.LayoutPool]:
    pool = server.LayoutPool(str(scratch_dir), count)
    try:
        yield pool
    finally:
        pool.close(kill=True)


@pytest.fixture
def pool(fakes: None, scratch_dir: Path) -> Iterator[server.LayoutPool]:
    yield from _pool(scratch_dir, 1)


@pytest.fixture
def pool2(fakes: None, scratch_dir: Path) -> Iterator[server.LayoutPool]:
    yield from _pool(scratch_dir, 2)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return status != "Z"


def _ends(pid: int) -> bool:
    """The server replies first and stops a child after: the child ends soon, not at once."""
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not _alive(pid)


def _lay_out(pool: server.LayoutPool, html: str) -> tuple[int, str]:
    laid, written = pool.submit(_job(html))
    written.result(timeout=30)
    return laid.result(timeout=0)  # type: ignore[return-value]


def test_parts_are_laid_out_in_one_child_until_it_grows(pool: server.LayoutPool) -> None:
    first, _ = _lay_out(pool, "a")
    assert first not in (os.getpid(), pool._process.pid)
    assert _lay_out(pool, "b")[0] == first  # small parts: the same child, warm
    assert _lay_out(pool, "grow")[0] == first
    assert _ends(first)  # it grew by more than GROWTH: ended and reaped
    second, text = _lay_out(pool, "c")
    assert second not in (first, os.getpid()) and text == "c"


def test_a_childs_first_part_is_not_counted_as_growth(pool: server.LayoutPool) -> None:
    """Every child's first part fills the same caches (~23 MiB): counted, it replaced every child after
    its first chapter, and the next child filled them again."""
    first, _ = _lay_out(pool, "grow")
    assert _lay_out(pool, "b")[0] == first  # still warm, still the same child
    assert _lay_out(pool, "grow")[0] == first
    assert _ends(first)  # grown by more than GROWTH since its first part


def test_a_part_comes_before_its_pdf_is_written_and_its_child_stays_busy(pool: server.LayoutPool) -> None:
    start = time.monotonic()
    laid, written = pool.submit(_job("write 1"))
    child, _ = laid.result(timeout=30)
    assert time.monotonic() - start < 0.9 and not written.done()
    assert pool.unwritten() == [(Path("unused.pdf"), written)]
    after, after_written = pool.submit(_job("b"))
    assert after.result(timeout=30)[0] == child  # one child: the next part waited for the writing
    assert written.done() and written.exception() is None and time.monotonic() - start >= 1
    after_written.result(timeout=30)
    assert pool.unwritten() == []


def test_a_child_killed_while_writing_fails_the_pdf_not_the_part(pool: server.LayoutPool) -> None:
    laid, written = pool.submit(_job("write 30"))
    child, _ = laid.result(timeout=30)
    os.kill(child, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        written.result(timeout=10)
    assert laid.exception() is None and not pool.broken


def test_an_error_reaches_the_main_process_and_the_child_goes_on(pool: server.LayoutPool) -> None:
    first, _ = _lay_out(pool, "a")
    with pytest.raises(ValueError, match="cannot be laid out"):
        _lay_out(pool, "fail")
    assert _lay_out(pool, "b")[0] == first


def test_a_child_killed_while_idle_costs_no_part(pool: server.LayoutPool) -> None:
    first, _ = _lay_out(pool, "a")
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _alive(first) and time.monotonic() < deadline:  # dead (a zombie): its pipe is closed
        time.sleep(0.01)
    # Before: the job was sent down the dead child's pipe and the server died of a BrokenPipeError
    # (or, had the kill come a moment later, the part failed): a new child now takes it.
    pid, html = _lay_out(pool, "b")
    assert html == "b" and pid not in (first, os.getpid())
    assert not pool.broken


def test_a_child_killed_while_busy_fails_its_part_and_the_next_part_gets_a_new_one(
        pool: server.LayoutPool) -> None:
    first, _ = _lay_out(pool, "a")
    running = pool.submit(_job("sleep 30"))[0]
    time.sleep(0.3)  # the same (idle, alive) child took it
    os.kill(first, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        running.result(timeout=10)
    assert _lay_out(pool, "c")[0] not in (first, os.getpid())
    assert not pool.broken


def test_parts_run_side_by_side_one_child_per_core(pool2: server.LayoutPool) -> None:
    start = time.monotonic()
    futures = [pool2.submit(_job("sleep 1"))[0] for _ in range(2)]
    pids = {f.result(timeout=30)[0] for f in futures}  # type: ignore[index]
    assert len(pids) == 2
    assert time.monotonic() - start < 1.8


def test_closing_leaves_no_process_and_no_temp_file(pool: server.LayoutPool, scratch_dir: Path) -> None:
    pid, _ = _lay_out(pool, "temp")
    assert [p.name[:7] for p in scratch_dir.iterdir()] == ["layout-"]  # the child's, holding its files
    assert _closes_within(pool, 5)
    assert not _alive(pid)
    assert list(scratch_dir.iterdir()) == []


def test_killing_stops_a_running_part_at_once(pool: server.LayoutPool) -> None:
    running = pool.submit(_job("sleep 60"))[0]
    time.sleep(0.5)
    start = time.monotonic()
    pool.close(kill=True)
    assert time.monotonic() - start < 5
    assert not _alive(pool._process.pid)
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        running.result(timeout=5)


def test_a_dead_server_fails_what_is_waiting_and_says_so(pool: server.LayoutPool) -> None:
    running = pool.submit(_job("sleep 60"))[0]
    time.sleep(0.5)
    os.kill(pool._process.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        running.result(timeout=10)
    assert pool.broken  # a --watch session makes new workers (workers.Session)


def test_parts_sent_to_a_server_that_just_died_fail_and_nothing_raises(pool: server.LayoutPool) -> None:
    _lay_out(pool, "a")
    os.kill(pool._process.pid, signal.SIGKILL)
    futures = [pool.submit(_job("b"))[0] for _ in range(20)]  # before and after the death is noticed
    pool._process.join()
    pool._send(("lay out", 99, _job("c")))  # what a submit does before the reader notices: no raise
    for future in futures:
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            future.result(timeout=10)


def _idle() -> None:
    time.sleep(60)


def _closes_within(pool: server.LayoutPool, seconds: float) -> bool:
    """pool.close() in a thread: a close that hangs fails the test (and the server is killed to end
    it) instead of hanging the test run."""
    closing = threading.Thread(target=pool.close, daemon=True)
    closing.start()
    closing.join(seconds)
    if closing.is_alive():
        os.kill(pool._process.pid, signal.SIGKILL)
        closing.join(10)
        return False
    return not _alive(pool._process.pid)


def test_a_process_forked_later_does_not_keep_the_server_open(pool: server.LayoutPool) -> None:
    """The tools are forked from the main process after the server: they must not hold its pipe, or
    the server would never see the main process close it, and the build would hang at its end."""
    _lay_out(pool, "a")
    tool = multiprocessing.get_context("fork").Process(target=_idle, daemon=True)
    tool.start()
    try:
        assert _closes_within(pool, 5)
    finally:
        tool.kill()
        tool.join()


def test_the_server_warms_up_before_it_forks_a_child(pool: server.LayoutPool, log: Path) -> None:
    """Each child is forked warm (engine.warm_up, before the fork), not after it has grown; a warm-up
    sent by the main process (Workers.warm_layout) is done at once."""
    pool.warm_up(_job("head"))
    _lay_out(pool, "a")
    _lay_out(pool, "b")  # the same child: no fork, no warm-up
    assert log.read_text().split("\n") == ["head now", "a", ""]
    _lay_out(pool, "grow")
    _lay_out(pool, "c")  # a new child
    assert log.read_text().split("\n") == ["head now", "a", "c", ""]


def _waited(reads: Written, pdf: Path) -> float:
    reads.wait(pdf)
    return time.time()


def test_a_tool_given_the_unwritten_parts_starts_at_once_and_waits_where_it_reads_one(
        fakes: None, scratch_dir: Path) -> None:
    """The assembly's tools start once the parts are laid out; each waits only where it reads a part
    still being written, and fails as that part did (its own error, not the tool's)."""
    from kolofon.workers import Workers

    with Workers(str(scratch_dir), 1) as workers:
        laid, written = workers.lay_out(_job("write 1"))
        laid.result(timeout=30)
        written_at: list[float] = []
        # Before unwritten(), whose own callback marks the PDF written for the tool: callbacks run in
        # the order they were added, so the time is taken before the tool can see the mark.
        written.add_done_callback(lambda _: written_at.append(time.time()))
        reads = workers.unwritten()
        assert reads.pdfs == {Path("unused.pdf")}
        started = workers.tool(time.time, reads=reads)  # reads no part
        waited = workers.tool(_waited, reads, Path("unused.pdf"), reads=reads)
        assert started.result(timeout=30) < written_at[0] <= waited.result(timeout=30)
        assert workers.unwritten() is NOTHING_PENDING
        laid, written = workers.lay_out(_job("write 30"))
        reads = workers.unwritten()
        waiting = workers.tool(_waited, reads, Path("unused.pdf"), reads=reads)
        os.kill(laid.result(timeout=30)[0], signal.SIGKILL)
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            waiting.result(timeout=30)
        assert workers.tool(time.time).result(timeout=30)  # the tool stopped waiting: free at once


def test_a_tool_starts_once_every_pdf_asked_for_before_it_is_written(fakes: None, scratch_dir: Path) -> None:
    """A tool reads the parts' files: its job waits for their writing, not only for their pages; and
    fails as the writing did."""
    from kolofon.workers import Workers

    with Workers(str(scratch_dir), 1) as workers:
        laid, written = workers.lay_out(_job("write 1"))
        laid.result(timeout=30)
        written_at: list[float] = []
        written.add_done_callback(lambda _: written_at.append(time.time()))
        started = workers.tool(time.time)
        assert started.result(timeout=30) >= written_at[0]
        assert not written.exception()
        laid, written = workers.lay_out(_job("write 30"))
        os.kill(laid.result(timeout=30)[0], signal.SIGKILL)
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            workers.tool(time.time).result(timeout=30)
        assert workers.tool(time.time).result(timeout=30)  # nothing left unwritten: at once
