"""The print index's columns (templates/pdf/book.css): an entry longer than what is left of a column runs
on into the next one instead of leaving the space empty, and a page range is never split at its dash."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from kolofon.backmatter import index_groups
from kolofon.layout import engine
from kolofon.layout.typesetter import Typesetter
from kolofon.pipeline import read_book

MARKS = 400  # the long entry's locators: more than one column holds


def _index_pages(make_book) -> list[str]:
    """The text of each page of the laid-out index of a book with two short entries and, between them,
    one that stands on every page (its marks given pages 1, 2, 4, 5, 7, 8…: ranges and single pages)."""
    paragraphs = ["((Alfa)) pierwsza.", *(f"((Beta)) {n}." for n in range(MARKS)), "((Gamma)) ostatnia."]
    book, _ = read_book(make_book({"01.md": "# Rozdział\n\n" + "\n\n".join(paragraphs) + "\n"}))
    pages = iter(n for n in range(1, 10 * MARKS) if n % 3)
    page_of = {mark.id: next(pages) for mark in book.marks}
    job = Typesetter.for_jobs(book).job("pdf/index.html", index_groups=index_groups(book, page_of))
    document = engine.render(job)
    for page in document.pages:
        page.links.clear()  # the marks are not in this document
    pdf = pdfium.PdfDocument(io.BytesIO(document.write_pdf()))
    return [page.get_textpage().get_text_range() for page in pdf]


def test_a_long_entry_runs_on_instead_of_leaving_a_column_empty(make_book) -> None:
    pages = _index_pages(make_book)
    # The premise: the long entry needs more than the first page's two columns.
    assert len(pages) >= 2
    # It starts under "Alfa" on the first page, in the first column: whole entries kept together
    # (break-inside: avoid) pushed it to the second column and left the first nearly empty.
    first = pages[0]
    assert first.index("Alfa") < first.index("Beta") < first.index("2, 4–5")
    lines = first.splitlines()
    beta = next(i for i, line in enumerate(lines) if line.startswith("Beta"))
    assert beta < 8, lines[:12]
    # No page but the last is short of lines: every column is full before the next begins.
    counts = [len(page.splitlines()) for page in pages]
    assert min(counts[:-1]) > 0.9 * max(counts), counts


def test_a_page_range_is_never_split_at_its_dash(make_book) -> None:
    lines = [line for page in _index_pages(make_book) for line in page.splitlines()]
    assert any("–" in line for line in lines)  # the premise: ranges, many lines of them
    assert not [line for line in lines if line.rstrip().endswith("–")]


def test_a_last_subentry_is_not_carried_over_alone(make_book) -> None:
    """QA sweep: a short index balanced into two columns put "Jan, wspomnienia" alone atop the second
    column, its heading "Kowal" and its other subentries in the first."""
    terms = ["getto", "Kazimierz", "Kościół św. Józefa", "Kowal, Jan", "Kowal, Jan, rozmowy",
             "Kowal, Jan, wspomnienia", "Nowak, Ewa", "Ruszczyc, Jan"]
    text = "# Rozdział\n\n" + "\n\n".join(f"Tu (({term}))." for term in terms) + "\n"
    book, _ = read_book(make_book({"01.md": text}))
    job = Typesetter.for_jobs(book).job("pdf/index.html", index_groups=index_groups(
        book, {mark.id: 1 for mark in book.marks}))
    document = engine.render(job)
    for page in document.pages:
        page.links.clear()
    pdf = pdfium.PdfDocument(io.BytesIO(document.write_pdf()))
    try:
        page = pdf[0].get_textpage()
        whole = page.get_text_range()

        def left(word: str) -> float:
            return page.get_charbox(whole.index(word))[0]

        assert left("Nowak") > left("Kowal") + 50  # the premise: two columns, Nowak in the second
        assert abs(left("wspomnienia") - left("rozmowy")) < 1  # the last subentry in its entry's column
    finally:
        pdf.close()
