"""When the endnotes' pieces are asked for (kolofon/layout/endnotes.Pieces): each as soon as its
notes' calls have their pages and the piece before it has been cut, the last chapter's apart."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from kolofon.backmatter import NoteGroup, NoteView
from kolofon.layout.endnotes import EARLY, Pieces
from kolofon.layout.part import Part


def _groups(sizes: tuple[int, ...]) -> tuple[NoteGroup, ...]:
    number = 0
    groups = []
    for c, size in enumerate(sizes, 1):
        notes = []
        for _ in range(size):
            number += 1
            notes.append(NoteView(number, f"note-{number}", f"noteref-{number}", "x", "x", "?"))
        groups.append(NoteGroup(f"ch{c}", f"Rozdział {c}", tuple(notes)))
    return tuple(groups)


def _part(first: int, count: int, per_page: int = 20) -> Part:
    """The pages notes first… would make, `per_page` a page, each page starting with a note."""
    numbers = list(range(first, first + count))
    pages = [numbers[i:i + per_page] for i in range(0, len(numbers), per_page)]
    return Part(Path("notes.pdf"), tuple({f"note-{n}": (0.0, float(k)) for k, n in enumerate(page)}
                                         for page in pages), tuple(() for _ in pages), (),
                tuple(None for _ in pages))


class Asked:
    def __init__(self) -> None:
        self.pieces: list[tuple[NoteGroup, ...]] = []
        self.futures: list[Future[Part]] = []

    def __call__(self, piece: tuple[NoteGroup, ...]) -> Future[Part]:
        self.pieces.append(piece)
        self.futures.append(Future())
        return self.futures[-1]

    def lay_out(self, k: int) -> None:
        first = int(self.pieces[k][0].notes[0].id.removeprefix("note-"))
        self.futures[k].set_result(_part(first, sum(len(g.notes) for g in self.pieces[k])))


def test_each_piece_is_asked_for_once_its_calls_are_placed_and_the_one_before_is_cut() -> None:
    groups = _groups((EARLY, EARLY, 30))
    asked = Asked()
    pieces = Pieces(groups, asked, early=True)
    placed: set[str] = set()

    def place(chapter: int) -> None:
        placed.update(n.id for n in groups[chapter].notes)
        pieces.advance(lambda: groups, placed.__contains__)

    pieces.advance(lambda: groups, placed.__contains__)
    assert asked.pieces == []  # no call placed yet
    place(0)
    assert [[g.chapter_id for g in piece] for piece in asked.pieces] == [["ch1"]]
    asked.lay_out(0)
    place(1)
    # A piece's pages are notes 1–20, 21–40…: the next starts at its last right-hand page but its
    # first (the fifth, from note 81), and runs a piece's worth into the second chapter's notes.
    assert [(p[0].continued, p[0].notes[0].id, p[-1].notes[-1].id) for p in asked.pieces[1:]] == \
        [(True, "note-81", "note-180")]
    asked.lay_out(1)
    pieces.advance(lambda: groups, placed.__contains__)
    assert len(asked.pieces) == 2  # the rest holds the last chapter's notes: they wait for its calls
    place(2)
    assert [(p[0].notes[0].id, p[-1].notes[-1].id) for p in asked.pieces[2:]] == [("note-161", "note-230")]
    asked.lay_out(2)
    parts = pieces.finish(groups, lambda future: future.result())
    assert [p.pages for p in parts] == [4, 4, 4]  # notes 1–80, 81–160, 161–230
    assert len(asked.pieces) == 3


def test_without_early_the_notes_are_one_piece_asked_for_at_the_end() -> None:
    groups = _groups((EARLY, EARLY, 30))
    asked = Asked()
    pieces = Pieces(groups, asked)
    pieces.advance(lambda: groups, lambda _ident: False)
    assert asked.pieces == []

    def result(future: Future[Part]) -> Part:
        asked.lay_out(asked.futures.index(future))
        return future.result()

    parts = pieces.finish(groups, result)
    assert len(asked.pieces) == 1 and len(parts) == 1 and parts[0].pages == 12


def test_few_notes_before_the_last_chapter_are_not_set_apart() -> None:
    groups = _groups((EARLY - 1, 30))
    asked = Asked()
    pieces = Pieces(groups, asked, early=True)
    pieces.advance(lambda: groups, lambda _ident: True)
    assert [[g.chapter_id for g in piece] for piece in asked.pieces] == [["ch1", "ch2"]]
