"""A long book's endnotes laid out in pieces, each piece starting where a page of the whole would.

WeasyPrint holds every element's computed style until its document is written (~18 KB an element, a
note is four): the 2,000-page book's 39 pages of notes took 97 MiB in one document, against 23 MiB for
the 500-page book's ten. So notes are laid out some 250 of them at a time. A piece is cut
where the whole would put a page break: its last pages are laid out again as the start of the next
piece, from the last right-hand page of it that begins with a note (not inside one, nor with a
chapter's title, whose margin a page top takes away). That page, laid out first in a document of its
own (the same width, the same side, nothing above it), is the page the whole would have made, and so
is every page after it; the pieces' pages before it are kept. The equivalence test lays the notes
out whole and in pieces of a few notes and compares every line (tests/e2e/test_endnotes_pieces.py).

The same cut lets the notes be laid out while the chapters still are. A note's "↑ p. 14" waits for
its call's page; so the notes of every chapter but the last go in pieces of some four pages, each
asked for as soon as its notes' calls are placed and the piece before it is cut. After the last
chapter, only its own notes remain, with the last piece's pages after its cut (a 500-page book's
ten pages of notes took 1.8 s after its last chapter, on one core). Where the pieces fall depends on
the notes alone, never on which layout finished first: the parts (and so the PDF's bytes) are the
same in every build."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Future

from ..backmatter import NoteGroup
from .part import Part

# What a piece holds, in notes: WeasyPrint's memory goes by elements, and a note is four of them and
# some more per 500 characters of its text. The 500-page book's 240 notes are one piece.
PIECE = 250
NOTE_CHARS = 500

Submit = Callable[[tuple[NoteGroup, ...]], Future[Part]]
# With `early`, the notes before the last chapter's go in pieces of this many notes' worth (some four
# pages: a piece is cut at a right-hand page after its first, and what follows is laid out again), and
# the last chapter's are a piece of their own when at least this much stands before them.
EARLY = 100


class Pieces:
    """The notes' pieces, each asked for as soon as the pages of its notes' calls are known and the
    piece before it has been cut. With `early`, the notes of every chapter but the last go in pieces of
    EARLY notes' worth, laid out while the chapters still are; the last chapter's own notes follow it."""

    def __init__(self, groups: tuple[NoteGroup, ...], submit: Submit, piece: int = PIECE,
                 early: bool = False):
        self.groups = groups  # for the notes' ids and sizes: their pages may not be known yet
        self.notes = [(g, n) for g, group in enumerate(groups) for n in range(len(group.notes))]
        self.submit = submit
        self.piece = piece
        self.boundary = len(self.notes) - len(groups[-1].notes) if groups and early else None
        self.parts: list[Part] = []
        self.start, self.size, self.early_size = 0, piece, EARLY
        self.pending: tuple[int, Future[Part]] | None = None  # (where the piece asked for ends, its job)
        self.finished = not self.notes

    def advance(self, groups: Callable[[], tuple[NoteGroup, ...]], ready: Callable[[str], bool]) -> None:
        """Ask for every piece that can be asked for now (`ready`: a note's calls have their pages;
        `groups`: the notes with those pages), without waiting for one."""
        while not self.finished:
            if self.pending is not None:
                if not self.pending[1].done():
                    return
                self._take(self.pending[1].result())
                continue
            end = self._end()
            if not all(ready(self._id(i)) for i in range(self.start, end)):
                return
            self._ask(groups(), end)

    def finish(self, groups: tuple[NoteGroup, ...], result: Callable[[Future[Part]], Part]) -> list[Part]:
        """The notes' parts in page order, every page known (`result` waits for a piece)."""
        while not self.finished:
            if self.pending is None:
                self._ask(groups, self._end())
            assert self.pending is not None
            self._take(result(self.pending[1]))
        return self.parts

    def _ask(self, groups: tuple[NoteGroup, ...], end: int) -> None:
        self.pending = end, self.submit(_piece(groups, self.notes, self.start, end))

    def _take(self, part: Part) -> None:
        assert self.pending is not None
        end, self.pending = self.pending[0], None
        if end == len(self.notes):
            self.parts.append(part)
            self.finished = True
            return
        cut = _cut(part, self.groups, self.notes, self.start)
        if cut is None:  # no page of this piece starts a note: a larger piece finds one
            self.size, self.early_size = 2 * self.size, 2 * self.early_size
            if end == self.boundary:
                self.boundary = None
            return
        page, self.start = cut
        self.parts.append(dataclasses.replace(part, anchors=part.anchors[:page], links=part.links[:page],
                                              starts=part.starts[:page]))
        self.size, self.early_size = self.piece, EARLY

    def _end(self) -> int:
        """Where a piece from note `start` ends: after `size` notes' worth, at least two notes, and
        not past the boundary."""
        stop, size = len(self.notes), self.size
        if self.boundary is not None and \
                _weight(self.groups, self.notes, self.start, self.boundary) >= EARLY:  # else one piece
            stop, size = self.boundary, min(self.size, self.early_size)
        total = 0
        for i in range(self.start, stop):
            total += _weight(self.groups, self.notes, i, i + 1)
            if total >= size and i > self.start:
                return i + 1
        return stop

    def _id(self, i: int) -> str:
        g, n = self.notes[i]
        return self.groups[g].notes[n].id  # type: ignore[union-attr]


