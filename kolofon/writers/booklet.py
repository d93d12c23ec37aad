"""The booklet edition: the print pages imposed for saddle stitching (see imposition.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from .imposition import A4_LANDSCAPE, A4_PORTRAIT, Imposition, impose


def booklet_bytes(pdf_data: bytes | Path, up: int = 2, crop_marks: bool = False) -> tuple[bytes, int]:
    """(imposed PDF, number of sheet sides)."""
    sheet = A4_LANDSCAPE if up == 2 else A4_PORTRAIT
    data = impose(pdf_data, Imposition(up=up, sheet=sheet, crop_marks=crop_marks))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return data, len(pdf.pages)
