"""Web addresses in the text, in a note and as a link's text, with their break opportunities
(source/mdext/urls.py): the EPUB passes EPUBCheck (an HTML 5 <wbr> once swallowed the rest of its
paragraph in lxml's HTML 4 parser) and keeps each address whole; the PDF reads each address whole."""

from __future__ import annotations

import re
import zipfile

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool

URL = "https://example.org/archive/reports_2026/summer-and-winter.pdf?part=2&lang=pl"
CHAPTER = (f"# Adresy\n\nRaport jest pod adresem {URL}, a strona główna to www.example.org.[^a]\n\n"
           "Zob. też [https://example.org/a_b](https://example.org/a_b).\n\n"
           f"[^a]: Pełny rozkład: {URL} (sprawdzono).\n")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("urls") / "ms"
    root.mkdir()
    (root / "book.yaml").write_text("title: Adresy\nlang: pl\ndate: 2026-12-02\nnotes: foot\n",
                                    encoding="utf-8")
    (root / "01.md").write_text(CHAPTER, encoding="utf-8")
    result = build(Options(root, root.parent / "out", editions=("pdf", "epub"), force=True, proof=False))
    return {o.edition: o.path for o in result.outputs}


def test_the_epub_passes_epubcheck(outputs):
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(outputs["epub"]) == []


def test_each_address_reads_whole_in_both_editions(outputs):
    with zipfile.ZipFile(outputs["epub"]) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
    words = re.sub(r"<wbr\s*/>", "", chapter)
    assert words.count(URL.replace("&", "&amp;")) == 2  # in the text and in its note, as written
    assert "www.example.org" in words and ">https://example.org/a_b</" in words
    pdf_text = "".join(validate.page_texts(outputs["pdf"]))
    flat = re.sub(r"[\r\n\ufffe]", "", pdf_text).replace("\u2010", "-")
    assert flat.count(URL) == 2
