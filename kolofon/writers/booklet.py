"""The booklet edition: the print pages imposed for saddle stitching (see imposition.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from ..layout.part import Job
from .imposition import Imposition, impose


def booklet_bytes(pdf_data: bytes | Path, up: int = 2, crop_marks: bool = False,
                  cover: Job | None = None) -> tuple[bytes, int]:
    """(imposed PDF, number of sheet sides). The sheet is A4 for pages up to A5 (2-up) or A6 (4-up), and
    grows with larger pages so they print at 100 % (A4 pages 2-up on A3). `cover`: the cover sheet's
    layout (templates/pdf/cover.html without spine or bleed), set as the outer sheet."""
    cover_pdf = None
    if cover is not None:
        from ..layout.engine import render, source_date

        with source_date(cover.moment):
            cover_pdf = render(cover).write_pdf()
    data = impose(pdf_data, Imposition(up=up, sheet=None, crop_marks=crop_marks), cover_pdf)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return data, len(pdf.pages)
