"""The build's worker processes, started before the manuscript is even read.

Two kinds:
- the layout server (layout/server.py) lays out parts with WeasyPrint (layout/engine.py) in children
  of its own, one per core. It is forked first, while the main process is still small, and warms up
  (importing WeasyPrint, loading fonts) while the main process imports the rest and converts the
  Markdown; its children are forked warm, and replaced when they have grown.
- tools, one per core, join the pages and make the editions from them (the assembly, the PDF/A copy
  and the booklet, written as the parts are read (pdfstream.py); the print edition with pikepdf; the
  proof sheet with pdfium). They are forked next (start_tools), before the main process reads the
  book, so that they never hold WeasyPrint's state nor the main process's book, and they write their
  results to files themselves: no edition's bytes travel back to the main process. They import
  pikepdf and pdfium themselves, when a core would otherwise idle (warm_tools, called by the layout's
  scheduler): warming them at the start took CPU from the layout (measured: ~1 s slower on 500
  pages), and the main process, which holds the book, never loads them (~14 MiB; the seed book's
  build is ~70 ms slower for it, measured).
Both write their temporary files into the build's scratch folder (scratch.py). The main process never
imports WeasyPrint, pikepdf or pdfium, and holds no PDF. A tool's job starts once every part asked for
before it has its PDF written (the main process learns a part's pages before its PDF exists,
server.py); the assembly's three (the PDF, its PDF/A copy, the booklet) start once every part is laid
out, and wait where they reach a PDF still being written (layout/written.py). The tools run at a
lower priority than the layout, whose writing they would otherwise slow."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from importlib import import_module
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType
from typing import Any

from . import scratch
from .layout.part import Job, Part
from .layout.server import ignore_ctrl_c, layout_pool
from .layout.written import FAILED, NOTHING_PENDING, Written

TOOL_NICENESS = 10


def _start_tool(tmpdir: str, parent: int) -> None:
    ignore_ctrl_c(parent)
    scratch.use(tmpdir)
    # The tools yield to the layout, which is every build's critical path: they start when every
    # part is laid out and copy the parts while the last ones are written (layout/written.py); at the
    # same priority they took a third of the cores from that writing (a one-paragraph edit's changed
    # chapter written in 0.28 s instead of 0.22). At the end of a build they have the cores alone.
    with suppress(OSError):
        os.nice(TOOL_NICENESS)


def _ready() -> None:
    return None


def _warm() -> None:
    import time

    from .layout import assemble  # noqa: F401
    from .writers import booklet, cover, imposition, pdfa, proof  # noqa: F401

    time.sleep(0.05)  # so that the other tool process takes the other warm-up job


def _write(target: Path, fn: Callable[..., Any], args: tuple[Any, ...]) -> int | None:
    """Run a writer in the tool process and write its bytes to `target`; returns the page count the
    writer gave with them, if any."""
    result = fn(*args)
    data, count = result if isinstance(result, tuple) else (result, None)
    target.write_bytes(data)
    return count


def _when_all(writes: list[Future[None]], then: Callable[[], None], result: Future[Any],
              job: Future[Any] | None = None) -> None:
    """then() once every one of `writes` (and `job`) is done; if one of the writes failed, `result`
    fails as the first of them instead."""
    futures = [*writes, *([job] if job is not None else [])]
    left = [len(futures)]
    lock = threading.Lock()

    def one_done(_: Future[Any]) -> None:
        with lock:
            left[0] -= 1
            if left[0]:
                return
        failed = next((e for w in writes if (e := w.exception()) is not None), None)
        if failed is not None:
            result.set_exception(failed)
        else:
            then()

    for future in futures:
        future.add_done_callback(one_done)


def _chain(source: Future[Any], target: Future[Any]) -> None:
    """`target` gets `source`'s outcome when it has one."""
    def copy(done: Future[Any]) -> None:
        if done.cancelled():
            target.cancel()
        elif (exc := done.exception()) is not None:
            target.set_exception(exc)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


@dataclass(frozen=True)
class Later:
    """A tool's function named by its module, imported where it runs: the main process never loads
    what only the tools use (pikepdf, pdfium: ~25 MiB of a process that also holds the book)."""

    module: str
    name: str

    def __call__(self, *args: Any) -> Any:
        return getattr(import_module(self.module), self.name)(*args)


