"""Raw HTML in a manuscript, as authors paste it: Markdown inside a `markdown="1"` block is converted,
and attributes HTML 5 does not have no longer fail EPUBCheck (read back by EPUBCheck and the PDF)."""

from __future__ import annotations

import contextlib
import io
import zipfile

from kolofon.checks import validate
from kolofon.cli import main
from tests.conftest import java_available, require_tool

CHAPTER = """# Koda

<div style="text-align:center" markdown="1">

Wszystko, co *mam*,\\
i ((bursztyn)).

</div>

<div foo="bar" align="center">Stary <b>kod</b>.</div>

<table border="1" cellpadding="2"><tr><td valign="top" nowrap bgcolor="#eee">komórka</td></tr></table>
"""


def test_markdown_in_html_is_converted_and_old_attributes_pass_epubcheck(make_book) -> None:
    require_tool(java_available(), "EPUBCheck (Java)")
    root = make_book({"01.md": CHAPTER})
    out = root.parent / "out"
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        status = main([str(root), "-o", str(out), "-e", "pdf", "-e", "epub", "--no-proof", "-q", "--strict"])
    assert status == 0, stderr.getvalue()
    epub = next(out.glob("*.epub"))
    assert validate.epubcheck(epub) == []  # before: RSC-005 for markdown="1", foo, align, border…
    with zipfile.ZipFile(epub) as z:
        chapter = z.read("EPUB/ch01.xhtml").decode()
    assert "<em>mam</em>" in chapter and "*" not in chapter
    assert '<div data-foo="bar" style="text-align: center;">' in chapter
    assert '<td style="background-color: #eee; white-space: nowrap; vertical-align: top;">' in chapter
    pages = [" ".join(t.split()) for t in validate.page_texts(next(out.glob("*.pdf")))]
    text = " ".join(pages)
    assert "Wszystko, co mam, i bursztyn." in text and "*" not in text
    # the term inside the block is indexed, on folio 1 (then the index page's own folio)
    assert pages[-1].rsplit(" ", 1)[0].endswith("bursztyn 1")
