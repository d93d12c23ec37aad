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
