"""Running heads that fit their line. A head too long for it (a long book or chapter title on an A6
page) is cut after the last whole word that fits, with an ellipsis: the style sheet's own cut
(text-overflow: ellipsis, running.css) falls mid-word ("…in Good Or…"), and stays as a guard only.
The head is measured with HarfBuzz in the face running.css sets it in (the body's italic)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

from ..design import Design
from .geometry import Geometry

_MM_TO_PT = 72 / 25.4
_SHARE = 0.8  # of the text's width: the head's margin box (running.css, @top-center)
_SAFETY = 0.97  # kerning and ligatures the measure leaves out: a head a little short of the edge is fine
_TRAILING = " ,;:–—-"


@lru_cache(maxsize=8)
def _font(path: Path) -> tuple[hb.Font, int]:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


def width(text: str, font: Path, size: float) -> float:
    """The text's advance in points at `size`."""
    if not text:
        return 0.0  # (HarfBuzz gives no positions at all for an empty buffer)
    hb_font, upem = _font(font)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb_font, buf, {"kern": True, "liga": True})
    return sum(pos.x_advance for pos in buf.glyph_positions) * size / upem


def fit(text: str, font: Path, size: float, room: float) -> str:
    """`text`, or its longest run of whole words that fits `room` points with an ellipsis after it."""
    if width(text, font, size) <= room:
        return text
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):
        if len(words[n - 1].strip(_TRAILING)) == 1 and n > 1:
            continue  # "…porównawczym i…": a one-letter word does not end the cut
        cut = " ".join(words[:n]).rstrip(_TRAILING) + "…"
        if width(cut, font, size) <= room:
            return cut
    return text  # one word longer than the line: the style sheet's ellipsis cuts it


def head_fitter(design: Design, geometry: Geometry):
    """A function that fits a head to this book's running-head line."""
    italic = next((f.path for f in design.faces if f.family == design.body_family
                   and (f.style, f.weight) == ("italic", 400)), design.regular(design.body_family))
    room = (geometry.width - geometry.inner - geometry.outer) * _MM_TO_PT * _SHARE * _SAFETY

    @lru_cache(maxsize=256)  # a chapter's pages all carry its one head
    def fitted(text: str) -> str:
        return fit(text, italic, geometry.head_size, room)
    return fitted