class Workers:
    def __init__(self, tmpdir: str, count: int | None = None):
        self.tmpdir = Path(tmpdir)
        self.count = count or os.cpu_count() or 1
        self._layout = layout_pool(tmpdir, self.count)
        self._tool_pool: ProcessPoolExecutor | None = None
        self._warmed = False
        self._serial = 0  # the folders of unwritten()
        self._pending: dict[Path, list[Future[None]]] = {}  # such a folder -> the PDFs it waits on

    def start_tools(self) -> None:
        """Fork the tools. The build calls this once it has imported the writers (the tools inherit
        them), so that the layout server, forked before, imports WeasyPrint meanwhile."""
        if self._tool_pool is None:
            self._tool_pool = ProcessPoolExecutor(max_workers=self.count, mp_context=get_context("fork"),
                                                  initializer=_start_tool,
                                                  initargs=(str(self.tmpdir), os.getpid()))
            self._tool_pool.submit(_ready)

    @property
    def _tools(self) -> ProcessPoolExecutor:
        self.start_tools()
        assert self._tool_pool is not None
        return self._tool_pool

    def lay_out(self, job: Job) -> tuple[Future[Part], Future[None]]:
        """The part once laid out, and its PDF once written."""
        return self._layout.submit(job)

    def warm_layout(self, job: Job) -> None:
        """The layout server warms up with `job`'s head (its styles, its faces) while the main
        process converts the chapters: the chapters' children are forked warm. In a one-paragraph
        edit the changed chapter no longer pays the warm-up after the conversion."""
        self._layout.warm_up(job)

    def warm_tools(self) -> None:
        if not self._warmed:
            self._warmed = True
            for _ in range(self.count):
                self._tools.submit(_warm)

    def tool(self, fn: Callable[..., Any], *args: Any, reads: Written | None = None) -> Future[Any]:
        """fn(*args) in a tool. It reads the parts' files, so it starts once every PDF the layout was
        asked for so far is written; or, given `reads` (from unwritten(), which fn waits on where it
        reaches each part), at once. Either way it fails as the first of those PDFs that failed."""
        if reads is not None:
            return self._after(self._pending.get(reads.folder, []), self._tools.submit(fn, *args))
        pending = [written for _pdf, written in self._layout.unwritten()]
        if not pending:
            return self._tools.submit(fn, *args)
        result: Future[Any] = Future()

        def start() -> None:
            try:
                _chain(self._tools.submit(fn, *args), result)
            except BaseException as exc:  # a pool shut down meanwhile (the build failed) included
                result.set_exception(exc)

        _when_all(pending, start, result)
        return result

    def write(self, target: Path, fn: Callable[..., Any], *args: Any,
              reads: Written | None = None) -> Future[int | None]:
        """fn(*args) -> bytes or (bytes, pages), run by a tool and written to `target` there."""
        return self.tool(_write, target, fn, args, reads=reads)

    def unwritten(self) -> Written:
        """The parts' PDFs asked for and not written yet, for a tool's job that waits for each where
        it reaches it (layout/written.py): marked in a folder of the scratch folder as they are
        written, or failed."""
        pending = self._layout.unwritten()
        # An earlier build's (--watch): done, and no job of this build reads them.
        self._pending = {k: v for k, v in self._pending.items() if not all(w.done() for w in v)}
        if not pending:
            return NOTHING_PENDING
        self._serial += 1
        folder = self.tmpdir / f"written-{self._serial}"
        folder.mkdir()

        def mark(pdf: Path, written: Future[None]) -> None:
            name = FAILED if written.cancelled() or written.exception() is not None else pdf.name
            with suppress(OSError):  # a failed build's scratch folder, removed meanwhile
                (folder / name).touch()

        for pdf, written in pending:
            written.add_done_callback(functools.partial(mark, pdf))
        self._pending[folder] = [written for _pdf, written in pending]
        return Written(folder, frozenset(pdf for pdf, _written in pending))

    @staticmethod
    def _after(pending: list[Future[None]], job: Future[Any]) -> Future[Any]:
        """`job`'s outcome once `pending` are done too; the first of them that failed, if one did (the
        job then stopped, Abandoned: the part's own error is the one to report)."""
        if not pending:
            return job
        result: Future[Any] = Future()
        _when_all(pending, lambda: _chain(job, result), result, job)
        return result

    @property
    def broken(self) -> bool:
        """A worker died (killed, out of memory): the pools cannot take jobs any more."""
        return self._layout.broken or bool(getattr(self._tool_pool, "_broken", False))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # On failure or Ctrl-C no result is wanted any more: the queued jobs are dropped and the running
        # ones stopped with their processes (their files are in the scratch folder, removed after this).
        # SIGKILL, not SIGTERM: a tool forked a moment before (a build that fails as it starts) may not
        # have set SIGTERM back to the default yet, and a signal that reaches a fresh fork before
        # Python's own after-fork step is lost; the tool then waited for good on the job queue's lock
        # its killed sibling held, and so did the build (seen once in the test suite).
        pool = self._tool_pool
        if pool is not None:
            if kind is not None:
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.kill()
            pool.shutdown(wait=True, cancel_futures=kind is not None)
        self._layout.close(kill=kind is not None)


class Session:
    """The workers and their scratch folder kept from one build to the next (`--watch`): a rebuild
    then starts with WeasyPrint imported, fonts loaded and the tools warm. Made at the first build
    (after the output folder proved writable), made again if a worker died, removed at the end."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._workers: Workers | None = None

    def workers(self, out: Path) -> Workers:
        if self._workers is None or self._workers.broken:
            self._stack.close()
            self._stack = ExitStack()
            tmp = self._stack.enter_context(scratch.scratch(out))
            self._workers = self._stack.enter_context(Workers(str(tmp)))
        return self._workers

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stack.__exit__(kind, exc, tb)
