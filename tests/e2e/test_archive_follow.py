"""The deposit's zip takes the PDF/A copy while a tool writes it (kolofon/writers/archive.py, `follow`):
the same zip byte for byte as when the copy is zipped after it is written, and a build that stops
meanwhile does not wait for the copy."""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
import time
import zipfile
from concurrent.futures import Future
from pathlib import Path

import pytest

from kolofon.cli import main
from kolofon.pipeline import load_manuscript, resolve_book
from kolofon.writers import Staging, archive

CHAPTERS = {"01.md": "# Jeden\n\nPierwszy rozdział, w którym archiwum rośnie.\n",
            "02.md": "# Dwa\n\nDrugi rozdział, o porządku w archiwum.\n"}


def _build(root: Path, out: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(root), "-o", str(out), "--no-proof", "-q", "--force"]) == 0


def test_the_zip_is_the_same_whether_the_copy_is_followed_or_not(make_book, monkeypatch) -> None:
    root = make_book(CHAPTERS)
    followed: list[Path] = []
    follow = archive.PendingArchive.follow
    monkeypatch.setattr(archive.PendingArchive, "follow",
                        lambda self, pdfa, written: (followed.append(pdfa), follow(self, pdfa, written)))
    _build(root, root.parent / "followed")
    assert len(followed) == 1
    monkeypatch.setattr(archive, "small_enough", lambda files: False)
    _build(root, root.parent / "after")
    assert len(followed) == 1  # not followed the second time
    (first,), (second,) = ((root.parent / name).glob("*.zip") for name in ("followed", "after"))
    assert first.read_bytes() == second.read_bytes()


@pytest.fixture
def deposit(make_book, tmp_path: Path):
    ms, diags = load_manuscript(make_book(CHAPTERS))
    book, _warnings = resolve_book(ms, diags)
    with Staging(tmp_path / "out") as stage:
        pending = archive.PendingArchive(stage, book)
        yield pending
        pending.close()


def test_a_copy_written_in_pieces_is_zipped_whole(deposit: archive.PendingArchive, tmp_path: Path) -> None:
    pdfa, written = tmp_path / "pdfa.pdf", Future()
    deposit.follow(pdfa, written)
    pieces = [bytes([i]) * 70_000 for i in range(5)]  # more than a read block each
    with pdfa.open("wb") as file:
        for piece in pieces:
            file.write(piece)
            file.flush()
            time.sleep(0.02)  # the follower reads what is there, and waits for more
    written.set_result(None)
    _name, zipped = deposit.finish(pdfa)
    with zipfile.ZipFile(zipped) as z:
        member = next(n for n in z.namelist() if n.endswith("-pdfa.pdf"))
        assert z.read(member) == b"".join(pieces)
        manifest = next(n for n in z.namelist() if n.endswith("manifest-sha256.txt")
                        and "tag" not in n)
        assert hashlib.sha256(b"".join(pieces)).hexdigest() in z.read(manifest).decode()


def test_closing_stops_following_a_copy_never_finished(deposit: archive.PendingArchive,
                                                      tmp_path: Path) -> None:
    pdfa = tmp_path / "pdfa.pdf"
    pdfa.write_bytes(b"%PDF-1.4\n")
    deposit.follow(pdfa, Future())  # a tool that never ends (the build failed elsewhere)
    closer = threading.Thread(target=deposit.close)
    closer.start()
    closer.join(timeout=5)
    assert not closer.is_alive()


def test_a_follower_that_fails_fails_the_deposit(deposit: archive.PendingArchive, tmp_path: Path,
                                                 monkeypatch) -> None:
    pdfa, written = tmp_path / "pdfa.pdf", Future()
    pdfa.write_bytes(b"%PDF-1.4\n" * 10)

    def broken(self, pdfa: Path, written: Future[object]) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(archive.PendingArchive, "_copy_while_written", broken)
    deposit.follow(pdfa, written)
    written.set_result(None)
    with pytest.raises(OSError, match="No space"):
        deposit.finish(pdfa)
