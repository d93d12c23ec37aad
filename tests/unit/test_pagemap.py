"""Page markers inside a block (pagemap.PageMarkers with the layout's page starts)."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from kolofon.writers import pagemap
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


def _find_words_by_character(el: Any, words: str, after: int, near: int) -> Any:
    """The reading _find_words replaced (one character at a time): its oracle."""
    chars: list[Any] = []
    flat: list[str] = []
    for node, in_tail, text in pagemap._texts(el):
        for offset, char in enumerate(text):
            if char in pagemap._INVISIBLE:
                continue
            if char.isspace():
                char = " "
                if flat and flat[-1] == " ":
                    continue
            chars.append((node, in_tail, offset))
            flat.append(char)
    text = "".join(flat)
    wanted = " ".join("".join(c for c in words if c not in pagemap._INVISIBLE).split())
    found = [i for i in range(max(after, 1), len(text)) if wanted and text.startswith(wanted, i)]
    if not found:
        return None
    at = min(found, key=lambda i: abs(i - near))
    if text[at - 1] != " ":
        at = text.find(" ", at) + 1
        if at <= 0 or at >= len(text):
            return None
    return (*chars[at], at + 1)


@pytest.mark.parametrize("alphabet", ["ab c\u00ad\u200b \u00a0\n\tdé\u202f\u2009", "ab cd e f\u00a0",
                                      "aab  b"])
def test_a_pages_first_words_are_found_where_a_reading_by_character_finds_them(alphabet: str) -> None:
    """Spaces of every kind and in runs, invisible characters, text split over inline elements."""
    rng = random.Random(alphabet)
    for _ in range(1000):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(4)]
        el = pagemap._parse(f"<p>{texts[0]}<em>{texts[1]}</em>{texts[2]}<b>{texts[3]}</b></p>")[0]
        joined = "".join(texts)
        start = rng.randint(0, len(joined))
        words, after, near = joined[start:start + rng.randint(1, 5)], rng.randint(0, 5), rng.randint(0, 30)
        assert pagemap._find_words(el, words, after, near) == _find_words_by_character(el, words, after, near)
