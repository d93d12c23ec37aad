"""The archival PDF: WeasyPrint output → PDF/A-1b that Apache PDFBox Preflight accepts with no errors.

Preflight is the referee: when it is missing the validity tests skip, except in CI (env CI set),
where they fail — a green CI run must mean the archival copy was actually validated.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from PIL import Image, ImageChops, ImageCms
from pypdf import PdfReader

from kolofon.checks import preflight
from kolofon.checks.preflight import PreflightUnavailable, preflight_available, run_preflight
from kolofon.writers.pdfa import (
    ArchivalMetadata,
    PdfaError,
    archival_moment,
    srgb_icc_profile,
    to_pdfa1b,
    write_options,
)
from tests.conftest import REPO, require_tool

FONTS = REPO / "templates" / "fonts"
PANGRAM = "Zażółć gęślą jaźń"
META = ArchivalMetadata(
    title="Zażółć gęślą jaźń — próba archiwalna",
    lang="pl",
    identifier="urn:uuid:6f1c3c1e-2b1a-4f5e-9d1e-000000000001",
    authors=("Jan Kowalski", "Anna Nowak"),
    rights="© 2024 Jan Kowalski; CC BY 4.0",
    publisher="Wydawnictwo <Próba> & S-ka",
    description="Opis „książki” – test",
    date="2024-05-01",
)


def _font_faces() -> str:
    faces = []
    for style, weight, slant in (("Regular", "normal", "normal"), ("Italic", "normal", "italic"),
                                 ("Bold", "bold", "normal"), ("BoldItalic", "bold", "italic")):
        url = (FONTS / f"GentiumBookPlus-{style}.ttf").as_uri()
        faces.append(f"@font-face {{ font-family: Gentium; src: url({url}); "
                     f"font-weight: {weight}; font-style: {slant}; }}")
    return "\n".join(faces)


def _html(chapters: int = 3, extra: str = "") -> str:
    body = []
    for n in range(1, chapters + 1):
        body.append(
            f'<h1 id="r{n}">Rozdział {n}</h1>'
            f"<p>{PANGRAM} „cytat” – 1990 r. <b>pogrubienie</b>, <i>kursywa</i>, <b><i>oba</i></b>; "
            f'zob. <a href="#x">przypis</a> i <a href="https://example.org/">stronę</a>.</p>'
            + "<p>" + "Litwo! Ojczyzno moja! ty jesteś jak zdrowie. " * 40 + "</p>")
    body.append(f'<p id="x">Kotwica: {PANGRAM}.</p>{extra}')
    # The font is set on html (not body) so that page-margin boxes, which inherit from the root,
    # use Gentium too instead of a system fallback.
    return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>{META.title}</title>
<style>{_font_faces()}
html {{ font-family: Gentium; font-size: 11pt; }}
h1 {{ break-before: page; bookmark-level: 1; }}
@page {{ size: A5; margin: 2cm; @bottom-center {{ content: counter(page); }} }}
</style></head><body>{"".join(body)}</body></html>"""


def _render(html: str, **options: object) -> bytes:
    return weasyprint.HTML(string=html, base_url=str(REPO)).write_pdf(**options)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    """One document, rendered for the archive (with write_options) and plainly (without)."""
    html = _html()
    return {"archival": _render(html, **write_options(META)), "plain": _render(html)}


@pytest.fixture(scope="module")
def archival(rendered: dict[str, bytes]) -> bytes:
    return to_pdfa1b(rendered["archival"], META)


def _validate(tmp_path: Path, data: bytes, name: str = "out.pdf") -> list[str]:
    require_tool(preflight_available(),
                 "Apache PDFBox Preflight (java, libpdfbox2-java, libactivation-java, libjaxb-api-java)")
    path = tmp_path / name
    path.write_bytes(data)
    return run_preflight(path)


@pytest.mark.parametrize("source", ["archival", "plain"])
def test_preflight_accepts_the_archival_pdf(source: str, rendered: dict[str, bytes], tmp_path: Path) -> None:
    # Also from a plain render: to_pdfa1b must not depend on the caller having passed write_options.
    assert _validate(tmp_path, to_pdfa1b(rendered[source], META)) == []


def test_preflight_is_not_vacuous(rendered: dict[str, bytes], tmp_path: Path) -> None:
    # A plain WeasyPrint PDF is far from PDF/A (xref streams, no /ID, no CIDSet…); a referee that
    # passed it would prove nothing.
    errors = _validate(tmp_path, rendered["plain"])
    assert errors
    assert all(re.match(r"^\d+(\.\d+)* : ", line) for line in errors), errors


def test_structure(archival: bytes) -> None:
    assert archival.startswith(b"%PDF-1.4\n")
    assert b"/ObjStm" not in archival and b"/XRef" not in archival
    with pikepdf.open(io.BytesIO(archival)) as pdf:
        assert pdf.pdf_version == "1.4"
        assert pdf.open_metadata().pdfa_status == "1B"
        assert len(pdf.pages) >= 3
        id0, id1 = (bytes(part) for part in pdf.trailer.ID)
        assert len(id0) == 16 and len(id1) == 16
        assert pdf.Root.Lang == "pl"
        assert len(pdf.Root.OutputIntents) == 1
        assert pdf.Root.Outlines.Count == 3  # one bookmark per h1
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        assert links and all(int(a.F) & 4 for a in links)  # printable
        assert pdf.Root.Metadata.get("/Filter") is None  # 6.7.2: XMP readable without decoding
        info = pdf.docinfo
        assert str(info.Title) == META.title
        assert str(info.Author) == "Jan Kowalski; Anna Nowak"
        assert str(info.CreationDate) == "D:20240501000000+00'00'"
        assert set(info.keys()) <= {"/Title", "/Author", "/Subject", "/Creator", "/Producer",
                                    "/CreationDate", "/ModDate"}


