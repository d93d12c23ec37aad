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


def test_the_epub_cover_is_rendered_once_the_front_matter_is_written(tmp_path: Path) -> None:
    """The cover picture's job starts with the assembly's tools and renders the title page only once
    the front matter's PDF is marked written: earlier, it would read a file still being written."""
    import pikepdf

    from kolofon.writers.cover import title_page_once_written

    front = tmp_path / "cache" / "front.pdf"
    front.parent.mkdir()

    def write_then_mark() -> None:
        pdf = pikepdf.new()
        for _ in range(3):
            pdf.add_blank_page(page_size=(420, 595))
        pdf.save(front)
        (tmp_path / "front.pdf").touch()

    timer = threading.Timer(0.2, write_then_mark)
    timer.start()
    jpeg = title_page_once_written(front, 3, Written(tmp_path, frozenset({front})))
    timer.join()
    assert jpeg.startswith(b"\xff\xd8")  # a JPEG of the third page, read after it was written
