"""The editions for a print shop: the print edition and the cover as PDF/X, black on the black plate
only, the cover's spine from the page count and paper, the ISBN barcode, low-resolution images."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from kolofon.checks.printshop import ghostscript, pdfx_structure, text_on_black_only
from kolofon.cli import main
from kolofon.writers.print_edition import with_bleed
from tests.conftest import MANUSCRIPT, require_tool

PT_PER_MM = 72 / 25.4


def _build(tmp: Path, extra_yaml: str, *editions: str) -> Path:
    root = tmp / "ms"
    shutil.copytree(MANUSCRIPT, root)
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(extra_yaml)
    out = tmp / "out"
    args = [str(root), "-o", str(out), "-q", "--no-proof", *(a for e in editions for a in ("-e", e))]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("print"), "isbn: 978-0-306-40615-7\npublisher: Wydawnictwo\n",
                  "pdf", "print", "cover")


def test_print_edition_is_pdfx4_with_a_cmyk_output_intent(printed):
    path = next(printed.glob("*-print.pdf"))
    assert pdfx_structure(path) == []
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.6"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and intent.OutputConditionIdentifier == "FOGRA39"
        assert int(intent.DestOutputProfile.N) == 4
        assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4<" in pdf.Root.Metadata.read_bytes()


def test_the_pdf_edition_is_not_pdfx_so_the_check_can_fail(printed, tmp_path):
    # The same pages with bleed but without the PDF/X step: RGB and no output intent, both found.
    plain, _pages = with_bleed(printed / "pogromy-ormian-w-baku.pdf")
    path = tmp_path / "plain.pdf"
    path.write_bytes(plain)
    problems = " ".join(pdfx_structure(path))
    assert "RGB colour" in problems and "output intent" in problems


def test_text_pages_print_on_the_black_plate_only(printed):
    require_tool(ghostscript() is not None, "Ghostscript")
    path = next(printed.glob("*-print.pdf"))
    assert text_on_black_only(path) == []
    # And Ghostscript's separations agree: the cyan plate of a text page is blank inside the trim.
    sep = subprocess.run([ghostscript(), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dUseTrimBox",
                          "-sDEVICE=inkcov", "-dFirstPage=7", "-dLastPage=7", "-o", "-", str(path)],
                         capture_output=True, text=True, check=True).stdout.split()
    assert [float(v) for v in sep[:3]] == [0.0, 0.0, 0.0] and float(sep[3]) > 0


@pytest.mark.parametrize("colour, flagged", [("0.4 0.4 0.4 0.9", True), ("0.9 0.8 0.2 0.3", False)])
def test_rich_black_text_fails_and_a_designed_colour_does_not(tmp_path, colour, flagged):
    """A grey or black printed in four inks is the fault; a dark blue heading a stylesheet asks for is
    colour by design (a book's own `h2 { color: #224 }` failed the check)."""
    require_tool(ghostscript() is not None, "Ghostscript")
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(f"{colour} k BT /F1 24 Tf 20 100 Td (Heading) Tj ET".encode())
    path = tmp_path / "page.pdf"
    pdf.save(path)
    assert bool(text_on_black_only(path)) is flagged


def test_x1a_on_request(tmp_path):
    out = _build(tmp_path, "print: {pdfx: x-1a}\n", "print")
    path = next(out.glob("*-print.pdf"))
    assert pdfx_structure(path) == []
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.trailer.Info.GTS_PDFXConformance) == "PDF/X-1a:2003"


