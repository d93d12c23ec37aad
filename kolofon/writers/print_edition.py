"""The print edition for a print shop: the same pages as the PDF, each on a sheet 3 mm larger on every
side (bleed), with TrimBox and BleedBox and crop marks in the bleed, as WeasyPrint's own `bleed` and
`marks: crop` would set them.

No second layout: the trimmed page keeps its coordinates and the sheet grows around it (a MediaBox with
a negative origin, as WeasyPrint writes it), so text, links and bookmarks stay where they were. Nothing
in the book's design runs to the trim edge, so the bleed is white; a design that bleeds images will
have to lay them out larger."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Array, Name

from ..dates import moment_of
from .pdfx import PrintSpec, to_pdfx
from .xmp import ArchivalMetadata

PT_PER_MM = 72 / 25.4
MARK = 0.25  # pt: the hairline printers expect for crop marks


def with_bleed(pdf_path: Path, spec: PrintSpec | None = None, meta: ArchivalMetadata | None = None,
               bleed_mm: float = 3.0) -> tuple[bytes, int]:
    """(the print edition, its page count): with `spec` and `meta`, a PDF/X file (pdfx.py)."""
    b = bleed_mm * PT_PER_MM
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.obj.TrimBox = Array([x0, y0, x1, y1])
            sheet = Array([x0 - b, y0 - b, x1 + b, y1 + b])
            page.obj.MediaBox = sheet
            page.obj.BleedBox = sheet
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
            draw_over(pdf, page, _crop_marks(x0, y0, x1, y1, b))
        pages = len(pdf.pages)
        return finish(pdf, spec, meta), pages


def draw_over(pdf: pikepdf.Pdf, page: pikepdf.Page, operators: str) -> None:
    """Marks drawn after the page's content, in a graphics state of their own."""
    page.contents_add(pdf.make_stream(b"q"), prepend=True)
    page.contents_add(pdf.make_stream(f"Q {operators}".encode()))


def finish(pdf: pikepdf.Pdf, spec: PrintSpec | None, meta: ArchivalMetadata | None) -> bytes:
    """A sheet for a press: no scaling in the print dialog, PDF/X when `spec` says so, saved
    reproducibly (PDF/X-1a is PDF 1.4, which has no object streams)."""
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(PrintScaling=Name("/None"))
    version = to_pdfx(pdf, spec, meta, moment_of(meta.date)) if spec and meta else None
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, force_version=version,
             object_stream_mode=pikepdf.ObjectStreamMode.disable if version == "1.4"
             else pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _crop_marks(x0: float, y0: float, x1: float, y1: float, b: float) -> str:
    """At each corner, the trim lines drawn from the sheet's edge halfway into the bleed."""
    half = b / 2
    lines = []
    for x, out_x in ((x0, x0 - b), (x1, x1 + b)):
        for y, out_y in ((y0, y0 - b), (y1, y1 + b)):
            lines.append((out_x, y, out_x + (half if out_x < x else -half), y))
            lines.append((x, out_y, x, out_y + (half if out_y < y else -half)))
    path = " ".join(f"{a:.2f} {c:.2f} m {d:.2f} {e:.2f} l" for a, c, d, e in lines)
    # Registration black (every plate) in a state of its own, after the page's content.
    return f"q {MARK} w 1 1 1 1 K {path} S Q"
