"""The EPUB's marker of a print page that begins inside a paragraph stands before the words that
begin that page in the PDF (it stood before the next paragraph, up to a page later), in both
languages; and a marker is written <span ...></span>, never <span/>, which an HTML parser takes for
an open span."""

from __future__ import annotations

import re
import zipfile
from html import unescape

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build

SENTENCES = {
    "en": "Entry {n} of the keeper's log notes the wind, the lamp and the boats that passed the point.",
    "pl": "Wpis {n} w dzienniku latarnika mówi o wietrze, o lampie i o łodziach mijających cypel.",
}


def _built(root, tmp_path) -> tuple[list[str], int, dict[str, str]]:
    """The PDF's page texts, the index of chapter One's first page, the EPUB's documents by name."""
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    pages = validate.page_texts(out["pdf"])
    first = next(i for i, p in enumerate(pages) if p.startswith("One"))
    with zipfile.ZipFile(out["epub"]) as z:
        docs = {n.removeprefix("EPUB/"): z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}
    return pages, first, docs


def _words(text: str, count: int) -> list[str]:
    return unescape(re.sub(r"<[^>]+>", " ", text)).split()[:count]


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_page_begun_inside_a_paragraph_is_marked_at_its_first_words(make_book, tmp_path, lang):
    paragraph = " ".join(SENTENCES[lang].format(n=n) for n in range(1, 90))
    root = make_book({
        "book.yaml": f"title: Log\nlang: {lang}\ndate: 2026-12-03\n",
        "01.md": f"# One\n\n{paragraph}\n\nA last short paragraph.\n",
    })
    pages, first, docs = _built(root, tmp_path)
    chapter = docs["ch01.xhtml"]
    assert not re.search(r"<span\b[^>]*/>", chapter)
    markers = {int(m[1]): m.end() for m in re.finditer(r'<span id="page-(\d+)"[^>]*></span>', chapter)}
    inside = [folio for folio in markers if folio > 1]
    assert len(inside) >= 2, markers  # the paragraph runs over three pages at least
    for folio in inside:
        after = _words(chapter[markers[folio]:], 4)
        page = " ".join(pages[first + folio - 1].replace("\xa0", " ").split())
        assert " ".join(after) in page, (folio, after, page[:120])
        # the page's own first line, not the next paragraph nor the same words elsewhere
        assert page.find(" ".join(after)) < 80, (folio, after, page[:120])


def _marked_words(xhtml: str) -> dict[int, list[str]]:
    return {int(m[1]): _words(xhtml[m.end():], 3)
            for m in re.finditer(r'<span id="page-(\d+)"[^>]*></span>', xhtml)}


@pytest.mark.parametrize("mode", ["chapter", "end"])
def test_the_pages_of_the_notes_are_marked_where_they_begin(make_book, tmp_path, mode):
    """QA sweep 12: with notes: chapter, the pages the notes begin on were marked at the text's end,
    before the notes' heading; with notes: end, the first notes page after both headings."""
    calls = " ".join(f"Entry {n} of the log.[^{n}]" for n in range(1, 41))
    words = " ".join(["The keeper's own words on the matter, as he set them down."] * 4)
    notes = "\n".join(f"[^{n}]: {words}" for n in range(1, 41))
    root = make_book({
        "book.yaml": f"title: Log\nlang: en\ndate: 2026-12-03\nnotes: {mode}\n",
        "01.md": f"# One\n\n{calls}\n\n{notes}\n",
        "02.md": "# Two\n\nA short chapter.\n",
    })
    pages, first, docs = _built(root, tmp_path)
    xhtml = docs["ch01.xhtml" if mode == "chapter" else "notes.xhtml"]
    marked = _marked_words(xhtml)
    assert len(marked) >= 3, marked  # the notes run over pages of their own
    for folio, words in marked.items():
        page = " ".join(pages[first + folio - 1].replace("\xa0", " ").split())
        assert page.find(" ".join(words)) < 80, (folio, words, page[:120])


def _check_marked_where_pages_begin(xhtml: str, pages: list[str], first: int) -> int:
    marked = _marked_words(xhtml)
    for folio, words in marked.items():
        page = " ".join(pages[first + folio - 1].replace("\xa0", " ").split())
        assert page.find(" ".join(words)) < 40, (folio, words, page[:120])
    return len(marked)


def test_repeated_code_lines_and_a_footnotes_run_on_pages_are_marked_where_they_begin(make_book, tmp_path):
    """QA sweep 13: in code of like lines the marker drifted by lines (the print's count left out line
    ends and counted the indent); a page holding only a long footnote's run-on was marked at the
    end of the paragraph that calls it."""
    code = "\n".join(f"def f{n}(x):\n    return x * {n}" for n in range(1, 80))
    note = " ".join(f"Note sentence {n}: the keepers wrote of the lamp." for n in range(60))
    root = make_book({
        "book.yaml": "title: Log\nlang: en\ndate: 2026-12-03\nnotes: foot\npage_size: A6\n",
        "01.md": f"# One\n\n```\n{code}\n```\n",
        "02.md": f"# Two\n\nA short paragraph that calls a long note.[^1]\n\n[^1]: {note}\n",
    })
    pages, first, docs = _built(root, tmp_path)
    one, two = docs["ch01.xhtml"], docs["ch02.xhtml"]
    assert _check_marked_where_pages_begin(one, pages, first) >= 4
    assert _check_marked_where_pages_begin(two, pages, first) >= 3
    assert re.search(r'<aside[^>]*>(?:(?!</aside>).)*<span id="page-', two, re.S)  # in the note
