"""The one sequencer: load → convert and resolve → lay out → write every edition → (check).

Everything is read and checked before anything is written; every output is staged and renamed into
place only when all requested editions exist."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, cache
from .config import BookConfig, key_lines
from .dates import build_time
from .design import Design, coverage, load_design
from .diagnostics import BuildError, Diagnostic, Severity, error, raise_if_errors, warning
from .model import Book, Chapter, Note, SourceFile
from .scratch import scratch
from .source import manuscript
from .themes import TEMPLATES
from .writers import Staging

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .layout.written import Written
    from .workers import Session

EDITIONS = ("pdf", "epub", "booklet", "archive", "print", "cover")
DEFAULT_EDITIONS = ("pdf", "epub", "booklet", "archive")
Progress = Callable[[str], None]
OnChapter = Callable[[Chapter, tuple[Note, ...]], None]  # a chapter and its notes, as soon as converted
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
    booklet_cover: bool = False  # the cover (pdf/cover.html, no spine) as the booklet's outer sheet
    session: Session | None = field(default=None, compare=False)  # workers kept across --watch builds


@dataclass(frozen=True)
class Manuscript:
    root: Path
    config: BookConfig
    sources: tuple[SourceFile, ...]
    design: Design


@dataclass(frozen=True)
class Output:
    edition: str
    path: Path
    pages: int | None
    size: int


@dataclass
class Result:
    book: Book | None = None  # None when the outputs were already up to date
    outputs: list[Output] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False
    font_families: tuple[str, ...] = ("Gentium Book Plus",)  # what --check accepts in the PDFs


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Progress) -> Iterator[None]:
    progress(stage)
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def read_book(root: Path, strict: bool = False,
              memo: cache.Memo | None = None) -> tuple[Book, list[Diagnostic]]:
    """Load and resolve the manuscript; raises BuildError on any error (or warning, when strict)."""
    return resolve_book(*load_manuscript(root, strict), strict, memo)


def load_manuscript(root: Path, strict: bool = False) -> tuple[Manuscript, list[Diagnostic]]:
    """book.yaml and the chapter files, read and checked; raises BuildError on any error."""
    config, sources, diags = manuscript.load(root)
    raise_if_errors(diags, strict)
    if config is None:  # load() reports why; this is only for the type checker
        raise BuildError([error("K200", "manuscript could not be read", root)])
    design, problems = load_design(root, config, sources[0].path, sources[0].text)
    diags = diags + problems
    raise_if_errors(diags, strict)
    diags += coverage(design, sources, config)
    raise_if_errors(diags, strict)
    return Manuscript(root, config, sources, design), diags


def resolve_book(ms: Manuscript, diags: list[Diagnostic], strict: bool = False,
                 memo: cache.Memo | None = None,
                 on_chapter: OnChapter | None = None) -> tuple[Book, list[Diagnostic]]:
    """Chapters converted (each handed to `on_chapter` as soon as it is), the index built, the book
    checked; raises BuildError on any error (or warning, when strict)."""
    from .source.resolve import resolve

    book, more = resolve(ms.root, ms.config, ms.sources, memo, on_chapter)
    diags = diags + more
    raise_if_errors(diags, strict)
    return book, [d for d in diags if d.severity is Severity.WARNING]


def build(options: Options, progress: Progress = lambda _msg: None) -> Result:
    unknown = [e for e in options.editions if e not in EDITIONS]
    if unknown:
        choices = ", ".join(EDITIONS)
        raise BuildError([error("K702", f"unknown edition '{unknown[0]}' (choose from {choices})")])
    if not options.root.is_dir():  # before its files are hashed for the up-to-date check
        raise BuildError([manuscript.missing_folder(options.root)])
    timings: dict[str, float] = {}
    key = cache.inputs_key(options.root, TEMPLATES, repr(
        (__version__, sorted(set(options.editions)), options.strict, options.proof, options.booklet_up,
         options.crop_marks, options.booklet_cover)))
    if not options.force and (record := cache.load(options.out, key)):
        # The typefaces --check accepts were recorded with the outputs: no font is opened again.
        families = tuple(record.get("families", ()))
        outputs = [Output(o["edition"], options.out / o["name"], o["pages"], o["size"])
                   for o in record["outputs"]]
        said = [warning(w["code"], w["message"], Path(w["path"]) if w["path"] else None, w["line"])
                for w in record.get("warnings", ())]
        result = Result(outputs=outputs, warnings=said, timings=timings, up_to_date=True)
        return dataclasses.replace(result, font_families=families) if families else result
    # Jinja and the process pools are imported only by a build that makes something.
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from .render import Renderer
    from .workers import Workers

    wanted = set(options.editions)
    cache_dir = options.out / CACHE_DIR
    digests: dict[str, Future[str]] = {}  # an output's name -> its staged file's sha256, for the stamp
    with Staging(options.out) as stage, ExitStack() as stack:
        # Each output is hashed as soon as it is staged, while the last ones are still made: hashed
        # at the end, the outputs (~20 MB for 500 pages) took 0.025 s of a one-paragraph edit's tail.
        hasher = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="kolofon-digest"))

        def staged(edition: str, name: str, pages: int | None, path: Path) -> None:
            """An output made: `path` is where it is staged, renamed to OUT/name on success."""
            size = 0 if path.is_dir() else path.stat().st_size
            result.outputs.append(Output(edition, options.out / name, pages, size))
            digests[name] = hasher.submit(cache.file_digest, path)

        # The layout server is forked first and imports WeasyPrint while this process imports the
        # rest; the tools are forked after it, before the book is read: forked after, each held the
        # converted book's pages too (the 2,000-page book's peak 90 -> 110 MiB, measured).
        if options.session is not None:
            workers = options.session.workers(options.out)
        else:
            workers = stack.enter_context(Workers(str(stack.enter_context(scratch(options.out)))))
        from .layout.geometry import Geometry
        from .layout.part import PageCache
        from .layout.schedule import done
        from .layout.typesetter import Typesetter
        from .workers import Later

        workers.start_tools()
        tmp = workers.tmpdir
        # The workers warm up (importing WeasyPrint, loading fonts) while this process reads the book,
        # and lay out each chapter as soon as it is converted.
        with _timed(timings, "read and convert", progress):
            ms, diags = load_manuscript(options.root, options.strict)
            renderer = Renderer(ms.design, compiled=cache_dir / "jinja")
            salt = repr((cache.code_version(), Geometry(*ms.config.page_mm)))
            pages = PageCache(cache_dir / "pages", salt=salt, reuse=not options.force)
            typesetter = Typesetter(ms.config, ms.root, renderer, workers, pages, build_time(ms.config),
                                    progress)
            workers.warm_layout(typesetter.warm_up_job())
            memo = cache.Memo(cache_dir / "convert", reuse=not options.force)
            epub_docs = cache.Memo(cache_dir / "epub", reuse=not options.force)
            book, warnings = resolve_book(ms, diags, options.strict, memo, typesetter.prefetch)
        # Not on the way to the first chapter's layout (~8 ms, which a one-paragraph edit waited for):
        # the tools import what they use when they warm up.
        from .writers import archive, booklet, epub, proof
        from .writers import cover as cover_art
        if {"print", "cover"} & wanted:
            warnings += _print_resolution(book, options.strict)
        result = Result(book, warnings=warnings, timings=timings,
                        font_families=ms.design.families)
        slug = book.config.output_slug
        stage.clear_leftovers(output_names(slug))
        deposit = None
        if "archive" in wanted:  # its sources are written and zipped while the workers lay out
            with _timed(timings, "archive payload", progress):
                csl = [book.config.csl] if book.config.csl.endswith(".csl") else []
                cited = (*book.config.bibliography, *csl)
                deposit = archive.PendingArchive(stage, book, (*ms.design.files, *cited))
                stack.callback(deposit.close)
        with _timed(timings, "lay out", progress):
            pdf_path = stage.reserve(f"{slug}.pdf") if "pdf" in wanted else tmp / "book.pdf"
            layout, assembled, assembly = typesetter.lay_out(book, pdf_path)
        raise_if_errors(list(layout.warnings), options.strict)  # nothing is written yet
        result.warnings += layout.warnings
        # The chapters' Markdown was read for the diagnostics' lines, all said by now: let go, so that
        # the EPUB is written in the memory it held (a 2,000-page book's main process peaked 2 MiB
        # lower, bench/RESULTS.md). book.yaml stays: the print edition's errors name its lines.
        book = result.book = dataclasses.replace(book, sources=book.sources[:1])
        del ms
        jobs: dict[Future[int | None], tuple[str, str, Path]] = {}  # job: edition, file name, target

        def make(edition: str, name: str, fn: Callable[..., Any], *args: Any, writes: bool = False,
                 reads: Written | None = None) -> Future[int | None]:
            """`writes`: fn(target, *args) writes the file itself (a long book's edition is then never
            held as bytes); else fn(*args) returns its bytes, and a tool writes them. `reads`: fn waits
            for the parts' PDFs where it reaches them (the assembly's), rather than starting after."""
            if edition == "archive":
                target = tmp / name
                target.unlink(missing_ok=True)  # (a --watch session's build that failed left one)
            else:
                target = stage.reserve(name)
            job = workers.tool(fn, target, *args, reads=reads) if writes else \
                workers.write(target, fn, *args, reads=reads)
            jobs[job] = (edition, name, target)
            return job

        # A tool process joins the pages while this one writes the EPUB (it needs the page numbers,
        # not the PDF); the other renders the EPUB's cover picture from the title page, then joins
        # the PDF/A copy and imposes the booklet from the same parts (not from the book's file: no
        # process holds the book). The editions made from the book's file follow.
        title_page, cover_made = None, False
        kept = cache_dir / "kept"
        cover_kept = cache.Kept(kept, "title-page", cache.Memo.key(
            cache.code_version(), layout.front_pdf.name, layout.front_pages), reuse=not options.force)
        if {"epub", "archive"} & wanted and not book.config.cover:
            if (jpeg := cover_kept.get()) is not None:
                title_page = done(jpeg)
            else:
                # At once, not once every part is written: the EPUB waits for it, and queued behind
                # the PDF/A copy and the booklet it came ~0.5 s after the EPUB was ready (measured).
                title_page = workers.tool(cover_art.title_page_once_written, layout.front_pdf,
                                          layout.front_pages, assembly.written, reads=assembly.written)
                cover_made = True
        pdfa_job = None
        if "archive" in wanted:
            pdfa_job = make("archive", "pdfa.pdf", assembly.write, archive.archival_metadata(book),
                            writes=True, reads=assembly.written)
        if "booklet" in wanted:
            cover_sheet = _cover(book, typesetter, 0, spineless=True)[0] if options.booklet_cover else None
            make("booklet", f"{slug}-booklet.pdf", booklet.write_booklet, assembly, options.booklet_up,
                 options.crop_marks, cover_sheet, writes=True, reads=assembly.written)
        if {"epub", "archive"} & wanted:
            epub_path = stage.reserve(f"{slug}.epub") if "epub" in wanted else tmp / f"{slug}.epub"
            with _timed(timings, "write epub", progress):
                epub.write_epub(book, layout, renderer, epub_path, title_page, epub_docs)
            if "epub" in wanted:
                staged("epub", f"{slug}.epub", None, epub_path)
            if deposit is not None:
                deposit.add_epub(epub_path)
                if pdfa_job is not None and archive.small_enough(assembly.files()):
                    deposit.follow(tmp / "pdfa.pdf", pdfa_job)
        with _timed(timings, "assembly (waited for)", progress):
            assembled.result()
        typesetter.prune_cache()
        if "pdf" in wanted:
            staged("pdf", f"{slug}.pdf", layout.pages, pdf_path)
        if {"print", "cover"} & wanted:
            from .writers.pdfx import print_spec
        if "print" in wanted:
            make("print", f"{slug}-print.pdf", Later("kolofon.writers.print_edition", "with_bleed"),
                 layout.pdf, print_spec(book.config, book.root), archive.archival_metadata(book))
        if "cover" in wanted:
            job, sheet = _cover(book, typesetter, layout.pages)
            make("cover", f"{slug}-cover.pdf", Later("kolofon.writers.cover_edition", "cover_bytes"), job,
                 sheet, print_spec(book.config, book.root), archive.archival_metadata(book))
        proof_kept = cache.Kept(kept, "proof", cache.Memo.key(cache.code_version(), assembly.pages_key(
            proof.PAGES), layout.pages), reuse=not options.force)
        if "pdf" in wanted and options.proof:
            if (png := proof_kept.get()) is not None:
                stage.write(f"{slug}-proof.png", png)
            else:
                make("proof", f"{slug}-proof.png", proof.contact_sheet, layout.pdf)
        with _timed(timings, "other editions (waited for)", progress):
            # In the order they are done: the archive's bag is made while a tool still works.
            for job in as_completed(jobs):
                edition, name, target = jobs[job]
                pages = _result(job, book)
                if edition == "archive" and deposit is not None:
                    folder, zip_path = deposit.finish(target)
                    staged("archive", folder, None, deposit.folder)
                    staged("archive", f"{folder}.zip", None, zip_path)
                elif edition == "proof":
                    proof_kept.put(target.read_bytes())
                else:
                    staged(edition, name, pages, target)
        if title_page is not None and cover_made:
            cover_kept.put(title_page.result())
        progress("writing outputs")
        result.outputs.sort(key=lambda o: EDITIONS.index(o.edition))
    memo.flush()
    epub_docs.flush()
    _write_stamp(options.out, key, result, {name: d.result() for name, d in digests.items()})
    return result


def _result(job: Future[int | None], book: Book) -> int | None:
    """An edition's page count; what the book holds that its PDF/X variant cannot is the book's
    problem (book.yaml's print: line), not a traceback."""
    from .writers.meta import PdfxError

    try:
        return job.result()
    except PdfxError as exc:
        cfg = book.sources[0]
        raise BuildError([error("K112", f"print edition: {exc}", cfg.path,
                                key_lines(cfg.text).get("print"))]) from None


def _cover(book: Book, typesetter: Any, pages: int, spineless: bool = False) -> tuple[Any, Any]:
    """The cover sheet's job and geometry: the spine from the page count and the paper (a booklet's
    cover has neither spine nor bleed: it is a sheet of the booklet)."""
    from .writers.cover_edition import CoverGeometry, barcode_svg, ean_digits, spine_text, spine_width

    config = book.config
    sheet = CoverGeometry(*config.page_mm, 0.0, 0.0) if spineless else \
        CoverGeometry(*config.page_mm, spine_width(pages, dict(config.paper)))
    image = (book.root / config.cover).resolve().as_uri() if config.cover else None
    design = typesetter.renderer.design
    spine = spine_text(config, design.regular(design.body_family), sheet, typesetter.geometry.font_size) \
        if sheet.spine_text else None
    job = typesetter.job("pdf/cover.html", sheet=sheet, front_image=image, spine=spine,
                         barcode=barcode_svg(config.isbn) if config.isbn else None,
                         ean=ean_digits(config.isbn) if config.isbn else None)
    return job, sheet


def _print_resolution(book: Book, strict: bool) -> list[Diagnostic]:
    """Images below 300 ppi at their printed size, for the editions that go to a print shop."""
    from .layout.geometry import Geometry
    from .source.images import print_resolution

    page = Geometry(*book.config.page_mm)
    text_width = page.width - page.inner - page.outer
    sources = {s.path: s for s in book.sources}
    diags = [d for part in (*book.front, *book.chapters) for src in part.images
             if (d := print_resolution(book.root, src, sources[part.source], text_width))]
    raise_if_errors(diags, strict)
    return diags


def output_names(slug: str) -> list[str]:
    """Every name a build of this book may write in its output folder."""
    return [f"{slug}.pdf", f"{slug}.epub", f"{slug}-booklet.pdf", f"{slug}-print.pdf", f"{slug}-cover.pdf",
            f"{slug}-proof.png", f"{slug}-archive.zip", f"{slug}-archive", cache.STAMP]


def _write_stamp(out: Path, key: str, result: Result, digests: dict[str, str]) -> None:
    """`digests`: each output's sha256, taken as it was staged."""
    record = [{"edition": o.edition, "name": o.path.name, "pages": o.pages, "size": o.size,
               "sha256": digests[o.path.name], "stat": cache.file_stat(o.path)} for o in result.outputs]
    # The warnings too: a rebuild with nothing changed says them again (it had been silent).
    said = [{"code": d.code, "message": d.message, "path": str(d.path) if d.path else None, "line": d.line}
            for d in result.warnings]
    with Staging(out) as stage:
        stage.write(cache.STAMP, cache.stamp_bytes(key, record, result.font_families, said))
