"""A list inside a note, nested or numbered, read back from the PDF a reader gets and the EPUB: every
item is there, in order, the index finds a term inside it, and no warning is given."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

import pytest

from kolofon.checks import validate
from kolofon.cli import main

CHAPTER = """# Jeden

Zdanie z przypisem.[^a] Drugie zdanie.[^b]

[^a]: Przypis z listą:

    - statki, a przy nich
        - ich bandery,
        - ich kursy;
    - oraz ((Bracia Starsi)) na końcu.

[^b]: Trzy rzeczy:

    1. pierwsza;
    2. druga;
    3. trzecia.
"""


def _build(root: Path, notes: str) -> tuple[int, str, list[str], str]:
    (root / "book.yaml").write_text(f"title: Próba\nlang: pl\ndate: 2026-11-23\nnotes: {notes}\n",
                                    encoding="utf-8")
    (root / "01.md").write_text(CHAPTER, encoding="utf-8")
    out = root.parent / f"out-{notes}"
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        status = main([str(root), "-o", str(out), "-e", "pdf", "-e", "epub", "--no-proof", "-q", "--strict"])
    pages = [" ".join(t.split()) for t in validate.page_texts(next(out.glob("*.pdf")))] if status == 0 else []
    epub = ""
    if status == 0:
        with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
            epub = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    return status, stderr.getvalue(), pages, epub


@pytest.mark.parametrize("notes", ["foot", "end"])
def test_every_item_of_a_list_in_a_note_is_printed_and_indexed(tmp_path: Path, notes: str) -> None:
    root = tmp_path / "ms"
    root.mkdir()
    status, stderr, pages, epub = _build(root, notes)
    # Before: the item after a sublist was lost (and its index term crashed the build), and each list
    # item was taken for a note of its own, "never called" (a warning, so --strict failed).
    assert status == 0 and stderr == "", stderr
    text = " ".join(pages)
    items = ["statki, a przy nich", "ich bandery,", "ich kursy;", "oraz Bracia Starsi na końcu.",
             "pierwsza;", "druga;", "trzecia."]
    at = [text.find(item) for item in items]
    assert -1 not in at and at == sorted(at), list(zip(items, at, strict=True))
    if notes == "foot":  # the footnote's markers are text in the line (endnotes: list markers, drawn apart)
        assert re.search(r"• statki, a przy nich – ich bandery, – ich kursy; • oraz", text), text
        assert re.search(r"1\. pierwsza; 2\. druga; 3\. trzecia\.", text), text
    # The index names the printed page of the note: chapter 1 opens on folio 1.
    opening = next(i for i, p in enumerate(pages) if p.startswith("Jeden Zdanie"))
    note_page = next(i for i, p in enumerate(pages) if "Bracia Starsi na końcu" in p)
    index = pages[-1].rsplit(" ", 1)[0]  # less the index page's own folio, at its foot
    assert index.endswith(f"Bracia Starsi {note_page - opening + 1}"), pages[-1]
    assert "Bracia Starsi</span> na końcu" in epub and "<li>trzecia.</li>" in epub
