"""A fix to WeasyPrint 70's leaders (`content: leader(". ")`, the contents' dots to a page number).

WeasyPrint widens a line's leader by the containing block's width less the widths of the line's
boxes, as if the line started at the block's edge. A first line with a negative text-indent (the
contents' hanging indent: a wrapped title's second line is indented under the first) starts left of
it, so its page number ended that much short of the right edge, out of line with the numbers of
wrapped titles (seen on an A6 contents page). The width is measured from where the line's boxes
start. And a line's dots are one text, not one text each (_one_run). Otherwise this is WeasyPrint's
handle_leader (weasyprint/layout/leader.py, BSD, pinned 70.0); the changed lines are marked."""

from __future__ import annotations

from math import inf
from typing import Any

from weasyprint.layout import inline
from weasyprint.layout.leader import leader_index
from weasyprint.text import line_break


def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    """Find a leader box in ``line`` and handle its text and its position."""
    index, leader_box = leader_index(line)
    extra_width = 0
    if index is not None and leader_box.children:
        text_box, = leader_box.children
        if text_box.width <= 0:
            return
        in_flow = [child for child in line.children if child.is_in_normal_flow()]
        # kolofon: from where the boxes start (text-indent, alignment), not from the block's edge.
        start = min((child.position_x for child in in_flow), default=line.position_x)
        extra_width = (line.position_x + containing_block.width) - start - sum(
            child.margin_width() for child in in_flow)
        for shape in context.excluded_shapes:
            if shape.position_y + shape.height > line.position_y:
                extra_width -= shape.width
        available_width = extra_width + text_box.width
        line.width = containing_block.width
        number_of_leaders = int(line.width // text_box.width)
        position_x = line.position_x + line.width
        children = []
        for _ in range(number_of_leaders):
            position_x -= text_box.width
            if position_x < leader_box.position_x:
                continue  # no leaders behind the text on the left
            if position_x + text_box.width > leader_box.position_x + available_width:
                continue  # nor behind the text on the right
            text_box = text_box.copy()
            text_box.position_x = position_x
            children.append(text_box)
        leader_box.children = _one_run(context, children) or tuple(children)  # kolofon
        if line.style["direction"] == "rtl":
            leader_box.translate(dx=-extra_width)
    # Widen leader parent boxes and translate following boxes
    box = line
    while index is not None:
        for child in box.children[index[0] + 1:]:
            if child.is_in_normal_flow():
                child.translate(dx=extra_width if line.style["direction"] == "ltr" else -extra_width)
        box = box.children[index[0]]
        box.width += extra_width
        index = index[1]


def _one_run(context: Any, dots: list[Any]) -> tuple[Any] | None:
    """The line's dots as one text box, when it sets them where they stood: WeasyPrint
    draws each ". " as a text of its own, and the contents' ~1,400 of them were most of the front
    matter's writing (0.13 of its 0.21 s for a 24-chapter book, measured). The run is shaped as a
    whole; if that moves any dot (kerning between a space and a dot, a ligature), the dots stay apart.
    (In the PDF a run's glyph advances are thousandths of an em, truncated: a line's last dot may
    stand up to ~0.05 pt off where it stood alone, 0.02 mm, well below a print shop's dot.)"""
    if len(dots) < 2 or dots[0].style["direction"] != "ltr":
        return None
    one = dots[0]
    text = one.text * len(dots)
    layout, length, resume, width, _height, _baseline = line_break.split_first_line(
        text, one.style, context, inf, one.justification_spacing, is_line_start=False)
    if resume is not None or length != len(text) or abs(width - one.width * len(dots)) > 1e-6 * len(dots):
        return None
    run = one.copy_with_text(text)
    run.pango_layout, run.width = layout, width
    run.position_x = min(dot.position_x for dot in dots)
    return (run,)


def install() -> None:
    inline.handle_leader = handle_leader
