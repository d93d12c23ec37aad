"""A part's pages as the assembly last wrote them (assemble.py), kept in the cache and written again
byte for byte when nothing they were made of has changed. After a one-paragraph edit only the changed
chapter's pages are copied object by object; every other part is one write. The tools had copied
every part again (the PDF ~0.13 s and its PDF/A copy ~0.15 s after the changed chapter was written:
the last fifth of the edit).

A kept copy is only as good as its key, which names everything its bytes depend on: the kind of PDF
(the book's, or its PDF/A copy with the date that copy pins the fonts to), kolofon's code, the part's
file and the pages taken from it (the page cache names a file by what it was laid out from), the
furniture drawn over each page, the numbers of its pages' own objects (given out first, one a page),
the numbers the writer had given out where the part starts (its other objects are numbered on from
there), and how many links each page keeps (a link whose target is in no part is dropped; each kept
one is given a number among the part's objects)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from ..cache import Memo, code_version
from ..pdfstream import PdfWriter, Recorded
from .part import write_atomic


@dataclass(frozen=True)
class Copy:
    written: Recorded
    sizes: tuple[tuple[float, float], ...]  # each page's width and height, in points
    # Each page's objects that the writer refers to after the part: the annotations of its kept links
    # (the PDF, which writes them once every page is known), its form (the booklet's sheets place it).
    numbers: tuple[tuple[int, ...], ...]
    changes: tuple[tuple[str, int], ...] = ()  # what the variant changed in the part (the PDF/A repairs)
    kept: tuple[str, ...] = ()  # the variant's own kept files it read (the PDF/A copy's repaired parts)
    trims: tuple[tuple[float, float], ...] = ()  # each page's trimmed size (the booklet's)


class Copies:
    """The kept copies of one kind of PDF, in their own folder; `reuse`: False (--force) takes none but
    keeps the new ones. None for a folder: nothing is kept (a PDF made outside a build)."""

    def __init__(self, folder: Path | None, reuse: bool = True):
        self.folder = folder
        self.reuse = reuse
        self.used: set[str] = set()

    @staticmethod
    def key(*parts: object) -> str:
        return Memo.key(code_version(), *parts)

    def get(self, key: str) -> Copy | None:
        self.used.add(key)
        if self.folder is None or not self.reuse:
            return None
        try:
            copy = pickle.loads((self.folder / key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return copy if isinstance(copy, Copy) else None

    def replayed(self, out: PdfWriter, key: str | None) -> Copy | None:
        """The copy kept under `key`, written again into `out` where it stands; None when there is
        none (None for a key: a part that is not kept), and the part is then copied and put()."""
        kept = self.get(key) if key is not None else None
        if kept is not None:
            out.replay(kept.written)
        return kept

    def put(self, key: str | None, copy: Copy) -> None:
        """Written at once, not held: a 2,000-page book's copies are ~10 MB."""
        if key is None:
            return
        self.used.add(key)
        if self.folder is not None:
            write_atomic(self.folder / key, pickle.dumps(copy, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self) -> None:
        """Drop the copies of parts this book no longer has, so the cache does not grow with every
        edit."""
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
