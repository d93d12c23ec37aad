"""Tables wider than the measure, set smaller until they fit.

CSS has no "shrink to fit" for a table: one whose columns cannot be narrower than their words (a
dozen columns of figures on an A5 page) ran past the page's edge, and its right-hand columns were cut
off without a word. After the layout, each table wider than the room it had is laid out again at the
size that makes it fit (its padding in em shrinks with it), down to three fifths of the text's size;
a table still too wide at that size may break its words anywhere rather than lose them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

SMALLEST = 0.6  # of the text's size: smaller is no longer read comfortably in print
ROUNDS = 2  # layouts after the first: the second catches what the first estimate missed
SLACK = 0.5  # px a table may overhang (rounding)


@dataclass(frozen=True)
class Wide:
    ident: str
    size: float  # px: the table's font size now
    text: float  # px: the size of the text around it
    share: float  # of its width that would fit
    caption: float | None  # px: its caption's size, which stays (the caption is set in the measure)


def too_wide(pages: list[Any]) -> list[Wide]:
    """Each table (with an id) wider than its room."""
    found: dict[str, Wide] = {}
    for page in pages:
        stack = [(child, page._page_box) for child in page._page_box.children]
        while stack:
            box, parent = stack.pop()
            if getattr(box, "is_table_wrapper", False):  # a table and its caption
                _measure(parent, box, found)
            elif isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.LineBox):
                stack.extend((child, box) for child in box.children)
    return list(found.values())


def _measure(parent: Any, wrapper: Any, found: dict[str, Wide]) -> None:
    table = wrapper.get_wrapped_table()
    if table is None:  # only the caption on this page, its rows on the next (a traceback, QA sweep)
        return
    ident = table.element.get("id") if table.element is not None else None
    room, width = parent.width, table.margin_width()
    if ident and width > room + SLACK and (ident not in found or room / width < found[ident].share):
        caption = next((c.style["font_size"] for c in wrapper.children
                        if isinstance(c, boxes.TableCaptionBox)), None)
        found[ident] = Wide(ident, table.style["font_size"], parent.style["font_size"], room / width, caption)


def broken(wide: list[Wide]) -> list[str]:
    """The tables already at the smallest size and still too wide: `narrowed` breaks their words."""
    return sorted(t.ident for t in wide if t.size <= SMALLEST * t.text + 0.01)


def narrowed(html: str, wide: list[Wide]) -> str:
    """The document with a rule for each wide table: a size that fits, or the smallest with words
    broken anywhere."""
    rules = []
    for table in sorted(wide, key=lambda t: t.ident):
        smallest = SMALLEST * table.text
        size = max(smallest, table.size * table.share * 0.98)
        rules.append(f"#{table.ident} {{ font-size: {size:.2f}px; }}")
        if table.caption is not None:
            rules.append(f"#{table.ident} > caption {{ font-size: {table.caption:.2f}px; }}")
        if table.ident in broken([table]):  # already at the smallest size: break words rather than lose them
            rules.append(f"#{table.ident} th, #{table.ident} td {{ overflow-wrap: anywhere; }}")
    # In the body, as the furniture's page rule: the head's styles stay those every part shares.
    style = "<style>" + " ".join(rules) + "</style>"
    end = html.rfind("</body>")
    return html[:end] + style + html[end:] if end >= 0 else html + style
