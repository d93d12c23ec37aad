"""Words longer than the measure (QA sweep 7): a German compound in a heading ran into the margin and
off an A6 page, a web address's segment with no break Chicago allows overflowed the text block."""

from __future__ import annotations

import pypdfium2

from kolofon.cli import main

LONG = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"
URL = "https://example.org/averyveryveryverylongsegmentwithoutanybreakopportunitiesatallwhatsoeverandmore/x"
# No hyphenation point in either: they ran off the page and were cut at its edge (QA sweep).
TOKEN = "A" * 90
CODE = "an_inline_code_span_that_is_far_too_long_for_an_a6_page_and_has_no_spaces_at_all()"


def test_long_words_stay_inside_the_text_block(make_book, tmp_path):
    root = make_book({"book.yaml": "title: T\nlang: en\npage_size: A6\n",
                      "01.md": f"# Long\n\n## {LONG}\n\nText.\n\n#### Level four\n\nSee {URL} here.\n\n"
                                f"A token: {TOKEN} end.\n\n`{CODE}`\n"})
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf"]) == 0
    pdf = pypdfium2.PdfDocument(str(out / "t.pdf"))
    try:
        page = next(pdf[i] for i in range(len(pdf)) if "Level four" in pdf[i].get_textpage().get_text_range())
        text = page.get_textpage()
        rights = [text.get_charbox(i)[2] for i in range(text.count_chars())]
        joined = "".join(text.get_text_range().split())
        limit = page.get_width() - 10 * 72 / 25.4  # A6's outer margin is wider than 10 mm
    finally:
        pdf.close()
    assert max(rights) < limit
    assert LONG in joined.replace("\ufffe", "") and URL in joined
    assert TOKEN in joined and CODE in joined
