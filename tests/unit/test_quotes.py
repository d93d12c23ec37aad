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


def test_dialogue_at_the_end_of_a_quotation_is_no_attribution(make_book):
    """Polish dialogue opens every line with a dash: its last line was set at the right (QA sweep 9)."""
    root = make_book({"book.yaml": "title: T\nlang: pl\n",
                      "01.md": "# Jeden\n\n> Wszedł do sklepu.\n>\n"
                               "> --- Dzień dobry --- powiedział. --- Jak się pani miewa?\n\n"
                               "> --- Pierwsza kwestia.\n>\n> --- Druga kwestia.\n"})
    assert "attribution" not in read_book(root)[0].chapters[0].body_html


def test_a_line_block_right_above_a_table(make_book):
    """With no blank line between them, both were one literal paragraph, bars and all (QA sweep 9)."""
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": "# One\n\n| first line\n| second line\n| A | B |\n|---|---|\n| 3 | 4 |\n"})
    body = read_book(root)[0].chapters[0].body_html
    assert '<p class="lines" id="ch01-b1">first line<br/>second line</p>' in body
    assert "<th>A</th>" in body and "|" not in body
