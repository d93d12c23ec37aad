"""--watch keeps its workers: rebuilds in one Session reuse the same processes (WeasyPrint imported,
fonts loaded) and still give the same editions as a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

from kolofon.checks.validate import page_texts
from kolofon.pipeline import Options, build
from kolofon.workers import Session
from tests.conftest import MANUSCRIPT


def test_rebuilds_in_a_session_reuse_the_workers(tmp_path: Path) -> None:
    root = tmp_path / "ms"
    shutil.copytree(MANUSCRIPT, root)
    out = tmp_path / "out"
    with Session() as session:
        first = build(Options(root, out, editions=("pdf",), proof=False, session=session))
        workers = session.workers(out)
        chapter = sorted(root.glob("*.md"))[0]
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nZdanie dopisane.\n", encoding="utf-8")
        second = build(Options(root, out, editions=("pdf",), proof=False, session=session))
        assert session.workers(out) is workers  # the same processes did both builds
        assert (out / ".kolofon-tmp").is_dir()  # the session's scratch folder lives on between builds
    assert not (out / ".kolofon-tmp").exists()  # and goes with the session
    assert first.outputs[0].path == second.outputs[0].path
    assert "Zdanie dopisane." in "".join(page_texts(second.outputs[0].path))
    fresh = build(Options(root, tmp_path / "fresh", editions=("pdf",), proof=False, force=True))
    assert fresh.outputs[0].path.read_bytes() == second.outputs[0].path.read_bytes()  # reproducible
