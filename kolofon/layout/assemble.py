"""Pages laid out separately (chapters in parallel, cached; front matter; notes; index) joined into one
PDF: running heads and folios overlaid, links, bookmarks and page labels rebuilt from the layout's own
data (anchors and link boxes), so the result reads like a single-pass layout.

The book is written as it is read (pdfstream.py): one part's PDF open at a time, its objects copied
under new numbers and forgotten. Every page's number is known before the first is written (the parts
say how many pages they have), so a link can point at a page not yet written; the links' own objects
and the outline are written last, when every page's height is known."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Pdf

from ..pdfpages import PageFile, SourcePage, already_written, as_page, open_pdf, source_pages
from ..pdfstream import PdfWriter, array, dictionary, number, page_tree, ref, text
from .copies import Copies, Copy
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

    def __init__(self) -> None:
        self.changes: Counter[str] = Counter()  # what opening the parts changed in them, to be said
        self.used: set[str] = set()  # the variant's own kept files read (kept from pruning)

    @property
    def key(self) -> str:
        """What the kept copies of its parts are told apart by (copies.py)."""
        return "pdf"

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
             ready: Callable[[Path | bytes], None] = already_written, copies: Copies | None = None) -> None:
    """Join the parts in order (None = one blank page), overlay `furniture` (global page index ->
    (its PDF, page in it)) on the pages it serves, rebuild links, bookmarks and page labels, and write
    the PDF to `target`: the book's own, or the variant's. ready(file) returns once a part's file is
    written (layout/written.py); `copies`: the parts' pages as the last build wrote them (copies.py)."""
    variant = variant or Variant()
    copies = copies or Copies(None)
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
        size = (0.0, 0.0)
        for part in sequence:
            start = len(heights)
            if part is None:  # a blank page, as large as the page before it
                as_page(out, pages[start], SourcePage(start, None, None, size, None),
                        [("/Parent", ref(tree))])
                heights.append(size[1])
                continue
            kept = [[(kind, goal, rect) for kind, goal, rect in on_page
                     if kind == "external" or (kind == "internal" and goal in anchors)]
                    for on_page in part.links]
            over = {i: furniture[start + i] for i in range(part.pages) if start + i in furniture}
            copy = _pages_of(out, variant, copies, part, over, kept, pages[start:start + part.pages],
                             ref(tree), ready)
            for i, (numbers, on_page) in enumerate(zip(copy.numbers, kept, strict=True)):
                links += [_Link(n, start + i, kind, goal, tuple(rect))  # type: ignore[arg-type]
                          for n, (kind, goal, rect) in zip(numbers, on_page, strict=True)]
            heights += [height for _width, height in copy.sizes]
            size = copy.sizes[-1] if copy.sizes else size
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


KeptLinks = list[list[tuple[str, str, list[float]]]]  # each page's links that the book keeps


def _pages_of(out: PdfWriter, variant: Variant, copies: Copies, part: Part,
              furniture: dict[int, tuple[Path, int]], kept: KeptLinks, numbers: list[int], parent: bytes,
              ready: Callable[[Path | bytes], None]) -> Copy:
    """One part's pages written as page objects `numbers`, each with its furniture (index in the part ->
    file, page) and annotations for its `kept` links (their objects are written once every page is
    known): from the last build's copy when its key (copies.py) is this one's, else copied."""
    out.flush()  # each part's objects in object streams of their own, so that they can be kept
    key = copies.key(variant.key, part.pdf.name, part.pages, numbers, out.count,
                     sorted((i, path.name, n) for i, (path, n) in furniture.items()),
                     [len(on_page) for on_page in kept])
    if (copy := copies.replayed(out, key)) is not None:
        variant.changes.update(dict(copy.changes))
        variant.used.update(copy.kept)
        return copy
    copy = _copied(out, variant, (part.pdf, part.pages), furniture, ready, numbers, parent, kept)
    copies.put(key, copy)
    return copy


def _copied(out: PdfWriter, variant: Variant, file: PageFile, furniture: dict[int, tuple[Path, int]],
            ready: Callable[[Path | bytes], None], numbers: list[int], parent: bytes,
            kept: KeptLinks) -> Copy:
    """The part's pages copied, and what was written, as the next build may write it again."""
    changes, used = Counter(variant.changes), set(variant.used)
    out.record()
    sizes: list[tuple[float, float]] = []
    annotations: list[tuple[int, ...]] = []
    for page in source_pages(out, [file], furniture, variant.open, ready):
        own = tuple(out.reserve() for _ in kept[page.index])
        entries = [("/Parent", parent)]
        if own:
            entries.append(("/Annots", array(ref(n) for n in own)))
        as_page(out, numbers[page.index], page, entries)
        sizes.append(page.size)
        annotations.append(own)
    return Copy(out.recorded(), tuple(sizes), tuple(annotations),
                tuple(sorted((variant.changes - changes).items())), tuple(sorted(variant.used - used)))


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
