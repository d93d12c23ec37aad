"""Image file names as people write them (QA sweep 7): "old%20map.png" (Markdown's URL) crashed the
EPUB, "<images/mapa łódź.png>" gave an EPUB whose image was no valid URL (RSC-020, PKG-010), and the
file's name counted as printed text in the Polish-letters check."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pypdfium2
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


def test_an_image_prints_at_the_resolution_its_file_states(make_book, tmp_path, capsys):
    """A 400-px icon saved at 300 ppi printed 106 mm wide (96 px to the inch; QA sweep 7); 1.33 in now,
    and no low-resolution warning (K506) for it."""
    root = make_book({"book.yaml": "title: Ikony\nlang: pl\ndate: 2026-11-23\npage_size: A4\n",
                      "01.md": "# Ikony\n\n![Ikona](images/icon.png)\n\n![Zrzut](images/screen.png)\n"})
    (root / "images").mkdir()
    Image.new("RGB", (400, 400), (30, 160, 30)).save(root / "images" / "icon.png", dpi=(300, 300))
    Image.new("RGB", (300, 150), (30, 30, 160)).save(root / "images" / "screen.png", dpi=(72, 72))
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "--no-proof", "-q", "-e", "pdf"]) == 0
    assert "K506" not in capsys.readouterr().err.split("screen.png")[0]
    pdf = pypdfium2.PdfDocument(str(out / "ikony.pdf"))
    try:
        image = pypdfium2.raw.FPDF_PAGEOBJ_IMAGE
        widths = sorted(round((o.get_bounds()[2] - o.get_bounds()[0]) * 25.4 / 72)
                        for i in range(len(pdf)) for o in pdf[i].get_objects(max_depth=4) if o.type == image)
    finally:
        pdf.close()
    assert widths == [34, 79]  # 400 px at 300 ppi; 300 px at 96 (72 ppi is a screen's default, not a size)


def test_a_300_ppi_file_is_not_called_low_resolution_and_an_escaped_name_has_its_line(tmp_path):
    """PIL reads a 300-ppi PNG back as 299.9994: K506 warned "prints at 300 ppi … wants 300"; and the
    warning of "my%20map.png" had no line (QA sweep 9)."""
    from kolofon.source.images import print_resolution

    (tmp_path / "images").mkdir()
    Image.new("RGB", (600, 300)).save(tmp_path / "images" / "map.png", dpi=(300, 300))
    Image.new("RGB", (200, 100)).save(tmp_path / "images" / "my map.png")
    source = SourceFile(tmp_path / "01.md", "# One\n\n![A](images/map.png)\n\n![B](images/my%20map.png)\n")
    assert print_resolution(tmp_path, "images/map.png", source, 110) is None
    low = print_resolution(tmp_path, "images/my map.png", source, 110)
    assert low is not None and (low.code, low.line) == ("K506", 5)
