#!/usr/bin/env python3
"""A real-sized index, laid out alone: what the generator's book does not show.

    .venv/bin/python bench/index.py FOLDER [--runs N]

The generator's 500-page book has an index of six terms, each found on every page. A real book of
that size has an index of ~1,500 entries with a few locators each, which WeasyPrint lays out far more
slowly per page (two balanced columns, thousands of locators), after the last chapter, on one core. This
writes such a manuscript into FOLDER (1,500 entries of 1–5 marks in 22 letter groups; the same every
time), gives the marks pages (every third page, so that no two run together into a range) and lays
the index out as the build does (render, the locators' links, write; one process, warm). Prints one
JSON line:
{"wall": median seconds, "runs": n, "pages": n, "entries": n, "locators": n}."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

ENTRIES = 1500
LETTERS = "ABCDEFGHIJKLMNOPRSTUWZ"
SYLLABLES = ("ala", "ema", "ola", "ewa", "iga", "ula", "ada", "olga", "ina", "eda")


def write_manuscript(folder: Path) -> int:
    """The manuscript: one chapter whose paragraphs each mark one index term. Returns the entries."""
    rng = random.Random(7)
    paragraphs, n, terms = [], 0, set()
    while len(terms) < ENTRIES:
        term = f"{rng.choice(LETTERS)}{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
        if len(terms) % 7 == 0:
            term += f" {rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}"
        terms.add(term)
        for _ in range(rng.randint(1, 5)):
            paragraphs.append(f"(({term})) {n}.")
            n += 1
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text("title: Indeks\nlang: pl\nauthor: Kolofon\n", encoding="utf-8")
    (folder / "01.md").write_text("# Rozdział\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return len(terms)


def real_index(folder: Path, runs: int) -> dict[str, float | int]:
    from kolofon import scratch
    from kolofon.backmatter import index_groups
    from kolofon.layout import engine
    from kolofon.layout.typesetter import Typesetter
    from kolofon.pipeline import read_book

    entries = write_manuscript(folder)
    book, _warnings = read_book(folder)
    pages = iter(range(1, 10**6, 3))
    page_of = {mark.id: next(pages) for mark in book.marks}
    job = Typesetter.for_jobs(book).job("pdf/index.html", index_groups=index_groups(book, page_of))
    # WeasyPrint's font copies go to a folder of ours, removed at the end (as bench/engine.py does).
    with tempfile.TemporaryDirectory(prefix="kolofon-bench-") as tmp:
        scratch.use(tmp)
        document = engine.render(job)  # warm: fonts loaded, styles parsed, as in a build's worker
        document.write_pdf()
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            engine.laid_out(job)  # render, the locators' links, write
            walls.append(time.perf_counter() - start)
    return {"wall": statistics.median(walls), "runs": runs, "pages": len(document.pages),
            "entries": entries, "locators": len(book.marks)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(json.dumps(real_index(args.folder, args.runs)))


if __name__ == "__main__":
    main()
