"""Where a page that begins inside a block begins: the block's id and the first words of the page's
first line, so that the EPUB can put that print page's marker among the same words (pagemap.py)
rather than at the next block, a paragraph or more later."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from weasyprint.formatting_structure.boxes import Box, FootnoteAreaBox, LineBox, TextBox

WORDS = 60  # characters of the first line kept: enough to find it in its block again, once

# (id of the block the page continues, the start of its first line, how many characters of the
# block's text the pages before it hold: the words may stand in the block more than once)
PageStart = tuple[str, str, int]


def page_starts(pages: Iterable[object]) -> tuple[PageStart | None, ...]:
    """For each page (WeasyPrint's), the block it continues and its first words; None for a page
    whose first line opens a block (its marker goes before the block, by the block's id)."""
    seen: set[str] = set()
    before: dict[str, int] = {}  # block id -> characters of its lines on the pages so far
    starts: list[PageStart | None] = []
    for page in pages:
        start = None
        page_box = page._page_box  # type: ignore[attr-defined]
        flow = list(_lines(page_box.children[0], ""))
        # A page that holds nothing but a long footnote's run-on begins inside that note (notes: foot).
        area = next((box for box in page_box.children if isinstance(box, FootnoteAreaBox)), None)
        notes = [] if area is None else [(line, _note_of(line) or ident) for line, ident in _lines(area, "")]
        worded = any(_text(line).strip() for line, _ident in flow)  # (a run-on's page has empty ones)
        for line, ident in (flow if worded else notes)[:1]:
            if ident in seen and (text := _text(line).strip()):
                start = (ident, _whole_words(text[:WORDS]), before.get(ident, 0))
        for line, ident in flow + notes:
            before[ident] = before.get(ident, 0) + _length(_text(line))
        starts.append(start)
        seen.update(page.anchors)  # type: ignore[attr-defined]
    return tuple(starts)


def _lines(box: Box, ident: str) -> Iterator[tuple[LineBox, str]]:
    """The line boxes in the flow under `box`, each with the id of the innermost element around it."""
    if isinstance(box, LineBox):
        yield box, ident
        return
    element = getattr(box, "element", None)
    # A footnote's run-on pieces have no id of their own: they name their note (pdf/footnote.html).
    if element is not None and not isinstance(box, TextBox):
        ident = element.get("id") or element.get("data-note") or ident
    for child in getattr(box, "children", ()):
        yield from _lines(child, ident)


def _length(text: str) -> int:
    """What a line adds to its block's text as the EPUB reads it (pagemap._find_words): its words
    with single spaces (code keeps its indent, which that reading collapses), a space or line end
    after it (+1), but for a line that ends with a hyphen, most often one the hyphenation added
    (-1: the EPUB has neither the hyphen nor a break)."""
    words = " ".join(text.split())
    return len(words) + (-1 if words.endswith("-") else 1)


def _note_of(line: LineBox) -> str:
    """The note a line of the footnote area belongs to: its pieces are inline in the area's lines."""
    for child in line.children:
        element = getattr(child, "element", None)
        if element is not None and (note := element.get("id") or element.get("data-note")):
            return note
    return ""


def _whole_words(text: str) -> str:
    """Without the last word, which the cut may have split or the line may end hyphenated
    ("zwalnia-"): the EPUB's text has neither."""
    words = text.split()
    return " ".join(words[:-1]) if len(words) > 1 else text


def _text(box: Box) -> str:
    if isinstance(box, TextBox):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))
