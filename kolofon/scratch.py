"""One private temporary folder per build, inside the output folder, removed when the build ends.

Libraries write to "the temp dir" on their own: WeasyPrint copies the fonts of every FontConfiguration
into a fresh `weasyprint-*` folder and deletes it only in `__del__`, which pool workers never run (they
exit without collecting module globals). Pointing `tempfile` at a folder of ours, in this process and in
every worker, and deleting that folder when the build ends, in success, failure or Ctrl-C, leaves
nothing behind outside OUT; a folder left by a killed build goes with the next build."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FOLDER = ".kolofon-tmp"


@contextmanager
def scratch(out: Path) -> Iterator[Path]:
    folder = out / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    previous = tempfile.tempdir
    use(str(folder))
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def use(folder: str) -> None:
    """The temp dir of this process (also the initializer of every worker process)."""
    tempfile.tempdir = folder
