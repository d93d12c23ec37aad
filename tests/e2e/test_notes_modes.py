"""The seed book with its notes set three ways (notes: foot, chapter, end with note_numbering: chapter),
read back by real consumers: the PDF's text per page, the EPUB's XHTML, EPUBCheck and --check."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pypdfium2
import pytest
from lxml import etree

from kolofon.checks import validate
from kolofon.cli import main
from tests import single_pass
from tests.conftest import MANUSCRIPT, java_available, require_tool

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EPUB_TYPE = f"{{{NS['epub']}}}type"
DEFINITION = re.compile(r"^\[\^([^\]]+)\]:\s*(.+)$", re.M)


class Built:
    def __init__(self, root: Path, out: Path, status: int, report: str):
        self.root, self.out, self.status, self.report = root, out, status, report
        self.pdf = next(out.glob("*.pdf"))
        with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
            self.names = z.namelist()
            self.docs = {Path(n).name: etree.fromstring(z.read(n))
                         for n in self.names if n.endswith(".xhtml")}
            self.opf = z.read("EPUB/content.opf").decode()
        # What a reader's tool extracts, words hyphenated across lines joined, whitespace as one space.
        self.pages = [" ".join(re.sub(r"[-\u2010\xad]\r?\n", "", t).split())
                      for t in validate.page_texts(self.pdf)]

    def chapters(self) -> list[str]:
        return sorted(n for n in self.docs if re.fullmatch(r"ch\d+\.xhtml", n))


def _build(factory: pytest.TempPathFactory, name: str, yaml: str, check: bool) -> Built:
    root = factory.mktemp(name) / "manuscript"
    shutil.copytree(MANUSCRIPT, root)
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(yaml)
    out = root.parent / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main([str(root), "-o", str(out), "-e", "pdf", "-e", "epub", "--no-proof", "-q",
                       *(["--check"] if check else [])])
    assert status in ((0, 3) if check else (0,)), stderr.getvalue()
    return Built(root, out, status, stdout.getvalue())


@pytest.fixture(scope="module")
def foot(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "foot", "notes: foot\n", check=True)


@pytest.fixture(scope="module")
def chapter(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "chapter", "notes: chapter\n", check=True)


@pytest.fixture(scope="module")
def end_by_chapter(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "end", "notes: end\nnote_numbering: chapter\n", check=False)


def _definitions(root: Path) -> dict[tuple[str, str], str]:
    """(file, label) -> the first words of each note as the Markdown defines it."""
    return {(md.name, label): " ".join(text.split()[:3])
            for md in sorted(root.glob("*.md")) for label, text in DEFINITION.findall(md.read_text("utf-8"))}


def _ids(doc: etree._Element) -> set[str]:
    return {el.get("id") for el in doc.iter() if el.get("id")}


def _calls(doc: etree._Element) -> list[etree._Element]:
    return list(doc.iterfind(".//x:a[@role='doc-noteref']", NS))


def _no_notes_section(built: Built) -> None:
    assert "EPUB/notes.xhtml" not in built.names
    landmarks = built.docs["nav.xhtml"].find(".//x:nav[@epub:type='landmarks']", NS)
    assert [a.get(EPUB_TYPE) for a in landmarks.iterfind(".//x:a", NS)].count("endnotes") == 0
    contents = next(t for t in built.pages if t.startswith("Spis treści"))
    assert "Indeks" in contents and "Przypisy" not in contents


def _check_passed(built: Built) -> None:
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert built.status == 0, built.report
    assert re.search(r"^ok .*EPUBCheck", built.report, re.M), built.report


# notes: foot


@pytest.fixture(scope="module")
def foot_layout(foot: Built, tmp_path_factory: pytest.TempPathFactory):
    return single_pass.build_layout(foot.root, tmp_path_factory.mktemp("foot-layout"))


def test_foot_each_note_stands_on_the_page_of_its_call(foot, foot_layout):
    book, layout = foot_layout
    words = _definitions(foot.root)
    assert len(book.notes) == len(words) == 7
    for note in book.notes:
        page = layout.page_of[note.call_id]
        assert layout.page_of[note.id] == page, note.number
        # And the PDF a reader gets has the note's text on that page, after the call's number.
        text = foot.pages[layout.front_pages + page - 1]
        assert f"{note.number}. {words[(note.path.name, note.label)]}" in text, (note.number, text)


def test_foot_has_no_notes_section(foot):
    _no_notes_section(foot)
    assert not [t for t in foot.pages if t.startswith("Przypisy")]  # no page opens a notes section
    assert not [t for t in foot.pages if "Przypisy" in t]  # nor a chapter's notes


def test_foot_epub_notes_are_asides_after_the_block_of_their_call(foot):
    asides = 0
    for name in foot.chapters():
        doc = foot.docs[name]
        ids = _ids(doc)
        section = doc.find(".//x:section", NS)
        for call in _calls(doc):
            target = call.get("href")
            assert target.startswith("#") and target[1:] in ids  # in the same document
            aside = doc.find(f".//*[@id='{target[1:]}']")
            assert etree.QName(aside).localname == "aside"
            assert aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
            assert aside.getparent() is section
            block = call
            while block.getparent() is not section:
                block = block.getparent()
            following = block.getnext()  # the block of the call, then its notes' asides
            while following is not None and following is not aside:
                assert etree.QName(following).localname == "aside"
                following = following.getnext()
            assert following is aside, call.get("id")
            back = aside.find(".//x:a[@role='doc-backlink']", NS)
            back_file, _, back_id = back.get("href").partition("#")
            assert back_file == name and back_id == call.get("id") and back_id in ids
            asides += 1
    assert asides == 7


def test_foot_passes_every_check(foot):
    _check_passed(foot)


def test_foot_accessibility_summary_does_not_promise_endnotes(foot):
    summary = re.search(r'property="schema:accessibilitySummary">([^<]*)<', foot.opf)
    assert summary is not None
    assert "końcowe" not in summary.group(1)


# notes: chapter


def test_chapter_notes_close_each_chapter_in_the_epub(chapter):
    for name in chapter.chapters():
        doc = chapter.docs[name]
        calls = _calls(doc)
        assert calls
        section = doc.find(".//x:section", NS)
        notes = section[-1]  # the chapter's last element
        assert notes.get("class") == "chapter-notes"
        assert notes.get(EPUB_TYPE) == "endnotes" and notes.get("role") == "doc-endnotes"
        items = notes.findall(".//x:li", NS)
        assert [li.get("id") for li in items] == [a.get("href").removeprefix("#") for a in calls]
        for li in items:
            assert li.get(EPUB_TYPE) == "endnote"
            back = li.find(".//x:a[@role='doc-backlink']", NS)
            assert back.get("href") == f"{name}#{calls[items.index(li)].get('id')}"
    _no_notes_section(chapter)


def test_chapter_notes_are_printed_on_their_chapters_pages(chapter):
    titles = [" ".join(chapter.docs[n].find(".//x:h1", NS).text.split()) for n in chapter.chapters()]
    starts = [next(i for i, t in enumerate(chapter.pages) if t.startswith(title)) for title in titles]
    assert starts == sorted(starts)
    ends = [*starts[1:], len(chapter.pages)]
    words = _definitions(chapter.root)
    files = sorted(p.name for p in chapter.root.glob("*.md"))
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        own = [text for (file, _label), text in words.items() if file == files[number]]
        pages = chapter.pages[start:end]
        assert own and all(any(text in p for p in pages) for text in own), files[number]
        assert any("Przypisy" in p for p in pages)  # each chapter's notes under their own heading


def test_chapter_passes_every_check(chapter):
    _check_passed(chapter)


# notes: end, note_numbering: chapter


def test_numbers_start_again_in_each_chapter(end_by_chapter):
    docs = end_by_chapter.docs
    numbers = {name: [a.text for a in _calls(docs[name])] for name in end_by_chapter.chapters()}
    assert numbers == {"ch01.xhtml": ["1", "2"], "ch02.xhtml": ["1"], "ch03.xhtml": ["1", "2"],
                       "ch04.xhtml": ["1", "2"]}
    notes = end_by_chapter.docs["notes.xhtml"]
    for name, doc in end_by_chapter.docs.items():
        for call in _calls(doc):
            file, _, target = call.get("href").partition("#")
            assert file == "notes.xhtml" and target in _ids(notes), (name, target)


def test_ids_are_unique_across_the_whole_epub(end_by_chapter):
    ids = [el.get("id") for doc in end_by_chapter.docs.values() for el in doc.iter() if el.get("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert duplicates == set()
    assert len([i for i in ids if i.startswith("note-")]) == 7


def test_pdf_notes_section_numbers_each_chapter_from_one(end_by_chapter):
    notes = " ".join(t for t in end_by_chapter.pages if t.startswith("Przypisy"))
    assert notes, "the notes section"
    words = _definitions(end_by_chapter.root)
    krasnowodzk = words[("02-pogromy-i-deportacje.md", "krasnowodzk")]
    assert re.search(rf"Pogromy i deportacje 1\. {re.escape(krasnowodzk)}", notes), notes


def test_end_by_chapter_passes_epubcheck(end_by_chapter):
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(next(end_by_chapter.out.glob("*.epub"))) == []


def test_a_note_call_in_a_heading_stays_out_of_the_contents(make_book, tmp_path):
    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-01-02\nnotes: foot\n",
                      "01.md": "# One\n\n## Sub[^f]\n\nText.\n\n[^f]: Note F.\n"})
    assert main([str(root), "-o", str(tmp_path / "out"), "-e", "pdf", "-e", "epub", "--no-proof", "-q"]) == 0
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    toc = [" ".join("".join(a.itertext()).split()) for a in nav.find(".//x:nav[@id='toc']", NS).iter()
           if etree.QName(a).localname == "a"]
    pdf = pypdfium2.PdfDocument(str(next((tmp_path / "out").glob("*.pdf"))))
    try:
        bookmarks = [b.get_title() for b in pdf.get_toc()]
    finally:
        pdf.close()
    assert "Sub" in toc and "Sub" in bookmarks, (toc, bookmarks)


def test_a_table_in_a_footnote_stays_in_the_footnote(make_book, tmp_path):
    """A table in a footnote was set in the text at the call and split its paragraph (QA sweep 7)."""
    root = make_book({"book.yaml": "title: T\nlang: en\nnotes: foot\n",
                      "01.md": "# Notes\n\nBefore the call, a note.[^t] After the call, it goes on.\n\n"
                               "[^t]: A note with a table:\n\n    | Year | Ships |\n    |---|---|\n"
                               "    | 1820 | 112 |\n"})
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf"]) == 0
    pdf = pypdfium2.PdfDocument(str(next(out.glob("*.pdf"))))
    try:
        boxes = next(t for t in (pdf[i].get_textpage() for i in range(len(pdf)))
                     if "Before the call" in t.get_text_range())
        text = " ".join(boxes.get_text_range().split())
        body_y = boxes.get_charbox(boxes.get_text_range().index("After"))[1]
        table_y = boxes.get_charbox(boxes.get_text_range().index("Ships"))[1]
    finally:
        pdf.close()
    assert "a note.1 After the call, it goes on." in text
    assert "1. A note with a table: Year Ships 1820 112" in text
    assert table_y < body_y  # below the text, at the page's foot


def test_a_note_called_on_two_pages_leads_back_to_both(make_book, tmp_path):
    """A note called twice led back only to its first call (QA sweep 8)."""
    filler = "A long paragraph of text that fills the page. " * 120
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": f"# One\n\nFirst call.[^same]\n\n{filler}\n\n"
                               "Second call.[^same] Third.[^same]\n\n[^same]: The same note.\n"})
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), "-q", "--no-proof", "-e", "pdf", "-e", "epub"]) == 0
    pdf = pypdfium2.PdfDocument(str(next(out.glob("*.pdf"))))
    try:
        texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        notes = next(" ".join(t.split()) for t in texts if "The same note." in t)
    finally:
        pdf.close()
    assert re.search(r"The same note\. ↑ p\. 1, [2-9]$", notes.split(" 1. ", 1)[1].rsplit(" ", 1)[0]), notes
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        note = z.read("EPUB/notes.xhtml").decode()
    assert 'href="ch01.xhtml#noteref-1-2" epub:type="backlink"' in note and "noteref-1-3" not in note
