"""A book's own design, read back by real consumers: its templates/ overrides, its stylesheets (css:), its
fonts, and the report theme; every design mistake is one clear `path:line` message with a stable code."""

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
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from kolofon.checks import validate
from kolofon.checks.preflight import preflight_available
from kolofon.cli import main
from tests.conftest import REPO, java_available, require_tool

DESIGN_BOOK = REPO / "tests" / "design-book"
TWO_EDITIONS = ["-e", "pdf", "-e", "epub", "--no-proof", "-q"]
X = {"x": "http://www.w3.org/1999/xhtml"}
OPF = {"opf": "http://www.idpf.org/2007/opf"}
RULE_CSS = '\n.chapter-title { background: url("../images/rule.png") no-repeat left bottom; }\n'


def run(*argv: str) -> tuple[int, str, str]:
    """main() with its stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def pdf_of(folder: Path) -> Path:
    """The PDF edition (not the booklet)."""
    (pdf,) = [p for p in folder.glob("*.pdf") if not p.stem.endswith("-booklet")]
    return pdf


def pdf_texts(folder: Path) -> list[str]:
    return validate.page_texts(pdf_of(folder))


def epub_entries(folder: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(next(folder.glob("*.epub"))) as z:
        return {name: z.read(name) for name in z.namelist()}


def manifest(entries: dict[str, bytes]) -> list[tuple[str, str]]:
    opf = etree.fromstring(entries["EPUB/content.opf"])
    return [(i.get("href"), i.get("media-type")) for i in opf.iterfind(".//opf:manifest/opf:item", OPF)]


@pytest.fixture(scope="module")
def design_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int, str]:
    """The sample book (a copy, with an image its stylesheet loads) in every edition, with --check."""
    root = tmp_path_factory.mktemp("design") / "design-book"
    shutil.copytree(DESIGN_BOOK, root)
    (root / "images").mkdir(exist_ok=True)  # git keeps no empty folder
    Image.new("RGB", (40, 4), (120, 20, 20)).save(root / "images" / "rule.png")
    with (root / "style" / "house.css").open("a", encoding="utf-8") as css:
        css.write(RULE_CSS)
    out = tmp_path_factory.mktemp("design-out")
    status, stdout, _err = run(str(root), "-o", str(out), "--no-proof", "--check", "-q")
    return root, out, status, stdout


def test_the_design_book_passes_every_validator(design_book):
    """EPUBCheck (with the book's stylesheet, fonts and CSS image), PDF/A Preflight of the archival copy,
    the PDF's fonts, the BagIt archive: --check exits 0 only when every one passes."""
    require_tool(java_available() and preflight_available(), "Java with EPUBCheck and PDFBox Preflight")
    _root, _out, status, report = design_book
    assert status == 0, report
    for check in ("EPUBCheck", "PDF/A-1b (PDFBox Preflight)", "fonts embedded, subset, no fallback"):
        assert re.search(rf"^ok .*{re.escape(check)}", report, re.M), report


def test_the_press_mark_of_the_books_front_template_is_on_the_title_page(design_book):
    pages = [t.replace("\xa0", " ") for t in pdf_texts(design_book[1])]  # the title keeps its last two words
    title_pages = [t for t in pages if "⁂" in t]
    assert len(title_pages) == 1
    page = title_pages[0]
    # super(): the rest of the built-in title page is still there, in its order, above the mark.
    # The title's apostrophe is set as a typographic one, as in the text.
    lines = ("Ada Example", "The Lighthouse Keeper’s Year", "Notes from a small island", "Kolofon Test Press",
             "⁂")
    order = [page.find(line) for line in lines]
    assert -1 not in order and order == sorted(order), page
    # The other blocks stay as the theme has them: a half title before, the imprint after.
    at = pages.index(page)
    assert pages[0].strip() == "The Lighthouse Keeper’s Year" and at > 0
    assert "ISBN 978-0-306-40615-7" in pages[at + 1]


def test_the_pdf_is_set_in_the_books_own_fonts(design_book):
    pdf_path = pdf_of(design_book[1])
    with pikepdf.open(pdf_path) as pdf:
        names = {str(font.get("/BaseFont")) for page in pdf.pages
                 for _n, font in (page.Resources.get("/Font") or {}).items()}
    assert names
    assert all("NotoSerif" in name.replace("-", "") for name in names), names
    assert not any("Gentium" in name for name in names)
    assert validate.pdf_fonts(pdf_path, ("Noto Serif",)) == []
    assert any("Set in Noto Serif" in t for t in pdf_texts(design_book[1]))  # the imprint names it


def test_the_epub_carries_the_books_fonts_with_font_faces(design_book):
    root, out, _status, _report = design_book
    entries = epub_entries(out)
    assert entries["EPUB/fonts/NotoSerif-Regular.ttf"] == (root / "fonts/NotoSerif-Regular.ttf").read_bytes()
    items = dict(manifest(entries))
    for face in ("Regular", "Italic", "Bold", "BoldItalic"):
        assert items[f"fonts/NotoSerif-{face}.ttf"] == "font/ttf"
    css = entries["EPUB/css/epub.css"].decode()
    faces = re.findall(r"@font-face\s*\{[^}]*\}", css)
    assert any('"Noto Serif"' in f and 'url("../fonts/NotoSerif-Regular.ttf")' in f for f in faces), css
    assert re.search(r'body\s*\{\s*font-family:\s*"Noto Serif"', css)


def test_the_epub_links_the_books_stylesheet_after_its_own_in_every_document(design_book):
    root, out, _status, _report = design_book
    entries = epub_entries(out)
    assert entries["EPUB/style/house.css"] == (root / "style/house.css").read_bytes()
    assert dict(manifest(entries))["style/house.css"] == "text/css"
    documents = [n for n in entries if n.endswith(".xhtml")]
    assert len(documents) >= 10
    for name in documents:
        links = [link.get("href") for link in
                 etree.fromstring(entries[name]).iterfind(".//x:head/x:link[@rel='stylesheet']", X)]
        assert links == ["css/epub.css", "style/house.css"], name


def test_an_image_the_stylesheet_loads_is_carried_and_printed(design_book):
    root, out, _status, _report = design_book
    entries = epub_entries(out)
    assert entries["EPUB/images/rule.png"] == (root / "images/rule.png").read_bytes()
    assert dict(manifest(entries))["images/rule.png"] == "image/png"
    with pikepdf.open(pdf_of(out)) as pdf:
        images = [(int(o.Width), int(o.Height)) for o in pdf.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert (40, 4) in images  # under each chapter title


def test_the_archive_deposits_the_books_design_files(design_book):
    _root, out, _status, _report = design_book
    source = next(out.glob("*-archive")) / "data" / "source" / "manuscript"
    design = ("style/house.css", "templates/pdf/front.html", "fonts/NotoSerif-Regular.ttf", "images/rule.png")
    for rel in design:
        assert (source / rel).is_file(), rel


def test_a_books_epub_chapter_template_replaces_one_block(make_book, tmp_path):
    root = make_book({
        "book.yaml": "title: Harbour\nlang: en\ndate: 2026-01-02\n",
        "01.md": "# First Light\n\nThe lamp was lit.\n", "02.md": "# Last Light\n\nThe lamp went out.\n",
        "templates/epub/chapter.xhtml": '{% extends "kolofon/epub/chapter.xhtml" %}\n'
                                        "{% block chapter_opening %}\n"
                                        '<p class="kicker">Part {{ chapter.number }}</p>\n{{ super() }}\n'
                                        "{% endblock %}\n"})
    status, _out, err = run(str(root), "-o", str(tmp_path / "out"), "-e", "epub", "--no-proof", "-q")
    assert status == 0, err
    entries = epub_entries(tmp_path / "out")
    for name, number, title in (("EPUB/ch01.xhtml", 1, "First Light"), ("EPUB/ch02.xhtml", 2, "Last Light")):
        section = etree.fromstring(entries[name]).find(".//x:section", X)
        kicker, heading = section.find("x:p[@class='kicker']", X), section.find("x:h1", X)
        assert kicker is not None and kicker.text == f"Part {number}"
        assert heading is not None and heading.text == title  # super(): the built-in opening stays
        assert section.index(kicker) < section.index(heading)
        assert section.find("x:p[@id]", X) is not None  # and the chapter's text
    assert b"kicker" not in entries["EPUB/nav.xhtml"]


def test_the_books_stylesheets_apply_in_the_pdf_and_are_linked_in_order_in_the_epub(make_book, tmp_path):
    root = make_book({
        "book.yaml": "title: Harbour\nlang: en\ndate: 2026-01-02\ncss: [style/a.css, style/b.css]\n",
        "01.md": "# Seventeen Lanterns\n\nThe keeper counted the boats.\n\n"
                 "## Quiet Evening\n\nNothing moved.\n",
        "style/a.css": "html.kolofon-pdf .chapter-title { display: none; }\n",
        "style/b.css": "html.kolofon-pdf h2 { display: none; }\n"})
    status, _out, err = run(str(root), "-o", str(tmp_path / "out"), *TWO_EDITIONS)
    assert status == 0, err
    body = [t for t in pdf_texts(tmp_path / "out") if "The keeper counted the boats." in t]
    assert len(body) == 1
    assert "Seventeen Lanterns" not in body[0] and "Quiet Evening" not in body[0]
    assert "Nothing moved." in body[0]
    chapter = etree.fromstring(epub_entries(tmp_path / "out")["EPUB/ch01.xhtml"])
    links = [link.get("href") for link in chapter.iterfind(".//x:link[@rel='stylesheet']", X)]
    assert links == ["css/epub.css", "style/a.css", "style/b.css"]
    assert chapter.find(".//x:h1", X).text == "Seventeen Lanterns"  # the EPUB rules are the reader's


CHAPTER = "# Rozdział\n\n## Sekcja\n\nTekst o ((Baku))[^1].\n\n[^1]: Przypis.\n"
PL = "title: Próba\nlang: pl\ndate: 2026-11-23\n"


@pytest.mark.parametrize(("files", "code", "where", "words"), [
    ({"templates/epub/chapter.xhtml": '{% extends "kolofon/epub/chapter.xhtml" %}\n'
                                      "{% block chapter_opening %}\n{% if %}\n{% endblock %}\n"},
     "K601", "templates/epub/chapter.xhtml:3:", "syntax"),
    ({"book.yaml": PL + "css: style/s.css\n",
      "style/s.css": 'p { color: red; }\n.x { src: url("../../etc/x.ttf"); }\n'},
     "K109", "style/s.css:2:", "../../etc/x.ttf"),
    ({"book.yaml": PL + "css: style/s.css\n", "style/s.css": "p {\n  background: url(/etc/x.png);\n}\n"},
     "K109", "style/s.css:2:", "/etc/x.png"),
    ({"book.yaml": PL + "css: style/s.css\n", "style/s.css": '@import "other.css";\n'},
     "K109", "style/s.css:1:", "@import"),
    ({"book.yaml": PL + "css: ../x.css\n"}, "K108", "book.yaml:4:", "outside"),
    ({"book.yaml": PL + "css:\n  - style/none.css\n"}, "K108", "book.yaml:4:", "does not exist"),
    ({"book.yaml": PL + "fonts:\n  body:\n    regular: fonts/none.ttf\n"},
     "K801", "book.yaml:4:", "fonts/none.ttf"),
    ({"book.yaml": PL + "fonts:\n  body:\n    regular: ../x.ttf\n"}, "K801", "book.yaml:4:", "outside"),
    ({"01.md": CHAPTER + "\nSłowo Հայաստան w tekście.\n"}, "K804", "01.md:9:", "ARMENIAN"),
    ({"book.yaml": PL + "theme: nosuch\n"}, "K106", "book.yaml:4:", "built-in themes: book, report"),
])
def test_design_mistakes_are_one_clear_message(make_book, tmp_path, files, code, where, words):
    root = make_book({"01.md": CHAPTER, **files})
    status, _out, err = run(str(root), "-o", str(tmp_path / "out"), *TWO_EDITIONS)
    assert status == 1, err
    assert f"[{code}]" in err and where in err and words in err, err
    assert "Traceback" not in err
    written = [p.name for p in (tmp_path / "out").glob("*")] if (tmp_path / "out").exists() else []
    assert written in ([], [".kolofon-cache"]), written  # no edition half-written


# The report theme. One English book also overrides the theme's front.html: "kolofon/pdf/front.html" is
# the theme's version (no half title), not the built-in one.
REPORT_EN = {
    "book.yaml": "title: Annual Report\nlang: en\ndate: 2026-01-02\ntheme: report\n",
    "01.md": "# Findings\n\nIntro text.\n\n## *Method*\n\nWe counted.[^a]\n\n### Detail\n\nMore.\n\n"
             "## Results\n\nMany.\n\n[^a]: By hand.\n",
    "02.md": "# Outlook\n\n## Next year\n\nMore work.\n",
    "templates/pdf/front.html": '{% extends "kolofon/pdf/front.html" %}\n{% block title_page_content %}\n'
                                '{{ super() }}\n<p class="press-mark">Institute Mark</p>\n{% endblock %}\n',
}
REPORT_PL = {
    "book.yaml": PL + "theme: report\n",
    "01.md": "# Prześladowania\n\nWstęp.\n\n## *Źródła*\n\nTekst o ((Baku))[^1].\n\n[^1]: Przypis.\n",
    "02.md": "# Reakcje\n\n## Rezolucja\n\nŻądania.\n",
}


@pytest.fixture(scope="module", params=["en", "pl"])
def report(request, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp(f"report-{request.param}") / "ms"
    for rel, text in (REPORT_EN if request.param == "en" else REPORT_PL).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    out = root.parent / "out"
    status, _out, err = run(str(root), "-o", str(out), *TWO_EDITIONS)
    assert status == 0, err
    return request.param, out


def test_report_pages_are_a4(report):
    pdf = pypdfium2.PdfDocument(str(pdf_of(report[1])))
    try:
        sizes = {tuple(round(v) for v in pdf[i].get_size()) for i in range(len(pdf))}
    finally:
        pdf.close()
    assert sizes == {(595, 842)}


def test_the_report_imprint_names_its_headings_face_too(report):
    """QA sweep: the imprint named only the body's face of a theme that sets headings in another."""
    lang, out = report
    text = " ".join(" ".join(pdf_texts(out)).split())
    wanted = "the headings in Noto Sans," if lang == "en" else "tytuły krojem Noto Sans,"
    assert wanted in text and "(headings)" not in text


def test_report_chapters_and_sections_are_numbered_in_the_pdf(report):
    lang, out = report
    text = "\n".join(pdf_texts(out))
    first, section, second = ("Findings", "Method", "Outlook") if lang == "en" else \
        ("Prześladowania", "Źródła", "Reakcje")
    assert re.search(rf"^1\s+{first}\s*$", text, re.M), text
    assert re.search(rf"^1\.1\s+{section}\s*$", text, re.M), text
    assert re.search(rf"^2\s+{second}\s*$", text, re.M), text
    if lang == "en":
        assert re.search(r"^1\.1\.1\s+Detail\s*$", text, re.M)
        assert re.search(r"^1\.2\s+Results\s*$", text, re.M)


def test_report_numbers_are_in_the_epub_headings_and_contents(report):
    lang, out = report
    entries = epub_entries(out)
    first, section = ("Findings", "Method") if lang == "en" else ("Prześladowania", "Źródła")
    chapter = etree.fromstring(entries["EPUB/ch01.xhtml"])
    headings = ["".join(h.itertext()) for h in chapter.iterfind(".//x:h1", X)] + \
               ["".join(h.itertext()) for h in chapter.iterfind(".//x:h2", X)]
    assert f"1 {first}" in headings and f"1.1 {section}" in headings
    toc = etree.fromstring(entries["EPUB/nav.xhtml"]).find(".//x:nav[@id='toc']", X)
    entries_text = [" ".join("".join(a.itertext()).split()) for a in toc.iterfind(".//x:a", X)]
    assert entries_text[:2] == [f"1 {first}", f"1.1 {section}"], entries_text


def test_report_contents_list_the_numbered_sections_with_their_pages(report):
    """A report's contents listed only its chapters, their numbers hanging in the margin (QA sweep 6)."""
    lang, out = report
    section = "Method" if lang == "en" else "Źródła"
    pages = [" ".join(t.split()) for t in pdf_texts(out)]
    contents = next(p for p in pages if p.startswith(("Contents", "Spis treści")))
    folio = re.search(rf"1\.1 {section}[ .]*(\d+)", contents)
    assert folio, contents
    page = next(p for p in pages if f"1.1 {section}" in p and p is not contents)
    assert re.search(rf"(^|\s){folio.group(1)}$", page), page[-60:]  # the folio at the foot says the same


def test_report_nav_lists_each_section_once_in_reading_order(report):
    """The sections the print contents gained were listed a second time, out of order, in the EPUB's
    nav (EPUBCheck NAV-011, Ace epub-toc-order)."""
    _lang, out = report
    toc = etree.fromstring(epub_entries(out)["EPUB/nav.xhtml"]).find(".//x:nav[@id='toc']", X)
    targets = [a.get("href") for a in toc.iterfind(".//x:a", X)]
    assert len(targets) == len(set(targets)), targets
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(next(out.glob("*.epub"))) == []


def test_kolofon_prefix_reaches_the_themes_front_template(report):
    """The report theme has no half title: page 1 is the title page, page 2 the imprint; with the English
    book's own front.html too, which extends "kolofon/pdf/front.html" and adds its mark."""
    lang, out = report
    pages = pdf_texts(out)
    assert ("Annual Report" if lang == "en" else "Próba") in pages[0]
    assert ("Identifier: " if lang == "en" else "Identyfikator: ") in pages[1]
    assert [i for i, t in enumerate(pages) if "Institute Mark" in t] == ([0] if lang == "en" else [])


def test_report_notes_are_footnotes(report):
    lang, out = report
    pages = pdf_texts(out)
    call_page = next(t for t in pages if ("We counted." if lang == "en" else "Tekst o Baku") in t)
    assert ("1. By hand." if lang == "en" else "1. Przypis.") in call_page
    assert not any(t.lstrip().startswith("Notes" if lang == "en" else "Przypisy") for t in pages)


def test_an_emphasis_in_a_report_heading_is_set_in_the_headings_italic(report):
    """The theme's headings face has its italics: "*Method*" in a heading was set upright (QA sweep)."""
    faces = set()
    with pikepdf.open(pdf_of(report[1])) as pdf:  # every font program embedded, in pages and overlays
        for d in pdf.objects:
            if isinstance(d, pikepdf.Dictionary) and "/FontFile2" in d:  # a font descriptor
                font = TTFont(io.BytesIO(d.FontFile2.read_bytes()))
                faces.add((font["name"].getDebugName(1), font["head"].macStyle))
    assert ("Noto Sans", 3) in faces, faces  # macStyle bits 0 and 1: bold, italic


def test_a_character_the_report_headings_face_lacks_never_falls_back(make_book, tmp_path):
    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-01-02\ntheme: report\n",
                      "01.md": "# Results\n\n| Year → outcome | Value |\n|---|---|\n| 2019 | 5 |\n"})
    status, _out, err = run(str(root), "-o", str(tmp_path / "out"), "-e", "pdf", "--no-proof", "-q")
    if status == 1:  # refused with the file and line of the table, or...
        assert "[K804]" in err and "01.md:3:" in err
    else:  # ...printed without a fallback font
        assert validate.pdf_fonts(pdf_of(tmp_path / "out"), ("Gentium Book Plus", "Noto Sans")) == []


@pytest.mark.parametrize("css", ['p { background: URL("../../outside.png"); }\n', '@IMPORT "other.css";\n'])
def test_stylesheet_checks_ignore_the_case_of_css_keywords(make_book, tmp_path, css):
    root = make_book({"book.yaml": PL + "css: style/s.css\n", "01.md": CHAPTER, "style/s.css": css,
                      "style/other.css": "h1 { color: red; }\n"})
    status, _out, err = run(str(root), "-o", str(tmp_path / "out"), "-e", "epub", "--no-proof", "-q")
    assert status == 1 and "[K109]" in err and "style/s.css:1:" in err, err


def _image(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (1, 2, 3)).save(path)  # in the format its suffix names


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@pytest.mark.parametrize(("css_key", "files"), [
    ("css: css/epub.css", {"css/epub.css": "h1 { color: #123456; }\n"}),
    ("css: [style/a.css, style/a.css]", {"style/a.css": "h1 { color: #123456; }\n"}),
    ("css: style/a.css", {"style/a.css": ".chapter-title { background: url(../images/cover.jpg); }\n"}),
])
def test_the_books_design_files_never_collide_in_the_epub(make_book, tmp_path, css_key, files):
    root = make_book({"book.yaml": f"title: T\nlang: en\ndate: 2026-01-02\n{css_key}\n",
                      "01.md": "# Chapter\n\nText.\n", **files})
    _image(root / "images" / "cover.jpg")
    status, _out, err = run(str(root), "-o", str(tmp_path / "out"), "-e", "epub", "--no-proof", "-q")
    if status == 1:  # refused, naming the file, or...
        assert "book.yaml" in err and "Traceback" not in err
        return
    entries = epub_entries(tmp_path / "out")  # ...every file once, kolofon's own stylesheet kept
    hrefs = [href for href, _type in manifest(entries)]
    assert len(hrefs) == len(set(hrefs)), hrefs
    assert b"ol.notes" in entries["EPUB/css/epub.css"]
