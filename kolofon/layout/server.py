"""The layout server: one process that imports WeasyPrint and loads the fonts, and forks the children
that lay the parts out, one per core.

Forked from the main process first thing (build.py calls start_early before importing the rest; a
build run in-process forks it at its start), it imports WeasyPrint while the main process imports the
rest and converts the Markdown, warms up with the chapters' styles (engine.warm_up), and
forks each child warm. Before it there was one worker process per core, each importing WeasyPrint and
loading the fonts itself: on two cores three processes did that work at once, and a 17-page book's
first chapter waited ~0.3 s for a worker (measured, bench/RESULTS.md).

A child is replaced by a fresh one, forked from the warm server, once it has grown by GROWTH since its
first part: WeasyPrint keeps some memory of every document it lays out (measured: ~0.4 MiB per 20-page
chapter rendered, ~0.75 with its PDF written, with or without a fresh FontConfiguration, none of it
Python objects), so a child that laid out a 2,000-page book grew by ~70 MiB, and a --watch session
without end. A child's first part grows it by ~23 MiB whatever it is (the libraries' pages and the
fonts' files it touches, the caches it fills); counted from the fork, that alone was GROWTH, so every
child was replaced after its first chapter and the next one filled the same caches again: 24 children
for 24 chapters, ~0.5 CPU-s of a 500-page build (2.4 % of its time, 5.6 % of the 2,000-page book's;
peak memory 73 → 80 MiB and 92 → 92 MiB, measured).

The main process talks to the server over two pipes (jobs in, results out) and a thread that hands
each result to its Future; the scheduler (schedule.py) never sends more jobs than there are children,
so the server queues at most a few.

Each job gives two results: its part (pages, anchors, links), as soon as its pages are laid out, and
its PDF written, a fifth of a chapter's time later (WeasyPrint draws every page then). The main process
places the part and goes on (the running heads, the notes, the EPUB) while the child writes; what
reads the parts' PDFs, the tools, waits for every PDF asked for before it (workers.py). In a
one-paragraph edit the main process's work after the changed chapter was ~0.05 s of the critical path."""

from __future__ import annotations

import atexit
import gc
import os
import queue
import shutil
import signal
import tempfile
import threading
import weakref
from collections import deque
from concurrent.futures import Future
from contextlib import suppress
from multiprocessing import Pipe, get_context, util
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .. import scratch
from .part import Job, Part

GROWTH = 24 << 20  # bytes a child may grow by before it is replaced
_pools: weakref.WeakSet[LayoutPool] = weakref.WeakSet()  # this process's, closed in every fork


