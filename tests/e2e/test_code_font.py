"""Code is set in a monospaced face in every theme, on the text's line grid; the colophon names that
face only when the book has code; a book may give its own code font, which the EPUB then carries."""

from __future__ import annotations

import itertools
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from kolofon.pipeline import Options, build
from kolofon.themes import TEMPLATES

PROSE = ("Zdanie ze zwykłym tekstem płynie przez cały wiersz i dalej, bez przerwy, aż do końca akapitu, "
         "który zajmuje kilka wierszy strony. ")
COLOPHON = "colophon:\n  paper: Munken\n"
CODE_BLOCK = "```\ndef f(x):\n    return x  # ąę\n```\n"
CODE_PARAGRAPH = ("Funkcja `zażółć_gęślą(jaźń)` zwraca listę, a polecenie `python -m kolofon` czyta plik "
                  "`book.yaml`. " * 4)


def _pdf(result, edition: str = "pdf") -> Path:
    return next(o.path for o in result.outputs if o.edition == edition)


def _fonts(pdf: Path) -> set[str]:
    """The families of the fonts the pages draw, in the forms they draw too (assembled pages are forms)."""
    from kolofon.checks.validate import _fonts_used

    with pikepdf.open(pdf) as doc:
        return {name.lstrip("/").split("+")[-1] for name in _fonts_used(doc)}


def _baselines(pdf: Path, first: str, last: str) -> list[float]:
    """The distances between consecutive baselines (the letters' origins) from one word to another."""
    import ctypes

    import pypdfium2.raw as raw

    for page in pdfium.PdfDocument(pdf):
        text = page.get_textpage()
        chars = text.get_text_range()
        if first in chars and last in chars:
            x, y = ctypes.c_double(), ctypes.c_double()
            ys = set()
            for i in range(chars.index(first), chars.index(last)):
                if text.get_text_range(i, 1).isalpha():
                    raw.FPDFText_GetCharOrigin(text.raw, i, ctypes.byref(x), ctypes.byref(y))
                    ys.add(round(y.value, 1))
            lines = sorted(ys, reverse=True)
            return [round(a - b, 1) for a, b in itertools.pairwise(lines)]
    raise AssertionError(f"no page holds {first} and {last}")


@pytest.mark.parametrize(("theme", "lang"), [("book", "pl"), ("report", "en")])
def test_code_is_monospaced_on_the_text_grid(make_book, tmp_path, theme, lang):
    root = make_book({
        "book.yaml": f"title: Kod\nlang: {lang}\ndate: 2026-12-03\ntheme: {theme}\n{COLOPHON}",
        "01.md": f"# Jeden\n\n{PROSE * 2}{CODE_PARAGRAPH}{PROSE * 2}Koniec.\n\n{CODE_BLOCK}",
    })
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    pdf = _pdf(result)
    assert "Noto-Sans-Mono" in _fonts(pdf)
    # Every line of the page, with inline code or without, on the same grid: the smaller code face
    # must not open up its line (baselines are the characters' boxes' bottoms, to 0.1 pt).
    steps = _baselines(pdf, "Zdanie", "Koniec")
    assert len(steps) >= 8 and max(steps) - min(steps) <= 0.2, steps
    page_text = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(pdf))
    # (text extraction makes one space of a run of them)
    assert "zażółć_gęślą(jaźń)" in page_text and "def f(x):\r\n return x # ąę" in page_text
    assert "Noto Sans Mono" in page_text  # the colophon names the faces the book is set in
    with zipfile.ZipFile(_pdf(result, "epub")) as z:
        css = z.read("EPUB/css/epub.css").decode()
    assert "code, pre, kbd, samp { font-family: monospace;" in css


def test_a_book_without_code_does_not_name_the_code_face(make_book, tmp_path):
    root = make_book({"book.yaml": f"title: Bez kodu\nlang: pl\ndate: 2026-12-03\n{COLOPHON}",
                      "01.md": f"# Jeden\n\n{PROSE}\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    text = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(_pdf(result)))
    assert "Gentium Book Plus" in text and "Mono" not in text
    assert not any("Mono" in f for f in _fonts(_pdf(result)))


def test_a_book_gives_its_own_code_font(make_book, tmp_path):
    fonts = Path(__file__).parents[1] / "design-book" / "fonts"
    root = make_book({
        "book.yaml": "title: Kod\nlang: en\ndate: 2026-12-03\nfonts:\n  code:\n    regular: fonts/Code.ttf\n",
        "01.md": "# One\n\nRun `make book` first.\n",
    })
    (root / "fonts").mkdir()
    shutil.copy(fonts / "NotoSerif-Regular.ttf", root / "fonts" / "Code.ttf")
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    assert any(f.startswith("Noto-Serif") for f in _fonts(_pdf(result)))
    assert not any("Mono" in f for f in _fonts(_pdf(result)))
    with zipfile.ZipFile(_pdf(result, "epub")) as z:
        css = z.read("EPUB/css/epub.css").decode()
        assert "EPUB/fonts/Code.ttf" in z.namelist()
    assert 'font-family: "Noto Serif (code)", monospace;' in css


def test_the_vendored_code_face_is_ofl_and_covers_polish():
    from fontTools.ttLib import TTFont

    for name in ("NotoSansMono-Regular.ttf", "NotoSansMono-Bold.ttf"):
        font = TTFont(TEMPLATES / "fonts" / name)
        assert "Open Font License" in font["name"].getDebugName(13)
        assert set(map(ord, "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”–—")) <= set(font.getBestCmap())
    assert "SIL OPEN FONT LICENSE" in (TEMPLATES / "fonts" / "OFL-NotoSansMono.txt").read_text()
