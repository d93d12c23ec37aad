"""QA sweep 8, the index: a term in a table cell, the text's typography in terms, "see also" with no
pages, and inverted names sorted before longer headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolofon.diagnostics import BuildError
from kolofon.model import IndexMark
from kolofon.pipeline import read_book
from kolofon.source.index import build_index


def _terms(book) -> list[str]:
    return [e.term for group in book.index for e in group.entries]


def test_a_term_in_a_table_cell_takes_an_escaped_bar(make_book):
    """GFM tables need `\\|`; the term kept the backslash: the index printed "Smeaton\\, 1"."""
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": "# One\n\n| Station | Designer |\n|---|---|\n"
                               "| Eddystone | ((Smeaton\\|John Smeaton)) |\n"})
    book, _ = read_book(root)
    assert _terms(book) == ["Smeaton"]
    assert "John Smeaton" in book.chapters[0].body_html and "\\" not in book.chapters[0].body_html


def test_an_unescaped_bar_in_a_table_says_how_to_write_it(make_book):
    root = make_book({"book.yaml": "title: T\nlang: en\n",
                      "01.md": "# One\n\n| Station | Designer |\n|---|---|\n"
                               "| Eddystone | ((Smeaton|John Smeaton)) |\n"})
    with pytest.raises(BuildError) as caught:
        read_book(root)
    (problem,) = caught.value.diagnostics
    assert problem.code == "K401" and problem.line == 5 and "in a table" in problem.message


@pytest.mark.parametrize(("lang", "term", "printed"), [
    ("en", "O'Brien", "O’Brien"),
    ("en", "*Mariner's Mirror*", "*Mariner’s Mirror*"),
    ("en", "Keepers' \"Log\"|the log", "Keepers’ “Log”"),
    ("pl", "\"Lalka\"|powieść", "„Lalka”"),
])
def test_a_term_is_printed_with_the_texts_typography(make_book, lang, term, printed):
    """The text read O’Brien, the index O'Brien (and a search for the one missed the other)."""
    root = make_book({"book.yaml": f"title: T\nlang: {lang}\n",
                      "01.md": f"# One\n\nText ((({term}))) and ((Other)) here.\n"
                               f"A see: (((Alias, see={term.split('|')[0]}))).\n"})
    book, diags = read_book(root)
    assert printed in _terms(book) and not diags  # and a see= target written alike still names it


def _mark(n: int, path: tuple[str, ...], see: str | None = None, see_also: str | None = None) -> IndexMark:
    return IndexMark(f"m{n}", path, see, see_also, 1, False, Path("01.md"), n)


def test_see_also_with_no_pages_is_a_see():
    groups, _ = build_index([_mark(1, ("Baku",), see_also="Sumgait"), _mark(2, ("Sumgait",)),
                             _mark(3, ("Karabach",), see_also="Sumgait"), _mark(4, ("Karabach",))], "pl", "")
    entries = {e.term: e for g in groups for e in g.entries}
    assert (entries["Baku"].see, entries["Baku"].see_also) == (("Sumgait",), ())
    assert (entries["Karabach"].see, entries["Karabach"].see_also) == ((), ("Sumgait",))


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_an_inverted_name_comes_before_a_longer_heading(lang):
    terms = ["New York", "Newark", "New, Arthur", "Fresnel lens", "Fresnel, Augustin-Jean"]
    groups, _ = build_index([_mark(i, (t,)) for i, t in enumerate(terms)], lang, "")
    assert [e.term for g in groups for e in g.entries] == \
        ["Fresnel, Augustin-Jean", "Fresnel lens", "New, Arthur", "New York", "Newark"]


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_term_opening_with_a_quotation_mark_is_filed_by_its_first_letter(lang):
    """'"Red" Square' was filed under the symbols, before A (QA sweep 7)."""
    groups, _ = build_index([_mark(1, ("“Red” Square",)), _mark(2, ("Riga",)), _mark(3, ("Pskov",)),
                             _mark(4, ("(Old) Town",))], lang, "Symbols")
    assert {g.label: [e.term for e in g.entries] for g in groups} == \
        {"O": ["(Old) Town"], "P": ["Pskov"], "R": ["“Red” Square", "Riga"]}


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_see_target_that_names_an_inverted_heading_finds_it(make_book, lang):
    """QA sweep 12: "see=Miller, Hannah" read as subentry Hannah under Miller, which does not exist,
    and was dropped with K403, though the heading "Miller\\, Hannah" does."""
    root = make_book({"book.yaml": f"title: T\nlang: {lang}\n",
                      "01.md": "# One\n\n((Miller\\, Hannah|Hannah Miller)) wrote it. "
                               "(((Keeper, see=Miller, Hannah)))\n"})
    book, diags = read_book(root)
    [keeper] = [e for group in book.index for e in group.entries if e.term == "Keeper"]
    assert keeper.see == ("Miller\\, Hannah",) and not diags
