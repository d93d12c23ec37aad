"""A long book's endnotes are laid out in pieces (kolofon/layout/endnotes.py): the pages they make,
joined, must be the pages of the notes laid out as one document, line for line."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import pypdfium2
import pytest

from kolofon.backmatter import NoteGroup, note_groups
from kolofon.layout import engine
from kolofon.layout.endnotes import lay_out_notes
from kolofon.layout.part import Part
from kolofon.layout.schedule import done
from kolofon.layout.typesetter import Typesetter
from kolofon.pipeline import read_book

SENTENCE = ("Ormian bezprawnie zwalniano z pracy oraz siłą eksmitowano z ich mieszkań i domów, "
            "a władze nie reagowały na skargi poszkodowanych. ")


def _chapter(number: int, notes: int) -> str:
    calls = " ".join(f"Zdanie {k}.[^n{k}]" for k in range(notes))
    # Notes of one to seven sentences, every ninth of two paragraphs: some run over a page's foot.
    defs = "\n\n".join(f"[^n{k}]: {SENTENCE * (1 + k % 7)}"
                       + (f"\n\n    {SENTENCE * 3}" if k % 9 == 8 else "") for k in range(notes))
    return f"# Rozdział {number}\n\n{calls}\n\n{defs}\n"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("notes")
    (root / "book.yaml").write_text("title: Przypisy\nlang: pl\ndate: 2026-11-23\n", encoding="utf-8")
    for number, notes in ((1, 90), (2, 3), (3, 60)):
        (root / f"{number:02}.md").write_text(_chapter(number, notes), encoding="utf-8")
    book, _ = read_book(root)
    return book


def _lines(pdf: Path, pages: int) -> list[list[tuple[str, int]]]:
    """Each page's lines: their text and the height at which they stand (to a tenth of a point)."""
    doc = pypdfium2.PdfDocument(pdf)
    result = []
    for i in range(pages):
        text = doc[i].get_textpage()
        lines: dict[int, str] = {}
        for c in range(text.count_chars()):
            box = text.get_charbox(c)
            lines.setdefault(round(box[1] * 10), "")
            lines[round(box[1] * 10)] += text.get_text_range(c, 1)
        result.append(sorted(((t.strip(), y) for y, t in lines.items() if t.strip()), key=lambda p: -p[1]))
    doc.close()
    return result


@pytest.mark.parametrize("early", [False, True], ids=["pieces", "last-chapter-apart"])
def test_notes_in_pieces_are_the_pages_of_the_notes_laid_out_whole(book, tmp_path: Path, early: bool) -> None:
    typesetter = Typesetter.for_jobs(book)
    groups = note_groups(book, {})
    widest = max(note.number for group in groups for note in group.notes)
    made: list[Part] = []

    def lay_out(piece: tuple[NoteGroup, ...]) -> Future[Part]:
        html = typesetter._html("pdf/notes.html", note_groups=piece, notes_widest=widest)
        job = dataclasses.replace(typesetter._unwritten(html), pdf=tmp_path / f"piece{len(made)}.pdf")
        made.append(engine.lay_out(job))
        return done(made[-1])

    result: Callable[[Future[Part]], Part] = lambda future: future.result()  # noqa: E731
    whole = lay_out_notes(groups, lay_out, result, piece=10_000)
    assert len(whole) == 1
    # `early`: the notes before the last chapter's in pieces of EARLY notes' worth (a build lays them
    # out while the chapters are), the rest after them.
    pieces = lay_out_notes(groups, lay_out, result, piece=12 if not early else 500, early=early)
    assert len(pieces) >= (2 if early else 3)  # the notes were cut (more than once in small pieces)
    assert any(len(part.anchors) < _pages(part.pdf) for part in pieces)  # pages were laid out again
    expected = _lines(whole[0].pdf, whole[0].pages)
    got = [page for part in pieces for page in _lines(part.pdf, part.pages)]
    assert len(got) == len(expected)
    assert got == expected
    # What the running heads and the EPUB's page markers read: the same notes start on each page.
    # ("notes", the section's id, is on every page of the whole; a piece after the first has no id.)
    assert [{k: v for k, v in a.items() if k != "notes"} for part in pieces for a in part.anchors] == \
        [{k: v for k, v in a.items() if k != "notes"} for a in whole[0].anchors]
    assert [s for part in pieces for s in part.starts] == list(whole[0].starts)


def _pages(pdf: Path) -> int:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()
