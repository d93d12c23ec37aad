"""A note called in a chapter's title, with footnotes: printed at the page's foot and given an aside in
the EPUB like any other (it was in neither: the title is not part of the chapter's body)."""

from __future__ import annotations

import re
import zipfile

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool


@pytest.mark.parametrize(("theme", "lang", "yaml"), [("report", "pl", ""), ("book", "en", "notes: foot\n")])
def test_a_note_in_a_chapter_title_is_a_footnote(make_book, tmp_path, theme, lang, yaml):
    text = " ".join(["Zdanie, które wypełnia stronę i przechodzi na następną."] * 150)
    root = make_book({
        "book.yaml": f"title: Próba\nlang: {lang}\ndate: 2026-12-03\ntheme: {theme}\n{yaml}",
        "01.md": f"# Tytuł rozdziału[^h]\n\n{text}[^a]\n\n"
                 "[^h]: Przypis w tytule.\n[^a]: Przypis w tekście.\n",
    })
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    pages = validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf"))
    opening = next(p for p in pages if p.lstrip("1 ").startswith("Tytuł rozdziału"))
    assert re.search(r"1\. Przypis w\stytule\.", opening), opening  # at the foot of the title's page
    assert not any("tytule." in p for p in pages if p is not opening)  # once, not in the running heads
    assert any("tekście." in p for p in pages)
    epub = next(o.path for o in result.outputs if o.edition == "epub")
    with zipfile.ZipFile(epub) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
    title_end, aside = chapter.index("</h1>"), chapter.index('<aside class="footnote" id="note-1"')
    assert title_end < aside < chapter.index("<p id=")  # right after the title, before the text
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(epub) == []
