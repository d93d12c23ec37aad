"""A numbered list that goes on after a paragraph keeps its numbers in every edition (Python-Markdown
renumbered it from 1, and WeasyPrint ignores <ol start>)."""

from __future__ import annotations

import re
import zipfile

from kolofon.checks import validate
from kolofon.pipeline import Options, build


def test_a_list_resumed_after_a_paragraph_keeps_its_numbers(make_book, tmp_path):
    root = make_book({"01.md": "# Lista\n\n1. pierwszy\n2. drugi\n\nAkapit przerywający listę.\n\n"
                               "3. trzeci\n4. czwarty\n\nKoniec.\n\n7. siódmy\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    text = "".join(validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf")))
    # pdfium gives the markers after the text, in their order
    assert re.findall(r"(\d+)\. ", text.split("siódmy", 1)[1]) == ["1", "2", "3", "4", "7"]
    with zipfile.ZipFile(next(o.path for o in result.outputs if o.edition == "epub")) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
    assert re.findall(r"<ol[^>]*>", chapter) == ["<ol>", '<ol start="3">', '<ol start="7">']
