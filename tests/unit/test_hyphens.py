"""Polish hyphenation leaves a vowel in every piece (QA sweep 11: "psz-/czołą" in a book's text)."""

from __future__ import annotations

import pyphen

from kolofon.layout import engine  # (installs the layout's fixes, as in the workers)
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


def test_the_warm_up_parses_the_books_hyphenation_patterns_for_every_child(monkeypatch) -> None:
    """The layout server's warm-up leaves the language's patterns parsed, so that a child it forks
    never parses them at its first hyphenated line (21 ms for Polish, in a one-paragraph edit's
    changed chapter)."""
    import dataclasses
    from pathlib import Path

    from kolofon.layout.part import Job

    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(engine, "_heads", {})
    head = '<!DOCTYPE html>\n<html lang="pl" class="kolofon-pdf"><head><title>T</title></head>'
    job = Job(f"{head}<body><p>Tekst</p></body></html>", "file:///", (), 0.0, Path("unused.pdf"))
    engine.warm_up(job, now=True)
    assert any("pl_PL" in str(path) for path in pyphen.hdcache)
    # A language without patterns, or none named: nothing to parse, and no error.
    for other in ('<html lang="xx">', "<html>"):
        engine.warm_up(dataclasses.replace(job, html=f"{other}<body><p>x</p></body></html>"), now=True)
