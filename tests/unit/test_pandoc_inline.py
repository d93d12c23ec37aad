"""Pandoc's inline forms (mdext/pandoc.py): inline notes, strikeout, sub- and superscripts and
bracketed spans became what they mean; their marks had been printed."""

from __future__ import annotations

import pytest

from kolofon.pipeline import read_book
from kolofon.source.mdext.pandoc import inline_notes


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_an_inline_note_is_a_note_like_the_others(make_book, lang):
    text = ("# One\n\nFirst.[^1] Then an inline one.^[With [a link](https://example.org) and\n"
            "*emphasis*, over two lines.] And `code ^[not a note]` stays.\n\n[^1]: A defined note.\n")
    book, diags = read_book(make_book({"book.yaml": f"title: T\nlang: {lang}\n", "01.md": text}))
    assert not diags
    first, inline = book.notes
    assert (first.number, inline.number) == (1, 2)
    assert "<em>emphasis</em>, over two lines." in inline.html and 'href="https://example.org"' in inline.html
    assert inline.line == 3  # where it stands
    body = book.chapters[0].body_html
    assert "^[" not in body.replace("<code>code ^[not a note]</code>", "")
    assert "<code>code ^[not a note]</code>" in body


def test_strikeout_subscripts_superscripts_and_spans(make_book):
    text = ("# One\n\n~~gone~~ H~2~O x^2^ [Small]{.smallcaps} [under]{.underline} [hi]{.mark} "
            "[x]{#here .y lang=\"pl\"} and ~5 km, a ^ b, [link](https://example.org){.z}.\n\n"
            "```\nH~2~O x^2^\n```\n")
    book, _ = read_book(make_book({"book.yaml": "title: T\nlang: en\n", "01.md": text}))
    body = book.chapters[0].body_html
    for html in ("<del>gone</del>", "H<sub>2</sub>O", "x<sup>2</sup>", '<span class="smallcaps">Small</span>',
                 "<u>under</u>", "<mark>hi</mark>", '<span class="y" id="here" lang="pl">x</span>',
                 "~5 km, a ^ b", "H~2~O x^2^\n</code>"):
        assert html in body, html
    assert 'class="z"' in body  # a link's attributes stay the link's


def test_inline_notes_leave_an_unclosed_one_and_an_escaped_one_alone():
    assert inline_notes("a \\^[b] c ^[d [e] f] g ^[h") == ("a \\^[b] c [^inline-1] g ^[h", ["d [e] f"])


def test_a_superscript_right_before_a_notes_call(make_book):
    """QA sweep 14: "120 m^2^[^area]" printed "m^2" and made a note of "^area"."""
    text = "# One\n\nA field of 120 m^2^[^area] here.\n\n[^area]: Measured in 1990.\n"
    book, diags = read_book(make_book({"book.yaml": "title: T\nlang: en\n", "01.md": text}))
    assert not diags and [n.label for n in book.notes] == ["area"]
    assert "m<sup>2</sup><a" in book.chapters[0].body_html


def test_an_inline_note_inside_a_note_is_one_error(make_book):
    """QA sweep 14: K303, and a K302 that named an internal label ([^inline-1]) the author never wrote."""
    from kolofon.diagnostics import BuildError

    text = "# One\n\nText.[^a]\n\n[^a]: A note with a note inside^[Nested.] here.\n"
    with pytest.raises(BuildError) as failed:
        read_book(make_book({"book.yaml": "title: T\nlang: en\n", "01.md": text}))
    assert [(d.code, d.line) for d in failed.value.diagnostics] == [("K303", 5)]


def test_an_unclosed_inline_note_is_said_with_its_line(make_book):
    """It is printed as written (its words may run to the end of the part): the author is told where."""
    text = "# One\n\nA closed one.^[Fine.]\n\nThen ^[an unclosed note\nthat runs on.\n"
    book, diags = read_book(make_book({"book.yaml": "title: T\nlang: pl\n", "01.md": text}))
    assert [(d.code, d.line, d.path.name) for d in diags] == [("K305", 5, "01.md")]
    assert len(book.notes) == 1 and "^[an unclosed note" in book.chapters[0].body_html
