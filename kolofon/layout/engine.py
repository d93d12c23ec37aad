"""The worker side of the layout: WeasyPrint lays out one HTML document and writes its PDF.

The only module that imports WeasyPrint. It runs in the build's layout server and its children
(server.py), which share one FontConfiguration for every part they lay out (loading fonts is not
free); the main process never imports WeasyPrint at all."""

from __future__ import annotations

import dataclasses
import gc
import mimetypes
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from ..source.images import drawable
from .clibs import loader_cache_only
from .deferred import DEFERRED, deferred
from .ffi import compiled_bindings
from .part import Anchors, Job, Link, PageCache, Part, named_files, write_atomic
from .subset import subset_font

with loader_cache_only(), deferred(DEFERRED), compiled_bindings():
    import weasyprint
    from weasyprint.formatting_structure.boxes import InlineBox
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# After the block above: they import WeasyPrint too.
from . import columns, footnotes, hyphens, leaders, linebreak, pagestyles, widetables
from .pagestarts import PageStart, page_starts
from .textlinks import TARGETS, text_links

if TYPE_CHECKING:  # the layout server never imports Jinja, YAML or the document model (~0.1 s)
    from ..model import Book
    from ..render import Renderer


def _subset(font: Font, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint 70's Font.subset, with kolofon's subsetter (subset.py says why); a font HarfBuzz
    cannot subset is embedded whole, as WeasyPrint does."""
    subset = subset_font(font.file_content, font.index, to_unicode, hinting, bool(font.missing))
    if subset is not None:
        font.file_content = subset


Font.subset = _subset
columns.install()
footnotes.install()
hyphens.install()
leaders.install()
linebreak.install()
pagestyles.install()


class ResourceRefused(FatalURLFetchingError):
    """Stops the layout: something asked for a resource outside the allowed folders."""


class ConfinedFetcher(URLFetcher):
    """Serves file: URLs under the given folders and refuses everything else (never the network).
    Images were checked with file:line before the layout (source/images.py); this is defence in depth,
    since CSS and raw HTML can name URLs too."""

    def __init__(self, *roots: Path):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)
        self.roots = tuple(r.resolve() for r in roots)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve()
        if parsed.scheme != "file" or not any(path.is_relative_to(r) for r in self.roots):
            raise ResourceRefused(f"refused to fetch {url[:80]}: outside the manuscript and templates")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = path.read_bytes()
        # An image in a mode WeasyPrint mishandles (a 16-bit grey scan, a CMYK TIFF) as an 8-bit PNG
        # it draws correctly; every other file as it is (source/images.py says which).
        if (converted := drawable(body, mime)) is not None:
            # Not a file: URL, or WeasyPrint would embed the file it names rather than these bytes.
            return URLFetcherResponse(f"kolofon-converted:{url}", body=converted,
                                      headers={"Content-Type": "image/png"})
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})


_fonts: FontConfiguration | None = None  # this worker's, for every part it lays out


def fonts() -> FontConfiguration:
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


_HEAD_END = re.compile(r"</head\s*>", re.I)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_sheets: dict[tuple[str, str, tuple[Path, ...]], weasyprint.CSS] = {}  # this worker's parsed stylesheets
# The files they name (fonts), as they were when parsed: WeasyPrint loads a font face once per
# FontConfiguration, so a font replaced under the same name (a --watch session) needs a fresh one.
_sheet_files: dict[Path, tuple[int, int]] = {}
MAX_SHEETS = 16  # a build has a few distinct stylesheets (one per kind of part): more means a --watch
                 # session whose styles were edited


def render(job: Job) -> weasyprint.Document:
    html, sheets = _parsed_styles(job)
    fetcher = ConfinedFetcher(*job.roots)
    return weasyprint.HTML(string=html, base_url=job.base_url, url_fetcher=fetcher).render(
        font_config=fonts(), stylesheets=sheets)


def _parsed_styles(job: Job) -> tuple[str, list[weasyprint.CSS]]:
    """The document without its <style> elements, and those parsed, each once per worker: every part
    of a book carries the same ~11 kB of CSS, and parsing it (with its @font-face rules) took ~15 ms
    of every part, a sixth of a running-head part's layout (measured).

    WeasyPrint takes them as user stylesheets. Their rules keep their order among themselves; what
    changes is only their origin against the document's style attributes, which beat them as they
    beat any <style> rule (kolofon's templates mark nothing !important). A head with anything else
    (a <link>, a <style> with attributes, @counter-style rules, which belong to one document) is left
    as it is."""
    head_end = _HEAD_END.search(job.html)
    if head_end is None:
        return job.html, []
    head = job.html[:head_end.start()]
    texts = _STYLE.findall(head)
    rest = _STYLE.sub("", head)
    if not texts or "<style" in rest or "<link" in rest or any("@counter-style" in t for t in texts):
        return job.html, []
    _forget_changed_fonts()
    sheets = []
    for text in texts:
        key = (text, job.base_url, job.roots)
        if key not in _sheets:
            if len(_sheets) >= MAX_SHEETS:
                _sheets.pop(next(iter(_sheets)))
            for path in named_files(text):
                _sheet_files[path] = _stat(path)
            _sheets[key] = weasyprint.CSS(string=text, base_url=job.base_url,
                                          url_fetcher=ConfinedFetcher(*job.roots), font_config=fonts())
        sheets.append(_sheets[key])
    return rest + job.html[head_end.start():], sheets


def _forget_changed_fonts() -> None:
    """A font replaced under the same name (a --watch session): start again with fresh fonts."""
    if any(_stat(path) != seen for path, seen in _sheet_files.items()):
        forget()


def forget(inherited: bool = False) -> None:
    """No fonts, styles or warm-up kept: a worker starts with none, even when forked from a process
    that laid something out (a test run that builds books in-process after laying out parts).
    `inherited`: the fonts are the parent's, and so is their folder, which WeasyPrint deletes when
    its FontConfiguration goes: the parent would lose its font files."""
    global _fonts
    if inherited and _fonts is not None:
        _fonts._folder = None
    _fonts = None
    _sheets.clear()
    _sheet_files.clear()
    _heads.clear()


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def lay_out(job: Job, laid: Callable[[Part], None] | None = None) -> Part:
    """Lay the document out, write its PDF to job.pdf, and return the pages' anchors and links.
    `laid` is given them as soon as the pages are known, before the PDF is written (a fifth of a
    chapter's time): the main process places the part meanwhile (server.py)."""
    squeezed: list[str] = []
    starts: list[PageStart | None] = []

    made: list[Part] = []

    def known(anchors: tuple[Anchors, ...], links: tuple[tuple[Link, ...], ...]) -> None:
        # Saved before the PDF is written: the tools read it as soon as the main process has every
        # part, and wait for the PDF itself (written.py). The cache takes an entry only with its PDF.
        made.append(Part(job.pdf, anchors, links, tuple(squeezed), tuple(starts)))
        PageCache.save(made[0])
        if laid is not None:
            laid(made[0])

    pdf, _anchors, _links = laid_out(job, squeezed, starts, known)
    write_atomic(job.pdf, pdf)
    return made[0]


def laid_out(job: Job, squeezed: list[str] | None = None, starts: list[PageStart | None] | None = None,
             known: Callable[[tuple[Anchors, ...], tuple[tuple[Link, ...], ...]], None] | None = None,
             ) -> tuple[bytes, tuple[Anchors, ...], tuple[tuple[Link, ...], ...]]:
    """The document's PDF and its pages' anchors and links (also what the benchmark times);
    `squeezed` receives the ids of tables whose words had to break to fit, `starts` where each page
    begins when it begins inside a block (pagestarts.py); `known` is given the anchors and links
    before the PDF is written."""
    document = render(job)
    for _round in range(widetables.ROUNDS):
        wide = widetables.too_wide(document.pages)
        if not wide:
            break
        if squeezed is not None:
            squeezed.extend(i for i in widetables.broken(wide) if i not in squeezed)
        job = dataclasses.replace(job, html=widetables.narrowed(job.html, wide))
        document = render(job)
    anchors = tuple({k: (v[0], v[1]) for k, v in page.anchors.items()} for page in document.pages)
    if starts is not None:
        starts.extend(page_starts(document.pages))
    marked = text_links(document.pages) if TARGETS in job.html else [[] for _ in document.pages]
    links = tuple((*((kind, target, _clickable(rect, box)) for kind, target, rect, box in page.links), *extra)
                  for page, extra in zip(document.pages, marked, strict=True))
    for page in document.pages:
        # The assembly rebuilds every link; WeasyPrint would complain about targets in other parts.
        page.links.clear()
    if known is not None:
        known(anchors, links)
    with source_date(job.moment):
        return document.write_pdf(), anchors, links


def _clickable(rect: tuple[float, ...], box: object) -> tuple[float, ...]:
    """A link's rectangle. WeasyPrint gives an inline box's link the height of its line, and a note
    call has none (line-height: 0, so that the raised number does not open up its line): a rectangle
    without height cannot be clicked, so such a link gets the box's border area (its glyphs' height),
    the hit area CSS gives every other box."""
    x1, y1, x2, y2 = rect
    if y2 > y1 or not isinstance(box, InlineBox):
        return tuple(rect)
    top = box.border_box_y()
    return (x1, top, x2, top + box.border_height())


# A few words in each face the templates use, to load the fonts; a part's head names the faces.
_SAMPLE = ("<h1>Ab</h1><h2>Ab</h2><p>Ab <em>ab</em> <strong>ab</strong> <strong><em>ab</em></strong> 1</p>"
           "</body>")
_heads: dict[str, bool] = {}  # the heads (styles) of the parts this process has forked for: warmed up?


def warm_up(job: Job, now: bool = False) -> None:
    """Called by the layout server before it forks a child for `job` (server.py): the second time
    a kind of part (its head) comes, parse its styles and lay out a few words with them here, so that
    every later child starts with the fonts loaded and the styles parsed. A fresh child's first part
    took ~0.09 s more than its next ones (measured on the 500-page book, 28 children: ~2.5 CPU-s);
    a warm-up costs about twice that, so the kinds laid out once (notes, index, front matter) are not
    warmed up for. `now`: at once (the chapters' head, sent while the main process converts)."""
    body = job.html.find("<body")
    head = job.html[:body] if body >= 0 else job.html
    _forget_changed_fonts()
    if head not in _heads:
        if len(_heads) >= MAX_SHEETS:
            _heads.clear()
        _heads[head] = False
        if not now:
            return
    if _heads[head]:
        return
    _heads[head] = True
    try:
        with source_date(job.moment):
            render(dataclasses.replace(job, html=f"{head}<body>{_SAMPLE}</html>")).write_pdf()
    except (Exception, FatalURLFetchingError):  # only a head start: the part's own layout reports it
        pass
    hyphens.preload(head)  # (the sample's lines are too short to be hyphenated)
    gc.collect()  # the sample's garbage, before the server freezes what its children inherit (server.py)


def chapter_jobs(book: Book, renderer: Renderer) -> list[Job]:
    """The chapters exactly as a build lays them out (for the benchmark's engine limit)."""
    from .typesetter import Typesetter

    return Typesetter.for_jobs(book, renderer).chapter_jobs(book)


def raw_layout(job: Job) -> bytes:
    """WeasyPrint alone on a job (the benchmark's engine limit): render and write, nothing else."""
    with source_date(job.moment):
        return render(job).write_pdf()


@contextmanager
def source_date(moment: float) -> Iterator[None]:
    """fontTools stamps each font subset with the clock unless SOURCE_DATE_EPOCH says otherwise."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
