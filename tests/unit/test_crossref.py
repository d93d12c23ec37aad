"""Cross-references resolved once the book is converted (source/crossref.py, source/resolve.py): the
words of every form, chapter and section references, capitals at a sentence start, forward references
and references in notes, the errors (K951, K952, K953), the printed pages (pagerefs.py) and the lists
of figures and tables (backmatter.float_lists)."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from kolofon.backmatter import FloatItem, float_lists
from kolofon.diagnostics import BuildError, Severity
from kolofon.labels import labels_for
from kolofon.model import Target
from kolofon.pagerefs import PENDING, book_with_pages, fill, has_pagerefs, placeholder
from kolofon.pipeline import read_book
from kolofon.source import crossref
from kolofon.source.mdext.xrefs import XREF_CLASS, Xref
from kolofon.source.xhtml import for_print

NBSP = "\u00a0"
PL = "title: Próba\nlang: pl\n"
EN = "title: Proof\nlang: en\n"
FIGURE_B = "![Mapa](x.png){#fig-b}\n"
TABLE_T = "| a |\n|---|\n| 1 |\n\n: Dane {#tbl-t}\n"


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return buf.getvalue()


def _files(*chapters: str, yaml: str = PL, **extra: str) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {f"{i:02d}.md": text for i, text in enumerate(chapters, 1)}
    files.update({"book.yaml": yaml, "x.png": _png(), **extra})
    return files


def _book(make_book, *chapters: str, yaml: str = PL, **extra: str):
    return read_book(make_book(_files(*chapters, yaml=yaml, **extra)))


def _errors(make_book, *chapters: str, yaml: str = PL, **extra: str):
    with pytest.raises(BuildError) as info:
        _book(make_book, *chapters, yaml=yaml, **extra)
    return info.value.diagnostics


def _refs(html: str) -> list[tuple[str, str]]:
    """(href, text) of each resolved reference, in order."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(a.get("href"), a.text_content()) for a in root.xpath("//a[@class='xref']")]


def _target(label: str, kind: str, number: str, title: str = "T", anchor: str | None = None,
            front: bool = False, line: int = 1, source: str = "01.md") -> Target:
    return Target(label, kind, anchor or label, number, title, Path(source), line, front)


def _mark(label: str, form: str = "label", raw: str | None = None) -> str:
    return f'<a class="{XREF_CLASS}" data-form="{form}" href="#{label}">{raw or "@" + label}</a>'


PL_WORDS = crossref.Words.of(labels_for("pl"), "pl")


# --- the words of each form -----------------------------------------------------------------------------


def test_every_form_in_a_book(make_book):
    book, warnings = _book(make_book, "# A\n\nZob. @fig-b, [-@fig-b], @page:fig-b i [-@page:fig-b]; "
                                      "zob. @tbl-t.\n", "# B\n\n" + FIGURE_B + "\n" + TABLE_T)
    body = book.chapters[0].body_html
    assert XREF_CLASS not in body and "@" not in body
    assert _refs(body) == [("#fig-b", f"rys.{NBSP}1"), ("#fig-b", "1"), ("#fig-b", f"s.{NBSP}{PENDING}"),
                           ("#fig-b", PENDING), ("#tbl-t", f"tab.{NBSP}1")]
    assert f'<a class="xref" href="#fig-b">s.{NBSP}{placeholder("fig-b")}</a>' in body
    assert f'<a class="xref" href="#fig-b">{placeholder("fig-b")}</a>' in body
    assert _refs(for_print(book.chapters[0].body_html)) == _refs(body)
    assert warnings == []


@pytest.mark.parametrize(("before", "glued"), [("na s.", True), ("tab.", True), ("roku.", False),
                                               ("Zob. rozdział", False)])
def test_a_number_after_its_abbreviation_never_starts_a_line(make_book, before, glued):
    """"i na s. [-@page:tbl-t]" broke after "s." (QA sweep 8): the number was not in the text when its
    typography glued "s. 12"."""
    book, _ = _book(make_book, f"# A\n\nTekst {before} [-@page:tbl-t] dalej.\n", "# B\n\n" + TABLE_T)
    for html in (book.chapters[0].body_html, for_print(book.chapters[0].body_html)):
        assert (f"{before}{NBSP}<a" in html) is glued and (f"{before} <a" in html) is not glued


