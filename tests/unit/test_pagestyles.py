"""Page styles shared between pages of one kind (kolofon/layout/pagestyles.py): the same PDF, byte for
byte, as WeasyPrint's own page-by-page styles, and :nth() pages still told apart."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from weasyprint.layout import page

from kolofon.layout import engine, pagestyles
from kolofon.layout.part import Job

PAGES = "".join(f'<div style="break-before: page; page: {kind}; string-set: head \'Head {i}\'">Text {i}</div>'
                for i, kind in enumerate(["quiet", "text", "text", "text", "text", "back", "back", "quiet"]))
STYLE = """<style>
@page { size: 100mm 140mm; margin: 20mm; @top-center { content: string(head); }
        @bottom-center { content: counter(page) " / " counter(pages); } }
@page :first { counter-reset: page 7; }
@page :left { @top-left { content: "verso"; } }
@page :right { @top-right { content: "recto"; } }
@page quiet { @top-center { content: none; } }
@page back:left { @top-center { content: "Back " string(head); } }
%s
</style>"""


def _pdf(monkeypatch: pytest.MonkeyPatch, setter, extra: str = "") -> bytes:
    monkeypatch.setattr(page, "set_page_type_computed_styles", setter)
    job = Job(f"<html><head>{STYLE % extra}</head><body>{PAGES}</body></html>", "file:///", (), 0.0,
              Path("unused.pdf"))
    with engine.source_date(0):
        return engine.render(job).write_pdf()


def test_shared_page_styles_give_the_same_bytes(monkeypatch):
    original = _pdf(monkeypatch, pagestyles._weasyprint_set)
    assert _pdf(monkeypatch, pagestyles.set_page_type_computed_styles) == original


def test_pages_told_apart_by_nth_keep_their_own_styles(monkeypatch):
    nth = '@page :nth(3) { @bottom-center { content: "third"; } }'
    original = _pdf(monkeypatch, pagestyles._weasyprint_set, nth)
    shared = _pdf(monkeypatch, pagestyles.set_page_type_computed_styles, nth)
    assert shared == original
    doc = pypdfium2.PdfDocument(shared)
    try:
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    assert ["third" in t for t in texts] == [False, False, True, False, False, False, False, False]
