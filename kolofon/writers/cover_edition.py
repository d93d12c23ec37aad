"""The cover edition: one wrap-around sheet, back + spine + front, with 3 mm bleed, crop and fold marks,
as PDF/X like the print edition. The spine's width comes from the page count and the paper; the back
carries the description and the ISBN as an EAN-13 barcode drawn in vectors (python-barcode).

The sheet is laid out by WeasyPrint from templates/pdf/cover.html; the boxes, marks and colours are
set afterwards with pikepdf, as for the print edition."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array

from ..config import BookConfig
from ..layout.heads import fit, width
from ..layout.part import Job
from ..source.typography import NBSP, shown_config, smarten, without_emphasis
from .pdfx import PrintSpec
from .print_edition import MARK, PT_PER_MM, SLUG_MM, _crop_marks, _grown, draw_over, finish
from .xmp import ArchivalMetadata

BLEED_MM = 3.0
DEFAULT_CALIPER_UM = 100.0  # uncoated book paper of about 80 g/m²
SPINE_TEXT_MIN_MM = 6.0  # below this a spine holds no readable line of type
_MM_TO_PT = 72 / 25.4


@dataclass(frozen=True)
class CoverGeometry:
    """In mm. x runs from the back's outer bleed edge to the front's; the spine sits between."""

    page_width: float
    page_height: float
    spine: float
    bleed: float = BLEED_MM

    @property
    def width(self) -> float:
        return 2 * self.page_width + self.spine + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.page_height + 2 * self.bleed

    @property
    def spine_text(self) -> bool:
        return self.spine >= SPINE_TEXT_MIN_MM


@dataclass(frozen=True)
class SpineText:
    """What the spine prints, fitted to its length: the author, the title (the running title, or cut
    after a whole word, when the whole one does not fit) and the publisher, at `scale` of the type's
    size. A 100-character title ran over the author and the publisher and past the trim."""

    author: str
    title: str
    publisher: str
    scale: float = 1.0


SPINE_SCALES = (1.0, 0.9, 0.8, 0.7)  # smaller than 0.7 of the text's size is no longer read on a shelf
SPINE_GAP_MM = 5.0  # between the author, the title and the publisher


def spine_text(config: BookConfig, font: Path, sheet: CoverGeometry, font_size: float) -> SpineText:
    """`font_size` in pt (the text's); the spine's size and length follow cover.css."""
    shown = shown_config(config)
    author, publisher = ", ".join(shown.author), shown.publisher or ""
    size = min(sheet.spine * 0.42, font_size * 0.3528 * 1.1) * _MM_TO_PT  # as cover.css sets it
    room = (sheet.page_height - 20) * _MM_TO_PT
    gaps = SPINE_GAP_MM * _MM_TO_PT * (bool(author) + bool(publisher))

    def rest(scale: float) -> float:
        return room - gaps - width(author, font, size * scale) - width(publisher, font, size * scale)

    # With their *emphasis* (the template sets it), measured without the marks.
    titles = dict.fromkeys(smarten(t, config.lang).replace(NBSP, " ")
                           for t in (config.title, config.running_title) if t)
    for scale in SPINE_SCALES:
        for title in titles:
            if width(without_emphasis(title), font, size * scale * 1.1) <= rest(scale):
                return SpineText(author, title, publisher, scale)
    scale = SPINE_SCALES[-1]
    cut = fit(without_emphasis(list(titles)[-1]), font, size * scale * 1.1, rest(scale))
    return SpineText(author, cut, publisher, scale)


def spine_width(pages: int, paper: dict[str, str]) -> float:
    """mm: sheets (two pages each) times the caliper, or pages over pages-per-inch."""
    if "ppi" in paper:
        return round(pages / float(paper["ppi"]) * 25.4, 2)
    caliper = float(paper.get("caliper", DEFAULT_CALIPER_UM))
    return round(math.ceil(pages / 2) * caliper / 1000, 2)


def barcode_svg(isbn: str) -> str:
    """The ISBN as an EAN-13 symbol in SVG, bars only (the digits are set in the book's type)."""
    import barcode
    from barcode.writer import SVGWriter

    digits = isbn.replace("-", "").replace(" ", "")
    kind = "isbn13" if len(digits) == 13 else "isbn10"  # python-barcode turns an ISBN-10 into its EAN
    symbol = barcode.get(kind, digits, writer=SVGWriter())
    out = io.BytesIO()
    symbol.write(out, options={"module_width": 0.33, "module_height": 22.0, "quiet_zone": 3.0,
                               "write_text": False, "background": "white", "foreground": "black"})
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]  # inline: no XML declaration or doctype inside HTML


def ean_digits(isbn: str) -> str:
    import barcode

    digits = isbn.replace("-", "").replace(" ", "")
    return barcode.get("isbn13" if len(digits) == 13 else "isbn10", digits).get_fullcode()


def cover_bytes(job: Job, geometry: CoverGeometry, spec: PrintSpec,
                meta: ArchivalMetadata) -> tuple[bytes, int]:
    """(the cover sheet as PDF/X, 1): laid out from `job` (its HTML is the whole sheet, bleed included)."""
    from ..layout.engine import render, source_date

    with source_date(job.moment):
        data = render(job).write_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        b = geometry.bleed * PT_PER_MM
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)  # WeasyPrint's page: the sheet with its bleed
        page.obj.TrimBox = Array([x0 + b, y0 + b, x1 - b, y1 - b])
        page.obj.BleedBox = Array([x0, y0, x1, y1])
        page.obj.MediaBox = _grown((x0, y0, x1, y1), SLUG_MM * PT_PER_MM)  # room for the marks
        marks = _crop_marks(x0 + b, y0 + b, x1 - b, y1 - b, b) + _fold_marks(geometry, y0, y1)
        draw_over(pdf, page, marks)
        return finish(pdf, spec, meta), 1


def _fold_marks(geometry: CoverGeometry, y0: float, y1: float) -> str:
    """Short lines beyond the bleed (y0 and y1 are its edges), top and bottom, where the spine folds."""
    length = 5 * PT_PER_MM
    folds = [(geometry.bleed + geometry.page_width) * PT_PER_MM,
             (geometry.bleed + geometry.page_width + geometry.spine) * PT_PER_MM]
    path = " ".join(f"{x:.2f} {y0:.2f} m {x:.2f} {y0 - length:.2f} l "
                    f"{x:.2f} {y1:.2f} m {x:.2f} {y1 + length:.2f} l" for x in folds)
    return f" q {MARK} w 1 1 1 1 K {path} S Q"
