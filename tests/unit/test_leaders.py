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


def _dots_and_texts(html: str) -> tuple[list[tuple[float, float]], int]:
    """Where each leader dot stands (its glyph box's left and bottom) and how many text objects the
    page draws."""
    pdf = pypdfium2.PdfDocument(weasyprint.HTML(string=html).write_pdf())
    try:
        page = pdf[0]
        text = page.get_textpage()
        whole = text.get_text_range()
        dots = [text.get_charbox(i)[:2] for i, c in enumerate(whole) if c == "."]
        texts = sum(1 for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_TEXT)
        return dots, texts
    finally:
        pdf.close()


def test_a_lines_dots_are_one_text_where_they_stood_apart(monkeypatch) -> None:
    """The dots of a line are drawn as one text (cheaper to draw and to write: a contents page had
    ~700), each where it stood when drawn one by one."""
    html = HTML.replace("<ol>", "<ol>" + "".join(f'<li><a data-page="{n}">Entry {n}</a></li>'
                                                   for n in range(10, 30)))
    merged, texts = _dots_and_texts(html)
    monkeypatch.setattr(leaders, "_one_run", lambda context, dots: None)
    apart, texts_apart = _dots_and_texts(html)
    assert len(merged) == len(apart) > 200  # (some lines are on a second page)
    # Within 0.1 pt (0.035 mm; measured 0.044 at the end of a line): WeasyPrint writes a run's glyph
    # advances in thousandths of an em, truncated, where each dot apart starts at its exact place.
    moved = [abs(a - b) for m, p in zip(merged, apart, strict=True) for a, b in zip(m, p, strict=True)]
    assert max(moved) < 0.1
    assert texts * 5 < texts_apart