def test_xmp(archival: bytes) -> None:
    with pikepdf.open(io.BytesIO(archival)) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "1"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == META.title
        assert meta["xmp:CreateDate"] == "2024-05-01T00:00:00+00:00"
    assert f'<rdf:li xml:lang="x-default">{META.title}</rdf:li>' in xmp
    assert '<rdf:li xml:lang="pl">' in xmp
    assert "<dc:identifier>urn:uuid:6f1c3c1e-2b1a-4f5e-9d1e-000000000001</dc:identifier>" in xmp
    assert "Wydawnictwo &lt;Próba&gt; &amp; S-ka" in xmp


def test_deterministic(rendered: dict[str, bytes], archival: bytes) -> None:
    assert to_pdfa1b(rendered["archival"], META) == archival


def test_font_time_stamps_do_not_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint's font subsetter stamps head.modified with the clock (or SOURCE_DATE_EPOCH):
    # two renders on different days differ, their archival copies must not.
    html = _html(chapters=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    first = _render(html, **write_options(META))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1100000000")
    second = _render(html, **write_options(META))
    # (With libharfbuzz-subset installed the renders are already identical; without it they differ.)
    assert to_pdfa1b(first, META) == to_pdfa1b(second, META)


def test_text_survives(archival: bytes) -> None:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(archival)).pages)
    assert PANGRAM in text
    assert "„cytat” – 1990 r." in text


def test_transparency_is_flattened(tmp_path: Path) -> None:
    png = tmp_path / "alpha.png"
    Image.new("RGBA", (16, 16), (200, 0, 0, 128)).save(png)
    extra = (f'<p style="opacity: .5">półprzezroczysty</p><p style="color: rgba(0, 0, 255, .5)">rgba</p>'
             f'<img src="{png.as_uri()}">'
             '<div style="height: 1cm; background: linear-gradient(red, rgba(0, 0, 255, .3))"></div>')
    notes: list[str] = []
    out = to_pdfa1b(_render(_html(chapters=1, extra=extra), **write_options(META)), META, notes)
    assert any("composited on white" in note for note in notes)
    assert any("opacity" in note for note in notes)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        images = [pikepdf.PdfImage(x) for page in pdf.pages for x in page.get_images().values()]
        assert images and all("/SMask" not in image.obj for image in images)
        # Half-transparent red on white is pink, not red.
        assert images[0].as_pil_image().convert("RGB").getpixel((0, 0)) == (227, 127, 127)
    assert _validate(tmp_path, out) == []


def test_generated_srgb_profile_matches_lcms() -> None:
    profile = srgb_icc_profile()
    assert profile[8] == 2 and profile[12:20] == b"mntrRGB "  # ICC v2: PDF 1.4 cannot take v4
    ours = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    reference = ImageCms.createProfile("sRGB")
    lab = ImageCms.createProfile("LAB")
    ramp = Image.new("RGB", (256, 3))
    for x in range(256):
        ramp.putpixel((x, 0), (x, x, x))
        ramp.putpixel((x, 1), (x, 0, 255 - x))
        ramp.putpixel((x, 2), (255 - x, x, 0))
    a = ImageCms.profileToProfile(ramp, ours, lab, outputMode="LAB")
    b = ImageCms.profileToProfile(ramp, reference, lab, outputMode="LAB")
    assert a is not None and b is not None
    # L*, a*, b* each within one 8-bit step of LittleCMS's built-in sRGB.
    assert max(high for _low, high in ImageChops.difference(a, b).getextrema()) <= 1


def test_archival_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert archival_moment("2024-05-01").isoformat() == "2024-05-01T00:00:00+00:00"
    assert archival_moment(None).isoformat() == "2023-11-14T22:13:20+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert archival_moment(None).isoformat() == "1980-01-01T00:00:00+00:00"


def test_unembedded_font_is_refused() -> None:
    # Nothing a post-processor can do about a font that is not in the file: say so, do not ship it.
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(PdfaError, match="not embedded"):
        to_pdfa1b(buffer.getvalue(), META)


def test_missing_preflight_is_an_error_not_a_pass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(preflight, "JAVA_DIR", tmp_path)
    assert not preflight_available()
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(PreflightUnavailable, match=r"preflight\.jar|Java"):
        run_preflight(tmp_path / "x.pdf")


def test_font_stamp_patch_keeps_the_program_valid() -> None:
    """head.modified is patched in place: fontTools reads the stamp back, and its checksum check (which
    raises on a wrong head checksum or checkSumAdjustment) passes."""
    import io as _io

    from fontTools.ttLib import TTFont

    from kolofon.writers.pdfa import _with_modified

    data = (FONTS / "GentiumBookPlus-Regular.ttf").read_bytes()
    patched = _with_modified(data, 3_900_000_000)
    font = TTFont(_io.BytesIO(patched), checkChecksums=2)
    assert font["head"].modified == 3_900_000_000
    assert len(patched) == len(data)
    assert sum(a != b for a, b in zip(patched, data, strict=True)) <= 16  # the stamp and two sums only
