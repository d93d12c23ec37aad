"""QA sweep 4, the index in real editions: emphasis in terms (italic, filed by its letters), an escaped
comma, see= targets naming a subentry, Greek and Cyrillic letters, Chicago's capitalised "See" after a
full stop (and Polish "zob."), and a cross-reference to no entry, which must never break the EPUB."""

from __future__ import annotations

import ctypes
import re
import zipfile
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool

BOOKS = {
    "en": "# Chapter\n\nWe read ((*Pan Tadeusz*)) and ((Prus\\, Bolesław|Prus)), saw ((Athens)), "
          "((Ἀθῆναι|Athína)) and ((Москва|Moscow)), and ((Lighthouse, keepers of|the keepers)).\n\n"
          "(((Keepers, see=Lighthouse, keepers of)))The ((lighthouse)) and its ((Fresnel lens))."
          "(((lighthouse, see-also=Fresnel lens)))(((beacon, see=lighthouse)))\n",
    "pl": "# Rozdział\n\nCzytałem ((*Pan Tadeusz*)) i ((*Lalka*|*Lalkę*)) o ((Wilno|Wilnie)) i ((Baku))."
          "(((Filomaci, see-also=Filareci)))(((LFA, see=Ludowy Front Azerbejdżanu)))"
          "((Ludowy Front Azerbejdżanu|LFA)) (((Baku, see-also=Sumgait))) ((Sumgait)) ((Москва|Moskwa)).\n",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    built = {}
    for lang, text in BOOKS.items():
        root = tmp_path_factory.mktemp(f"index-{lang}") / "ms"
        root.mkdir()
        yaml = f"title: Index {lang}\nlang: {lang}\ndate: 2026-11-23\n"
        (root / "book.yaml").write_text(yaml, encoding="utf-8")
        (root / "01.md").write_text(text, encoding="utf-8")
        result = build(Options(root, root.parent / "out", editions=("pdf", "epub"), force=True, proof=False))
        built[lang] = {o.edition: o.path for o in result.outputs}
        built[lang]["warnings"] = [d.code for d in result.warnings]
    return built


def _index_page(pdf_path: Path, title: str) -> tuple[str, int]:
    texts = validate.page_texts(pdf_path)
    number = max(i for i, t in enumerate(texts) if t.startswith(title))
    return texts[number], number


def _index_text(pdf_path: Path, title: str) -> str:
    return " ".join(_index_page(pdf_path, title)[0].split())


def _epub_index(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return z.read(next(n for n in z.namelist() if n.endswith("index.xhtml"))).decode()


def _font_at(pdf_path: Path, title: str, word: str) -> str:
    text, number = _index_page(pdf_path, title)
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        textpage = pdf[number].get_textpage()
        name = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, text.index(word), name, 256, ctypes.byref(flags))
        return name.value.decode()
    finally:
        pdf.close()


def test_emphasised_terms_are_italic_and_filed_by_their_letters(out):
    text = _index_text(out["pl"]["pdf"], "Indeks")
    assert "*" not in text and "Liczby i symbole" not in text
    assert re.search(r"\bL Lalka 1\b", text) and re.search(r"\bP Pan Tadeusz 1\b", text), text
    assert _font_at(out["pl"]["pdf"], "Indeks", "Lalka").endswith("Italic")
    assert _font_at(out["pl"]["pdf"], "Indeks", "Sumgait").endswith("Plus")  # the roman, for contrast
    epub = _epub_index(out["pl"]["epub"])
    assert '<span epub:type="index-term"><em>Lalka</em></span>' in epub
    assert '<span epub:type="index-term"><em>Pan Tadeusz</em></span>' in epub


def test_escaped_comma_and_a_see_reference_to_a_subentry(out):
    text = _index_text(out["en"]["pdf"], "Index")
    assert "Prus, Bolesław, 1" in text and "Keepers. See Lighthouse: keepers of" in text, text
    epub = _epub_index(out["en"]["epub"])
    assert re.search(r'href="#(ix-lighthouse-keepers-of)" epub:type="index-xref-preferred"', epub)
    assert 'id="ix-lighthouse-keepers-of"' in epub


def test_greek_and_cyrillic_terms_have_their_own_letters_after_the_latin(out):
    for lang, title in (("en", "Index"), ("pl", "Indeks")):
        text = _index_text(out[lang]["pdf"], title)
        assert "Symbols" not in text and "Liczby" not in text, text
        assert re.search(r"\bМ Москва,? 1\b", text), text  # Chicago's comma in English
    text = _index_text(out["en"]["pdf"], "Index")
    assert text.index("Athens") < text.index("Α Ἀθῆναι") < text.index("М Москва"), text


def test_cross_references_read_as_chicago_in_english_and_zob_in_polish(out):
    english = _index_text(out["en"]["pdf"], "Index")
    assert "beacon. See lighthouse" in english and "lighthouse, 1. See also Fresnel lens" in english, english
    polish = _index_text(out["pl"]["pdf"], "Indeks")
    assert "LFA zob. Ludowy Front Azerbejdżanu" in polish and "Baku 1. Zob. też Sumgait" in polish, polish


def test_a_cross_reference_to_no_entry_is_left_out_and_the_epub_stays_valid(out):
    assert out["pl"]["warnings"].count("K403") == 1
    assert "Filomaci" not in _index_text(out["pl"]["pdf"], "Indeks")
    assert "Filomaci" not in _epub_index(out["pl"]["epub"])
    require_tool(java_available(), "Java (for EPUBCheck)")
    for lang in BOOKS:
        assert validate.epubcheck(out[lang]["epub"]) == [], lang