def lay_out_notes(groups: tuple[NoteGroup, ...], submit: Submit, result: Callable[[Future[Part]], Part],
                  piece: int = PIECE, early: bool = False) -> list[Part]:
    """The notes' parts in page order: `submit` lays out a piece's groups, `result` waits for one."""
    return Pieces(groups, submit, piece, early).finish(groups, result)


def _weight(groups: tuple[NoteGroup, ...], notes: list[tuple[int, int]], start: int, end: int) -> int:
    """What notes[start:end] hold, in notes: one each, and one more per NOTE_CHARS of text."""
    return sum(1 + len(groups[g].notes[n].print_html) // NOTE_CHARS  # type: ignore[union-attr]
               for g, n in notes[start:end])


def _piece(groups: tuple[NoteGroup, ...], notes: list[tuple[int, int]], start: int,
           end: int) -> tuple[NoteGroup, ...]:
    """The groups of notes[start:end]; a piece after the first starts at a page's first note, whose
    group's title stands on an earlier page (even before the group's first note, were a page to
    break between them): its first group is `continued`."""
    piece: list[NoteGroup] = []
    for g, n in notes[start:end]:
        if not piece or piece[-1].chapter_id != groups[g].chapter_id:
            piece.append(dataclasses.replace(groups[g], notes=(), continued=start > 0 and not piece))
        piece[-1] = dataclasses.replace(piece[-1], notes=(*piece[-1].notes, groups[g].notes[n]))
    return tuple(piece)


def _cut(part: Part, groups: tuple[NoteGroup, ...], notes: list[tuple[int, int]],
         start: int) -> tuple[int, int] | None:
    """(the page of `part` the next piece starts on, its first note's index in `notes`): the last
    right-hand page (even, as the piece's first page is right-hand) after the first whose first line
    opens a note."""
    index = {groups[g].notes[n].id: i for i, (g, n) in enumerate(notes)}  # type: ignore[union-attr]
    for page in range(len(part.anchors) - 1, 0, -1):
        if page % 2 or page >= len(part.starts) or part.starts[page] is not None:
            continue  # a left-hand page, or one that goes on with a note (or not known to)
        ours = [(y, name) for name, (_x, y) in part.anchors[page].items()
                if (name.startswith("note-") and name in index) or name.startswith("notes-")]
        if not ours:
            continue
        _y, first = min(ours)
        if first.startswith("note-") and index[first] > start:
            return page, index[first]
    return None
