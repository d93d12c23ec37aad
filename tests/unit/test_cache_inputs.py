"""The no-op check hashes every file of the manuscript folder: what is not a regular file is passed by
(QA sweep: a broken link crashed the build with a traceback, a named pipe made it wait for ever)."""

from __future__ import annotations

import os
from pathlib import Path

from kolofon import cache


def _key(root: Path, templates: Path) -> str:
    return cache.inputs_key(root, templates, "options")


def test_a_broken_link_and_a_named_pipe_are_passed_by(tmp_path: Path) -> None:
    root, templates = tmp_path / "ms", tmp_path / "templates"
    root.mkdir()
    templates.mkdir()
    (root / "book.yaml").write_text("title: T\n")
    before = _key(root, templates)
    (root / "broken.png").symlink_to(tmp_path / "nowhere.png")
    os.mkfifo(root / "pipe")
    assert _key(root, templates) == before  # returns (no wait on the pipe), the same key
    (root / "01.md").write_text("# A\n")
    assert _key(root, templates) != before  # a real file still counts
