"""Web addresses in the text break where Chicago lets them (kolofon/source/mdext/urls.py), are left as
written by the typography and by emphasis, and read whole from the PDF."""

from __future__ import annotations

import pypdfium2

from kolofon.layout import engine
from kolofon.pipeline import read_book
from kolofon.render import Renderer
from kolofon.source.mdext.urls import url_parts

URL = "https://example.org/ferries/outer-isles/time_tables/2026/a--b.pdf?x=1&y=2"
YAML = "title: Lights\nlang: en\ndate: 2026-12-02\npage_size: A6\nnotes: foot\n"


def test_an_address_breaks_where_chicago_lets_it_and_keeps_every_character():
    parts = url_parts(URL)
    assert "".join(parts) == URL
    # After "//"; before a single slash, a period, a hyphen, an underscore, a question mark; before and
    # after an equals sign and an ampersand.
    assert parts == ["https://", "example", ".org", "/ferries", "/outer", "-isles", "/time", "_tables",
                     "/2026", "/a", "-", "-b", ".pdf", "?x", "=", "1", "&", "y", "=", "2"]


def test_an_address_in_a_note_is_set_whole_and_unchanged(make_book):
    chapter = (f"# One\n\nThe timetable is online.[^t] It says so.\n\n[^t]: Full timetable: {URL} "
               "(checked).\n")
    book, _ = read_book(make_book({"book.yaml": YAML, "01.md": chapter}))
    note = book.notes[0]
    assert '<span class="url">https://<wbr/>example<wbr/>.org' in note.html
    # In print each part is unbreakable (Pango breaks after a hyphen or a slash inside one).
    assert ('<span class="url"><span class="nobreak">https://</span><wbr/><span class="nobreak">example'
            '</span><wbr/><span class="nobreak">.org</span>') in note.print_html
    assert '<wbr/>=<wbr/><span class="nobreak">1</span>' not in note.print_html  # one character: bare
    assert "<wbr/>=<wbr/>1<wbr/>&amp;<wbr/>y<wbr/>=<wbr/>2</span>" in note.print_html
    assert "<em>" not in note.html and "–" not in note.html  # no emphasis, no en dash
    assert note.print_html.endswith("</span> (checked).</p>")  # Python-Markdown's back-link space gone
    document = engine.render(engine.chapter_jobs(book, Renderer())[0])
    pdf = pypdfium2.PdfDocument(document.write_pdf())
    try:
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert "\u200b" not in text
    assert URL.replace("-", "") in text.replace("\r\n", "").replace("-", "").replace("\ufffe", "")


def test_an_email_address_is_an_address_but_a_reference_is_not(make_book):
    """An e-mail address was hyphenated like a word ('exam-ple.org' in print)."""
    parts = ["jan", ".kowalski", "@fig", "-x", ".example", ".org"]
    assert url_parts("".join(parts)) == parts
    chapter = "# One {#sec-one}\n\nWrite to jan.kowalski@example.org, as @sec-one says.\n"
    book, _ = read_book(make_book({"book.yaml": YAML, "01.md": chapter}))
    html = book.chapters[0].body_html
    assert '<span class="url">jan<wbr/>.kowalski<wbr/>@example<wbr/>.org</span>, as' in html
    assert html.count('class="url"') == 1
