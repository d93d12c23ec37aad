"""Leaders with a hanging indent (kolofon/layout/leaders.py): the page numbers of one-line and wrapped
contents entries end at the same right edge (read back from the PDF's glyph boxes)."""

from __future__ import annotations

import pypdfium2
import weasyprint
from weasyprint.layout import inline

from kolofon.layout import engine, leaders

HTML = """<style>@page { size: 100mm 80mm; margin: 10mm; } body { font-size: 10pt; }
li { list-style: none; text-indent: -1.2em; padding-left: 1.2em; }
a::after { content: leader(". ") attr(data-page); }</style>
<ol><li><a data-page="7">Short</a></li>
<li><a data-page="8">A title long enough that it wraps onto a second line here</a></li></ol>"""


def _number_right_edges() -> list[float]:
    pdf = pypdfium2.PdfDocument(weasyprint.HTML(string=HTML).write_pdf())
    try:
        text = pdf[0].get_textpage()
        whole = text.get_text_range()
        return [text.get_charbox(whole.index(n))[2] for n in "78"]
    finally:
        pdf.close()


def test_a_one_line_entry_ends_where_a_wrapped_one_does() -> None:
    assert engine and inline.handle_leader is leaders.handle_leader  # installed when the engine loads
    seven, eight = _number_right_edges()
    # Before: 7 ended 1.2em (10pt × 1.2 = 12pt) short of 8, whose line has no indent.
    assert abs(seven - eight) < 0.5, (seven, eight)
