"""The template filters kolofon adds to Jinja."""

from markupsafe import Markup

from kolofon.render import ending_with

BACK = Markup('<a class="note-page" href="#noteref-1">↑&#160;p.&#160;3</a>')


def test_the_tail_ends_the_last_paragraph_a_space_after_its_last_word():
    html = Markup("<p>First paragraph.</p>\n<p>Last words.</p>\n")
    assert ending_with(html, BACK) == f"<p>First paragraph.</p>\n<p>Last words. {BACK}</p>"


def test_after_anything_but_a_paragraph_the_tail_follows_a_space_apart():
    html = Markup("<p>A list:</p><ul><li>one</li></ul>")
    assert ending_with(html, BACK) == f"<p>A list:</p><ul><li>one</li></ul> {BACK}"


def test_the_result_is_markup_and_nothing_is_escaped_twice():
    result = ending_with(Markup("<p>a &amp; b</p>"), BACK)
    assert isinstance(result, Markup)
    assert "&amp;amp;" not in result and "&amp;#160;" not in result
