"""Running heads fitted to their line (kolofon/layout/heads.py)."""

from __future__ import annotations

from kolofon.design import default_design
from kolofon.layout.geometry import Geometry
from kolofon.layout.heads import fit, head_fitter, width

ITALIC = next(f.path for f in default_design().faces if (f.style, f.weight) == ("italic", 400))
TITLE = "The Pocket Guide to Keeping Small Archives in Good Order for Volunteers"


def test_a_head_that_fits_is_left_alone() -> None:
    assert fit("Short", ITALIC, 8, 100) == "Short"


def test_a_long_head_is_cut_after_a_whole_word_with_an_ellipsis() -> None:
    room = width("The Pocket Guide to Keeping Small", ITALIC, 8) + 5
    assert fit(TITLE, ITALIC, 8, room) == "The Pocket Guide to Keeping…"  # "Small…" does not fit
    assert fit("Jeden, dwa, trzy", ITALIC, 8, width("Jeden, dwa,", ITALIC, 8)) == "Jeden…"  # no comma


def test_a_cut_never_ends_on_a_one_letter_word() -> None:
    """"…porównawczym i…" on a spine (QA sweep 9)."""
    text = "Studium porównawczym i historia"
    assert fit(text, ITALIC, 8, width("Studium porównawczym i…", ITALIC, 8) + 1) == "Studium porównawczym…"


def test_a6_cuts_the_long_title_and_a5_does_not() -> None:
    a6 = head_fitter(default_design(), Geometry(105, 148))(TITLE)
    assert a6.endswith("…") and TITLE.startswith(a6[:-1]) and TITLE[len(a6) - 1] == " "
    assert head_fitter(default_design(), Geometry(148, 210))(TITLE) == TITLE
