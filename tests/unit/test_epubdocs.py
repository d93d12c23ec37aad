"""KeptDocs: a document of the last build is reused only when every read it made of the layout gives
the same answer now."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolofon.cache import Memo
from kolofon.writers.epubdocs import KeptDocs, Recorded
from kolofon.writers.pagemap import PageMarkers


def _make_doc(tmp_path: Path, page_of: dict[str, int],
              calls: list[str]) -> tuple[tuple[str, str, bytes], int]:
    """One build: a document that reads the pages of b1 and b2 and places their markers."""
    memo = Memo(tmp_path / "epub")
    pages = Recorded(page_of)
    markers = PageMarkers(pages, "s.")
    markers.inside = Recorded(markers.inside)
    kept = KeptDocs(memo, (pages, markers.inside), "static")

    def make() -> tuple[str, str, bytes]:
        calls.append("made")
        folios = [*markers.due("b1"), *markers.due("b2")]
        return "ch1", "ch1.xhtml", " ".join(folios).encode()

    markers.file = "ch1.xhtml"
    doc = kept.doc(markers, make, "the chapter's text")
    memo.flush()
    return doc, markers.next_page


def test_reused_when_what_it_read_is_the_same(tmp_path: Path) -> None:
    calls: list[str] = []
    first = _make_doc(tmp_path, {"b1": 1, "b2": 2, "elsewhere": 9}, calls)
    # A page the document never read moved: kept, with the markers' state it left.
    again = _make_doc(tmp_path, {"b1": 1, "b2": 2, "elsewhere": 10}, calls)
    assert calls == ["made"]
    assert again == first == (("ch1", "ch1.xhtml", b"1 2"), 3)


def test_made_again_when_a_page_it_read_moved(tmp_path: Path) -> None:
    calls: list[str] = []
    _make_doc(tmp_path, {"b1": 1, "b2": 2}, calls)
    doc, next_page = _make_doc(tmp_path, {"b1": 1, "b2": 3}, calls)
    assert calls == ["made", "made"]
    assert (doc[2], next_page) == (b"1 2 3", 4)
    # A key it found missing, now there, counts as a change too.
    _make_doc(tmp_path, {"b1": 1}, calls)
    _make_doc(tmp_path, {"b1": 1, "b2": 2}, calls)
    assert calls == ["made"] * 4


def test_a_whole_map_cannot_be_read_while_recorded() -> None:
    pages = Recorded({"b1": 1})
    pages.log = {}
    with pytest.raises(RuntimeError):
        list(pages)
