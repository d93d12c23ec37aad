"""HTML 4 as people paste it (QA sweep 7): <a name> became data-name (links to it failed EPUBCheck
RSC-012), <center> was unwrapped and its line ran into the paragraph before it."""

from __future__ import annotations

from kolofon.pipeline import read_book


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def _body(make_book, text: str) -> str:
    root = make_book({"book.yaml": "title: T\nlang: en\n", "01.md": f"# One\n\n{text}\n",
                      "x.png": _png()})
    book, _ = read_book(root)
    return book.chapters[0].body_html


def test_an_old_anchor_is_an_id_a_link_can_reach(make_book):
    body = _body(make_book, 'An <a name="old">anchor</a> and <a href="#old">a link to it</a>.')
    assert '<a id="old">anchor</a>' in body and '<a href="#old">' in body and "data-name" not in body


def test_center_font_tt_and_strike_keep_what_they_asked_for(make_book):
    body = _body(make_book, 'Before.\n\n<center>\nA centred line.\n</center>\n\nAfter <font face="Arial" '
                            'color="red">plain</font>, <tt>code</tt> and <strike>gone</strike>.')
    assert '<div style="text-align: center;"' in body and "A centred line." in body
    assert "<span>plain</span>" in body and "<code>code</code>" in body and "<s>gone</s>" in body
    assert "Arial" not in body and "<center" not in body and "<font" not in body


def test_definition_lists_and_abbreviations_are_markup_not_raw_text(make_book):
    """Printed raw: "Apple : A fruit.", "*[HTML]: Hyper Text Markup Language" (QA sweep 7)."""
    body = _body(make_book, "Apple\n:   A fruit.\n\nThe HTML way.\n\n*[HTML]: Hyper Text Markup Language\n")
    assert "<dt>Apple</dt>" in body and "<dd>A fruit.</dd>" in body
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in body and "*[HTML]" not in body


def test_captions_stay_captions_beside_definition_lists(make_book):
    body = _body(make_book, "Before.\n\n: Above, unlabelled\n\n| a |\n|---|\n| 1 |\n\nBetween.\n\n"
                            "| b |\n|---|\n| 2 |\n\n: Below {#tbl-b}\n\n![Map](x.png){#fig-m}\n\n"
                            "Term\n:   Its definition.\n")
    assert body.count("<caption") == 2 and "<figcaption" in body
    assert body.count("<dt>") == 1 and "<dt>Term</dt>" in body and "<dd>Its definition.</dd>" in body


def test_a_raw_table_with_a_caption_takes_the_measure(make_book):
    """Its caption was set at the table's own width, a word a line (QA sweep 7)."""
    body = _body(make_book, "<table>\n<caption>Keepers of the station by decade</caption>\n"
                            "<tr><th>a</th></tr>\n<tr><td>1</td></tr>\n</table>")
    assert '<table class="captioned"' in body
