"""The scheduler (kolofon/layout/schedule.py): jobs that must wait for a worker wait on disk, and the
worker gets each job's whole document, urgent ones first."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

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
        written.set_result(None)
        return laid, written

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
    scheduler.result(later[-1])
    assert workers.sent == ["<p>one</p>", "<p>heads</p>", *(f"<p>{'ż' * 1000} {n}</p>" for n in range(3))]
    assert list(tmp_path.iterdir()) == []
    assert first.done() and urgent.done()
