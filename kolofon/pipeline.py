"""The one sequencer: load → convert and resolve → lay out → write every edition → (check).

Everything is read and checked before anything is written; every output is staged and renamed into
place only when all requested editions exist."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import __version__, cache, manuscript
from .dates import build_time
from .diagnostics import BuildError, Diagnostic, Severity, error, raise_if_errors
from .model import Book, SourceFile
from .render import Renderer
from .scratch import scratch
from .scratch import use as use_tempdir
from .writers import Staging

EDITIONS = ("pdf", "epub", "booklet", "archive", "print")
DEFAULT_EDITIONS = ("pdf", "epub", "booklet", "archive")
Progress = Callable[[str], None]
CACHE_DIR = ".kolofon-cache"  # inside the output folder: each chapter's pages, reused when unchanged


@dataclass(frozen=True)
class Options:
    root: Path
    out: Path
    editions: tuple[str, ...] = DEFAULT_EDITIONS
    strict: bool = False
    proof: bool = True
    force: bool = False  # rebuild even when the inputs have not changed
    booklet_up: int = 2  # 2: A5 pages on A4 landscape; 4: A6 pages on A4 portrait
    crop_marks: bool = False  # on the booklet's sheets


@dataclass(frozen=True)
class Output:
    edition: str
    path: Path
    pages: int | None
    size: int


@dataclass
class Result:
    sources: tuple[SourceFile, ...]
    book: Book | None = None  # None when the outputs were already up to date
    outputs: list[Output] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Progress) -> Iterator[None]:
    progress(stage)
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def read_book(root: Path, strict: bool = False,
              memo: cache.Memo | None = None) -> tuple[Book, list[Diagnostic]]:
    """Load and resolve the manuscript; raises BuildError on any error (or warning, when strict)."""
    config, sources, diags = manuscript.load(root)
    raise_if_errors(diags, strict)
    if config is None:  # load() reports why; this is only for the type checker
        raise BuildError([error("K200", "manuscript could not be read", root)])
    from .resolve import resolve

    book, more = resolve(root, config, sources, memo)
    diags += more
    raise_if_errors(diags, strict)
    return book, [d for d in diags if d.severity is Severity.WARNING]


def build(options: Options, progress: Progress = lambda _msg: None) -> Result:

    unknown = [e for e in options.editions if e not in EDITIONS]
    if unknown:
        choices = ", ".join(EDITIONS)
        raise BuildError([error("K702", f"unknown edition '{unknown[0]}' (choose from {choices})")])
    timings: dict[str, float] = {}
    key = cache.inputs_key(options.root, Renderer().templates, repr(
        (__version__, sorted(set(options.editions)), options.strict, options.proof, options.booklet_up,
         options.crop_marks)))
    if not options.force and (record := cache.load(options.out, key)):
        _config, sources, _diags = manuscript.load(options.root)
        outputs = [Output(o["edition"], options.out / o["name"], o["pages"], o["size"])
                   for o in record["outputs"]]
        return Result(sources, outputs=outputs, timings=timings, up_to_date=True)
    # Imported here: WeasyPrint takes half a second to import, which an up-to-date rebuild skips.
    from .layout import Layout, Typesetter
    from .typeset import ChunkedTypesetter
    from .writers import archive, booklet, epub, pdf, proof
    with _timed(timings, "read and convert", progress):
        memo = cache.Memo(None if options.force else options.out / CACHE_DIR / "convert")
        book, warnings = read_book(options.root, options.strict, memo)
    renderer = Renderer()
    result = Result(book.sources, book, warnings=warnings, timings=timings)
    slug = book.config.output_slug
    wanted = set(options.editions)
    with Staging(options.out) as stage, scratch(options.out) as tmp, ExitStack() as stack:
        layout: Layout | None = None
        pdf_data = b""
        if wanted - {"print"}:
            with _timed(timings, "lay out", progress):
                layout = ChunkedTypesetter(book, renderer, progress=progress).lay_out_chunked(
                    options.out / CACHE_DIR / "pages", build_time(book.config), reuse=not options.force)
            pdf_data = pdf.pdf_bytes(layout, book.config.book_id, build_time(book.config))  # assembled
        # pikepdf work (the PDF/A repair, the imposition) holds the GIL: it runs in a fresh process while
        # this one writes the EPUB and the proof sheet ("spawn": a fork would carry this process's memory).
        spawn = get_context("spawn")
        helper = stack.enter_context(ProcessPoolExecutor(max_workers=2, mp_context=spawn,
                                                         initializer=use_tempdir, initargs=(str(tmp),)))
        pdfa_copy = booklet_job = None
        if "archive" in wanted and layout:
            pdfa_copy = helper.submit(archive.pdfa_copy, book, pdf_data)
        if "booklet" in wanted:
            booklet_job = helper.submit(booklet.booklet_bytes, pdf_data, options.booklet_up,
                                        options.crop_marks)
        if "pdf" in wanted and layout:
            _add(result, stage, "pdf", f"{slug}.pdf", pdf_data, layout.pages)
        epub_data = b""
        if ("epub" in wanted or "archive" in wanted) and layout:
            with _timed(timings, "write epub", progress):
                epub_data = epub.epub_bytes(book, layout, renderer, pdf_data)
            if "epub" in wanted:
                _add(result, stage, "epub", f"{slug}.epub", epub_data, None)
        proof_sheet = None
        if "pdf" in wanted and layout and options.proof:
            # pdfium renders in a thread of its own (pdfium is not thread-safe, so only after the EPUB's
            # cover render is done).
            proof_sheet = stack.enter_context(ThreadPoolExecutor(max_workers=1)).submit(
                proof.contact_sheet, pdf_data)
        if booklet_job is not None:
            with _timed(timings, "impose booklet (waited for)", progress):
                data, sheets = booklet_job.result()
            _add(result, stage, "booklet", f"{slug}-booklet.pdf", data, sheets)
        if "print" in wanted:
            with _timed(timings, "print edition", progress):
                print_layout = Typesetter(book, renderer, bleed=3.0, progress=progress).lay_out()
                data = pdf.pdf_bytes(print_layout, book.config.book_id, build_time(book.config))
            _add(result, stage, "print", f"{slug}-print.pdf", data, print_layout.pages)
        if "archive" in wanted and layout and pdfa_copy is not None:
            with _timed(timings, "archive", progress):
                folder, zip_data = archive.build_archive(stage, book, pdfa_copy.result(), epub_data)
            result.outputs.append(Output("archive", options.out / folder, None, 0))
            _add(result, stage, "archive", f"{folder}.zip", zip_data, None)
        if proof_sheet is not None:
            with _timed(timings, "proof sheet (waited for)", progress):
                stage.write(f"{slug}-proof.png", proof_sheet.result())
        progress("writing outputs")
    memo.flush()
    _write_stamp(options.out, key, result.outputs)
    return result


def _write_stamp(out: Path, key: str, outputs: list[Output]) -> None:
    record = [{"edition": o.edition, "name": o.path.name, "pages": o.pages, "size": o.size,
               "sha256": cache.file_digest(o.path)} for o in outputs]
    with Staging(out) as stage:
        stage.write(cache.STAMP, cache.stamp_bytes(key, record))


def _add(result: Result, stage: Staging, edition: str, name: str, data: bytes, pages: int | None) -> None:
    stage.write(name, data)
    result.outputs.append(Output(edition, stage.out_dir / name, pages, len(data)))
