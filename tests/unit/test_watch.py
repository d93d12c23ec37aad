"""--watch rebuilds on every change and survives a bad edit (and even a crash of one rebuild)."""

from __future__ import annotations

import argparse
from pathlib import Path

import watchfiles

from kolofon.watch import watch


def test_watch_keeps_going_after_failures(monkeypatch, tmp_path: Path, capsys) -> None:
    batches = [{(watchfiles.Change.modified, str(tmp_path / "01.md"))},
               {(watchfiles.Change.modified, str(tmp_path / "02.md"))}]
    monkeypatch.setattr(watchfiles, "watch", lambda *a, **k: iter(batches))
    calls = []

    def build_once() -> int:
        calls.append(len(calls))
        if len(calls) == 2:
            raise RuntimeError("boom")  # a crash in one rebuild must not end the watch
        return 1 if len(calls) == 1 else 0  # the first build fails on a bad manuscript

    args = argparse.Namespace(manuscript=tmp_path, out=tmp_path / "dist")
    assert watch(args, build_once) == 0
    assert len(calls) == 3  # the initial build and one per change
    err = capsys.readouterr().err
    assert "changed: 01.md" in err and "changed: 02.md" in err and "internal error" in err


def test_a_temporary_file_that_came_and_went_is_not_a_change(monkeypatch, tmp_path: Path, capsys) -> None:
    """`sed -i` writes a temporary file and renames it over the chapter: "changed: 01.md, sedAbC12"."""
    (tmp_path / "01.md").write_text("# One\n", encoding="utf-8")
    temp = str(tmp_path / "sedAbC12")
    batches = [{(watchfiles.Change.added, temp), (watchfiles.Change.deleted, temp),
                (watchfiles.Change.modified, str(tmp_path / "01.md"))},
               {(watchfiles.Change.added, temp), (watchfiles.Change.deleted, temp)},
               {(watchfiles.Change.deleted, str(tmp_path / "02.md"))}]
    monkeypatch.setattr(watchfiles, "watch", lambda *a, **k: iter(batches))
    calls = []
    args = argparse.Namespace(manuscript=tmp_path, out=tmp_path / "dist")
    assert watch(args, lambda: calls.append(1) or 0) == 0
    err = capsys.readouterr().err
    assert "changed: 01.md\n" in err and "sedAbC12" not in err and "changed: 02.md" in err
    assert len(calls) == 3  # the first build, 01.md, 02.md deleted; not the temporary file alone