def test_quartos_capital_and_prefixed_forms(make_book):
    """"[Rycina @fig-b]" printed "[Rycina rys. 1]" and "@Fig-b" was taken for a citation (K907; QA
    sweep 7)."""
    book, warnings = _book(make_book, "# A\n\nWłasny: [Rycina @fig-b]. Tu @Fig-b i @Tbl-t.\n",
                           "# B\n\n" + FIGURE_B + "\n" + TABLE_T)
    assert _refs(book.chapters[0].body_html) == [("#fig-b", f"Rycina{NBSP}1"), ("#fig-b", f"Rys.{NBSP}1"),
                                                 ("#tbl-t", f"Tab.{NBSP}1")]
    assert warnings == []


def test_chapter_label_links_to_the_chapter(make_book):
    book, _ = _book(make_book, "# Pierwszy\n\nJak w @sec-drugi.\n", "# Drugi {#sec-drugi}\n\nTekst.\n")
    assert _refs(book.chapters[0].body_html) == [("#ch02", "„Drugi”")]
    [target] = book.targets
    assert (target.kind, target.anchor, target.title) == ("chapter", "ch02", "Drugi")


def test_numbered_chapters_and_sections(make_book):
    yaml = PL + "numbered_sections: true\n"
    book, _ = _book(make_book, "# Pierwszy\n\nZob. @sec-b oraz @sec-b1.\n",
                    "# Drugi {#sec-b}\n\n## Sekcja {#sec-b1}\n\nTekst.\n", yaml=yaml)
    assert _refs(book.chapters[0].body_html) == [("#ch02", f"rozdział{NBSP}2"),
                                                 ("#sec-b1", f"podrozdział{NBSP}2.1")]
    assert [(t.label, t.number, t.title) for t in book.targets] == [("sec-b", "2", "Drugi"),
                                                                    ("sec-b1", "2.1", "Sekcja")]


@pytest.mark.parametrize(("yaml", "quoted"), [(PL, "„Sekcja”"), (EN, "“Sekcja”")])
def test_unnumbered_section_is_its_quoted_title(make_book, yaml, quoted):
    book, _ = _book(make_book, "# A\n\nZob. @sec-s i [-@sec-s].\n\n## Sekcja {#sec-s}\n\nTekst.\n", yaml=yaml)
    assert _refs(book.chapters[0].body_html) == [("#sec-s", quoted), ("#sec-s", quoted)]


def test_english_words(make_book):
    book, _ = _book(make_book,
                    "# One {#sec-one}\n\nSee @fig-b, @tbl-t, @sec-two and @sec-s, or @page:fig-b.\n",
                    "# Two {#sec-two}\n\n## Sub {#sec-s}\n\n" + FIGURE_B + "\n" + TABLE_T,
                    yaml=EN + "numbered_sections: true\n")
    assert _refs(book.chapters[0].body_html) == [
        ("#fig-b", f"Figure{NBSP}1"), ("#tbl-t", f"Table{NBSP}1"), ("#ch02", f"Chapter{NBSP}2"),
        ("#sec-s", f"Section{NBSP}2.1"), ("#fig-b", f"p.{NBSP}{PENDING}")]


def test_numbers_by_chapter_in_references(make_book):
    book, _ = _book(make_book, "# A\n\nZob. @fig-b i [-@fig-b].\n", "# B\n\n" + FIGURE_B,
                    yaml=PL + "figure_numbering: chapter\n")
    assert _refs(book.chapters[0].body_html) == [("#fig-b", f"rys.{NBSP}2.1"), ("#fig-b", "2.1")]


# --- capitals at a sentence start -----------------------------------------------------------------------


def test_capital_at_a_sentence_start_in_a_book(make_book):
    book, _ = _book(make_book, "# A\n\n@fig-b na początku. Było to w roku. @fig-b tu. I zob. @fig-b.\n\n"
                    + FIGURE_B)
    assert [text for _href, text in _refs(book.chapters[0].body_html)] == [
        f"Rys.{NBSP}1", f"Rys.{NBSP}1", f"rys.{NBSP}1"]
    assert [text for _href, text in _refs(for_print(book.chapters[0].body_html))][:2] == [f"Rys.{NBSP}1"] * 2


