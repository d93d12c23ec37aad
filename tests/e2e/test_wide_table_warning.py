"""A table too wide for the page even at three fifths of the text's size is printed with its words
broken anywhere (layout/widetables.py); the author hears of it with its file and line (K508), and a
--strict build stops before writing anything."""

from __future__ import annotations

import pytest

from kolofon.diagnostics import BuildError
from kolofon.pipeline import Options, build

COLUMNS = 14
ROWS = ("| " + " | ".join(str(123456789 + i * r) for i in range(COLUMNS)) + " |" for r in range(3))
TABLE = "\n".join(["| " + " | ".join(f"K{i}" for i in range(COLUMNS)) + " |", "|" + "---|" * COLUMNS, *ROWS])
NARROW = "| Rok | Liczba |\n|---|--:|\n| 1990 | 5 |"


def _book(make_book, wide: str):
    return make_book({"book.yaml": "title: Tabela\nlang: pl\ndate: 2026-12-02\npage_size: A6\n",
                      "01.md": f"# Dane\n\n{NARROW}\n\nTekst przed tabelą.\n\n{wide}\n\nTekst po tabeli.\n"})


def test_a_table_too_wide_even_when_small_is_a_warning_at_its_line(make_book, tmp_path):
    root = _book(make_book, TABLE)
    result = build(Options(root, tmp_path / "out", editions=("pdf",), proof=False))
    warnings = [(d.code, d.path.name, d.line) for d in result.warnings]
    assert warnings == [("K508", "01.md", 9)]  # the second table of the chapter, on its first row's line
    with pytest.raises(BuildError):
        build(Options(root, tmp_path / "strict", editions=("pdf",), proof=False, strict=True, force=True))
    assert not (tmp_path / "strict" / "tabela.pdf").exists()


def test_a_table_that_fits_when_set_smaller_is_no_warning(make_book, tmp_path):
    root = _book(make_book, "\n".join([*TABLE.splitlines()[:2], "| " + " | ".join("1" * COLUMNS) + " |"]))
    assert build(Options(root, tmp_path / "out", editions=("pdf",), proof=False)).warnings == []


SENTENCE = "Badaniami objęto jeziora o różnej powierzchni, położone w kilku zlewniach regionu."
# The QA sweep's book: a table's caption falls at a page's foot, its rows on the next.
CAPTION_AT_FOOT = "# Rozdział\n\n" + " ".join([SENTENCE] * 43) + " \n\n" + (
    '| Jezioro | Gmina |\n'
    '|---|---|\n'
    '| Wdzydze | Kościerzyna |\n'
    '| Kamienne | Somonino |\n'
    ': Dane {#tbl-j}\n'
    '\n'
)



def test_a_caption_alone_at_a_page_foot_is_no_crash(make_book, tmp_path):
    root = make_book({"book.yaml": "title: Tabela\nlang: pl\ndate: 2025-01-01\ntheme: report\n",
                      "01.md": CAPTION_AT_FOOT})
    assert build(Options(root, tmp_path / "out", editions=("pdf",), proof=False)).outputs
