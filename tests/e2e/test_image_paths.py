"""Image file names as people write them (QA sweep 7): "old%20map.png" (Markdown's URL) crashed the
EPUB, "<images/mapa łódź.png>" gave an EPUB whose image was no valid URL (RSC-020, PKG-010), and the
file's name counted as printed text in the Polish-letters check."""

from __future__ import annotations

import re
import zipfile

import pikepdf
from PIL import Image

from kolofon.checks import validate
from kolofon.cli import main
from kolofon.model import SourceFile
from kolofon.writers.forms import drawn, images
from tests.conftest import java_available, require_tool


def test_images_with_spaces_escapes_and_polish_letters_in_their_names(make_book, tmp_path):
    root = make_book({"book.yaml": "title: Mapy\nlang: pl\ndate: 2026-11-23\n",
                      "01.md": "# Mapy\n\n![Stara mapa](images/old%20map.png)\n\n"
                               "![Mapa miasta](<images/mapa łódź.png>)\n\nTekst.\n"})
    (root / "images").mkdir()
    for name, colour in (("old map.png", (200, 30, 30)), ("mapa łódź.png", (30, 30, 200))):
        Image.new("RGB", (60, 40), colour).save(root / "images" / name)
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf", "-e", "epub",
                 "-e", "archive"]) == 0
    with zipfile.ZipFile(out / "mapy.epub") as z:
        names = [n for n in z.namelist() if n.startswith("EPUB/images/")]
        chapter = z.read("EPUB/ch01.xhtml").decode()
    assert sorted(names) == ["EPUB/images/mapa-lodz.png", "EPUB/images/old-map.png"]
    assert re.findall(r'src="([^"]+)"', chapter) == ["images/old-map.png", "images/mapa-lodz.png"]
    with pikepdf.open(out / "mapy.pdf") as pdf:  # both pictures printed
        assert len({i.objgen for p in pdf.pages for h in drawn(p.obj) for i in images(h)}) == 2
    deposited = out / "mapy-archive" / "data" / "source" / "manuscript" / "images"
    assert sorted(p.name for p in deposited.iterdir()) == ["mapa łódź.png", "old map.png"]
    chapter_source = SourceFile(root / "01.md", (root / "01.md").read_text(encoding="utf-8"))
    assert validate.polish_letters(out / "mapy.pdf", [validate._printed(chapter_source)]) == []
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(out / "mapy.epub") == []
