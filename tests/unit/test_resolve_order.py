"""The order in which resolve() hands the chapters on to be laid out (kolofon/source/resolve.py): the
chapters converted now before those converted by an earlier build, whose pages the page cache holds.
A one-paragraph edit's changed chapter no longer waits for every chapter before it to be looked up."""

from __future__ import annotations

from pathlib import Path

from kolofon.cache import Memo
from kolofon.pipeline import load_manuscript, resolve_book

CHAPTERS = {f"{n:02d}.md": f"# Rozdział {n}\n\nTekst rozdziału {n}.\n\nDrugi akapit.\n" for n in range(1, 6)}


def _handed_on(root: Path, memo: Memo) -> list[str]:
    order: list[str] = []
    ms, diags = load_manuscript(root)
    resolve_book(ms, diags, False, memo, lambda chapter, _notes: order.append(chapter.id))
    memo.flush()
    return order


def test_the_changed_chapter_is_handed_on_first(make_book, tmp_path: Path) -> None:
    root = make_book(CHAPTERS)
    memo = Memo(tmp_path / "convert")
    first = _handed_on(root, memo)
    assert len(first) == 5 and first == sorted(first)  # a first build: each as it is converted
    (root / "03.md").write_text(CHAPTERS["03.md"].replace("Drugi", "Zmieniony drugi"), encoding="utf-8")
    assert _handed_on(root, Memo(tmp_path / "convert")) == [first[2], first[0], first[1], first[3], first[4]]
    # Nothing changed: every chapter from the memo, in the book's order.
    assert _handed_on(root, Memo(tmp_path / "convert")) == first
