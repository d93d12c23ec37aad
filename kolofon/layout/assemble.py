"""Pages laid out separately (chapters in parallel, cached; front matter; notes; index) joined into one
PDF: running heads and folios overlaid, links, bookmarks and page labels rebuilt from the layout's own
data (anchors and link boxes), so the result reads like a single-pass layout.

The book is written as it is read (pdfstream.py): one part's PDF open at a time, its objects copied
under new numbers and forgotten. Every page's number is known before the first is written (the parts
say how many pages they have), so a link can point at a page not yet written; the links' own objects
and the outline are written last, when every page's height is known."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Pdf

from ..pdfpages import already_written, as_page, open_pdf, source_pages
from ..pdfstream import PdfWriter, array, dictionary, number, page_tree, ref, text
from .part import Bookmark, Part

PT_PER_PX = 0.75  # WeasyPrint's CSS px are 1/96 in; PDF points are 1/72 in


@dataclass(frozen=True)
class _Link:
    number: int  # the annotation's object
    page: int
    kind: str
    target: str
    rect: tuple[float, float, float, float]


class Variant:
    """What kind of PDF the assembly writes: the book's own (this), or its PDF/A copy
    (writers/pdfa.py), made from the same parts beside it rather than from the book's file."""

    version = "1.7"
    packed = True

    def open(self, source: Path | bytes) -> Pdf:
        """A part's PDF (or a furniture file), as this variant copies it."""
        return open_pdf(source)

    def finish(self, out: PdfWriter, lang: str | None,
               docinfo: dict[str, str]) -> tuple[list[tuple[str, bytes]], bytes | None, bytes | None]:
        """(the catalogue's further entries, a reference to the Info dictionary, the /ID's first half),
        given the first part's language and Info."""
        info = None
        if docinfo:
            info = out.reserve()
            out.put(info, dictionary((key, text(value)) for key, value in docinfo.items()))
        return ([("/Lang", text(lang))] if lang else []), ref(info) if info else None, None


def assemble(sequence: list[Part | None], furniture: dict[int, tuple[Path, int]], bookmarks: list[Bookmark],
             front_pages: int, info_from: Path, target: Path, variant: Variant | None = None,
             ready: Callable[[Path | bytes], None] = already_written) -> None:
    """Join the parts in order (None = one blank page), overlay `furniture` (global page index ->
    (its PDF, page in it)) on the pages it serves, rebuild links, bookmarks and page labels, and write
    the PDF to `target`: the book's own, or the variant's. ready(file) returns once a part's file is
    written (layout/written.py)."""
    variant = variant or Variant()
    anchors: dict[str, tuple[int, float, float]] = {}
    count = 0
    for part in sequence:
        for page_anchors in part.anchors if part is not None else ({},):
            for name, (x, y) in page_anchors.items():
                anchors.setdefault(name, (count, x, y))
            count += 1
    # Into the file itself, not a temporary file beside it, which a build stopped meanwhile (an error,
    # Ctrl-C) would leave in the output folder.
    with open(target, "wb") as file:
        out = PdfWriter(file, variant.version, variant.packed)
        root, tree = out.reserve(), out.reserve()
        pages = [out.reserve() for _ in range(count)]
        heights: list[float] = []
        links: list[_Link] = []
        at = [(part, i) for part in sequence for i in (range(part.pages) if part is not None else (0,))]
        files = [(part.pdf, part.pages) if part is not None else None for part in sequence]
        for page in source_pages(out, files, furniture, variant.open, ready):
            part, page_no = at[page.index]
            own = [_Link(out.reserve(), page.index, kind, goal, tuple(rect))  # type: ignore[arg-type]
                   for kind, goal, rect in (part.links[page_no] if part is not None else ())
                   if kind == "external" or (kind == "internal" and goal in anchors)]
            links += own
            heights.append(page.size[1])
            entries = [("/Parent", ref(tree))]
            if own:
                entries.append(("/Annots", array(ref(link.number) for link in own)))
            as_page(out, pages[page.index], page, entries)
        destination = _Destinations(pages, heights)
        for link in links:
            out.put(link.number, _annotation(link, heights[link.page], destination(anchors.get(link.target))))
        outline = _outline(out, bookmarks, anchors, destination)
        out.put(tree, page_tree(pages))
        catalog = [("/Type", b"/Catalog"), ("/Pages", ref(tree)),
                   ("/PageLabels", b"<</Nums [0 <</S /r>> %d <</S /D /St 1>>]>>" % front_pages),
                   # A viewer's window and tab show the book's title, not the file's name.
                   ("/ViewerPreferences", b"<</DisplayDocTitle true>>")]
        if outline is not None:
            catalog.append(("/Outlines", ref(outline)))
        ready(info_from)
        with Pdf.open(info_from) as first:
            lang = str(first.Root.Lang) if "/Lang" in first.Root else None
            docinfo = {key: str(value) for key, value in first.docinfo.items()}
        entries, info, first_id = variant.finish(out, lang, docinfo)
        out.put(root, dictionary([*catalog, *entries]))
        out.close(root, info, first_id)


