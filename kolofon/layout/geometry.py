"""What the layout stage hands on: the page geometry and the laid-out book (a PDF and its page map)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic

FONT_NAME = "Gentium Book Plus"


@dataclass(frozen=True)
class Geometry:
    """Page geometry in mm, proportional to the page so that A6 to A4 all look composed."""

    width: float
    height: float

    @property
    def inner(self) -> float:
        return round(self.width * 0.105, 1)

    @property
    def outer(self) -> float:
        return round(self.width * 0.135, 1)

    @property
    def top(self) -> float:
        return round(self.height * 0.085, 1)

    @property
    def bottom(self) -> float:
        return round(self.height * 0.11, 1)

    @property
    def font_size(self) -> float:
        return 9.0 if self.width < 120 else 10.5 if self.width < 180 else 11.5

    @property
    def head_size(self) -> float:
        return round(self.font_size * 0.85, 1)


@dataclass(frozen=True)
class Layout:
    pdf: Path  # the assembled PDF, staged in the output folder; every paged edition is made from it
    pages: int
    front_pages: int  # roman folios; the text starts on page 1 after them
    page_of: Mapping[str, int]  # element id -> printed page number (arabic)
    text_pages: int  # pages of the text itself (for the EPUB's page-list)
    geometry: Geometry
    front_pdf: Path  # the front matter alone (half title, title page, imprint, contents), for the cover
    warnings: tuple[Diagnostic, ...] = ()  # what the layout found in the text (overflow.py)
    # chapter id -> its last printed page: a page that only finishes the chapter's last paragraph has
    # no block of its own to carry its EPUB page marker, and must not take the next chapter's
    last_page_of: Mapping[str, int] = field(default_factory=dict)
    # element id -> page of the front matter (1 = its first page, printed "i"): the EPUB's roman markers
    front_page_of: Mapping[str, int] = field(default_factory=dict)
    # page -> (id of the block it begins inside, the first words of its first line): the EPUB's
    # marker for that page goes among those words; front_starts for the front matter's pages
    starts: Mapping[int, tuple[str, str, int]] = field(default_factory=dict)
    front_starts: Mapping[int, tuple[str, str, int]] = field(default_factory=dict)
