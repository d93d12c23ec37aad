"""A code fence never closed is an error at its line (QA sweep 11: the backticks were printed and the
code's lines run together, without a word)."""

from __future__ import annotations

import pytest

from kolofon.diagnostics import BuildError
from kolofon.pipeline import read_book

YAML = "title: Fences\nlang: en\n"


def _codes(make_book, files: dict[str, str]) -> list[tuple[str, str, int | None]]:
    root = make_book({"book.yaml": YAML, **files})
    with pytest.raises(BuildError) as failed:
        read_book(root)
    return [(d.code, d.path.name, d.line) for d in failed.value.diagnostics]


def test_an_unclosed_fence_is_an_error_at_the_line_that_opens_it(make_book):
    text = "# One\n\nText.\n\n```python\nprint(1)\n```\n\n~~~~\nsecond\n~~~\n\nNo end.\n"
    assert _codes(make_book, {"01.md": text}) == [("K210", "01.md", 9)]


def test_an_unclosed_fence_in_the_front_matter_is_found_too(make_book):
    root_files = {"01.md": "# One\n\nText.\n", "preface.md": "# Preface\n\n``` {.sh}\nls\n"}
    root = make_book({"book.yaml": YAML + "front:\n  - preface: preface.md\n", **root_files})
    with pytest.raises(BuildError) as failed:
        read_book(root)
    assert [(d.code, d.path.name, d.line) for d in failed.value.diagnostics] == [("K210", "preface.md", 3)]


def test_closed_fences_and_inline_backticks_pass(make_book):
    text = "# One\n\n```\na\n```\n\n``` {.py}\nb\n```   \n\nUse ```x``` inline.\n"
    book, _warnings = read_book(make_book({"book.yaml": YAML, "01.md": text}))
    assert "<pre" in book.chapters[0].body_html


def test_a_longer_closing_fence_is_named_in_the_message(make_book):
    root = make_book({"book.yaml": YAML, "01.md": "# One\n\n```\nx\n````\n\nText.\n"})
    with pytest.raises(BuildError) as failed:
        read_book(root)
    [problem] = failed.value.diagnostics
    assert (problem.code, problem.line) == ("K210", 3) and "line 5 has '````'" in problem.message
