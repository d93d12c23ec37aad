"""The booklet edition: the print pages imposed for saddle stitching (see kolofon.imposition)."""

from __future__ import annotations

import io

import pikepdf

from ..imposition import Imposition, impose


def booklet_bytes(pdf_data: bytes, imposition: Imposition | None = None) -> tuple[bytes, int]:
    """(imposed PDF, number of sheet sides)."""
    data = impose(pdf_data, imposition or Imposition())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return data, len(pdf.pages)
