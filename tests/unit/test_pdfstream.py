"""The PDF writer (kolofon/pdfstream.py): what it writes, packed (object streams, PDF 1.5+) or plain
(PDF/A-1's PDF 1.4), is a PDF that qpdf and pdfium read back with every value as it was given."""

from __future__ import annotations

import io
from decimal import Decimal

import pikepdf
import pypdfium2
import pytest

from kolofon.pdfstream import PACK, Copier, PdfWriter, array, dictionary, number, ref, text


def _book(packed: bool) -> bytes:
    """A page that says "Łódź" in Helvetica, a link to a URI with parentheses, a Polish bookmark, and
    enough small objects to fill more than one object stream."""
    buffer = io.BytesIO()
    out = PdfWriter(buffer, "1.7" if packed else "1.4", packed)
    root, tree, page, content, font, link, outline, item = (out.reserve() for _ in range(8))
    out.put_stream(content, b"", b"BT /F1 24 Tf 72 700 Td (Lodz) Tj ET")
    out.put(font, dictionary([("/Type", b"/Font"), ("/Subtype", b"/Type1"), ("/BaseFont", b"/Helvetica")]))
    out.put(link, dictionary([("/Type", b"/Annot"), ("/Subtype", b"/Link"),
                              ("/Rect", array(number(v) for v in (72.0, 700.0, 144.5, 724.25))),
                              ("/A", dictionary([("/S", b"/URI"),
                                                 ("/URI", pikepdf.String("https://e.pl/a_(b)").unparse())]))]))
    out.put(page, dictionary([("/Type", b"/Page"), ("/Parent", ref(tree)),
                              ("/MediaBox", array(number(v) for v in (0, 0, Decimal("419.527559"), 595.28))),
                              ("/Resources", dictionary([("/Font", dictionary([("/F1", ref(font))]))])),
                              ("/Contents", ref(content)), ("/Annots", array([ref(link)]))]))
    out.put(tree, dictionary([("/Type", b"/Pages"), ("/Kids", array([ref(page)])), ("/Count", b"1")]))
    place = array([ref(page), b"/XYZ", number(0.0), number(700.123456789), b"0"])
    out.put(item, dictionary([("/Title", text("Łódź – rozdział")), ("/Parent", ref(outline)),
                              ("/Dest", place)]))
    out.put(outline, dictionary([("/Type", b"/Outlines"), ("/First", ref(item)), ("/Last", ref(item)),
                                 ("/Count", b"1")]))
    extra = [out.reserve() for _ in range(PACK + 5)]
    for n in extra:
        out.put(n, dictionary([("/N", number(n))]))
    out.put(root, dictionary([("/Type", b"/Catalog"), ("/Pages", ref(tree)), ("/Outlines", ref(outline)),
                              ("/Extra", array(ref(n) for n in extra))]))
    out.close(root, first_id=b"\x01" * 16)
    return buffer.getvalue()


@pytest.mark.parametrize("packed", [True, False])
def test_what_it_writes_reads_back(packed: bool) -> None:
    data = _book(packed)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.pdf_version == ("1.7" if packed else "1.4")
        page = pdf.pages[0]
        assert [float(v) for v in page.mediabox] == [0, 0, 419.527559, 595.28]
        assert str(page.obj.Annots[0].A.URI) == "https://e.pl/a_(b)"
        assert [float(v) for v in page.obj.Annots[0].Rect] == [72, 700, 144.5, 724.25]
        with pdf.open_outline() as outline:
            assert outline.root[0].title == "Łódź – rozdział"
            assert float(outline.root[0].destination[3]) == 700.123457  # six decimals, as qpdf writes
        assert [int(o.N) for o in pdf.Root.Extra] == list(range(9, 9 + PACK + 5))
        assert bytes(pdf.trailer.ID[0]) == b"\x01" * 16
    # Packed: no object but the streams stands on its own in the file.
    assert (b"/Type /ObjStm" in data) is packed and (b"\nxref\n" in data) is not packed
    doc = pypdfium2.PdfDocument(data)
    assert doc[0].get_textpage().get_text_range() == "Lodz"
    doc.close()


def test_the_same_objects_give_the_same_bytes() -> None:
    assert _book(True) == _book(True)
    assert _book(False) == _book(False)


def _copied_a(src: pikepdf.Pdf, from_text: bool = False) -> bytes:
    """A PDF whose catalogue's /A is `src`'s, copied (`from_text`: from qpdf's text of it, under
    numbers that differ from the source's)."""
    buffer = io.BytesIO()
    out = PdfWriter(buffer)
    for _ in range(40 if from_text else 0):
        out.reserve()
    copier = Copier(out, src if from_text else None)
    root, tree = out.reserve(), out.reserve()
    out.put(tree, b"<</Type /Pages /Kids [] /Count 0>>")
    copied = copier.value(src.Root.A)
    out.put(root, dictionary([("/Type", b"/Catalog"), ("/Pages", ref(tree)), ("/A", copied)]))
    copier.drain()
    out.close(root)
    return buffer.getvalue()


def test_a_copier_writes_each_object_once_under_its_new_number() -> None:
    src = pikepdf.new()
    shared = src.make_indirect(pikepdf.Dictionary(Kind=pikepdf.Name.Shared))
    src.Root.A = pikepdf.Array([shared, shared, pikepdf.Dictionary(Inner=shared)])
    with pikepdf.open(io.BytesIO(_copied_a(src))) as pdf:
        first, second, inner = pdf.Root.A
        assert first.objgen == second.objgen == inner.Inner.objgen
        assert first.Kind == pikepdf.Name.Shared


@pytest.mark.parametrize("title", ["plain 5 0 R words", "with (parentheses) 5 0 R", "back\\slash 5 0 R"])
def test_copied_from_qpdfs_text_references_renumbered_strings_kept(title: str) -> None:
    """With its source, a copier writes qpdf's text of an object: references get their new numbers,
    a string that reads like a reference stays as it was (one qpdf writes with parentheses or escapes
    takes the value-by-value path), hex strings too."""
    src = pikepdf.new()
    shared = src.make_indirect(pikepdf.Dictionary(Kind=pikepdf.Name.Shared, N=7))
    src.Root.A = pikepdf.Array([shared, pikepdf.Dictionary(Inner=shared, T=pikepdf.String(title),
                                                           H=pikepdf.String(b"\xfe\x01"),
                                                           Box=[0, Decimal("1.5"), -2.25])])
    with pikepdf.open(io.BytesIO(_copied_a(src, from_text=True))) as pdf:
        first, second = pdf.Root.A
        assert first.objgen == second.Inner.objgen != shared.objgen
        assert (first.Kind, int(first.N)) == (pikepdf.Name.Shared, 7)
        assert str(second.T) == title and bytes(second.H) == b"\xfe\x01"
        assert [float(v) for v in second.Box] == [0, 1.5, -2.25]
