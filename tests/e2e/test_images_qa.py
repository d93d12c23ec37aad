"""QA sweep 4's image defects, checked on real outputs: a 16-bit grey scan prints grey (it printed as a
black box, and the print edition crashed on it), a CMYK JPEG leaves the PDF/A copy valid (Preflight
failed: "DestOutputProfile isn't CMYK") while the print edition keeps its separation, and an RGB JPEG
still reaches every PDF byte for byte."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from kolofon.checks.preflight import preflight_available, run_preflight
from kolofon.pipeline import Options, build
from tests.conftest import require_tool

GREY_16 = 30000  # of 65535: 8-bit 117
CMYK_RED = (0, 230, 230, 0)


def _png_16bit_grey() -> bytes:
    buffer = io.BytesIO()
    Image.new("I;16", (300, 150), GREY_16).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(mode: str, colour: tuple[int, ...]) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (300, 150), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _outputs(make_book, tmp_path: Path, image: str, data: bytes, *more: tuple[str, bytes]) -> dict[str, Path]:
    chapter = f"# Obrazy\n\nTekst.\n\n![Obraz](images/{image})\n"
    chapter += "".join(f"\n![Obraz {n}](images/{name})\n" for n, (name, _d) in enumerate(more, 2))
    root = make_book({"01.md": chapter, f"images/{image}": data, **{f"images/{n}": d for n, d in more}})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "booklet", "archive", "print"),
                           force=True, proof=False))
    paths = {o.edition: o.path for o in result.outputs if o.path.suffix == ".pdf"}
    folder = next(o.path for o in result.outputs if o.edition == "archive" and o.path.is_dir())
    paths["archive"] = next(folder.rglob("*-pdfa.pdf"))
    return paths


def _pixels(path: Path) -> list[tuple[int, int, int]]:
    """Every page's pixels, rendered at 50 dpi."""
    document = pdfium.PdfDocument(path)
    try:
        pages = [page.render(scale=50 / 72).to_pil().convert("RGB") for page in document]
        return [px for page in pages for px in page.get_flattened_data()]
    finally:
        document.close()


def _near(pixels: list[tuple[int, int, int]], colour: tuple[int, int, int], tolerance: int) -> int:
    return sum(1 for px in pixels if all(abs(a - b) <= tolerance for a, b in zip(px, colour, strict=True)))


def _images(path: Path) -> list[tuple[str, object, bytes, tuple[int, ...]]]:
    """(colour space, filter, raw bytes, centre pixel) of each picture (300 px wide) in the PDF."""
    with pikepdf.open(path) as pdf:
        found = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
                 and obj.get("/Subtype") == "/Image" and "/SMask" not in obj and int(obj.Width) == 300]
        return [(str(o.get("/ColorSpace")), o.get("/Filter"), o.read_raw_bytes(),
                 pikepdf.PdfImage(o).as_pil_image().convert("RGB").getpixel((150, 75))) for o in found]


def test_a_16bit_grey_scan_prints_grey_in_every_pdf(make_book, tmp_path):
    """It printed as a black box (WeasyPrint: "Unknown image mode: I;16"), and the print edition's
    recolouring raised "not enough image data"."""
    paths = _outputs(make_book, tmp_path, "scan.png", _png_16bit_grey())
    grey = round(GREY_16 / 257)
    for edition in ("pdf", "booklet", "archive", "print"):
        pixels = _pixels(paths[edition])
        assert _near(pixels, (grey,) * 3, 3) > 1000, edition  # the picture, ~150 x 75 px at 50 dpi
        assert _near(pixels, (0, 0, 0), 10) < 500, edition  # text only, no black box
        (space, _filter, _data, centre), = _images(paths[edition])
        assert space == "/DeviceGray" and abs(centre[0] - grey) <= 1, edition


def test_a_cmyk_jpeg_keeps_the_pdfa_copy_valid_and_the_print_separation(make_book, tmp_path):
    cmyk = _jpeg("CMYK", CMYK_RED)
    rgb = _jpeg("RGB", (40, 90, 200))
    paths = _outputs(make_book, tmp_path, "cmyk.jpg", cmyk, ("rgb.jpg", rgb))
    archived = _images(paths["archive"])
    assert [space for space, *_rest in archived] == ["/DeviceRGB", "/DeviceRGB"]
    (red,) = [centre for *_rest, centre in archived if centre[0] > 150]
    assert red[1] < 90 and red[2] < 90, red  # a red through FOGRA39, not Adobe's inverted CMYK
    # The print edition keeps the CMYK JPEG as it was drawn (no round trip through sRGB).
    assert any(s == "/DeviceCMYK" and d == cmyk for s, _f, d, _c in _images(paths["print"]))
    # An RGB JPEG reaches the screen PDF and the PDF/A copy byte for byte.
    for edition in ("pdf", "archive"):
        assert any(d == rgb for _s, _f, d, _c in _images(paths[edition])), edition
    require_tool(preflight_available(),
                 "Apache PDFBox Preflight (java, libpdfbox2-java, libactivation-java, libjaxb-api-java)")
    assert run_preflight(paths["archive"]) == []


@pytest.mark.parametrize("mode", ["I;16", "CMYK"])
def test_an_image_weasyprint_cannot_draw_is_built_the_same_twice(make_book, tmp_path, mode):
    """The converted image is a function of the file's bytes: builds stay reproducible."""
    buffer = io.BytesIO()
    Image.new(mode, (300, 150), GREY_16 if mode == "I;16" else CMYK_RED).save(buffer, "TIFF")
    first = _outputs(make_book, tmp_path / "a", "x.tif", buffer.getvalue())
    second = _outputs(make_book, tmp_path / "b", "x.tif", buffer.getvalue())
    for edition in ("pdf", "print", "archive"):
        assert first[edition].read_bytes() == second[edition].read_bytes(), edition


def test_svg_text_in_the_book_face_is_printed_in_it(make_book, tmp_path):
    """What K509 asks for works: the PDF holds the book's face alone, no system fallback."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
           '<text x="5" y="30" font-family="Gentium Book Plus">Wykres</text></svg>')
    root = make_book({"01.md": "# R\n\nTekst.\n\n![Wykres](images/v.svg)\n", "images/v.svg": svg})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    with pikepdf.open(result.outputs[0].path) as pdf:
        fonts = {str(o.get("/BaseFont")) for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"}
    assert fonts and all("Gentium" in f for f in fonts), fonts
