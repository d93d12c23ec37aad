"""QA sweep 4: images in Pillow modes WeasyPrint mishandles reach the PDF as they look (the layout's
fetcher gives it 8-bit ones), and text in an SVG image is checked against the book's faces before
anything is laid out (it was set in a system fallback font, noticed only by --check)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from kolofon.diagnostics import BuildError
from kolofon.pipeline import load_manuscript
from kolofon.source.images import drawable

GREY = 117  # 8-bit; 30000 of 65535
RED_CMYK = (0, 230, 230, 0)


def _file(mode: str, fmt: str, value: object, **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (40, 20), value).save(buffer, fmt, **save)  # type: ignore[arg-type]
    return buffer.getvalue()


def _palette_with_transparency() -> bytes:
    image = Image.new("P", (40, 20), 1)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    return buffer.getvalue()


CASES = {  # name: (file bytes, the colour the PDF must show)
    "grey16.png": (_file("I;16", "PNG", 30000), (GREY,) * 3),
    "grey16-trns.png": (_file("I;16", "PNG", 30000, transparency=0), (GREY,) * 3),
    "grey16.tif": (_file("I;16", "TIFF", 30000), (GREY,) * 3),
    "grey16b.tif": (_file("I;16B", "TIFF", 30000), (GREY,) * 3),
    "grey32.tif": (_file("I", "TIFF", 30000), (GREY,) * 3),
    "float.tif": (_file("F", "TIFF", GREY / 255), (GREY,) * 3),
    "grey-alpha.png": (_file("LA", "PNG", (GREY, 255)), (GREY,) * 3),
    "palette-trns.png": (_palette_with_transparency(), (200, 30, 30)),
    "cmyk.tif": (_file("CMYK", "TIFF", RED_CMYK), None),  # a red: checked below
}


def _drawn(tmp_path: Path, name: str, data: bytes) -> tuple[int, int, int]:
    """The colour at the middle of the image in the PDF WeasyPrint makes through kolofon's fetcher."""
    import weasyprint

    from kolofon.layout.engine import ConfinedFetcher

    (tmp_path / name).write_bytes(data)
    html = f'<style>@page {{ margin: 0 }} body {{ margin: 0 }}</style><img src="{name}" style="width:200px">'
    fetcher = ConfinedFetcher(tmp_path)
    pdf = weasyprint.HTML(string=html, base_url=f"{tmp_path}/", url_fetcher=fetcher).write_pdf()
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=1).to_pil().convert("RGB").getpixel((75, 37))
    finally:
        document.close()


@pytest.mark.parametrize("name", CASES)
def test_an_image_in_any_mode_prints_as_it_looks(tmp_path, name):
    data, expected = CASES[name]
    drawn = _drawn(tmp_path, name, data)
    if expected is None:
        assert drawn[0] > 180 and drawn[1] < 80 and drawn[2] < 80, drawn
    else:
        assert all(abs(a - b) <= 3 for a, b in zip(drawn, expected, strict=True)), drawn


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_a_jpeg_weasyprint_draws_is_left_alone(mode):
    """Its bytes go into the PDF as they are (and a CMYK JPEG keeps its separation for print)."""
    colour = 100 if mode == "L" else (1, 2, 3, 4)[:len(mode)]
    assert drawable(_file(mode, "JPEG", colour), "image/jpeg") is None


def test_the_converted_image_is_the_same_bytes_every_time():
    data = _file("I;16", "PNG", 30000)
    assert drawable(data, "image/png") == drawable(data, "image/png")


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">
  <rect width="100" height="50" fill="orange"/>
  {body}
</svg>
"""


def _load(make_book, body: str) -> list[str]:
    root = make_book({"01.md": "# R\n\nTekst.\n\n![Wykres](images/v.svg)\n",
                      "images/v.svg": SVG.format(body=body)})
    try:
        _ms, diags = load_manuscript(root)
    except BuildError as exc:
        diags = list(exc.diagnostics)
    return [f"{d.path.name}:{d.line}: {d.code} {d.message}" for d in diags if d.path is not None]


def test_svg_text_in_no_named_font_is_an_error_at_its_line(make_book):
    (found,) = _load(make_book, '<text x="5" y="30">SVG</text>')
    assert found.startswith("v.svg:3: K509 text in this SVG image names no font-family")
    assert 'font-family="Gentium Book Plus"' in found and "convert the text to paths" in found


def test_svg_text_in_another_font_is_an_error_naming_it(make_book):
    body = '<g style="font-size:9px;font-family:Arial, sans-serif">\n  <text>A</text><text>B</text></g>'
    (found,) = _load(make_book, body)
    assert found.startswith("v.svg:4: K509 text in this SVG image is set in font-family 'Arial'")


def test_a_style_sheet_naming_another_font_is_an_error_at_its_line(make_book):
    (found,) = _load(make_book, "<style>\n text { font-family: 'Helvetica' }</style>\n  <text>A</text>")
    assert found.startswith("v.svg:4: K509") and "'Helvetica'" in found


def test_svg_text_in_the_book_face_inherited_passes(make_book):
    body = "<g font-family=\"'Gentium Book Plus', serif\">\n<text>Łódź <tspan>żółw</tspan></text></g>"
    assert _load(make_book, body) == []


def test_a_character_the_named_face_lacks_is_k804_at_the_svg_line(make_book):
    body = '<text font-family="Gentium Book Plus">\nAla\n漢</text>'
    (found,) = _load(make_book, body)
    assert found.startswith("v.svg:5: K804 character '漢'")
