"""The manuscript syntax through the real converter: index terms (every form, and what is not one),
endnotes across chapters, Polish and English collation, locators; plus a property test that arbitrary
input gives a Book or a BuildError, never anything else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kolofon.diagnostics import BuildError, Severity
from kolofon.model import IndexMark
from kolofon.pipeline import read_book
from kolofon.source.index import build_index, locators, parse_term, sort_key


def _book(make_book, *chapters: str, yaml: str | None = None):
    files = {f"{i:02d}.md": text for i, text in enumerate(chapters, 1)}
    if yaml:
        files["book.yaml"] = yaml
    return read_book(make_book(files))


def _entries(book) -> dict[str, object]:
    return {e.term: e for g in book.index for e in g.entries}


def test_every_index_term_form(make_book):
    book, warnings = _book(make_book, "# R\n\n((Baku)) i ((Ormianie|Ormian)) (((Armia Radziecka))) "
                                      "((Armia Radziecka, garnizon w Baku|garnizonu)) "
                                      "(((LFA, see=Ludowy Front Azerbejdżanu))) "
                                      "((Ludowy Front Azerbejdżanu|LFA)) "
                                      "(((Baku, see-also=Sumgait))) ((Sumgait)).\n")
    body = book.chapters[0].body_html
    assert ">Baku</span>" in body and ">Ormian</span>" in body and ">garnizonu</span>" in body
    assert "Armia Radziecka" not in body.replace('data-', '')  # hidden marks show nothing
    assert "((" not in body and "))" not in body
    entries = _entries(book)
    assert entries["Ormianie"].mark_ids and entries["Armia Radziecka"].mark_ids
    assert [s.term for s in entries["Armia Radziecka"].subentries] == ["garnizon w\u00a0Baku"]
    assert entries["LFA"].see == ("Ludowy Front Azerbejdżanu",) and not entries["LFA"].mark_ids
    assert entries["Baku"].see_also == ("Sumgait",) and len(entries["Baku"].mark_ids) == 1
    assert warnings == []


def test_what_is_not_an_index_term(make_book):
    book, _ = _book(make_book, "# R\n\nLista (a) (b) i `((kod))` oraz\n\n    ((wcięty kod))\n\n"
                               "```\n((blok))\n```\n")
    body = book.chapters[0].body_html
    assert "(a) (b)" in body and "((kod))" in body and "((wcięty kod))" in body and "((blok))" in body
    assert book.index == ()


@pytest.mark.parametrize(("inner", "expected"), [
    ("Baku", (("Baku",), None, None)),
    ("Ormianie|Ormian", (("Ormianie",), None, None)),
    ("Armia Radziecka, garnizon w Baku", (("Armia Radziecka", "garnizon w Baku"), None, None)),
    ("LFA, see=Ludowy Front", (("LFA",), "Ludowy Front", None)),
    ("Baku, see-also=Sumgait", (("Baku",), None, "Sumgait")),
])
def test_parse_term(inner, expected):
    assert parse_term(inner) == expected


@pytest.mark.parametrize("inner", ["", " ", "|x", "Baku|", "Baku, see=", ", sub"])
def test_parse_term_refuses_malformed(inner):
    assert isinstance(parse_term(inner), str)


def test_polish_collation_and_letter_groups():
    words = ["żaba", "zebra", "źrebię", "łąka", "lato", "ćma", "cebula", "ąb", "arbuz", "Śląsk", "sok",
             "Ełk", "ęś", "„Gazeta”", "1990"]
    marks = [IndexMark(f"m{i}", (w,), None, None, 1, False, Path("x.md"), 1) for i, w in enumerate(words)]
    groups, _ = build_index(marks, "pl", "Liczby i symbole")
    order = [e.term for g in groups for e in g.entries]
    polish = [w for w in order if w[0].isalpha()]
    assert polish == sorted(polish, key=lambda w: sort_key(w, "pl"))
    assert polish.index("arbuz") < polish.index("ąb") < polish.index("cebula") < polish.index("ćma")
    assert polish.index("lato") < polish.index("łąka") < polish.index("sok") < polish.index("Śląsk")
    assert polish.index("zebra") < polish.index("źrebię") < polish.index("żaba")
    labels = [g.label for g in groups]
    assert "Ł" in labels and "Ś" in labels and "Ż" in labels and "Ź" in labels
    assert labels[0] == "Liczby i symbole" or labels[-1] == "Liczby i symbole"


def test_english_collation_ignores_case_and_accents_first():
    marks = [IndexMark(f"m{i}", (w,), None, None, 1, False, Path("x.md"), 1)
             for i, w in enumerate(["zebra", "Émile", "apple", "Banana", "éclair"])]
    groups, _ = build_index(marks, "en", "Symbols")
    assert [e.term for g in groups for e in g.entries] == ["apple", "Banana", "éclair", "Émile", "zebra"]
    assert [g.label for g in groups] == ["A", "B", "E", "Z"]


def test_locators_collapse_ranges_and_link_the_first_mark():
    page_of = {"a": 3, "b": 4, "c": 4, "d": 5, "e": 9}
    locs = locators(["a", "b", "c", "d", "e"], page_of)
    assert [loc.label for loc in locs] == ["3–5", "9"]
    assert [loc.target for loc in locs] == ["a", "e"]


def test_notes_are_numbered_through_the_book_with_labels_scoped_to_chapters(make_book):
    book, _ = _book(make_book, "# A\n\nJeden[^1] dwa[^x].\n\n[^1]: N1.\n[^x]: N2.\n",
                    "# B\n\nTrzy[^1].\n\n[^1]: N3.\n    \n    Drugi akapit.\n")
    assert [(n.number, n.label, n.chapter) for n in book.notes] == [(1, "1", 1), (2, "x", 1), (3, "1", 2)]
    assert 'href="#note-3"' in book.chapters[1].body_html and 'id="noteref-3"' in book.chapters[1].body_html
    assert 'role="doc-noteref"' in book.chapters[0].body_html
    assert "Drugi akapit" in book.notes[2].html and book.notes[2].html.count("<p") == 2


def test_undefined_call_is_an_error_with_its_line(make_book):
    with pytest.raises(BuildError) as info:
        _book(make_book, "# A\n\nTekst.\n\nZnowu[^brak].\n")
    [d] = [d for d in info.value.diagnostics if d.code == "K301"]
    assert d.line == 5 and d.severity is Severity.ERROR


def test_labels_follow_the_language(make_book):
    from kolofon.labels import labels_for

    assert labels_for("pl")["contents"] == "Spis treści" and labels_for("pl")["see_also"] == "zob. też"
    assert labels_for("en-GB")["index"] == "Index" and labels_for("fr")["notes"] == "Notes"


_PIECES = st.sampled_from(["((", "))", "(((", ")))", "|", ",", "see=", "see-also=", "[^1]", "[^x]",
                           "\n\n[^1]: note\n", "\n\n[^x]: x\n", "`", "\n\n", "# ", "## ", "<b>", "</b>",
                           "&", "<", "ą", "Baku", " ", "a", "*", "_", "![i](x.png)", "<script>", "\\"])


# The fixture's folder is rewritten by every example (same file names), so sharing it is safe.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_any_input_gives_a_book_or_a_build_error(make_book, text):
    root = make_book({"01.md": "# T\n\n" + text})
    try:
        book, _ = read_book(root)
    except BuildError as exc:
        assert exc.diagnostics and all(d.path is not None for d in exc.diagnostics)
    else:
        assert book.chapters


def test_a_fenced_code_block_is_code_left_as_written(make_book):
    """```-fenced code (with or without a language) is a code block, as in CommonMark and pandoc: no
    index terms, no curled quotes or dashes inside it (it once ran on as one paragraph of text)."""
    code = 'def f(x):\n    return "a" -- ((nie termin)) ... x'
    book, warnings = _book(make_book, f"# R\n\nPrzed „kodem”.\n\n```python\n{code}\n```\n\n"
                                      "~~~\nbez języka\n~~~\n")
    body = book.chapters[0].body_html
    assert '<code class="language-python">' in body
    assert 'return "a" -- ((nie termin)) ... x' in body.replace("&quot;", '"')
    assert body.count("<pre") == 2
    assert not book.index and warnings == []


def test_calls_side_by_side_are_set_apart_by_a_raised_comma(make_book):
    """Two calls in a row ("text.[^a][^b]") once read as note 12 ("¹²")."""
    book, _ = _book(make_book, "# R\n\nRazem.[^a][^b] Osobno.[^c] [^d]\n\n"
                               "[^a]: A.\n[^b]: B.\n[^c]: C.\n[^d]: D.\n")
    body = book.chapters[0].body_html
    assert re.search(r'>1</a><span class="noteref-sep">,</span><a class="noteref"[^>]*>2</a>', body)
    assert body.count("noteref-sep") == 1  # calls a space apart are apart already


def test_an_index_term_may_carry_a_qualifier_in_parentheses(make_book):
    """((Wilson (keeper)|Wilson)) was an "unclosed index term" (K401)."""
    book, warnings = _book(make_book, "# R\n\nPan ((Wilson (keeper)|Wilson)) i (((Bell (latarnia)))) tu; "
                                      "(a) (b) zostaje tekstem.\n")
    assert warnings == []
    body = book.chapters[0].body_html
    assert ">Wilson</span>" in body and "(a) (b)" in body
    assert {"Wilson (keeper)", "Bell (latarnia)"} <= set(_entries(book))


def test_a_backslash_at_the_end_of_a_line_breaks_the_line(make_book):
    book, warnings = _book(make_book, "# R\n\nAnna Kowalska\\\nKraków\n\nKod: `a\\`\nnie.\n")
    body = book.chapters[0].body_html
    assert re.search(r"Kowalska<br\s*/?>\s*Kraków", body)
    assert "\\" not in body.replace("<code>a\\</code>", "")
    assert "<code>a\\</code>" in body and warnings == []