class _Destinations:
    """A link's or bookmark's destination: a page's object and a point on it, in PDF points."""

    def __init__(self, pages: list[int], heights: list[float]):
        self.pages = pages
        self.heights = heights

    def __call__(self, anchor: tuple[int, float, float] | None) -> bytes | None:
        if anchor is None:
            return None
        index, x, y = anchor
        return array([ref(self.pages[index]), b"/XYZ", number(x * PT_PER_PX),
                      number(self.heights[index] - y * PT_PER_PX), b"0"])


def _annotation(link: _Link, height: float, destination: bytes | None) -> bytes:
    x1, y1, x2, y2 = link.rect
    rect = array(number(v) for v in (x1 * PT_PER_PX, height - y2 * PT_PER_PX, x2 * PT_PER_PX,
                                     height - y1 * PT_PER_PX))
    entries = [("/Type", b"/Annot"), ("/Subtype", b"/Link"), ("/Rect", rect), ("/F", b"4"),
               ("/Border", b"[0 0 0]")]
    if link.kind == "internal" and destination is not None:
        entries.append(("/Dest", destination))
    elif link.kind == "external":
        entries.append(("/A", dictionary([("/S", b"/URI"), ("/URI", pikepdf.String(link.target).unparse())])))
    return dictionary(entries)


def _outline(out: PdfWriter, bookmarks: list[Bookmark], anchors: dict[str, tuple[int, float, float]],
             destination: _Destinations) -> int | None:
    """The bookmarks whose targets exist, every level open; returns the outline's root object."""

    def kept(marks: tuple[Bookmark, ...] | list[Bookmark]) -> list[Bookmark]:
        return [mark for mark in marks if mark.target in anchors]

    def write(marks: list[Bookmark], parent: int) -> tuple[list[int], int]:
        """Write `marks` under `parent`; returns their numbers and how many items they open."""
        numbers = [out.reserve() for _ in marks]
        shown = len(marks)
        for i, (mark, own) in enumerate(zip(marks, numbers, strict=True)):
            children, below = write(kept(mark.children), own)
            shown += below
            entries = [("/Title", text(mark.title)), ("/Parent", ref(parent)),
                       ("/Dest", destination(anchors[mark.target]) or b"null")]
            if i > 0:
                entries.append(("/Prev", ref(numbers[i - 1])))
            if i + 1 < len(marks):
                entries.append(("/Next", ref(numbers[i + 1])))
            if children:
                entries += [("/First", ref(children[0])), ("/Last", ref(children[-1])),
                            ("/Count", b"%d" % below)]
            out.put(own, dictionary(entries))
        return numbers, shown

    top = kept(bookmarks)
    if not top:
        return None
    root = out.reserve()
    numbers, shown = write(top, root)
    out.put(root, dictionary([("/Type", b"/Outlines"), ("/First", ref(numbers[0])),
                              ("/Last", ref(numbers[-1])), ("/Count", b"%d" % shown)]))
    return root
