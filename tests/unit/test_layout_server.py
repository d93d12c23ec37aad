"""The layout worker's child process (kolofon/workers.py, _Server): replaced once it has grown, errors
passed on, nothing left running."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from kolofon import workers
from kolofon.layout import engine
from kolofon.layout.part import Job

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the growth is read from /proc")

_held: list[bytearray] = []
_warmed: list[Job] = []


def _job(html: str) -> Job:
    return Job(html, "file:///", (), 0.0, Path("unused.pdf"))


def _fake_lay_out(job: Job) -> tuple[int, str]:
    """Stands in for WeasyPrint in the forked child: `grow` keeps memory, as WeasyPrint does."""
    if job.html == "fail":
        raise ValueError("a part that cannot be laid out")
    if job.html == "grow":
        _held.append(bytearray(os.urandom(1024)) * (workers._Server.GROWTH // 1024 + 1024))
    if job.html == "temp":  # as WeasyPrint copies fonts into a folder it never removes in a child
        tempfile.mkdtemp(prefix="weasyprint-")
    return os.getpid(), job.html


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # -> Iterator[workers._Server]
    monkeypatch.setattr(engine, "lay_out", _fake_lay_out)
    monkeypatch.setattr(engine, "warm_up", _warmed.append)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the build's scratch folder
    server = workers._Server()
    yield server
    server.stop()


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def test_parts_are_laid_out_in_one_child_until_it_grows(server: workers._Server) -> None:
    first, _ = server.lay_out(_job("a"))
    assert first != os.getpid()
    assert server.lay_out(_job("b"))[0] == first  # small parts: the same child, warm
    assert server.lay_out(_job("grow"))[0] == first
    assert not _alive(first)  # it grew by more than GROWTH: ended and reaped
    second, text = server.lay_out(_job("c"))
    assert second not in (first, os.getpid()) and text == "c"


def test_an_error_reaches_the_worker_and_the_child_goes_on(server: workers._Server) -> None:
    first, _ = server.lay_out(_job("a"))
    with pytest.raises(ValueError, match="cannot be laid out"):
        server.lay_out(_job("fail"))
    assert server.lay_out(_job("b"))[0] == first


def test_a_killed_child_fails_its_part_and_the_next_part_gets_a_new_one(server: workers._Server) -> None:
    first, _ = server.lay_out(_job("a"))
    os.kill(first, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        server.lay_out(_job("b"))
    assert server.lay_out(_job("c"))[0] not in (first, os.getpid())


def test_stopping_leaves_no_process_and_no_temp_file(server: workers._Server, tmp_path: Path) -> None:
    pid, _ = server.lay_out(_job("temp"))
    assert [p.name[:7] for p in tmp_path.iterdir()] == ["layout-"]  # the child's, holding its files
    server.stop()
    assert not _alive(pid)
    assert list(tmp_path.iterdir()) == []


def test_the_worker_warms_up_before_it_forks_a_child(server: workers._Server) -> None:
    """Each child is forked warm (engine.warm_up, before the fork), not after it has grown."""
    _warmed.clear()
    server.lay_out(_job("a"))
    server.lay_out(_job("b"))  # the same child: no fork, no warm-up
    assert [job.html for job in _warmed] == ["a"]
    server.lay_out(_job("grow"))
    server.lay_out(_job("c"))  # a new child
    assert [job.html for job in _warmed] == ["a", "c"]
