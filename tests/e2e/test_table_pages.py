"""A table that runs over pages: the EPUB's print-page markers stand in the first cell of the row each
PDF page begins with (before, both markers went after the table, on the paragraph that follows it)."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile

from kolofon.checks import validate
from kolofon.cli import main
from tests.conftest import java_available, require_tool

ROWS = "".join(f"| Jezioro {i} | Gmina {i} |\n" for i in range(1, 41))
CHAPTER = f"# Rozdział\n\nKrótki wstęp.\n\n| Jezioro | Gmina |\n|---|---|\n{ROWS}\nPo tabeli.\n"


def test_page_markers_open_the_row_each_page_begins_with(make_book) -> None:
    root = make_book({"book.yaml": "title: Tabela\nlang: pl\ndate: 2025-01-01\npage_size: A6\n",
                      "01.md": CHAPTER})
    out = root.parent / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(root), "-o", str(out), "-e", "pdf", "-e", "epub", "--no-proof", "-q"]) == 0
    pages = validate.page_texts(next(out.glob("*.pdf")))
    opening = next(i for i, p in enumerate(pages) if p.startswith("Rozdział"))
    # The first row (after the repeated header) of each later page of the table, by its printed folio.
    first_rows = {i - opening + 1: int(m.group(1)) for i, p in enumerate(pages[opening + 1:], opening + 1)
                  if (m := re.search(r"Jezioro Gmina\s+Jezioro (\d+) ", p))}
    assert len(first_rows) >= 2, pages  # the table runs over three pages at least
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
    for folio, row in first_rows.items():
        marker = rf'<span id="page-{folio}" [^>]*epub:type="pagebreak"[^>]*></span>'
        assert re.search(rf"<td>{marker}Jezioro {row}</td>", chapter), (folio, row)
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(next(out.glob("*.epub"))) == []
