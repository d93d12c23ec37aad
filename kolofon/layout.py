"""The one layout of the print edition.

The text is laid out once; each anchor's page is read from the laid-out pages; then the small
documents whose content depends on page numbers (notes, index, front matter with the contents) are laid
out with the numbers written in, and all pages are combined. No target-counter(), no second pass over
the text (measured: both double the build time on a book-sized manuscript)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from . import __version__
from .backmatter import contents, index_groups, note_groups, note_heads
from .dates import build_time, w3c
from .images import ConfinedFetcher
from .labels import labels_for
from .model import Book
from .render import Renderer

FONT_NAME = "Gentium Book Plus"


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
        body = self._render("pdf/body.html", chapters=book.chapters, chunked=False)
        page_of: dict[str, int] = _anchor_pages(body.pages, 1)
        text_pages = len(body.pages)
        parts = [*body.pages, *self._blanks(len(body.pages))]
        if book.notes:
            self.progress("laying out the notes")
            notes = self._notes(page_of, len(parts) + 1)
            page_of.update(_anchor_pages(notes.pages, len(parts) + 1))
            parts += [*notes.pages, *self._blanks(len(notes.pages))]
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

    def lay_out_chunked(self, cache_dir: Path | None, moment: dt.datetime, reuse: bool = True) -> Layout:
        """The same book, each chapter laid out alone (in parallel, cached), then assembled."""
        from .assemble import Bookmark, Part, assemble
        from .chunks import ChunkCache, lay_out_chapters
        from .writers.pdf import source_date

        book = self.book
        htmls = [self.renderer.render("pdf/body.html", **self._context(chapters=[ch], chunked=True))
                 for ch in book.chapters]
        cache = ChunkCache(cache_dir, salt=repr((__version__, self.geometry)), reuse=reuse)
        chapter_parts = lay_out_chapters(htmls, self.base_url, (book.root, self.renderer.templates), moment,
                                         cache, self.progress)
        body = _Sequence()
        page_of: dict[str, int] = {}
        furniture: list[dict[str, object]] = []
        for chapter, part in zip(book.chapters, chapter_parts, strict=True):
            if body.count % 2:  # the chapter opens on a right-hand page
                body.blank()
                furniture.append({"quiet": True, "head": ""})
            first = body.count + 1
            for i, anchors in enumerate(part.anchors):
                for name in anchors:
                    page_of.setdefault(name, first + i)
                furniture.append({"quiet": i == 0, "head": chapter.title_text})
            body.add(part)
        text_pages = body.count
        if body.count % 2:
            body.blank()
            furniture.append({"quiet": True, "head": ""})
        if book.notes:
            self.progress("laying out the notes")
            notes = self._notes(page_of, body.count + 1)
            page_of.update(_anchor_pages(notes.pages, body.count + 1))
            with source_date(moment):
                body.add(Part.from_document(notes))
            if body.count % 2:
                body.blank()
        if book.index:
            self.progress("laying out the index")
            index = self._render("pdf/index.html", first_page=body.count + 1,
                                 index_groups=index_groups(book, page_of))
            page_of.update(_anchor_pages(index.pages, body.count + 1))
            with source_date(moment):
                body.add(Part.from_document(index))
        self.progress("laying out the front matter and the running heads")
        front = self._render("pdf/front.html", timestamp=w3c(build_time(book.config)),
                             set_in=self.labels["set_in"].format(font=FONT_NAME, version=__version__),
                             contents=contents(book, page_of, self.labels))
        furniture_doc = self._render("pdf/furniture.html", first_page=1, furniture=furniture)
        with source_date(moment):
            front_part = Part.from_document(front)
            furniture_part = Part.from_document(furniture_doc)
        head = _Sequence()
        head.add(front_part)
        if head.count % 2:
            head.blank()
        overlay = {head.count + i: (furniture_part, i) for i in range(len(furniture))}
        bookmarks = [Bookmark(self.labels["contents"], "contents"),
                     *(Bookmark(ch.title_text, ch.id, tuple(Bookmark(h.text, h.id) for h in ch.headings
                                                               if h.level == 2)) for ch in book.chapters)]
        if book.notes:
            bookmarks.append(Bookmark(self.labels["notes"], "notes"))
        if book.index:
            bookmarks.append(Bookmark(self.labels["index"], "index"))
        self.progress("assembling the pages")
        pdf = assemble([*head.parts, *body.parts], overlay, bookmarks, head.count, front_part)
        return Layout(None, pdf, head.count + body.count, head.count, page_of, text_pages, self.geometry)

    def _notes(self, page_of: Mapping[str, int], first_page: int) -> weasyprint.Document:
        """Two small passes: the first learns which notes start on which page, the second writes each
        page's running head ('Notes to pages 3–7'); the heads do not change the flow of the notes."""
        groups = note_groups(self.book, page_of)
        draft = self._render("pdf/notes.html", first_page=first_page, note_groups=groups)
        starts: dict[int, list[int]] = {}
        for _ident, number in _notes_by_page(draft.pages):
            starts.setdefault(_ident, []).append(number)
        calls = {numbers[0]: [page_of.get(f"noteref-{n}", 0) for n in numbers] for numbers in starts.values()}
        heads = note_heads(calls, (self.labels["notes_to_page"], self.labels["notes_to_pages"]))
        return self._render("pdf/notes.html", first_page=first_page,
                            note_groups=note_groups(self.book, page_of, heads))

    def _blanks(self, count: int) -> list[weasyprint.Page]:
        """One blank page when `count` is odd, so the next part opens on a right-hand page."""
        if count % 2 == 0:
            return []
        return list(self._render("pdf/blank.html").pages)


class _Sequence:
    """Parts in page order (None: one blank page) and the number of pages they make."""

    def __init__(self) -> None:
        self.parts: list = []
        self.count = 0

    def add(self, part) -> None:
        self.parts.append(part)
        self.count += part.pages

    def blank(self) -> None:
        self.parts.append(None)
        self.count += 1


def _anchor_pages(pages: list[weasyprint.Page], first: int) -> dict[str, int]:
    """The page on which each anchor starts (an element spanning pages is anchored on each of them)."""
    result: dict[str, int] = {}
    for number, page in enumerate(pages, first):
        for anchor in page.anchors:
            result.setdefault(anchor, number)
    return result


def _notes_by_page(pages: list[weasyprint.Page]) -> Iterator[tuple[int, int]]:
    for i, page in enumerate(pages):
        numbers = sorted(int(a.removeprefix("note-")) for a in page.anchors
                         if a.startswith("note-") and a.removeprefix("note-").isdigit())
        for number in numbers:
            yield i, number
