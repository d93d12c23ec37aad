"""Shared fixtures: throwaway manuscripts and the CI rule for validators."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MANUSCRIPT = REPO / "manuscript"

MINIMAL_YAML = "title: Próba\nlang: pl\ndate: 2026-11-23\n"


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[..., Path]:
    """make_book({"book.yaml": ..., "01.md": ...}) -> folder; str values are written as UTF-8, bytes raw."""

    def make(files: dict[str, str | bytes], name: str = "ms") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        files = {"book.yaml": MINIMAL_YAML, **files}
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def require_tool(available: bool, what: str) -> None:
    """Skip when a validator is missing, except in CI, where a missing validator is a failure."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but is not installed")
    pytest.skip(f"{what} not installed")


def java_available() -> bool:
    return shutil.which("java") is not None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*/golden from the current output (review the diff!)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True, scope="session")
def _temp_files_in_pytests_own_folder(tmp_path_factory: pytest.TempPathFactory):
    """Layouts made directly in tests (outside build(), which keeps its own) leave WeasyPrint's font
    copies in pytest's folder, not in the machine's temp dir."""
    import tempfile

    previous = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = previous
