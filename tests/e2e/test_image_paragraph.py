"""An image alone in its paragraph is centred, never indented (it stood a paragraph indent in and ran
past the text's right edge), and a section break is an asterism after which the text is not indented."""

from __future__ import annotations

import ctypes
import io
import zipfile

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image

from kolofon.pipeline import Options, build


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _line_starts(page: pdfium.PdfPage) -> dict[str, float]:
    """The x where each line of the page's text starts, by the line's text."""
    text = page.get_textpage()
    lines, x, y = {}, ctypes.c_double(), ctypes.c_double()
    chars = text.get_text_range()
    at = 0
    for line in chars.split("\r\n"):
        raw.FPDFText_GetCharOrigin(text.raw, at, ctypes.byref(x), ctypes.byref(y))
        lines[line] = round(x.value, 1)
        at += len(line) + 2
    return lines


def test_an_image_alone_is_centred_and_a_section_break_is_an_asterism(make_book, tmp_path):
    root = make_book({"01.md": "# Obraz\n\nAkapit pierwszy.\n\n![Wykres](a.png)\n\nAkapit po obrazie.\n\n"
                               "* * *\n\nAkapit po przerwie.\n\nAkapit zwykły.\n\n![Szeroki](b.png)\n",
                      "a.png": _png(400, 200), "b.png": _png(3000, 100)})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    doc = pdfium.PdfDocument(next(o.path for o in result.outputs if o.edition == "pdf"))
    page = next(p for p in doc if "Akapit pierwszy" in p.get_textpage().get_text_range())
    starts = _line_starts(page)
    flush = starts["Akapit pierwszy."]  # first after a heading: flush left
    assert starts["Akapit po obrazie."] == flush and starts["Akapit po przerwie."] == flush, starts
    assert starts["Akapit zwykły."] > flush + 5  # an ordinary paragraph keeps its indent
    assert "*\u2003*\u2003*" in starts or "* * *" in starts, starts  # the asterism is text on the page
    narrow, wide = (o.get_bounds() for o in page.get_objects() if o.type == raw.FPDF_PAGEOBJ_IMAGE)
    assert abs(wide[0] - flush) < 0.1  # a wide image fills the measure exactly: its right edge is the text's
    assert abs((narrow[0] - flush) - (wide[2] - narrow[2])) < 0.1 and narrow[0] > flush + 1, (narrow, wide)
    with zipfile.ZipFile(next(o.path for o in result.outputs if o.edition == "epub")) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
    assert '<p class="image" id="ch01-b2"><img alt="Wykres" src="a.png"/></p>' in chapter