class LayoutPool:
    """The main process's side: submit a job, get a Future of its Part."""

    def __init__(self, tmpdir: str | None, count: int):
        """`tmpdir`: the build's scratch folder; None for a server forked before it was made
        (start_early), which is told it later (use_scratch)."""
        self.count = count
        jobs_out, self._jobs = Pipe(duplex=False)
        self._results, results_in = Pipe(duplex=False)
        # ident -> (laid out, written, the PDF's path)
        self._futures: dict[int, tuple[Future[Part], Future[None], Path]] = {}
        self._lock = threading.Lock()  # the futures and the state; never held while sending
        self._next = 0
        self._closing = False
        self.broken = False
        _pools.add(self)  # before the fork: the server closes our ends (_after_fork)
        self._process = get_context("fork").Process(target=_serve_pool, daemon=True, name="kolofon-layout",
                                                    args=(jobs_out, results_in, tmpdir, count, os.getpid()))
        self._process.start()
        jobs_out.close()
        results_in.close()
        self._reader = threading.Thread(target=self._read, daemon=True, name="kolofon-layout-results")
        self._reader.start()
        # Jobs are sent by a thread of their own: a chapter's job (~0.3 MB pickled) fills the pipe, and
        # the server reads nothing while it imports WeasyPrint (~0.6 s), so a send held the main process
        # there (0.45 s in a profile of a one-paragraph edit), a core idle, instead of converting the
        # next chapters. (The edit's time did not move: the server's import is its critical path.)
        self._outbox: queue.SimpleQueue[tuple[str, int, Job | str] | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, daemon=True, name="kolofon-layout-jobs")
        self._sender.start()

    def submit(self, job: Job) -> tuple[Future[Part], Future[None]]:
        """The job's part, once its pages are laid out; and its PDF, once written (to job.pdf)."""
        laid: Future[Part] = Future()
        written: Future[None] = Future()
        with self._lock:
            if self.broken:
                laid.set_exception(_ended())
                written.set_exception(_ended())
                return laid, written
            ident, self._next = self._next, self._next + 1
            self._futures[ident] = (laid, written, job.pdf)
        self._send(("lay out", ident, job))
        return laid, written

    def unwritten(self) -> list[tuple[Path, Future[None]]]:
        """The PDFs asked for and not written yet: where each will be, and when it is."""
        with self._lock:
            return [(pdf, written) for _laid, written, pdf in self._futures.values()]

    def warm_up(self, job: Job) -> None:
        """The server warms up with `job`'s head now (its styles, its faces): see engine.warm_up."""
        if not self.broken:
            self._send(("warm up", -1, job))

    def use_scratch(self, tmpdir: str) -> None:
        """The build's scratch folder, before any job: WeasyPrint copies fonts into the temp dir."""
        self._send(("scratch", -1, tmpdir))

    def _send(self, message: tuple[str, int, Job | str]) -> None:
        self._outbox.put(message)

    def _send_all(self) -> None:
        """The sender thread: the messages in the order they were given, until close() says None."""
        while (message := self._outbox.get()) is not None:
            # A server that has just died fails the job through the reader (it sees the pipe end).
            with suppress(OSError):
                self._jobs.send(message)

    def _read(self) -> None:
        while True:
            try:
                ident, kind, value = self._results.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                laid, written, _pdf = self._futures[ident] if kind == "laid" else self._futures.pop(ident)
            if kind == "laid":
                laid.set_result(value)
                continue
            if kind == "failed":
                if not laid.done():  # it failed before its pages were known
                    laid.set_exception(value)
                written.set_exception(value)
            else:
                written.set_result(None)
        with self._lock:
            self.broken = not self._closing
            pending, self._futures = list(self._futures.values()), {}
        for laid, written, _pdf in pending:
            if not laid.done():
                laid.set_exception(_ended())
            written.set_exception(_ended())

    def close(self, kill: bool = False) -> None:
        """Stop the server and its children: at once (`kill`, on failure or Ctrl-C), or once it has
        finished what it was sent."""
        with self._lock:
            self._closing = True
            if kill:
                # SIGKILL (Workers.__exit__ says why); its children end with it (_die_with).
                self._process.kill()
        # What was given is sent first (a killed server's pipe fails each send at once); then the
        # server sees the end of its jobs.
        self._outbox.put(None)
        self._sender.join()
        self._jobs.close()
        self._process.join()
        self._reader.join()
        self._results.close()
        _pools.discard(self)

    def _forget(self) -> None:
        """In a forked process (a tool, another server): our ends closed, so that the server sees
        the main process's end close when it closes, and nothing else of ours used."""
        with suppress(OSError):
            self._jobs.close()
        with suppress(OSError):
            self._results.close()


_early: LayoutPool | None = None  # forked by build.py before the build's imports, not yet taken


def start_early(argv: list[str]) -> None:
    """Fork the layout server first thing (build.py), before this process imports the rest: its
    import of WeasyPrint (~0.6 s), which a one-paragraph edit's changed chapter waits for, starts
    ~0.15 s sooner. Not for the commands that lay nothing out; a build that has nothing to do (or
    fails before its layout) kills it as it exits."""
    global _early
    if argv[:1] == ["init"] or {"-h", "--help", "--version"} & set(argv):
        return
    _early = LayoutPool(None, os.cpu_count() or 1)
    atexit.register(_drop_early)


def _drop_early() -> None:
    global _early
    if _early is not None:
        _early.close(kill=True)
        _early = None


def layout_pool(tmpdir: str, count: int) -> LayoutPool:
    """The server forked early, told the build's scratch folder; else a new one."""
    global _early
    early, _early = _early, None
    if early is not None and early.count == count and not early.broken:
        early.use_scratch(tmpdir)
        return early
    if early is not None:
        early.close(kill=True)
    return LayoutPool(tmpdir, count)


def _ended() -> RuntimeError:
    """What a part gets whose layout process (the server or its child) died: killed, out of memory."""
    return RuntimeError("a layout process ended unexpectedly")


def _after_fork(_: object) -> None:
    for pool in list(_pools):
        pool._forget()
    _pools.clear()


util.register_after_fork(_pools, _after_fork)  # runs in every process multiprocessing forks


