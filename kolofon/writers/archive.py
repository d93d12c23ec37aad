"""The archival deposit: a BagIt bag (PDF/A-1b copy, EPUB, sources, Dublin Core record) and its zip.

Every date in it is the book's date (or SOURCE_DATE_EPOCH), never the clock, so a rebuild gives the
same zip byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import ExitStack, suppress
from html import escape  # not xml.sax.saxutils: it imports urllib.request and http.client (~15 ms)
from pathlib import Path
from typing import IO, Any, BinaryIO

from ..cache import READ_BLOCK
from ..dates import build_time
from ..model import Book
from ..source.typography import shown_config
from . import ZIP_TIME, Staging
from .meta import ArchivalMetadata

# The PDF/A copy is zipped while a tool writes it (`follow`) only when it will surely stay below zip64's
# limit, which its zip header must know before the first byte (the same header either way).
FOLLOW_LIMIT = 1 << 30
FOLLOW_NICENESS = 10

_LEVEL = "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel"  # 3.13 | 3.11


def archival_metadata(book: Book) -> ArchivalMetadata:
    c = shown_config(book.config)
    return ArchivalMetadata(title=c.title, lang=c.lang, identifier=c.book_id, authors=c.author,
                            rights=c.rights,
                            publisher=c.publisher, description=c.description,
                            date=build_time(c).date().isoformat())


BAG_ALGORITHMS = ("sha256", "sha512")


class PendingArchive:
    """The deposit while the book is laid out and its PDF/A copy made (by a tool process): the sources
    are written, zipped and hashed meanwhile (the main process only waits for the layout then: ~0.3 s
    of a 500-page book's build that had followed it), the EPUB once it exists (`add_epub`), and
    `finish` adds the PDF/A copy and the bag's tag files.

    The bag (BagIt, RFC 8493) is written here rather than by bagit.make_bag, which hashed the whole
    payload again at the build's very end (6 MB of sources and fonts, sha256 and sha512: ~0.05 s of a
    one-paragraph edit's last step) and changed the process's working folder meanwhile. `--check`
    validates it with bagit, the reference implementation."""

    def __init__(self, stage: Staging, book: Book, design_files: tuple[str, ...] = ()):
        self.config = book.config
        self.slug = book.config.output_slug
        self.name = f"{self.slug}-archive"
        self.folder = stage.directory(self.name)
        self.target = stage.reserve(f"{self.name}.zip")
        self.zip = zipfile.ZipFile(self.target, "w")
        self.zipped: set[str] = set()
        self.payload: dict[str, tuple[int, tuple[str, ...]]] = {}  # data/… -> size, digests
        self._following: threading.Thread | None = None
        self._stop = threading.Event()
        self._failed: BaseException | None = None  # the follower's error, raised by finish
        files: dict[str, bytes | Path] = {"metadata.xml": dublin_core(book).encode()}
        for rel, source in _sources(book, design_files).items():
            files[f"source/{rel}"] = source
        for rel in sorted(files):
            self._write(rel, files[rel])

    def add_epub(self, epub: Path) -> None:
        self._write(f"{self.slug}.epub", epub)

    def _write(self, rel: str, content: bytes | Path) -> None:
        path = self.folder / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):  # copied, not read: a long book's sources are megabytes
            shutil.copyfile(content, path)
            self._add_file(f"data/{rel}", path, payload=True)
        else:
            path.write_bytes(content)
            self._add(f"data/{rel}", content)
            self.payload[f"data/{rel}"] = (len(content), _digests(content))

    def follow(self, pdfa: Path, written: Future[object]) -> None:
        """Zip and hash the PDF/A copy while a tool writes it into `pdfa` (the PDF writer appends and
        never seeks back: pdfstream.py), until `written` is done. A one-paragraph edit's last step had
        been this, ~0.05 s after the copy was written (deflating 2.7 MB); the copy's parts before the
        changed chapter are written, and now zipped, while that chapter is still laid out. Nothing else
        is added to the zip meanwhile: `finish` and `close` wait for it."""
        self._following = threading.Thread(target=self._follow, args=(pdfa, written), daemon=True,
                                           name="kolofon-archive-follow")
        self._following.start()

    def _follow(self, pdfa: Path, written: Future[object]) -> None:
        try:
            self._copy_while_written(pdfa, written)
        except BaseException as exc:  # (a full disk): the bag must not go without the copy
            self._failed = exc

    def _copy_while_written(self, pdfa: Path, written: Future[object]) -> None:
        # As the tools do (workers.py), this thread yields to the layout, the build's critical path:
        # at the main process's priority it took a core from the changed chapter's writing.
        with suppress(OSError, AttributeError):  # (per thread on Linux; elsewhere not at all)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), FOLLOW_NICENESS)
        rel = f"data/{self.slug}-pdfa.pdf"
        hashes = [hashlib.new(a) for a in BAG_ALGORITHMS]
        size = 0
        with self.zip.open(self._info(rel, 0), "w") as dest, ExitStack() as files:
            src = None
            while not self._stop.is_set():
                finished = written.done()  # before the read: what is there after it is the whole copy
                if src is None and pdfa.exists():
                    src = files.enter_context(pdfa.open("rb"))
                if src is not None:
                    size += _pour(src, dest, hashes)
                if finished:
                    break
                self._stop.wait(0.005)
        self.payload[rel] = (size, tuple(h.hexdigest() for h in hashes))

    def finish(self, pdfa: Path) -> tuple[str, Path]:
        """Move the PDF/A copy in from `pdfa`, make the bag, complete the zip; return the folder's name
        and the zip's staged path."""
        try:
            copy = self.folder / "data" / f"{self.slug}-pdfa.pdf"
            if self._following is not None:
                self._following.join()
                if self._failed is not None:
                    raise self._failed
            os.replace(pdfa, copy)
            if self._following is None:
                self._add_file(f"data/{copy.name}", copy, payload=True)
            self._bag()
            for path in _walk(self.folder):  # the bag's own files
                rel = path.relative_to(self.folder).as_posix()
                if rel not in self.zipped:
                    self._add_file(rel, path)
        finally:
            self.close()
        return self.name, self.target

    def _bag(self) -> None:
        """The bag's tag files: its declaration, its description, the payload's manifests (in the
        order bagit walks it) and the tag manifests."""
        config = shown_config(self.config)
        described = f"{config.title}: print edition as PDF/A-1b, EPUB 3, and the sources"
        info = {"Bagging-Date": build_time(config).date().isoformat(),
                "External-Identifier": config.book_id, "External-Description": described,
                "Bag-Software-Agent": "kolofon",
                "Payload-Oxum": f"{sum(size for size, _ in self.payload.values())}.{len(self.payload)}"}
        if config.publisher:
            info["Source-Organization"] = config.publisher
        tags = {"bagit.txt": "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
                "bag-info.txt": "".join(f"{key}: {_one_line(info[key])}\n" for key in sorted(info))}
        listed = sorted(self.payload, key=_walk_order)
        for i, algorithm in enumerate(BAG_ALGORITHMS):
            tags[f"manifest-{algorithm}.txt"] = "".join(
                f"{self.payload[rel][1][i]}  {rel.replace(chr(13), '%0D').replace(chr(10), '%0A')}\n"
                for rel in listed)
        written = {name: text.encode() for name, text in tags.items()}
        for algorithm in BAG_ALGORITHMS:
            written[f"tagmanifest-{algorithm}.txt"] = "".join(
                f"{hashlib.new(algorithm, data).hexdigest()} {name}\n"
                for name, data in sorted(written.items())).encode()
        for name, data in written.items():
            (self.folder / name).write_bytes(data)

    def close(self) -> None:
        """Close the zip (the build failed, or it is finished); the staging removes a failed one."""
        if self._following is not None:
            self._stop.set()
            self._following.join()
        self.zip.close()

    def _add(self, rel: str, data: bytes) -> None:
        self.zip.writestr(self._info(rel, len(data)), data)

    def _add_file(self, rel: str, path: Path, payload: bool = False) -> None:
        """A file copied into the zip a block at a time: the PDF/A copy of a 2,000-page book is ~15 MB,
        and the main process should not hold it (the same bytes as _add). `payload`: hashed for the
        bag's manifests on the way, so that no file is read twice."""
        size = path.stat().st_size
        hashes = [hashlib.new(a) for a in BAG_ALGORITHMS] if payload else []
        with path.open("rb") as src, self.zip.open(self._info(rel, size), "w") as dest:
            _pour(src, dest, hashes)
        if payload:
            self.payload[rel] = (size, tuple(h.hexdigest() for h in hashes))

    def _info(self, rel: str, size: int) -> zipfile.ZipInfo:
        self.zipped.add(rel)
        info = zipfile.ZipInfo(f"{self.name}/{rel}", date_time=ZIP_TIME)
        # Level 1: the payload is mostly compressed already (PDF streams, EPUB, images); higher levels
        # gain ~2 % and cost most of the time a rebuild spends on the zip. The level is set where
        # writestr(compresslevel=) sets it, so that open("w") streams a file with it too.
        info.compress_type = zipfile.ZIP_DEFLATED
        setattr(info, _LEVEL, 1)
        info.file_size = size  # known before writing, as writestr knows it: the same headers (zip64)
        info.external_attr = 0o644 << 16
        info.create_system = 3
        return info


def _pour(src: BinaryIO, dest: IO[bytes], hashes: list[Any]) -> int:
    """What `src` holds from where it stands to its end now, into `dest` a block at a time, hashed on
    the way; returns how many bytes."""
    size = 0
    while block := src.read(READ_BLOCK):
        dest.write(block)
        for h in hashes:
            h.update(block)
        size += len(block)
    return size


def small_enough(files: list[Path]) -> bool:
    """Whether a PDF/A copy of pages made of `files` stays far below FOLLOW_LIMIT: twice their size (a
    copy has no object streams), the files not written yet taken at the others' average."""
    sizes = [path.stat().st_size for path in files if path.exists()]
    average = sum(sizes) / len(sizes) if sizes else 0
    return 2 * average * len(files) < FOLLOW_LIMIT


def _one_line(value: str) -> str:
    """A tag's value without line breaks, as bagit writes it."""
    return value.replace("\r", "").replace("\n", "")


def _digests(data: bytes) -> tuple[str, ...]:
    return tuple(hashlib.new(a, data).hexdigest() for a in BAG_ALGORITHMS)


def _walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    """bagit's order of the payload (os.walk, sorted): a folder's files before its subfolders."""
    parts = rel.split("/")
    return tuple((0 if i == len(parts) - 1 else 1, part) for i, part in enumerate(parts))


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for file in sorted(filenames):
            yield Path(dirpath, file)


def _sources(book: Book, design_files: tuple[str, ...]) -> dict[str, Path]:
    """The manuscript, its images, and the templates and fonts it was set with: name in the deposit ->
    file."""
    result: dict[str, Path] = {}
    root = book.root
    for src in book.sources:
        result[f"manuscript/{src.path.relative_to(root).as_posix()}"] = src.path
    images = {*book.images, *design_files}
    if book.config.cover:
        images.add(book.config.cover)
    for rel in sorted(images):
        result[f"manuscript/{rel}"] = root / rel
    from ..render import TEMPLATES

    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            result[f"templates/{path.relative_to(TEMPLATES).as_posix()}"] = path
    return result


def dublin_core(book: Book) -> str:
    c = shown_config(book.config)
    fields = [("title", c.title), *(("creator", a) for a in c.author),
              *(("contributor", n) for n in (*c.translator, *c.editor)), ("language", c.lang),
              ("identifier", c.book_id), ("identifier", c.isbn_urn if c.isbn_urn != c.book_id else None),
              ("date", c.date), ("publisher", c.publisher),
              ("rights", c.rights),
              ("description", c.description), *(("subject", s) for s in c.subjects),
              ("type", "Text"), ("format", "application/pdf"), ("format", "application/epub+zip")]
    body = "\n".join(f"  <dc:{k}>{escape(v, quote=False)}</dc:{k}>" for k, v in fields if v)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"{body}\n</metadata>\n")
