"""The PDF/A copy joined from the parts keeps each part's repaired copy (kolofon/writers/archival.py):
reused after an edit, the file's bytes are those of a build that repaired every part."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import weasyprint

from kolofon.layout.assemble import assemble
from kolofon.layout.part import Part
from kolofon.writers import archival
from kolofon.writers.archival import Archival
from tests.unit.test_pdfa import META, _font_faces

# Text in an embedded face (its CIDSet and date stamp are repaired) and a half-transparent box (its
# opacity is set to 1: a change the copy reports).
_HTML = """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><style>{faces}
html {{ font-family: Gentium; }} @page {{ size: A6; margin: 1cm }}
.box {{ background: rgba(0, 0, 255, 0.5); height: 1cm }}</style></head>
<body><p>{text}</p><div class="box"></div></body></html>"""


def _part(folder: Path, name: str, text: str) -> Part:
    path = folder / f"{name}.pdf"
    html = _HTML.format(faces=_font_faces(), text=text)
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    return Part(path, ({},), ((),))


def _copy(parts: list[Part], kept: Path, target: Path, reuse: bool = True) -> Archival:
    variant = Archival(META, kept, reuse)
    assemble(list(parts), {}, [], 0, parts[0].pdf, target, variant)
    variant.prune()
    return variant


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Part]:
    folder = tmp_path_factory.mktemp("parts")
    return [_part(folder, "a", "Zażółć gęślą jaźń"), _part(folder, "b", "Litwo! Ojczyzno moja!")]


def test_a_kept_repair_gives_the_same_bytes_and_is_not_done_again(parts: list[Part], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    kept = tmp_path / "kept"
    with caplog.at_level(logging.WARNING):
        _copy(parts, kept, tmp_path / "first.pdf")
    first_warnings = [r.getMessage() for r in caplog.records]
    assert any("opacity" in message for message in first_warnings)
    assert len(list(kept.glob("*.pdf"))) == 2
    caplog.clear()

    def refuse(*_args: object) -> None:
        raise AssertionError("a kept part was repaired again")

    monkeypatch.setattr(archival, "_repaired", refuse)
    with caplog.at_level(logging.WARNING):
        _copy(parts, kept, tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    # The changes a kept part had are still reported: the warning does not depend on the cache.
    assert [r.getMessage() for r in caplog.records] == first_warnings


def test_without_a_cache_the_bytes_are_the_same(parts: list[Part], tmp_path: Path) -> None:
    variant = Archival(META)
    assemble(list(parts), {}, [], 0, parts[0].pdf, tmp_path / "plain.pdf", variant)
    _copy(parts, tmp_path / "kept", tmp_path / "kept.pdf")
    assert (tmp_path / "plain.pdf").read_bytes() == (tmp_path / "kept.pdf").read_bytes()


def test_force_repairs_again_and_a_dropped_part_is_pruned(parts: list[Part], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tmp_path / "kept"
    _copy(parts, kept, tmp_path / "both.pdf")
    calls = []
    repaired = archival._repaired
    monkeypatch.setattr(archival, "_repaired", lambda *args: calls.append(1) or repaired(*args))
    _copy(parts[:1], kept, tmp_path / "one.pdf", reuse=False)
    assert calls == [1]  # --force: the part is repaired, though a copy was kept
    assert sorted(p.name.split("-")[0] for p in kept.glob("*.pdf")) == ["a"]  # b's copy went


def test_a_half_written_copy_is_not_taken(parts: list[Part], tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    _copy(parts, kept, tmp_path / "first.pdf")
    for counts in kept.glob("*.json"):
        counts.unlink()  # a build stopped between the copy and its counts
    _copy(parts, kept, tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    assert len(list(kept.glob("*.json"))) == 2
