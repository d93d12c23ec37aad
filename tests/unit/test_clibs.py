"""Finding WeasyPrint's C libraries from the loader's cache (kolofon/layout/clibs.py)."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from kolofon.layout.clibs import loader_cache_only

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the loader's cache is Linux's")


def test_a_listed_library_is_found_as_before() -> None:
    expected = ctypes.util.find_library("pango-1.0")
    assert expected is not None
    with loader_cache_only():
        assert ctypes.util.find_library("pango-1.0") == expected


def test_a_missing_name_runs_no_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    with loader_cache_only():
        def no_process(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"ran {args}")

        monkeypatch.setattr(subprocess, "Popen", no_process)
        assert ctypes.util.find_library("libpango-1.0-0.dll") is None
        monkeypatch.undo()


def test_find_library_is_restored() -> None:
    original = ctypes.util.find_library
    with loader_cache_only():
        assert ctypes.util.find_library is not original
    assert ctypes.util.find_library is original


def test_ld_library_path_keeps_ctypes_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/elsewhere")
    original = ctypes.util.find_library
    with loader_cache_only():
        assert ctypes.util.find_library is original
