"""A contact sheet of the PDF: every page (up to 24 spreads) at a glance, as a reviewer sees a layout."""

from __future__ import annotations

import io
from pathlib import Path

THUMB_HEIGHT = 240  # px: enough to judge a page's layout, small enough to render 49 pages fast
MAX_SPREADS = 24
PAGES = 1 + 2 * MAX_SPREADS  # the first page alone, then the spreads
GAP = 16


def contact_sheet(pdf_data: bytes | Path) -> bytes:
    # Here, not at the top: the build's main process reads PAGES and never loads pdfium.
    import pypdfium2
    from PIL import Image, ImageDraw

    pdf = pypdfium2.PdfDocument(pdf_data)
    try:
        count = min(len(pdf), PAGES)
        thumbs = []
        for i in range(count):
            page = pdf[i]
            thumbs.append(page.render(scale=THUMB_HEIGHT / page.get_height()).to_pil().convert("RGB"))
    finally:
        pdf.close()
    w = thumbs[0].width
    # Spreads as in the bound book: page 1 alone on the right, then verso|recto pairs.
    spreads = [[None, 0], *[[i, i + 1 if i + 1 < count else None] for i in range(1, count, 2)]]
    columns = 4
    rows = -(-len(spreads) // columns)
    sheet = Image.new("RGB", (columns * (2 * w + GAP) + GAP, rows * (THUMB_HEIGHT + GAP) + GAP), "#8a8a8a")
    draw = ImageDraw.Draw(sheet)
    for n, spread in enumerate(spreads):
        x0 = GAP + (n % columns) * (2 * w + GAP)
        y0 = GAP + (n // columns) * (THUMB_HEIGHT + GAP)
        for side, index in enumerate(spread):
            if index is not None:
                sheet.paste(thumbs[index], (x0 + side * w, y0))
        draw.line([(x0 + w, y0), (x0 + w, y0 + THUMB_HEIGHT - 1)], fill="#bbbbbb")
    out = io.BytesIO()
    # zlib level 3, not PIL's 6: on the 500-page book's sheet both faster (0.08 s against 0.13 s) and
    # smaller (757 against 883 kB), measured; optimize=True: 1 % smaller, four times slower.
    sheet.save(out, "PNG", compress_level=3)
    return out.getvalue()
