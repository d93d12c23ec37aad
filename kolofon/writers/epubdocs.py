"""The EPUB's documents kept from one build to the next: a one-paragraph edit writes its own chapter's
document again, not every chapter's (the EPUB was ~0.25 s of the main process at the end of a 500-page
book's edit, most of it placing page markers in chapters that had not changed).

A document is a function of two kinds of input. What it is made from (the chapter, its notes, the
templates, the book's settings) is hashed into its key. What it reads of the print layout (the pages
its blocks begin on, the words pages begin with, the documents its links lead to) is not known before
it is made: each read is recorded while it is made, kept with it, and a kept document is used only if
every one of those reads gives the same answer in this build's layout. A read the record cannot
replay (going over a whole map) is a bug, and fails loudly rather than reuse a stale document."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import Memo, file_digest
from .pagemap import PageMarkers

_FONTS = (".ttf", ".otf", ".woff", ".woff2")  # in the template folders; no document includes them


class Recorded(Mapping[str, Any]):
    """A read-only map whose reads are written down while `log` is a dict."""

    def __init__(self, items: Mapping[str, Any]):
        self.items_ = items
        self.log: dict[str, Any] | None = None

    def __getitem__(self, key: str) -> Any:
        value = self.items_.get(key)  # None: the map had no such key (no value of theirs is None)
        if self.log is not None:
            self.log[key] = value
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        if self.log is not None:
            raise RuntimeError("a kept EPUB document cannot depend on a whole map of the layout")
        return iter(self.items_)

    def __len__(self) -> int:
        return len(self.items_)


@dataclass(frozen=True)
class _Kept:
    next_page: int  # the markers' state the document was made in
    reads: tuple[dict[str, Any], ...]  # what it read of each recorded map
    placed: tuple[tuple[str, str], ...]  # the page-list entries it added
    next_after: int
    doc: tuple[str, str, bytes]


class KeptDocs:
    """Documents of the last build, reused where their inputs and layout reads are the same."""

    def __init__(self, memo: Memo | None, recorded: tuple[Recorded, ...], *static: object):
        """`recorded`: the maps whose reads decide whether a kept document still holds (the page map,
        the pages' first words, the documents' ids); `static`: what every document depends on."""
        self.memo = memo
        self.recorded = recorded
        self.static = Memo.key(*static)

    def doc(self, markers: PageMarkers, make: Callable[[], tuple[str, str, bytes]],
            *inputs: object) -> tuple[str, str, bytes]:
        """The document `make()` gives (it places `markers`' pages), kept or made now."""
        if self.memo is None or markers.in_notes:  # footnote markers carried over: not replayable
            return make()
        key = Memo.key(self.static, markers.next_page, markers.file, inputs)
        kept = self.memo.get(key)
        if isinstance(kept, _Kept) and kept.next_page == markers.next_page and all(
                all(m.items_.get(k) == v for k, v in read.items())
                for m, read in zip(self.recorded, kept.reads, strict=True)):
            markers.placed += kept.placed
            markers.next_page = kept.next_after
            return kept.doc
        before, placed = markers.next_page, len(markers.placed)
        logs: tuple[dict[str, Any], ...] = tuple({} for _ in self.recorded)
        for m, log in zip(self.recorded, logs, strict=True):
            m.log = log
        try:
            doc = make()
        finally:
            for m in self.recorded:
                m.log = None
        if not markers.in_notes:
            self.memo.put(key, _Kept(before, logs, tuple(markers.placed[placed:]), markers.next_page, doc))
        return doc


def templates_digest(folders: tuple[Path, ...]) -> str:
    """The template folders' text files, hashed (the fonts beside them are not read by a document)."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() not in _FONTS:
                h.update(f"{path.relative_to(folder)}\0{file_digest(path)}\n".encode())
    return h.hexdigest()
