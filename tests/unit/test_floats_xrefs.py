"""Numbered figures and tables (mdext/floats.py) and the cross-reference marks (mdext/xrefs.py) through
the real converter: what becomes a <figure> or a captioned <table>, their numbers through the book or by
chapter, the caption's Markdown, and which `@` stays text."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from kolofon.model import SourceFile
from kolofon.pipeline import read_book
from kolofon.source.convert import Converted, Converter
from kolofon.source.mdext.xrefs import XREF_CLASS, Xref

TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n"


def _convert(text: str, lang: str = "pl") -> Converted:
    return Converter(lang).convert(SourceFile(Path("x.md"), "# T\n\n" + text), 1, 0)


def _root(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return buf.getvalue()


def _book(make_book, *chapters: str, yaml: str = "title: Próba\nlang: pl\n"):
    files: dict[str, str | bytes] = {f"{i:02d}.md": text for i, text in enumerate(chapters, 1)}
    files["book.yaml"] = yaml
    files["x.png"] = _png()
    return read_book(make_book(files))


def _caption_labels(html: str) -> list[str]:
    return [s.text for s in _root(html).xpath("//span[@class='figure-label' or @class='table-label']")]


# --- figures ------------------------------------------------------------------------------------------


def test_labelled_image_alone_becomes_a_numbered_figure():
    converted = _convert("![Mapa Baku](x.png){#fig-map}\n")
    root = _root(converted.chapter.body_html)
    [figure] = root.findall(".//figure")
    assert figure.get("id") == "fig-map"
    img = figure.find("img")
    assert img.get("alt") == "Mapa Baku" and img.get("src") == "x.png"
    assert img.get("id") is None  # the id moved to the figure
    caption = figure.find("figcaption")
    assert " ".join(caption.text_content().split()) == "Rys. 1. Mapa Baku"
    assert caption.find("span").get("class") == "figure-label"
    assert not root.findall(".//p")  # the paragraph became the figure
    assert converted.floats == (1, 0)
    [target] = converted.targets
    assert (target.label, target.kind, target.number, target.title) == ("fig-map", "figure", "1", "Mapa Baku")


def test_fig_alt_overrides_the_alt_and_is_not_left_on_the_image():
    html = _convert("![Mapa Baku](x.png){#fig-map fig-alt=Plan}\n").chapter.body_html
    figure = _root(html).find(".//figure")
    img = figure.find("img")
    assert img.get("alt") == "Plan"
    assert "fig-alt" not in img.attrib
    assert "Mapa Baku" in figure.find("figcaption").text_content()  # the caption keeps its words


def test_fig_alt_with_a_quoted_value_of_several_words():
    img = _root(_convert('![Mapa](x.png){#fig-map fig-alt="Opis mapy"}\n').chapter.body_html).find(".//img")
    assert img.get("alt") == "Opis mapy"
    assert set(img.attrib) == {"alt", "src"}


def test_caption_markdown_and_index_terms(make_book):
    book, warnings = _book(make_book, "# A\n\n![Mapa *starego* ((Baku))](x.png){#fig-map}\n")
    figure = _root(book.chapters[0].body_html).find(".//figure")
    caption = figure.find("figcaption")
    assert caption.find("em").text == "starego"
    assert "*" not in caption.text_content() and "((" not in caption.text_content()
    assert figure.find("img").get("alt") == "Mapa starego Baku"  # plain text, no label
    [entry] = [e for g in book.index for e in g.entries]
    assert entry.term == "Baku" and len(entry.mark_ids) == 1
    assert caption.xpath(f".//span[@id='{entry.mark_ids[0]}']")  # the mark stands in the caption
    [target] = book.targets
    assert target.title == "Mapa starego Baku"
    assert warnings == []


def test_image_not_alone_in_its_paragraph_is_no_figure():
    for text in ("Tekst ![Mapa](x.png){#fig-a} dalej.\n",
                 "Nad obrazem.\n![Mapa](x.png){#fig-a}\n",
                 "![Mapa](x.png){#fig-a}\nPod obrazem.\n"):
        converted = _convert(text)
        root = _root(converted.chapter.body_html)
        assert root.findall(".//figure") == [] and root.findall(".//figcaption") == [], text
        assert converted.floats == (0, 0) and converted.targets == ()


def test_image_without_a_label_is_no_figure():
    converted = _convert("![Mapa](x.png)\n")
    assert "<figure" not in converted.chapter.body_html and converted.floats == (0, 0)


def test_figures_are_numbered_in_order_within_a_chapter():
    converted = _convert("![A](x.png){#fig-a}\n\n" + TABLE + "\n: T {#tbl-t}\n\n![B](x.png){#fig-b}\n")
    assert _caption_labels(converted.chapter.body_html) == ["Rys. 1.", "Tabela 1.", "Rys. 2."]
    assert converted.floats == (2, 1)
    assert [(t.label, t.number) for t in converted.targets] == [("fig-a", "1"), ("tbl-t", "1"),
                                                                ("fig-b", "2")]


# --- tables ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    TABLE + ": Dane z 1990 {#tbl-dane}\n",  # right under, no blank line
    TABLE + "\n: Dane z 1990 {#tbl-dane}\n",  # under, after a blank line
    ": Dane z 1990 {#tbl-dane}\n\n" + TABLE,  # above
    TABLE + "\nTable: Dane z 1990 {#tbl-dane}\n",  # Pandoc's spelling
], ids=["under", "under-blank", "above", "table-colon"])
def test_table_caption_becomes_the_tables_caption(text):
    converted = _convert(text)
    root = _root(converted.chapter.body_html)
    [table] = root.findall(".//table")
    assert table.get("id") == "tbl-dane"
    caption = table[0]
    assert caption.tag == "caption"
    assert " ".join(caption.text_content().split()) == "Tabela 1. Dane z 1990"
    assert "{#" not in converted.chapter.body_html and ": Dane" not in converted.chapter.body_html
    assert [len(r) for r in table.iter("tr")] == [2, 2]  # the caption is no extra row
    assert root.findall(".//p") == []
    assert converted.floats == (0, 1)
    [target] = converted.targets
    assert (target.label, target.kind, target.number) == ("tbl-dane", "table", "1")
    assert target.title == "Dane z 1990"


def test_unlabelled_caption_is_set_without_a_number_and_not_counted():
    converted = _convert(TABLE + "\n: Bez numeru\n\n" + TABLE + "\n: Z numerem {#tbl-b}\n")
    tables = _root(converted.chapter.body_html).findall(".//table")
    first, second = (" ".join(t.find("caption").text_content().split()) for t in tables)
    assert first == "Bez numeru"
    assert second == "Tabela 1. Z numerem"
    assert not (tables[0].get("id") or "").startswith("tbl-")
    assert converted.floats == (0, 1)
    assert [t.label for t in converted.targets] == ["tbl-b"]


def test_table_caption_with_emphasis():
    caption = _root(_convert(TABLE + "\n: Dane *szacunkowe* {#tbl-d}\n").chapter.body_html).find(".//caption")
    assert caption.find("em").text == "szacunkowe"
    assert " ".join(caption.text_content().split()) == "Tabela 1. Dane szacunkowe"
    assert caption.getparent().get("id") == "tbl-d"


def test_a_colon_paragraph_far_from_a_table_is_no_caption():
    html = _convert(TABLE + "\nAkapit.\n\n: Nie podpis {#tbl-x}\n").chapter.body_html
    assert "<caption" not in html


# --- numbering through the book -------------------------------------------------------------------------


def test_numbering_continues_across_chapters(make_book):
    book, _ = _book(make_book,
                    "# A\n\n![A](x.png){#fig-a}\n\n" + TABLE + "\n: T {#tbl-a}\n",
                    "# B\n\n![B](x.png){#fig-b}\n\n![C](x.png){#fig-c}\n\n" + TABLE + "\n: U {#tbl-b}\n")
    assert _caption_labels(book.chapters[0].body_html) == ["Rys. 1.", "Tabela 1."]
    assert _caption_labels(book.chapters[1].body_html) == ["Rys. 2.", "Rys. 3.", "Tabela 2."]
    assert [(t.label, t.number) for t in book.floats("figure")] == [("fig-a", "1"), ("fig-b", "2"),
                                                                    ("fig-c", "3")]


def test_numbering_by_chapter_restarts(make_book):
    yaml = "title: Próba\nlang: pl\nfigure_numbering: chapter\n"
    book, _ = _book(make_book,
                    "# A\n\n![A](x.png){#fig-a}\n",
                    "# B\n\n![B](x.png){#fig-b}\n\n" + TABLE + "\n: T {#tbl-b}\n\n![C](x.png){#fig-c}\n",
                    yaml=yaml)
    assert _caption_labels(book.chapters[0].body_html) == ["Rys. 1.1."]
    assert _caption_labels(book.chapters[1].body_html) == ["Rys. 2.1.", "Tabela 2.1.", "Rys. 2.2."]
    assert [t.number for t in book.targets] == ["1.1", "2.1", "2.1", "2.2"]


def test_english_caption_labels():
    html = _convert("![Map](x.png){#fig-m}\n\n" + TABLE + "\n: Data {#tbl-d}\n", lang="en").chapter.body_html
    assert _caption_labels(html) == ["Figure 1.", "Table 1."]


# --- cross-reference marks ------------------------------------------------------------------------------


def test_every_reference_form_is_marked():
    converted = _convert("A @fig-a, B [-@fig-a], C @page:fig-a, D [-@page:fig-a], E (@sec-x), F @tbl-t.\n")
    marks = _root(converted.chapter.body_html).xpath(f"//a[@class='{XREF_CLASS}']")
    assert [(a.get("data-form"), a.get("href"), a.text) for a in marks] == [
        ("label", "#fig-a", "@fig-a"), ("number", "#fig-a", "[-@fig-a]"),
        ("page", "#fig-a", "@page:fig-a"), ("page-number", "#fig-a", "[-@page:fig-a]"),
        ("label", "#sec-x", "@sec-x"), ("label", "#tbl-t", "@tbl-t")]
    assert sorted(converted.xrefs, key=lambda x: x.raw) == sorted([
        Xref("fig-a", "label", "@fig-a"), Xref("fig-a", "number", "[-@fig-a]"),
        Xref("fig-a", "page", "@page:fig-a"), Xref("fig-a", "page-number", "[-@page:fig-a]"),
        Xref("sec-x", "label", "@sec-x"), Xref("tbl-t", "label", "@tbl-t")], key=lambda x: x.raw)


@pytest.mark.parametrize(("text", "shown"), [
    ("Pisz na ala@fig-x.pl.", '<span class="url">ala<wbr/>@fig<wbr/>-x<wbr/>.pl</span>.'),
    ("Kod `@fig-x` tutaj.", "<code>@fig-x</code>"),
    ("Link [see @fig-x](http://example.org).", '<a href="http://example.org">see @fig-x</a>'),
    ("Konto https://x.org/@fig-x tu.", '<span class="url">https://<wbr/>x<wbr/>.org<wbr/>/@fig<wbr/>-x</span>'),
    ("```\n@fig-x\n```", "@fig-x"),
    ("Ucieczka \\@fig-x tu.", "@fig-x"),
    ("Nie etykieta: @fig- tu.", "@fig- tu"),
])
def test_what_stays_text(text, shown):
    converted = _convert(text + "\n")
    assert converted.xrefs == ()
    assert XREF_CLASS not in converted.chapter.body_html
    assert shown in converted.chapter.body_html


def test_citations_are_not_cross_references():
    converted = _convert("Tekst [@doe99] i @fig-a oraz [zob. @smith, s. 3].\n")
    assert converted.xrefs == (Xref("fig-a", "label", "@fig-a"),)
    html = converted.chapter.body_html
    assert html.count('class="citation"') == 2  # both stay citations (no bibliography: kept as written)
    assert "[@doe99]" in html and "[zob. @smith, s. 3]" in html
    assert {d.code for d in converted.diagnostics} == {"K907"}


def test_reference_in_a_caption_is_marked():
    converted = _convert("![Jak na @fig-a](x.png){#fig-b}\n")
    caption = _root(converted.chapter.body_html).find(".//figcaption")
    assert caption.xpath(f".//a[@class='{XREF_CLASS}']")[0].get("href") == "#fig-a"
    assert converted.xrefs == (Xref("fig-a", "label", "@fig-a"),)


# --- figures inside other blocks, and Quarto's attributes -------------------------------------------


def test_figures_in_a_quote_and_a_list_item_are_numbered_in_reading_order():
    converted = _convert("> ![W cytacie](x.png){#fig-q}\n\n![Zwykły](x.png){#fig-w}\n\n"
                         "1. Punkt:\n\n    ![W punkcie](x.png){#fig-l}\n")
    root = _root(converted.chapter.body_html)
    figures = root.xpath("//figure")
    assert [f.get("id") for f in figures] == ["fig-q", "fig-w", "fig-l"]
    assert _caption_labels(converted.chapter.body_html) == ["Rys. 1.", "Rys. 2.", "Rys. 3."]
    assert figures[0].getparent().tag == "blockquote" and figures[2].getparent().tag == "li"


def test_an_indented_code_block_is_not_a_figure():
    converted = _convert("Tekst.\n\n    ![Kod](x.png){#fig-k}\n")
    root = _root(converted.chapter.body_html)
    assert root.xpath("//figure") == []
    assert "![Kod](x.png){#fig-k}" in root.xpath("//pre/code")[0].text


def test_quarto_width_becomes_a_style_and_options_data_attributes():
    converted = _convert('![Wąski](x.png){#fig-w width=50% height=120 fig-align="left"}\n')
    img = _root(converted.chapter.body_html).xpath("//figure/img")[0]
    assert img.get("style") == "width: 50%;" and img.get("width") is None  # HTML's width is pixels only
    assert img.get("height") == "120" and img.get("data-fig-align") == "left"
    assert img.get("fig-align") is None


def test_table_label_with_inner_punctuation():
    converted = _convert(TABLE + ": Dane {#tbl-dane.2}\n")
    assert 'id="tbl-dane.2"' in converted.chapter.body_html


@pytest.mark.parametrize(("lang", "figure", "table"), [("pl", "Rys.", "Tabela"), ("en", "Figure", "Table")])
def test_by_chapter_an_appendix_numbers_under_its_letter(make_book, lang, figure, table):
    """QA sweep 11: an appendix's figures were "Figure 1", beside the chapters' 1.1."""
    files: dict[str, str | bytes] = {
        "book.yaml": f"title: T\nlang: {lang}\nfigure_numbering: chapter\n"
                     "back:\n  - appendix: a.md\n  - appendix: b.md\n  - appendix: c.md\n",
        "01.md": "# One\n\n![A](x.png){#fig-a}\n",
        "a.md": "# Sources\n\n![B](x.png){#fig-b}\n\n" + TABLE + "\n: T {#tbl-b}\n",
        "b.md": "# Lists\n\n![C](x.png){#fig-c}\n\nAs @fig-b shows.\n",
        "c.md": "# Appendix IV: Letters\n\n![D](x.png){#fig-d}\n",
        "x.png": _png(),
    }
    book, _ = read_book(make_book(files))
    labels = [_caption_labels(part.body_html) for part in book.chapters]
    assert labels == [[f"{figure} 1.1."], [f"{figure} A.1.", f"{table} A.1."], [f"{figure} B.1."],
                      [f"{figure} IV.1."]]
    assert [t.number for t in book.targets] == ["1.1", "A.1", "A.1", "B.1", "IV.1"]
    assert "A.1" in _root(book.chapters[2].body_html).xpath("string(//a[@class='xref'])")


def test_a_caption_under_its_table_is_read_first_and_its_notes_numbered_so() -> None:
    # The caption is written under the table (Pandoc's way) but set above its rows: a reader meets its
    # note before the notes in the cells, so it takes the lower number (it took the next one after them).
    converted = _convert("Przed.[^a]\n\n| Rok | Liczba |\n|---|---|\n| 1988 | 250[^b] |\n\n"
                         ": Ormianie w Baku[^c] {#tbl-ludnosc}\n\nPo.[^d]\n\n"
                         "[^a]: Przed tabelą.\n[^b]: W komórce.\n[^c]: W podpisie.\n[^d]: Po tabeli.\n")
    notes = {n.number: n.html for n in converted.notes}
    assert "podpisie" in notes[2] and "komórce" in notes[3] and "Po tabeli" in notes[4]
    table = _root(converted.chapter.body_html).find(".//table")
    assert [a.text for a in table.iter("a") if a.get("class") == "noteref"] == ["2", "3"]
