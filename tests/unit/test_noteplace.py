"""Notes placed where the book wants them: the footnote pieces and the EPUB asides."""

from __future__ import annotations

from kolofon.noteplace import footnote_paragraphs, with_asides, with_footnotes

CALL = '<a class="noteref" role="doc-noteref" href="#note-{n}" id="noteref-{n}">{n}</a>'


def test_a_note_is_cut_after_sentences_outside_elements_only():
    html = ("<p>W\u00a01988\u00a0r. tekst. Drugie <em>zdanie. Nie tu</em> koniec! Trzecie „cytat.” "
            "Czwarte</p><p>Akapit 2.</p>")
    first, second = footnote_paragraphs(html)
    assert first == ("W\u00a01988\u00a0r. ", "tekst. ", "Drugie <em>zdanie. Nie tu</em> koniec! ",
                     "Trzecie „cytat.” ", "Czwarte")
    assert second == ("Akapit 2.",)
    assert "".join(first) == html[3:html.index("</p>")]  # nothing lost, nothing added


def test_a_long_sentence_is_cut_at_spaces_so_no_piece_is_taller_than_a_page():
    (pieces,) = footnote_paragraphs("<p>" + "słowo " * 200 + "</p>")
    assert len(pieces) > 4 and max(len(p) for p in pieces) < 260


def test_block_content_of_a_note_becomes_spans():
    (listed,), (text,) = footnote_paragraphs("<ul><li>a</li></ul><p>x</p>")
    assert listed == '<span class="fn-ul"><span class="fn-li">a</span></span>' and text == "x"


def test_footnote_follows_the_first_call_only():
    html = f"<p>a{CALL.format(n=1)} b{CALL.format(n=1).replace('noteref-1', 'noteref-1-2')}</p>"
    placed = with_footnotes(html, {"note-1": "<span>N</span>"})
    assert placed.count("<span>N</span>") == 1
    assert placed.index("<span>N</span>") < placed.index("noteref-1-2")


def test_asides_stand_after_the_paragraph_of_their_call_in_call_order():
    html = (f'<p id="p1">a{CALL.format(n=1)} b{CALL.format(n=2)}</p>\n'
            '<p id="p2">c<span class="ix" id="x"></span></p>')
    asides = {"note-1": '<aside id="note-1">1</aside>', "note-2": '<aside id="note-2">2</aside>'}
    out = with_asides(html, asides)
    assert out.index('id="p1"') < out.index('id="note-1"') < out.index('id="note-2"') < out.index('id="p2"')
    assert '<span class="ix" id="x"></span>' in out  # never <span/>: HTML parsers read it as open


def test_a_nested_list_stays_whole_with_the_items_after_it():
    html = "<p>Lista:</p>\n<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>"
    (intro,), (listed,) = footnote_paragraphs(html)
    assert intro == "Lista:"
    # No white space between the spans: WeasyPrint sets it as an empty line in an inline footnote.
    assert listed == ('<span class="fn-ul"><span class="fn-li">a<span class="fn-ul"><span class="fn-li">b'
                      '</span></span></span><span class="fn-li">c</span></span>')


def test_text_between_blocks_keeps_the_note_as_one_piece():
    (whole,) = footnote_paragraphs("<p>a</p> tekst <em>b</em>")
    assert whole == ('<span class="fn-p">a</span>tekst <em>b</em>',)


def test_a_numbered_list_that_starts_later_counts_from_its_start():
    (listed,) = footnote_paragraphs('<ol start="4"><li>d</li></ol>')
    assert listed[0].startswith('<span class="fn-ol" start="4" style="counter-reset: fn-item 3">')


def test_a_paragraph_of_lines_in_a_note_keeps_one_class_attribute():
    (lines,) = footnote_paragraphs('<p class="lines">a<br/>b</p>')
    assert lines == ('<span class="fn-p lines">a<br/>b</span>',)
