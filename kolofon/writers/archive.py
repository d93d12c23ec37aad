"""The archival deposit: a BagIt bag (PDF/A-1b copy, EPUB, sources, Dublin Core record) and its zip.

Every date in it is the book's date (or SOURCE_DATE_EPOCH), never the clock, so a rebuild gives the
same zip byte for byte."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import bagit

from ..dates import build_time
from ..model import Book
from . import ZIP_TIME, Staging
from .xmp import ArchivalMetadata


def archival_metadata(book: Book) -> ArchivalMetadata:
    c = book.config
    return ArchivalMetadata(title=c.title, lang=c.lang, identifier=c.book_id, authors=c.author,
                            rights=c.rights,
                            publisher=c.publisher, description=c.description,
                            date=build_time(c).date().isoformat())


def build_archive(stage: Staging, book: Book, pdfa: Path, epub_data: bytes,
                  design_files: tuple[str, ...] = ()) -> tuple[str, Path]:
    """Fill a staged OUT/<slug>-archive/ folder (the PDF/A copy is moved in from `pdfa`) and stage its
    zip; return the folder's name and the zip's staged path. `design_files`: the book's own templates,
    stylesheets and fonts (manuscript-relative), deposited with the text."""
    slug = book.config.output_slug
    name = f"{slug}-archive"
    folder = stage.directory(name)
    os.replace(pdfa, folder / f"{slug}-pdfa.pdf")
    files: dict[str, bytes] = {f"{slug}.epub": epub_data, "metadata.xml": dublin_core(book).encode()}
    for rel, data in _sources(book, design_files).items():
        files[f"source/{rel}"] = data
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    config = book.config
    info = {"Bagging-Date": build_time(config).date().isoformat(),
            "External-Identifier": config.book_id,
            "External-Description": f"{config.title}: print edition as PDF/A-1b, EPUB 3, and the sources",
            "Bag-Software-Agent": "kolofon"}
    if config.publisher:
        info["Source-Organization"] = config.publisher
    bagit.make_bag(str(folder), bag_info=info, checksums=["sha256", "sha512"], processes=1)
    target = stage.reserve(f"{name}.zip")
    zip_folder(folder, name, target)
    return name, target


def _sources(book: Book, design_files: tuple[str, ...]) -> dict[str, bytes]:
    """The manuscript as the build read it, its images, and the templates and fonts it was set with."""
    result: dict[str, bytes] = {}
    root = book.root
    for src in book.sources:
        result[f"manuscript/{src.path.relative_to(root).as_posix()}"] = src.path.read_bytes()
    images = {*book.images, *design_files}
    if book.config.cover:
        images.add(book.config.cover)
    for rel in sorted(images):
        result[f"manuscript/{rel}"] = (root / rel).read_bytes()
    from ..render import TEMPLATES

    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            result[f"templates/{path.relative_to(TEMPLATES).as_posix()}"] = path.read_bytes()
    return result


def dublin_core(book: Book) -> str:
    c = book.config
    fields = [("title", c.title), *(("creator", a) for a in c.author), ("language", c.lang),
              ("identifier", c.book_id), ("date", c.date), ("publisher", c.publisher), ("rights", c.rights),
              ("description", c.description), *(("subject", s) for s in c.subjects),
              ("type", "Text"), ("format", "application/pdf"), ("format", "application/epub+zip")]
    body = "\n".join(f"  <dc:{k}>{escape(v)}</dc:{k}>" for k, v in fields if v)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"{body}\n</metadata>\n")


def zip_folder(folder: Path, name: str, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as z:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for file in sorted(filenames):
                path = Path(dirpath, file)
                info = zipfile.ZipInfo(f"{name}/{path.relative_to(folder).as_posix()}", date_time=ZIP_TIME)
                # Level 1: the payload is mostly compressed already (PDF streams, EPUB, images); higher
                # levels gain ~2 % and cost most of the time a rebuild spends on the zip.
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                z.writestr(info, path.read_bytes(), compresslevel=1)
