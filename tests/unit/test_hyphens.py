"""Polish hyphenation leaves a vowel in every piece (QA sweep 11: "psz-/czołą" in a book's text)."""

from __future__ import annotations

import pyphen

from kolofon.layout import engine  # noqa: F401  (installs the layout's fixes, as in the workers)
from kolofon.layout.hyphens import syllabic


def test_no_polish_break_leaves_a_piece_without_a_vowel():
    polish = pyphen.Pyphen(lang="pl", left=3, right=3)
    assert polish.inserted("pszczołą") == "pszczołą"
    assert polish.inserted("wszczepić") == "wszcze-pić"
    assert polish.inserted("zmarzłszy") == "zmar-złszy"
    assert polish.inserted("najwspanialszy") == "naj-wspa-nial-szy"  # good breaks stay


def test_other_languages_are_left_as_their_patterns_say():
    assert pyphen.Pyphen(lang="en_US").inserted("hyphenation") == "hy-phen-ation"


def test_the_last_piece_keeps_a_vowel_too():
    assert syllabic("abcdrst", [2, 4]) == []
    assert syllabic("kot-kota", [3]) == [3]