def test_a_sentence_that_ends_in_a_reference_number_ends(make_book):
    """"Rys. [-@fig-b]. @tbl-t zawiera" read "Rys. 1. tab. 1 zawiera": the placeholder, not its number,
    stood before the second reference when it was judged (QA sweep 7)."""
    book, _ = _book(make_book, "# A\n\nDane: rys. [-@fig-b]. @tbl-t zawiera je.\n\n"
                    + FIGURE_B + "\n" + TABLE_T)
    assert [text for _href, text in _refs(book.chapters[0].body_html)] == ["1", f"Tab.{NBSP}1"]


@pytest.mark.parametrize(("before", "capital"), [
    ("<p>", True),
    ('<p id="x-b1">  ', True),
    ("<li>", True),
    ("<p>Było to w roku. ", True),
    ("<p>Tak było w 1990. ", True),
    ("<p>Skąd? ", True),
    ("<p>Patrz! ", True),
    ("<p>Tak (to koniec.) ", True),  # a sentence closed inside a bracket
    ("<p>Mówił „to koniec.” ", True),
    ("<p>Zob. ", False),
    ("<p>I zob. ", False),
    ("<p>Tak, s. ", False),
    ("<p>Np. ", False),
    ("<p>Por. ", False),
    ("<p>Jak ", False),
    ("<p>Jak widać, ", False),
])
def test_capital_rule(before, capital):
    targets = {"fig-a": _target("fig-a", "figure", "3")}
    html = crossref.substitute(before + _mark("fig-a") + " pokazuje.</p>", targets, PL_WORDS)
    expected = f"Rys.{NBSP}3" if capital else f"rys.{NBSP}3"
    assert f'<a class="xref" href="#fig-a">{expected}</a>' in html


def test_only_the_label_form_is_capitalised():
    targets = {"sec-a": _target("sec-a", "section", "", "wstęp"), "fig-a": _target("fig-a", "figure", "3")}
    html = crossref.substitute("<p>" + _mark("sec-a") + " i</p><p>" + _mark("fig-a", "page") + "</p>",
                               targets, PL_WORDS)
    assert "„wstęp”" in html  # a quoted title stays as its author wrote it
    assert f"s.{NBSP}" in html and f"S.{NBSP}" not in html


def test_capital_after_a_sentence_ending_in_emphasis(make_book):
    book, _ = _book(make_book, "# A\n\nTo było *ważne*. @fig-b pokazuje.\n\n" + FIGURE_B)
    assert _refs(book.chapters[0].body_html) == [("#fig-b", f"Rys.{NBSP}1")]


# --- forward references and notes -----------------------------------------------------------------------


def test_forward_reference_and_reference_in_a_note(make_book):
    book, _ = _book(make_book, "# A\n\nJak na @fig-b[^1].\n\n[^1]: Zob. też @tbl-t i @page:fig-b.\n",
                    "# B\n\n" + FIGURE_B + "\n" + TABLE_T)
    assert _refs(book.chapters[0].body_html)[0] == ("#fig-b", f"rys.{NBSP}1")
    [note] = book.notes
    assert XREF_CLASS not in note.html and XREF_CLASS not in note.print_html
    assert _refs(note.html) == [("#tbl-t", f"tab.{NBSP}1"), ("#fig-b", f"s.{NBSP}{PENDING}")]
    assert _refs(note.print_html) == _refs(note.html)


def test_reference_in_a_chapter_title(make_book):
    book, _ = _book(make_book, "# O @fig-b\n\nTekst.\n", "# B\n\n" + FIGURE_B)
    assert _refs(book.chapters[0].title_html) == [("#fig-b", f"rys.{NBSP}1")]
    assert "@fig-b" not in book.chapters[0].title_html
    assert book.chapters[0].title_text == f"O{NBSP}rys.{NBSP}1"  # the contents, bookmarks and running heads


def test_reference_in_a_section_heading_reaches_the_contents(make_book):
    book, _ = _book(make_book, "# A\n\n## Wokół @fig-b {#sec-w}\n\n" + FIGURE_B)
    assert [h.text for h in book.chapters[0].headings] == [f"Wokół rys.{NBSP}1"]


