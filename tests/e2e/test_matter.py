"""Front and back matter (dedication, epigraph, preface; afterword, about the author), the colophon and the
ISBN, on the sample book: their places, page labels and semantics in the PDF and the EPUB, read back by
pypdfium2 and lxml; and the mistakes a manuscript can make with them."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from lxml import etree

from kolofon.checks import validate
from kolofon.cli import main
from kolofon.pipeline import Options, build
from tests.conftest import MINIMAL_YAML, REPO

DESIGN_BOOK = REPO / "tests" / "design-book"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
EPUB_TYPE = f"{{{NS['epub']}}}type"
ARGS = ["-e", "pdf", "-e", "epub", "--no-proof", "-q"]
ROMAN = re.compile(r"^[ivxlc]+$")


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, err.getvalue()


class Book:
    """The built PDF as (label, text) per page, and the EPUB's documents, spine and contents."""

    def __init__(self, out: Path):
        self.pdf_path = next(out.glob("*.pdf"))
        pdf = pypdfium2.PdfDocument(str(self.pdf_path))
        try:
            self.pages = [(pdf.get_page_label(i), " ".join(pdf[i].get_textpage().get_text_range().split()))
                          for i in range(len(pdf))]
        finally:
            pdf.close()
        with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
            self.docs = {Path(n).name: etree.fromstring(z.read(n))
                         for n in z.namelist() if n.endswith(".xhtml")}
            opf = etree.fromstring(z.read("EPUB/content.opf"))
        files = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
        self.spine = [files[ref.get("idref")] for ref in opf.iterfind(".//opf:spine/opf:itemref", NS)]

    def page(self, start: str) -> int:
        """Index of the one page whose text begins with `start`."""
        (index,) = [i for i, (_label, text) in enumerate(self.pages) if text.startswith(start)]
        return index

    def section(self, epub_type: str) -> tuple[str, etree._Element]:
        (found,) = [(name, s) for name, doc in self.docs.items()
                    for s in doc.iterfind(".//x:body/x:section", NS) if s.get(EPUB_TYPE) == epub_type]
        return found


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = tmp_path_factory.mktemp("matter") / "design-book"
    shutil.copytree(DESIGN_BOOK, root)
    out = root.parent / "out"
    status, err = run(str(root), "-o", str(out), *ARGS)
    assert status == 0, err
    return Book(out)


@pytest.mark.parametrize(("epub_type", "role", "label"), [
    ("dedication", "doc-dedication", "Dedication"),
    ("epigraph", "doc-epigraph", "Epigraph"),
    ("preface", "doc-preface", None),
    ("afterword", "doc-afterword", None),
    ("colophon", "doc-colophon", None),
])
def test_each_part_carries_its_epub_semantics_and_aria_role(book, epub_type, role, label):
    name, section = book.section(epub_type)
    assert section.get("role") == role
    body = section.getparent()
    assert body.get(EPUB_TYPE) == ("frontmatter" if epub_type in ("dedication", "epigraph", "preface")
                                   else "backmatter")
    if label:  # untitled: named for assistive technology by its role, in the book's language
        assert section.get("aria-label") == label and section.find("x:h1", NS) is None
    else:
        heading = book.docs[name].find(f".//*[@id='{section.get('aria-labelledby')}']")
        assert heading is not None and heading.text == epub_type.capitalize()


def test_dedication_and_epigraph_come_before_the_contents_and_the_preface_after(book):
    spine = book.spine
    dedication, epigraph = book.section("dedication")[0], book.section("epigraph")[0]
    preface, colophon = book.section("preface")[0], book.section("colophon")[0]
    assert spine.index("titlepage.xhtml") < spine.index(dedication) < spine.index(epigraph) \
        < spine.index("nav.xhtml") < spine.index(preface) < spine.index("ch04.xhtml")
    assert spine[-1] == colophon
    afterword = book.section("afterword")[0]
    about = next(n for n in book.docs if n.startswith("about-"))
    assert spine.index("ch05.xhtml") < spine.index(afterword) < spine.index(about) \
        < spine.index("index.xhtml")


