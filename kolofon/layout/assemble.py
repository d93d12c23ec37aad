"""Pages laid out separately (chapters in parallel, cached; front matter; notes; index) joined into one
PDF with pikepdf: running heads and folios overlaid, links, bookmarks and page labels rebuilt from the
layout's own data (anchors and link boxes), so the result reads like a single-pass layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, Stream

from ..pdfobjects import reachable
from .part import Part

PT_PER_PX = 0.75  # WeasyPrint's CSS px are 1/96 in; PDF points are 1/72 in


@dataclass(frozen=True)
class Bookmark:
    title: str
    target: str
    children: tuple[Bookmark, ...] = ()


def assemble(sequence: list[Part | None], furniture: dict[int, tuple[Part, int]], bookmarks: list[Bookmark],
             front_pages: int, info_from: Part, target: Path) -> None:
    """Join the parts in order (None = one blank page), overlay `furniture` (global page index ->
    (part, page in part)) on the pages it serves, rebuild links, bookmarks and page labels, and write
    the PDF to `target`. Each part's file is open only while its pages are copied: the book's streams
    are held compressed, as they are in the files."""
    out = Pdf.new()
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, str, str, tuple[float, float, float, float]]] = []
    size = None
    index = 0
    for part in sequence:
        if part is None:
            out.add_blank_page(page_size=size)  # as large as the page before it
            index += 1
            continue
        with Pdf.open(part.pdf) as src:
            first = index
            for i, page in enumerate(src.pages):
                out.pages.append(page)
                for name, (x, y) in part.anchors[i].items():
                    anchors.setdefault(name, (index, x, y))
                links += [(index, kind, target, rect) for kind, target, rect in part.links[i]]
                index += 1
            size = (float(page.mediabox[2]), float(page.mediabox[3]))
            _own_streams([out.pages[i].obj for i in range(first, index)])
    out_pages = list(out.pages)  # indexing out.pages walks the page list every time
    by_part: dict[Path, list[tuple[int, int]]] = {}
    for index, (part, page_no) in sorted(furniture.items()):
        by_part.setdefault(part.pdf, []).append((index, page_no))
    for path, uses in by_part.items():
        with Pdf.open(path) as fp:
            forms = [out.copy_foreign(fp.pages[page_no].as_form_xobject()) for _index, page_no in uses]
            _own_streams(forms)
        for (index, _page_no), form in zip(uses, forms, strict=True):
            _overlay(out, out_pages[index], form)
    pages = _Pages(out_pages)
    for page in pages.objects:
        if "/Annots" in page:
            del page["/Annots"]
    _links(out, pages, links, anchors)
    _outline(out, pages, bookmarks, anchors)
    out.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.r), front_pages,
                                                 Dictionary(S=Name.D, St=1)]))
    with Pdf.open(info_from.pdf) as first:
        for key, value in first.docinfo.items():
            out.docinfo[key] = pikepdf.String(str(value))
        if "/Lang" in first.Root:
            out.Root.Lang = pikepdf.String(str(first.Root.Lang))
    # A viewer's window and tab show the book's title, not the file's name.
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    # Into the file itself, not its path: given a path, pikepdf writes a temporary file of its own
    # beside it, which a build stopped meanwhile (an error, Ctrl-C) left in the output folder.
    with open(target, "wb") as file:
        out.save(file, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


_NOT_FOLLOWED = frozenset({"/Parent", "/P", "/Dest", "/Annots"})  # the page tree, and links (rebuilt)


def _own_streams(roots: list[pikepdf.Object]) -> None:
    """Copy into the output the (still compressed) data of every stream that `roots`, just copied from
    a part's PDF, reach, so that the part's file can be closed at once. qpdf would otherwise read
    the data from every part when the book is written, and an open PDF costs ~0.4 MiB however small
    (a 2,000-page book has ~200 parts); the book's compressed streams are ~13 MB."""
    for obj in reachable(roots, skip=_NOT_FOLLOWED):
        if isinstance(obj, Stream):
            obj.write(obj.read_raw_bytes(), filter=obj.get("/Filter"), decode_parms=obj.get("/DecodeParms"),
                      type_check=False)


def _overlay(out: Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    """Draw `form` over the page. The page's own content becomes a form XObject too (its stream, not a
    copy: qpdf still reads the data from the part's file when it writes), and the page one small
    stream that draws both under fixed names (pikepdf's add_overlay picks random ones, and a
    reproducible build cannot have that). Every page then has a single content stream, which keeps
    the imposition from holding the book's decompressed content in memory (imposition.py)."""
    content = page.obj.Contents
    if isinstance(content, Array):  # WeasyPrint writes one stream per page; anything else, joined once
        content = page.as_form_xobject()
    else:
        content.Type, content.Subtype = Name.XObject, Name.Form
        content.BBox = page.mediabox
        content.Resources = page.obj.get("/Resources", Dictionary())
    page.obj.Resources = Dictionary(XObject=Dictionary(KolofonPage=content, KolofonFurniture=form))
    page.obj.Contents = out.make_stream(b"q /KolofonPage Do Q q /KolofonFurniture Do Q")


class _Pages:
    """Each page's object and height, read once: pikepdf looks a page up by walking the page list, and
    a book has a link per note and index locator (1,557 at 500 pages; looking them up took half the
    assembly)."""

    def __init__(self, pages: list[pikepdf.Page]):
        self.objects = [page.obj for page in pages]
        self.heights = [float(page.mediabox[3]) for page in pages]

    def destination(self, anchor: tuple[int, float, float]) -> Array:
        index, x, y = anchor
        return Array([self.objects[index], Name.XYZ, x * PT_PER_PX, self.heights[index] - y * PT_PER_PX, 0])


def _links(out: Pdf, pages: _Pages, links, anchors) -> None:
    annots: dict[int, list[pikepdf.Object]] = {}
    for index, kind, target, (x1, y1, x2, y2) in links:
        height = pages.heights[index]
        rect = [x1 * PT_PER_PX, height - y2 * PT_PER_PX, x2 * PT_PER_PX, height - y1 * PT_PER_PX]
        annot = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), F=4,
                           Border=Array([0, 0, 0]))
        if kind == "internal":
            if target not in anchors:
                continue
            annot.Dest = pages.destination(anchors[target])
        elif kind == "external":
            annot.A = Dictionary(S=Name.URI, URI=pikepdf.String(target))
        else:
            continue
        annots.setdefault(index, []).append(out.make_indirect(annot))
    for index, page_annots in annots.items():
        pages.objects[index].Annots = Array(page_annots)


def _outline(out: Pdf, pages: _Pages, bookmarks: list[Bookmark], anchors) -> None:
    def item(mark: Bookmark) -> OutlineItem | None:
        if mark.target not in anchors:
            return None
        node = OutlineItem(mark.title, pages.destination(anchors[mark.target]))
        node.children.extend(filter(None, (item(child) for child in mark.children)))
        return node

    with out.open_outline() as outline:
        outline.root.extend(filter(None, (item(mark) for mark in bookmarks)))
