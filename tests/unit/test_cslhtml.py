"""citeproc-py's HTML made into the book's XHTML (kolofon/cslhtml.py)."""

from __future__ import annotations

from kolofon.cslhtml import to_xhtml
from kolofon.source.xhtml import print_fragment


def test_an_address_in_a_citation_breaks_where_chicago_lets_it() -> None:
    text = to_xhtml("Trinity House, <i>Lights</i>, 2020, https://a.org/b-c_d. Dalej.", "pl-PL")
    assert text == ('Trinity House, <i>Lights</i>, 2020, <span class="url">https://<wbr/>a<wbr/>.org'
                    '<wbr/>/b<wbr/>-c<wbr/>_d</span>. Dalej.')


def test_addresses_after_markup_and_side_by_side_keep_every_character() -> None:
    text = to_xhtml("<i>T</i> www.a.org i https://b.org/x.", "pl-PL")
    assert text == ('<i>T</i> <span class="url">www<wbr/>.a<wbr/>.org</span> i\u00a0<span class="url">'
                    'https://<wbr/>b<wbr/>.org<wbr/>/x</span>.')


def test_american_english_sets_the_comma_and_full_stop_inside_the_quotes() -> None:
    assert to_xhtml("House, “History”, 2020; “Lights”.", "en-US") == "House, “History,” 2020; “Lights.”"
    assert to_xhtml("Dom, „Historia”, 2020.", "pl-PL") == "Dom, „Historia”, 2020."
    assert to_xhtml("the Joneses’.", "en-US") == "the Joneses’."  # an apostrophe, not a quote


def test_in_print_each_part_of_an_address_is_unbreakable() -> None:
    # Pango breaks after a hyphen and after a slash inside a part; the <wbr>s must be the only breaks.
    printed = print_fragment(to_xhtml("Zob. https://a.org/b-c.", "pl-PL"))
    assert printed == ('Zob. <span class="url"><span class="nobreak">https://</span><wbr/>a<wbr/>'
                       '<span class="nobreak">.org</span><wbr/><span class="nobreak">/b</span><wbr/>'
                       '<span class="nobreak">-c</span></span>.')


def test_what_the_entries_quote_as_typed_gets_the_texts_typography() -> None:
    """Titles and names came out of the bibliography as typed: "Archives", --, O'Brien (QA)."""
    assert to_xhtml('O\'Brien, S. <i>Irish "Archives" -- a study</i>, s. 5-7.', "pl-PL") == \
        "O’Brien, S. <i>Irish „Archives”\u00a0– a\u00a0study</i>, s.\u00a05–7."
    assert to_xhtml('<i>The "Quiet" Archive</i>. https://x.org/a--b', "en-US") == \
        '<i>The “Quiet” Archive</i>. <span class="url">https://<wbr/>x<wbr/>.org<wbr/>/a<wbr/>-<wbr/>-b</span>'


def test_a_quotation_inside_a_quoted_title_takes_the_inner_marks():
    """QA sweep 14: „Pipes in „old” towns” (the title's quotes kept the outer marks)."""
    from kolofon.cslhtml import to_xhtml

    assert "„Pipes in «old» towns”" in to_xhtml('Kowalski, Jan. „Pipes in "old" towns”. 2010.', "pl-PL")
    assert "“Pipes in ‘old’ towns.”" in to_xhtml('Smith, John. “Pipes in "old" towns.” 2010.', "en-US")
