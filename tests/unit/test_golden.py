"""Golden files (Standard Ebooks style): tests/golden/<case>/in is a manuscript, golden/ holds what the
converter made of it, reviewed by a person. `pytest --update-golden` rewrites them; review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolofon.model import Book
from kolofon.pipeline import read_book

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "in").is_dir())


def rendered(book: Book) -> dict[str, str]:
    files = {ch.file_name: f"<!-- {ch.title_html} -->\n{ch.body_html.strip()}\n" for ch in book.chapters}
    files["notes.txt"] = "".join(f"{n.number} [^{n.label}] ch{n.chapter} line {n.line}: {n.html.strip()}\n"
                                 for n in book.notes)
    lines = []
    for group in book.index:
        lines.append(f"[{group.label}]")
        for entry in group.entries:
            lines.append(f"{entry.term}: {len(entry.mark_ids)} marks; see {list(entry.see)}; "
                         f"see also {list(entry.see_also)}")
            lines += [f"    {sub.term}: {len(sub.mark_ids)} marks" for sub in entry.subentries]
    files["index.txt"] = "\n".join(lines) + "\n"
    return files


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, update_golden: bool) -> None:
    book, _warnings = read_book(GOLDEN / case / "in")
    got = rendered(book)
    folder = GOLDEN / case / "golden"
    if update_golden:
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for name, text in got.items():
            (folder / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}
    assert got == expected
