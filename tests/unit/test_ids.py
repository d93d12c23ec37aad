"""Ids the author writes: each once in the book, none of kolofon's own (source/ids.py, QA sweep 14)."""

from __future__ import annotations

import pytest

from kolofon.diagnostics import BuildError
from kolofon.pipeline import read_book

YAML = "title: T\nlang: en\n"


def _codes(make_book, text: str, more: dict[str, str] | None = None) -> list[tuple[str, str, int | None]]:
    with pytest.raises(BuildError) as failed:
        read_book(make_book({"book.yaml": YAML, "01.md": text, **(more or {})}))
    return [(d.code, d.path.name, d.line) for d in failed.value.diagnostics]


def test_an_id_set_on_a_span_a_div_and_a_heading_is_one_error_at_the_last(make_book):
    text = ("# Pumps\n\nSee [the pumps]{#sec-pumps} here.\n\n## Pumps {#sec-pumps}\n\n"
            "::: {#sec-pumps .callout-note}\nAgain.\n:::\n")
    assert _codes(make_book, text) == [("K504", "01.md", 7)]


def test_an_id_of_kolofons_own_is_refused_with_its_line(make_book):
    text = "# One\n\nA pump[^a] and [a remark]{#note-1} here.\n\n[^a]: A note.\n"
    assert _codes(make_book, text) == [("K504", "01.md", 3)]


def test_the_same_id_in_two_chapters_is_an_error(make_book):
    assert _codes(make_book, "# One\n\nA [x]{#here}.\n", {"02.md": "# Two\n\nB [y]{#here}.\n"}) == \
        [("K504", "02.md", 3)]


def test_ids_of_the_authors_own_shapes_pass(make_book):
    text = "# One\n\n## Page layout {#page-layout}\n\nText [x]{#chapter-1} and [y]{#notes-on-sources}.\n"
    _book, diags = read_book(make_book({"book.yaml": YAML, "01.md": text}))
    assert not diags