def test_cover_wraps_back_spine_and_front_with_bleed_and_barcode(printed):
    path = next(printed.glob("*-cover.pdf"))
    assert pdfx_structure(path) == []
    with pikepdf.open(path) as pdf:
        pages = len(pikepdf.open(next(printed.glob("*-print.pdf"))).pages)
        page = pdf.pages[0].obj
        trim = [float(v) for v in page.TrimBox]
        spine = -(-pages // 2) * 0.1  # the default caliper: 100 µm a sheet
        assert abs((trim[2] - trim[0]) / PT_PER_MM - (2 * 148 + spine)) < 0.2
        assert abs((trim[3] - trim[1]) / PT_PER_MM - 210) < 0.2
        bleed, media = ([float(v) for v in page[box]] for box in ("/BleedBox", "/MediaBox"))
        assert all(abs(m - e) > 7 * PT_PER_MM for m, e in zip(media, bleed, strict=True))  # marks beyond
    text = pypdfium2.PdfDocument(str(path))[0].get_textpage().get_text_range()
    assert "9780306406157" in text.replace(" ", "") and "ISBN 978-0-306-40615-7" in text
    assert "Pogromy Ormian w\u00a0Baku" in text  # the one-letter word glued to the next, as in the text


def _spine_text(out: Path) -> str:
    pdf = pypdfium2.PdfDocument(str(next(out.glob("*-cover.pdf"))))
    page = pdf[0]
    left, bottom, right, top = page.get_mediabox()  # the sheet: trim, bleed and the marks' room
    middle = (left + right) / 2
    return page.get_textpage().get_text_bounded(left=middle - 8, right=middle + 8, bottom=bottom, top=top)


def test_a_spine_too_thin_for_text_stays_empty_and_a_thick_one_has_the_title(printed, tmp_path):
    assert _spine_text(printed).strip() == ""  # 17 pages: under 1 mm
    thick = _build(tmp_path, "paper: {caliper: 1400}\n", "cover")  # 9 sheets × 1.4 mm
    assert "Pogromy Ormian w\u00a0Baku" in _spine_text(thick).replace("\r\n", " ")  # typeset, as the front


def test_low_resolution_image_is_a_warning_for_print_and_an_error_when_strict(make_book, tmp_path, capsys):
    from PIL import Image

    root = make_book({"01.md": "# R\n\nTekst.\n\n![Mały](images/small.png)\n"})
    (root / "images").mkdir()
    Image.new("RGB", (300, 200), (200, 30, 40)).save(root / "images" / "small.png")
    assert main([str(root), "-o", str(tmp_path / "o"), "-q", "--no-proof", "-e", "print"]) == 0
    assert "01.md:5: warning: image 'images/small.png' prints at 96 ppi" in capsys.readouterr().err
    assert main([str(root), "-o", str(tmp_path / "o2"), "-q", "--no-proof", "-e", "print", "--strict"]) == 1
    assert "[K506]" in capsys.readouterr().err
    assert main([str(root), "-o", str(tmp_path / "o3"), "-q", "--no-proof", "-e", "pdf"]) == 0
    assert "K506" not in capsys.readouterr().err  # a screen PDF does not care


def test_printer_profile_must_be_cmyk(make_book, tmp_path, capsys):
    root = make_book({"01.md": "# R\n\nTekst.\n",
                      "book.yaml": "title: P\nlang: pl\ndate: 2026-11-23\nprint: {icc: rgb.icc}\n"})
    import weasyprint

    shutil.copy(Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc", root / "rgb.icc")
    assert main([str(root), "-o", str(tmp_path / "o"), "-q", "-e", "print"]) == 1
    assert "not CMYK" in capsys.readouterr().err


def test_booklet_cover_is_the_outer_sheet(tmp_path):
    from kolofon.checks.validate import booklet_order

    root = tmp_path / "ms"
    shutil.copytree(MANUSCRIPT, root)
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("isbn: 978-0-306-40615-7\n")
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf", "-e", "booklet",
                 "--booklet-cover"]) == 0
    booklet = pypdfium2.PdfDocument(str(next(out.glob("*-booklet.pdf"))))
    singles = len(pypdfium2.PdfDocument(str(out / "pogromy-ormian-w-baku.pdf")))
    assert len(booklet) == -(-singles // 4) * 2 + 2  # the book's sheet sides and the cover's two
    outside = booklet[0].get_textpage().get_text_range()
    assert "Pogromy Ormian w\u00a0Baku" in outside and "ISBN 978-0-306-40615-7" in outside
    assert booklet[1].get_textpage().get_text_range().strip() == ""
    assert booklet_order(next(out.glob("*-booklet.pdf")), out / "pogromy-ormian-w-baku.pdf") == []


def test_font_check_looks_inside_forms(printed):
    # The imposed and assembled pages draw their text through form XObjects: the fonts are found there.
    from kolofon.checks.validate import _fonts_used, pdf_fonts

    path = next(printed.glob("*-print.pdf"))
    with pikepdf.open(path) as pdf:
        assert any("Gentium" in name for name in _fonts_used(pdf))
    assert pdf_fonts(path, ("Noto Serif",))  # the wrong family is caught, so the check is not vacuous


def test_transparency_in_x1a_is_the_books_problem_not_a_traceback(make_book, tmp_path, capsys):
    """PdfxError from the tool process reached the user as a Python traceback."""
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGBA", (300, 200), (200, 30, 30, 128)).save(picture, "PNG")
    root = make_book({"book.yaml": "title: T\nlang: pl\ndate: 2026-12-03\nprint: {pdfx: x-1a}\n",
                      "01.md": "# Rozdział\n\n![Półprzezroczysty](a.png)\n", "a.png": picture.getvalue()})
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "print"]) == 1
    err = capsys.readouterr().err
    assert f"{root / 'book.yaml'}:4: error: print edition: an image with transparency" in err
    assert "[K112]" in err and "Traceback" not in err
    assert not list(out.glob("*.pdf"))  # nothing half-written