def test_reference_in_a_caption(make_book):
    book, _ = _book(make_book, "# A\n\n![Mapa](x.png){#fig-a}\n\n![Jak na @fig-a](x.png){#fig-b}\n")
    root = lxml.html.fragment_fromstring(book.chapters[0].body_html, create_parent="div")
    caption = root.xpath("//figure[@id='fig-b']/figcaption")[0]
    assert caption.text_content().replace(NBSP, " ").split() == ["Rys.", "2.", "Jak", "na", "rys.", "1"]
    assert caption.xpath("a[@class='xref']")[0].get("href") == "#fig-a"


def test_reference_in_a_caption_is_resolved_in_the_alt_and_the_list(make_book):
    book, _ = _book(make_book, "# A\n\n![Mapa](x.png){#fig-a}\n\n![Jak na @fig-a](x.png){#fig-b}\n")
    assert "@fig-a" not in book.chapters[0].body_html
    assert "@fig-a" not in book.targets[1].title


def test_a_book_without_references_is_untouched(make_book):
    book, _ = _book(make_book, "# A\n\nPisz na ala@fig-x.pl.\n\n" + FIGURE_B)
    assert '<span class="url">ala<wbr/>@fig<wbr/>-x<wbr/>.pl</span>' in book.chapters[0].body_html
    assert 'class="xref"' not in book.chapters[0].body_html


# --- errors ---------------------------------------------------------------------------------------------


def test_unknown_label_is_an_error_with_its_line(make_book):
    diags = _errors(make_book, "# A\n\nTekst.\n\nZob. @fig-nie.\n", "# B\n\n" + FIGURE_B)
    [d] = diags
    assert (d.code, d.severity, d.path.name, d.line) == ("K952", Severity.ERROR, "01.md", 5)
    assert "@fig-nie" in d.message and "fig-b" in d.message  # the labels of this kind, as a hint


def test_unknown_labels_each_with_its_line(make_book):
    diags = _errors(make_book, "# A\n\nZob. @fig-x.\n\nI @tbl-y.\n\nI znów @fig-x.\n")
    assert [(d.code, d.line) for d in diags] == [("K952", 3), ("K952", 5), ("K952", 7)]


def test_unknown_label_in_a_note(make_book):
    diags = _errors(make_book, "# A\n\nTekst[^1].\n\n[^1]: Zob. @tbl-brak.\n")
    assert [(d.code, d.line) for d in diags] == [("K952", 5)]


def test_unknown_label_line_when_the_same_text_stands_earlier(make_book):
    diags = _errors(make_book, "# A\n\n[-@fig-nie] jest.\n\nTekst.\n\nZob. @fig-nie.\n")
    assert sorted(d.line for d in diags) == [3, 7]


def test_duplicate_label_names_both_places(make_book):
    diags = _errors(make_book, "# A\n\n![M](x.png){#fig-a}\n", "# B\n\nTekst.\n\n![N](x.png){#fig-a}\n")
    [d] = diags
    assert (d.code, d.path.name, d.line) == ("K951", "02.md", 5)
    assert "01.md:3" in d.message and "#fig-a" in d.message


def test_duplicate_chapter_and_section_labels(make_book):
    diags = _errors(make_book, "# Pierwszy {#sec-x}\n\nTekst.\n\n## Drugi {#sec-x}\n")
    assert [(d.code, d.path.name) for d in diags] == [("K951", "01.md")]


def test_duplicate_label_in_one_file_names_both_lines(make_book):
    diags = _errors(make_book, "# Pierwszy\n\n![M](x.png){#fig-a}\n\n![N](x.png){#fig-a}\n")
    [d] = diags
    assert (d.code, d.line) == ("K951", 5) and "01.md:3" in d.message


def test_label_after_a_one_letter_word_in_a_heading(make_book):
    book, _ = _book(make_book, "# Część A {#sec-a}\n\nZob. @sec-b.\n\n## Świat w {#sec-b}\n\nTekst.\n")
    assert "{#" not in book.chapters[0].title_html + book.chapters[0].body_html
    assert [t.label for t in book.targets] == ["sec-a", "sec-b"]


