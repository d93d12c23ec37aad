"""The EPUB cover: the book's own cover image, or the PDF's title page so both editions look alike."""

from __future__ import annotations

import io
from concurrent.futures import Future
from pathlib import Path

from ..layout.written import Written
from ..model import Book

COVER_HEIGHT = 1600  # px: what the larger e-ink readers and tablets show without scaling up


def cover_image(book: Book, pdf_data: bytes | Path, front_pages: int,
                rendered: Future[bytes] | None = None) -> bytes:
    """The EPUB's cover picture (named cover_name): the book's own, or the title page, which a tool
    process may already be rendering (`rendered`, title_page_jpeg) while the EPUB is written."""
    if book.config.cover:
        return (book.root / book.config.cover).read_bytes()
    return rendered.result() if rendered is not None else title_page_jpeg(pdf_data, front_pages)


def cover_name(book: Book) -> str:
    # Named apart from the manuscript's own images (which keep their paths in the EPUB).
    suffix = Path(book.config.cover).suffix.lower() if book.config.cover else ".jpg"
    return f"kolofon-cover{suffix}"


def title_page_jpeg(pdf_data: bytes | Path, front_pages: int) -> bytes:
    """The PDF's title page as the EPUB's cover (~20 MiB of pixels while it is encoded)."""
    return render_page_jpeg(pdf_data, _title_page_index(front_pages))


def title_page_once_written(pdf: Path, front_pages: int, written: Written) -> bytes:
    """title_page_jpeg of the front matter's PDF, once it is written (a tool's job that starts before:
    layout/written.py)."""
    written.wait(pdf)
    return title_page_jpeg(pdf, front_pages)


def _title_page_index(front_pages: int) -> int:
    # Half title, its blank verso, then the title page (see templates/pdf/front.html).
    return 2 if front_pages > 2 else 0


def render_page_jpeg(pdf_data: bytes | Path, index: int, height: int = COVER_HEIGHT) -> bytes:
    import pypdfium2  # here: a tool process renders the page; the main process never loads pdfium

    pdf = pypdfium2.PdfDocument(pdf_data)
    try:
        page = pdf[index]
        scale = height / page.get_height()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()

