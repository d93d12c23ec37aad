"""The build's worker processes: two on two cores, started before the manuscript is even read.

Every process-level job of a build runs here: laying out parts (layout/engine.py) and the pikepdf work
on the finished PDF (the PDF/A copy, the imposition, the print edition), which holds the GIL and so
must not run in the main process's threads. The workers are forked at the start, while the main
process is still small (a later fork would copy its memory), and they warm up (importing WeasyPrint,
loading fonts) while the main process converts the Markdown. They write their temporary files into the
build's scratch folder (scratch.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from types import TracebackType
from typing import Any

from . import scratch
from .layout.part import Job, Part


def _start(tmpdir: str) -> None:
    scratch.use(tmpdir)
    from .layout import engine

    engine.fonts()


def _ready() -> None:
    return None


def _lay_out(job: Job) -> Part:
    from .layout import engine  # here, not at the top: the main process never imports WeasyPrint

    return engine.lay_out(job)


class Workers:
    def __init__(self, tmpdir: str, count: int | None = None):
        self.count = count or os.cpu_count() or 1
        self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=get_context("fork"),
                                          initializer=_start, initargs=(tmpdir,))
        self._pool.submit(_ready)  # the pool starts its processes now, not at the first real job

    def lay_out(self, job: Job) -> Future[Part]:
        return self._pool.submit(_lay_out, job)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._pool.submit(fn, *args)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # On failure or Ctrl-C the queued jobs are dropped; the running ones end with their processes.
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)
