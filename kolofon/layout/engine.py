"""The worker side of the layout: WeasyPrint lays out one HTML document and writes its PDF.

The only module that imports WeasyPrint. It runs in the build's worker processes (kolofon.workers),
each of which keeps one FontConfiguration for every part it lays out (loading fonts is not free); the
main process never imports WeasyPrint at all."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..model import Book
from ..render import Renderer
from .clibs import loader_cache_only
from .part import Job, PageCache, Part, write_atomic

with loader_cache_only():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


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
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


_fonts: FontConfiguration | None = None  # this worker's, for every part it lays out


def fonts() -> FontConfiguration:
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


def render(job: Job) -> weasyprint.Document:
    return weasyprint.HTML(string=job.html, base_url=job.base_url,
                           url_fetcher=ConfinedFetcher(*job.roots)).render(font_config=fonts())


def lay_out(job: Job) -> Part:
    """Lay the document out, write its PDF to job.pdf, and return the pages' anchors and links."""
    document = render(job)
    anchors = tuple({k: (v[0], v[1]) for k, v in page.anchors.items()} for page in document.pages)
    links = tuple(tuple((kind, target, tuple(rect)) for kind, target, rect, _box in page.links)
                  for page in document.pages)
    for page in document.pages:
        # The assembly rebuilds every link; WeasyPrint would complain about targets in other parts.
        page.links.clear()
    with source_date(job.moment):
        write_atomic(job.pdf, document.write_pdf())
    part = Part(job.pdf, anchors, links)
    PageCache.save(part)
    return part


def chapter_jobs(book: Book, renderer: Renderer) -> list[Job]:
    """The chapters exactly as a build lays them out (for the benchmark's engine limit)."""
    from ..dates import build_time
    from .typesetter import Typesetter

    typesetter = Typesetter(book.config, book.root, renderer, None, None,  # type: ignore[arg-type]
                            build_time(book.config))
    return typesetter.chapter_jobs(book)


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
