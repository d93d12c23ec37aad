"""Kept copies of the parts' pages (kolofon/layout/copies.py): an assembly that writes some parts again
from the last build's copies gives the very bytes of one that copies every part, and takes a copy
only where nothing it was made of changed."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from kolofon.layout.assemble import assemble
from kolofon.layout.copies import Copies
from kolofon.layout.part import Part
from kolofon.pdfstream import PdfWriter, dictionary, page_tree, ref
from kolofon.writers.archival import Archival
from tests.unit.test_pdfa import META


@pytest.mark.parametrize("packed", [True, False])
def test_a_recorded_stretch_written_again_gives_the_same_file(packed: bool) -> None:
    def write(replay: object = None) -> tuple[bytes, object]:
        buffer = io.BytesIO()
        out = PdfWriter(buffer, "1.7", packed)
        root, tree, first = out.reserve(), out.reserve(), out.reserve()
        out.put(first, b"<</A 1>>")  # pending in an object stream when the stretch starts
        out.flush()
        if replay is None:
            out.record()
            inside = out.reserve()
            out.put_stream(inside, b"", b"q Q")
            out.put(out.reserve(), dictionary([("/Next", ref(inside))]))
            recorded = out.recorded()
        else:
            out.replay(replay)  # type: ignore[arg-type]
            recorded = replay
        out.put(tree, page_tree([]))
        out.put(root, dictionary([("/Type", b"/Catalog"), ("/Pages", ref(tree)), ("/First", ref(first))]))
        out.close(root)
        return buffer.getvalue(), recorded

    data, recorded = write()
    again, _ = write(recorded)
    assert again == data
    with pikepdf.open(io.BytesIO(again)) as pdf:
        assert int(pdf.Root.First.A) == 1
        pointing = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/Next" in o]
        assert [o.Next.read_bytes() for o in pointing] == [b"q Q"]


def _part(path: Path, pages: int, word: str, alpha: float | None = None) -> Part:
    """A part whose pages draw `word`'s length as lines, the first linking to anchor "b-top" (b, b2, b3
    hold it);
    `alpha`: a constant opacity (what the PDF/A copy repairs and reports)."""
    pdf = pikepdf.new()
    for i in range(pages):
        page = pdf.add_blank_page(page_size=(420, 595))
        resources = pikepdf.Dictionary()
        if alpha is not None:  # an object of its own: a part with it has one object more
            resources.ExtGState = pikepdf.Dictionary(GS1=pdf.make_indirect(pikepdf.Dictionary(CA=alpha)))
        page.obj.Resources = resources
        lines = (b"%d 10 m %d 20 l S " % (k, k) for k in range(len(word) + i))
        page.obj.Contents = pdf.make_stream(b"".join(lines))
    pdf.save(path)
    anchors = tuple({f"{path.stem[0]}-top": (10.0, 10.0)} if i == 0 else {} for i in range(pages))
    links = tuple((("internal", "b-top", [1.0, 2.0, 30.0, 12.0]),) if i == 0 else () for i in range(pages))
    return Part(path, anchors, links)


def _book(tmp: Path, parts: list[Part | None], copies: Copies | None,
          variant: Archival | None = None) -> bytes:
    furniture = {1: (tmp / "heads.pdf", 0), 4: (tmp / "heads.pdf", 1)}
    target = tmp / "book.pdf"
    assemble(parts, furniture, [], 1, tmp / "a.pdf", target, variant, copies=copies)
    return target.read_bytes()


@pytest.mark.parametrize("archival", [False, True])
def test_parts_written_again_from_their_copies_give_the_bytes_of_a_fresh_assembly(
        tmp_path: Path, archival: bool) -> None:
    _part(tmp_path / "heads.pdf", 2, "head")
    a, b, c = (_part(tmp_path / f"{n}.pdf", 2, n * 3, alpha=0.5 if n == "c" else None) for n in "abc")
    folder = tmp_path / "copies"

    def variant() -> Archival | None:
        return Archival(META, tmp_path / "repaired") if archival else None

    first = Copies(folder)
    made = _book(tmp_path, [a, None, b, c], first, variant())
    assert len(list(folder.iterdir())) == 3  # one a part; none for the blank page
    # The same parts again: every one from its copy, none of their files opened.
    hidden = {p: p.read_bytes() for p in (b.pdf, c.pdf, tmp_path / "heads.pdf")}
    for path in hidden:
        path.unlink()
    kept = variant()
    assert _book(tmp_path, [a, None, b, c], Copies(folder), kept) == made
    if kept is not None:  # what the repairs changed is still said, though no part was repaired
        assert kept.changes["opacity"] == 2  # c's two pages
    for path, data in hidden.items():
        path.write_bytes(data)
    # Part b changed (a new file, as the page cache names it), as long as before: its copy is not
    # taken, c's is (numbered on from the same place), and the file is what no copies would give.
    b2 = _part(tmp_path / "b2.pdf", 2, "cccc")
    again = Copies(folder)
    c_pdf = c.pdf.read_bytes()
    c.pdf.unlink()  # c's copy is taken: its file is not opened
    changed = _book(tmp_path, [a, None, b2, c], again, variant())
    c.pdf.write_bytes(c_pdf)
    assert changed == _book(tmp_path, [a, None, b2, c], None, variant())
    assert changed != made
    again.prune()
    assert len(list(folder.iterdir())) == 3  # b's old copy dropped
    # Part b with as many pages and one object more: c's objects would be numbered one further on.
    b4 = _part(tmp_path / "b4.pdf", 2, "cccc", alpha=0.25)
    assert _book(tmp_path, [a, None, b4, c], Copies(folder), variant()) == \
        _book(tmp_path, [a, None, b4, c], None, variant())
    # Part b one page longer: every later page and object is numbered differently, and c's old copy
    # is not taken.
    b3 = _part(tmp_path / "b3.pdf", 3, "dd")
    assert _book(tmp_path, [a, None, b3, c], Copies(folder), variant()) == \
        _book(tmp_path, [a, None, b3, c], None, variant())


def test_a_link_whose_target_went_away_is_not_taken_from_a_copy(tmp_path: Path) -> None:
    """The part that held the link's target is gone: the copy that gave the link a number is not
    taken (the key counts each page's kept links)."""
    _part(tmp_path / "heads.pdf", 2, "head")
    a, b, c = (_part(tmp_path / f"{n}.pdf", 2, n) for n in "abc")
    folder = tmp_path / "copies"
    _book(tmp_path, [a, b, c], Copies(folder))
    without_b = _book(tmp_path, [a, c, c], Copies(folder))
    assert without_b == _book(tmp_path, [a, c, c], None)
    with pikepdf.open(io.BytesIO(without_b)) as pdf:
        assert "/Annots" not in pdf.pages[0].obj  # "b-top" is nowhere now


def _booklet(tmp: Path, files: list, copies: Copies | None) -> bytes:
    from kolofon.writers.imposition import Imposition, impose_into

    buffer = io.BytesIO()
    furniture = {1: (tmp / "heads.pdf", 0), 4: (tmp / "heads.pdf", 1)}
    impose_into(buffer, files, Imposition(), None, furniture, tmp / "a.pdf", copies=copies)
    return buffer.getvalue()


def test_the_booklet_places_forms_written_again_from_their_copies(tmp_path: Path) -> None:
    _part(tmp_path / "heads.pdf", 2, "head")
    a, b, c = (_part(tmp_path / f"{n}.pdf", 2, n * 3) for n in "abc")
    folder = tmp_path / "copies"
    files = [(a.pdf, 2), None, (b.pdf, 2), (c.pdf, 1)]  # c: its first page only (a piece of the notes)
    made = _booklet(tmp_path, files, Copies(folder))
    assert made == _booklet(tmp_path, files, None)
    hidden = {p: p.read_bytes() for p in (b.pdf, c.pdf, tmp_path / "heads.pdf")}
    for path in hidden:
        path.unlink()
    assert _booklet(tmp_path, files, Copies(folder)) == made  # every part from its copy
    for path, data in hidden.items():
        path.write_bytes(data)
    b2 = _part(tmp_path / "b2.pdf", 3, "bb")  # a page longer: c's forms are numbered further on
    changed = [(a.pdf, 2), None, (b2.pdf, 3), (c.pdf, 1)]
    assert _booklet(tmp_path, changed, Copies(folder)) == _booklet(tmp_path, changed, None) != made
    with pikepdf.open(io.BytesIO(_booklet(tmp_path, changed, Copies(folder)))) as pdf:
        assert len(pdf.pages) == 4  # 7 pages, padded to 8: two sheets, both sides
