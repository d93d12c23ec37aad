"""The book's pages read from the files they were laid out in, one file open at a time, each page with
the furniture (running head, folio) drawn over it: what the assembly, the PDF/A copy and the booklet
all write, each in its own way (as pages, or as forms on sheets), without any of them reading the
whole book's PDF."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Pdf, Stream

from .pdfstream import Copier, PdfWriter, array, dictionary, number, ref

# None: one blank page, as large as the page before it; (path, n): the file's first n pages only (a
# piece of the notes laid out past the page the next piece starts on, layout/endnotes.py).
PageFile = Path | bytes | tuple[Path, int] | None
FORM = frozenset({"/Type", "/Subtype", "/BBox", "/Resources"})
DRAW_BOTH = b"q /KolofonPage Do Q q /KolofonFurniture Do Q"
# Not copied from a part's page: the page tree and its links (both rebuilt); with furniture, also what
# the overlay replaces.
_NOT_COPIED = frozenset({"/Parent", "/Annots"})
_DRAWN = frozenset({"/Contents", "/Resources"})


@dataclass(frozen=True)
class SourcePage:
    index: int  # in the book
    page: pikepdf.Page | None  # None: a blank page
    copier: Copier | None  # its file's objects, copied into the output
    size: tuple[float, float]
    furniture: tuple[Copier, pikepdf.Page] | None  # the page drawn over it, from its own file

    @property
    def trim(self) -> tuple[float, float]:
        if self.page is None:
            return self.size
        box = self.page.obj.get("/TrimBox", self.page.mediabox)
        return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def open_pdf(source: Path | bytes) -> Pdf:
    return Pdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)


def already_written(_file: Path | bytes) -> None:
    """For a reader that waits for no part: every file is written already (layout/written.py has the
    waiting kind)."""


def source_pages(out: PdfWriter, files: Sequence[PageFile], furniture: dict[int, tuple[Path, int]],
                 opener: Callable[[Path | bytes], Pdf] = open_pdf,
                 ready: Callable[[Path | bytes], None] = already_written) -> Iterator[SourcePage]:
    """Every page of `files` in order, with its furniture (book page index -> (file, page in it)).
    `opener` opens each file, furniture too (the PDF/A copy's opens it repaired), once ready(file)
    returns (a part's PDF may still be being written: layout/written.py)."""
    index = 0
    size = (0.0, 0.0)
    with _Furniture(out, furniture, opener, ready) as forms:
        for file in files:
            if file is None:
                yield SourcePage(index, None, None, size, None)
                index += 1
                continue
            path, count = file if isinstance(file, tuple) else (file, None)
            ready(path)
            with opener(path) as src:
                copier = Copier(out, src)
                for page in list(src.pages)[:count]:
                    size = (float(page.mediabox[2]), float(page.mediabox[3]))
                    yield SourcePage(index, page, copier, size, forms.form(index))
                    index += 1


class _Furniture:
    """A furniture file stays open while the pages it serves are written (they come in order)."""

    def __init__(self, out: PdfWriter, furniture: dict[int, tuple[Path, int]],
                 opener: Callable[[Path | bytes], Pdf], ready: Callable[[Path | bytes], None]):
        self.out = out
        self.furniture = furniture
        self.opener = opener
        self.ready = ready
        self._current: tuple[Path, Pdf, Copier] | None = None

    def form(self, index: int) -> tuple[Copier, pikepdf.Page] | None:
        if index not in self.furniture:
            return None
        path, page_no = self.furniture[index]
        if self._current is None or self._current[0] != path:
            self.__exit__()
            self.ready(path)
            pdf = self.opener(path)
            self._current = (path, pdf, Copier(self.out, pdf))
        _path, pdf, copier = self._current
        return copier, pdf.pages[page_no]

    def __enter__(self) -> _Furniture:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._current is not None:
            self._current[1].close()
            self._current = None


def _overlaid(out: PdfWriter, page: SourcePage) -> bytes:
    """The /Resources of a page with furniture, which DRAW_BOTH draws: its own content and then the
    furniture, both as form XObjects under fixed names (pikepdf's add_overlay picked random ones; a
    reproducible build cannot have that). Every page then has a single content stream, which the
    booklet's sheets draw as they are."""
    assert page.page is not None and page.copier is not None and page.furniture is not None
    content = _as_form(out, page.copier, page.page)
    furniture = _as_form(out, *page.furniture)
    page.furniture[0].drain()
    return b"<</XObject <</KolofonPage %s /KolofonFurniture %s>>>>" % (ref(content), ref(furniture))


def as_page(out: PdfWriter, number_: int, page: SourcePage, entries: list[tuple[str, bytes]]) -> None:
    """The page, with its furniture, as page object `number_` (what the assembly writes); `entries`:
    its /Parent and /Annots (its own links are not copied: the assembly rebuilds them)."""
    if page.page is None or page.copier is None:  # a blank page, as large as the page before it
        out.put(number_, dictionary([("/Type", b"/Page"), *entries, ("/Resources", b"<<>>"),
                                     ("/MediaBox", array(number(v) for v in (0.0, 0.0, *page.size)))]))
        return
    if page.furniture is None:
        out.put(number_, page.copier.entries(page.page.obj, _NOT_COPIED, entries))
    else:
        draw = out.reserve()
        out.put_stream(draw, b"", DRAW_BOTH)
        drawn = [("/Resources", _overlaid(out, page)), ("/Contents", ref(draw))]
        out.put(number_, page.copier.entries(page.page.obj, _NOT_COPIED | _DRAWN, [*entries, *drawn]))
    page.copier.drain()


def as_form(out: PdfWriter, page: SourcePage) -> int:
    """The page, with its furniture, as one form XObject (what the booklet's sheets place)."""
    box = array(number(v) for v in (0.0, 0.0, *page.size))
    if page.page is None or page.copier is None:
        number_ = out.reserve()
        out.put_stream(number_, dictionary([("/Type", b"/XObject"), ("/Subtype", b"/Form"), ("/BBox", box),
                                            ("/Resources", b"<<>>")])[2:-2], b"")
        return number_
    if page.furniture is None:
        number_ = _as_form(out, page.copier, page.page)
    else:
        resources = _overlaid(out, page)
        number_ = out.reserve()
        form = dictionary([("/Type", b"/XObject"), ("/Subtype", b"/Form"),
                           ("/BBox", array(number(float(v)) for v in page.page.mediabox)),
                           ("/Resources", resources)])
        out.put_stream(number_, form[2:-2], DRAW_BOTH)
    page.copier.drain()
    return number_


def _as_form(out: PdfWriter, copier: Copier, page: pikepdf.Page) -> int:
    """A page's content stream written as a form XObject (its data as stored, not decoded); a page
    with several content streams, joined once."""
    content = page.obj.get("/Contents")
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    box = array(number(float(v)) for v in page.mediabox)
    form = [("/Type", b"/XObject"), ("/Subtype", b"/Form"), ("/BBox", box),
            ("/Resources", copier.value(resources))]
    number_ = out.reserve()
    if isinstance(content, Stream):
        copier.stream(number_, content, FORM, form)
    else:  # WeasyPrint writes one stream per page; anything else is joined
        joined = b"\n".join(part.read_bytes() for part in content) if isinstance(content, Array) else b""
        entries = dictionary([*form, ("/Filter", b"/FlateDecode")])[2:-2]
        out.put_stream(number_, entries, zlib.compress(joined))
    return number_
