"""The booklet edition: the print pages imposed for saddle stitching (see imposition.py)."""

from __future__ import annotations

from pathlib import Path

from ..layout.part import Assembly, Job


def write_booklet(target: Path, assembly: Assembly, up: int = 2, crop_marks: bool = False,
                  cover: Job | None = None) -> int:
    """The imposed PDF written into `target`; returns its number of sheet sides. The sheet is A4 for
    pages up to A5 (2-up) or A6 (4-up), and grows with larger pages so they print at 100 % (A4 pages
    2-up on A3). `cover`: the cover sheet's layout (templates/pdf/cover.html without spine or bleed),
    set as the outer sheet. Imposed from the parts the book's PDF is joined from, as they are read,
    beside that PDF rather than after it, and written into the file itself: no process holds the
    book's pages (qpdf held every object of the book's file: 117 MiB for 2,000 pages)."""
    cover_pdf = None
    if cover is not None:
        from ..layout.engine import render, source_date

        with source_date(cover.moment):
            cover_pdf = render(cover).write_pdf()
    from ..layout.copies import Copies
    from .imposition import Imposition, impose_into  # pikepdf: in the tool process only

    copies = Copies(assembly.copies / "booklet" if assembly.copies else None, assembly.reuse)
    with open(target, "wb") as file:
        sides = impose_into(file, assembly.sequence, Imposition(up=up, sheet=None, crop_marks=crop_marks),
                            cover_pdf, assembly.furniture, assembly.info_from, assembly.written.wait, copies)
    copies.prune()
    return sides
