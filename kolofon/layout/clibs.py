"""Finding WeasyPrint's C libraries without running a compiler.

WeasyPrint asks cffi for each library (Pango, HarfBuzz, fontconfig...) under up to six names, the
Windows and macOS ones first. On Linux every name that misses makes ctypes.util.find_library run
`ldconfig -p`, then gcc, then ld: ~11 ms a name, ~0.2 s of the 0.5 s a layout worker spends importing
WeasyPrint (measured), paid again by every worker of every build. The loader's cache answers the same
question: a name it does not list is one the loader would not find either (unless LD_LIBRARY_PATH
points elsewhere, and then nothing changes here)."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loader_cache_only() -> Iterator[None]:
    """While inside, find_library answers a miss from the loader's cache, without gcc and ld."""
    listing = _loader_cache() if sys.platform == "linux" and not os.environ.get("LD_LIBRARY_PATH") else None
    if listing is None:
        yield
        return
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        # A listed name goes to ctypes as before, so that it picks the entry for this machine's ABI.
        return original(name) if f"lib{name}." in listing else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _loader_cache() -> str | None:
    try:
        done = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False,
                              env={"LC_ALL": "C", "LANG": "C"})
    except OSError:
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None