def test_contents_list_the_preface_and_back_matter_but_not_the_small_parts(book):
    toc = book.docs["nav.xhtml"].find(".//x:nav[@epub:type='toc']", NS)
    titles = [" ".join("".join(a.itertext()).split()) for a in toc.iterfind("x:ol/x:li/x:a", NS)]
    assert titles == ["Preface", "Spring", "Autumn", "Afterword", "About the author", "Index"]
    hrefs = [a.get("href") for a in toc.iterfind(".//x:a", NS)]
    for small in ("dedication", "epigraph", "colophon"):
        assert not [h for h in hrefs if book.section(small)[0] in h], small


def test_about_the_author_has_no_epub_semantics_but_a_title(book):
    (about,) = [doc for name, doc in book.docs.items() if name.startswith("about-")]
    section = about.find(".//x:body/x:section", NS)
    assert section.get(EPUB_TYPE) is None and section.get("role") is None
    assert section.find("x:h1", NS).text == "About the author"


def test_pdf_prelims_have_roman_labels_and_the_contents_give_them(book):
    preface = book.page("Preface This small book")
    label = book.pages[preface][0]
    assert ROMAN.match(label), label
    contents = book.pages[book.page("Contents")][1]
    assert re.search(rf"Preface[\s.]*{label}\b", contents), contents
    assert book.page("For everyone who keeps") < book.page("The sea is the same") < book.page("Contents") \
        < preface < book.page("Spring")
    assert all(ROMAN.match(lab) for lab, _text in book.pages[:book.page("Spring")])
    assert book.pages[book.page("Spring")][0] == "1"
    for title in ("Afterword", "About the author"):  # back matter: arabic, as the contents say
        page_label = book.pages[book.page(f"{title} ")][0]
        assert page_label.isdigit() and re.search(rf"{title}[\s.]*{page_label}\b", contents)
    with pikepdf.open(book.pdf_path) as pdf:
        styles = [str(d.get("/S")) for d in list(pdf.Root.PageLabels.Nums)[1::2]]
    assert styles[:2] == ["/r", "/D"]


def test_imprint_shows_the_isbn(book):
    imprint = book.pages[book.page("Text © 2026 Ada Example")][1]
    assert "ISBN 978-0-306-40615-7" in imprint


def test_the_colophon_is_the_last_page(book):
    label, text = book.pages[-1]
    assert text.startswith("Colophon")
    for line in ("Typefaces: Noto Serif", "Paper: Munken Premium Cream 90 g/m²", "Print run: 300 copies",
                 "Printed by: Example Print House, Gdańsk", "ISBN: 978-0-306-40615-7"):
        assert line in text, line
    assert label.isdigit()


YAML = "title: Próba\nlang: pl\ndate: 2026-11-23\n"
CHAPTER = "# Rozdział\n\nTekst o ((Baku)).\n"


@pytest.mark.parametrize(("files", "code", "where"), [
    ({"book.yaml": YAML + "isbn: 978-0-306-40615-8\n"}, "K107", "book.yaml:4:"),
    ({"book.yaml": YAML + "back:\n  - afterword: a.md\n"}, "K203", "book.yaml:5:"),
    ({"book.yaml": YAML + "front:\n  - dedication: brak.md\n"}, "K203", "book.yaml:5:"),
])
def test_matter_mistakes_are_one_clear_message(make_book, tmp_path, files, code, where):
    root = make_book({"01.md": CHAPTER, **files})
    status, err = run(str(root), "-o", str(tmp_path / "out"), *ARGS)
    assert status == 1, err
    assert f"[{code}]" in err and where in err and "Traceback" not in err, err


def test_an_index_term_in_the_front_matter_is_a_warning_and_not_indexed(make_book, tmp_path):
    root = make_book({"01.md": CHAPTER, "book.yaml": YAML + "front:\n  - preface: p.md\n",
                      "p.md": "# Przedmowa\n\nTekst o ((Baku)) i ((Sumgait)).\n"})
    status, err = run(str(root), "-o", str(tmp_path / "out"), "-e", "epub", "--no-proof", "-q")
    assert status == 0 and "p.md:3: warning:" in err and "[K405]" in err, err
    status, err = run(str(root), "-o", str(tmp_path / "strict"), "-e", "epub", "--no-proof", "-q", "--strict")
    assert status == 1 and "[K405]" in err, err
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as z:
        index = z.read("EPUB/index.xhtml").decode()
    assert "Baku" in index and "Sumgait" not in index  # the chapter's mark only


