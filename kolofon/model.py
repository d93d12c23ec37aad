"""The document model: small frozen dataclasses passed from stage to stage, never mutated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import BookConfig


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str
    role: str = "chapter"  # or a part of the front or back matter (config_shapes.FRONT_ROLES, BACK_ROLES)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str  # its words as the contents show them, with the number when sections are numbered
    number: str = ""  # "2.1" when numbered_sections numbered it


@dataclass(frozen=True)
class Note:
    number: int
    label: str
    chapter: int
    html: str  # the note's XHTML, as the EPUB shows it
    path: Path
    line: int
    print_html: str = ""  # the same with WeasyPrint's line-breaking workarounds (xhtml.glue_for_print)
    ident: str = ""  # what its ids are made of: the number, or chapter.number when numbers repeat
    calls: int = 1  # a note may be called more than once; the calls after the first are -2, -3…

    @property
    def id(self) -> str:
        return f"note-{self.ident or self.number}"

    @property
    def call_id(self) -> str:
        return f"noteref-{self.ident or self.number}"

    @property
    def more_call_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.call_id}-{k}" for k in range(2, self.calls + 1))


@dataclass(frozen=True)
class IndexMark:
    """One place in the text that an index entry points to (or that holds a cross-reference)."""

    id: str
    path: tuple[str, ...]  # (main entry,) or (main entry, subentry)
    see: str | None
    see_also: str | None
    chapter: int
    in_note: bool
    source: Path
    line: int


@dataclass(frozen=True)
class Target:
    """What a cross-reference label names: a chapter, a section, a figure or a table."""

    label: str  # "fig-map", as written after '#'
    kind: str  # chapter | section | figure | table
    anchor: str  # the id a reference links to ("ch02" for a chapter's title, else the label)
    number: str  # "2", "2.1", "3" ("" when the book does not number it: then its title is quoted)
    title: str  # the heading's or the caption's words
    source: Path
    line: int
    front: bool = False  # in the front matter: no page in the text's numbering


@dataclass(frozen=True)
class Chapter:
    number: int
    title_html: str
    title_text: str
    body_html: str  # XHTML fragment, well-formed, safe
    headings: tuple[Heading, ...]
    block_ids: tuple[str, ...]  # ids of paragraphs and other blocks, in reading order (print pages)
    images: tuple[str, ...]  # manuscript-relative paths
    source: Path
    # body_html glued for WeasyPrint (xhtml.for_print): empty in the book, set only on the copy the
    # typesetter renders, and let go with it, so that the main process holds one copy of the text.
    print_html: str = ""
    role: str = "chapter"  # or a part of the front or back matter: preface, afterword… (config_shapes)
    show_title: bool = True  # False: a dedication or epigraph without a heading (its title is its role)

    @property
    def id(self) -> str:
        return self.id_for(self.role, self.number)

    @staticmethod
    def id_for(role: str, number: int) -> str:
        return f"ch{number:02d}" if role == "chapter" else f"{role}-{number:02d}"

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"


@dataclass(frozen=True)
class IndexEntry:
    term: str
    mark_ids: tuple[str, ...]
    subentries: tuple[IndexEntry, ...] = ()
    see: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexGroup:
    label: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class Book:
    config: BookConfig
    root: Path
    chapters: tuple[Chapter, ...]
    notes: tuple[Note, ...]
    marks: tuple[IndexMark, ...]
    index: tuple[IndexGroup, ...]
    # book.yaml first, then the chapters: what the archive deposits. After the layout, book.yaml only
    # (pipeline.build lets go of the chapters' text).
    sources: tuple[SourceFile, ...]
    front: tuple[Chapter, ...] = ()  # dedication, preface…: set before chapter 1, numbered in roman
    bibliography: tuple[tuple[str, str], ...] = ()  # (key, the entry's XHTML), in the language's order
    targets: tuple[Target, ...] = ()  # every cross-reference label, in reading order

    @property
    def text_notes(self) -> tuple[Note, ...]:
        """The notes of the text and the back matter: those that notes: end gathers at the end. The
        front matter's notes are footnotes on its pages in every mode (its roman pages are set after the
        notes, which could not name them), numbered within their part."""
        front = {part.number for part in self.front}
        return tuple(n for n in self.notes if n.chapter not in front)

    def floats(self, kind: str) -> tuple[Target, ...]:
        """The numbered figures or tables, for their lists."""
        return tuple(t for t in self.targets if t.kind == kind)

    @property
    def images(self) -> tuple[str, ...]:
        """Every image the text shows (manuscript-relative), once, sorted."""
        return tuple(sorted({src for part in (*self.front, *self.chapters) for src in part.images}))


@dataclass(frozen=True)
class Locator:
    """A run of print pages for one entry: 'first' or 'first–last', linking to the first mark."""

    first: int
    last: int
    target: str

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def ref_id(key: str) -> str:
    """The id of a bibliography entry: citation keys may hold characters an XML id may not."""
    import re

    return "ref-" + re.sub(r"[^A-Za-z0-9_.-]", "-", key)
