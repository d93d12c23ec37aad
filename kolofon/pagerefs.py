"""Printed page numbers inside the text ("s. 14"): a placeholder that the layout fills once it knows
where each anchor fell, and that the EPUB fills with the same numbers. A chapter that holds one is laid
out again with the numbers in it until they hold (layout/typesetter.py)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from .model import Book, Chapter

PENDING = "00"  # before the pages are known: two digits, the width the numbers most often take
_PAGENO = re.compile(r'<span class="pageno" data-page-of="(?P<anchor>[^"]+)">[^<]*</span>')


def placeholder(anchor: str) -> str:
    return f'<span class="pageno" data-page-of="{anchor}">{PENDING}</span>'


def has_pagerefs(html: str) -> bool:
    return 'class="pageno"' in html


def fill(html: str, page_of: Mapping[str, int]) -> str:
    """Every page placeholder with its anchor's page, where known (the pending mark elsewhere)."""
    if not has_pagerefs(html):
        return html

    def one(m: re.Match[str]) -> str:
        page = page_of.get(m["anchor"])
        return (f'<span class="pageno" data-page-of="{m["anchor"]}">'
                f'{page if page is not None else PENDING}</span>')

    return _PAGENO.sub(one, html)


def book_with_pages(book: Book, page_of: Mapping[str, int]) -> Book:
    """The book's text with the printed page numbers in it (the EPUB shows the print edition's)."""
    if not any(has_pagerefs(p.body_html) for p in (*book.front, *book.chapters)) and \
            not any(has_pagerefs(n.html) for n in book.notes):
        return book

    def part(p: Chapter) -> Chapter:
        return dataclasses.replace(p, body_html=fill(p.body_html, page_of))

    return dataclasses.replace(
        book, chapters=tuple(map(part, book.chapters)), front=tuple(map(part, book.front)),
        notes=tuple(dataclasses.replace(n, html=fill(n.html, page_of), print_html=fill(n.print_html, page_of))
                    for n in book.notes))
