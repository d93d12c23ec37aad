"""The fonts the parts embed are subset by kolofon's subsetter (kolofon/layout/subset.py), the same on
every machine, whether or not it has a libharfbuzz-subset of its own."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pikepdf
import pypdf
from fontTools.ttLib import TTFont

from kolofon.layout import engine
from kolofon.layout.part import Job
from kolofon.layout.subset import subset_font

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REGULAR = TEMPLATES / "fonts" / "GentiumBookPlus-Regular.ttf"
TEXT = "Zażółć gęślą jaźń, 1905."


def _pdf() -> bytes:
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
            '@font-face { font-family: "Face"; src: url("fonts/GentiumBookPlus-Regular.ttf"); }'
            f'p {{ font-family: "Face"; }}</style></head><body><p>{TEXT}</p></body></html>')
    job = Job(html, TEMPLATES.as_uri() + "/", (TEMPLATES,), 0.0, Path(os.devnull))
    with engine.source_date(0.0):
        return engine.render(job).write_pdf()


def _embedded(pdf: bytes) -> list[TTFont]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [TTFont(io.BytesIO(obj.FontFile2.read_bytes())) for obj in doc.objects
                if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj]


def test_a_subset_keeps_the_glyphs_at_their_ids_and_nothing_a_pdf_does_not_use() -> None:
    original = TTFont(REGULAR)
    name = original.getGlyphOrder()[70]
    font = TTFont(io.BytesIO(subset_font(REGULAR.read_bytes(), 0, {3, 70}, False, False) or b""))
    assert font["maxp"].numGlyphs == 71  # the glyphs after the last one used are cut off
    kept, dropped = font["glyf"][font.getGlyphOrder()[70]], font["glyf"][font.getGlyphOrder()[5]]
    assert kept.getCoordinates(font["glyf"])[0] == original["glyf"][name].getCoordinates(original["glyf"])[0]
    assert dropped.numberOfContours == 0  # a glyph not asked for is empty
    assert not {"GSUB", "GPOS", "Silt", "fpgm", "prep"} & set(font.keys())  # layout, private, hinting


def test_nothing_to_keep_or_a_damaged_font_leaves_the_font_as_it_is() -> None:
    assert subset_font(REGULAR.read_bytes(), 0, set(), False, False) is None
    assert subset_font(b"not a font at all", 0, {1, 2}, False, False) is None


def test_a_part_embeds_its_subset_and_its_text_reads_back(monkeypatch) -> None:
    from weasyprint.pdf import fonts

    pdf = _pdf()
    (font,) = _embedded(pdf)
    assert font["maxp"].numGlyphs < TTFont(REGULAR)["maxp"].numGlyphs and "Silt" not in font
    assert TEXT in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # WeasyPrint's own choice (a system library or fontTools) is not consulted: the same bytes.
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    assert _pdf() == pdf