def test_duplicates_directly():
    targets = [_target("fig-a", "figure", "1", line=3), _target("tbl-a", "table", "1", line=4),
               _target("fig-a", "figure", "2", line=9, source="02.md")]
    [d] = crossref.duplicates(targets)
    assert (d.code, d.path, d.line) == ("K951", Path("02.md"), 9) and "01.md:3" in d.message
    assert crossref.duplicates(targets[:2]) == []


def test_page_reference_into_the_front_matter(make_book):
    yaml = PL + "front:\n  - preface: pre.md\n"
    diags = _errors(make_book, "# A\n\nZob. @fig-p.\n\nI @page:fig-p.\n", yaml=yaml,
                    **{"pre.md": "# Przedmowa\n\n![M](x.png){#fig-p}\n"})
    [d] = diags
    assert (d.code, d.path.name, d.line) == ("K953", "01.md", 5)


def test_label_reference_into_the_front_matter_is_fine(make_book):
    yaml = PL + "front:\n  - preface: pre.md\n"
    book, _ = _book(make_book, "# A\n\nZob. @fig-p i [-@fig-p].\n", yaml=yaml,
                    **{"pre.md": "# Przedmowa\n\n![M](x.png){#fig-p}\n"})
    assert _refs(book.chapters[0].body_html) == [("#fig-p", f"rys.{NBSP}1"), ("#fig-p", "1")]
    assert [t.front for t in book.targets] == [True]


def test_check_directly():
    targets = {"fig-a": _target("fig-a", "figure", "1"), "fig-f": _target("fig-f", "figure", "2", front=True)}
    text = "@fig-a\n@fig-z\n[-@page:fig-f]\n@fig-f\n"
    xrefs = [Xref("fig-a", "label", "@fig-a"), Xref("fig-z", "label", "@fig-z"),
             Xref("fig-f", "page-number", "[-@page:fig-f]"), Xref("fig-f", "label", "@fig-f")]
    diags = crossref.check(xrefs, targets, text, Path("x.md"))
    assert [(d.code, d.line) for d in diags] == [("K952", 2), ("K953", 3)]
    assert "fig-a, fig-f" in diags[0].message


# --- printed pages --------------------------------------------------------------------------------------


def test_fill_puts_the_page_in_and_keeps_the_pending_mark_when_unknown():
    html = f"<p>s. {placeholder('fig-a')} i {placeholder('fig-b')}</p>"
    assert has_pagerefs(html) and not has_pagerefs("<p>s. 14</p>")
    filled = fill(html, {"fig-a": 14})
    assert filled == ('<p>s. <span class="pageno" data-page-of="fig-a">14</span> i '
                      f'<span class="pageno" data-page-of="fig-b">{PENDING}</span></p>')
    assert fill(filled, {"fig-a": 15, "fig-b": 3}).count(">15<") == 1  # filled again, not appended
    assert ">3</span>" in fill(filled, {"fig-a": 15, "fig-b": 3})
    assert fill("<p>bez</p>", {"fig-a": 1}) == "<p>bez</p>"


def test_book_with_pages_fills_chapters_and_notes(make_book):
    book, _ = _book(make_book, "# A\n\nZob. @page:fig-b[^1].\n\n[^1]: I [-@page:tbl-t].\n",
                    "# B\n\n" + FIGURE_B + "\n" + TABLE_T)
    paged = book_with_pages(book, {"fig-b": 14, "tbl-t": 15})
    body, note = paged.chapters[0].body_html, paged.notes[0]
    assert _refs(body) == [("#fig-b", f"s.{NBSP}14")]
    assert _refs(for_print(paged.chapters[0].body_html)) == [("#fig-b", f"s.{NBSP}14")]
    assert _refs(note.html) == [("#tbl-t", "15")] and _refs(note.print_html) == [("#tbl-t", "15")]
    assert book.notes[0].html != note.html  # the book itself is unchanged (frozen, replaced)
    assert paged.chapters[1].body_html == book.chapters[1].body_html


def test_book_with_pages_without_page_references_is_the_same_book(make_book):
    book, _ = _book(make_book, "# A\n\nZob. @fig-b.\n\n" + FIGURE_B)
    assert book_with_pages(book, {"fig-b": 3}) is book


