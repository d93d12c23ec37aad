"""Lists nested three deep, in both themes: every marker is drawn in the book's own faces (the
browsers' ◦ and ▪ are missing from them and came from a fallback font, which --check rejects)."""

from __future__ import annotations

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build

LISTS = ("# Listy\n\n- jeden\n    - dwa\n        - trzy\n            - cztery\n\nA teraz numery:\n\n"
         "1. pierwszy\n    - punkt pod numerem\n        - głębiej\n")


@pytest.mark.parametrize(("theme", "families"), [("book", ("Gentium Book Plus",)),
                                                 ("report", ("Gentium Book Plus", "Noto Sans"))])
def test_nested_list_markers_are_set_in_the_books_faces(make_book, tmp_path, theme, families):
    root = make_book({"book.yaml": f"title: Próba\nlang: pl\ndate: 2026-11-23\ntheme: {theme}\n",
                      "01.md": LISTS})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pdf = next(o.path for o in result.outputs if o.edition == "pdf")
    assert validate.pdf_fonts(pdf, families) == []
    text = next(t for t in validate.page_texts(pdf) if "jeden" in t)
    assert "–" in text and "•" in text  # the second level's dash, the first and third levels' bullet
