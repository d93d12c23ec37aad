"""Command line: arguments, progress, diagnostics, the summary table and exit codes.

Exit codes: 0 built (and checked); 1 the manuscript or output has a problem (messages say where);
2 bad command line; 3 a --check validator failed; 130 interrupted."""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .diagnostics import BuildError, Diagnostic
from .pipeline import DEFAULT_EDITIONS, EDITIONS, Options, Result, build
from .writers import Committed

if TYPE_CHECKING:
    from .workers import Session


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the editions of a Markdown manuscript. "
                                "`build.py init DIR [--theme NAME]` writes a new manuscript instead.")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path,
                   help="folder holding book.yaml and the chapters (default: manuscript)")
    p.add_argument("-o", "--out", default=Path("dist"), type=Path, help="output folder (default: dist)")
    p.add_argument("-e", "--edition", action="append", choices=EDITIONS, metavar="EDITION",
                   help=f"edition to build, repeatable: {', '.join(EDITIONS)} (default: "
                        f"{' '.join(DEFAULT_EDITIONS)})")
    p.add_argument("--booklet", choices=("2up", "4up"), default="2up",
                   help="booklet imposition: 2up (A5 pages on A4 landscape, default) or 4up (A6 pages "
                        "on A4 portrait; set page_size: A6 in book.yaml, other sizes are scaled to fit)")
    p.add_argument("--crop-marks", action="store_true", help="crop and fold marks on the booklet's sheets")
    p.add_argument("--booklet-cover", action="store_true",
                   help="the cover (back and front, as in -e cover) as the 2-up booklet's outer sheet")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--check", action="store_true", help="validate every edition with the real tools")
    p.add_argument("--watch", action="store_true", help="rebuild on every change to the manuscript")
    p.add_argument("--force", action="store_true",
                   help="rebuild everything from scratch (ignore the last build and the cache)")
    p.add_argument("--no-proof", action="store_true", help="skip the proof sheet PNG")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.add_argument("--version", action="version", version=f"kolofon {__version__}")
    return p


class Reporter:
    """Progress on stderr: one rewritten line on a terminal, plain lines elsewhere (CI logs)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        stamp = f"[{time.perf_counter() - self.start:6.1f}s] {message}"
        if self.tty:
            sys.stderr.write("\r\033[K" + stamp[:110])
        else:
            sys.stderr.write(stamp + "\n")
        sys.stderr.flush()

    def done(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\r\033[K")


def print_diagnostics(diags: tuple[Diagnostic, ...] | list[Diagnostic], base: Path) -> None:
    for d in diags:
        print(d.format(base), file=sys.stderr)


def summary(result: Result, seconds: float) -> str:
    rows = [("edition", "pages", "size", "file")]
    for out in result.outputs:
        size = f"{out.size / 1024:,.0f} KiB" if out.size else "-"
        rows.append((out.edition, str(out.pages or "-"), size, str(out.path)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    if result.up_to_date:
        lines.append(f"up to date: nothing changed since the last build ({seconds:.2f}s)")
    else:
        lines.append(f"built in {seconds:.2f}s ({stages})")
    return "\n".join(lines)


def run_once(args: argparse.Namespace, reporter: Reporter, session: Session | None = None) -> int:
    options = Options(args.manuscript, args.out, tuple(args.edition or DEFAULT_EDITIONS), args.strict,
                      proof=not args.no_proof, force=args.force, booklet_up=int(args.booklet[0]),
                      crop_marks=args.crop_marks, booklet_cover=args.booklet_cover, session=session)
    start = time.perf_counter()
    base = Path.cwd()
    try:
        result = build(options, reporter)
    except BuildError as exc:
        reporter.done()
        print_diagnostics(exc.diagnostics, base)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        warnings = len(exc.diagnostics) - errors
        print(f"build failed: {errors} error(s), {warnings} warning(s); previous outputs left untouched",
              file=sys.stderr)
        return 1
    reporter.done()
    print_diagnostics(result.warnings, base)
    print(summary(result, time.perf_counter() - start))
    if args.check:
        from .checks.validate import check_outputs, report

        checks = check_outputs(result, options.root)
        print(report(checks, result.outputs))
        if not all(c.ok for c in checks):
            return 3
    return 0


def init_command(argv: list[str]) -> int:
    """`build.py init DIR [--theme NAME] [--lang LANG]`: a new manuscript that builds as it is."""
    from .init import add_parser, init

    p = argparse.ArgumentParser(prog="build.py")
    add_parser(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(argv)
    try:
        written = init(args.folder, args.theme, args.lang)
    except (FileExistsError, OSError) as exc:
        print(f"{args.folder}: error: {exc} [K703]", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    print(f"now: python build.py {args.folder}", file=sys.stderr)
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a CI job's timeout): the build stops as Ctrl-C stops it, its workers with it.
    Python's default would end this process at once and leave the workers running, idle, for good."""


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["init"]:
        return init_command(argv)
    p = parser()
    args = p.parse_args(argv)
    if args.booklet_cover and args.booklet == "4up":  # it was ignored without a word (QA sweep 13)
        p.error("--booklet-cover needs the 2up booklet: a 4up sheet is cut in two, and the cover with it")
    reporter = Reporter(args.quiet)
    signal.signal(signal.SIGTERM, _terminate)  # the workers set it back to the default (workers.py)
    try:
        if args.watch:
            from .watch import watch
            from .workers import Session

            with Session() as session:  # the workers stay warm from one rebuild to the next
                return watch(args, lambda: run_once(args, reporter, session))
        return run_once(args, reporter)
    except Committed as stop:
        reporter.done()
        print("interrupted after the outputs were written (they are complete)", file=sys.stderr)
        return 128 + stop.signum
    except KeyboardInterrupt as stop:
        reporter.done()
        print("interrupted; previous outputs left untouched", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)


def leave(code: int) -> NoReturn:
    """End the process once main() has returned: the exit handlers run (the layout server's stop,
    multiprocessing's own) and the streams are flushed, but the objects are not freed one by one.
    Python's teardown of a converted 500-page book took 50–100 ms of a one-paragraph edit's ~2.7 s
    (measured: 0.05–0.1 s from the last line to the process's end, 0.01 s with this). Everything the
    build writes is closed and renamed into place before main() returns."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a reader that went away (`build.py | head`), a closed stream
            stream.flush()
    os._exit(code)
