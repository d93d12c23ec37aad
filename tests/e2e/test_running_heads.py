"""A title too long for the running heads of an A6 page: cut after a whole word, or replaced by the
book's running_title (read back from the PDF's pages)."""

from __future__ import annotations

import contextlib
import io

import pytest

from kolofon.checks import validate
from kolofon.cli import main

TITLE = "The Pocket Guide to Keeping Small Archives in Good Order for Volunteers"
TEXT = "The volunteer keeps the papers in the order in which they arrived. " * 60


@pytest.mark.parametrize(("extra", "head"), [
    ("", "The Pocket Guide to Keeping Small Archives in Good Order…"),  # before: "…in Good Or…"
    ("running_title: Keeping Small Archives\n", "Keeping Small Archives"),
])
def test_the_left_head_is_whole_words(make_book, extra: str, head: str) -> None:
    yaml = f"title: {TITLE}\nlang: en\ndate: 2025-01-01\npage_size: A6\n{extra}"
    root = make_book({"book.yaml": yaml, "01.md": f"# One\n\n{TEXT}\n"})
    out = root.parent / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(root), "-o", str(out), "-e", "pdf", "--no-proof", "-q", "--strict"]) == 0
    pages = validate.page_texts(next(out.glob("*.pdf")))
    left_heads = [lines[-1] for lines in map(str.splitlines, pages) if lines and lines[-1].startswith("2 ")]
    assert left_heads == [f"2 {head}"], [p[-100:] for p in pages]
