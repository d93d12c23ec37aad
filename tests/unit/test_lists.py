"""Lists as authors write them (CommonMark, pandoc): two-space nesting, a numbered list after a bulleted
one, numbers that go on; a list written for Python-Markdown's four spaces, and code, read as before."""

from __future__ import annotations

import re

import pytest

from kolofon.pipeline import read_book


def _html(make_book, text: str) -> str:
    book, _ = read_book(make_book({"01.md": f"# L\n\n{text}"}))
    return re.sub(r' id="[^"]*"|\n', "", book.chapters[0].body_html)


@pytest.mark.parametrize(("text", "expected"), [
    ("- a\n- b\n  - nested\n- c\n", "<ul><li>a</li><li>b<ul><li>nested</li></ul></li><li>c</li></ul>"),
    ("- a\n    - nested\n- b\n", "<ul><li>a<ul><li>nested</li></ul></li><li>b</li></ul>"),
    ("- a\n  - b\n    - c\n- d\n", "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
    ("1. one\n   - sub\n2. two\n", "<ol><li>one<ul><li>sub</li></ul></li><li>two</li></ol>"),
    ("- bullet\n\n1. first\n2. second\n", "<ul><li>bullet</li></ul><ol><li>first</li><li>second</li></ol>"),
    ("Tekst.\n\n    - kod\n    x = 1\n", "<p>Tekst.</p><pre><code>- kod\nx = 1</code></pre>"),
    ("```\n  - nie lista\n```\n", "<pre><code>  - nie lista</code></pre>"),
])
def test_lists_nest_and_part_as_written(make_book, text, expected):
    assert _html(make_book, text) == expected.replace("\n", "")
