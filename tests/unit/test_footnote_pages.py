"""A footnote's opening stays on the page of its call (kolofon/layout/footnotes.py). WeasyPrint moved
the page's last footnote to the next page to fit a paragraph's second line at the foot of a page: the
note went, its call and its rule stayed (an A6 page of a test book, note 2)."""

from __future__ import annotations

from weasyprint.layout import block

from kolofon.layout import engine, footnotes
from kolofon.pipeline import read_book
from kolofon.render import Renderer

YAML = "title: Lights\nlang: en\ndate: 2026-12-02\npage_size: A6\nnotes: foot\n"
CHAPTER = (
    '# Before You Go: *Tides*, Boats and Ормяне Words\n'
    '\n'
    'A careful reading of the logbooks reveals a surprising amount of information about birds,'
    " fish and the migration of seals. The station's library, supplied by a charitable"
    ' society, consisted mainly of sermons, almanacs and a few well-thumbed novels.[^u]\n'
    '\n'
    '[^u]: Full timetable:'
    ' https://example.org/ferries/outer-isles/timetables/2026/summer-and-winter-services-comple'
    'te.pdf (checked 2026).\n'
    '\n'
    'Supercalifragilisticexpialidocious and'
    ' Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch are long words; so is'
    ' pneumonoultramicroscopicsilicovolcanoconiosis.\n'
    '\n'
    'Greek: φάρος (pharos), Cyrillic: маяк, Armenian-free.\n'
    '\n'
    '    indented code block:'
    ' a_very_long_identifier_without_any_spaces_at_all_that_cannot_break_anywhere = compute(1,'
    ' 2, 3)\n'
    '    second line    with    internal    spacing\n'
    '\n'
    '| Ferry | Days | Depart | Arrive |\n'
    '|---|---|--:|--:|\n'
    '| MV Hebridean Isles | Mon, Wed, Fri | 07:15 | 11:40 |\n'
    '| MV Loch Seaforth | daily except Sunday | 14:00 | 16:45 |\n'
    '\n'
    ': Ferries {#tbl-ferries}\n'
    '\n'
    'Each station had its own character, shaped by the rock it stood on, the currents around'
    ' it and the people who served there. Most of the work was routine: trimming wicks,'
    ' polishing brass, cleaning the glass of the lantern and winding the clockwork that turned'
    ' the lens. Paraffin replaced colza oil in the eighteen-seventies, and the brighter flame'
    ' made it possible to see the light from a much greater distance.[^n0]\n'
    '\n'
    '[^n0]: Shipwrecks remained frequent on the northern approaches despite the new lights,'
    ' largely because of poor charts and unpredictable tides.\n'
    '\n'
    'When electricity finally arrived, many of the old routines disappeared within a single'
    ' season. During the war the lights were dimmed or extinguished altogether, and the'
    ' keepers were instructed to watch for aircraft. On the outer stations the supply boat'
    ' came once a fortnight, and in winter it could be delayed for a month or more. The'
    " keepers' wives did much of the unrecorded work of the stations, from baking bread to"
    ' nursing the sick during long isolation. Old photographs show the keepers in uniform,'
    ' standing stiffly in front of the tower with their families beside them.\n'
    '\n'
    "The station's library, supplied by a charitable society, consisted mainly of sermons,"
    ' almanacs and a few well-thumbed novels. Old photographs show the keepers in uniform,'
    ' standing stiffly in front of the tower with their families beside them. Each station had'
    ' its own character, shaped by the rock it stood on, the currents around it and the people'
    ' who served there. During the war the lights were dimmed or extinguished altogether, and'
    ' the keepers were instructed to watch for aircraft.[^n2]\n'
    '\n'
    '[^n2]: Old photographs show the keepers in uniform, standing stiffly in front of the'
    ' tower with their families beside them.\n'
    '\n'
    "The station's library, supplied by a charitable society, consisted mainly of sermons,"
    ' almanacs and a few well-thumbed novels.\n'
)

def _pages(make_book) -> dict[str, int]:
    """Each anchor's page in the chapter's own layout."""
    book, _ = read_book(make_book({"book.yaml": YAML, "01.md": CHAPTER}))
    document = engine.render(engine.chapter_jobs(book, Renderer())[0])
    return {name: i for i, page in enumerate(document.pages) for name in page.anchors}


def test_every_note_begins_on_the_page_of_its_call(make_book):
    pages = _pages(make_book)
    notes = sorted(name for name in pages if name.startswith("note-"))
    assert len(notes) == 3
    assert {n: pages[n] for n in notes} == {n: pages["noteref-" + n[5:]] for n in notes}


def test_without_the_fix_a_note_left_its_call(make_book, monkeypatch):
    monkeypatch.setattr(block, "_linebox_layout", footnotes.WEASYPRINT_LINEBOX_LAYOUT)
    pages = _pages(make_book)
    assert pages["note-2"] == pages["noteref-2"] + 1

