"""A footnote longer than a page's footnote area (notes: foot) begins on the page of its call and runs
on to the next pages, whole: WeasyPrint alone moves such a note to the next page and cuts it off. A
note called after it on the same page keeps its order and follows the long note's last piece."""

from __future__ import annotations

import pypdfium2

from tests.single_pass import build_layout

SENTENCE = "Bardzo długi przypis, który nie mieści się na jednej stronie i musi przejść na następną. "
FILLER = "Zdanie tekstu głównego, które wypełnia stronę i nie niesie żadnej treści poza objętością. " * 12


def test_long_footnote_begins_on_its_page_and_runs_on_whole(make_book, tmp_path):
    chapter = ("# Próba\n\n" + "\n\n".join([FILLER] * 3) + "\n\nTu jest wywołanie[^a] długiego przypisu, "
               "a tu krótkiego[^b].\n\n" + "\n\n".join([FILLER] * 5) + f"\n\n[^a]: {SENTENCE * 45}\n\n"
               "[^b]: Krótki przypis.\n")
    yaml = "title: Próba\nlang: pl\ndate: 2026-11-23\nnotes: foot\n"
    root = make_book({"book.yaml": yaml, "01.md": chapter})
    book, layout = build_layout(root, tmp_path / "layout")
    long_note, short_note = book.notes
    assert layout.page_of[long_note.id] == layout.page_of[long_note.call_id]
    pdf = pypdfium2.PdfDocument(str(layout.pdf))
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    flat = "".join(" ".join(t.split()) for t in texts)
    assert flat.count(" ".join(SENTENCE.split())) == 45  # not one sentence lost or cut
    pages_with_note = [i + 1 - layout.front_pages for i, t in enumerate(texts) if "Bardzo długi przypis" in t]
    assert len(pages_with_note) >= 2 and pages_with_note[0] == layout.page_of[long_note.id]
    assert layout.page_of[short_note.id] == pages_with_note[-1]
