"""Places the parts of the book, learns each anchor's page, and asks for what depends on page numbers
as soon as those are known: each chapter's running heads and folios as soon as the chapters before it
are in, the notes and the index (side by side, unless index terms stand in notes) once the last chapter
is in, the front matter with its contents once the back matter's first pages are known."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from pathlib import Path
from urllib.parse import unquote

from .. import __version__
from ..backmatter import (
    UNLISTED,
    NoteGroup,
    colophon_lines,
    contents,
    float_lists,
    index_groups,
    note_groups,
    note_heads,
    notes_by_chapter,
    title_copy,
)
from ..config import BookConfig
from ..dates import build_time, w3c
from ..design import Design
from ..labels import labels_for
from ..model import Book, Chapter, Note, ref_id
from ..noteplace import footnote_paragraphs, notes_called_in, with_footnotes
from ..pagerefs import fill, has_pagerefs
from ..render import Renderer
from ..source.images import natural_width
from ..source.typography import smarten, without_emphasis
from ..source.xhtml import for_print, print_fragment
from ..workers import Workers
from .endnotes import Pieces
from .geometry import Geometry, Layout
from .heads import head_fitter
from .overflow import squeezed_tables
from .part import Assembly, Bookmark, Job, PageCache, Part
from .schedule import Scheduler, done

MAX_ROUNDS = 4  # layouts of a chapter with page references; two settle it unless a number moves a page
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=)"([^":]+)"([^>]*>)')  # relative only (URLs were refused)
_SIZED = re.compile(r'\s(?:width|height|style)=')  # an image the author sized (style: attr_list's width)


@dataclasses.dataclass(frozen=True)
class Page:
    """What a page carries besides its part's content: `kind` text, back (notes, index), opening (a
    part's first page: its folio only, at the foot) or quiet (nothing)."""

    kind: str
    head: str = ""


class Sequence:
    """Parts in page order (None: one blank page), with the furniture job of each part."""

    def __init__(self) -> None:
        self.parts: list[Part | None] = []
        self.furniture: list[tuple[int, Future[Part]]] = []  # (index of the part's first page, job)
        self.count = 0

    def add(self, part: Part, furniture: Future[Part] | None = None) -> int:
        """Place the part; returns the number of its first page."""
        if furniture is not None:
            self.furniture.append((self.count, furniture))
        self.parts.append(part)
        self.count += part.pages
        return self.count - part.pages + 1

    def to_recto(self) -> None:
        """A blank page if needed, so the next part opens on a right-hand (odd) page."""
        if self.count % 2:
            self.parts.append(None)
            self.count += 1


