"""Block quotations (QA sweep 7): two quotations a blank line apart were one, and the attribution was
one more quoted paragraph, indented like the first."""

from __future__ import annotations

from kolofon.pipeline import read_book


def test_two_quotations_stay_two_and_an_attribution_is_marked(make_book):
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": "# One\n\n> First quotation,\n> over two lines.\n>\n"
                               "> --- Someone, *A Book*\n\n"
                               "> A second one.\n>\n> And its second paragraph.\n"})
    book, _ = read_book(root)
    body = book.chapters[0].body_html
    assert body.count("<blockquote") == 2
    assert '<p class="attribution" id="ch01-b3">— Someone, <em>A Book</em></p>' in body
    assert body.count("attribution") == 1  # a paragraph that is no attribution stays a paragraph


def test_a_line_block_keeps_its_lines_and_indents_and_a_table_stays_a_table(make_book):
    """Pandoc's `| ` line blocks were run together, bars and all (QA sweep 7)."""
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": "# One\n\n| The limerick packs laughs anatomical\n|    Into space.\n|\n"
                               "| And more\n  continued.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"})
    body = read_book(root)[0].chapters[0].body_html
    assert ('<p class="lines" id="ch01-b1">The limerick packs laughs anatomical<br/>\u00a0\u00a0\u00a0Into '
            "space.<br/><br/>And more continued.</p>") in body
    assert "<table" in body and "|" not in body
