"""Images and other resources: only files inside the manuscript (or kolofon's templates) are ever read.

Checked twice on purpose: every <img> is validated here before anything is laid out (so the user gets
file:line), and the WeasyPrint fetcher refuses anything else at run time (defence in depth: CSS and raw
HTML can name URLs too)."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .diagnostics import Diagnostic, error, line_of
from .model import SourceFile

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def check_image(root: Path, src: str, source: SourceFile) -> Diagnostic | None:
    pos = source.text.find(src)
    line = line_of(source.text, pos) if pos >= 0 else None
    if _SCHEME.match(src):
        return error("K502", f"image '{src[:60]}' is a URL: only files inside the manuscript folder are "
                             "used (nothing is fetched); save it under images/", source.path, line)
    if src.startswith(("/", "\\")):
        return error("K503", f"image '{src}' is an absolute path: give it relative to the manuscript",
                     source.path, line)
    target = (root / unquote(src)).resolve()
    if not target.is_relative_to(root.resolve()):
        return error("K503", f"image '{src}' points outside the manuscript folder", source.path, line)
    if not target.is_file():
        return error("K501", f"image '{src}' does not exist", source.path, line)
    return None


class ResourceRefused(FatalURLFetchingError):
    """Stops the layout: something asked for a resource outside the allowed folders."""


class ConfinedFetcher(URLFetcher):
    """Serves file: URLs under the given folders and refuses everything else (never the network)."""

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
