"""Paragraphs broken into lines (a backslash at a line's end): stanzas stand apart in the PDF, and a
line that opens with a dash is not indented (read back from the PDF's glyph positions)."""

from __future__ import annotations

import contextlib
import io

import pypdfium2

from kolofon.cli import main

CHAPTER = """# Brzeg

Na piasku zostały ślady ptaków,\\
cienkie jak pismo w starym zeszycie.

Idę wzdłuż linii, którą zostawił przypływ,\\
zbieram bursztyn i kawałki szkła.

Morze nie pamięta, a jednak wszystko oddaje.\\
— z przysłów kaszubskich
"""


def _line_starts(pdf_path, words: list[str]) -> dict[str, tuple[float, float]]:
    """(left, bottom) of the first glyph of each of `words` (all sit on the baseline) on their page."""
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        for page in pdf:
            text = page.get_textpage()
            whole = text.get_text_range()
            if all(w in whole for w in words):
                found = {}
                for w in words:
                    # get_text_range counts \r\n as two characters, as the char boxes do.
                    left, bottom, _right, _top = text.get_charbox(whole.index(w))
                    found[w] = (left, bottom)
                return found
    finally:
        pdf.close()
    raise AssertionError(f"no page holds {words}")


def test_stanzas_stand_apart_and_a_dash_line_starts_flush(make_book) -> None:
    root = make_book({"01.md": CHAPTER})
    out = root.parent / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(root), "-o", str(out), "-e", "pdf", "--no-proof", "-q", "--strict"]) == 0
    at = _line_starts(next(out.glob("*.pdf")), ["Na piasku", "cienkie", "Idę", "zbieram", "Morze", "—"])
    line = at["Na piasku"][1] - at["cienkie"][1]
    gap = at["Idę"][1] - at["zbieram"][1]
    assert abs(gap - line) < 0.5  # one leading inside a stanza
    between = at["cienkie"][1] - at["Idę"][1]
    assert between > 1.5 * line  # before: the next stanza followed at one leading, no space between
    # Every line starts at the same left edge: no paragraph indent, no no-break space before the dash.
    lefts = {w: round(left, 1) for w, (left, _bottom) in at.items()}
    assert max(lefts.values()) - min(lefts.values()) < 1, lefts  # (glyphs' side bearings differ)
