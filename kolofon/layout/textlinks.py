"""Links over plain text, placed from WeasyPrint's own layout: the print index's locators.

A real book's index has thousands of locators, each a link to its page. Set as one `<a>` each, they
made WeasyPrint lay out thousands of inline boxes: a 1,500-entry index (4,477 locators) took 8.55 s of
one core, 5.70 s as text with its links placed here (bench/index.py). So the print index sets an entry's
locators as one run of text in an element that names their targets and labels:

    <span data-link-targets="ix-1-4 ix-1-9" data-link-labels="12 15–17">12, 15–17</span>

and, once the pages are laid out, each label is found in the text boxes WeasyPrint made of that run
(in order, across lines, columns and pages) and gets the link an `<a>` would have had: the width of
its glyphs as Pango set them, the height of its line (WeasyPrint's hit area for inline boxes). Labels
must not break inside (a range is wrapped in a nowrap span); a label that cannot be found is left
without a link rather than given a wrong one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import FROM_UNITS, ffi

from .part import Link

TARGETS = "data-link-targets"
LABELS = "data-link-labels"


def text_links(pages: list[Any]) -> list[list[Link]]:
    """Per page of a rendered WeasyPrint document, the links of its marked runs of text."""
    pending: dict[int, list[tuple[str, str]]] = {}  # element -> (target, label) not yet found
    result: list[list[Link]] = []
    for page in pages:
        links: list[Link] = []
        for box in _marked_boxes(page._page_box):
            key = id(box.element)
            if key not in pending:
                targets = box.element.get(TARGETS, "").split()
                labels = box.element.get(LABELS, "").split()
                pending[key] = list(zip(targets, labels, strict=False))
            wanted = pending[key]
            for text in _text_boxes(box):
                _find(text, wanted, links)
        result.append(links)
    return result


def _marked_boxes(box: Any) -> Iterator[Any]:
    """The inline boxes (one per line a marked run spans) of the marked elements, in document order."""
    if isinstance(box, boxes.InlineBox) and box.element is not None and box.element.get(TARGETS) is not None:
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _marked_boxes(child)


def _text_boxes(box: Any) -> Iterator[Any]:
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from _text_boxes(child)


def _find(text: Any, wanted: list[tuple[str, str]], links: list[Link]) -> None:
    """Link the labels at the head of `wanted` that stand in this text box, in order."""
    found: list[tuple[str, int, int]] = []
    start = 0
    while wanted:
        target, label = wanted[0]
        at = _token(text.text, label, start)
        if at is None:
            break
        wanted.pop(0)
        start = at + len(label)
        found.append((target, at, start))
    if not found:
        return
    y0, y1 = text.position_y, text.position_y + text.margin_height()
    for (target, _, _), (x0, x1) in zip(found, _spans(text, [(at, end) for _, at, end in found]),
                                        strict=True):
        links.append(("internal", target, (x0, y0, x1, y1)))


def _token(text: str, label: str, start: int) -> int | None:
    """Where `label` stands in `text` from `start` as a whole locator (not a part of a longer one)."""
    at = text.find(label, start)
    while at >= 0:
        end = at + len(label)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return at
        at = text.find(label, at + 1)
    return None


def _spans(text: Any, ranges: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """The x range of each range of characters [start, end) of a text box, from the glyphs Pango set
    for its line (walked as WeasyPrint's draw_first_line walks them: left to right, from position_x)."""
    utf8 = [(len(text.text[:start].encode()), len(text.text[:end].encode())) for start, end in ranges]
    edges: dict[int, float] = {}  # byte offset -> x of the first glyph at or after it
    layout = text.pango_layout
    layout.reactivate(text.style)
    try:
        line, _ = layout.get_first_line()
        wanted = sorted({offset for pair in utf8 for offset in pair})
        x = text.position_x
        run = line.runs[0]
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            glyphs = glyph_item.glyphs
            offset = glyph_item.item.offset
            for i in range(glyphs.num_glyphs):
                cluster = offset + glyphs.log_clusters[i]
                while wanted and wanted[0] <= cluster:
                    edges[wanted.pop(0)] = x
                x += glyphs.glyphs[i].geometry.width * FROM_UNITS
    finally:
        layout.deactivate()
    return [(edges.get(start, x), edges.get(end, x)) for start, end in utf8]
