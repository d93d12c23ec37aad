"""A chapter title that carries an index term and a note call: the title stands once with its marks
(the chapter's heading), and wherever it is repeated (contents, the EPUB's nav, the notes' heading)
without them. EPUBCheck once failed on both (RSC-012: links to ids the document did not hold)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool

NS = {"x": "http://www.w3.org/1999/xhtml"}
CHAPTERS = {
    "01.md": "# Zaopatrzenie i ((konserwacja))[^t]\n\nTekst rozdziału o konserwacji.\n\n"
             "[^t]: Przypis do tytułu.\n",
    "02.md": "# Drugi\n\nDalszy tekst.[^u]\n\n[^u]: Przypis w tekście.\n",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("titles") / "ms"
    root.mkdir()
    (root / "book.yaml").write_text("title: Próba\nlang: pl\ndate: 2026-11-23\n", encoding="utf-8")
    for name, text in CHAPTERS.items():
        (root / name).write_text(text, encoding="utf-8")
    result = build(Options(root, root.parent / "out", editions=("pdf", "epub"), force=True, proof=False))
    return {o.edition: o.path for o in result.outputs}


def _docs(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as z:
        return {Path(n).name: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def test_every_link_in_the_epub_leads_to_an_id_of_its_document(out):
    docs = _docs(out["epub"])
    ids = {name: {el.get("id") for el in doc.iter() if el.get("id")} for name, doc in docs.items()}
    for name, doc in docs.items():
        for a in doc.iterfind(".//x:a[@href]", NS):
            target, _, fragment = a.get("href").partition("#")
            if fragment and "://" not in target:
                assert fragment in ids[target or name], (name, a.get("href"))


def test_the_title_keeps_its_marks_once_and_the_copies_are_bare(out):
    docs = _docs(out["epub"])
    heading = docs["ch01.xhtml"].find(".//x:h1", NS)
    assert heading.find(".//x:span[@class='ix']", NS) is not None
    assert heading.find(".//x:a[@class='noteref']", NS).get("href") == "notes.xhtml#note-1"
    for name in ("nav.xhtml", "notes.xhtml"):
        copies = [el for el in docs[name].iter() if "konserwacja" in "".join(el.itertext())
                  and el.tag.endswith(("}a", "}h2"))]
        assert copies, name
        for copy in copies:
            assert copy.find(".//x:a[@class='noteref']", NS) is None, name
            assert not any(el.get("id", "").startswith("ix-") for el in copy.iter()), name
    # In the PDF the notes' heading repeats the title without its call (the call would read "…cja1").
    notes_page = next(t for t in validate.page_texts(out["pdf"]) if "Przypis do tytułu" in t)
    assert "konserwacja" in notes_page and "konserwacja1" not in notes_page


def test_epubcheck_accepts_marks_in_a_title(out):
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(out["epub"]) == []
