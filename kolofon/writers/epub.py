"""The EPUB 3 edition (EbookLib), carrying the print edition's pages, then repacked to the byte.

EbookLib writes what we give it verbatim (EpubItem, not EpubHtml: EpubHtml re-parses documents and
drops epub:type on the way); we supply our own nav with landmarks and a page-list."""

from __future__ import annotations

import dataclasses
import mimetypes
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from concurrent.futures import Future
from functools import partial
from html import unescape
from pathlib import Path
from typing import IO, TypeVar
from urllib.parse import unquote

from ebooklib import epub

from ..backmatter import (
    UNLISTED,
    NoteGroup,
    NoteView,
    colophon_lines,
    contents,
    float_lists,
    index_groups,
    note_groups,
    notes_by_chapter,
    title_copy,
)
from ..cache import Memo, code_version
from ..config import slugify
from ..dates import build_time
from ..design import Design
from ..labels import labels_for
from ..layout.geometry import Layout
from ..model import Book, Chapter, Note, ref_id
from ..noteplace import notes_called_in, with_asides
from ..pagerefs import book_with_pages
from ..render import Renderer
from ..source.images import without_alt
from ..source.typography import shown_config
from . import ZIP_TIME
from . import cover as cover_art
from .epubdocs import KeptDocs, Recorded, templates_digest
from .pagemap import PageMarkers, retarget_links, roman

XHTML = "application/xhtml+xml"
_ID_RE = re.compile(r'\sid="([^"]+)"')