def ignore_ctrl_c(parent: int) -> None:
    """Ctrl-C reaches the whole process group. A worker interrupted at a random point (say, holding a
    pool's job-queue lock) could leave the pool unable to shut down and the build hanging; so only the
    main process handles it, and stops the workers itself (Workers.__exit__). SIGTERM, which the main
    process turns into the same stop (cli.py), ends a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Killed with the build's main process when that is killed outright (SIGKILL, a crash: nothing
    # stops the workers then); they ran on for a minute and more (QA sweep 13). `parent` is the pid the
    # forking process had: one killed before this line is then seen (os.getppid() here would already
    # name the process that adopted the orphan; a loaded machine's test caught a tool left so).
    _die_with(parent)


def _serve_pool(jobs: Connection, results: Connection, tmpdir: str | None, count: int, parent: int) -> None:
    """The server's loop: jobs queued as they come, each handed to a free child."""
    ignore_ctrl_c(parent)
    if tmpdir is not None:
        scratch.use(tmpdir)
    from . import engine

    engine.forget(inherited=True)  # nothing inherited from a process that laid something out (a test run)
    engine.fonts()
    children = Children(count, results, jobs)
    queued: deque[tuple[int, Job]] = deque()
    try:
        while True:
            for ready in wait([jobs, *children.busy]):
                if ready is not jobs:
                    children.finish(ready)  # type: ignore[arg-type]
                    continue
                try:
                    kind, ident, job = jobs.recv()
                except EOFError:  # the main process closed its end: the build is over
                    return
                if kind == "warm up":
                    engine.warm_up(job, now=True)
                elif kind == "scratch":
                    scratch.use(job)
                else:
                    queued.append((ident, job))
            while queued and children.free:
                children.start(*queued.popleft())
    finally:
        children.stop()


class Children:
    """The server's children: at most `count`, each laying out one part at a time."""

    def __init__(self, count: int, results: Connection, *inherited: Connection):
        self.count = count
        self._results = results
        self._inherited = (results, *inherited)  # closed in each child
        self._idle: list[_Child] = []
        self.busy: dict[Connection, _Child] = {}

    @property
    def free(self) -> bool:
        return len(self.busy) < self.count

    def start(self, ident: int, job: Job) -> None:
        # An idle child may have died (the kernel's OOM killer, a user's kill): its end of the pipe
        # reads as closed, or refuses the job. The job has not started, so a new child takes it.
        while True:
            child = self._idle.pop() if self._idle else None
            if child is not None and child.conn.poll():
                child.stop()
                continue
            if child is None:
                from . import engine  # imported already: the server loaded it

                engine.warm_up(job)  # so that this child and every later one of its kind starts warm
                child = _Child([*self._inherited, *(c.conn for c in (*self._idle, *self.busy.values()))])
            try:
                child.conn.send(job)
            except OSError:  # BrokenPipeError: it died after the poll
                child.stop()
                continue
            break
        child.ident = ident
        self.busy[child.conn] = child

    def finish(self, conn: Connection) -> None:
        """A child replied (or died): its result goes to the main process. A part laid out but not yet
        written keeps its child busy."""
        child = self.busy[conn]
        try:
            kind, value, grown = conn.recv()
        except (EOFError, OSError):  # killed, out of memory: its part fails, the next gets a new child
            del self.busy[conn]
            child.stop()
            self._results.send((child.ident, "failed", _ended()))
            return
        self._results.send((child.ident, kind, value))
        if kind == "laid":
            return
        del self.busy[conn]
        if grown > GROWTH:
            child.stop()
        else:
            self._idle.append(child)

    def stop(self) -> None:
        for child in [*self._idle, *self.busy.values()]:
            child.stop()
        self._idle, self.busy = [], {}


class _Child:
    """One child process, forked from the server with WeasyPrint imported and the fonts loaded."""

    def __init__(self, siblings: list[Connection]) -> None:
        """`siblings`: the server's other connections, closed in the child, so that a child ends when
        the server closes its connection (no other child holds a copy)."""
        self.ident = -1
        ours, theirs = Pipe()
        parent = os.getpid()
        # The child inherits the server's objects (WeasyPrint's modules, the fonts, the parsed styles):
        # frozen, its collector never walks them (nor touches their pages, which it would then copy).
        # A fresh child's chapter took 3 % less (0.778 -> 0.752 s, medians of 18).
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            try:
                for conn in (ours, *siblings):
                    conn.close()
                _serve(theirs, parent)
            finally:
                os._exit(0)
        theirs.close()
        self.pid, self.conn = pid, ours

    def stop(self) -> None:
        self.conn.close()  # the child's recv() ends, and so does the child
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _serve(conn: Connection, parent: int) -> None:
    from . import engine

    _die_with(parent)
    start, first = _rss(), True
    # A temp folder of its own, inside the server's (the build's scratch folder), removed when the
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
            reply: tuple[str, Any]
            try:
                engine.lay_out(job, lambda part: conn.send(("laid", part, 0)))
                reply = ("written", None)
            except Exception as exc:  # sent to the main process, which raises it where it waits
                reply = ("failed", exc)
            if first:  # the first part fills the caches every child fills: counted from after it
                first, start = False, _rss()
            conn.send((*reply, _rss() - start))
    finally:
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


def _die_with(parent: int) -> None:
    """Killed with the parent (the server, or the build's main process), where Linux can."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the server ended before the line above
        os._exit(0)


def _rss() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: never replaced
        return 0
