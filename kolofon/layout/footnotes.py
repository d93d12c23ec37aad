"""A fix to WeasyPrint 70's footnotes: a note moved off the page of its call, leaving its rule behind.

When a line overflows the page and breaking before it would leave a single line behind (orphans),
WeasyPrint moves the page's last footnotes to the next page until the line fits
(`_linebox_layout`, weasyprint/layout/block.py), whatever their footnote-policy. kolofon sets a long
note as pieces (noteplace.py): an empty block that starts each paragraph, then the opening piece,
whose policy is `line` (it must share its call's page), then pieces that may run on. Moving the
opening piece took the whole note to the next page while its call and its empty block stayed, so a
page ended with a footnote rule over nothing and some lines of white (seen on an A6 page).

Here only footnotes that may run on (policy `auto`) are moved, an empty block left last goes with
the piece after it, and when moving them does not make the line fit they are put back before the
page breaks where it would have without footnotes; and the footnotes moved go before those already
waiting for the next page, not after them (a long note ran on out of order); and a footnote behind
others that wait for the next page waits too, without pushing its line there (a long note's run-on
left a chapter's opening page with its title alone). The function below is WeasyPrint 70.0's
`_linebox_layout` (BSD-3-Clause, Copyright (c) 2011-2025, Simon Sapin and contributors), unchanged
but for the lines marked "kolofon"; weasyprint is pinned to 70.0 in pyproject.toml."""


from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block
from weasyprint.layout.block import _break_line, collapse_margin, remove_placeholders
from weasyprint.layout.inline import iter_line_boxes

WEASYPRINT_LINEBOX_LAYOUT = block._linebox_layout  # what install() replaces (the tests put it back)


def _movable(footnote: Any) -> bool:
    """A footnote that may go to a later page than its call's line."""
    return footnote.style["footnote_policy"] == "auto"


def _empty(footnote: Any) -> bool:
    return not any(isinstance(b, boxes.TextBox) and b.text for b in footnote.descendants())


def _carry_breaks(context: Any) -> int:
    """Empty blocks left last on the page (a paragraph's start whose text went on) go on too."""
    moved = 0
    while context.current_page_footnotes and _empty(context.current_page_footnotes[-1]):
        context.report_footnote(context.current_page_footnotes[-1])
        moved += 1
    return moved


def _restore(context: Any, count: int) -> None:
    """The last `count` footnotes moved to the next page come back, in their order."""
    if not count:
        return
    moved = context.reported_footnotes[-count:]
    del context.reported_footnotes[-count:]
    context.current_page_footnotes.extend(reversed(moved))
    context._update_footnote_area()


def _first_in_order(context: Any, count: int) -> None:
    """The last `count` footnotes reported (last one first) go to the head of the next page's."""
    if not count:
        return
    moved = context.reported_footnotes[-count:]
    del context.reported_footnotes[-count:]
    context.reported_footnotes[:0] = reversed(moved)


def install() -> None:
    block._linebox_layout = linebox_layout


