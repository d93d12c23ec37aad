"""Line-break glue around inline elements (xhtml.glue_noterefs, xhtml.glue_one_letter_words)."""

from __future__ import annotations

from kolofon.source import xhtml


def _html(fragment: str) -> str:
    root = xhtml.parse_fragment(fragment)
    xhtml.glue_noterefs(root)
    xhtml.glue_one_letter_words(root)
    return xhtml.to_xhtml(root)


def test_note_call_sticks_to_the_word_before_it() -> None:
    out = _html('<p>straty wynosiły 36 żołnierzy.<a class="noteref" href="#note-5">5</a> Dalej.</p>')
    assert '36 <span class="nobreak">żołnierzy.<a class="noteref" href="#note-5">5</a></span> Dalej.' in out


def test_one_letter_word_before_an_inline_element_is_glued_to_it() -> None:
    out = _html('<p>masakr Ormian w\u00a0<em>Sumgait</em> pod</p>')
    assert 'Ormian <span class="nobreak">w <em>Sumgait</em></span> pod' in out


def test_one_letter_word_before_an_index_term_joins_the_term() -> None:
    """No second span (layout time), and the term's anchor marks where the glued group starts."""
    out = _html('<p>masakr Ormian w\u00a0<span class="ix" id="ix-1">Sumgait</span> pod'
                ' i\u00a0<span class="ix" id="ix-2"></span>x</p>')
    assert 'Ormian <span class="ix" id="ix-1">w\u00a0Sumgait</span> pod' in out
    # A hidden term has no text to join: the word and the empty mark share a nowrap span.
    assert '<span class="nobreak">i <span class="ix" id="ix-2"></span></span>x' in out


def test_text_is_unchanged_apart_from_the_glue() -> None:
    src = '<p>i\u00a0<em>w</em> domu, a\u00a0<b>kot</b>.<a class="noteref" href="#n">1</a></p>'
    root = xhtml.parse_fragment(src)
    before = root.text_content().replace("\u00a0", " ")
    xhtml.glue_noterefs(root)
    xhtml.glue_one_letter_words(root)
    assert root.text_content().replace("\u00a0", " ") == before


def test_blocks_inside_phrasing_elements_are_unwrapped() -> None:
    root = xhtml.parse_fragment("<p><b>a<div onclick='x'>b<hr>c</div></b></p><div>ok</div>")
    xhtml.sanitize(root)
    out = xhtml.to_xhtml(root)
    assert out == "<p><b>abc</b></p><div>ok</div>"


def test_a_table_inside_bold_loses_its_structure_not_its_text() -> None:
    root = xhtml.parse_fragment("<p><b>x<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr>"
                                "</tbody></table><ul><li>y</li></ul></b></p>")
    xhtml.sanitize(root)
    assert xhtml.to_xhtml(root) == "<p><b>xa1y</b></p>"


def test_the_print_copy_is_made_from_the_epub_copy_as_conversion_made_it() -> None:
    """xhtml.for_print: the typesetter's print copy of a chapter, made from the book's one copy (the
    main process no longer holds a second): glued, its epub:type set once, its leading space kept."""
    root = xhtml.parse_fragment('<p>straty w\u00a0<em>Sumgait</em>.<a class="noteref" href="#note-5" '
                                'role="doc-noteref">5</a></p>\n<ol start="3"><li>x</li></ol>\n')
    converted = "\n" + xhtml.to_xhtml(root)  # Python-Markdown's output starts with a line break
    assert converted.count('epub:type="noteref"') == 1
    printed = xhtml.for_print(converted)
    assert printed.startswith("\n<p>") and printed.count('epub:type="noteref"') == 1
    assert '<span class="nobreak">w <em>Sumgait</em></span>' in printed
    assert '<span class="nobreak">.<a class="noteref"' in printed
    assert 'style="counter-reset: list-item 2"' in printed
    assert xhtml.for_print("") == ""
