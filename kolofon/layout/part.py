"""A laid-out part of the book (a chapter, the notes, the index, the front matter, a chapter's running
heads): its PDF, as a file in the page cache, and per page its anchors and links (CSS px).

Parts travel between processes and builds as this small record; the PDF itself stays on disk until the
assembly reads it, so no process holds every page at once."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from ..cache import file_digest
from .written import NOTHING_PENDING, Written

if TYPE_CHECKING:
    from ..writers.meta import ArchivalMetadata

_FILE_URL = re.compile(r"""file://[^"'\s)]+""")  # as the templates write them: quoted, or in url()
Anchors = dict[str, tuple[float, float]]
Link = tuple[str, str, tuple[float, float, float, float]]


@dataclass(frozen=True)
class Job:
    """One document to lay out: everything a worker needs, small enough to send to another process."""

    html: str
    base_url: str
    roots: tuple[Path, ...]  # the folders resources may come from (the manuscript and the templates)
    moment: float  # the build's timestamp (font subsets carry it)
    pdf: Path  # where the worker writes the PDF (the page cache); the JSON of the Part goes beside it
    spilled: bool = False  # `html` names the file that holds it while the job waits (schedule.py)


_NO_ANCHORS: Anchors = {}


@dataclass(frozen=True)
class Part:
    pdf: Path
    anchors: tuple[Anchors, ...]
    links: tuple[tuple[Link, ...], ...]
    squeezed: tuple[str, ...] = ()  # ids of tables too wide even when set small: their words break
    # per page: (the block it continues, its first words, the block's characters before them) when
    # it begins inside one (pagestarts.py)
    starts: tuple[tuple[str, str, int] | None, ...] = ()

    @property
    def pages(self) -> int:
        return len(self.anchors)

    def placed(self) -> Part:
        """The part once its anchors' pages are learnt: its file and its number of pages only (the
        assembly reads the rest from the page cache), so that the main process does not hold every
        anchor of a long book (~8 MiB of 2,000 pages)."""
        return Part(self.pdf, tuple(_NO_ANCHORS for _ in self.anchors), ())

    def to_json(self) -> dict:
        return {"anchors": [{k: list(v) for k, v in a.items()} for a in self.anchors],
                "links": [[[k, t, list(r)] for k, t, r in page] for page in self.links],
                "squeezed": list(self.squeezed), "starts": [list(s) if s else None for s in self.starts]}

    @classmethod
    def from_json(cls, pdf: Path, data: dict) -> Part:
        return cls(pdf, tuple({k: (v[0], v[1]) for k, v in a.items()} for a in data["anchors"]),
                   tuple(tuple((k, t, tuple(r)) for k, t, r in page) for page in data["links"]),
                   tuple(data.get("squeezed", ())),
                   tuple((s[0], s[1], s[2]) if s else None for s in data.get("starts", ())))


