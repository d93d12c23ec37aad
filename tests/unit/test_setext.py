"""A chapter may open with its title underlined ('Title' over '====='), Markdown's other form of
'# Title'; it was refused with K206."""

from __future__ import annotations

from kolofon.pipeline import read_book
from kolofon.source.resolve import appendix_mark


def test_an_underlined_title_is_the_chapters_title(make_book):
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": "\nChapter One\n===========\n\nText.\n\nA section\n---------\n\nMore.\n",
                      "02.md": "\ufeff# Two\r\n\r\nText with CRLF.\r\n"})
    book, diags = read_book(root)
    assert [ch.title_text for ch in book.chapters] == ["Chapter One", "Two"] and not diags
    assert [h.text for h in book.chapters[0].headings] == ["A section"]


def test_an_underlined_appendix_title_gives_its_letter():
    assert appendix_mark("Appendix C: Letters\n===\n\nText.\n", 1) == "C"
    assert appendix_mark("# Appendix IV\n", 1) == "IV"
    assert appendix_mark("Sources\n===\n", 2) == "B"
    assert appendix_mark("# Dodatek IV. Listy\n", 1) == "IV"
