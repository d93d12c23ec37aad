"""What an edition made by a tool process says about itself (the PDF/A copy, the print edition),
apart from the modules that write it: the main process names it without importing pikepdf."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class ArchivalMetadata:
    """What the archival copy says about itself, in both the XMP packet and the Info dictionary."""

    title: str
    lang: str  # BCP 47
    identifier: str  # urn:isbn:…, urn:uuid:…; also seeds the trailer /ID and xmpMM:DocumentID
    authors: tuple[str, ...] = ()
    rights: str | None = None
    publisher: str | None = None
    description: str | None = None
    date: str | None = None  # YYYY-MM-DD


class PdfxError(ValueError):
    """The book holds something the chosen PDF/X variant does not allow (e.g. transparency in X-1a)."""
