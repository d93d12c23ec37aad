"""Jobs for the workers in the order the book needs them, not the order they were asked for.

At most one job per worker is handed to the process pool at a time; the rest wait here, urgent ones
first. So the running heads of a placed chapter, or the notes once the last chapter is in, do not queue
behind chapters nobody is waiting for yet, and no core idles while work is known."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from concurrent.futures import FIRST_COMPLETED, Future, wait
from functools import partial
from pathlib import Path
from typing import TypeVar

from ..workers import Workers
from .part import Job, Part

T = TypeVar("T")


class Scheduler:
    def __init__(self, workers: Workers):
        self.workers = workers
        self._waiting: list[tuple[int, int, Job, Future[Part]]] = []
        # a job's PDF being written -> the part we handed out: a worker is busy until its PDF is written,
        # though its part is handed out as soon as its pages are known (server.py)
        self._running: dict[Future[None], Future[Part]] = {}
        self._order = itertools.count()

    def submit(self, job: Job, urgent: bool = False) -> Future[Part]:
        mine: Future[Part] = Future()
        order = next(self._order)
        if len(self._running) >= self.workers.count:
            job = self._spill(job, order)
        heapq.heappush(self._waiting, (0 if urgent else 1, order, job, mine))
        self._fill()
        return mine

    def _spill(self, job: Job, order: int) -> Job:
        """A job that must wait, its document in the scratch folder until a worker takes it: the
        chapters are converted faster than they are laid out, and the main process held every waiting
        chapter's document (~12 MiB of a 2,000-page book's 96)."""
        path = self.workers.tmpdir / f"waiting-{order}.html"
        path.write_text(job.html, encoding="utf-8")
        return dataclasses.replace(job, html=str(path), spilled=True)

    def result(self, future: Future[Part]) -> Part:
        """Wait for one job, handing the pool the next ones as workers come free."""
        while not future.done():
            if not self._running:
                raise RuntimeError("waiting for a job that was never submitted")
            if not self._waiting and len(self._running) < self.workers.count:
                # A core would idle while we wait: let the tools get ready for the editions on it.
                self.workers.warm_tools()
            done, _ = wait([*self._running, future], return_when=FIRST_COMPLETED)
            for written in done:
                self._running.pop(written, None)  # the part itself came by _handed_out
            self._fill()
        return future.result()

    def _fill(self) -> None:
        while self._waiting and len(self._running) < self.workers.count:
            _urgent, _n, job, mine = heapq.heappop(self._waiting)
            if job.spilled:
                path = Path(job.html)
                job = dataclasses.replace(job, html=path.read_text(encoding="utf-8"), spilled=False)
                path.unlink()
            laid, written = self.workers.lay_out(job)
            laid.add_done_callback(partial(_handed_out, mine=mine))
            self._running[written] = mine


def _handed_out(laid: Future[Part], mine: Future[Part]) -> None:
    if (exc := laid.exception()) is not None:
        mine.set_exception(exc)
    else:
        mine.set_result(laid.result())


def done(result: T) -> Future[T]:
    """What needs no worker (a part from the cache, a kept picture), as a future like the others."""
    future: Future[T] = Future()
    future.set_result(result)
    return future
