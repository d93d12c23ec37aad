"""Note numbers of three digits in the print edition: the hang widens for the whole list, so no number
runs into its text and every note's text starts at the same place (templates/pdf/book.css)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from kolofon.backmatter import note_groups
from kolofon.layout import engine
from kolofon.layout.typesetter import Typesetter
from kolofon.pipeline import read_book


def _edges(make_book, count: int, numbers: tuple[int, ...]) -> dict[int, tuple[int, float, float]]:
    """For each of `numbers`: the page of its note, the right edge of its number and the left edge of
    its text, as pdfium reads them from the laid-out notes."""
    text = "# Rozdział\n\n" + " ".join(f"Zdanie {n}.[^{n}]" for n in range(1, count + 1)) + "\n\n"
    text += "\n".join(f"[^{n}]: Uwaga do zdania." for n in range(1, count + 1)) + "\n"
    book, _ = read_book(make_book({"01.md": text}))
    job = Typesetter.for_jobs(book).job("pdf/notes.html", note_groups=note_groups(book, {}),
                                        notes_widest=count)
    document = engine.render(job)
    for page in document.pages:
        page.links.clear()  # the calls are not in this document
    edges = {}
    for i, page in enumerate(pdfium.PdfDocument(io.BytesIO(document.write_pdf()))):
        chars = page.get_textpage()
        full = chars.get_text_range()
        for n in numbers:
            start = full.find(f"\n{n}.")
            if start >= 0:
                dot = start + 1 + len(str(n))
                edges[n] = (i, chars.get_charbox(dot)[2], chars.get_charbox(full.index("U", dot))[0])
    return edges


def test_three_digit_numbers_keep_a_gap_and_every_text_aligns(make_book) -> None:
    edges = _edges(make_book, 120, (9, 99, 100, 101))
    assert set(edges) == {9, 99, 100, 101}
    assert all(text - dot > 2 for _page, dot, text in edges.values())  # a space's gap at least (pt)
    assert edges[99][0] == edges[100][0] == edges[101][0]  # the premise: 99 to 101 on one page
    assert len({round(edges[n][2], 1) for n in (99, 100, 101)}) == 1  # their texts in one column


def test_a_book_with_fewer_notes_keeps_the_narrow_hang(make_book) -> None:
    assert _edges(make_book, 12, (9,))[9][2] < _edges(make_book, 120, (9,))[9][2]
