"""The assembly's own contract (kolofon/layout/assemble.py) beyond the equivalence tests."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from kolofon.layout.assemble import assemble
from kolofon.layout.part import Part


def _part(path: Path, pages: int) -> Part:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(420, 595))
    pdf.save(path)
    return Part(path, tuple({} for _ in range(pages)), tuple(() for _ in range(pages)))


def test_the_book_is_written_into_its_file_with_no_temporary_file_beside_it(tmp_path: Path) -> None:
    # pikepdf, given a path, wrote `.pikepdf.*` beside it and renamed it: a build stopped meanwhile
    # (an error in another stage, Ctrl-C) left that file in the output folder.
    parts = [_part(tmp_path / "a.pdf", 2), _part(tmp_path / "b.pdf", 1)]
    out = tmp_path / "out"
    out.mkdir()
    assemble([parts[0], None, parts[1]], {}, [], 1, parts[0].pdf, out / "book.pdf")
    assert sorted(p.name for p in out.iterdir()) == ["book.pdf"]
    with pikepdf.open(out / "book.pdf") as book:
        assert len(book.pages) == 4  # two, a blank one, one
        labels = book.Root.PageLabels.Nums
        assert int(labels[2]) == 1  # the text's numbering starts after the one front page
        assert book.check_pdf_syntax() == []  # qpdf reads every object and finds nothing wrong