class Typesetter:
    def __init__(self, config: BookConfig, root: Path, renderer: Renderer, workers: Workers, cache: PageCache,
                 moment: dt.datetime, progress: Callable[[str], None] = lambda _msg: None):
        self.config = config
        self.root = root.resolve()
        self.renderer = renderer
        self.progress = progress
        self.labels = labels_for(config.lang)
        self.geometry = Geometry(*config.page_mm)
        self.fit_head = head_fitter(renderer.design, self.geometry)
        self.running_left = self.fit_head(smarten(without_emphasis(config.running_title or config.title),
                                                  config.lang))
        self.cache = cache
        self.moment = moment
        self.jobs = Scheduler(workers)
        self.base_url = (renderer.templates / "pdf").as_uri() + "/"
        self.roots = (self.root, renderer.templates.resolve())
        self.page_of: dict[str, int] = {}
        self.starts: dict[int, tuple[str, str, int]] = {}  # page -> where it begins inside a block
        self.prefetched: dict[Chapter, Future[Part]] = {}  # chapters asked for while the book was read
        self.from_cache: set[Future[Part]] = set()

    @classmethod
    def for_jobs(cls, book: Book, renderer: Renderer | None = None) -> Typesetter:
        """A typesetter that only makes the build's documents (no workers, no page cache): for the
        benchmark's engine limit and for tests that lay one part out themselves."""
        return cls(book.config, book.root, renderer or Renderer(), None, None,  # type: ignore[arg-type]
                   build_time(book.config))

    def prefetch(self, chapter: Chapter, notes: tuple[Note, ...] = ()) -> None:
        """Lay a chapter out as soon as it is converted, while the next ones are (resolve's hook)."""
        self.prefetched[chapter] = self._submit_html(self.chapter_html(chapter, notes))

    def lay_out(self, book: Book, pdf: Path) -> tuple[Layout, Future[None], Assembly]:
        """Lay the book out; the pages are joined into `pdf` by a tool process, whose job is returned
        beside the layout (everything but the PDF itself is known before it is written), with what
        it joins (the PDF/A copy is joined from the same parts)."""
        labels = self.labels
        chapters = self._settle(book, self._chapters(book))
        colophon_job = self._submit("pdf/colophon.html", urgent=False, colophon=colophon_lines(
            book, self.renderer.design, labels)) if self.config.colophon else None
        bibliography_job = self._submit("pdf/bibliography.html", urgent=False, entries=[
            (ref_id(key), print_fragment(entry)) for key, entry in book.bibliography
        ]) if book.bibliography else None
        body = Sequence()
        last_page_of = {}
        endnotes = book.text_notes and self.config.notes == "end"
        notes = self._endnotes(book) if endnotes else None
        called = self._called(book)
        squeezed: list[str] = []
        for i, chapter in enumerate(book.chapters):
            part = self.jobs.result(chapters[i])
            squeezed += part.squeezed
            chapters[i] = done(part.placed())  # its anchors are learnt: a long book's hold megabytes
            body.to_recto()
            pages = [Page("opening"), *[Page("text", chapter.title_text)] * (part.pages - 1)]
            # Its running heads wait behind the chapters still to be laid out: asked for at once, they
            # were all laid out by the time one core took the last chapter, and the other then had
            # nothing to do until it was placed (~0.45 core-s idle, sampled); held back, they fill
            # that core then (500 pages 15.40 -> 15.20 s, A/B of 6; 2,000 pages no slower).
            first = self._place(body, part, pages, urgent=False)
            last_page_of[chapter.id] = first + part.pages - 1
            self.progress(f"placed chapter {i + 1} on pages {first}–{first + part.pages - 1}")
            if notes is not None:
                notes.advance(lambda: note_groups(book, self.page_of), called)
        text_pages = body.count
        self.prefetched.clear()
        self.from_cache.clear()
        del chapters, part
        body.to_recto()
        # Index terms in notes need the notes' pages; otherwise the index waits for nothing more.
        index_alone = not endnotes or not any(mark.in_note for mark in book.marks)
        index_job = self._index(book) if book.index and index_alone else None
        if notes is not None:
            self.progress("laying out the notes")
            pieces = notes.finish(note_groups(book, self.page_of), self.jobs.result)
            ids = [[a for a in anchors if a.startswith("note-")]
                   for part in pieces for anchors in part.anchors]
            heads = note_heads(ids, self.page_of, (labels["notes_to_page"], labels["notes_to_pages"]))
            pages = [Page("opening"), *(Page("back", h) for h in heads[1:])]
            for part in pieces:
                self._place(body, part, pages[:part.pages], urgent=False)
                pages = pages[part.pages:]
            if book.index or bibliography_job is not None:
                body.to_recto()
        if bibliography_job is not None:  # after the notes, before the index (Chicago 1.4)
            bibliography = self.jobs.result(bibliography_job)
            heads = [Page("back", labels["bibliography"])] * (bibliography.pages - 1)
            self._place(body, bibliography, [Page("opening"), *heads], urgent=False)
            if book.index:
                body.to_recto()
        if book.index:
            self.page_of["index"] = body.count + 1
        self.progress("laying out the front matter")
        front_job = self._submit("pdf/front.html", timestamp=w3c(self.moment),
                                 set_in=_set_in(self.renderer.design, labels),
                                 contents=contents(book, self.page_of, labels),
                                 float_lists=float_lists(book, self.page_of, labels),
                                 front_parts=self._front_for_print(book))
        if book.index:
            self.progress("laying out the index")
            index = self.jobs.result(index_job or self._index(book))
            self._place(body, index, [Page("opening"), *[Page("back", labels["index"])] * (index.pages - 1)])
        if colophon_job is not None:  # the last page of the book
            self._place(body, self.jobs.result(colophon_job), [Page("quiet")])
        front = Sequence()
        front_page_of: dict[str, int] = {}
        front_starts: dict[int, tuple[str, str, int]] = {}
        _learn_pages(front_page_of, self.jobs.result(front_job), front.add(self.jobs.result(front_job)),
                     front_starts)
        front.to_recto()
        self.progress("assembling the pages")
        overlays = {front.count + start + i: (furniture, i)
                    for start, job in body.furniture
                    for furniture in [self.jobs.result(job)] for i in range(furniture.pages)}
        # Every part is laid out: the tools start now, and wait for the PDFs still being written where
        # they reach them (written.py). The cache is pruned after the assembly (the build calls
        # prune_cache), not now: a child may still be writing into it.
        written = self.jobs.workers.unwritten()
        assembly = Assembly.of([*front.parts, *body.parts], overlays, tuple(self._bookmarks(book)),
                               front.count, front.parts[0], self.cache, written)
        assembled = self.jobs.workers.tool(assembly.write, pdf, reads=written)
        squeezed += [i for part in front.parts if part for i in part.squeezed]
        layout = Layout(pdf, front.count + body.count, front.count, self.page_of, text_pages, self.geometry,
                        front.parts[0].pdf, tuple(squeezed_tables(book, squeezed)), last_page_of,
                        front_page_of, self.starts, front_starts)
        return layout, assembled, assembly

    def _endnotes(self, book: Book) -> Pieces:
        """The endnotes, to be laid out in pieces as their calls are placed (endnotes.Pieces)."""
        groups = note_groups(book, {})
        widest = max(note.number for group in groups for note in group.notes)
        # A note that prints a page number ("s. 14") may name a page not placed yet: the notes wait.
        early = not any(has_pagerefs(note.print_html) for note in book.notes)
        return Pieces(groups, lambda piece: self._submit("pdf/notes.html", note_groups=piece,
                                                         notes_widest=widest), early=early)

    def _called(self, book: Book) -> Callable[[str], bool]:
        """Whether a note's calls all stand on placed pages (its "↑ p. 3, 7" is known)."""
        by_id = {note.id: note for note in book.notes}
        return lambda ident: all(call in self.page_of
                                 for call in (by_id[ident].call_id, *by_id[ident].more_call_ids))

    def _settle(self, book: Book, futures: list[Future[Part]]) -> list[Future[Part]]:
        """Chapters that print page numbers ("s. 14") laid out again with the numbers their first
        layout gave, until the numbers hold (a number that changes the length of a chapter moves the
        pages after it: then once more). Books without page references pass straight through."""
        if not any(has_pagerefs(ch.body_html) for ch in book.chapters) and \
                not any(has_pagerefs(n.print_html) for n in book.notes):
            return futures
        notes = notes_by_chapter(book)
        current = {i: self.chapter_html(ch, notes.get(ch.number, ())) for i, ch in enumerate(book.chapters)
                   if has_pagerefs(ch.body_html)
                   or any(has_pagerefs(n.print_html) for n in notes.get(ch.number, ()))}
        template = dict(current)
        for _round in range(MAX_ROUNDS):
            trial = Sequence()
            page_of: dict[str, int] = {}
            for future in futures:
                part = self.jobs.result(future)
                trial.to_recto()
                _learn_pages(page_of, part, trial.add(part))
            changed = {i: filled for i, html in template.items()
                       if (filled := fill(html, page_of)) != current[i]}
            if not changed:
                return futures
            self.progress(f"page references: laying out {len(changed)} chapter(s) again")
            for i, filled in changed.items():
                current[i] = filled
                futures[i] = self._submit_html(filled, urgent=True)
        self.progress("page references: the numbers did not settle; they may be a page off")
        return futures

    def prune_cache(self) -> None:
        """Drop the cached parts this book no longer has; once the assembly is done, when every part
        of this build is written."""
        self.cache.prune()

    def chapter_html(self, chapter: Chapter, notes: tuple[Note, ...] = ()) -> str:
        """A chapter's document, as the workers lay it out, with its notes when they go with it
        (notes: foot, at their calls; notes: chapter, after its text)."""
        mode = self.config.notes
        printed = self._for_print(chapter, notes if mode == "foot" else ())
        after = {}
        if mode == "chapter" and notes:
            after[chapter.id] = NoteGroup(chapter.id, title_copy(chapter.title_html), notes)
        return self._html("pdf/body.html", chapters=[printed], notes_after=after)

    def warm_up_job(self) -> Job:
        """A chapter's document without a chapter: its head is every chapter's (workers.warm_layout)."""
        return self._unwritten(self._html("pdf/body.html", chapters=[], notes_after={}))

    def job(self, template: str, **extra: object) -> Job:
        """A one-off document (the cover sheet) as a job for a tool process; it writes nowhere."""
        return self._unwritten(self._html(template, **extra))

    def chapter_jobs(self, book: Book) -> list[Job]:
        """The chapters as jobs that write nowhere (the benchmark's engine limit lays them out)."""
        notes = notes_by_chapter(book)
        return [self._unwritten(self.chapter_html(ch, notes.get(ch.number, ()))) for ch in book.chapters]

    def _unwritten(self, html: str) -> Job:
        return Job(html, self.base_url, self.roots, self.moment.timestamp(), Path(os.devnull))

    def _chapters(self, book: Book) -> list[Future[Part]]:
        """Every chapter's job: asked for while the book was read, or now, the longest first (a long
        chapter left for last keeps one core idle)."""
        chapters = book.chapters
        notes = notes_by_chapter(book)
        futures: dict[int, Future[Part]] = {i: self.prefetched[ch] for i, ch in enumerate(chapters)
                                            if ch in self.prefetched}
        for i in sorted(set(range(len(chapters))) - set(futures), key=lambda i: -len(chapters[i].body_html)):
            futures[i] = self._submit_html(self.chapter_html(chapters[i], notes.get(chapters[i].number, ())))
        cached = sum(1 for f in futures.values() if f in self.from_cache)
        self.progress(f"laying out {len(chapters) - cached} of {len(chapters)} chapters ({cached} cached)")
        return [futures[i] for i in range(len(chapters))]

    def _index(self, book: Book) -> Future[Part]:
        return self._submit("pdf/index.html", index_groups=index_groups(book, self.page_of))

    def _place(self, body: Sequence, part: Part, pages: list[Page], urgent: bool = True) -> int:
        """Place a part at the end of `body`, learn its anchors' pages, and ask for its furniture.
        Not `urgent`: the chapters' (laid out after the chapters, see lay_out) and the notes' and
        bibliography's, asked for before the front matter is and laid out after it, which the tools
        wait for as much (the 500-page book's front matter had waited 0.08 s behind the notes')."""
        first = body.count + 1
        _learn_pages(self.page_of, part, first, self.starts)
        if all(page.kind == "quiet" for page in pages):  # the colophon: nothing to draw
            return body.add(part.placed())
        pages = [dataclasses.replace(page, head=self.fit_head(page.head)) if page.head else page
                 for page in pages]
        furniture = self._submit("pdf/furniture.html", urgent=urgent, first_page=first, furniture=pages)
        return body.add(part.placed(), furniture)

    def _html(self, template: str, **extra: object) -> str:
        config = self.config
        return self.renderer.render(template, config=config, labels=self.labels, page=self.geometry,
                                    running_left=self.running_left,
                                    href=lambda ident: f"#{ident}", version=__version__, **extra)

    def _submit(self, template: str, urgent: bool = True, **extra: object) -> Future[Part]:
        # Parts set after the text (notes, front matter) print the pages it holds ("s. 14") as they are.
        return self._submit_html(fill(self._html(template, **extra), self.page_of), urgent)

    def _submit_html(self, html: str, urgent: bool = False) -> Future[Part]:
        """A part from the cache when its HTML is unchanged, else a job for the workers."""
        key = self.cache.key(html)
        part = self.cache.get(key)
        if part is not None:
            future = done(part)
            self.from_cache.add(future)
            return future
        job = Job(html, self.base_url, self.roots, self.moment.timestamp(), self.cache.pdf_path(key))
        return self.jobs.submit(job, urgent)

    def _for_print(self, chapter: Chapter, footnotes: tuple[Note, ...] = ()) -> Chapter:
        """The chapter with its footnotes at their calls, and its images given as file URLs: the print
        templates live elsewhere than the manuscript, and the EPUB keeps the relative paths. Its
        print copy is made here, and let go with the job (Chapter.print_html says why)."""
        chapter = dataclasses.replace(chapter, print_html=for_print(chapter.body_html))
        if footnotes:
            spans = {n.id: self._html("pdf/footnote.html", note=n,
                                      paragraphs=footnote_paragraphs(n.print_html)).strip()
                     for n in footnotes}
            # A note called in the chapter's title floats from the title (placed once, where first called).
            called = notes_called_in(chapter.title_html)
            in_title = {i: span for i, span in spans.items() if i in called}
            rest = {i: span for i, span in spans.items() if i not in called}
            chapter = dataclasses.replace(chapter, title_html=with_footnotes(chapter.title_html, in_title),
                                          print_html=with_footnotes(chapter.print_html, rest))
        if not chapter.images:
            return chapter

        def absolute(match: re.Match[str]) -> str:
            path = self.root / unquote(match.group(2))
            sized = ""
            if not _SIZED.search(match.group(1) + match.group(3)) and (found := natural_width(path)) \
                    and found[1]:
                # The resolution the file states (a 300-ppi icon is an icon, not 106 mm of it).
                sized = f' style="width: {found[0] / found[1]:.3f}in"'
            return f'{match.group(1)}"{path.as_uri()}"{sized}{match.group(3)}'

        return dataclasses.replace(chapter, print_html=_IMG_SRC.sub(absolute, chapter.print_html))

    def _front_for_print(self, book: Book) -> list[Chapter]:
        """The front matter's parts, each with its notes as footnotes (Book.text_notes says why)."""
        notes = notes_by_chapter(book)
        return [self._for_print(part, notes.get(part.number, ())) for part in book.front]

    def _bookmarks(self, book: Book) -> list[Bookmark]:
        labels = self.labels
        marks = [Bookmark(labels["contents"], "contents"),
                 *(Bookmark(lst.title, lst.id) for lst in float_lists(book, {}, labels)),
                 *(Bookmark(part.title_text, part.id) for part in book.front if part.role not in UNLISTED),
                 *(Bookmark(ch.title_text, ch.id, tuple(Bookmark(h.text, h.id) for h in ch.headings
                                                        if h.level == 2)) for ch in book.chapters)]
        if book.text_notes and self.config.notes == "end":
            marks.append(Bookmark(labels["notes"], "notes"))
        if book.bibliography:
            marks.append(Bookmark(labels["bibliography"], "bibliography"))
        if book.index:
            marks.append(Bookmark(labels["index"], "index"))
        return [_plain(mark) for mark in marks]


