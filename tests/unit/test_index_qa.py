"""QA sweep 4, the index: a comma escaped inside a term, see= targets that name a subentry, emphasis in
terms, letters of other scripts, and cross-references to no entry left out (never a broken EPUB)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolofon.model import IndexMark
from kolofon.source.index import build_index, parse_term, plain, shown_text, term_html


def _mark(n: int, path: tuple[str, ...], see: str | None = None, see_also: str | None = None) -> IndexMark:
    return IndexMark(f"m{n}", path, see, see_also, 1, False, Path("01.md"), n)


def _index(lang: str, *marks: IndexMark):
    groups, diags = build_index(marks, lang, "Symbols")
    return {g.label: [e.term for e in g.entries] for g in groups}, groups, diags


@pytest.mark.parametrize(("inner", "expected"), [
    (r"Prus\, Bolesław|Prus", (("Prus, Bolesław",), None, None)),
    (r"Prus\, Bolesław, Lalka", (("Prus, Bolesław", "Lalka"), None, None)),
    ("Keepers, see=Lighthouse, keepers of", (("Keepers",), "Lighthouse, keepers of", None)),
    (r"Bolek, see=Prus\, Bolesław", (("Bolek",), r"Prus\, Bolesław", None)),
    ("A, see=B, c, see-also=D", (("A",), "B, c", "D")),
])
def test_escaped_comma_and_subentry_targets(inner, expected):
    assert parse_term(inner) == expected


def test_the_text_shows_an_escaped_comma_as_a_comma():
    assert shown_text(r"Prus\, Bolesław") == "Prus, Bolesław"
    assert shown_text("Baku, see-also=Sumgait") == "Baku"
    assert shown_text("Armia, garnizon w Baku") == "Armia, garnizon w Baku"


def test_a_see_target_names_a_subentry_and_an_inverted_name_is_one_heading():
    written = ["Lighthouse, keepers of|the keepers", "Keepers, see=Lighthouse, keepers of",
               r"Prus\, Bolesław|Prus"]
    marks = [_mark(n, *parse_term(inner)) for n, inner in enumerate(written, 1)]
    letters, groups, diags = _index("en", *marks)
    assert diags == [] and letters == {"K": ["Keepers"], "L": ["Lighthouse"], "P": ["Prus, Bolesław"]}
    assert groups[0].entries[0].see == ("Lighthouse, keepers of",) and groups[0].entries[0].subentries == ()


def test_emphasis_is_filed_by_its_letters():
    letters, _, _ = _index("pl", _mark(1, ("*Pan Tadeusz*",)), _mark(2, ("*Lalka*",)), _mark(3, ("Łódź",)))
    assert letters == {"L": ["*Lalka*"], "Ł": ["Łódź"], "P": ["*Pan Tadeusz*"]}
    assert term_html("*Lalka* & _Ogniem i mieczem_") == "<em>Lalka</em> &amp; <em>Ogniem i mieczem</em>"
    assert plain("**Uwaga** na snake_case_name") == "Uwaga na snake_case_name"


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_greek_and_cyrillic_have_their_own_letters_after_the_latin(lang):
    letters, _, _ = _index(lang, _mark(1, ("Athens",)), _mark(2, ("Ἀθῆναι",)), _mark(3, ("Москва",)),
                           _mark(4, ("Zakopane",)), _mark(5, ("1989",)))
    assert list(letters) == ["Symbols", "A", "Z", "Α", "М"]
    assert letters["Α"] == ["Ἀθῆναι"] and letters["М"] == ["Москва"]


def test_a_cross_reference_to_no_entry_is_left_out_with_a_warning():
    letters, groups, diags = _index("pl", _mark(1, ("Wilno",)), _mark(2, ("Filomaci",), see_also="Filareci"),
                                    _mark(3, ("Wilno",), see_also="Filomaci"))
    # Filomaci had nothing but the dangling reference, so it goes, and Wilno's reference to it with it.
    assert letters == {"W": ["Wilno"]} and groups[0].entries[0].see_also == ()
    assert [(d.code, d.line) for d in diags] == [("K403", 2), ("K403", 3)]
    assert "Filareci" in diags[0].message and "left out" in diags[0].message


def test_a_target_without_the_entrys_emphasis_still_names_it():
    _, groups, diags = _index("pl", _mark(1, ("*Lalka*",)), _mark(2, ("Wokulski",), see="Lalka"))
    assert diags == [] and groups[-1].entries[0].see == ("*Lalka*",)


@pytest.mark.parametrize(("text", "expected"), [
    ("Azerbejdżanu (((LFA))), który", 'Azerbejdżanu<span class="ix" id="ix-1-1"></span>, który'),
    ("Koniec (((LFA))).", 'Koniec<span class="ix" id="ix-1-1"></span>.'),
    ("Ala (((LFA))) ma", 'Ala <span class="ix" id="ix-1-1"></span> ma'),  # between words: as written
])
def test_a_hidden_term_before_punctuation_takes_its_space_along(make_book, text, expected):
    """'Azerbejdżanu , który': the space before a hidden term stayed before the comma (QA sweep 6)."""
    from kolofon.pipeline import read_book

    book, _ = read_book(make_book({"01.md": f"# A\n\n{text}\n"}))
    assert expected in book.chapters[0].body_html


def test_numbers_in_terms_sort_by_their_value():
    """'vol. 10, vol. 2, vol. 9' and 'Station 12' before 'Station 3' (QA sweep 5)."""
    order, _groups, _diags = _index("en", *(_mark(i, (t,)) for i, t in enumerate(
        ["vol. 10", "vol. 2", "Station 12", "vol. 9", "Station 3"])))
    assert order["S"] == ["Station 3", "Station 12"] and order["V"] == ["vol. 2", "vol. 9", "vol. 10"]
