"""The seed book end to end, read back by real consumers: EPUBCheck, the PDF's text per page, the
EPUB's links, byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import itertools
import re
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from lxml import etree

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from kolofon.source import manuscript
from tests import single_pass
from tests.conftest import MANUSCRIPT, java_available, require_tool

XHTML_NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
ONE_LETTER = {"a", "i", "o", "u", "w", "z", "A", "I", "O", "U", "W", "Z"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("dist")
    result = build(Options(MANUSCRIPT, out, force=True))
    return result, {o.edition + (":dir" if o.path.is_dir() else ""): o.path for o in result.outputs}


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory):
    return single_pass.build_layout(MANUSCRIPT, tmp_path_factory.mktemp("layout"))


@pytest.fixture(scope="module")
def pages(built) -> list[str]:
    """What a reader's tool extracts, with words hyphenated across lines joined again."""
    # (pdfium gives a hyphen at a line's end as U+FFFE, the line joined already)
    return [re.sub(r"[-\u2010\xad\x02]\r?\n|\ufffe", "", text)
            for text in validate.page_texts(built[1]["pdf"])]


def _epub_docs(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {Path(n).name: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def test_the_build_logs_no_warnings(tmp_path, caplog):
    """WeasyPrint's habit: a stray CSS or layout warning is a bug in our templates."""
    build(Options(MANUSCRIPT, tmp_path, editions=("pdf", "epub"), force=True, proof=False))
    # Except the machine's own state: WeasyPrint falls back to fontTools without libharfbuzz-subset.
    messages = [r.getMessage() for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert [m for m in messages if "HarfBuzz-Subset" not in m] == []


def test_every_default_edition_is_written(built):
    assert {"pdf", "epub", "booklet", "archive", "archive:dir"} <= set(built[1])
    for path in built[1].values():
        assert path.exists()


def test_the_archive_zip_holds_the_bag_file_for_file(built):
    """The zip is written in two steps (payload while the PDF/A copy is made, the rest after the
    bag): it must still hold every file of the bag, byte for byte, and nothing else."""
    folder, zipped = [o.path for o in built[0].outputs if o.edition == "archive"]
    files = {p.relative_to(folder.parent).as_posix(): p.read_bytes()
             for p in folder.rglob("*") if p.is_file()}
    with zipfile.ZipFile(zipped) as z:
        assert z.testzip() is None
        assert {n: z.read(n) for n in z.namelist()} == files
    assert any(name.endswith("-pdfa.pdf") for name in files)
    assert any(name.endswith("/tagmanifest-sha512.txt") for name in files)


def test_epubcheck_reports_nothing(built):
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(built[1]["epub"]) == []


def test_index_document_is_declared_and_checked_as_an_index(built, tmp_path):
    """EPUB Indexes 1.0: the manifest declares the index, and then EPUBCheck's ordinary run checks it
    against the index schema (shown by breaking one entry and seeing EPUBCheck complain)."""
    require_tool(java_available(), "Java (for EPUBCheck)")
    with zipfile.ZipFile(built[1]["epub"]) as z:
        entries = {info.filename: z.read(info) for info in z.infolist()}
    opf = etree.fromstring(entries["EPUB/content.opf"])
    item = opf.find(".//{http://www.idpf.org/2007/opf}item[@href='index.xhtml']")
    assert item.get("properties") == "index"
    entries["EPUB/index.xhtml"] = entries["EPUB/index.xhtml"].replace(b'epub:type="index-term"', b"", 1)
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(broken, "w") as z:
        for name, body in entries.items():
            z.writestr(name, body, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    assert any("index-term" in m for m in validate.epubcheck(broken))


def test_epub_keeps_no_break_spaces_after_one_letter_words(built):
    """In the EPUB the glue is the character itself (U+00A0), not a styled span: it holds with
    publisher styles off, in speech, search and copy."""
    with zipfile.ZipFile(built[1]["epub"]) as z:
        names = [n for n in z.namelist() if re.search(r"/(ch\d+|notes)\.xhtml$", n)]
        texts = ["".join(etree.fromstring(z.read(n)).itertext()) for n in names]
        raw = b"".join(z.read(n) for n in names)
    assert b'class="nobreak"' not in raw
    words = [m for t in texts for m in re.findall(r"(?<![\w.])([aiouwzAIOUWZ]) ", t)]
    assert words == []
    glued = [m for t in texts for m in re.findall(r"(?<![\w.])([aiouwzAIOUWZ])\u00a0", t)]
    assert len(glued) >= 10  # the seed book has them: the test reads real text


def test_fonts_are_embedded_subset_and_never_fall_back(built):
    assert validate.pdf_fonts(built[1]["pdf"]) == []


def test_polish_letters_survive_text_extraction(built):
    sources = [s.text for s in manuscript.load(MANUSCRIPT)[1]]
    assert any("ż" in s for s in sources)
    assert validate.polish_letters(built[1]["pdf"], sources) == []


def test_index_marks_stand_on_the_pages_the_index_names(layout, pages):
    book, lay = layout
    checked = 0
    for chapter in book.chapters:
        marks = re.findall(r'<span class="ix" id="([^"]+)"[^>]*>([^<]+)</span>', chapter.body_html)
        for mark_id, shown in marks:
            page_text = pages[lay.front_pages + lay.page_of[mark_id] - 1]
            first_word = shown.split()[0].replace("\u00a0", " ")
            assert first_word in page_text.replace("\u00a0", " "), (mark_id, shown)
            checked += 1
    assert checked >= 10


def test_index_lists_the_pages_of_its_marks(layout, pages):
    book, lay = layout
    index_text = " ".join(pages[lay.front_pages + lay.page_of["index"] - 1:]).replace("\r\n", " ")
    for group in book.index:
        for entry in group.entries:
            if not entry.mark_ids:
                continue
            numbers = sorted({lay.page_of[m] for m in entry.mark_ids})
            assert str(numbers[0]) in index_text.split(entry.term, 1)[1][:80], entry.term


def _lines(pdf_path: Path, index: int) -> list[tuple[float, float, str]]:
    """The page's lines as (left x, baseline y, text), top to bottom within each column."""
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        tp = pdf[index].get_textpage()
        # Loose boxes: a line's characters share one bottom, descenders or not.
        chars = [(tp.get_text_range(i, 1), tp.get_charbox(i, loose=True)) for i in range(tp.count_chars())]
        middle = pdf[index].get_width() / 2
    finally:
        pdf.close()
    lines: dict[tuple[bool, float], list[tuple[float, str]]] = {}
    for ch, (left, bottom, _right, _top) in chars:
        if ch.strip():
            lines.setdefault((left > middle, round(bottom)), []).append((left, ch))
    return [(min(x for x, _ in found), y, "".join(c for _, c in sorted(found)))
            for (_right, y), found in sorted(lines.items(), key=lambda item: (item[0][0], -item[0][1]))]


def test_index_letters_stand_apart_and_its_columns_start_level(built, layout):
    """Each letter has a line's worth of space above it, except at the top of a column, where both
    columns start at the same height (a margin kept at a column's top once set them unevenly)."""
    _book, lay = layout
    lines = _lines(built[1]["pdf"], lay.front_pages + lay.page_of["index"] - 1)
    body = [line for line in lines if line[2] != "Indeks" and not line[2].isdigit()]  # less the folio
    columns = [[line for line in body if line[0] < body[0][0] + 100],
               [line for line in body if line[0] >= body[0][0] + 100]]  # a column is ~140 pt wide
    assert columns[1], "the seed book's index fills two columns"
    assert abs(columns[0][0][1] - columns[1][0][1]) < 0.5
    for column in columns:
        pitches = sorted(a[1] - b[1] for a, b in itertools.pairwise(column))
        usual = pitches[len(pitches) // 4]
        for above, line in itertools.pairwise(column):
            if re.fullmatch(r"[A-ZĄĆĘŁŃÓŚŹŻ]", line[2]):
                assert above[1] - line[1] > 1.5 * usual, line[2]


def test_contents_page_numbers_point_to_the_chapters(layout, pages):
    book, lay = layout
    contents = pages[lay.page_of.get("contents", 0) - 1] if "contents" in lay.page_of else ""
    contents = "\n".join(pages[:lay.front_pages])
    for chapter in book.chapters:
        page = lay.page_of[chapter.id]
        assert re.search(re.escape(chapter.title_text[:15]) + r".*?" + rf"\b{page}\b", contents, re.S)
        assert chapter.title_text[:15] in pages[lay.front_pages + page - 1]


def test_no_body_line_ends_with_a_one_letter_word(layout, pages):
    _book, lay = layout
    text_pages = pages[lay.front_pages:lay.front_pages + lay.text_pages]
    offenders = [line for page in text_pages for line in page.splitlines()
                 if line.strip() and line.split()[-1] in ONE_LETTER]
    assert offenders == []


def test_each_note_names_the_page_of_its_call(layout, pages):
    book, lay = layout
    notes_text = " ".join(pages[lay.front_pages + lay.page_of["notes"] - 1:]).replace("\u00a0", " ")
    for note in book.notes:
        call_page = lay.page_of[note.call_id]
        assert re.search(rf"\b{note.number}\.\s.*?↑ s\. {call_page}\b", notes_text, re.S), note.number
    # The back-reference ends the note's text a space after its last word, never touching its full stop.
    assert notes_text.count("↑") == len(book.notes)
    assert not re.search(r"\S↑", notes_text)


def test_epub_note_backreference_ends_the_last_paragraph(built):
    docs = _epub_docs(built[1]["epub"])
    links = [(a, doc) for doc in docs.values() for a in doc.iterfind(".//x:a[@class='note-page']", XHTML_NS)]
    assert links
    for a, _doc in links:
        parent = a.getparent()
        assert parent.tag == f"{{{XHTML_NS['x']}}}p", a.get("href")
        before = a.getprevious()
        text_before = before.tail if before is not None else parent.text
        assert text_before and text_before.endswith(" ") and not text_before.endswith("  "), a.get("href")


def test_epub_note_calls_and_backlinks_resolve(built):
    docs = _epub_docs(built[1]["epub"])
    ids = {name: {el.get("id") for el in doc.iter() if el.get("id")} for name, doc in docs.items()}
    calls = [a for doc in docs.values() for a in doc.iterfind(".//x:a[@role='doc-noteref']", XHTML_NS)]
    assert calls
    for a in calls:
        target_file, _, frag = a.get("href").partition("#")
        assert frag in ids[target_file]
        note = docs[target_file].find(f".//*[@id='{frag}']")
        assert note.get(f"{{{XHTML_NS['epub']}}}type") == "endnote"
        back = note.find(".//x:a[@role='doc-backlink']", XHTML_NS)
        back_file, _, back_frag = back.get("href").partition("#")
        assert back_frag == a.get("id") and back_frag in ids[back_file]


def test_epub_index_locators_resolve_and_read_as_print_pages(built, layout):
    _book, lay = layout
    docs = _epub_docs(built[1]["epub"])
    ids = {name: {el.get("id") for el in doc.iter() if el.get("id")} for name, doc in docs.items()}
    locators = docs["index.xhtml"].findall(".//x:a[@epub:type='index-locator']", XHTML_NS)
    assert locators
    for a in locators:
        file, _, frag = a.get("href").partition("#")
        assert frag in ids[file or "index.xhtml"]
        first = int(a.text.split("–")[0])
        assert lay.page_of[frag] == first


def test_epub_page_list_matches_the_pdf(built, layout):
    _book, lay = layout
    docs = _epub_docs(built[1]["epub"])
    page_list = docs["nav.xhtml"].find(".//x:nav[@epub:type='page-list']", XHTML_NS)
    labels = [a.text for a in page_list.iterfind(".//x:a", XHTML_NS)]
    assert labels[: lay.text_pages] == [str(p) for p in range(1, lay.text_pages + 1)]
    for a in page_list.iterfind(".//x:a", XHTML_NS):
        file, _, frag = a.get("href").partition("#")
        marker = docs[file].find(f".//*[@id='{frag}']")
        assert marker.get("role") == "doc-pagebreak"
        # The marker sits just before the first block that the PDF starts on that page.
        block = marker.getparent() if marker.getparent().get("id") else marker.getnext()
        if block is not None and block.get("id") in lay.page_of:
            assert lay.page_of[block.get("id")] >= int(a.text)


def test_rebuilds_are_byte_identical(built, tmp_path):
    again = build(Options(MANUSCRIPT, tmp_path / "again", force=True))
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in built[1].values() if p.is_file()}
    second = {o.path.name: hashlib.sha256(o.path.read_bytes()).hexdigest()
              for o in again.outputs if o.path.is_file()}
    assert first == second


def test_no_more_than_two_hyphenated_lines_in_a_row(built):
    # WeasyPrint has no hyphenate-limit-lines; hyphenate-limit-chars (7 3 3) keeps runs short.
    worst = run = 0
    for text in validate.page_texts(built[1]["pdf"]):
        for line in text.splitlines():
            hyphenated = bool(re.search(r"[a-ząćęłńóśźż][\u2010\xad-]$", line.rstrip()))
            run = run + 1 if hyphenated else 0
            worst = max(worst, run)
    assert worst <= 2


def test_ligatures_do_not_lose_letters(pages):
    # Gentium sets "fi" as a ligature; the text layer must still read "konfiskowano".
    assert "konfiskowano" in " ".join(pages)


def test_a_notes_first_line_starts_where_its_other_lines_do(make_book, tmp_path):
    """The number hangs in the margin; no space after it pushes the first line further in."""
    long_note = " ".join(["Długa uwaga o sprawcach i świadkach, powtarzana dla próby składu."] * 6)
    root = make_book({"01.md": f"# Rozdział\n\nTekst z przypisem.[^a]\n\n[^a]: {long_note}\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    pdf = pypdfium2.PdfDocument(str(out["pdf"]))
    try:
        page = next(pdf[i] for i in range(len(pdf)) if "Długa" in pdf[i].get_textpage().get_text_range())
        tp = page.get_textpage()
        chars = [(tp.get_text_range(i, 1), tp.get_charbox(i)) for i in range(tp.count_chars())]
    finally:
        pdf.close()
    start = next(i for i in range(len(chars)) if chars[i][0] == "D" and chars[i + 1][0] == "ł")
    first_line_left = chars[start][1][0]
    first_bottom = chars[start][1][1]
    # The first visible character of the next line: lower on the page, and leftmost there.
    below = [box for ch, box in chars[start:] if ch.strip() and box[1] < first_bottom - 5]
    second_bottom = max(box[1] for box in below)
    second_line_left = min(box[0] for box in below if abs(box[1] - second_bottom) < 2)
    assert abs(first_line_left - second_line_left) < 0.5
    with zipfile.ZipFile(out["epub"]) as z:
        li = etree.fromstring(z.read("EPUB/notes.xhtml")).find(".//x:li", XHTML_NS)
    assert re.match(r"1\. Długa", "".join(li.itertext()).strip())


def test_print_edition_is_the_pdf_with_bleed_and_crop_marks(tmp_path):
    """One layout: the print edition's pages are the PDF's, with 3 mm of bleed on every side and the
    crop marks beyond it, on a sheet 8 mm larger than the bleed."""
    from kolofon.writers.print_edition import SLUG_MM

    result = build(Options(MANUSCRIPT, tmp_path, editions=("pdf", "print"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    assert validate.page_texts(out["print"]) == validate.page_texts(out["pdf"])
    bleed, slug = 3 * 72 / 25.4, SLUG_MM * 72 / 25.4
    with pikepdf.open(out["pdf"]) as pdf, pikepdf.open(out["print"]) as sheet:
        assert len(sheet.pages) == len(pdf.pages)
        for page, printed in zip(pdf.pages, sheet.pages, strict=True):
            trim = [float(v) for v in printed.obj.TrimBox]
            assert trim == [float(v) for v in page.mediabox]
            grown = [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed]
            assert [float(v) for v in printed.obj.BleedBox] == pytest.approx(grown)
            assert [float(v) for v in printed.mediabox] == pytest.approx(
                [grown[0] - slug, grown[1] - slug, grown[2] + slug, grown[3] + slug])
    # The crop marks are drawn beyond the bleed: rendered, the bleed stays white, the mark is dark.
    doc = pypdfium2.PdfDocument(out["print"])
    try:
        image = doc[0].render(scale=8).to_pil().convert("L")
    finally:
        doc.close()
    trim_x, bleed_edge = int((slug + bleed) * 8), int(slug * 8)  # in pixels from the sheet's edge
    assert image.crop((trim_x - 3, bleed_edge + 4, trim_x + 3, trim_x - 4)).getextrema()[0] > 250  # bleed
    assert image.crop((trim_x - 3, 0, trim_x + 3, bleed_edge - 4)).getextrema()[0] < 160  # the mark


def test_every_pdf_link_can_be_clicked_and_a_note_call_link_covers_its_number(built):
    """A note call is set with line-height: 0; its link once had no height (nothing to click)."""
    path = built[1]["pdf"]
    calls = 0
    with pikepdf.open(path) as pdf:
        rects = [[[float(v) for v in annot.Rect] for annot in page.obj.get("/Annots", [])]
                 for page in pdf.pages]
    doc = pypdfium2.PdfDocument(str(path))
    try:
        for index, page_rects in enumerate(rects):
            for x1, y1, x2, y2 in page_rects:
                assert x2 - x1 > 1 and y2 - y1 > 3, (index, x1, y1, x2, y2)
            tp = doc[index].get_textpage()
            for x1, y1, x2, y2 in page_rects:
                inside = tp.get_text_bounded(left=x1, bottom=y1, right=x2, top=y2).strip()
                if re.fullmatch(r"\d+", inside) and y2 - y1 < 12:  # a raised note number, not a locator
                    calls += 1
    finally:
        doc.close()
    assert calls >= 7  # the seed book's seven note calls


def test_every_page_of_text_shows_its_number(layout, pages):
    """The seed book's chapters are one page each: openings carried no folio, so no page of the text,
    notes or index showed its number while the contents and the index sent readers to them."""
    _book, lay = layout
    for folio in range(1, lay.pages - lay.front_pages + 1):
        text = pages[lay.front_pages + folio - 1].strip()
        if text:  # blank pages stay blank
            assert re.search(rf"(?:^|\s){folio}$", text.splitlines()[-1]) or \
                re.match(rf"{folio}\s", text), (folio, text[-80:])
