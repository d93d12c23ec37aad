"""Every part laid out alone (in parallel, cached) and assembled must read exactly like the plain
single-pass layout (tests/single_pass.py): same pages, same text on each page, same anchors; and the
furniture (running heads, folios), links and bookmarks must be there."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from kolofon.pipeline import read_book
from kolofon.source.typography import smarten
from tests import single_pass
from tests.conftest import MANUSCRIPT


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


@pytest.fixture(scope="module")
def both(long_book: Path, tmp_path_factory: pytest.TempPathFactory):
    book, layout = single_pass.build_layout(long_book, tmp_path_factory.mktemp("built"))
    return book, layout, single_pass.lay_out(book)


def _texts(pdf: bytes | Path) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def test_parts_laid_out_alone_read_like_the_single_pass(both) -> None:
    book, layout, single = both
    assert layout.pages == single.pages
    assert layout.front_pages == single.front_pages and layout.text_pages == single.text_pages
    assert dict(layout.page_of) == single.page_of
    # Same lines on every page, less the build's running head and folio (the oracle has none).
    heads = {smarten(book.config.title, book.config.lang), *(ch.title_text for ch in book.chapters), "Indeks"}
    for number, (ours, theirs) in enumerate(zip(_texts(layout.pdf), _texts(single.pdf), strict=True)):
        extra = Counter(ours.splitlines()) - Counter(theirs.splitlines())
        missing = Counter(theirs.splitlines()) - Counter(ours.splitlines())
        assert not missing, (number, missing)
        for line in extra:
            words = re.sub(r"\d+|–", "", line).strip()
            # a head, or a folio alone (an opening page's, at its foot)
            assert not words or words in heads or words.startswith("Przypisy do stron"), (number, line)


def test_running_heads_and_folios_are_overlaid(both) -> None:
    book, layout, _single = both
    texts = [t.replace("\xa0", " ") for t in _texts(layout.pdf)]
    chapter = book.chapters[1]
    first = layout.page_of[chapter.id]
    opening = texts[layout.front_pages + first - 1]
    verso = texts[layout.front_pages + first]  # the next page, a left-hand one
    recto = texts[layout.front_pages + first + 1]
    assert f"{first + 1} {book.config.title}" in verso  # folio and book title
    assert f"{chapter.title_text.replace(chr(160), ' ')} {first + 2}" in recto  # chapter title and folio
    assert str(first) not in opening.split(chapter.title_text.replace("\xa0", " "))[0]  # no head above
    assert opening.rstrip().splitlines()[-1] == str(first)  # its folio at the foot, alone
    last = max(layout.page_of[note.id] for note in book.notes)
    if last > layout.page_of["notes"]:  # a second notes page: its head names the text pages of its notes
        calls = sorted(layout.page_of[n.call_id] for n in book.notes if layout.page_of[n.id] == last)
        wanted = f"Przypisy do stron {calls[0]}–{calls[-1]}" if calls[0] != calls[-1] else \
            f"Przypisy do strony {calls[0]}"
        assert wanted in texts[layout.front_pages + last - 1]


def test_links_and_bookmarks_survive_assembly(tmp_path: Path) -> None:
    book, layout = single_pass.build_layout(MANUSCRIPT, tmp_path)
    with pikepdf.open(layout.pdf) as pdf:
        dests = [a.Dest for page in pdf.pages for a in page.get("/Annots", []) if "/Dest" in a]
        assert len(dests) >= len(book.notes) * 2 + len(book.chapters)  # calls, back-links, contents
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        # With plain spaces: a viewer's outline is searched, not set in lines (QA sweep).
        plain = [ch.title_text.replace("\xa0", " ") for ch in book.chapters]
        assert titles[1:1 + len(book.chapters)] == plain
        assert any("\xa0" in ch.title_text for ch in book.chapters)  # "… w Baku": the case is here


def test_an_unchanged_book_comes_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    from kolofon import workers

    _book, first = single_pass.build_layout(MANUSCRIPT, tmp_path)
    first_pdf = first.pdf.read_bytes()
    monkeypatch.setattr(workers.Workers, "lay_out", lambda self, job: pytest.fail("laid out again"))
    _book, second = single_pass.build_layout(MANUSCRIPT, tmp_path)
    assert second.pdf.read_bytes() == first_pdf
    assert read_book(MANUSCRIPT)[0].chapters  # the book itself is unchanged