def _set_in(design: Design, labels: Mapping[str, str]) -> str:
    """The imprint's typefaces: the headings' too when the theme sets them in another (QA sweep: the
    report theme's Noto Sans headings went unnamed)."""
    body, headings = design.shown(design.body_family), design.shown(design.headings_family)
    if headings == body:
        return labels["set_in"].format(font=body, version=__version__)
    return labels["set_in_two"].format(font=body, headings=headings, version=__version__)


def _plain(mark: Bookmark) -> Bookmark:
    """A bookmark's title with plain spaces: the no-break spaces that keep "w Baku" on one printed line
    mean nothing in a viewer's outline, and a search there for "w Baku" missed them (QA sweep)."""
    return Bookmark(mark.title.replace("\u00a0", " "), mark.target, tuple(map(_plain, mark.children)))


def _learn_pages(page_of: dict[str, int], part: Part, first: int,
                 starts: dict[int, tuple[str, str, int]] | None = None) -> None:
    """Each anchor of a part placed from page `first` on, at the page it fell on (its first mention),
    and into `starts` where each of its pages begins inside a block."""
    for i, anchors in enumerate(part.anchors):
        for name in anchors:
            page_of.setdefault(name, first + i)
    if starts is not None:
        starts.update((first + i, start) for i, start in enumerate(part.starts) if start)
