"""Images from the manuscript reach both editions (the print templates live elsewhere, so the PDF
needs file URLs and the EPUB relative paths), and nothing is logged as missing."""

from __future__ import annotations

import io
import logging
import zipfile

import pikepdf
from PIL import Image

from kolofon.pipeline import Options, build


def _has_image(obj: pikepdf.Object, seen: set) -> bool:
    """Images sit in page resources or inside form XObjects (the assembled pages are forms)."""
    for xobject in (obj.get("/Resources", {}).get("/XObject", {}) or {}).values():
        key = xobject.objgen
        if key in seen:
            continue
        seen.add(key)
        if xobject.get("/Subtype") == "/Image" or _has_image(xobject, seen):
            return True
    return False


def test_an_image_reaches_the_pdf_and_the_epub(make_book, tmp_path, caplog):
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (200, 30, 30, 180)).save(buffer, "PNG")
    root = make_book({"01.md": "# R\n\nTekst.\n\n![Czerwony prostokąt](images/mapa.png)\n",
                      "images/mapa.png": buffer.getvalue()})
    caplog.set_level(logging.WARNING)
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    paths = {o.edition: o.path for o in result.outputs}
    with pikepdf.open(paths["pdf"]) as pdf:
        seen: set = set()
        assert any(_has_image(page.obj, seen) for page in pdf.pages)
    with zipfile.ZipFile(paths["epub"]) as epub:
        assert "EPUB/images/mapa.png" in epub.namelist()
        assert 'src="images/mapa.png"' in epub.read("EPUB/ch01.xhtml").decode()
    assert not [r for r in caplog.records if "image" in r.getMessage().lower()]