def write_epub(book: Book, layout: Layout, renderer: Renderer, target: Path,
               title_page: Future[bytes] | None = None, memo: Memo | None = None) -> None:
    """The EPUB, written to `target`. `title_page`: the cover picture (cover.title_page_jpeg) being
    rendered elsewhere meanwhile; `memo`: the chapters' documents of the last build (epubdocs.py)."""
    config = book.config
    labels = labels_for(config.lang)
    book = book_with_pages(book, layout.page_of)  # "s. 14" in the text: the print edition's page
    file_of = Recorded(_files_of(book))
    # A note's own links (to a bibliography entry, another chapter) lead out of the document it stands in.
    book = dataclasses.replace(book, notes=tuple(
        dataclasses.replace(n, html=retarget_links(n.html, file_of, file_of[n.id])) for n in book.notes))

    def href(ident: str) -> str:
        return f"{file_of.get(ident, '')}#{ident}"

    base = {"config": config, "labels": labels, "href": href}
    page_of = Recorded(layout.page_of)
    markers = PageMarkers(page_of, labels["page"], starts=layout.starts, footnotes=config.notes == "foot")
    markers.inside = Recorded(markers.inside)
    docs: list[tuple[str, str, bytes]] = []  # (uid, file name, XHTML)

    package_names = _image_names(book.images)

    def packed(doc: tuple[str, str, str]) -> tuple[str, str, bytes]:
        text = doc[2]
        if any(src != name for src, name in package_names.items()):
            text = _IMG_SRC.sub(lambda m: f'{m[1]}"{package_names.get(unquote(unescape(m[2])), m[2])}"', text)
        # Held compressed until EbookLib writes it: a long book's documents are not all in memory at
        # once (the 2,000-page book's are 10 MB as text, 1 MB compressed).
        return doc[0], doc[1], zlib.compress(text.encode(), 1)

    def add(doc: tuple[str, str, str]) -> None:
        docs.append(packed(doc))

    cover_name = cover_art.cover_name(book)
    add(("cover", "cover.xhtml", renderer.render("epub/cover.xhtml", **base, cover_href=cover_name)))
    add(("titlepage", "titlepage.xhtml", renderer.render("epub/titlepage.xhtml", **base)))
    def footnotes(body: str, title_html: str, notes: Iterable[Note]) -> str:
        marked = (dataclasses.replace(n, html=markers.place_in_footnote(n.html, n.id)) for n in notes)
        asides = {n.id: renderer.render("epub/footnote.xhtml", **base, note=n).strip() for n in marked}
        # A note called in the title stands first, right after the title.
        in_title = [i for i in asides if i in notes_called_in(title_html)]
        return "\n".join(asides.pop(i) for i in in_title) + with_asides(body, asides)

    notes_of = notes_by_chapter(book)
    # The front matter's pages, in roman as printed ("vii"), where its parts' text stands on them.
    front_markers = PageMarkers(layout.front_page_of, labels["page"], folio=roman, starts=layout.front_starts)
    for part in book.front:
        front_markers.file = part.file_name
        front_markers.skip_to(part.id)
        opening = front_markers.due(part.id)
        body = front_markers.place(part.body_html, part.block_ids)
        if part is book.front[-1] and part.role not in UNLISTED:
            # The front matter's last pages (the part's tail, the blank verso before chapter 1) end here.
            body = front_markers.close(body, layout.front_pages)
        body = footnotes(body, part.title_html, notes_of.get(part.number, ()))  # in every mode
        body = retarget_links(body, file_of, part.file_name)
        add((part.id, part.file_name, renderer.render(
            "epub/chapter.xhtml", **base, chapter=part, opening_pages=opening, body=body, notes_after=None,
            front=True)))
    mode = config.notes
    kept = KeptDocs(memo, (page_of, markers.inside, file_of), code_version(),
                    templates_digest((*renderer.design.layers, renderer.templates)), repr(config),
                    repr(renderer.design), sorted(package_names.items()))

    def chapter_doc(chapter: Chapter, notes: tuple[Note, ...],
                    last_page: int | None) -> tuple[str, str, bytes]:
        opening = markers.due(chapter.id)
        body = markers.place(chapter.body_html, chapter.block_ids)
        note_markers: dict[str, list[str]] = {}
        tail: list[str] = []
        if mode == "chapter" and notes:
            # The pages the chapter's notes begin on are marked at them, not at the text's end.
            note_markers = {f"notes-{chapter.id}": markers.due(f"notes-{chapter.id}")}
            notes = _marked_notes(notes, markers, note_markers)
            if last_page is not None and last_page >= markers.next_page:
                tail = markers.due_until(last_page)  # pages inside the last note
        else:
            body = markers.close(body, last_page)
        if mode == "foot":
            body = footnotes(body, chapter.title_html, notes)
        after = NoteGroup(chapter.id, title_copy(chapter.title_html), notes) \
            if mode == "chapter" and notes else None
        body = retarget_links(body, file_of, chapter.file_name)
        # A note call in the title leads to the notes' document, like one in the text.
        chapter = dataclasses.replace(chapter, title_html=retarget_links(chapter.title_html, file_of,
                                                                         chapter.file_name))
        return packed((chapter.id, chapter.file_name, renderer.render(
            "epub/chapter.xhtml", **base, chapter=chapter, opening_pages=opening, body=body,
            notes_after=after, front=False, note_markers=note_markers, tail_pages=tail)))

    for chapter in book.chapters:
        markers.file = chapter.file_name
        inputs = (chapter, notes_of.get(chapter.number, ()), layout.last_page_of.get(chapter.id))
        docs.append(kept.doc(markers, partial(chapter_doc, *inputs), *inputs))
    if book.text_notes and mode == "end":
        groups = list(note_groups(book, layout.page_of))
        markers.file = "notes.xhtml"
        # In reading order: the notes' opening page before their title, a page that a chapter's group
        # opens before its heading, the others at the note they begin with.
        opening = markers.due("notes")
        note_markers = {}
        for i, g in enumerate(groups):
            note_markers[f"notes-{g.chapter_id}"] = markers.due(f"notes-{g.chapter_id}")
            groups[i] = dataclasses.replace(g, notes=_marked_notes(g.notes, markers, note_markers))
        add(("notes", "notes.xhtml", renderer.render(
            "epub/notes.xhtml", **base, note_groups=groups, note_markers=note_markers,
            opening_pages=opening)))
    if book.bibliography:
        markers.file = "bibliography.xhtml"
        entries = [(ref_id(k), e) for k, e in book.bibliography]
        # Its opening page, then each page an entry begins on (in reading order).
        entry_markers = {"bibliography": markers.due("bibliography"),
                         **{ident: markers.due(ident) for ident, _entry in entries}}
        add(("bibliography", "bibliography.xhtml", renderer.render(
            "epub/bibliography.xhtml", **base, entries=entries, markers=entry_markers)))
    if book.index:
        # The index's opening page only: an entry of an EPUB index may hold nothing but its term and
        # locators (EPUB Indexes), so its later pages have no place to be marked.
        markers.file = "index.xhtml"
        add(("index", "index.xhtml", renderer.render(
            "epub/index.xhtml", **base, index_groups=index_groups(book, layout.page_of),
            opening_pages=markers.due("index"))))
    if config.colophon:
        add(("colophon", "colophon.xhtml", renderer.render(
            "epub/colophon.xhtml", **base, colophon=colophon_lines(book, renderer.design, labels))))
    pages = [(page, f"{name}#page-{page}") for page, name in [*front_markers.placed, *markers.placed]]
    nav = renderer.render("epub/nav.xhtml", **base, contents=_toc(book, labels, href),
                          float_lists=float_lists(book, layout.page_of, labels, href),
                          landmarks=_landmarks(book, labels), pages=pages)

    ebook = epub.EpubBook()
    _metadata(ebook, book, labels, bool(pages))
    css = renderer.render("epub/epub.css", config=config).encode()
    ebook.add_item(epub.EpubItem(uid="css", file_name="css/epub.css", media_type="text/css", content=css))
    _add_design(ebook, book, renderer.design)
    cover_data = cover_art.cover_image(book, layout.front_pdf, layout.front_pages, title_page)
    image = epub.EpubItem(uid="cover-image", file_name=cover_name,
                          media_type=mimetypes.guess_type(cover_name)[0], content=cover_data)
    image.properties = ["cover-image"]
    ebook.add_item(image)
    for i, (src, name) in enumerate(package_names.items(), 1):
        ebook.add_item(epub.EpubItem(uid=f"img{i}", file_name=name, media_type=mimetypes.guess_type(name)[0],
                                     content=(book.root / src).read_bytes()))
    nav_item = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type=XHTML, content=nav.encode())
    nav_item.properties = ["nav"]
    ebook.add_item(nav_item)
    spine = []
    # The contents in reading order, where the print edition has them: after the title page, the
    # dedication and the epigraph.
    nav_after = [uid for uid, _n, _x in docs if uid == "titlepage" or uid.startswith(UNLISTED)][-1]
    for uid, name, xhtml in docs:
        item = _Compressed(uid=uid, file_name=name, media_type=XHTML, content=xhtml)
        if uid == "index":
            # EPUB Indexes 1.0: the declaration tells reading systems (and EPUBCheck, which then checks the
            # document against the index schema) that this document is the book's index.
            item.properties = ["index"]
        ebook.add_item(item)
        spine.append(item)
        if uid == nav_after:
            spine.append(nav_item)  # the contents in reading order, where the print edition has them
    ebook.spine = spine
    # On disk (the build's scratch folder), not in memory: the EPUB was held twice over, EbookLib's copy
    # and the repacked one (the 2,000-page main process 1 MiB lower; its peak is later, bench/RESULTS.md).
    with tempfile.TemporaryFile() as raw:
        epub.write_epub(raw, ebook, {"mtime": build_time(config), "epub3_pages": False,
                                     "epub3_landmark": False, "epub2_guide": False, "raise_exceptions": True})
        repack(raw, target, config.lang)


