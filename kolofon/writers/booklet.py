"""The booklet edition: the print pages imposed for saddle stitching (see imposition.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from .imposition import Imposition, impose


def booklet_bytes(pdf_data: bytes | Path, up: int = 2, crop_marks: bool = False) -> tuple[bytes, int]:
    """(imposed PDF, number of sheet sides). The sheet is A4 for pages up to A5 (2-up) or A6 (4-up), and
    grows with larger pages so they print at 100 % (A4 pages 2-up on A3)."""
    data = impose(pdf_data, Imposition(up=up, sheet=None, crop_marks=crop_marks))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return data, len(pdf.pages)
