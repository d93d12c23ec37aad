"""Staging outputs: a Ctrl-C while they are renamed into place waits until all of them are, and what a
killed build left behind is removed by the next one (QA sweep 11: a 3.7 MB *.zip.*.tmp and a copy of
the archive's bag stayed in the output folder for good)."""

from __future__ import annotations

import os
import signal

import pytest

from kolofon.pipeline import output_names
from kolofon.writers import Committed, Staging


def test_a_ctrl_c_while_committing_waits_until_every_output_is_in_place(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "book-archive").mkdir(parents=True)
    (out / "book-archive" / "old.txt").write_text("old")
    renamed = []
    real_replace = os.replace

    def replace(src, dst):  # the signal comes after the first output is in place
        real_replace(src, dst)
        renamed.append(dst)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Committed) as stopped, Staging(out) as stage:
        stage.write("book.pdf", b"pdf")
        stage.write("book.epub", b"epub")
        (stage.directory("book-archive") / "new.txt").write_text("new")
    assert stopped.value.signum == signal.SIGINT
    assert sorted(p.name for p in out.iterdir()) == ["book-archive", "book.epub", "book.pdf"]
    assert [p.name for p in (out / "book-archive").iterdir()] == ["new.txt"]


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    (out / ".book-archive.old").mkdir(parents=True)
    (out / ".book-archive.zip.d5w22jja.tmp").write_bytes(b"x" * 100)
    (out / ".book.pdf.x1y2z3q4.tmp").write_bytes(b"x")
    (out / "..kolofon-stamp.json.a1b2c3d4.tmp").write_bytes(b"x")
    (out / ".book-archive.k9m8n7p6.tmp").mkdir()
    (out / ".kolofon-cache").mkdir()
    (out / ".mail-archive.old").mkdir()  # the user's own (QA sweeps 13 and 14: "-o ." deleted them)
    (out / ".mail-archive.old" / "inbox").write_text("the author's")
    mine = [".mail-archive.old", "notes.tmp", ".bashrc.old", ".draft.20240101.tmp", ".vim.swapfile.tmp",
            ".photos.old", ".budget.pdf.20240101.tmp", ".other-book.pdf.x1y2z3q4.tmp"]
    for name in mine[1:]:
        (out / name).write_text("the author's")
    with Staging(out) as stage:
        stage.clear_leftovers(output_names("book"))
        stage.write("book.pdf", b"pdf")
    assert sorted(p.name for p in out.iterdir()) == sorted([".kolofon-cache", "book.pdf", *mine])


def test_a_booklet_cover_on_a_4up_booklet_is_a_command_line_error(tmp_path, capsys):
    """QA sweep 13: --booklet-cover with --booklet 4up was ignored without a word."""
    from kolofon.cli import main

    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path), "--booklet", "4up", "--booklet-cover"])
    assert stopped.value.code == 2 and "--booklet-cover needs the 2up booklet" in capsys.readouterr().err
