"""Page markers inside a block (pagemap.PageMarkers with the layout's page starts)."""

from __future__ import annotations

import re

from kolofon.writers.pagemap import PageMarkers


def _before(html: str, page: int) -> str:
    at = re.search(rf'<span id="page-{page}"[^>]*></span>', html)
    assert at, html
    return re.sub(r"<[^>]+>", "", html[:at.start()])


def test_the_same_words_twice_go_where_the_print_pages_put_them():
    sentence = "The lamp was lit at dusk. "
    fragment = f'<p id="b1">{sentence * 8}</p><p id="b2">Next.</p>'
    page_of = {"b1": 1, "b2": 3}
    near = len(sentence) * 5 + 3  # print counts a little off: a line's end loses its space
    markers = PageMarkers(page_of, "page", starts={2: ("b1", "The lamp was lit at", near)})
    html = markers.place(fragment, ["b1", "b2"])
    assert _before(html, 2) == sentence * 5
    assert [folio for folio, _file in markers.placed] == ["1", "2", "3"]


def test_a_line_that_begins_with_the_rest_of_a_hyphenated_word_is_marked_at_the_next_word():
    fragment = '<p id="b1">Keepers wrote <em>every</em> night about the unforgettable storm.</p>'
    markers = PageMarkers({"b1": 1}, "page", starts={2: ("b1", "gettable storm", 30)})
    html = markers.place(fragment, ["b1"])
    assert _before(html, 2) == "Keepers wrote every night about the unforgettable "


def test_words_not_found_leave_the_marker_for_the_next_block():
    fragment = '<p id="b1">One two three.</p><p id="b2">Four.</p>'
    markers = PageMarkers({"b1": 1, "b2": 2}, "page", starts={2: ("b1", "nowhere", 5)})
    html = markers.place(fragment, ["b1", "b2"])
    assert _before(html, 2) == "One two three."
    assert "<span" in html and "/>" not in html
