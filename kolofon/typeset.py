"""The print layout as authors rebuild it: each chapter laid out alone (in parallel, cached), the
notes, index, front matter and running heads laid out as small documents (cached too), and the pages
assembled with pikepdf. It reads exactly like layout.Typesetter's single pass (tests/e2e/test_chunked.py);
an edit re-lays out only what it changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import weasyprint

from . import __version__
from .assemble import Bookmark, Part, assemble
from .backmatter import contents, index_groups, note_groups
from .chunks import ChunkCache, lay_out_chapters
from .dates import build_time, w3c
from .layout import FONT_NAME, Layout, Typesetter
from .writers.pdf import source_date


class Sequence:
    """Parts in page order (None: one blank page) and the number of pages they make."""

    def __init__(self) -> None:
        self.parts: list[Part | None] = []
        self.count = 0

    def add(self, part: Part) -> None:
        self.parts.append(part)
        self.count += part.pages

    def blank(self) -> None:
        self.parts.append(None)
        self.count += 1


class ChunkedTypesetter(Typesetter):
    def lay_out_chunked(self, cache_dir: Path | None, moment: dt.datetime, reuse: bool = True) -> Layout:
        book = self.book
        self.moment = moment
        self.cache = ChunkCache(cache_dir, salt=repr((__version__, self.geometry)), reuse=reuse)
        self.used: set[str] = set()
        htmls = [self.renderer.render("pdf/body.html", **self._context(chapters=[ch], chunked=True))
                 for ch in self.print_chapters()]
        chapter_parts = lay_out_chapters(htmls, self.base_url, (book.root, self.renderer.templates), moment,
                                         self.cache, self.progress)
        self.used |= {self.cache.key(h) for h in htmls}
        body = Sequence()
        page_of: dict[str, int] = {}
        furniture: list[dict[str, object]] = []
        for chapter, part in zip(book.chapters, chapter_parts, strict=True):
            if body.count % 2:  # the chapter opens on a right-hand page
                body.blank()
                furniture.append({"quiet": True, "head": ""})
            _learn(page_of, part, body.count + 1)
            furniture += [{"quiet": i == 0, "head": chapter.title_text} for i in range(part.pages)]
            body.add(part)
        text_pages = body.count
        if body.count % 2:
            body.blank()
            furniture.append({"quiet": True, "head": ""})
        if book.notes:
            self.progress("laying out the notes")
            first = body.count + 1
            draft = self._part("pdf/notes.html", first_page=first, note_groups=note_groups(book, page_of))
            heads = self.note_heads(list(draft.anchors), page_of)
            notes = self._part("pdf/notes.html", first_page=first,
                               note_groups=note_groups(book, page_of, heads))
            _learn(page_of, notes, first)
            body.add(notes)
            if body.count % 2 and book.index:  # the index opens on a right-hand page; no blank at the end
                body.blank()
        if book.index:
            self.progress("laying out the index")
            first = body.count + 1
            index = self._part("pdf/index.html", first_page=first, index_groups=index_groups(book, page_of))
            _learn(page_of, index, first)
            body.add(index)
        self.progress("laying out the front matter and the running heads")
        front = self._part("pdf/front.html", timestamp=w3c(build_time(book.config)),
                           set_in=self.labels["set_in"].format(font=FONT_NAME, version=__version__),
                           contents=contents(book, page_of, self.labels))
        running = self._part("pdf/furniture.html", first_page=1, furniture=furniture)
        head = Sequence()
        head.add(front)
        if head.count % 2:
            head.blank()
        overlay = {head.count + i: (running, i) for i in range(len(furniture))}
        self.progress("assembling the pages")
        pdf = assemble([*head.parts, *body.parts], overlay, self._bookmarks(), head.count, front)
        self.cache.prune(self.used)
        return Layout(None, pdf, head.count + body.count, head.count, page_of, text_pages, self.geometry)

    def _part(self, template: str, **extra: object) -> Part:
        """A small document laid out here, or taken from the cache when its HTML is unchanged."""
        html = self.renderer.render(template, **self._context(**extra))
        key = self.cache.key(html)
        self.used.add(key)
        part = self.cache.get(key)
        if part is None:
            document = weasyprint.HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                font_config=self.fonts)
            with source_date(self.moment):
                part = Part.from_document(document)
            self.cache.put(key, part)
        return part

    def _bookmarks(self) -> list[Bookmark]:
        book, labels = self.book, self.labels
        marks = [Bookmark(labels["contents"], "contents"),
                 *(Bookmark(ch.title_text, ch.id, tuple(Bookmark(h.text, h.id) for h in ch.headings
                                                        if h.level == 2)) for ch in book.chapters)]
        if book.notes:
            marks.append(Bookmark(labels["notes"], "notes"))
        if book.index:
            marks.append(Bookmark(labels["index"], "index"))
        return marks


def _learn(page_of: dict[str, int], part: Part, first: int) -> None:
    """Each anchor's page: the first page of the part on which it appears, numbered from `first`."""
    for i, anchors in enumerate(part.anchors):
        for name in anchors:
            page_of.setdefault(name, first + i)
