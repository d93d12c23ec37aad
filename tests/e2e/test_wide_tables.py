"""A table wider than the measure is set smaller until it fits (kolofon/layout/widetables.py); its
columns ran past the page's edge and were cut off, without a word."""

from __future__ import annotations

import pypdfium2
import pypdfium2.raw as pdfium_c

from kolofon.pipeline import Options, build

YEARS = list(range(1950, 1960))
WIDE = ("| Gmina | " + " | ".join(map(str, YEARS)) + " | Uwagi |\n|---|" + "--:|" * len(YEARS) + "---|\n"
        + "| Jawor | " + " | ".join(str(84976 + i) for i in range(len(YEARS))) + " | dane niepełne |\n")
NARROW = "| Gmina | 1950 |\n|---|--:|\n| Jawor | 84976 |\n"
MM = 72 / 25.4
TEXT_PX = 14  # the book theme's text size (10.5 pt, in the CSS px WeasyPrint draws in); a table: 0.9 of it


def _table_page(make_book, tmp_path, table: str) -> tuple[str, float, float, float]:
    """The page's text, the right edge of its rightmost character, where the measure ends (pt), and
    the size of the table's first cell ("Gmina")."""
    chapter = f"# Tabela\n\nTekst przed tabelą.\n\n{table}\nDalszy tekst.\n"
    root = make_book({"01.md": chapter})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pdf = pypdfium2.PdfDocument(str(next(o.path for o in result.outputs if o.edition == "pdf")))
    try:
        page = next(p for p in pdf if "przed tabelą" in p.get_textpage().get_text_range())
        tp = page.get_textpage()
        text = tp.get_text_range()
        right = max(tp.get_charbox(i)[2] for i in range(tp.count_chars()) if tp.get_text_range(i, 1).strip())
        size = pdfium_c.FPDFText_GetFontSize(tp.raw, text.index("G", text.index("tabelą")))
        # A5, the wider margin (20 mm) outside: on either side the measure ends 15.5 mm or more in.
        return text, right, page.get_width() - 15.5 * MM, size
    finally:
        pdf.close()


def test_a_wide_table_is_set_smaller_and_stays_inside_the_measure(make_book, tmp_path):
    text, right, measure_end, size = _table_page(make_book, tmp_path, WIDE)
    assert right <= measure_end + 1
    assert "1959" in text and "84985" in text and "dane niepełne" in text.replace("\r\n", " ")
    assert 0.6 * TEXT_PX - 0.05 <= size < 0.9 * TEXT_PX


def test_a_table_that_fits_keeps_its_size(make_book, tmp_path):
    _text, right, measure_end, size = _table_page(make_book, tmp_path, NARROW)
    assert right <= measure_end + 1
    assert abs(size - 0.9 * TEXT_PX) < 0.05


def test_a_table_too_wide_even_at_the_smallest_size_breaks_its_words_rather_than_lose_them(make_book,
                                                                                             tmp_path):
    years = range(1950, 1980)
    table = ("| Gmina | " + " | ".join(map(str, years)) + " |\n|---|" + "--:|" * len(years) + "\n"
             + "| Jawor | " + " | ".join(str(84976 + i) for i in range(len(years))) + " |\n")
    text, right, measure_end, size = _table_page(make_book, tmp_path, table)
    assert right <= measure_end + 1
    assert abs(size - 0.6 * TEXT_PX) < 0.05
    assert "85005" in text.replace("\r\n", "")  # the last cell, broken across lines but all there
