"""The scheduler (kolofon/layout/schedule.py): jobs that must wait for a worker wait on disk, and the
worker gets each job's whole document, urgent ones first."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

import pytest

from kolofon.layout.part import Job, Part
from kolofon.layout.schedule import Scheduler


class _OneWorker:
    """A pool of one worker that finishes a job when told to."""

    count = 1

    def __init__(self, tmpdir: Path):
        self.tmpdir = tmpdir
        self.sent: list[str] = []
        self.pending: list[Future[Part]] = []

    def lay_out(self, job: Job) -> tuple[Future[Part], Future[None]]:
        self.sent.append(job.html)
        laid: Future[Part] = Future()
        laid.set_result(Part(job.pdf, ({},), ((),)))
        written: Future[None] = Future()
        self.pending.append(written)
        return laid, written

    def finish(self) -> None:
        """The running job's PDF is written (as the layout server's reader thread learns it)."""
        self.pending.pop(0).set_result(None)

    def warm_tools(self) -> None:
        pass


def _job(html: str) -> Job:
    return Job(html, "file:///", (), 0.0, Path("/dev/null"))


def test_waiting_jobs_are_held_on_disk_and_sent_whole(tmp_path: Path) -> None:
    workers = _OneWorker(tmp_path)
    scheduler = Scheduler(workers)  # type: ignore[arg-type]
    first = scheduler.submit(_job("<p>one</p>"))
    later = [scheduler.submit(_job(f"<p>{'ż' * 1000} {n}</p>")) for n in range(3)]
    urgent = scheduler.submit(_job("<p>heads</p>"), urgent=True)
    # One job runs; the four waiting ones are files in the scratch folder, not documents in memory.
    assert workers.sent == ["<p>one</p>"]
    assert len(list(tmp_path.glob("waiting-*.html"))) == 4
    assert all(job.html.startswith(str(tmp_path)) for _u, _n, job, _f in scheduler._waiting)
    for _ in range(4):
        workers.finish()
    assert workers.sent == ["<p>one</p>", "<p>heads</p>", *(f"<p>{'ż' * 1000} {n}</p>" for n in range(3))]
    assert list(tmp_path.iterdir()) == []
    assert first.done() and urgent.done() and later[-1].done()
    assert scheduler.result(later[-1]).pdf == Path("/dev/null")


def test_a_worker_that_comes_free_takes_the_next_job_without_being_asked(tmp_path: Path) -> None:
    """The main thread may be busy elsewhere (resolving the notes and the index after the last chapter
    is converted): a worker that has written its part gets the next job from the thread that learns
    it, not at the main thread's next call."""
    workers = _OneWorker(tmp_path)
    scheduler = Scheduler(workers)  # type: ignore[arg-type]
    scheduler.submit(_job("<p>one</p>"))
    scheduler.submit(_job("<p>two</p>"))
    assert workers.sent == ["<p>one</p>"]
    done = threading.Thread(target=workers.finish)
    done.start()
    done.join()
    assert workers.sent == ["<p>one</p>", "<p>two</p>"]


def test_a_dead_server_fails_every_waiting_job(tmp_path: Path) -> None:
    """When the server dies every job sent after fails at once: each frees its worker for the next
    waiting one, in a loop (not one call deeper per job), and the wait for any of them ends with the
    server's error."""

    class _Dying(_OneWorker):
        dead = False

        def lay_out(self, job: Job) -> tuple[Future[Part], Future[None]]:
            if not self.dead:
                return super().lay_out(job)
            self.sent.append(job.html)
            laid: Future[Part] = Future()
            written: Future[None] = Future()
            laid.set_exception(RuntimeError("the layout server has ended"))
            written.set_exception(RuntimeError("the layout server has ended"))
            return laid, written

    workers = _Dying(tmp_path)
    scheduler = Scheduler(workers)  # type: ignore[arg-type]
    jobs = [scheduler.submit(_job(f"<p>{n}</p>")) for n in range(2000)]  # more than the recursion limit
    workers.dead = True
    workers.pending.pop(0).set_exception(RuntimeError("the layout server has ended"))
    assert len(workers.sent) == 2000 and all(job.done() for job in jobs)
    with pytest.raises(RuntimeError, match="has ended"):
        scheduler.result(jobs[-1])


def test_a_chapters_running_heads_wait_behind_the_chapters(make_book, monkeypatch) -> None:
    """The running heads of a placed chapter are laid out after every chapter: asked for at once, they
    left nothing for one core to do while the other laid out the last chapter (~0.45 core-s idle)."""
    import contextlib
    import io

    from kolofon.cli import main
    from kolofon.workers import Workers

    sent: list[str] = []
    lay_out = Workers.lay_out

    def spy(self: Workers, job: Job):
        kind = "heads" if 'class="fp"' in job.html else "chapter" if "porządku" in job.html else "other"
        sent.append(kind)
        return lay_out(self, job)

    monkeypatch.setattr(Workers, "lay_out", spy)
    chapters = {f"{n:02d}.md": f"# Rozdział {n}\n\n" + "Zdanie o archiwum i jego porządku. " * 300 + "\n"
                for n in range(1, 7)}
    root = make_book(chapters)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(root), "-o", str(root.parent / "out"), "-e", "pdf", "--no-proof", "-q"]) == 0
    chapters_sent = [i for i, kind in enumerate(sent) if kind == "chapter"]
    heads_sent = [i for i, kind in enumerate(sent) if kind == "heads"]
    assert len(chapters_sent) == 6 and len(heads_sent) >= 6, sent
    assert max(chapters_sent) < min(heads_sent), sent
