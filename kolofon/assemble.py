"""Pages laid out separately (chapters in parallel, cached; front matter; notes; index) joined into one
PDF with pikepdf: running heads and folios overlaid, links, bookmarks and page labels rebuilt from the
layout's own data (anchors and link boxes), so the result reads like a single-pass layout."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

PT_PER_PX = 0.75  # WeasyPrint's CSS px are 1/96 in; PDF points are 1/72 in


@dataclass(frozen=True)
class Part:
    """Laid-out pages as data: the PDF WeasyPrint wrote, and per page its anchors and links (CSS px)."""

    pdf: bytes
    anchors: tuple[dict[str, tuple[float, float]], ...]
    links: tuple[tuple[tuple[str, str, tuple[float, float, float, float]], ...], ...]

    @property
    def pages(self) -> int:
        return len(self.anchors)

    @classmethod
    def from_document(cls, document, **write_options: object) -> Part:
        anchors = tuple({k: (v[0], v[1]) for k, v in page.anchors.items()} for page in document.pages)
        links = tuple(tuple((kind, target, tuple(rect)) for kind, target, rect, _box in page.links)
                      for page in document.pages)
        for page in document.pages:
            # assemble() rebuilds every link; WeasyPrint would complain about targets in other parts.
            page.links.clear()
        return cls(document.write_pdf(**write_options), anchors, links)

    def to_json(self) -> dict:
        return {"anchors": [{k: list(v) for k, v in a.items()} for a in self.anchors],
                "links": [[[k, t, list(r)] for k, t, r in page] for page in self.links]}

    @classmethod
    def from_json(cls, pdf: bytes, data: dict) -> Part:
        return cls(pdf, tuple({k: (v[0], v[1]) for k, v in a.items()} for a in data["anchors"]),
                   tuple(tuple((k, t, tuple(r)) for k, t, r in page) for page in data["links"]))


@dataclass(frozen=True)
class Bookmark:
    title: str
    target: str
    children: tuple[Bookmark, ...] = ()


def assemble(sequence: list[Part | None], furniture: dict[int, tuple[Part, int]], bookmarks: list[Bookmark],
             front_pages: int, info_from: Part) -> bytes:
    """Join the parts in order (None = one blank page), overlay `furniture` (global page index ->
    (part, page in part)) on the pages it serves, and rebuild links, bookmarks and page labels."""
    out = Pdf.new()
    opened = [Pdf.open(io.BytesIO(part.pdf)) for part in sequence if part is not None]
    sources = iter(opened)
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, str, str, tuple[float, float, float, float]]] = []
    size = None
    for part in sequence:
        if part is None:
            out.add_blank_page(page_size=size)
            continue
        src = next(sources)
        for i, page in enumerate(src.pages):
            index = len(out.pages)
            out.pages.append(page)
            size = (float(page.mediabox[2]), float(page.mediabox[3]))
            for name, (x, y) in part.anchors[i].items():
                anchors.setdefault(name, (index, x, y))
            links += [(index, kind, target, rect) for kind, target, rect in part.links[i]]
    for src in opened:
        src.close()
    furniture_pdfs: dict[int, Pdf] = {}
    for index, (part, page_no) in sorted(furniture.items()):
        if id(part) not in furniture_pdfs:
            furniture_pdfs[id(part)] = Pdf.open(io.BytesIO(part.pdf))
        fp = furniture_pdfs[id(part)]
        _overlay(out, out.pages[index], out.copy_foreign(fp.pages[page_no].as_form_xobject()))
    for page in out.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    _links(out, links, anchors)
    _outline(out, bookmarks, anchors)
    out.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.r), front_pages,
                                                 Dictionary(S=Name.D, St=1)]))
    with Pdf.open(io.BytesIO(info_from.pdf)) as first:
        for key, value in first.docinfo.items():
            out.docinfo[key] = pikepdf.String(str(value))
        if "/Lang" in first.Root:
            out.Root.Lang = pikepdf.String(str(first.Root.Lang))
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for fp in furniture_pdfs.values():
        fp.close()
    return buffer.getvalue()


def _overlay(out: Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    """Draw `form` over the page under a fixed name (pikepdf's add_overlay picks a random one, and a
    reproducible build cannot have that)."""
    # WeasyPrint shares one resource dictionary between pages: each page gets its own (shallow) copy.
    resources = Dictionary(dict(page.obj.get("/Resources", Dictionary()).items()))
    resources.XObject = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
    resources.XObject[Name("/KolofonFurniture")] = form
    page.obj.Resources = resources
    page.contents_add(out.make_stream(b"q"), prepend=True)
    page.contents_add(out.make_stream(b"Q q /KolofonFurniture Do Q"))


def _destination(out: Pdf, anchor: tuple[int, float, float]) -> Array:
    index, x, y = anchor
    height = float(out.pages[index].mediabox[3])
    return Array([out.pages[index].obj, Name.XYZ, x * PT_PER_PX, height - y * PT_PER_PX, 0])


def _links(out: Pdf, links, anchors) -> None:
    for index, kind, target, (x1, y1, x2, y2) in links:
        page = out.pages[index]
        height = float(page.mediabox[3])
        rect = [x1 * PT_PER_PX, height - y2 * PT_PER_PX, x2 * PT_PER_PX, height - y1 * PT_PER_PX]
        annot = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), F=4,
                           Border=Array([0, 0, 0]))
        if kind == "internal":
            if target not in anchors:
                continue
            annot.Dest = _destination(out, anchors[target])
        elif kind == "external":
            annot.A = Dictionary(S=Name.URI, URI=pikepdf.String(target))
        else:
            continue
        if "/Annots" not in page.obj:
            page.obj.Annots = Array()
        page.obj.Annots.append(out.make_indirect(annot))


def _outline(out: Pdf, bookmarks: list[Bookmark], anchors) -> None:
    def item(mark: Bookmark) -> OutlineItem | None:
        if mark.target not in anchors:
            return None
        node = OutlineItem(mark.title, _destination(out, anchors[mark.target]))
        node.children.extend(filter(None, (item(child) for child in mark.children)))
        return node

    with out.open_outline() as outline:
        outline.root.extend(filter(None, (item(mark) for mark in bookmarks)))
