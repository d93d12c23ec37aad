"""Booklet imposition over pikepdf: pages placed as form XObjects (vectors kept, nothing rasterised).

2-up (A5 on A4 landscape), one fold, saddle-stitched: print double-sided flipping on the short edge,
fold the stack in half, staple on the fold. Sheet side 1 holds pages N and 1, side 2 pages 2 and N-1...

4-up (A6 on A4 portrait): each sheet side holds two rows of a 2-up spread. Print double-sided
(flip on the long edge), cut the stack across the middle, nest the bottom halves inside the top
halves (the top halves are the outer sheets), fold once and staple: one saddle-stitched booklet.

Blank pages that pad the book to a multiple of 4 (or 8) go at the end, after the last page, where a
bookbinder puts them: never in the middle of the text."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pikepdf import Name, Pdf

from ..layout.copies import Copies, Copy
from ..pdfpages import PageFile, SourcePage, already_written, as_form, source_pages
from ..pdfstream import PdfWriter, array, dictionary, number, page_tree, ref, text
from . import readable

A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)
MARK = 0.25  # pt, the hairline printers expect for crop marks
MARK_LENGTH = 14.0  # pt (~5 mm)
MARK_GAP = 3.0  # pt between a trim corner and its marks
# Paper kept around each spread for its marks: on a sheet exactly two pages wide (A5 pages on A4) they
# fell outside it and none was printed (QA sweep).
MARK_ROOM = MARK_GAP + MARK_LENGTH + 2.0


@dataclass(frozen=True)
class Imposition:
    up: int = 2
    sheet: tuple[float, float] | None = A4_LANDSCAPE  # None: the smallest sheet at least A4 that holds
    crop_marks: bool = False                          # the pages at 100 % (A4 pages: A3), and the marks

    @property
    def rows(self) -> int:
        return 1 if self.up == 2 else 2

    @property
    def room(self) -> float:
        """The paper kept on each side of a spread (each row of a 4-up sheet) for its marks."""
        return MARK_ROOM if self.crop_marks else 0.0

    def sheet_for(self, page: tuple[float, float]) -> tuple[float, float]:
        """With crop marks the sheet grows by their room: A5 pages make a 309 × 223 mm sheet (SRA4
        holds it), to be cut to the marks."""
        if self.sheet is not None:
            return self.sheet
        base = A4_LANDSCAPE if self.up == 2 else A4_PORTRAIT
        need = (2 * page[0] + 2 * self.room, self.rows * (page[1] + 2 * self.room))
        return (max(base[0], round(need[0], 2)), max(base[1], round(need[1], 2)))


def padded_count(n: int, up: int = 2) -> int:
    block = 4 if up == 2 else 8
    return max(block, -(-n // block) * block)


def blank_positions(n: int, up: int = 2) -> list[int]:
    return list(range(n + 1, padded_count(n, up) + 1))


def saddle_stitch_order(n: int) -> list[tuple[int, int]]:
    """(left, right) page numbers of each sheet side in printing order, for n pages (n % 4 == 0)."""
    if n <= 0 or n % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {n}")
    sides = []
    for sheet in range(n // 4):
        outer = 2 * sheet + 1
        sides.append((n - outer + 1, outer))  # front: last-but-k, first+k
        sides.append((outer + 1, n - outer))  # back
    return sides


def four_up_order(n: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """((top left, top right), (bottom left, bottom right)) per sheet side, for n pages (n % 8 == 0).

    The top halves form the outer half of the booklet, the bottom halves its inner half."""
    if n <= 0 or n % 8:
        raise ValueError(f"a 4-up booklet needs a multiple of 8 pages, not {n}")
    sides = saddle_stitch_order(n)
    half = len(sides) // 2
    return [(sides[i], sides[half + i]) for i in range(half)]


def impose(pdf: bytes | Path, imposition: Imposition | None = None, cover: bytes | None = None) -> bytes:
    """The pages imposed on sheets. `cover` (2-up only): a sheet two pages wide, back and front, that
    becomes the booklet's outer sheet: its outside first, then a blank side (the inside covers)."""
    buffer = io.BytesIO()
    impose_into(buffer, [pdf], imposition, cover, info_from=pdf)
    return buffer.getvalue()


