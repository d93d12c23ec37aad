"""The one layout of the print edition.

The text is laid out once; each anchor's page is read from the laid-out pages; then the small
documents whose content depends on page numbers (notes, index, front matter with the contents) are laid
out with the numbers written in, and all pages are combined. No target-counter(), no second pass over
the text (measured: both double the build time on a book-sized manuscript)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from . import __version__
from .backmatter import contents, index_groups, note_groups, note_heads
from .dates import build_time, w3c
from .images import ConfinedFetcher
from .labels import labels_for
from .model import Book, Chapter
from .render import Renderer

FONT_NAME = "Gentium Book Plus"
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=)"([^":]+)"')  # relative sources only (URLs were refused)


@dataclass(frozen=True)
class Geometry:
    """Page geometry in mm, proportional to the page so that A6 to A4 all look composed."""

    width: float
    height: float
    bleed: float = 0.0

    @property
    def inner(self) -> float:
        return round(self.width * 0.105, 1)

    @property
    def outer(self) -> float:
        return round(self.width * 0.135, 1)

    @property
    def top(self) -> float:
        return round(self.height * 0.085, 1)

    @property
    def bottom(self) -> float:
        return round(self.height * 0.11, 1)

    @property
    def font_size(self) -> float:
        return 9.0 if self.width < 120 else 10.5 if self.width < 180 else 11.5

    @property
    def head_size(self) -> float:
        return round(self.font_size * 0.85, 1)


@dataclass(frozen=True)
class Layout:
    document: weasyprint.Document | None  # every page (single-pass layout), or
    pdf: bytes | None  # the assembled PDF (chapters laid out separately, see chunks.py)
    pages: int
    front_pages: int  # roman folios; the text starts on page 1 after them
    page_of: Mapping[str, int]  # element id -> printed page number (arabic)
    text_pages: int  # pages of the text itself (for the EPUB's page-list)
    geometry: Geometry


class Typesetter:
    """Lays out a Book with the PDF templates; holds the font configuration shared by every part."""

    def __init__(self, book: Book, renderer: Renderer, bleed: float = 0.0,
                 progress: Callable[[str], None] = lambda _msg: None):
        self.book = book
        self.renderer = renderer
        self.progress = progress
        self.labels = labels_for(book.config.lang)
        self.geometry = Geometry(*book.config.page_mm, bleed=bleed)
        self.fonts = FontConfiguration()
        self.fetcher = ConfinedFetcher(book.root, renderer.templates)
        self.base_url = (renderer.templates / "pdf").as_uri() + "/"

    def _context(self, **extra: object) -> dict[str, object]:
        config = self.book.config
        return {"config": config, "labels": self.labels, "page": self.geometry, "running_left": config.title,
                "href": lambda ident: f"#{ident}", "version": __version__, **extra}

    def _render(self, template: str, **extra: object) -> weasyprint.Document:
        html = self.renderer.render(template, **self._context(**extra))
        return weasyprint.HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            font_config=self.fonts)

    def lay_out(self) -> Layout:
        book = self.book
        self.progress(f"laying out the text ({len(book.chapters)} chapters)")
        body = self._render("pdf/body.html", chapters=self.print_chapters(), chunked=False)
        page_of: dict[str, int] = _anchor_pages(body.pages, 1)
        text_pages = len(body.pages)
        parts = [*body.pages, *self._blanks(len(body.pages))]
        if book.notes:
            self.progress("laying out the notes")
            notes = self._notes(page_of, len(parts) + 1)
            page_of.update(_anchor_pages(notes.pages, len(parts) + 1))
            parts += [*notes.pages, *(self._blanks(len(notes.pages)) if book.index else [])]
        if book.index:
            self.progress("laying out the index")
            index = self._render("pdf/index.html", first_page=len(parts) + 1,
                                 index_groups=index_groups(book, page_of))
            page_of.update(_anchor_pages(index.pages, len(parts) + 1))
            parts += index.pages
        self.progress("laying out the front matter")
        front = self._render("pdf/front.html", timestamp=w3c(build_time(book.config)),
                             set_in=self.labels["set_in"].format(font=FONT_NAME, version=__version__),
                             contents=contents(book, page_of, self.labels))
        front_pages = [*front.pages, *self._blanks(len(front.pages))]
        document = front.copy([*front_pages, *parts])
        return Layout(document, None, len(document.pages), len(front_pages), page_of, text_pages,
                      self.geometry)

    def print_chapters(self) -> list[Chapter]:
        """Chapters with their images given as file URLs: the print templates live elsewhere than the
        manuscript, and the EPUB keeps the relative paths."""
        root = self.book.root.resolve()

        def absolute(match: re.Match[str]) -> str:
            return f'{match.group(1)}"{(root / unquote(match.group(2))).as_uri()}"'

        return [dataclasses.replace(ch, print_html=_IMG_SRC.sub(absolute, ch.print_html)) if ch.images else ch
                for ch in self.book.chapters]

    def _notes(self, page_of: Mapping[str, int], first_page: int) -> weasyprint.Document:
        """Two small passes: the first learns which notes start on which page, the second writes each
        page's running head ('Notes to pages 3–7'); the heads do not change the flow of the notes."""
        groups = note_groups(self.book, page_of)
        draft = self._render("pdf/notes.html", first_page=first_page, note_groups=groups)
        heads = self.note_heads([page.anchors for page in draft.pages], page_of)
        return self._render("pdf/notes.html", first_page=first_page,
                            note_groups=note_groups(self.book, page_of, heads))

    def note_heads(self, anchors_by_page: list, page_of: Mapping[str, int]) -> dict[int, str]:
        calls: dict[int, list[int]] = {}
        for anchors in anchors_by_page:
            numbers = sorted(int(a.removeprefix("note-")) for a in anchors
                             if a.startswith("note-") and a.removeprefix("note-").isdigit())
            if numbers:
                calls[numbers[0]] = [page_of.get(f"noteref-{n}", 0) for n in numbers]
        return note_heads(calls, (self.labels["notes_to_page"], self.labels["notes_to_pages"]))

    def _blanks(self, count: int) -> list[weasyprint.Page]:
        """One blank page when `count` is odd, so the next part opens on a right-hand page."""
        if count % 2 == 0:
            return []
        return list(self._render("pdf/blank.html").pages)


def _anchor_pages(pages: list[weasyprint.Page], first: int) -> dict[str, int]:
    """The page on which each anchor starts (an element spanning pages is anchored on each of them)."""
    result: dict[str, int] = {}
    for number, page in enumerate(pages, first):
        for anchor in page.anchors:
            result.setdefault(anchor, number)
    return result
