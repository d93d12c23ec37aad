"""What the layout tells the author: a table too wide for the page even when set small.

The workers set such a table at three fifths of the text's size and break its words anywhere, so that
nothing is cut off (widetables.py); the reader then sees numbers broken digit by digit. The author
hears of it with the table's file and line (K508), and a --strict build stops."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..diagnostics import Diagnostic, warning
from ..model import Book, Chapter

_TABLE_ID = re.compile(r'<table\b[^>]*\bid="([^"]+)"')
_FENCE = re.compile(r"^\s*(```|~~~)")


def squeezed_tables(book: Book, ids: Iterable[str]) -> list[Diagnostic]:
    """K508 for each table id, at the line where its table starts in its chapter's file."""
    lines = {t.anchor: (t.source, t.line) for t in book.targets if t.kind == "table"}
    chapters = (*book.front, *book.chapters)
    diags = []
    for ident in sorted(set(ids)):
        chapter = next((ch for ch in chapters if f'id="{ident}"' in ch.body_html), None)
        if chapter is None:
            continue
        path, line = lines.get(ident) or (chapter.source, _table_line(book, chapter, ident))
        diags.append(warning("K508", "a table too wide for the page even at three fifths of the text's size: "
                                     "its words are broken anywhere to fit (fewer or narrower columns, or "
                                     "a shorter text in its cells, would read better)", path, line))
    return diags


def _table_line(book: Book, chapter: Chapter, ident: str) -> int | None:
    """The line of the chapter's n-th table in its source, n being the table's place among the
    chapter's tables: a pipe table's first row or a raw <table>, outside fenced code."""
    order = _TABLE_ID.findall(chapter.body_html)
    source = next((s for s in book.sources if s.path == chapter.source), None)
    if source is None or ident not in order:
        return None
    starts, fenced, previous = [], False, ""
    for number, text in enumerate(source.text.splitlines(), 1):
        if _FENCE.match(text):
            fenced = not fenced
        elif not fenced and (text.lstrip().startswith("<table") or
                             (text.lstrip().startswith("|") and not previous.lstrip().startswith("|"))):
            starts.append(number)
        previous = "" if fenced else text
    n = order.index(ident)
    return starts[n] if n < len(starts) else None