def impose_into(file: BinaryIO, files: Sequence[PageFile], imposition: Imposition | None = None,
                cover: bytes | None = None, furniture: dict[int, tuple[Path, int]] | None = None,
                info_from: bytes | Path | None = None,
                ready: Callable[[Path | bytes], None] = already_written, copies: Copies | None = None) -> int:
    """impose(), written into `file` as the pages are read (pdfpages.py): the book's parts with their
    furniture, or one PDF. Each page becomes a form XObject the sheets place; the sheets keep the
    title and language of `info_from`, nothing else of its catalogue (its outline, page labels and
    links point at pages the sheets do not have). Returns the number of sheet sides. ready(file)
    returns once a part's file is written (layout/written.py); `copies`: each part's forms as the last
    build wrote them (layout/copies.py)."""
    imposition = imposition or Imposition()
    title = lang = None
    if info_from is not None:
        ready(info_from)
        with Pdf.open(readable(info_from)) as first:
            found = first.docinfo.get(Name.Title), first.Root.get(Name.Lang)
            title, lang = (str(value) if value is not None else None for value in found)
    out = PdfWriter(file)
    root, tree = out.reserve(), out.reserve()
    forms: list[int] = []
    box: tuple[float, float] | None = None  # the first page's trimmed size: the sheets are cut for it
    size = (0.0, 0.0)
    for file in files:
        if file is None:  # a blank page, as large as the page before it
            forms.append(as_form(out, SourcePage(len(forms), None, None, size, None)))
            box = box or size
            continue
        copy = _forms(out, copies or Copies(None), file, len(forms), furniture or {}, ready)
        forms += [number_ for number_, in copy.numbers]
        if copy.sizes:
            box, size = box or copy.trims[0], copy.sizes[-1]
    box = box or (0.0, 0.0)
    count = len(forms)
    total = padded_count(count, imposition.up)
    if imposition.up == 2:
        layout = [[(0, side)] for side in saddle_stitch_order(total)]
    else:
        layout = [[(0, top), (1, bottom)] for top, bottom in four_up_order(total)]
    rows, room = imposition.rows, imposition.room
    sheet_w, sheet_h = imposition.sheet_for(box)
    cell_h = sheet_h / rows
    scale = min((sheet_w / 2 - room) / box[0], (cell_h - 2 * room) / box[1])
    w, h = box[0] * scale, box[1] * scale
    sheets: list[int] = []

    def sheet(forms_on_it: dict[str, int], ops: list[str]) -> None:
        number_ = out.reserve()
        placed = dictionary((name, ref(form)) for name, form in forms_on_it.items())
        entries = [("/Type", b"/Page"), ("/Parent", ref(tree)),
                   ("/MediaBox", array(number(v) for v in (0.0, 0.0, sheet_w, sheet_h))),
                   ("/Resources", dictionary([("/XObject", placed)]))]
        if ops:
            content = out.reserve()
            out.put_stream(content, b"/Filter /FlateDecode", zlib.compress("\n".join(ops).encode()))
            entries.append(("/Contents", ref(content)))
        out.put(number_, dictionary(entries))
        sheets.append(number_)

    if cover is not None and imposition.up == 2:
        y = (sheet_h - h) / 2
        ops = [f"q {scale:.5f} 0 0 {scale:.5f} {sheet_w / 2 - w:.3f} {y:.3f} cm /Cover Do Q"]
        if imposition.crop_marks:
            ops.append(_marks(sheet_w / 2 - w, y, 2 * w, h))
        pages = source_pages(out, [cover], {})
        sheet({"/Cover": as_form(out, next(pages))}, ops)
        pages.close()  # the cover's file, closed once its page is copied
        sheet({}, [])  # the inside covers
    for side in layout:
        placed: dict[str, int] = {}
        ops = []
        for row, (left, right) in side:
            y = sheet_h - (row + 1) * cell_h + (cell_h - h) / 2
            for col, page_no in enumerate((left, right)):
                if page_no > count:
                    continue  # a blank page: nothing to place
                # Pages meet at the fold (the sheet's centre), margins go to the outer edges.
                x = sheet_w / 2 - w if col == 0 else sheet_w / 2
                placed[f"/P{page_no}"] = forms[page_no - 1]
                ops.append(f"q {scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f} cm /P{page_no} Do Q")
            if imposition.crop_marks:
                ops.append(_marks(sheet_w / 2 - w, y, 2 * w, h))
        sheet(placed, ops)
    out.put(tree, page_tree(sheets))
    # Tell the print dialog how to turn the sheet and not to shrink it to the printer's margins.
    duplex = b"/DuplexFlipShortEdge" if imposition.up == 2 else b"/DuplexFlipLongEdge"
    catalog = [("/Type", b"/Catalog"), ("/Pages", ref(tree)),
               ("/ViewerPreferences", b"<</Duplex %s /PrintScaling /None>>" % duplex)]
    if lang is not None:
        catalog.append(("/Lang", text(lang)))
    out.put(root, dictionary(catalog))
    info = None
    if title is not None:
        info = out.reserve()
        out.put(info, dictionary([("/Title", text(title))]))
    out.close(root, ref(info) if info else None)
    return len(sheets)


def _forms(out: PdfWriter, copies: Copies, file: PageFile, start: int, furniture: dict[int, tuple[Path, int]],
           ready: Callable[[Path | bytes], None]) -> Copy:
    """One file's pages as forms, each with its furniture (the book's page index `start` is its first
    page's): written again from the last build's copy when nothing they are made of changed (a part's
    file and pages, its furniture, and the numbers given out before it), else copied and kept."""
    over = {i - start: v for i, v in furniture.items() if i >= start}
    out.flush()  # each part's objects in object streams of their own, so that they can be kept
    key = None
    if isinstance(file, tuple):
        path, pages = file
        over = {i: v for i, v in over.items() if i < pages}
        key = copies.key("booklet", path.name, pages, out.count,
                         sorted((i, name.name, n) for i, (name, n) in over.items()))
        if (kept := copies.replayed(out, key)) is not None:
            return kept
    out.record()
    forms, sizes, trims = [], [], []
    for page in source_pages(out, [file], over, ready=ready):
        forms.append((as_form(out, page),))
        sizes.append(page.size)
        trims.append(page.trim)
    copy = Copy(out.recorded(), tuple(sizes), tuple(forms), trims=tuple(trims))
    copies.put(key, copy)
    return copy


def _marks(x: float, y: float, w: float, h: float) -> str:
    """Crop marks just outside the spread's corners and a fold mark at the centre, top and bottom,
    in the room the sheet keeps for them (Imposition.room)."""
    gap, length = MARK_GAP, MARK_LENGTH
    lines = []
    for cx, dx in ((x, -1), (x + w, 1)):
        for cy, dy in ((y, -1), (y + h, 1)):
            lines.append((cx + dx * gap, cy, cx + dx * (gap + length), cy))
            lines.append((cx, cy + dy * gap, cx, cy + dy * (gap + length)))
    mid = x + w / 2
    lines += [(mid, y - gap, mid, y - gap - length), (mid, y + h + gap, mid, y + h + gap + length)]
    path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in lines)
    return f"q {MARK} w 0 0 0 1 K {path} S Q"


