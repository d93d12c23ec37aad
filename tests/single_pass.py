"""The test oracle: the book laid out the plain way, one WeasyPrint document per section (all chapters
in one, then the notes, the index and the front matter), in this process, no cache, no workers.

The build lays every part out alone and assembles the pages; the equivalence tests check that its text
reads exactly like this, page for page. Running heads and folios are the build's own furniture, so
they are left out here (the tests compare the text and check the furniture on its own)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from kolofon import __version__
from kolofon.backmatter import contents, float_lists, index_groups, note_groups
from kolofon.dates import build_time, w3c
from kolofon.labels import labels_for
from kolofon.layout.engine import ConfinedFetcher
from kolofon.layout.geometry import FONT_NAME
from kolofon.layout.typesetter import Typesetter
from kolofon.model import Book
from kolofon.render import Renderer


@dataclass(frozen=True)
class SinglePass:
    pdf: bytes
    pages: int
    front_pages: int
    text_pages: int
    page_of: dict[str, int]


def lay_out(book: Book) -> SinglePass:
    renderer = Renderer()
    labels = labels_for(book.config.lang)
    fonts = FontConfiguration()
    # The build's own HTML for each part (the chapters all in one document here); no workers needed.
    typesetter = Typesetter.for_jobs(book, renderer)
    html_of, chapters = typesetter._html, [typesetter._for_print(ch) for ch in book.chapters]

    def render(template: str, **extra: object) -> weasyprint.Document:
        html = html_of(template, **extra)
        fetcher = ConfinedFetcher(book.root, renderer.templates)
        return weasyprint.HTML(string=html, base_url=(renderer.templates / "pdf").as_uri() + "/",
                               url_fetcher=fetcher).render(font_config=fonts)

    def blanks(count: int) -> list:
        return list(render("pdf/blank.html").pages) if count % 2 else []

    body = render("pdf/body.html", chapters=chapters, notes_after={})
    page_of = _anchor_pages(body.pages, 1)
    text_pages = len(body.pages)
    parts = [*body.pages, *blanks(len(body.pages))]
    if book.notes:
        groups = note_groups(book, page_of)
        widest = max(note.number for group in groups for note in group.notes)
        notes = render("pdf/notes.html", note_groups=groups, notes_widest=widest)
        page_of.update(_anchor_pages(notes.pages, len(parts) + 1))
        parts += [*notes.pages, *(blanks(len(notes.pages)) if book.index else [])]
    if book.index:
        index = render("pdf/index.html", index_groups=index_groups(book, page_of))
        page_of.update(_anchor_pages(index.pages, len(parts) + 1))
        parts += index.pages
    front = render("pdf/front.html", timestamp=w3c(build_time(book.config)),
                   set_in=labels["set_in"].format(font=FONT_NAME, version=__version__),
                   contents=contents(book, page_of, labels), float_lists=float_lists(book, page_of, labels),
                   front_parts=[typesetter._for_print(part) for part in book.front])
    front_pages = [*front.pages, *blanks(len(front.pages))]
    document = front.copy([*front_pages, *parts])
    return SinglePass(document.write_pdf(), len(document.pages), len(front_pages), text_pages, page_of)


def _anchor_pages(pages: list, first: int) -> dict[str, int]:
    result: dict[str, int] = {}
    for number, page in enumerate(pages, first):
        for anchor in page.anchors:
            result.setdefault(anchor, number)
    return result


def build_layout(root: Path, folder: Path):
    """The build's own layout of a manuscript (workers, page cache in `folder`): (book, Layout)."""
    from kolofon.layout.part import PageCache
    from kolofon.pipeline import read_book
    from kolofon.workers import Workers

    book, _ = read_book(root)
    folder.mkdir(parents=True, exist_ok=True)
    with Workers(str(folder)) as workers:
        typesetter = Typesetter(book.config, book.root, Renderer(), workers,
                                PageCache(folder / "pages", salt="test"), build_time(book.config))
        layout, assembled, _assembly = typesetter.lay_out(book, folder / "book.pdf")
        assembled.result()
        return book, layout
