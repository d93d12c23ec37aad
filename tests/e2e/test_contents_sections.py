"""The book theme's contents set a section under its chapter: its first line further in than the
chapter's, and its page number flush with the chapters' (QA sweep 11: sections stood at the chapters'
indent, their smaller dots out of the columns of the others)."""

from __future__ import annotations

import pypdfium2

from kolofon.pipeline import Options, build


def _left_and_right(page: pypdfium2.PdfPage, words: str) -> tuple[float, float]:
    """The left edge of the row that holds `words`, and the right edge of its page number."""
    text = page.get_textpage()
    rects = [text.get_rect(i) for i in range(text.count_rects())]
    row = next(r for r in rects if words in text.get_text_bounded(*r))
    middle = (row[1] + row[3]) / 2
    on_row = [r for r in rects if r[1] < middle < r[3]]
    return min(r[0] for r in on_row), max(r[2] for r in on_row)


def test_a_section_stands_under_its_chapter_with_its_number_flush_right(make_book, tmp_path):
    root = make_book({
        "book.yaml": "title: Mill Lane\nlang: en\ndate: 2026-12-03\nnumbered_sections: true\n",
        "01.md": "# The Founding\n\nText.\n\n## The First Bench\n\nMore text.\n",
        "02.md": "# The Ledgers\n\nText.\n",
    })
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pdf = pypdfium2.PdfDocument(str(next(o.path for o in result.outputs if o.edition == "pdf")))
    page = next(pdf[i] for i in range(len(pdf)) if "Contents" in pdf[i].get_textpage().get_text_range())
    chapter_left, chapter_right = _left_and_right(page, "The Founding")
    section_left, section_right = _left_and_right(page, "First Bench")
    assert section_left > chapter_left + 5  # points: about 1.2em in
    assert abs(section_right - chapter_right) < 1.5