def linebox_layout(context: Any, box: Any, index: int, child: Any, new_children: list[Any],  # kolofon: hints
                   page_is_empty: bool, absolute_boxes: list[Any], fixed_boxes: list[Any],
                   adjoining_margins: list[float], bottom_space: float, position_y: float,
                   skip_stack: Any, first_letter_style: Any, first_line_style: Any,
                   draw_bottom_decoration: bool, max_lines: int | None) -> tuple[Any, ...]:
    abort = stop = False
    resume_at = None
    new_footnotes = []

    assert len(box.children) == 1, 'line box with siblings before layout'

    if adjoining_margins:
        position_y += collapse_margin(adjoining_margins)
    new_containing_block = box
    lines_iterator = iter_line_boxes(
        context, child, position_y, bottom_space, skip_stack, new_containing_block,
        absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
    for i, (line, resume_at) in enumerate(lines_iterator):  # noqa: B007
        # Break box if we reached max-lines
        if max_lines is not None:
            if max_lines == 0:
                new_children[-1].block_ellipsis = box.style['block_ellipsis']
                break
            max_lines -= 1

        # Update line resume_at and position_y
        line.resume_at = resume_at
        new_position_y = line.position_y + line.height

        # Add bottom padding and border to the bottom position of the
        # box if needed
        draw_bottom_decoration |= resume_at is None
        if draw_bottom_decoration:  # noqa: SIM108
            offset_y = box.border_bottom_width + box.padding_bottom
        else:
            offset_y = 0

        # Allow overflow if the first line of the page is higher than the page itself so
        # that we put *something* on this page and can advance in the context.
        overflow = (
            (new_children or not page_is_empty) and
            context.overflows_page(bottom_space, new_position_y + offset_y))
        if overflow:
            # If we couldn’t break the line before but can break now, first try to
            # report footnotes and see if we don’t overflow.
            could_break_before = can_break_now = True
            needed = box.style['widows'] - 1
            for next_line, _ in lines_iterator:
                needed -= 1
                remove_placeholders(
                    context, next_line.children, absolute_boxes, fixed_boxes)
                # Don’t iterate over all lines as it can be long.
                if needed == -1:
                    break
            if len(new_children) + 1 < box.style['orphans']:  # noqa: SIM114
                can_break_now = False
            elif needed >= 0:
                can_break_now = False
            if len(new_children) < box.style['orphans']:  # noqa: SIM114
                could_break_before = False
            elif needed > 0:
                could_break_before = False
            needed = max(0, needed)
            report = not context.in_column and can_break_now and not could_break_before
            reported_footnotes = 0
            # kolofon: only what may run on to the next page is moved there (_movable), and if
            # moving it does not make the line fit, it is put back (_restore) before the page breaks.
            while report and context.current_page_footnotes and _movable(context.current_page_footnotes[-1]):
                context.report_footnote(context.current_page_footnotes[-1])
                reported_footnotes += 1
                if not context.overflows_page(bottom_space, new_position_y + offset_y):
                    reported_footnotes += _carry_breaks(context)
                    new_children.append(line)
                    stop = True
                    break
            else:
                _restore(context, reported_footnotes)
                reported_footnotes = 0
                abort, stop, resume_at = _break_line(
                    context, box, line, new_children, needed, page_is_empty, index,
                    skip_stack, resume_at, absolute_boxes, fixed_boxes)

            # kolofon: the footnotes moved here were reported starting from the last one, and they
            # come before every footnote already waiting for the next page (a piece of a long note
            # that did not fit on a line further up was waiting there): put them first, in their order.
            # WeasyPrint only reversed them, after the waiting ones, and a long note ran on out of order.
            _first_in_order(context, reported_footnotes)

            break

        # TODO: this is incomplete.
        # See https://drafts.csswg.org/css-page-3/#allowed-pg-brk
        # "When an unforced page break occurs here, both the adjoining
        #  ‘margin-top’ and ‘margin-bottom’ are set to zero."
        # See issue #115.
        elif page_is_empty and context.overflows_page(bottom_space, new_position_y):
            # Remove the top border when a page is empty and the box is
            # too high to be drawn in one page
            new_position_y -= box.margin_top
            line.translate(0, -box.margin_top)
            box.margin_top = 0

        if context.footnotes:
            break_linebox = False
            footnotes = (
                descendant.footnote for descendant in line.descendants()
                if descendant.footnote in context.footnotes)
            for footnote in footnotes:
                # kolofon: a footnote behind others that wait for the next page (a long note running
                # on) cannot stand on this page whatever its line does: it waits too, and its line stays
                # (as TeX keeps a call's line). Pushing the line left a chapter's opening page with its
                # title alone, and a page with a line or two over a gap (QA sweep).
                behind = bool(context.reported_footnotes)
                overflow = context.layout_footnote(footnote)
                new_footnotes.append(footnote)
                overflow = (
                    overflow or
                    context.reported_footnotes or
                    context.overflows_page(bottom_space, new_position_y + offset_y))
                if overflow:
                    context.report_footnote(footnote)
                    # If we've put other content on this page, then we may want
                    # to push this line or block to the next page. Otherwise,
                    # we can't (and would loop forever if we tried), so don't
                    # even try.
                    if (new_children or not page_is_empty) and not behind:  # kolofon: and not behind
                        if footnote.style['footnote_policy'] == 'line':
                            if needed := box.style['widows'] - 1:
                                for _ in lines_iterator:
                                    needed -= 1
                                    # Don’t iterate over all lines as it can be long.
                                    if needed == 0:
                                        break
                            abort, stop, resume_at = _break_line(
                                context, box, line, new_children, needed, page_is_empty,
                                index, skip_stack, resume_at, absolute_boxes,
                                fixed_boxes)
                            break_linebox = True
                            break
                        elif footnote.style['footnote_policy'] == 'block':
                            abort = break_linebox = True
                            break
            if break_linebox:
                break

        new_children.append(line)
        position_y = new_position_y
        skip_stack = resume_at

    if new_children:
        resume_at = {index: new_children[-1].resume_at}

    return abort, stop, resume_at, position_y, new_footnotes, max_lines
