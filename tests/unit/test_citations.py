"""Pandoc citation syntax through a real Markdown instance: every form, what stays text, the ids."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from html import unescape

import pytest
from markdown import Markdown

from kolofon.source.mdext.citations import CITE_CLASS, CitationsExtension, CiteItem, parse_citation
from kolofon.source.mdext.endnotes import EndnotesExtension
from kolofon.source.mdext.index_terms import IndexTermsExtension


def _md(*extra) -> Markdown:
    return Markdown(extensions=["footnotes", *extra, CitationsExtension()])


def _convert(text: str, *extra):
    md = _md(*extra)
    html = md.convert(text)
    return html, md.kolofon_citations


def _spans(html: str) -> list[tuple[str, str, str]]:
    """(id, data-cite, text) of each citation span, in document order."""
    root = etree.fromstring(f"<div>{html.replace('&#160;', ' ')}</div>")
    spans = [s for s in root.iter("span") if s.get("class") == CITE_CLASS]
    return [(s.get("id"), s.get("data-cite"), s.text) for s in spans]


def test_bracketed_single_key_is_marked_with_its_source():
    html, cites = _convert("Tak było [@doe99].")
    assert _spans(html) == [("cite-1", "1", "[@doe99]")]
    assert html.endswith("</span>.</p>")
    [cite] = cites
    assert cite.items == (CiteItem("doe99"),) and not cite.narrative
    assert (cite.raw, cite.id) == ("[@doe99]", "cite-1")


def test_items_prefixes_and_locators():
    _, [cite] = _convert("Tekst [zob. @a, s. 3–5; @b].")
    assert cite.items == (CiteItem("a", prefix="zob.", locator="3–5", label="page"), CiteItem("b"))


@pytest.mark.parametrize(("inner", "item"), [
    ("@a; @b, pp. 3-5, and elsewhere", CiteItem("b", locator="3-5", label="page", suffix=", and elsewhere")),
    ("@a, s. 3–5, 7, and elsewhere", CiteItem("a", locator="3–5, 7", label="page", suffix=", and elsewhere")),
    ("@a, p. 33 and passim", CiteItem("a", locator="33", label="page", suffix=" and passim")),
    ("@a, s. 5 i dalej", CiteItem("a", locator="5", label="page", suffix=" i dalej")),
    ("@a, pp. iv, vi–xi", CiteItem("a", locator="iv, vi–xi", label="page")),
    ("@a, see also", CiteItem("a", suffix=", see also")),
    ("@a, s. abc", CiteItem("a", suffix=", s. abc")),  # a label without a value is no locator
    ("@a, 12–14", CiteItem("a", locator="12–14", label="page")),  # a bare number is a page
    ("@a, pp. 40--42", CiteItem("a", locator="40-42", label="page")),  # printed "40––42" (QA sweep)
    ("see @a p. 4", CiteItem("a", prefix="see", locator="4", label="page")),  # the comma is optional
    ("  zob.\n  @a,\n s.\n 3 ", CiteItem("a", prefix="zob.", locator="3", label="page")),
])
def test_locator_and_suffix_rule(inner, item):
    assert parse_citation(inner)[-1] == item


@pytest.mark.parametrize(("written", "label", "locator"), [
    ("s. 12", "page", "12"), ("ss. 3–5", "page", "3–5"), ("str. 7", "page", "7"), ("S 12", "page", "12"),
    ("p. 12", "page", "12"), ("pp. 3-5", "page", "3-5"), ("page 4", "page", "4"),
    ("pages 4-6", "page", "4-6"), ("P.12", "page", "12"),
    ("rozdz. 3", "chapter", "3"), ("rozdział 3", "chapter", "3"), ("Chap. 2", "chapter", "2"),
    ("ch. 2", "chapter", "2"), ("chapter 2", "chapter", "2"),
    ("§ 4", "section", "4"), ("§§ 4-5", "section", "4-5"), ("§4", "section", "4"),
    ("sec. 1.2", "section", "1.2"), ("section 3", "section", "3"), ("par. 5", "section", "5"),
    ("t. 2", "volume", "2"), ("vol. II", "volume", "II"), ("volume 3", "volume", "3"),
    ("przyp. 4", "note", "4"), ("n. 4", "note", "4"), ("note 4", "note", "4"),
    ("w. 10", "line", "10"), ("l. 10", "line", "10"), ("line 10", "line", "10"),
    ("rys. 3", "figure", "3"), ("fig. 3", "figure", "3"),
    ("kol. 2", "column", "2"), ("col. 2", "column", "2"),
    ("k. 12v", "folio", "12v"), ("f. 3r", "folio", "3r"), ("fol. 3r", "folio", "3r"),
])
def test_every_locator_label(written, label, locator):
    assert parse_citation(f"@a, {written}") == (CiteItem("a", locator=locator, label=label),)


def test_locator_label_through_markdown():
    _, [cite] = _convert("Por. [@kronika, rozdz. 4, passim].")
    assert cite.items == (CiteItem("kronika", locator="4", label="chapter", suffix=", passim"),)


def test_suppress_author():
    _, cites = _convert("Kowalski [-@kow] i [zob. -@nowak, s. 4].")
    assert [c.items for c in cites] == [(CiteItem("kow", suppress_author=True),),
                                        (CiteItem("nowak", "zob.", "4", "page", "", True),)]
    assert parse_citation("x-@a") is None  # a hyphen glued to a word is no author suppression


def test_narrative_with_and_without_locator():
    html, cites = _convert("Jak pisze @doe99, a także @smith [s. 33] i @roe [p. 3, and passim].")
    assert [s[2] for s in _spans(html)] == ["@doe99", "@smith [s. 33]", "@roe [p. 3, and passim]"]
    assert all(c.narrative for c in cites)
    assert [c.items[0] for c in cites] == [
        CiteItem("doe99"), CiteItem("smith", locator="33", label="page"),
        CiteItem("roe", locator="3", label="page", suffix=", and passim")]


def test_curly_keys():
    _, cites = _convert("[@{weird key}, p. 3] i @{https://x.org/?a=1}. [@{a;b}]")
    assert [c.items[0].key for c in cites] == ["weird key", "https://x.org/?a=1", "a;b"]
    assert cites[0].items[0].locator == "3" and len(cites[2].items) == 1


@pytest.mark.parametrize(("text", "key", "after"), [
    ("Zob. @doe99.", "doe99", "</span>.</p>"),
    ("Zob. @doe:2001/a, dalej", "doe:2001/a", "</span>, dalej</p>"),
    ("Zob. @Foo_bar--baz", "Foo_bar", "</span>--baz</p>"),
    ("Zob. @żółw?", "żółw", "</span>?</p>"),
])
def test_trailing_punctuation_is_not_part_of_the_key(text, key, after):
    html, [cite] = _convert(text)
    assert cite.items[0].key == key and html.endswith(after)


@pytest.mark.parametrize(("text", "shown"), [
    ("Pisz na jan@example.com.", "jan@example.com"),
    ("Pisz na [jan@example.com].", "[jan@example.com]"),
    ("Pisz na <jan@example.com>.", ">jan@example.com</a>"),
    ("Kod `[@a] i @b` tutaj.", "<code>[@a] i @b</code>"),
    ("```\n[@a] @b\n```", "[@a] @b"),
    ("    [@a] @b", "<pre><code>[@a] @b"),
    ("Konto https://x.org/@user i https://x.org/?u=@kto.", "https://x.org/@user i https://x.org/?u=@kto"),
    ("Konto <https://x.org/@user>.", '<a href="https://x.org/@user">https://x.org/@user</a>'),
    ("Link [see @x](http://a).", '<a href="http://a">see @x</a>'),
    ("Link [see @x][r].\n\n[r]: http://a", '<a href="http://a">see @x</a>'),
    ("Spotkanie @ noon.", "@ noon"),
    ("Jak w @sec-intro, @fig-map, @tbl-1 i @eq-2.", "@sec-intro, @fig-map, @tbl-1 i @eq-2"),
    ("Zob. [@fig-map] i [see @sec-a, p. 3; @tbl-b].", "[@fig-map] i [see @sec-a, p. 3; @tbl-b]"),
])
def test_what_stays_text(text, shown):
    html, cites = _convert(text)
    assert cites == [] and _spans(html) == []
    assert shown in unescape(html)


def test_escaped_bracket_still_allows_a_narrative_citation():
    html, [cite] = _convert("Ucieczka \\[@a].")
    assert cite.narrative and cite.items == (CiteItem("a"),) and "[<span" in html


def test_index_terms_are_unaffected():
    text = "((Baku)) [@a] ((Kowalski @nowak|Kowalskiego @x)) (((Armia)))."
    html, cites = _convert(text, IndexTermsExtension())
    assert [c.raw for c in cites] == ["[@a]"]
    assert ">Baku</span>" in html and ">Kowalskiego @x</span>" in html and 'data-ix="Armia"' in html


def test_markup_inside_a_citation_is_flattened_to_text():
    html, [cite] = _convert("Tekst [see `kod` @a, p. 3, *passim*].")
    assert cite.raw == "[see kod @a, p. 3, *passim*]" == _spans(html)[0][2]
    assert cite.items == (CiteItem("a", "see kod", "3", "page", ", *passim*"),)
    _, [escaped] = _convert("Tekst [see \\* @a].")
    assert escaped.items[0].prefix == "see *"


def test_emphasised_narrative_key():
    # "_" is a word character: only after emphasis is done does "_@doe_" show a key at a word's start.
    html, cites = _convert("Jak *@doe* i _@roe_ piszą.")
    assert html.count("<em><span") == 2
    assert [c.items for c in cites] == [(CiteItem("doe"),), (CiteItem("roe"),)]


def test_a_citation_before_a_spaced_reference_link():
    html, [cite] = _convert("Zob. [@a] [r].\n\n[r]: http://x")
    assert cite.raw == "[@a]" and not cite.narrative and '<a href="http://x">r</a>' in html


def test_ids_follow_reading_order_not_pattern_order():
    html, cites = _convert("Najpierw @first, potem [@second] i **@third**.\n\n# O [@fourth]\n\n- @fifth")
    assert [c.items[0].key for c in cites] == ["first", "second", "third", "fourth", "fifth"]
    assert [c.id for c in cites] == [f"cite-{n}" for n in range(1, 6)]
    assert [(s[0], s[1]) for s in _spans(html)[:2]] == [("cite-1", "1"), ("cite-2", "2")]


def test_citations_in_footnotes_are_marked_and_counted_at_the_call():
    html, cites = _convert("Przed [@before] tekst[^1] i [@after][^2].\n\n[^1]: see [@a], @b\n\n[^2]: [@c]")
    assert [c.items[0].key for c in cites] == ["before", "a", "b", "after", "c"]
    assert cites[3].raw == "[@after]" and not cites[3].narrative  # "[@after][^2]" is no reference link
    spans = _spans(html)
    assert ("cite-2", "2", "[@a]") in spans and ("cite-5", "5", "[@c]") in spans
    assert 'href="#fn:1"' in html  # the footnote call itself is intact


def test_footnote_order_survives_the_endnotes_extension():
    _, cites = _convert("[@before] tekst[^1] i [@after].\n\n[^1]: [@inside]", EndnotesExtension())
    assert [(c.id, c.raw) for c in cites] == [("cite-1", "[@before]"), ("cite-2", "[@inside]"),
                                              ("cite-3", "[@after]")]


def test_a_fresh_list_for_each_convert_and_reset():
    md = _md()
    md.convert("[@a] [@b]")
    first = md.kolofon_citations
    md.reset()
    assert md.kolofon_citations == [] and len(first) == 2
    md.convert("[@c]")
    assert [(c.id, c.items[0].key) for c in md.kolofon_citations] == [("cite-1", "c")]
    md.reset()
    md.convert("")
    assert md.kolofon_citations == []