def test_an_untitled_dedication_is_labelled_in_the_books_language(make_book, tmp_path):
    root = make_book({"book.yaml": YAML + "front: [{dedication: ded.md}]\n", "ded.md": "Mojej matce.\n",
                      "01.md": CHAPTER})
    status, err = run(str(root), "-o", str(tmp_path / "out"), "-e", "epub", "--no-proof", "-q")
    assert status == 0, err
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as z:
        docs = {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}
    (section,) = [s for doc in docs.values() for s in doc.iterfind(".//x:body/x:section", NS)
                  if s.get(EPUB_TYPE) == "dedication"]
    assert section.get("aria-label") == "Dedykacja"
    assert "".join(section.itertext()).strip() == "Mojej matce."
    chapters = [n for n in docs if re.search(r"/ch\d+\.xhtml$", n)]
    assert len(chapters) == 1  # the dedication is not also read as a chapter


def test_the_title_page_sets_book_yaml_strings_with_the_languages_typography(make_book, tmp_path):
    """A Polish one-letter word in the title never ends a line of the title page (it did: only the
    text was set with the language's rules), and straight quotes are curled there too."""
    yaml = ('title: "Dzieje spółdzielni pszczelarskiej w Dolinie Bobru i jej \\"Ula\\""\n'
            "subtitle: Kronika z aneksem o pszczelarzach\nlang: pl\ndate: 2026-11-23\n")
    root = make_book({"book.yaml": yaml, "01.md": "# Jeden\n\nTekst.\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    front = " ".join(validate.page_texts(out["pdf"])[:3])
    assert "w\u00a0Dolinie" in front and "i\u00a0jej" in front and "„Ula”" in front
    assert "z\u00a0aneksem" in front and "o\u00a0pszczelarzach" in front
    with zipfile.ZipFile(out["epub"]) as z:
        title_page = z.read("EPUB/titlepage.xhtml").decode()
    assert "w\u00a0Dolinie" in title_page and "„Ula”" in title_page


@pytest.mark.parametrize("theme", ["book", "report"])
def test_a_long_title_keeps_its_running_head_to_one_line(make_book, tmp_path, theme):
    """A title longer than the head's line took two lines of the top margin, into the text."""
    title = ("The Keepers of the Northern Lights: Maintenance, Supply and Daily Life at Coastal Lighthouse "
             "Stations Between the Wars")
    text = " ".join(["The keepers kept a daily log of weather, vessels and oil."] * 60)
    root = make_book({"book.yaml": f'title: "{title}"\nlang: en\ndate: 2026-11-23\ntheme: {theme}\n',
                      "01.md": f"# One\n\n{text}\n\n{text}\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pages = validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf"))
    heads = [p for p in pages if "Keepers of the Northern Lights" in p and "daily log" in p]
    assert heads, "a page of text with the title as its running head"
    for page in heads:
        lines = page.split("\r\n")
        line = next(ln for ln in lines if "Keepers of the Northern" in ln)
        # One line, cut after a whole word with an ellipsis; no second line carries the rest.
        head = line[line.index("The Keepers"):line.index("…")]
        assert title.startswith(head) and title[len(head)] == " ", line
        assert not any("Between the Wars" in ln for ln in lines), page



def _band(page: pypdfium2.PdfPage, low: float, high: float) -> tuple[str, int]:
    """The text and the number of paths (rules) between two heights, as fractions of the page's."""
    width, height = page.get_width(), page.get_height()
    text = page.get_textpage().get_text_bounded(0, height * low, width, height * high).strip()
    paths = [o for o in page.get_objects(max_depth=4) if o.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH
             and low * height < o.get_bounds()[3] <= high * height]
    return text, len(paths)


@pytest.mark.parametrize("theme", ["book", "report"])
def test_a_front_parts_opening_page_is_set_like_a_chapters(make_book, theme):
    """No running head (nor the report's hairline) on a preface's first page, its folio at the foot as
    on a chapter's: the prelims' heads were drawn over the preface's title (an empty head, a rule)."""
    preface = "# Preface\n\n" + "A long preface paragraph for the running heads to show. " * 300 + "\n"
    root = make_book({"book.yaml": MINIMAL_YAML + f"theme: {theme}\nfront: [{{preface: preface.md}}]\n",
                      "preface.md": preface, "01.md": "# One\n\nText.\n"})
    out = root.parent / "out"
    status, err = run(str(root), "-o", str(out), "-e", "pdf", "--no-proof", "-q")
    assert status == 0, err
    pdf = pypdfium2.PdfDocument(str(next(out.glob("*.pdf"))))
    try:
        opening, following = [i for i in range(len(pdf))
                              if "preface paragraph" in pdf[i].get_textpage().get_text_range()][:2]
        head, rules = _band(pdf[opening], 0.93, 1.0)
        assert head == "" and rules == 0
        assert _band(pdf[opening], 0.0, 0.1)[0] == pdf.get_page_label(opening)  # the drop folio
        head, rules = _band(pdf[following], 0.93, 1.0)
        assert head and rules == (1 if theme == "report" else 0)
    finally:
        pdf.close()


def test_the_epub_marks_the_front_matters_roman_pages(book):
    """The preface printed on p. vii had no page marker and no page-list entry (QA sweep 8): a citation of
    "p. vii" could not be followed in the EPUB."""
    nav = book.docs["nav.xhtml"].find(".//x:nav[@epub:type='page-list']", NS)
    entries = [(a.text, a.get("href")) for a in nav.iterfind(".//x:a", NS)]
    roman = [(label, href) for label, href in entries if ROMAN.match(label)]
    assert roman and entries[:len(roman)] == roman  # first, in reading order
    preface_file = book.section("preface")[0]
    preface_label = book.pages[book.page("Preface This small book")][0]
    assert (preface_label, f"{preface_file}#page-{preface_label}") in roman
    last_front = [label for label, _text in book.pages if ROMAN.match(label)][-1]
    assert roman[-1][0] == last_front  # the front matter's last page too (a blank verso; QA sweep 9)
    for label, href in roman:  # each marker stands in its document, on the page the PDF labels so
        name, ident = href.split("#")
        assert book.docs[name].find(f".//*[@id='{ident}']", NS).get(EPUB_TYPE) == "pagebreak"
        assert any(page_label == label for page_label, _text in book.pages)


def test_prologue_epilogue_conclusion_appendices_and_glossary(make_book, tmp_path):
    """No appendix or glossary role (K…: unknown role), the commonest back matter of all (QA sweep 7)."""
    root = make_book({"book.yaml": MINIMAL_YAML + "front: [{prologue: p.md}]\nback: [{epilogue: e.md}, "
                      "{conclusion: c.md}, {appendix: a.md}, {appendix: b.md}, {glossary: g.md}]\n",
                      "01.md": "# Jeden\n\nTekst.\n", "p.md": "# Prolog\n\nTekst.\n",
                      "e.md": "# Epilog\n\nT.\n", "c.md": "# Zakończenie\n\nT.\n",
                      "a.md": "# Aneks A\n\nT.\n", "b.md": "# Aneks B\n\nT.\n",
                      "g.md": "# Słowniczek\n\nLatarnik\n:   Ten, kto pilnuje światła.\n"})
    out = tmp_path / "out"
    status, err = run(str(root), "-o", str(out), "-e", "epub", "--no-proof", "-q")
    assert status == 0, err
    book = Book.__new__(Book)
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        book.docs = {Path(n).name: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}
    for kind in ("prologue", "epilogue", "conclusion", "glossary"):
        assert book.section(kind)[1].get("role") == f"doc-{kind}"
    appendices = [s for doc in book.docs.values() for s in doc.iterfind(".//x:body/x:section", NS)
                  if s.get(EPUB_TYPE) == "appendix"]
    assert [s.get("role") for s in appendices] == ["doc-appendix"] * 2


def test_the_dedication_and_the_epigraph_stay_quiet_pages(book):
    """No folio on them (QA sweep 9: the front parts' page group had made them numbered pages)."""
    for start in ("For everyone who keeps", "The sea is the same"):
        label, text = book.pages[book.page(start)]
        assert not text.endswith(label) and not text.startswith(label), text
