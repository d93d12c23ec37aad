"""A short table is never split across pages, and its caption stays with it (read back per page from
the PDF). The text before the table is sized so that the page ends after the caption and one row."""

from __future__ import annotations

import contextlib
import io

from kolofon.checks import validate
from kolofon.cli import main

SENTENCE = "Badaniami objęto jeziora o różnej powierzchni, położone w kilku zlewniach regionu. "
ROWS = "".join(f"| Jezioro {i} | Gmina {i} |\n" for i in range(1, 6))
CHAPTER = f"# Rozdział\n\n{SENTENCE * 41}\n\n| Jezioro | Gmina |\n|---|---|\n{ROWS}: Dane {{#tbl-j}}\n"


def test_a_short_captioned_table_stays_whole_on_one_page(make_book) -> None:
    root = make_book({"book.yaml": "title: Tabela\nlang: pl\ndate: 2025-01-01\ntheme: report\n",
                      "01.md": CHAPTER})
    out = root.parent / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(root), "-o", str(out), "-e", "pdf", "--no-proof", "-q"]) == 0
    pages = validate.page_texts(next(out.glob("*.pdf")))
    holding = [i for i, page in enumerate(pages) if "Jezioro" in page or "Tabela 1. Dane" in page]
    # Before: "Tabela 1. Dane", the header and row 1 at one page's foot, rows 2–5 on the next.
    assert len(holding) == 1, [pages[i][-120:] for i in holding]
    page = pages[holding[0]]
    assert page.index("Tabela 1. Dane") < page.index("Jezioro 1 Gmina 1") < page.index("Jezioro 5 Gmina 5")
