"""Images need a text alternative (a warning, an error with --strict); a long table repeats its header
on every page it runs to and never splits a row."""

from __future__ import annotations

import re
import zipfile

import pypdfium2
from PIL import Image

from kolofon.cli import main


def test_image_without_alt_text_is_a_warning_and_strict_makes_it_an_error(make_book, tmp_path, capsys):
    # The same picture with words first: the warning names the line of the one without them.
    root = make_book({"01.md": "# R\n\n![Opis](images/a.png)\n\nTekst.\n\n![](images/a.png)\n"})
    (root / "images").mkdir()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(root / "images" / "a.png")
    assert main([str(root), "-o", str(tmp_path / "o"), "-q", "--no-proof", "-e", "epub"]) == 0
    err = capsys.readouterr().err
    assert "01.md:7: warning: image 'images/a.png' has no text alternative" in err and err.count("K507") == 1
    assert main([str(root), "-o", str(tmp_path / "o2"), "-q", "--no-proof", "-e", "epub", "--strict"]) == 1
    err = capsys.readouterr().err  # under --strict the warning is an error, reported and counted as one
    assert "01.md:7: error: image 'images/a.png' has no text alternative" in err
    assert "1 error(s), 0 warning(s)" in err
    # The EPUB's accessibility metadata says so instead of claiming text alone suffices.
    with zipfile.ZipFile(tmp_path / "o" / "proba.epub") as z:
        opf = z.read("EPUB/content.opf").decode()
    assert '<meta property="schema:accessModeSufficient">textual,visual</meta>' in opf
    assert "alternativeText" not in opf and "(liczba: 1)" in opf
    assert "conformsTo" not in opf  # no claim the book cannot stand behind


def test_a_book_without_pictures_is_textual_only(make_book, tmp_path):
    root = make_book({"01.md": "# R\n\nTekst.\n"})
    assert main([str(root), "-o", str(tmp_path / "o"), "-q", "--no-proof", "-e", "epub"]) == 0
    with zipfile.ZipFile(tmp_path / "o" / "proba.epub") as z:
        opf = z.read("EPUB/content.opf").decode()
    assert re.findall(r'property="schema:accessMode">(\w+)<', opf) == ["textual"]
    assert "Nie zawiera ilustracji." in opf and "przypisy" not in opf.split("accessibilitySummary")[1]


def test_conformance_page_markers_and_the_print_isbn_are_declared(make_book, tmp_path):
    """QA sweep 8: no dcterms:conformsTo, pageBreakMarkers not listed although the markers are there,
    and pageBreakSource named the EPUB's own uuid when book.yaml gives the printed book's ISBN."""
    root = make_book({"book.yaml": "title: Próba\nlang: pl\ndate: 2026-11-23\nisbn: 978-0-306-40615-7\n"
                                   "publisher: Wydawnictwo\n", "01.md": "# R\n\nTekst.\n"})
    assert main([str(root), "-o", str(tmp_path / "o"), "-q", "--no-proof", "-e", "epub",
                 "-e", "archive"]) == 0
    with zipfile.ZipFile(tmp_path / "o" / "proba.epub") as z:
        opf = z.read("EPUB/content.opf").decode()
    assert '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>' in opf
    assert '<meta property="a11y:certifiedBy">Wydawnictwo</meta>' in opf
    assert '<meta property="schema:accessibilityFeature">pageBreakMarkers</meta>' in opf
    assert '<meta property="pageBreakSource">urn:isbn:9780306406157</meta>' in opf
    assert "<dc:source>urn:isbn:9780306406157</dc:source>" in opf
    dublin_core = (tmp_path / "o" / "proba-archive" / "data" / "metadata.xml").read_text(encoding="utf-8")
    assert "<dc:identifier>urn:isbn:9780306406157</dc:identifier>" in dublin_core


def test_long_table_repeats_its_header_and_keeps_rows_whole(make_book, tmp_path):
    rows = "\n".join(f"| wiersz{i:03d}a | wiersz{i:03d}b |" for i in range(120))
    root = make_book({"01.md": f"# R\n\n| Kolumna A | Kolumna B |\n|---|---|\n{rows}\n"})
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf"]) == 0
    pdf = pypdfium2.PdfDocument(str(out / "proba.pdf"))
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    with_rows = [t for t in texts if "wiersz" in t]
    assert len(with_rows) >= 2  # the table does run over pages
    assert all("Kolumna A" in t for t in with_rows)
    for i in range(120):
        a, b = f"wiersz{i:03d}a", f"wiersz{i:03d}b"
        assert any(a in t and b in t for t in with_rows), f"row {i} split across pages"


def test_a_row_taller_than_a_page_runs_on_under_its_repeated_header(make_book, tmp_path):
    """A 700-word cell: the caption stood alone at a page's foot, the header and one row on the next
    page, and the tall row ran on without its header: 12 pages for 8 (QA sweep 7)."""
    words = " ".join(f"word{i}" for i in range(1, 700))
    root = make_book({"01.md": f"# Tabela\n\n| Klucz | Tekst |\n|---|---|\n| a | krótki |\n"
                               f"| b | {words} |\n\n: Bardzo wysoki wiersz {{#tbl-w}}\n"})
    assert main([str(root), "-o", str(tmp_path / "o"), "-q", "--no-proof", "-e", "pdf"]) == 0
    pdf = pypdfium2.PdfDocument(str(tmp_path / "o" / "proba.pdf"))
    try:
        texts = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()
    table = [i for i, t in enumerate(texts) if "word" in t]
    assert texts[table[0]].startswith("Tabela Tabela 1. Bardzo wysoki wiersz Klucz Tekst a krótki b word1")
    assert all(texts[i].startswith("Klucz Tekst word") for i in table[1:])  # the header repeated
    assert table == list(range(table[0], table[0] + len(table))) and len(table) <= 5