class _Compressed(epub.EpubItem):
    """A document kept compressed, its text made only when EbookLib writes it into the EPUB."""

    def get_content(self, default: bytes = b"") -> bytes:
        return zlib.decompress(self.content) if self.content else default


CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


_N = TypeVar("_N", Note, NoteView)


def _marked_notes(notes: Iterable[_N], markers: PageMarkers, at: dict[str, list[str]]) -> tuple[_N, ...]:
    """Each note's page markers in reading order: the pages it begins on into `at` (the template puts
    them before its number), those that begin inside it among its words."""
    marked = []
    for note in notes:
        at[note.id] = markers.due(note.id)
        marked.append(dataclasses.replace(note, html=markers.place_in(note.html, note.id)))
    return tuple(marked)


def _add_design(ebook: epub.EpubBook, book: Book, design: Design) -> None:
    """The book's own stylesheets, what they load, and its own fonts, at their manuscript paths (so the
    stylesheets' relative url()s hold as written)."""
    for i, sheet in enumerate(design.stylesheets, 1):
        ebook.add_item(epub.EpubItem(uid=f"book-css{i}", file_name=sheet.rel, media_type="text/css",
                                     content=sheet.text.encode()))
    resources = {r for s in design.stylesheets for r in s.resources} | {f.rel for f in design.own_fonts}
    images = set(book.images)
    for i, rel in enumerate(sorted(resources - images), 1):
        suffix = rel[rel.rfind("."):].lower()
        media = FONT_TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
        ebook.add_item(epub.EpubItem(uid=f"res{i}", file_name=rel, media_type=media,
                                     content=(book.root / rel).read_bytes()))


_SAFE_NAME = re.compile(r"[A-Za-z0-9._/-]+")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=)"([^"]+)"')


