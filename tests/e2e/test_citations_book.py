"""Citations and the bibliography, end to end: tests/cite-book in each bundled style, through the PDF's
text and the EPUB's documents, checked by EPUBCheck and Ace (--check); the errors a user can make."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pypdfium2
import pytest

from kolofon.cli import main
from tests.conftest import REPO

CITE_BOOK = REPO / "tests" / "cite-book"
SLUG = "proba-przypisow-bibliograficznych"


def _copy(tmp: Path, **changes: str) -> Path:
    root = tmp / "cite-book"
    shutil.copytree(CITE_BOOK, root)
    text = (root / "book.yaml").read_text(encoding="utf-8")
    for key, value in changes.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.M) if re.search(
            rf"^{key}:", text, re.M) else text + f"{key}: {value}\n"
    (root / "book.yaml").write_text(text, encoding="utf-8")
    return root


def _pdf_text(out: Path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(out / f"{SLUG}.pdf"))
    return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


@pytest.fixture(scope="module", params=["chicago-notes", "chicago-author-date", "apa"])
def built(request, tmp_path_factory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp(request.param)
    root = _copy(tmp, csl=request.param)
    out = tmp / "out"
    # --check: EPUBCheck, Ace, Preflight, fonts, booklet and bag; exit 3 if any fails.
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "--check"]) == 0
    return request.param, out


def test_every_style_passes_every_validator_and_lists_the_bibliography(built):
    style, out = built
    pages = _pdf_text(out)
    bibliography = next(p for p in pages if p.startswith("Bibliografia"))
    # ICU's Polish order: Lem < Lis < Łukasiewicz < Nowak … Sienkiewicz < Świętochowski < Tuwim < Żeromska.
    order = [bibliography.index(name) for name in ("Lem", "Lis", "Łukasiewicz", "Nowak", "Świętochowski",
                                                   "Tuwim", "Wójcik", "Żeromska")]
    assert order == sorted(order), style
    assert "Protokół posiedzenia" in bibliography  # nocite: listed although never cited
    contents = next(p for p in pages if p.startswith("Spis treści"))
    assert "Bibliografia" in contents


def test_notes_style_makes_citations_notes_and_author_date_keeps_them_in_the_text(built):
    style, out = built
    chapter = next(p for p in _pdf_text(out) if p.startswith("1 Źródła"))
    if style == "chicago-notes":
        assert "(Nowak" not in chapter and "Jak pisze Lem" in chapter  # narrative: the name stays
        notes = next(p for p in _pdf_text(out) if p.startswith("Przypisy"))
        assert "Jan Nowak, Miasto nad morzem (Warszawa: Wydawnictwo Przykładowe, 2001), 12." in notes
        # A citation inside the author's own note stays in that note, and its full stop is not doubled.
        assert "Por. także pracę doktorską" in notes and "rozdz. 2.." not in notes
    else:
        # APA writes "s." before a page, Chicago author-date the bare number.
        assert re.search(r"\(Nowak,? 2001, (s\. )?12\)", chapter), chapter
        assert re.search(r"Jak pisze Lem \(2020, (s\. )?3\)", chapter), chapter
    # What must stay text.
    assert "redakcja@example.org" in chapter and "@nowak2001" in chapter


def test_index_term_in_a_citation_prefix_points_where_the_citation_stands(built):
    style, out = built
    pages = _pdf_text(out)
    folio = _folios(pages)
    # Chicago notes: the citation, prefix and all, is a note, so the term is on the notes' page.
    where = "Przypisy" if style == "chicago-notes" else "2 Świadectwa"
    page = next(i for i in folio if pages[i].startswith(where) and "wywiady w" in pages[i])
    index = next(p for p in pages if p.startswith("Indeks"))
    assert re.search(rf"wywiad {folio[page]}\b", index), index


def test_epub_bibliography_semantics_and_links(built):
    _style, out = built
    with zipfile.ZipFile(out / f"{SLUG}.epub") as z:
        bibliography = z.read("EPUB/bibliography.xhtml").decode()
        documents = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}
        opf = z.read("EPUB/content.opf").decode()
    assert 'epub:type="bibliography" role="doc-bibliography"' in bibliography
    assert bibliography.count('epub:type="biblioentry"') == 10
    ids = set(re.findall(r'\sid="(ref-[^"]+)"', bibliography))
    link_re = re.compile(r'href="(?:bibliography\.xhtml)?#(ref-[^"]+)"')
    links = {h for d in documents.values() for h in link_re.findall(d)}
    assert links and links <= ids  # every citation's link has its entry
    assert 'href="bibliography.xhtml"' in opf
    # Its one picture has a text alternative: text alone suffices, and the summary says so.
    assert '<meta property="schema:accessModeSufficient">textual</meta>' in opf
    assert "alternativeText" in opf and "Każda ilustracja ma opis tekstowy." in opf


def _fails(root: Path, tmp: Path, capsys, code: str, where: str, *extra: str) -> None:
    assert main([str(root), "-o", str(tmp / "out"), "-q", "--no-proof", "-e", "pdf", *extra]) == 1
    err = capsys.readouterr().err
    assert f"[{code}]" in err and where in err and "Traceback" not in err, err


def test_unknown_key_names_the_chapter_line(tmp_path, capsys):
    root = _copy(tmp_path)
    (root / "02-swiadectwa.md").write_text("# Świadectwa\n\nTekst [@brak2000, s. 3].\n", encoding="utf-8")
    _fails(root, tmp_path, capsys, "K904", "02-swiadectwa.md:3:")
    # A page reference without its label reads as a citation of "page": the error says what is missing.
    (root / "02-swiadectwa.md").write_text("# Świadectwa\n\nZob. s. [-@page:].\n", encoding="utf-8")
    _fails(root, tmp_path, capsys, "K904", "a page reference needs a label")


def test_malformed_bib_names_its_line_and_a_duplicate_key_is_an_error(tmp_path, capsys):
    root = _copy(tmp_path)
    bib = (root / "refs.bib").read_text(encoding="utf-8")
    (root / "refs.bib").write_text(bib + "\n@book{zepsuty,\n  title = {Bez końca\n", encoding="utf-8")
    _fails(root, tmp_path, capsys, "K902", "refs.bib:")
    duplicate = "\n@book{nowak2001, title = {Drugi}, year = {2002}}\n"
    (root / "refs.bib").write_text(bib + duplicate, encoding="utf-8")
    _fails(root, tmp_path, capsys, "K903", "refs.bib:")


def test_uncited_reference_is_a_warning_and_strict_makes_it_an_error(tmp_path, capsys):
    root = _copy(tmp_path, nocite="[]")
    assert main([str(root), "-o", str(tmp_path / "out"), "-q", "--no-proof", "-e", "pdf"]) == 0
    assert "[K905]" in capsys.readouterr().err
    _fails(root, tmp_path, capsys, "K905", "refs.bib:", "--strict")


def test_unknown_style_and_missing_bibliography(tmp_path, capsys):
    root = _copy(tmp_path, csl="harvard-nonexistent")
    _fails(root, tmp_path, capsys, "K906", "book.yaml:")
    root = _copy(tmp_path / "b", bibliography="brak.bib")
    _fails(root, tmp_path / "b", capsys, "K901", "book.yaml:")


def test_a_figure_in_the_preface_is_listed_with_its_roman_page(tmp_path):
    root = _copy(tmp_path, figure_numbering="chapter")
    (root / "wstep.md").write_text("# Wstęp\n\nWstęp pokazuje @fig-wstep.\n\n"
                                   "![Wykres we wstępie](images/wykres.png){#fig-wstep}\n", encoding="utf-8")
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("front:\n  - preface: wstep.md\n")
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf"]) == 0
    pages = _pdf_text(out)
    figures = next(p for p in pages if p.startswith("Spis ilustracji"))
    preface = next(i for i, p in enumerate(pages) if p.startswith("Wstęp Wstęp pokazuje"))
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi"][preface]
    # Numbered by chapter: the preface's figures run 1, 2…, the chapters' 3.1, 3.2…
    assert re.search(rf"Rys\. 1\. Wykres we wstępie[ .]*{roman}\b", figures), figures
    assert "Rys. 3.1. Liczba pozycji" in figures


def test_english_book_cites_in_english(tmp_path):
    root = _copy(tmp_path, lang="en", csl="chicago-author-date")
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf"]) == 0
    pages = _pdf_text(out)
    assert any(p.startswith("Bibliography") for p in pages)
    chapter = next(p for p in pages if p.startswith("1 Źródła"))
    assert "Łukasiewicz and Zieliński 2015" in chapter  # "and", where Polish has "i"
    text = _joined(" ".join(pages))
    assert "Zestawia je Table 1, a Figure 1 pokazuje" in text and "mówi Chapter 1 (zob. p. " in text
    assert "Table 1. Rodzaje pozycji" in text and "Figure 1. Liczba pozycji" in text
    assert any(p.startswith("List of Figures") for p in pages)


# Cross-references, figures and tables (issue 12): tests/cite-book/03-dane.md uses every form.

def _folios(pages: list[str]) -> dict[int, int]:
    """PDF page index -> printed folio (the text's pages count from chapter 1's opening)."""
    first = next(i for i, p in enumerate(pages) if p.startswith("1 Źródła"))
    return {i: i - first + 1 for i in range(first, len(pages))}


def _joined(text: str) -> str:
    # Lines broken at a hyphen, joined again: pdfium gives the hyphen at a line's end as U+FFFE (the
    # layout's hyphenation is U+002D, as TeX's), and a word's own hyphen before its line's end as "- ".
    return text.replace("\u2010 ", "").replace("- ", "-").replace("\ufffe", "")


def test_cross_references_name_the_number_and_the_printed_page(built):
    _style, out = built
    pages = _pdf_text(out)
    folio = _folios(pages)
    table_page = next(i for i in folio if "Tabela 1. Rodzaje pozycji w bibliografii próby" in pages[i])
    caption = "Rys. 1. Liczba pozycji według rodzaju (dane z tab. 1)"
    figure_page = next(i for i in folio if caption in pages[i])
    chapter1 = next(i for i in folio if pages[i].startswith("1 Źródła"))
    text = _joined(" ".join(pages[i] for i in folio))
    assert "Zestawia je tab. 1, a rys. 1 pokazuje te same liczby" in text
    assert "(w spisie ilustracji ma numer 1)" in text
    assert f"mówi rozdział 1 (zob. s. {folio[chapter1]}), o świadectwach zaś rozdział 2." in text
    assert f"Rys. 1 powtarza dane z tabeli na s. {folio[table_page]}" in text  # capital: a sentence opens
    assert re.search(r"@fig-wykres\s+poprzedzony", text) and "\\@fig" not in text  # "\@" prints "@" alone
    # An address stays text, unhyphenated; it may break before its periods.
    assert re.search(r"dane@fig-x\.example\s*\.org", text)
    # The lists of figures and tables, with the pages where they stand, in the contents too.
    figures = next(p for p in pages if p.startswith("Spis ilustracji"))
    assert re.search(rf"Rys\. 1\. Liczba pozycji według rodzaju \(dane z tab\. 1\)[ .]*{folio[figure_page]}$",
                     figures), figures
    tables = next(p for p in pages if p.startswith("Spis tabel"))
    assert re.search(rf"Tabela 1\. Rodzaje pozycji w bibliografii próby[ .]*{folio[table_page]}$", tables)
    contents = next(p for p in pages if p.startswith("Spis treści"))
    assert re.search(r"Spis ilustracji[ .]*vi Spis tabel[ .]*vii", contents), contents
    # The index term in the table's caption points to the table's page.
    index = next(p for p in pages if p.startswith("Indeks"))
    assert re.search(rf"rodzaje pozycji {folio[table_page]}\b", index), index


def test_epub_figures_tables_and_references_link_to_their_targets(built):
    _style, out = built
    pages = _pdf_text(out)
    folio = _folios(pages)
    table_page = next(i for i in folio if "Tabela 1. Rodzaje pozycji" in pages[i])
    with zipfile.ZipFile(out / f"{SLUG}.epub") as z:
        chapter = z.read("EPUB/ch03.xhtml").decode()
        nav = z.read("EPUB/nav.xhtml").decode()
        notes = z.read("EPUB/notes.xhtml").decode()
    assert '<figure id="fig-wykres">' in chapter and "<figcaption" in chapter
    assert 'alt="Wykres słupkowy: trzy książki, dwa artykuły' in chapter and "fig-alt" not in chapter
    assert '<table class="captioned short" id="tbl-rodzaje">\n<caption class="kolofon-caption">' in chapter
    assert '<a class="xref" href="ch01.xhtml#ch01">rozdział\u00a01</a>' in chapter
    assert '<a class="xref" href="#tbl-rodzaje">tab.\u00a01</a>' in chapter
    # The page reference shows the print edition's page, as the index does; the note's links lead
    # from notes.xhtml into the chapter.
    page = f'<span class="pageno" data-page-of="tbl-rodzaje">{folio[table_page]}</span></a>'
    assert f'<a class="xref" href="#tbl-rodzaje">{page}' in chapter
    assert f'<a class="xref" href="ch03.xhtml#tbl-rodzaje">s.\u00a0{page}' in notes
    assert 'epub:type="loi"' in nav and 'epub:type="lot"' in nav and 'href="ch03.xhtml#fig-wykres"' in nav


def test_unknown_and_duplicate_labels_stop_the_build_with_their_lines(tmp_path, capsys):
    root = _copy(tmp_path)
    chapter = root / "03-dane.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("@sec-swiadectwa", "@sec-swiadectwo"),
                       encoding="utf-8")
    _fails(root, tmp_path / "a", capsys, "K952", "03-dane.md:5")
    root = _copy(tmp_path / "dup")
    (root / "02-swiadectwa.md").write_text("# Świadectwa {#sec-zrodla}\n\nTekst.\n", encoding="utf-8")
    _fails(root, tmp_path / "b", capsys, "K951", "02-swiadectwa.md:1")


def test_print_edition_with_the_figure_passes_the_print_checks(tmp_path):
    root = _copy(tmp_path)
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "print", "--check", "--strict"]) == 0
