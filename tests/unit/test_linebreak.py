"""WeasyPrint hyphenated a text's first word alone on a line when the text fit the line but the space
before the following span did not (kolofon/layout/linebreak.py)."""

from __future__ import annotations

import re

import pypdfium2
import pytest
from weasyprint.layout import inline
from weasyprint.text.line_break import split_first_line as weasyprint_split

from kolofon.layout import engine, linebreak
from kolofon.pipeline import read_book
from kolofon.render import Renderer

TEXT = ("mainland. The inspectors arrived without warning and examined the logbooks, the storerooms and "
        "the condition of the paint on the tower. At {term} the weather was calm.")


def _lines(make_book, term: str) -> list[str]:
    root = make_book({"book.yaml": "title: Lights\nlang: en\ndate: 2026-11-23\n",
                      "01.md": "# One\n\n" + TEXT.format(term=term) + "\n"})
    book, _ = read_book(root)
    job = engine.chapter_jobs(book, Renderer())[0]
    pdf = pypdfium2.PdfDocument(engine.render(job).write_pdf())
    try:
        # pdfium joins a line that ends in a hyphen to the next one, marking the hyphen U+FFFE
        return pdf[0].get_textpage().get_text_range().replace("\ufffe", "-\r\n").split("\r\n")
    finally:
        pdf.close()


@pytest.mark.parametrize("term", ["((Bell Rock))", "*Bell Rock*"])
def test_a_span_after_the_text_does_not_change_where_its_lines_break(make_book, term):
    plain = _lines(make_book, "Bell Rock")
    marked = _lines(make_book, term)
    assert marked == plain
    assert not [line for line in marked if re.fullmatch(r"\S+[\u2010-]", line)]


def test_without_the_fix_the_first_word_stood_alone(make_book, monkeypatch):
    monkeypatch.setattr(inline, "split_first_line", weasyprint_split)
    assert "log-" in _lines(make_book, "((Bell Rock))")
    monkeypatch.setattr(inline, "split_first_line", linebreak.split_first_line)
    assert "log-" not in _lines(make_book, "((Bell Rock))")



def test_a_build_leaves_the_font_files_of_the_process_that_laid_out_before_it(make_book, tmp_path):
    """Laying out in this process, then a build, then laying out again (as the test suite does): the
    build's layout server dropped the fonts it inherited, and WeasyPrint deleted their folder, this
    process's, when they went (FileNotFoundError in a weasyprint-* folder at the next layout)."""
    from tests import single_pass
    from tests.conftest import MANUSCRIPT

    _lines(make_book, "Bell Rock")
    folder = engine.fonts()._folder
    assert folder is not None
    single_pass.build_layout(MANUSCRIPT, tmp_path / "built")
    assert folder.is_dir()
    assert _lines(make_book, "((Bell Rock))")