def _image_names(sources: Iterable[str]) -> dict[str, str]:
    """Each image's name in the package: as written when it is a plain ASCII path, else one made of its
    words (images/mapa-lodz.png). A space or a "ł" in a file name is no valid URL in the package
    (EPUBCheck RSC-020, PKG-010)."""
    names: dict[str, str] = {}
    for src in sources:  # the files' own names (convert.py decodes the URLs)
        if _SAFE_NAME.fullmatch(src):
            name = src
        else:
            folder, _, file = src.rpartition("/")
            stem, dot, suffix = file.rpartition(".")
            name = f"{folder}/{slugify(stem) or 'image'}{dot}{suffix.lower()}".lstrip("/")
        while name in names.values():  # two names that slug alike
            name = re.sub(r"(\.\w+)?$", lambda m: f"-{len(names)}{m[0]}", name, count=1)
        names[src] = name
    return names


def _files_of(book: Book) -> dict[str, str]:
    """Which document holds each id: links are rewritten to point across documents.

    Every paragraph has an id, so a 2,000-page book has ~50,000: each document's name is one string
    that its ids share (a name made per id was 2 MiB of the main process's last peak)."""
    file_of: dict[str, str] = {}
    chapter_file = {ch.number: ch.file_name for ch in (*book.front, *book.chapters)}
    for chapter in (*book.front, *book.chapters):
        name = chapter_file[chapter.number]
        file_of[chapter.id] = name
        for html in (chapter.title_html, chapter.body_html):
            file_of.update(dict.fromkeys(_ID_RE.findall(html), name))
    in_text = set(book.text_notes)
    for note in book.notes:
        # Endnotes have a document of their own; footnotes and chapter notes stand in their chapter's,
        # as the front matter's do in every mode.
        name = "notes.xhtml" if book.config.notes == "end" and note in in_text else chapter_file[note.chapter]
        file_of[note.id] = name
        for ident in _ID_RE.findall(note.html):
            file_of[ident] = name
    file_of["notes"] = "notes.xhtml"
    file_of["bibliography"] = "bibliography.xhtml"
    for key, _entry in book.bibliography:
        file_of[ref_id(key)] = "bibliography.xhtml"
    file_of["index"] = "index.xhtml"
    return file_of


def _toc(book: Book, labels, href) -> list[dict[str, object]]:
    items = []
    for item in contents(book, {}, labels):
        if item.kind == "section":  # nested under its chapter below, as the print contents cannot
            continue
        children = []
        if item.kind == "chapter":
            chapter = next(ch for ch in book.chapters if ch.id == item.target)
            children = [{"target": href(h.id), "text": h.text} for h in chapter.headings if h.level == 2]
        if item.target.startswith("list-"):  # the lists of figures and tables stand in the nav itself
            target = f"nav.xhtml#{item.target}"
        elif item.kind in ("front", "chapter", "back"):
            target = f"{item.target}.xhtml"
        else:
            target = href(item.target)
        items.append({"target": target, "title_html": item.title_html, "children": children})
    return items


def _landmarks(book: Book, labels) -> list[dict[str, str]]:
    marks = [{"type": "cover", "href": "cover.xhtml", "title": labels["cover"]},
             {"type": "titlepage", "href": "titlepage.xhtml", "title": labels["title_page"]},
             {"type": "toc", "href": "nav.xhtml#toc", "title": labels["contents"]},
             {"type": "bodymatter", "href": book.chapters[0].file_name, "title": labels["start"]}]
    if book.text_notes and book.config.notes == "end":
        marks.append({"type": "endnotes", "href": "notes.xhtml", "title": labels["notes"]})
    if book.bibliography:
        marks.append({"type": "bibliography", "href": "bibliography.xhtml", "title": labels["bibliography"]})
    if book.index:
        marks.append({"type": "index", "href": "index.xhtml", "title": labels["index"]})
    return marks


