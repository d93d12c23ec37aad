"""`--watch`: rebuild on every save; a bad edit prints its message and the watch goes on."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from .render import TEMPLATES


def watch(args: argparse.Namespace, build_once: Callable[[], int]) -> int:
    from watchfiles import watch as changes

    build_once()
    print(f"watching {args.manuscript} and the templates; Ctrl-C to stop", file=sys.stderr)
    out = args.out.resolve()
    for batch in changes(args.manuscript, TEMPLATES, debounce=300,
                         watch_filter=lambda _change, path: not path.startswith(str(out))):
        names = ", ".join(changed(batch))
        if not names:
            continue
        print(f"changed: {names}", file=sys.stderr)
        try:
            build_once()
        except Exception as exc:  # the watch must survive anything one edit can cause
            print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


def changed(batch: Iterable[tuple[object, str]]) -> list[str]:
    """The names of the files a batch changed, without an editor's or sed's temporary files: those
    appeared and were gone again (renamed over the file they replace) before the batch came."""
    from watchfiles import Change

    added = {path for change, path in batch if change == Change.added}
    return sorted({Path(path).name for _change, path in batch
                   if Path(path).exists() or path not in added})
