"""Polish hyphenation that never leaves a piece without a vowel.

The Polish patterns WeasyPrint hyphenates with (pyphen's pl_PL) allow breaks such as "psz-czołą",
"wsz-cze-pić" and "zmar-zł-szy" (found by QA sweep 11 in a book's introduction); Polish rules break
between syllables, and a syllable has a vowel. So, for Polish only, a break is kept only where every
piece between the kept breaks has one: "wszcze-pić", "zmar-złszy", and "pszczołą" whole."""

from __future__ import annotations

import re
from typing import Any

import pyphen

_VOWELS = frozenset("aąeęioóuyAĄEĘIOÓUY")
_positions = pyphen.Pyphen.positions


def syllabic(word: str, positions: list[Any]) -> list[Any]:
    """The breaks of `positions` (pyphen's, in order) that leave a vowel in every piece of `word`."""
    kept: list[Any] = []
    start = 0
    for position in positions:
        if _VOWELS.intersection(word[start:position]) and _VOWELS.intersection(word[position:]):
            kept.append(position)
            start = position
    # The last piece may have lost its vowel to no break (each break checked what followed it).
    while kept and not _VOWELS.intersection(word[kept[-1]:]):
        kept.pop()
    return kept


def _polish_positions(self: pyphen.Pyphen, word: str) -> list[Any]:
    found = _positions(self, word)
    if found and self.hd is pyphen.hdcache.get(pyphen.LANGUAGES["pl_PL"]):
        return syllabic(word, found)
    return found


_LANG = re.compile(r'<html\b[^>]*\blang="([^"]+)"')


def preload(head: str) -> None:
    """The hyphenation patterns of the document's language, parsed now: pyphen keeps them for the
    process, so the layout server's children inherit them; each had parsed them at its first
    hyphenated line (Polish 21 ms, English 49 ms), a one-paragraph edit's changed chapter too."""
    match = _LANG.search(head)
    name = pyphen.language_fallback(match.group(1).replace("-", "_")) if match else None
    if name:
        pyphen.Pyphen(lang=name)


def install() -> None:
    pyphen.Pyphen.positions = _polish_positions  # type: ignore[method-assign]
