"""Booklet imposition over pikepdf: pages placed as form XObjects (vectors kept, nothing rasterised).

2-up (A5 on A4 landscape), one fold, saddle-stitched: print double-sided flipping on the short edge,
fold the stack in half, staple on the fold. Sheet side 1 holds pages N and 1, side 2 pages 2 and N-1...

4-up (A6 on A4 portrait): each sheet side holds two rows of a 2-up spread. Print double-sided
(flip on the long edge), cut the stack across the middle, nest the bottom halves inside the top
halves (the top halves are the outer sheets), fold once and staple: one saddle-stitched booklet.

Blank pages that pad the book to a multiple of 4 (or 8) go at the end, after the last page, where a
bookbinder puts them: never in the middle of the text."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from . import readable

A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)
MARK = 0.25  # pt, the hairline printers expect for crop marks
MARK_LENGTH = 14.0  # pt (~5 mm)


@dataclass(frozen=True)
class Imposition:
    up: int = 2
    sheet: tuple[float, float] | None = A4_LANDSCAPE  # None: the smallest sheet at least A4 that holds
    crop_marks: bool = False                          # the pages at 100 % (A4 pages: A3)

    def sheet_for(self, page: tuple[float, float]) -> tuple[float, float]:
        if self.sheet is not None:
            return self.sheet
        base = A4_LANDSCAPE if self.up == 2 else A4_PORTRAIT
        rows = 1 if self.up == 2 else 2
        return (max(base[0], round(2 * page[0], 2)), max(base[1], round(rows * page[1], 2)))


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
    imposition = imposition or Imposition()
    # The sheets are made in the book's own PDF, its pages turned into forms and then dropped: copying
    # them into a new PDF held each page's objects twice (a 2,000-page booklet peaked at 155 MiB).
    with Pdf.open(readable(pdf)) as out, Pdf.open(io.BytesIO(cover or b"")) if cover \
            else contextlib.nullcontext() as cover_pdf:
        count = len(out.pages)
        total = padded_count(count, imposition.up)
        box = _trim_box(out.pages[0])
        title = out.docinfo.get(Name.Title)
        lang = out.Root.get(Name.Lang)
        forms = [_as_form(out, page) for page in out.pages]
        if imposition.up == 2:
            layout = [[(0, side)] for side in saddle_stitch_order(total)]
            rows = 1
        else:
            layout = [[(0, top), (1, bottom)] for top, bottom in four_up_order(total)]
            rows = 2
        sheet_w, sheet_h = imposition.sheet_for(box)
        cell_w, cell_h = sheet_w / 2, sheet_h / rows
        scale = min(cell_w / box[0], cell_h / box[1])
        w, h = box[0] * scale, box[1] * scale
        if cover_pdf is not None and imposition.up == 2:
            y = (sheet_h - h) / 2
            ops = [f"q {scale:.5f} 0 0 {scale:.5f} {sheet_w / 2 - w:.3f} {y:.3f} cm /Cover Do Q"]
            if imposition.crop_marks:
                ops.append(_marks(sheet_w / 2 - w, y, 2 * w, h))
            page = out.add_blank_page(page_size=(sheet_w, sheet_h))
            form = out.copy_foreign(cover_pdf.pages[0].as_form_xobject())
            page.Resources = Dictionary(XObject=Dictionary(Cover=form))
            page.Contents = out.make_stream("\n".join(ops).encode())
            out.add_blank_page(page_size=(sheet_w, sheet_h))  # the inside covers
        for side in layout:
            resources = Dictionary(XObject=Dictionary())
            ops: list[str] = []
            for row, (left, right) in side:
                y = sheet_h - (row + 1) * cell_h + (cell_h - h) / 2
                for col, number in enumerate((left, right)):
                    if number > count:
                        continue  # a blank page: nothing to place
                    # Pages meet at the fold (the sheet's centre), margins go to the outer edges.
                    x = sheet_w / 2 - w if col == 0 else sheet_w / 2
                    name = f"/P{number}"
                    resources.XObject[name] = forms[number - 1]
                    ops.append(f"q {scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f} cm {name} Do Q")
                if imposition.crop_marks:
                    ops.append(_marks(sheet_w / 2 - w, y, 2 * w, h))
            page = out.add_blank_page(page_size=(sheet_w, sheet_h))
            page.Resources = resources
            page.Contents = out.make_stream("\n".join(ops).encode())
        del out.pages[:count]
        _metadata(out, title, lang, imposition.up)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()


def _as_form(pdf: Pdf, page: pikepdf.Page) -> pikepdf.Object:
    """The page's content stream made a form XObject, in place (its data is read from the file only
    when the sheets are written); pikepdf's as_form_xobject would hold every page's decompressed
    content in memory at once, so it serves only a page with several content streams."""
    content = page.obj.get("/Contents")
    if not isinstance(content, pikepdf.Stream):
        return page.as_form_xobject()
    content.Type, content.Subtype = Name.XObject, Name.Form
    content.BBox = pikepdf.Array([float(v) for v in page.mediabox])
    resources = page.obj.get("/Resources", Dictionary())
    content.Resources = resources if resources.is_indirect else pdf.make_indirect(resources)
    return content


def _trim_box(page: pikepdf.Page) -> tuple[float, float]:
    box = page.obj.get("/TrimBox", page.mediabox)
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _marks(x: float, y: float, w: float, h: float) -> str:
    """Crop marks just outside the spread's corners and a fold mark at the centre, top and bottom.

    Pages sit at 100 % and meet the sheet edge when the sheet is exactly two pages wide: then only
    what fits is drawn (the lines are clipped by the sheet)."""
    gap, length = 3.0, MARK_LENGTH
    lines = []
    for cx, dx in ((x, -1), (x + w, 1)):
        for cy, dy in ((y, -1), (y + h, 1)):
            lines.append((cx + dx * gap, cy, cx + dx * (gap + length), cy))
            lines.append((cx, cy + dy * gap, cx, cy + dy * (gap + length)))
    mid = x + w / 2
    lines += [(mid, y - gap, mid, y - gap - length), (mid, y + h + gap, mid, y + h + gap + length)]
    path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in lines)
    return f"q {MARK} w 0 0 0 1 K {path} S Q"


def _metadata(pdf: Pdf, title: pikepdf.Object | None, lang: pikepdf.Object | None, up: int) -> None:
    """The sheets keep the book's title and language, nothing else of its catalogue: its outline, page
    labels and links point at pages the sheets do not have."""
    for key in [key for key in pdf.Root if key not in ("/Type", "/Pages")]:
        del pdf.Root[key]
    del pdf.trailer["/Info"]
    if title is not None:
        pdf.docinfo[Name.Title] = title
    if lang is not None:
        pdf.Root.Lang = lang
    # Tell the print dialog how to turn the sheet and not to shrink it to the printer's margins.
    duplex = Name.DuplexFlipShortEdge if up == 2 else Name.DuplexFlipLongEdge
    pdf.Root.ViewerPreferences = Dictionary(Duplex=duplex, PrintScaling=Name("/None"))