class PageCache:
    """OUT/.kolofon-cache/pages/<key>.pdf and .json; a key is the hash of a part's HTML (and of
    everything else its pages depend on: the salt). Parts are written as they are laid out (a part's
    pages never depend on anything but its key), and the ones a build did not use are pruned after it."""

    def __init__(self, folder: Path, salt: str, reuse: bool = True):
        self.folder = folder
        self.salt = salt
        self.reuse = reuse  # False: lay everything out again (and refresh the cache)
        self.used: set[str] = set()
        self._digests: dict[Path, str] = {}  # a named file -> its content's hash, once per build

    def key(self, html: str) -> str:
        """The HTML, the salt, and the content of every file the HTML names (fonts, images): a font or
        an image replaced under the same name changes the pages, not the HTML."""
        h = hashlib.sha256(f"{self.salt}\0{html}".encode())
        for path in named_files(html):
            if path not in self._digests:
                try:
                    self._digests[path] = file_digest(path)
                except OSError:  # the layout reports a missing file; the key only has to differ
                    self._digests[path] = "missing"
            h.update(f"\0{path}\0{self._digests[path]}".encode())
        key = h.hexdigest()[:32]
        self.used.add(key)
        return key

    def pdf_path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> Part | None:
        if not self.reuse:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text())
            pdf = self.pdf_path(key)
            return Part.from_json(pdf, data) if pdf.is_file() else None
        except (OSError, ValueError, KeyError):
            return None

    @staticmethod
    def save(part: Part) -> None:
        """Called by the worker that laid the part out, before it writes the PDF (engine.lay_out):
        get() takes an entry only with its PDF, written whole or not at all (write_atomic)."""
        write_atomic(part.pdf.with_suffix(".json"), json.dumps(part.to_json()).encode())

    def prune(self) -> None:
        """Drop parts no longer in the book, so the cache does not grow with every edit."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.is_file() and path.stem not in self.used:
                path.unlink(missing_ok=True)


def named_files(text: str) -> list[Path]:
    """The local files an HTML document or stylesheet names by file: URL (fonts, images), sorted."""
    return sorted({Path(unquote(urlparse(url).path)) for url in _FILE_URL.findall(text)})


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class Bookmark:
    title: str
    target: str
    children: tuple[Bookmark, ...] = ()


@dataclass(frozen=True)
class Assembly:
    """What the assembly (assemble.py) joins: the parts in order, each as its PDF and how many of its
    pages are taken (None = one blank page), the furniture (global page index -> (its PDF, page in
    it)) drawn over the pages it serves, the bookmarks, the number of front pages (numbered i, ii…),
    and the PDF whose Info and language the book takes. Small enough to send to a tool: the tool reads
    each part's anchors and links from the page cache, where the worker that laid it out wrote them
    (the main process had pickled them for every tool: ~5 MB for 2,000 pages, three times)."""

    sequence: tuple[tuple[Path, int] | None, ...]
    furniture: dict[int, tuple[Path, int]]
    bookmarks: tuple[Bookmark, ...]
    front_pages: int
    info_from: Path
    repaired: Path | None = None  # where the PDF/A copy keeps its repaired parts (writers/archival.py)
    copies: Path | None = None  # where each edition of pages keeps its parts' copies (copies.py)
    reuse: bool = True  # False (--force): every part repaired again
    # The parts' PDFs that may not be written yet when a tool starts: it waits where it reaches one.
    written: Written = NOTHING_PENDING

    @classmethod
    def of(cls, sequence: list[Part | None], furniture: dict[int, tuple[Part, int]],
           bookmarks: tuple[Bookmark, ...], front_pages: int, info_from: Part, cache: PageCache,
           written: Written) -> Assembly:
        return cls(tuple((part.pdf, part.pages) if part is not None else None for part in sequence),
                   {index: (part.pdf, page) for index, (part, page) in furniture.items()}, bookmarks,
                   front_pages, info_from.pdf, cache.folder.with_name("pdfa"),
                   cache.folder.with_name("copies"), cache.reuse, written)

    def pages_key(self, count: int) -> str:
        """What the first `count` pages are made of: each page's part and furniture, by their files'
        names (the page cache names a file by what it was laid out from)."""
        made: list[str] = []
        for ref in self.sequence:
            pages = [("blank", 0)] if ref is None else [(ref[0].name, i) for i in range(ref[1])]
            for name, i in pages:
                over = self.furniture.get(len(made))
                made.append(f"{name}:{i}:{over[0].name if over else ''}:{over[1] if over else ''}")
            if len(made) >= count:
                break
        return hashlib.sha256("\n".join(made[:count]).encode()).hexdigest()[:32]

    def files(self) -> list[Path]:
        """Every file the pages are made of, parts and furniture, each once."""
        return list(dict.fromkeys([*(ref[0] for ref in self.sequence if ref is not None),
                                   *(path for path, _page in self.furniture.values())]))

    def parts(self) -> list[Part | None]:
        """The parts with their anchors and links, as their workers saved them (PageCache.save, as
        soon as they were laid out: their PDFs may still be being written)."""
        parts: list[Part | None] = []
        for ref in self.sequence:
            if ref is None:
                parts.append(None)
                continue
            pdf, pages = ref
            part = Part.from_json(pdf, json.loads(pdf.with_suffix(".json").read_text()))
            parts.append(Part(pdf, part.anchors[:pages], part.links[:pages]))
        return parts

    def write(self, target: Path, archival: ArchivalMetadata | None = None) -> None:
        """The book's PDF into `target`, or with `archival`, its PDF/A-1b copy. Run by a tool: the
        modules that write PDFs (pikepdf) are imported there, never in the main process."""
        from ..writers.archival import Archival
        from .assemble import assemble
        from .copies import Copies

        variant = Archival(archival, self.repaired, self.reuse) if archival is not None else None
        copies = Copies(self.copies / ("pdfa" if variant else "pdf") if self.copies else None, self.reuse)
        assemble(self.parts(), self.furniture, list(self.bookmarks), self.front_pages, self.info_from,
                 target, variant, self.written.wait, copies)
        copies.prune()
        if variant is not None:
            variant.prune()
