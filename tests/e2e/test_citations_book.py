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
    chapter = next(p for p in _pdf_text(out) if p.startswith("Źródła"))
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


def _fails(root: Path, tmp: Path, capsys, code: str, where: str, *extra: str) -> None:
    assert main([str(root), "-o", str(tmp / "out"), "-q", "--no-proof", "-e", "pdf", *extra]) == 1
    err = capsys.readouterr().err
    assert f"[{code}]" in err and where in err and "Traceback" not in err, err


def test_unknown_key_names_the_chapter_line(tmp_path, capsys):
    root = _copy(tmp_path)
    (root / "02-swiadectwa.md").write_text("# Świadectwa\n\nTekst [@brak2000, s. 3].\n", encoding="utf-8")
    _fails(root, tmp_path, capsys, "K904", "02-swiadectwa.md:3:")


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


def test_english_book_cites_in_english(tmp_path):
    root = _copy(tmp_path, lang="en", csl="chicago-author-date")
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf"]) == 0
    pages = _pdf_text(out)
    assert any(p.startswith("Bibliography") for p in pages)
    chapter = next(p for p in pages if p.startswith("Źródła"))
    assert "Łukasiewicz and Zieliński 2015" in chapter  # "and", where Polish has "i"
