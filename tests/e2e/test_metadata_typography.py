"""book.yaml's words in the metadata (EPUB's dc:title and dc:creator, the PDF's Info, the deposit's
Dublin Core) as the title page prints them: curled quotes, dashes, apostrophes; plain spaces."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest

from kolofon.pipeline import Options, build


@pytest.mark.parametrize(("lang", "title", "author", "shown_title", "shown_author"), [
    ("en", 'The "Quiet" Archive -- Records, 1990-2020', "Jane O'Neil",
     "The “Quiet” Archive – Records, 1990–2020", "Jane O’Neil"),
    ("pl", 'Dom w "Dolinie" - zapiski 1920-1939', "Anna O'Brien",
     "Dom w „Dolinie” – zapiski 1920–1939", "Anna O’Brien"),
])
def test_metadata_carry_the_typeset_words(make_book, tmp_path, lang, title, author, shown_title,
                                          shown_author):
    yaml = f"title: '{title}'\nauthor: \"{author}\"\nlang: {lang}\ndate: 2026-12-03\n"
    root = make_book({"book.yaml": yaml,
                      "01.md": "# One\n\nText.\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub", "archive"), force=True,
                           proof=False))
    out = {o.edition: o.path for o in result.outputs}
    with pikepdf.open(out["pdf"]) as pdf:
        assert (str(pdf.docinfo["/Title"]), str(pdf.docinfo["/Author"])) == (shown_title, shown_author)
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True  # the title, not the file's name
    with zipfile.ZipFile(out["epub"]) as z:
        opf = z.read("EPUB/content.opf").decode()
    assert re.search(r"<dc:title[^>]*>([^<]*)", opf).group(1) == shown_title
    assert re.search(r"<dc:creator[^>]*>([^<]*)", opf).group(1) == shown_author
    folder = next(o.path for o in result.outputs if o.path.is_dir())
    dublin_core = (folder / "data" / "metadata.xml").read_text(encoding="utf-8")
    assert f"<dc:title>{shown_title}</dc:title>" in dublin_core
    with pikepdf.open(next((folder / "data").glob("*-pdfa.pdf"))) as pdfa:
        assert str(pdfa.docinfo["/Title"]) == shown_title
        assert pdfa.Root.ViewerPreferences.DisplayDocTitle is True


def test_the_cover_pictures_text_alternative_is_typeset(make_book, tmp_path):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (600, 900), (20, 30, 90)).save(picture, "JPEG")
    root = make_book({"book.yaml": "title: \"Keepers' Lights, 1850-1950\"\nlang: en\ndate: 2026-12-03\n"
                                   "cover: cover.jpg\n",
                      "01.md": "# One\n\nText.\n", "cover.jpg": picture.getvalue()})
    result = build(Options(root, tmp_path / "out", editions=("epub",), force=True, proof=False))
    with zipfile.ZipFile(next(o.path for o in result.outputs if o.edition == "epub")) as z:
        cover = next(z.read(n).decode() for n in z.namelist() if n.endswith("cover.xhtml"))
    assert 'alt="Cover: Keepers’ Lights, 1850–1950"' in cover


def test_every_edition_names_the_book_by_one_identifier(make_book, tmp_path):
    """The bag's External-Identifier was derived from the typeset title, the EPUB's from the title as
    written: a title with quotes gave the deposit two identifiers."""
    root = make_book({"book.yaml": "title: 'The \"Quiet\" Archive'\nlang: en\ndate: 2026-12-03\n",
                      "01.md": "# One\n\nText.\n"})
    result = build(Options(root, tmp_path / "out", editions=("epub", "archive"), force=True, proof=False))
    folder = next(o.path for o in result.outputs if o.path.is_dir())
    with zipfile.ZipFile(next(o.path for o in result.outputs if o.edition == "epub")) as z:
        opf = z.read("EPUB/content.opf").decode()
    identifier = re.search(r"<dc:identifier[^>]*>([^<]*)", opf).group(1)
    assert f"External-Identifier: {identifier}" in (folder / "bag-info.txt").read_text(encoding="utf-8")
    assert f"<dc:identifier>{identifier}</dc:identifier>" in (folder / "data" / "metadata.xml").read_text()


def test_emphasis_in_the_title_is_italic_on_pages_and_plain_in_metadata(make_book, tmp_path):
    """`title: "Reading *Lalka* Again"` printed its asterisks everywhere (QA sweep 7)."""
    root = make_book({"book.yaml": 'title: "Reading *Lalka* Again"\nlang: en\ndate: 2026-12-03\n',
                      "01.md": "# One\n\nText.\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    with pikepdf.open(out["pdf"]) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Reading Lalka Again"
    with zipfile.ZipFile(out["epub"]) as z:
        opf = z.read("EPUB/content.opf").decode()
        title_page = z.read("EPUB/titlepage.xhtml").decode()
    assert re.search(r"<dc:title[^>]*>([^<]*)", opf).group(1) == "Reading Lalka Again"
    assert "Reading <em>Lalka</em>\u00a0Again" in title_page and "*" not in title_page


@pytest.mark.parametrize(("lang", "line"), [("en", "Translated by Anna Nowak"),
                                           ("pl", "Przekład: Anna Nowak")])
def test_translators_and_editors_on_the_title_page_and_in_the_metadata(make_book, tmp_path, lang, line):
    """No translator or editor key (QA sweep 7): a translation could not name its translator."""
    root = make_book({"book.yaml": f"title: T\nlang: {lang}\ndate: 2026-12-03\ntranslator: Anna Nowak\n"
                                   "editor: [Jan Kowalski, Ewa Zięba]\n", "01.md": "# One\n\nText.\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub", "archive"), force=True,
                           proof=False))
    out = {o.edition: o.path for o in result.outputs}
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(out["pdf"]))
    try:
        text = " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(4))
    finally:
        pdf.close()
    assert line in text and "Jan Kowalski, Ewa Zięba" in text
    with zipfile.ZipFile(out["epub"]) as z:
        opf = z.read("EPUB/content.opf").decode()
    assert re.findall(r'refines="#(contributor\d)" property="role" scheme="marc:relators">(\w+)<', opf) == \
        [("contributor1", "trl"), ("contributor2", "edt"), ("contributor3", "edt")]
    folder = next(o.path for o in result.outputs if o.path.is_dir())
    assert "<dc:contributor>Anna Nowak</dc:contributor>" in (folder / "data" / "metadata.xml").read_text()


def test_the_imprint_sets_rights_edition_and_publisher_with_the_texts_typography(make_book, tmp_path):
    """The imprint printed book.yaml's rights, edition and publisher as typed ('O'Brien', "--")."""
    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-12-03\nrights: \"(c) 2026 Jane O'Neil -- "
                                   "all rights reserved\"\nedition: \"The 'new' edition\"\n"
                                   "publisher: O'Brien Press\n", "01.md": "# One\n\nText.\n"})
    result = build(Options(root, tmp_path / "out", editions=("epub",), force=True, proof=False))
    with zipfile.ZipFile(result.outputs[0].path) as z:
        page = z.read("EPUB/titlepage.xhtml").decode()
    assert "Jane O’Neil – all rights" in page and "The ‘new’ edition" in page
    assert "O’Brien Press, 2026" in page
