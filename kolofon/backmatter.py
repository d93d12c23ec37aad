"""Pure views of the book for the templates: contents, notes and index with print page numbers.

Page numbers are data learned from the one layout of the text (`page_of`: element id -> page); nothing
here lays anything out."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .config import slugify
from .design import Design
from .labels import labels_for
from .model import Book, Heading, IndexEntry, Locator, Note
from .source.index import entry_key, key_parts, locators, term_html


@dataclass(frozen=True)
class NoteView:
    number: int
    id: str
    call_id: str
    html: str
    print_html: str
    call_page: int | str
    more_calls: tuple[tuple[str, int | str], ...] = ()  # a note called again: (call id, its page)


@dataclass(frozen=True)
class NoteGroup:
    chapter_id: str
    title_html: str
    notes: tuple[NoteView | Note, ...]  # Notes where no page is shown (notes: chapter)
    continued: bool = False  # the rest of a group a page of the notes begins inside (layout/endnotes.py)


@dataclass(frozen=True)
class EntryView:
    term: Markup  # HTML: a term's *emphasis* is italic in the index as in the text
    anchor: str  # id of the entry, the target of cross-references to it
    locators: tuple[Locator, ...]
    see: tuple[tuple[Markup, str], ...]  # (shown term as HTML, anchor of its entry)
    see_also: tuple[tuple[Markup, str], ...]
    subentries: tuple[EntryView, ...]


@dataclass(frozen=True)
class GroupView:
    label: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class ContentsItem:
    kind: str  # front | chapter | section | back | notes | bibliography | index
    title_html: str
    target: str
    page: int | str


@dataclass(frozen=True)
class FloatItem:
    label: str  # "Rys. 3."
    caption: str  # plain text
    target: str
    page: int | str
    front: bool = False  # in the front matter: its roman page is the layout's (target-counter)


@dataclass(frozen=True)
class FloatList:
    """A list of figures or of tables (`lists:` in book.yaml), after the contents."""

    kind: str  # figures | tables
    title: str
    id: str
    items: tuple[FloatItem, ...]


UNLISTED = ("dedication", "epigraph")
_CALL_RE = re.compile(r'<a class="noteref"[^>]*>[^<]*</a>')
_ID_RE = re.compile(r'\sid="[^"]*"')
_LINK_RE = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
_CODE_RE = re.compile(r"<(?:code|pre|kbd|samp)\b")


def title_copy(title_html: str) -> str:
    """A chapter's title repeated elsewhere (the contents, the EPUB's nav, a notes heading): without
    its note calls, which belong to the heading in the text, and without ids (an index term's), which
    name one place in the book."""
    # A link in the title (a cross-reference, a web address) is its words alone: the copy is itself a
    # link, and a link inside a link is no HTML (the contents line broke apart, EPUBCheck RSC-005).
    return _LINK_RE.sub(r"\1", _ID_RE.sub("", _CALL_RE.sub("", title_html)))


def colophon_lines(book: Book, design: Design,
                   labels: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The colophon's facts as (label, text): typefaces (default: those the book is set in), paper,
    printer, print run, ISBN, then the publisher's own note without a label."""
    given = dict(book.config.colophon)
    families = design.families if sets_code(book) else design.families_without_code
    lines = [(labels["typefaces"], given.get("typefaces") or ", ".join(families))]
    lines += [(labels[key], given[key]) for key in ("paper", "printer", "print_run") if key in given]
    if book.config.isbn:
        lines.append(("ISBN", book.config.isbn))
    if "note" in given:
        lines.append(("", given["note"]))
    return tuple(lines)


def sets_code(book: Book) -> bool:
    """Whether any text of the book is code (set in the code face: the colophon names it only then)."""
    texts = (*(p.body_html for p in (*book.front, *book.chapters)), *(n.html for n in book.notes))
    return any(_CODE_RE.search(html) for html in texts)


def note_groups(book: Book, page_of: Mapping[str, int]) -> tuple[NoteGroup, ...]:
    by_chapter = notes_by_chapter(book)
    groups = []
    for chapter in book.chapters:
        notes = by_chapter.get(chapter.number, ())
        if notes:
            views = tuple(NoteView(n.number, n.id, n.call_id, n.html, n.print_html,
                                   page_of.get(n.call_id, "?"), _later_calls(n, page_of)) for n in notes)
            groups.append(NoteGroup(chapter.id, title_copy(chapter.title_html), views))
    return tuple(groups)


def _later_calls(note: Note, page_of: Mapping[str, int]) -> tuple[tuple[str, int | str], ...]:
    """A note called again on another page: each such call with its page ("↑ p. 3, 7"), so that a
    reader who came from the second call can go back to it; a call on a page already named adds nothing."""
    shown = {page_of.get(note.call_id, "?")}
    later = []
    for call in note.more_call_ids:
        page = page_of.get(call, "?")
        if page not in shown:
            shown.add(page)
            later.append((call, page))
    return tuple(later)


def notes_by_chapter(book: Book) -> dict[int, tuple[Note, ...]]:
    by_chapter: dict[int, list[Note]] = {}
    for note in book.notes:
        by_chapter.setdefault(note.chapter, []).append(note)
    return {number: tuple(notes) for number, notes in by_chapter.items()}


def note_heads(notes_by_page: Sequence[Sequence[str]], page_of: Mapping[str, int],
               words: tuple[str, str]) -> list[str]:
    """Running head of each notes page: the text pages of the calls of the notes that start on it
    ('Notes to pages 3–7', Chicago 14.43). A page on which no note starts goes on with the note before."""
    singular, plural = words
    heads: list[str] = []
    current: Sequence[str] = ()
    for ids in notes_by_page:  # the ids of the notes that start on each page
        current = ids or current[-1:]
        calls = [f"noteref-{ident.removeprefix('note-')}" for ident in current]
        pages = [page_of[call] for call in calls if call in page_of]
        if not pages:
            heads.append("")
            continue
        lo, hi = min(pages), max(pages)
        heads.append(f"{singular} {lo}" if lo == hi else f"{plural} {lo}–{hi}")
    return heads


def index_groups(book: Book, page_of: Mapping[str, int]) -> tuple[GroupView, ...]:
    anchors: dict[str, str] = {}  # entry key ('main', 'main, sub') -> id
    for group in book.index:
        for entry in group.entries:
            anchors[entry_key((entry.term,))] = _anchor(entry.term, anchors)
            for sub in entry.subentries:
                anchors[entry_key((entry.term, sub.term))] = _anchor(f"{entry.term}-{sub.term}", anchors)
    level = labels_for(book.config.lang)["index_xref_level"]

    def refs(targets: tuple[str, ...]) -> tuple[tuple[Markup, str], ...]:
        # The index links only targets it has (index.py drops the rest); .get keeps a hand-made Book safe.
        return tuple((_target_html(t, level), anchors.get(t, "")) for t in targets)

    def view(entry: IndexEntry, path: tuple[str, ...]) -> EntryView:
        key = entry_key(path)
        return EntryView(Markup(term_html(entry.term)), anchors[key], locators(entry.mark_ids, page_of),
                         refs(entry.see), refs(entry.see_also),
                         tuple(view(sub, (*path, sub.term)) for sub in entry.subentries))

    return tuple(GroupView(g.label, tuple(view(e, (e.term,)) for e in g.entries)) for g in book.index)


def _target_html(key: str, level: str) -> Markup:
    """A cross-reference's target as printed: a subentry after its heading and a colon ('Lighthouse:
    keepers of'), so that it never reads as two references, or as an inverted name ('Prus, Bolesław')."""
    return Markup(escape(level).join(Markup(term_html(part)) for part in key_parts(key)))


def _anchor(term: str, taken: dict[str, str]) -> str:
    base = f"ix-{slugify(term)}"
    used = set(taken.values())
    candidate, k = base, 1
    while candidate in used:
        k += 1
        candidate = f"{base}-{k}"
    return candidate


def contents(book: Book, page_of: Mapping[str, int], labels: Mapping[str, str],
             link: Callable[[str], str] = lambda ident: ident) -> tuple[ContentsItem, ...]:
    # A dedication and an epigraph are not listed (Chicago 1.42); the prelims after the contents are,
    # with roman numbers the PDF's contents works out itself (target-counter).
    lists = float_lists(book, page_of, labels)
    items = [ContentsItem("front", lst.title, link(lst.id), "") for lst in lists]
    items += [ContentsItem("front", title_copy(ch.title_html), link(ch.id), "") for ch in book.front
              if ch.role not in UNLISTED]
    for ch in book.chapters:
        items.append(ContentsItem("chapter" if ch.role == "chapter" else "back", title_copy(ch.title_html),
                                  link(ch.id), page_of.get(ch.id, "")))
        if book.config.numbered_sections:  # a report's numbered sections are what a reader looks up
            items += [ContentsItem("section", _section_html(h), link(h.id), page_of.get(h.id, ""))
                      for h in ch.headings if h.level == 2]
    if book.text_notes and book.config.notes == "end":
        items.append(ContentsItem("notes", labels["notes"], link("notes"), page_of.get("notes", "")))
    if book.bibliography:
        items.append(ContentsItem("bibliography", labels["bibliography"], link("bibliography"),
                                  page_of.get("bibliography", "")))
    if book.index:
        items.append(ContentsItem("index", labels["index"], link("index"), page_of.get("index", "")))
    return tuple(items)


def _section_html(heading: Heading) -> Markup:
    """A numbered section's words in the contents, its number in the span the headings give it."""
    words = heading.text.removeprefix(heading.number).strip() if heading.number else heading.text
    number = f'<span class="secno">{escape(heading.number)}</span> ' if heading.number else ""
    return Markup(f"{number}{escape(words)}")


def float_lists(book: Book, page_of: Mapping[str, int], labels: Mapping[str, str],
                link: Callable[[str], str] = lambda ident: ident) -> tuple[FloatList, ...]:
    """The lists of figures and tables the book asks for (Chicago 1.4: after the contents, before a
    foreword), each entry with its caption's label and the page its figure or table stands on; a list
    with nothing in it is left out."""
    lists = []
    for kind in book.config.lists:
        singular = kind.removesuffix("s")
        items = tuple(FloatItem(labels[f"{singular}_caption"].format(number=t.number), t.title,
                                link(t.anchor), page_of.get(t.anchor, ""), t.front)
                      for t in book.floats(singular))
        if items:
            lists.append(FloatList(kind, labels[f"list_of_{kind}"], f"list-{kind}", items))
    return tuple(lists)
