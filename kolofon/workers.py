"""The build's worker processes, started before the manuscript is even read.

Two kinds, two of each on two cores:
- layout workers lay out parts with WeasyPrint (layout/engine.py). They are forked first, while the
  main process is still small, and warm up (importing WeasyPrint, loading fonts) while the main
  process imports the rest and converts the Markdown. Each lays its parts out in a child of its own,
  forked warm and replaced when it has grown (_Server): WeasyPrint does not give back all it takes.
- tools join the pages and make the editions from them with pikepdf and pdfium (the assembly, the
  PDF/A copy, the booklet, the print edition, the proof sheet). They are forked next (start_tools),
  once the main process has imported the writers they inherit, and before it reads the book, so
  that a book's worth of PDF objects is the only large thing they ever hold (not WeasyPrint's state,
  nor the main process's book), and they write their results to files themselves: no edition's bytes
  travel back to the main process. They import what they need when a core would otherwise idle
  (warm_tools, called by the layout's scheduler): warming them at the start took CPU from the layout
  (measured: ~1 s slower on 500 pages).
Both write their temporary files into the build's scratch folder (scratch.py). The main process never
imports WeasyPrint, and holds no PDF."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, suppress
from multiprocessing import Pipe, get_context, util
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from . import scratch
from .layout.part import Job, Part


def _start_layout(tmpdir: str) -> None:
    _ignore_ctrl_c()
    scratch.use(tmpdir)
    from .layout import engine

    engine.forget()
    engine.fonts()
    # The child is stopped and waited for when the worker ends: not left to end on its own after the
    # build, and counted in the build's resource usage (the bench's peak memory is read from it).
    util.Finalize(_server, _server.stop, exitpriority=10)


def _start_tool(tmpdir: str) -> None:
    _ignore_ctrl_c()
    scratch.use(tmpdir)


def _ignore_ctrl_c() -> None:
    """Ctrl-C reaches the whole process group. A worker interrupted at a random point (say, holding the
    pool's job-queue lock) could leave the pool unable to shut down and the build hanging; so only the
    main process handles it, and stops the workers itself (Workers.__exit__). SIGTERM, which the main
    process turns into the same stop (cli.py), ends a worker at once, as it always did."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _ready() -> None:
    return None


def _warm() -> None:
    import time

    from .layout import assemble  # noqa: F401
    from .writers import booklet, pdfa, print_edition, proof  # noqa: F401

    time.sleep(0.05)  # so that the other tool process takes the other warm-up job


def _lay_out(job: Job) -> Part:
    return _server.lay_out(job)


def _warm_layout(job: Job) -> None:
    from .layout import engine  # imported already: the worker's initializer loaded it

    engine.warm_up(job, now=True)


class _Server:
    """The child of a layout worker that lays its parts out, forked from the worker (WeasyPrint
    imported, fonts loaded) and replaced by a fresh one once it has grown by GROWTH.

    WeasyPrint keeps some memory of every document it lays out (measured: ~0.4 MiB per 20-page chapter
    rendered, ~0.75 with its PDF written, with or without a fresh FontConfiguration, none of it Python
    objects), so a worker that laid out a 2,000-page book grew by ~70 MiB, and a --watch session
    without end. A fresh child costs a fork (~10 ms) and its first part's warm-up (~0.09 s), which
    the worker saves every child but the first of each kind of part by warming up itself before it
    forks (engine.warm_up). The first part also counts: a 20-page chapter's first layout adds ~27 MiB
    (fonts loaded, caches filled), so in a long book a child rarely lays out more than two parts. Not
    counting that growth was measured: the same CPU time, peaks 7 MiB higher (bench/RESULTS.md)."""

    GROWTH = 24 << 20  # bytes

    def __init__(self) -> None:
        self._pid = 0
        self._conn: Connection | None = None

    def lay_out(self, job: Job) -> Part:
        if self._conn is None:
            from .layout import engine  # imported already: the worker's initializer loaded it

            engine.warm_up(job)
            self._start()
        assert self._conn is not None
        try:
            self._conn.send(job)
            ok, value, grown = self._conn.recv()
        except (EOFError, OSError):  # the child died (killed, out of memory): the pool reports the part
            self.stop()
            raise RuntimeError("a layout process ended unexpectedly") from None
        if grown > self.GROWTH:
            self.stop()
        if not ok:
            raise value
        return value

    def _start(self) -> None:
        ours, theirs = Pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                _serve(theirs, parent)
            finally:
                os._exit(0)
        theirs.close()
        self._pid, self._conn = pid, ours

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()  # the child's recv() ends, and so does the child
            with suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid, self._conn = 0, None


def _serve(conn: Connection, parent: int) -> None:
    from .layout import engine  # here, not at the top: the main process never imports WeasyPrint

    _die_with(parent)
    start = _rss()
    # A temp folder of its own, inside the worker's (the build's scratch folder), removed when the
    # child ends: WeasyPrint copies the fonts (~3 MB) into a folder of each FontConfiguration's at
    # its first @font-face, and a child ends without running the __del__ that removes it, so every
    # replaced child of a --watch session would leave one until the session ends.
    tempfile.tempdir = tempfile.mkdtemp(prefix="layout-")
    try:
        while True:
            try:
                job = conn.recv()
            except EOFError:
                return
            try:
                reply = (True, engine.lay_out(job))
            except Exception as exc:  # sent to the worker, which raises it for the pool
                reply = (False, exc)
            conn.send((*reply, _rss() - start))
    finally:
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


def _die_with(parent: int) -> None:
    """Killed with its worker (the build stops its workers on failure and Ctrl-C), where Linux can."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the worker ended before the line above
        os._exit(0)


def _rss() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: never replaced
        return 0


_server = _Server()


def _write(target: Path, fn: Callable[..., Any], args: tuple[Any, ...]) -> int | None:
    """Run a writer in the tool process and write its bytes to `target`; returns the page count the
    writer gave with them, if any."""
    result = fn(*args)
    data, count = result if isinstance(result, tuple) else (result, None)
    target.write_bytes(data)
    return count


class Workers:
    def __init__(self, tmpdir: str, count: int | None = None):
        self.tmpdir = Path(tmpdir)
        self.count = count or os.cpu_count() or 1
        self._layout = ProcessPoolExecutor(max_workers=self.count, mp_context=get_context("fork"),
                                           initializer=_start_layout, initargs=(tmpdir,))
        self._layout.submit(_ready)  # the pool starts its processes now, not at the first real job
        self._tool_pool: ProcessPoolExecutor | None = None
        self._warmed = False

    def start_tools(self) -> None:
        """Fork the tools. The build calls this once it has imported the writers (the tools inherit
        them), so that the layout workers, forked before, import WeasyPrint meanwhile."""
        if self._tool_pool is None:
            self._tool_pool = ProcessPoolExecutor(max_workers=self.count, mp_context=get_context("fork"),
                                                  initializer=_start_tool, initargs=(str(self.tmpdir),))
            self._tool_pool.submit(_ready)

    @property
    def _tools(self) -> ProcessPoolExecutor:
        self.start_tools()
        assert self._tool_pool is not None
        return self._tool_pool

    def _pools(self) -> list[ProcessPoolExecutor]:
        return [pool for pool in (self._layout, self._tool_pool) if pool is not None]

    def lay_out(self, job: Job) -> Future[Part]:
        return self._layout.submit(_lay_out, job)

    def warm_layout(self, job: Job) -> None:
        """Each layout worker warms up with `job`'s head (its styles, its faces) while the main
        process converts the chapters: the first chapter's child is forked warm. In a one-paragraph
        edit the changed chapter no longer pays the warm-up after the conversion."""
        for _ in range(self.count):
            self._layout.submit(_warm_layout, job)

    def warm_tools(self) -> None:
        if not self._warmed:
            self._warmed = True
            for _ in range(self.count):
                self._tools.submit(_warm)

    def tool(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._tools.submit(fn, *args)

    def write(self, target: Path, fn: Callable[..., Any], *args: Any) -> Future[int | None]:
        """fn(*args) -> bytes or (bytes, pages), run by a tool and written to `target` there."""
        return self._tools.submit(_write, target, fn, args)

    @property
    def broken(self) -> bool:
        """A worker died (killed, out of memory): the pools cannot take jobs any more."""
        return any(getattr(pool, "_broken", False) for pool in self._pools())

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # On failure or Ctrl-C no result is wanted any more: the queued jobs are dropped and the running
        # ones stopped with their processes (their files are in the scratch folder, removed after this).
        for pool in self._pools():
            if kind is not None:
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=kind is not None)


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