# --- lists of figures and tables ------------------------------------------------------------------------


def test_float_lists(make_book):
    book, _ = _book(make_book, "# A\n\n![Mapa *Baku*](x.png){#fig-a}\n\n" + TABLE_T,
                    "# B\n\n" + FIGURE_B, yaml=PL + "lists: [figures, tables]\n")
    figures, tables = float_lists(book, {"fig-a": 7, "fig-b": 12}, labels_for("pl"),
                                  lambda ident: f"ch.xhtml#{ident}")
    assert (figures.kind, figures.title, figures.id) == ("figures", "Spis ilustracji", "list-figures")
    assert figures.items == (FloatItem("Rys. 1.", "Mapa Baku", "ch.xhtml#fig-a", 7),
                             FloatItem("Rys. 2.", "Mapa", "ch.xhtml#fig-b", 12))
    assert tables.title == "Spis tabel"
    assert tables.items == (FloatItem("Tabela 1.", "Dane", "ch.xhtml#tbl-t", ""),)


def test_float_lists_by_chapter_and_in_english(make_book):
    book, _ = _book(make_book, "# A\n\nTekst.\n", "# B\n\n" + FIGURE_B,
                    yaml=EN + "lists: [figures]\nfigure_numbering: chapter\n")
    [figures] = float_lists(book, {}, labels_for("en"))
    assert figures.title == "List of Figures"
    assert figures.items == (FloatItem("Figure 2.1.", "Mapa", "fig-b", ""),)


def test_float_lists_leave_out_an_empty_list(make_book):
    book, _ = _book(make_book, "# A\n\n" + FIGURE_B, yaml=PL + "lists: [figures, tables]\n")
    assert [lst.kind for lst in float_lists(book, {}, labels_for("pl"))] == ["figures"]
    empty, _ = _book(make_book, "# A\n\nTekst.\n", yaml=PL + "lists: [figures, tables]\n")
    assert float_lists(empty, {}, labels_for("pl")) == ()


def test_no_lists_unless_asked(make_book):
    book, _ = _book(make_book, "# A\n\n" + FIGURE_B)
    assert float_lists(book, {"fig-b": 3}, labels_for("pl")) == ()


def test_reference_to_a_section_whose_title_makes_a_reference(make_book):
    # The quoted title is written out too: "„O rys. 1”", never the reference's source "@fig-b".
    book, _ = _book(make_book, "# A\n\nZob. @sec-o.\n\n## O @fig-b {#sec-o}\n\n" + FIGURE_B)
    assert _refs(book.chapters[0].body_html)[0] == ("#sec-o", f"„O rys.{NBSP}1”")


def test_caption_words_leave_out_note_calls_and_citations(make_book):
    book, _ = _book(make_book, "# A\n\n![Mapa[^1] miasta](x.png){#fig-a}\n\n[^1]: Przypis.\n",
                    yaml=PL + "lists: [figures]\n")
    [figures] = float_lists(book, {}, labels_for("pl"))
    assert figures.items[0].caption == "Mapa miasta"
    assert 'alt="Mapa miasta"' in book.chapters[0].body_html


def test_label_with_inner_punctuation_and_a_full_stop_after_it(make_book):
    book, _ = _book(make_book, "# A\n\nZob. @fig-mapa.2 i @fig-mapa.2.\n\n"
                               "![Mapa](x.png){#fig-mapa.2}\n")
    assert _refs(book.chapters[0].body_html) == [("#fig-mapa.2", f"rys.{NBSP}1")] * 2


def test_a_minus_reference_with_words_before_it_is_a_warning(make_book) -> None:
    """QA sweep: "[Chapter -@sec-x]" was printed as written, without a word; "[-@sec-x]" is the form."""
    root = make_book({"01.md": "# Dzieje {#sec-dzieje}\n\nZob. [rozdział -@sec-dzieje] i [-@sec-dzieje].\n\n"
                               "W kodzie `[x -@sec-dzieje]` nic.\n"})  # code is not checked
    _book, warnings = read_book(root)
    [warned] = [w for w in warnings if w.code == "K955"]
    assert warned.line == 3 and "'-@sec-dzieje'" in warned.message
