"""The EPUB's chapter documents kept from the last build (writers/epubdocs.py): after an edit, the
EPUB is byte for byte the one a build from scratch makes, in every notes mode, whether the edit moved
the later chapters' pages or not; and documents the edit did not touch were really reused."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kolofon.cli import main
from kolofon.pipeline import CACHE_DIR
from tests.conftest import MANUSCRIPT


def _build(root: Path, out: Path, *extra: str) -> bytes:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main([str(root), "-o", str(out), "-e", "epub", "-q", *extra])
    assert status == 0, stderr.getvalue()
    return next(out.glob("*.epub")).read_bytes()


def _kept(out: Path) -> set[str]:
    return {p.name for p in (out / CACHE_DIR / "epub").glob("*.pickle")}


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize("mode", ["end", "foot", "chapter"])
def test_kept_documents_give_the_same_epub(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "manuscript"
    shutil.copytree(MANUSCRIPT, root)
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(f"notes: {mode}\n")
    out = tmp_path / "out"
    _build(root, out, "--force")  # takes nothing from a last build, but leaves its documents for the next
    first, second = sorted(root.glob("*.md"))[:2]

    # A few words in the second chapter: the first chapter's document is kept as it was.
    before = _kept(out)
    assert before
    words = "\n\nKilka słów więcej na początku. "
    _edit(second, lambda text: re.sub(r"\n\n(?=[^#\n])", words, text, count=1))
    edited = _build(root, out)
    assert before & _kept(out), "no chapter's document was reused"
    assert edited == _build(root, tmp_path / "scratch-1", "--force")

    # A long paragraph more in the first chapter: every later chapter's pages move, and their kept
    # documents (page markers, "p. N" references) must not be reused.
    paragraph = next(p for p in first.read_text(encoding="utf-8").split("\n\n") if len(p) > 400)
    _edit(first, lambda text: text.replace(paragraph, f"{paragraph}\n\n{paragraph}\n\n{paragraph}", 1))
    edited = _build(root, out)
    assert edited == _build(root, tmp_path / "scratch-2", "--force")