def test_crop_and_fold_marks_stand_outside_the_bleed(printed):
    """The marks were drawn in the bleed, over the cover's picture, and cut off with it (QA sweep 5)."""
    for name in ("*-print.pdf", "*-cover.pdf"):
        with pikepdf.open(next(printed.glob(name))) as pdf:
            page = pdf.pages[0]
            bx0, by0, bx1, by1 = (float(v) for v in page.obj.BleedBox)
            mx0, my0, mx1, my1 = (float(v) for v in page.obj.MediaBox)
            ops = pikepdf.parse_content_stream(page)
            # the marks come last, in registration black (1 1 1 1 K), which the page's content never uses
            first = min(i for i, op in enumerate(ops)
                        if str(op.operator) == "K" and [float(v) for v in op.operands] == [1, 1, 1, 1])
            marks = [op for op in ops[first:] if str(op.operator) in ("m", "l")]
            assert len(marks) >= 16, name  # two lines at each of four corners
            for op in marks:
                x, y = (float(v) for v in op.operands)
                assert mx0 <= x <= mx1 and my0 <= y <= my1, (name, x, y)
                assert x <= bx0 + 0.01 or x >= bx1 - 0.01 or y <= by0 + 0.01 or y >= by1 - 0.01, (name, x, y)


@pytest.mark.parametrize(("title", "running", "expect"), [
    ("A Short Title", None, ("A Short Title", 1.0)),
    ("The Keepers of the Northern Lights: A Social History of Lighthouse Families Along the Baltic Coast, "
     "1800–1950", None, "shrunk"),
    ("The Keepers of the Northern Lights: A Social History of Lighthouse Families Along the Baltic Coast, "
     "1800–1950, with Appendices, Maps and Tables of Every Light", "The Keepers", ("The Keepers", 1.0)),
    ("Word " * 60, None, "cut"),
])
def test_the_spine_fits_its_words_to_its_length(title, running, expect):
    """A 100-character title ran over the author and the publisher and past the trim (QA sweep 7)."""
    from kolofon.config import BookConfig
    from kolofon.layout.heads import width
    from kolofon.writers.cover_edition import SPINE_GAP_MM, CoverGeometry, spine_text

    font = MANUSCRIPT.parent / "templates" / "fonts" / "GentiumBookPlus-Regular.ttf"
    config = BookConfig(title=title.strip(), lang="en", author=("Ann Smith", "Bob Jones"),
                        publisher="Harbour Historical Society Press", running_title=running)
    sheet = CoverGeometry(148, 210, 7)
    spine = spine_text(config, font, sheet, 10.5)
    size = min(sheet.spine * 0.42, 10.5 * 0.3528 * 1.1) * 72 / 25.4 * spine.scale
    used = width(spine.author, font, size) + width(spine.title, font, size * 1.1) + \
        width(spine.publisher, font, size) + 2 * SPINE_GAP_MM * 72 / 25.4
    assert used <= (210 - 20) * 72 / 25.4
    if expect == "shrunk":
        assert spine.title == config.title and spine.scale < 1
    elif expect == "cut":
        assert spine.title.endswith("…") and spine.scale == 0.7
    else:
        assert (spine.title, spine.scale) == expect
