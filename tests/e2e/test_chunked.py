"""Chapters laid out alone (in parallel, cached) and assembled must read exactly like the plain
single-pass layout: same pages, same text on each page (running heads and folios included), same
anchors, working links and bookmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from kolofon.layout import Typesetter
from kolofon.pipeline import read_book
from kolofon.render import Renderer
from kolofon.typeset import ChunkedTypesetter
from kolofon.writers.pdf import pdf_bytes
from tests.conftest import MANUSCRIPT

MOMENT = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed book with every chapter three times as long, so chapters run over several pages."""
    root = tmp_path_factory.mktemp("long")
    (root / "book.yaml").write_text((MANUSCRIPT / "book.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for path in MANUSCRIPT.glob("*.md"):
        head, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
        body, _, notes = rest.partition("\n[^")
        (root / path.name).write_text(f"{head}\n\n{body}\n\n{body}\n\n{body}\n[^{notes}", encoding="utf-8")
    return root


def _texts(pdf: bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def _both(root: Path, tmp: Path):
    book, _ = read_book(root)
    single = Typesetter(book, Renderer()).lay_out()
    chunked = ChunkedTypesetter(book, Renderer()).lay_out_chunked(tmp / "cache", MOMENT)
    return single, chunked


def test_chunked_layout_reads_like_the_single_pass(long_book: Path, tmp_path: Path) -> None:
    single, chunked = _both(long_book, tmp_path)
    assert chunked.pages == single.pages
    assert chunked.front_pages == single.front_pages and chunked.text_pages == single.text_pages
    assert dict(chunked.page_of) == dict(single.page_of)
    # Same lines on every page (the overlaid running head is extracted in another order).
    def lines(pdf: bytes) -> list[list[str]]:
        return [sorted(text.splitlines()) for text in _texts(pdf)]

    assert lines(chunked.pdf) == lines(pdf_bytes(single, "x", MOMENT))


def test_running_heads_and_folios_are_overlaid(long_book: Path, tmp_path: Path) -> None:
    book, _ = read_book(long_book)
    layout = ChunkedTypesetter(book, Renderer()).lay_out_chunked(tmp_path / "cache", MOMENT)
    texts = [t.replace("\xa0", " ") for t in _texts(layout.pdf)]
    chapter = book.chapters[1]
    first = layout.page_of[chapter.id]
    opening = texts[layout.front_pages + first - 1]
    verso = texts[layout.front_pages + first]  # the next page, a left-hand one
    recto = texts[layout.front_pages + first + 1]
    assert f"{first + 1} {book.config.title}" in verso  # folio and book title
    assert f"{chapter.title_text.replace(chr(160), ' ')} {first + 2}" in recto  # chapter title and folio
    assert str(first) not in opening.split(chapter.title_text.replace("\xa0", " "))[0]  # no head, no folio


def test_links_and_bookmarks_survive_assembly(tmp_path: Path) -> None:
    book, _ = read_book(MANUSCRIPT)
    layout = ChunkedTypesetter(book, Renderer()).lay_out_chunked(tmp_path / "cache", MOMENT)
    import io

    with pikepdf.open(io.BytesIO(layout.pdf)) as pdf:
        dests = [a.Dest for page in pdf.pages for a in page.get("/Annots", []) if "/Dest" in a]
        assert len(dests) >= len(book.notes) * 2 + len(book.chapters)  # calls, back-links, contents
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles[1:1 + len(book.chapters)] == [ch.title_text for ch in book.chapters]


def test_an_unchanged_chapter_comes_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    from kolofon import chunks

    book, _ = read_book(MANUSCRIPT)
    first = ChunkedTypesetter(book, Renderer()).lay_out_chunked(tmp_path / "cache", MOMENT)
    monkeypatch.setattr(chunks, "_lay_out", lambda job: pytest.fail("laid out again"))
    monkeypatch.setattr("weasyprint.HTML.render", lambda *a, **k: pytest.fail("laid out again"))
    second = ChunkedTypesetter(book, Renderer()).lay_out_chunked(tmp_path / "cache", MOMENT)
    assert second.pdf == first.pdf
