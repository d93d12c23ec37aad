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
