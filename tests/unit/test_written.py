"""A tool's wait for a part still being written (layout/written.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kolofon.layout.written import FAILED, NOTHING_PENDING, Abandoned, Written


def test_a_part_not_pending_or_in_memory_is_read_at_once(tmp_path: Path) -> None:
    written = Written(tmp_path, frozenset({tmp_path / "a.pdf"}))
    start = time.monotonic()
    written.wait(tmp_path / "b.pdf")  # written before the job was made
    written.wait(b"%PDF-1.7")  # a PDF in memory (a cover)
    NOTHING_PENDING.wait(tmp_path / "a.pdf")
    assert time.monotonic() - start < 0.05


def test_a_pending_part_is_waited_for_until_it_is_marked_written(tmp_path: Path) -> None:
    pdf = tmp_path / "cache" / "a.pdf"
    written = Written(tmp_path, frozenset({pdf}))
    timer = threading.Timer(0.2, (tmp_path / "a.pdf").touch)
    start = time.monotonic()
    timer.start()
    written.wait(pdf)
    assert time.monotonic() - start >= 0.2
    timer.join()


def test_a_part_that_failed_stops_the_wait(tmp_path: Path) -> None:
    pdf = tmp_path / "cache" / "a.pdf"
    timer = threading.Timer(0.1, (tmp_path / FAILED).touch)
    timer.start()
    with pytest.raises(Abandoned, match=r"a\.pdf"):
        Written(tmp_path, frozenset({pdf})).wait(pdf)
    timer.join()
