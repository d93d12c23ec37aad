#!/usr/bin/env python3
"""The engine limit: raw WeasyPrint over the chapters a build lays out, one process per core.

    .venv/bin/python bench/engine.py MANUSCRIPT

Reads the book as the build does, takes one job per chapter (exactly the HTML the build lays out) and
lays them all out with WeasyPrint alone (render, then write_pdf; no cache, no assembly, no editions)
in ProcessPoolExecutor(os.cpu_count()). Prints one JSON line: {"wall": seconds from pool start until
every chapter is PDF bytes, "chapters": n, "workers": n, "pdf_bytes": total}. bench/run.py runs this
in a fresh interpreter so that its imports and memory do not leak into the other measurements."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def engine_limit(manuscript: Path) -> dict[str, float | int]:
    from kolofon import scratch
    from kolofon.layout.engine import chapter_jobs, raw_layout
    from kolofon.pipeline import read_book
    from kolofon.render import Renderer

    book, _warnings = read_book(manuscript)
    jobs = chapter_jobs(book, Renderer())
    workers = os.cpu_count() or 1
    # WeasyPrint's font copies go to a folder of ours, removed at the end (pool workers never run the
    # FontConfiguration's __del__), as the build does with its scratch folder.
    with tempfile.TemporaryDirectory(prefix="kolofon-bench-") as tmp:
        start = time.perf_counter()
        with ProcessPoolExecutor(workers, initializer=scratch.use, initargs=(tmp,)) as pool:
            pdfs = list(pool.map(raw_layout, jobs))
            wall = time.perf_counter() - start
    return {"wall": wall, "chapters": len(jobs), "workers": workers, "pdf_bytes": sum(map(len, pdfs))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manuscript", type=Path)
    print(json.dumps(engine_limit(ap.parse_args().manuscript)))


if __name__ == "__main__":
    main()
