"""Booklet imposition: page order, padding, 4-up scheme, and the imposed PDF read back."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2
import pytest
import weasyprint

from kolofon.writers.imposition import (
    A4_PORTRAIT,
    Imposition,
    blank_positions,
    four_up_order,
    impose,
    padded_count,
    saddle_stitch_order,
)


def test_saddle_stitch_order_for_small_books() -> None:
    assert saddle_stitch_order(4) == [(4, 1), (2, 3)]
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_stitch_order(12)[:2] == [(12, 1), (2, 11)]
    assert saddle_stitch_order(12)[-2:] == [(8, 5), (6, 7)]


@pytest.mark.parametrize("n", [0, 3, 6, 10])
def test_order_needs_a_multiple_of_four(n: int) -> None:
    with pytest.raises(ValueError):
        saddle_stitch_order(n)


@pytest.mark.parametrize(("n", "padded"), [(1, 4), (4, 4), (5, 8), (6, 8), (7, 8), (8, 8), (9, 12)])
def test_padding_and_blanks_at_the_end(n: int, padded: int) -> None:
    assert padded_count(n) == padded
    assert blank_positions(n) == list(range(n + 1, padded + 1))


def test_four_up_reads_in_order_after_cut_nest_fold() -> None:
    n = 16
    sides = four_up_order(n)
    # Cut: top halves and bottom halves, each a stack of 2-up sheets (front, back).
    tops = [side[0] for side in sides]
    bottoms = [side[1] for side in sides]
    nested = tops + bottoms  # bottoms nest inside the tops: outer sheets first
    assert nested == saddle_stitch_order(n)
    # Folding a saddle-stitched stack: reading order = left pages of fronts... reconstruct it.
    reading = [0] * n
    for k, (left, right) in enumerate(nested):
        reading[left - 1] = (k, 0)
        reading[right - 1] = (k, 1)
    assert all(r != 0 for r in reading)  # every page placed exactly once
    assert padded_count(9, up=4) == 16


def _pdf(n: int, size: str = "A5") -> bytes:
    pages = "".join(f'<p style="break-after: page">Strona {i}</p>' for i in range(1, n + 1))
    return weasyprint.HTML(string=f"<style>@page {{ size: {size}; margin: 2cm }}</style>{pages}").write_pdf()


def _halves(data: bytes, rows: int = 1) -> list[list[str]]:
    pdf = pypdfium2.PdfDocument(data)
    result = []
    for page in pdf:
        w, h = page.get_size()
        tp = page.get_textpage()
        for row in range(rows):
            top = h - row * h / rows
            bottom = top - h / rows
            result.append([tp.get_text_bounded(left=x, right=x + w / 2, bottom=bottom, top=top).strip()
                           for x in (0, w / 2)])
    return result


def test_impose_two_up_places_pages_in_order() -> None:
    data = impose(_pdf(6))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 4
        w, h = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert abs(w - 841.89) < 1 and abs(h - 595.28) < 1
        for page in pdf.pages:
            for xobj in page.Resources.XObject.values():
                assert xobj.Subtype == "/Form"  # vectors kept: pages, not images
    assert _halves(data) == [["", "Strona 1"], ["Strona 2", ""], ["Strona 6", "Strona 3"],
                             ["Strona 4", "Strona 5"]]


def test_impose_is_deterministic() -> None:
    src = _pdf(5)
    assert impose(src) == impose(src)


def test_impose_four_up() -> None:
    data = impose(_pdf(9, "A6"), Imposition(up=4, sheet=A4_PORTRAIT))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 4
    halves = _halves(data, rows=2)
    assert halves[0] == ["", "Strona 1"]  # sheet 1 front, top row: page 16 (blank) and 1
    assert halves[1] == ["", "Strona 5"]  # bottom row: the inner sheet, pages 12 (blank) and 5
    assert halves[7] == ["Strona 8", "Strona 9"]  # last side, bottom row: the centre spread


def test_the_order_check_reads_4up_sheets_too(tmp_path) -> None:
    """QA sweep 13: --check checked the page order of 2-up booklets only."""
    from kolofon.checks.validate import booklet_order

    single = tmp_path / "single.pdf"
    single.write_bytes(_pdf(9, "A6"))
    good = tmp_path / "good.pdf"
    good.write_bytes(impose(single.read_bytes(), Imposition(up=4, sheet=A4_PORTRAIT)))
    assert booklet_order(good, single) == []
    with pikepdf.open(good) as pdf:  # two sides printed the wrong way round
        pdf.pages[0], pdf.pages[1] = pdf.pages[1], pdf.pages[0]
        bad = tmp_path / "bad.pdf"
        pdf.save(bad)
    problems = booklet_order(bad, single)
    assert "sheet side 1, top right: expected page 1" in problems


@pytest.mark.parametrize(("up", "size"), [(2, "A5"), (4, "A6")])
def test_crop_marks_stand_on_the_sheet(up: int, size: str) -> None:
    """QA sweep: A5 pages fill an A4 sheet, so their marks fell outside it and none was printed. With
    marks, the sheet keeps room for them around each spread (each row of a 4-up sheet), the pages at
    100 %, and every mark is drawn inside the sheet."""
    data = impose(_pdf(8, size), Imposition(up=up, sheet=None, crop_marks=True))
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[0]
        w, h = page.get_size()
        objects = list(page.get_objects())
        marks = [o for o in objects if o.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH]
        forms = [o for o in objects if o.type == pypdfium2.raw.FPDF_PAGEOBJ_FORM]
        assert marks and forms
        for mark in marks:
            left, bottom, right, top = mark.get_bounds()
            assert left >= 0 and bottom >= 0 and right <= w and top <= h
        assert all(abs(form.get_matrix().get()[0] - 1) < 1e-3 for form in forms)  # each page at 100 %
    finally:
        pdf.close()
