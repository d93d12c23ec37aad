"""A fix to WeasyPrint 70's line breaking: a word hyphenated alone on a line.

A text that runs up to an inline element (an index term's span, an emphasis) ends with the space
before it. When that text fits the line but its trailing space does not, WeasyPrint's split_first_line
(weasyprint/text/line_break.py, step 2) finds the line "too wide", decides it "can't be split
earlier" and hyphenates the text's first word: "log-" stood alone on a line, "books, the
storerooms … At" on the next (seen in a test book; the same text without the span set correctly).
A trailing collapsible space never counts against the line (WeasyPrint's own caller subtracts it,
layout/inline.py), so when the text without its trailing spaces fits, the whole text is the line."""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline
from weasyprint.text.line_break import split_first_line as _weasyprint_split

_COLLAPSING = ("normal", "nowrap", "pre-line")


def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                     justification_spacing: float, is_line_start: bool = True,
                     minimum: bool = False) -> tuple[Any, ...]:
    result = _weasyprint_split(text, style, context, max_width, justification_spacing, is_line_start,
                               minimum)
    length, resume = result[1], result[2]
    stripped = text.rstrip(" ")
    # The signature of the mistake, checked first because it is cheap: a line that ends inside the
    # text's first word, of a text that ends with a space.
    if (resume is None or max_width is None or stripped == text or not stripped
            or style["white_space"] not in _COLLAPSING or " " not in stripped
            or length > len(stripped.split(" ", 1)[0].encode())):
        return result
    whole = _weasyprint_split(stripped, style, context, max_width, justification_spacing, is_line_start,
                              minimum)
    if whole[2] is not None:  # the text does not fit without its spaces either: a real break
        return result
    return _weasyprint_split(text, style, context, None, justification_spacing, is_line_start, minimum)


def install() -> None:
    """Used where WeasyPrint lays out lines of text (the preferred widths keep theirs)."""
    inline.split_first_line = split_first_line
