"""A long book's endnotes laid out in pieces, each piece starting where a page of the whole would.

WeasyPrint holds every element's computed style until its document is written (~18 KB an element, a
note is four): the 2,000-page book's 39 pages of notes took 97 MiB in one document, against 23 MiB for
the 500-page book's ten. So notes are laid out some 250 of them at a time. A piece is cut
where the whole would put a page break: its last pages are laid out again as the start of the next
piece, from the last right-hand page of it that begins with a note (not inside one, nor with a
chapter's title, whose margin a page top takes away). That page, laid out first in a document of its
own (the same width, the same side, nothing above it), is the page the whole would have made, and so
is every page after it; the pieces' pages before it are kept. The equivalence test lays the notes
out whole and in pieces of a few notes and compares every line (tests/e2e/test_endnotes_pieces.py)."""

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


def lay_out_notes(groups: tuple[NoteGroup, ...], submit: Submit, result: Callable[[Future[Part]], Part],
                  piece: int = PIECE) -> list[Part]:
    """The notes' parts in page order: `submit` lays out a piece's groups, `result` waits for one."""
    notes = [(g, n) for g, group in enumerate(groups) for n in range(len(group.notes))]
    parts: list[Part] = []
    start, size = 0, piece
    while True:
        end = _end(groups, notes, start, size)
        part = result(submit(_piece(groups, notes, start, end)))
        if end == len(notes):
            parts.append(part)
            return parts
        cut = _cut(part, groups, notes, start)
        if cut is None:  # no page of this piece starts a note: a larger piece finds one
            size *= 2
            continue
        page, start = cut
        parts.append(dataclasses.replace(part, anchors=part.anchors[:page], links=part.links[:page],
                                         starts=part.starts[:page]))
        size = piece


def _end(groups: tuple[NoteGroup, ...], notes: list[tuple[int, int]], start: int, size: int) -> int:
    """Where a piece from note `start` ends: after `size` notes' worth, at least two notes."""
    total = 0
    for i in range(start, len(notes)):
        g, n = notes[i]
        total += 1 + len(groups[g].notes[n].print_html) // NOTE_CHARS  # type: ignore[union-attr]
        if total >= size and i > start:
            return i + 1
    return len(notes)


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
