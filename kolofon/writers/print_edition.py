"""The print edition for a print shop: the same pages as the PDF, each with 3 mm of bleed on every side
(BleedBox) and, beyond the bleed, room for the crop marks (MediaBox): a mark drawn inside the bleed
prints on what bleeds there and is cut off with it (on a dark cover image it was all but invisible).

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
SLUG_MM = 8.0  # the sheet beyond the bleed: a crop mark 5 mm long from the bleed's edge, and a margin


def with_bleed(pdf_path: Path, spec: PrintSpec | None = None, meta: ArchivalMetadata | None = None,
               bleed_mm: float = 3.0) -> tuple[bytes, int]:
    """(the print edition, its page count): with `spec` and `meta`, a PDF/X file (pdfx.py)."""
    b = bleed_mm * PT_PER_MM
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.obj.TrimBox = Array([x0, y0, x1, y1])
            page.obj.BleedBox = _grown((x0, y0, x1, y1), b)
            page.obj.MediaBox = _grown((x0, y0, x1, y1), b + SLUG_MM * PT_PER_MM)
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
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(PrintScaling=Name("/None"), DisplayDocTitle=True)
    version = to_pdfx(pdf, spec, meta, moment_of(meta.date)) if spec and meta else None
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, force_version=version,
             object_stream_mode=pikepdf.ObjectStreamMode.disable if version == "1.4"
             else pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _grown(box: tuple[float, float, float, float], by: float) -> Array:
    x0, y0, x1, y1 = box
    return Array([x0 - by, y0 - by, x1 + by, y1 + by])


def _crop_marks(x0: float, y0: float, x1: float, y1: float, b: float) -> str:
    """At each corner of the trim (x0 y0 x1 y1), its two edges drawn on outward from the bleed's edge,
    5 mm long: outside the bleed, so that nothing printed there hides them or is cut off with them."""
    length = 5 * PT_PER_MM
    lines = []
    for x, out in ((x0, -1), (x1, 1)):
        for y, up in ((y0, -1), (y1, 1)):
            lines.append((x + out * b, y, x + out * (b + length), y))
            lines.append((x, y + up * b, x, y + up * (b + length)))
    path = " ".join(f"{a:.2f} {c:.2f} m {d:.2f} {e:.2f} l" for a, c, d, e in lines)
    # Registration black (every plate) in a state of its own, after the page's content.
    return f"q {MARK} w 1 1 1 1 K {path} S Q"