def _metadata(ebook: epub.EpubBook, book: Book, labels, has_pages: bool) -> None:
    config = book.config
    ebook.set_identifier(config.book_id)
    shown = shown_config(config)  # the words as the title page prints them
    ebook.set_title(shown.title)
    ebook.set_language(config.lang)
    for i, author in enumerate(shown.author, 1):
        # EbookLib's default uid is the same for every author: a second creator would repeat the id.
        ebook.add_author(author, uid=f"creator{i}")
    # Translators and editors: contributors with their MARC relator, as EPUB 3 refines them.
    contributors = [*((n, "trl") for n in shown.translator), *((n, "edt") for n in shown.editor)]
    for i, (name, relator) in enumerate(contributors, 1):
        ebook.add_metadata("DC", "contributor", name, {"id": f"contributor{i}"})
        ebook.add_metadata(None, "meta", relator, {"refines": f"#contributor{i}", "property": "role",
                                                   "scheme": "marc:relators"})
    for name, value in (("publisher", shown.publisher), ("rights", shown.rights),
                        ("description", shown.description), ("date", config.date)):
        if value:
            ebook.add_metadata("DC", name, value)
    for subject in config.subjects:
        ebook.add_metadata("DC", "subject", subject)
    # What the book has, not a fixed claim: pictures make it visual; only when every one of them has a
    # text alternative is text alone sufficient (K507 warns about the others).
    images, without_alt = _pictures(book)
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if images and not without_alt:
        features.append("alternativeText")
    if book.index:
        features.append("index")
    if has_pages:
        features += ["pageBreakMarkers", "pageNavigation"]
    modes = ["textual", "visual"] if images else ["textual"]
    sufficient = "textual" if not without_alt else "textual,visual"
    a11y = [*(("schema:accessMode", mode) for mode in modes),
            ("schema:accessModeSufficient", sufficient),
            *(("schema:accessibilityFeature", f) for f in features),
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", _summary(book, labels, has_pages, images, without_alt))]
    if has_pages:
        # The print edition this EPUB's page markers come from: the book's ISBN when it has one (the
        # ISBN is the printed book's), else the PDF of the same book.
        a11y.append(("pageBreakSource", config.isbn_urn or config.book_id))
    if not without_alt:
        # Claimed only for what the build can stand behind: Ace finds nothing in what it makes, every
        # picture has its text alternative. The party that evaluated is the publisher, when named.
        a11y.append(("dcterms:conformsTo", CONFORMANCE))
        if shown.publisher:
            a11y.append(("a11y:certifiedBy", shown.publisher))
    for prop, value in a11y:
        ebook.add_metadata("OPF", "meta", value, {"property": prop})
    if config.isbn_urn:
        ebook.add_metadata("DC", "source", config.isbn_urn)  # the print edition it follows


def _pictures(book: Book) -> tuple[int, int]:
    """(images in the text, those of them without a text alternative)."""
    found = [without_alt(part.body_html) for part in (*book.front, *book.chapters)]
    return sum(n for n, _bare in found), sum(len(bare) for _n, bare in found)


def _summary(book: Book, labels, has_pages: bool, images: int, without_alt: int) -> str:
    parts = [labels["a11y_toc"], labels["a11y_headings"]]
    if book.notes:
        parts.append(labels["a11y_notes"])
    if book.index:
        parts.append(labels["a11y_index"])
    if has_pages:
        parts.append(labels["a11y_pages"])
    comma = labels["a11y_serial_comma"] if len(parts) > 2 else ""  # English: "a, b, and c"
    features = f"{', '.join(parts[:-1])}{comma} {labels['a11y_and']} {parts[-1]}"
    pictures = (labels["a11y_images_missing"].format(count=without_alt) if without_alt
                else labels["a11y_images"] if images else labels["a11y_no_images"])
    return labels["a11y_summary"].format(features=features, images=pictures)


def repack(source: IO[bytes], target: Path, lang: str) -> None:
    """Same entries, fixed order and timestamps, mimetype first and stored: byte-identical rebuilds."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        _put(dst, "mimetype", src.read("mimetype"), zipfile.ZIP_STORED)
        for name in _ordered(n for n in src.namelist() if n != "mimetype"):  # one entry in memory at a time
            body = src.read(name)
            _put(dst, name, _fix_opf(body, lang) if name.endswith(".opf") else body, zipfile.ZIP_DEFLATED)


def _ordered(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: (not n.startswith("META-INF"), n))


def _put(zf: zipfile.ZipFile, name: str, body: bytes, method: int) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = method
    info.external_attr = 0o644 << 16
    info.create_system = 3  # always "Unix": the host OS must not show in the bytes
    zf.writestr(info, body, compress_type=method, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)


def _fix_opf(opf: bytes, lang: str) -> bytes:
    # Without an NCX, EbookLib still writes spine toc="ncx", an id that does not exist; and it gives the
    # package no language of its own (reading systems and Ace want xml:lang there).
    opf = opf.replace(b' toc="ncx"', b"")
    return opf.replace(b"<package ", f'<package xml:lang="{lang}" '.encode(), 1)
