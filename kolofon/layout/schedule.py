"""Jobs for the workers in the order the book needs them, not the order they were asked for.

At most one job per worker is handed to the process pool at a time; the rest wait here, urgent ones
first. So the running heads of a placed chapter, or the notes once the last chapter is in, do not queue
behind chapters nobody is waiting for yet, and no core idles while work is known: a worker that has
written its part takes the next job at once, whatever the main thread is doing."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import threading
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
        # A worker that comes free takes the next job from the thread that learns it (the layout
        # server's reader), not when the main thread next asks for a result: the main thread resolves
        # the notes and index and writes the archive's sources after the last chapter is converted,
        # and meanwhile the chapters converted before waited here, one core idle (~0.4 s, measured).
        self._lock = threading.Lock()

    def submit(self, job: Job, urgent: bool = False) -> Future[Part]:
        mine: Future[Part] = Future()
        order = next(self._order)
        with self._lock:
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
        """Wait for one job."""
        while not future.done():
            with self._lock:
                if not self._running and not self._waiting:
                    raise RuntimeError("waiting for a job that was never submitted")
                idle = not self._waiting and len(self._running) < self.workers.count
                # (a PDF just written may not have been taken off yet: its callback runs after waiters)
                running = [written for written in self._running if not written.done()]
            if idle:
                # A core would idle while we wait: let the tools get ready for the editions on it.
                self.workers.warm_tools()
            wait([*running, future], return_when=FIRST_COMPLETED)
        return future.result()

    def _fill(self) -> None:
        freed = True
        while freed:
            sent = []
            with self._lock:
                while self._waiting and len(self._running) < self.workers.count:
                    _urgent, _n, job, mine = heapq.heappop(self._waiting)
                    if job.spilled:
                        path = Path(job.html)
                        job = dataclasses.replace(job, html=path.read_text(encoding="utf-8"), spilled=False)
                        path.unlink()
                    laid, written = self.workers.lay_out(job)
                    self._running[written] = mine
                    sent.append((laid, written, mine))
            # Outside the lock: a future already done calls its callback at once, in this thread.
            freed = False
            for laid, written, mine in sent:
                laid.add_done_callback(partial(_handed_out, mine=mine))
                if written.done():  # a dead server fails every job at once: no recursion through _freed
                    with self._lock:
                        del self._running[written]
                    freed = True
                else:
                    written.add_done_callback(self._freed)

    def _freed(self, written: Future[None]) -> None:
        """A worker has written its job's PDF (or failed): it takes the next job."""
        with self._lock:
            self._running.pop(written, None)  # the part itself came by _handed_out
        self._fill()


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
