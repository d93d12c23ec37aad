"""DAISY Ace, the accessibility checker publishers use: outcome "pass", no violations.

Runs whenever Ace (npm @daisy/ace-cli) and Chromium are installed and Ace really starts; `make test`
installs them when run as root, and with CI set a missing or broken Ace fails the test."""

from __future__ import annotations

from pathlib import Path

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import MANUSCRIPT, require_tool


def test_ace_reports_pass_without_violations(tmp_path: Path) -> None:
    require_tool(validate.ace_command() is not None, "DAISY Ace with Chromium (make ace-tools)")
    result = build(Options(MANUSCRIPT, tmp_path / "dist", editions=("epub",), force=True, proof=False))
    epub = next(o.path for o in result.outputs if o.edition == "epub")
    assert validate.ace(epub, tmp_path) == []


def test_a_broken_ace_is_reported_with_its_own_output(tmp_path: Path, monkeypatch) -> None:
    """An Ace that starts but crashes on the book must not read as 'no report found'."""
    fake = tmp_path / "ace-cli"
    fake.write_text("#!/bin/sh\n[ \"$1\" = --version ] && exit 0\necho 'Cannot find module proxy-agent' >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(validate, "ace_command", lambda: ([str(fake)], {}))
    problems = validate.ace(tmp_path / "book.epub", tmp_path)
    assert len(problems) == 1
    assert "Ace wrote no report (exit 1)" in problems[0]
    assert "Cannot find module proxy-agent" in problems[0]


def test_a_heading_that_skips_a_level_is_read_one_level_down(make_book, tmp_path: Path) -> None:
    """A '### ' right under the title failed Ace (heading-order); it keeps its look, aria-level 2."""
    root = make_book({"book.yaml": "title: T\nlang: pl\ndate: 2026-12-03\n",
                      "01.md": "# Jeden\n\nTekst.\n\n### Podtytuł\n\nTekst.\n\n##### Niżej\n\nTekst.\n"})
    result = build(Options(root, tmp_path / "out", editions=("epub",), force=True, proof=False))
    body = result.book.chapters[0].body_html
    assert '<h3 aria-level="2"' in body and '<h5 aria-level="3"' in body
    require_tool(validate.ace_command() is not None, "DAISY Ace with Chromium (make ace-tools)")
    assert validate.ace(result.outputs[0].path, tmp_path) == []
