"""Images and other resources: only files inside the manuscript (or kolofon's templates) are ever read.

Checked twice on purpose: every <img> is validated here before anything is laid out (so the user gets
file:line), and the layout's fetcher (layout/engine.py) refuses anything else at run time (defence in
depth: CSS and raw HTML can name URLs too)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..diagnostics import Diagnostic, error, line_of, warning
from ..model import SourceFile

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


def print_resolution(root: Path, src: str, source: SourceFile, text_width_mm: float) -> Diagnostic | None:
    """A warning for an image below 300 ppi at its printed size: the layout sets an image at its own
    size in CSS pixels (96 to the inch), never wider than the text block."""
    from PIL import Image

    try:
        with Image.open(root / unquote(src)) as image:
            width = image.size[0]
    except OSError:
        return None  # not an image Pillow reads (SVG): nothing to measure
    printed_in = min(width / 96, text_width_mm / 25.4)
    ppi = width / printed_in
    if ppi >= 300:
        return None
    pos = source.text.find(src)
    line = line_of(source.text, pos) if pos >= 0 else None
    return warning("K506", f"image '{src}' prints at {ppi:.0f} ppi ({width} px across "
                           f"{printed_in * 25.4:.0f} mm): a print shop wants 300; give it at least "
                           f"{round(300 * printed_in)} px across, or set it smaller", source.path, line)


_IMG_RE = re.compile(r"<img\b[^>]*>")
_ALT_RE = re.compile(r'\salt="([^"]*)"')
_SRC_RE = re.compile(r'\ssrc="([^"]*)"')


def without_alt(body_html: str) -> tuple[int, list[str]]:
    """(how many images the HTML shows, the sources of those without a text alternative)."""
    tags = _IMG_RE.findall(body_html)
    bare = [tag for tag in tags if not (alt := _ALT_RE.search(tag)) or not alt.group(1).strip()]
    return len(tags), [unquote(src.group(1)) if (src := _SRC_RE.search(tag)) else "?" for tag in bare]


def missing_alt(body_html: str, source: SourceFile) -> list[Diagnostic]:
    """Images without a text alternative: a reader who cannot see them (screen readers, the EPUB's
    accessibility claim) gets nothing. A warning; --strict makes it an error."""
    diags = []
    after: dict[str, int] = {}  # the same picture without words twice: each at its own line
    for name in without_alt(body_html)[1]:
        # The Markdown image with empty brackets, not the first mention of its file (a figure of the
        # same picture with a caption may come first); raw HTML's <img> falls back to the file name.
        empty = re.compile(rf"!\[\s*\]\(\s*<?{re.escape(name)}")
        found = empty.search(source.text, after.get(name, 0))
        pos = found.start() if found else source.text.find(name)
        after[name] = pos + 1
        line = line_of(source.text, pos) if pos >= 0 else None
        diags.append(warning("K507", f"image '{name}' has no text alternative: describe it between the "
                                     "brackets, ![what it shows](…)", source.path, line))
    return diags
