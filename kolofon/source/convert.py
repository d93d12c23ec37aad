"""Markdown to safe XHTML, one chapter at a time, with kolofon's extensions."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.extensions.tables import TableExtension

from ..config import slugify
from ..diagnostics import Diagnostic, error, line_of, warning
from ..labels import labels_for
from ..model import Chapter, Heading, IndexMark, Note, SourceFile, Target
from . import index, xhtml
from .crossref import targets_of
from .mdext.breaks import BreaksExtension
from .mdext.citations import CitationsExtension
from .mdext.deflists import DefinitionListExtension
from .mdext.endnotes import ChapterFindings, DefinitionsExtension, EndnotesExtension
from .mdext.floats import FloatsExtension
from .mdext.gated import GatedInlineExtension
from .mdext.index_terms import IndexTermsExtension
from .mdext.lineblocks import LineBlocksExtension
from .mdext.lists import ListsExtension
from .mdext.pandoc import INLINE_LABEL, PandocInlineExtension, unclosed_inline_note
from .mdext.quotes import QuotesExtension
from .mdext.typography import TypographyExtension
from .mdext.urls import UrlsExtension
from .mdext.xrefs import Xref, XrefsExtension
from .typography import smarten


@dataclass(frozen=True)
class Converted:
    chapter: Chapter
    notes: tuple[Note, ...]
    marks: tuple[IndexMark, ...]
    diagnostics: tuple[Diagnostic, ...]
    targets: tuple[Target, ...] = ()  # the labels it defines
    xrefs: tuple[Xref, ...] = ()  # the cross-references it makes, still placeholders in its HTML
    floats: tuple[int, int] = (0, 0)  # how many figures and tables it numbered


if TYPE_CHECKING:
    from ..bibliography import CiteProcessor


class Converter:
    """Holds one Markdown instance for the whole book (reset per chapter: building it is not free)."""

    def __init__(self, lang: str, notes_by_chapter: bool = False, numbered: bool = False,
                 citations: CiteProcessor | None = None, bibliography_given: bool = False):
        self.numbered = numbered  # numbered_sections: 1, 1.1, 1.1.1
        self.lang = lang
        self.citations = citations
        self.bibliography_given = bibliography_given  # a processor may be missing: it failed to load
        self.endnotes = EndnotesExtension()
        self.notes_by_chapter = notes_by_chapter
        self.endnotes.citations_as_notes = citations is not None and citations.note_style
        # Polish and French set the call of such a note before the punctuation, English after it.
        self.endnotes.punctuation_first = lang not in ("pl", "fr")
        self.typography = TypographyExtension()
        self.typography.lang = lang
        self.floats = FloatsExtension()
        self.definitions = DefinitionsExtension(UNIQUE_IDS=False)
        labels = labels_for(lang)
        self.floats.words = {"figure": labels["figure_caption"], "table": labels["table_caption"]}
        # Instances, not names: a name makes Markdown scan every installed package's entry points
        # (importlib.metadata, ~35 ms of a small book's build).
        self.md = Markdown(
            extensions=[TableExtension(), AttrListExtension(), FencedCodeExtension(), BreaksExtension(),
                        DefinitionListExtension(), AbbrExtension(), QuotesExtension(), LineBlocksExtension(),
                        MarkdownInHtmlExtension(), ListsExtension(), PandocInlineExtension(),
                        UrlsExtension(),
                        self.definitions,
                        IndexTermsExtension(), CitationsExtension(), self.endnotes, self.typography,
                        self.floats, XrefsExtension(), GatedInlineExtension()],
            output_format="html",
        )

    def convert(self, src: SourceFile, number: int, note_offset: int, ordinal: int | None = None,
                front: bool = False, floats: tuple[int, int] = (0, 0), floats_prefix: str = "") -> Converted:
        """`number`: the part's place in the book (its ids); `ordinal`: its number as printed, when the
        sections are numbered (None for parts of the front and back matter); `front`: a part of the
        front matter; `floats`: the figures and tables numbered before it, `floats_prefix` what their
        numbers start with ("2." when numbered by chapter)."""
        role = src.role
        self.md.reset()
        self.endnotes.chapter = number
        self.endnotes.note_offset = note_offset
        # A front part's notes are its footnotes, numbered from 1 (Model.text_notes says why).
        self.endnotes.by_chapter = self.notes_by_chapter or front
        self.floats.offsets = {"figure": floats[0], "table": floats[1]}
        self.floats.prefix = floats_prefix
        html = self.md.convert(unnumbered_shorthand(src.text))
        found_floats = self.md.kolofon_floats  # type: ignore[attr-defined]
        xrefs = tuple(self.md.kolofon_xrefs)  # type: ignore[attr-defined]
        found: ChapterFindings = self.md.kolofon  # type: ignore[attr-defined]
        diags = _note_problems(src, found, self.definitions.duplicates)
        if "^[" in src.text and (unclosed := unclosed_inline_note(src.text)) is not None:
            diags.append(warning("K305", "inline note '^[' is never closed with ']': it is printed as "
                                 "written", src.path, line_of(src.text, unclosed)))
        root = xhtml.parse_fragment(html)
        citations = self.md.kolofon_citations  # type: ignore[attr-defined]
        if citations:
            from .cite import render_citations  # citeproc is imported only by books that cite

            diags += render_citations(root, citations, self.citations, src, self.lang,
                                      self.bibliography_given)
        xhtml.sanitize(root)
        xhtml.mark_attributions(root)
        xhtml.mark_captioned_tables(root)
        xhtml.accessible_basics(root)
        chapter_id = Chapter.id_for(role, number)
        title = root.find("h1")
        title_label = title.get("id") if title is not None else None
        # A dedication or an epigraph may have no heading: its role names it in the contents and the EPUB.
        title_html = title_text = labels_for(self.lang)[role] if role != "chapter" else ""
        if title is not None:
            title_html = xhtml.to_xhtml(_children_of(title))
            title_text = _heading_text(title)
            title.drop_tree()
        for extra in root.findall(".//h1"):
            extra.tag = "h2"
            diags.append(warning("K207", "only the first '# ' heading is the chapter title; this one is set "
                                 "as a section", src.path, _find_line(src.text, "# " + extra.text_content())))
        notes, note_marks = _lift_notes(root, src, number, found)
        for note in notes:
            if 'class="noteref"' in note.html or 'class="footnote-ref"' in note.html:
                diags.append(error("K303", f"note [^{note.label}] contains a note call: notes cannot have "
                                   "notes (a call right under a note's line continues that note; leave a "
                                   "blank line)", src.path, note.line))
        _heading_levels(root)
        headings = _heading_ids(root, chapter_id)
        if self.numbered and ordinal is not None:
            headings = _number_sections(root, headings, ordinal)
            title_html = f'<span class="secno">{ordinal}</span> {title_html}'
            title_text = f"{ordinal} {title_text}"
        targets = targets_of(headings, title_label, title_text, chapter_id, found_floats, src,
                             ordinal if self.numbered else None, front)
        blocks = tuple(xhtml.number_blocks(root, chapter_id))
        # The files' own names: a Markdown image's source is a URL ("old%20map.png" is "old map.png").
        images = tuple(unquote(img.get("src", "")) for img in root.iter("img"))
        marks, mark_diags = _marks(src, number, found, note_marks, self.lang)
        if front:
            diags += _front_problems(src, role, marks)
            marks = ()
        chapter = Chapter(number, title_html, title_text, xhtml.to_xhtml(root), headings, blocks, images,
                          src.path, "", role, title is not None)
        counts = tuple(sum(1 for f in found_floats if f.kind == kind and f.number)
                       for kind in ("figure", "table"))
        return Converted(chapter, notes, marks, tuple(diags + mark_diags), targets, xrefs,
                         counts)  # type: ignore[arg-type]


def _for_print(root) -> str:
    """The print edition's copy of a fragment: glued for WeasyPrint's line breaking. The EPUB keeps the
    plain text, whose no-break spaces hold in every reading system, in speech and when copied."""
    import copy

    print_root = copy.deepcopy(root)
    xhtml.glue_for_print(print_root)
    return xhtml.to_xhtml(print_root)


def _children_of(el):
    """A detached copy of el's content wrapped in a div, for serialising an element's inside."""
    import copy

    holder = xhtml.parse_fragment("")
    holder.clear()
    holder.text = el.text
    for child in el:
        holder.append(copy.deepcopy(child))
    return holder


_CALL_ID = re.compile(r"^(noteref-[^-]+)-\d+$")


def _lift_notes(root, src: SourceFile, number: int, found: ChapterFindings):
    notes_ol = root.find(".//ol[@class='kolofon-notes']")
    notes: list[Note] = []
    in_notes: set[str] = set()
    if notes_ol is None:
        return (), in_notes
    # A note called more than once: its later calls' ids are its first call's with "-2", "-3"… (endnotes.py).
    calls = Counter(_CALL_ID.sub(r"\1", a.get("id", "")) for a in root.iter("a")
                    if a.get("class") == "noteref")
    for li in notes_ol.findall("li"):
        n = int(li.get("data-number", "0"))
        ident = li.get("id", "").removeprefix("note-")
        label = li.get("data-label", "")
        in_notes.update(el.get("id") for el in li.iter("span") if el.get("id"))
        content = _children_of(li)
        # Stripped: the templates decide what stands between the note's number and its text.
        print_html = _for_print(content).strip()
        notes.append(Note(n, label, number, xhtml.to_xhtml(content).strip(), src.path,
                          _definition_line(src.text, label), print_html, ident, calls[f"noteref-{ident}"]))
    notes_ol.drop_tree()
    return tuple(notes), in_notes


def _heading_text(el) -> str:
    """A heading's words without its note calls: what the contents, bookmarks and running heads show."""
    import copy

    plain = copy.deepcopy(el)
    for call in plain.xpath(".//a[contains(concat(' ', @class, ' '), ' noteref ')]"):
        call.drop_tree()  # keeps the text after the call
    return plain.text_content().strip()


def _sections(root) -> list:
    """The headings that are the chapter's sections: not a callout's title (a heading in a Quarto
    callout was numbered and listed in the contents; QA sweep 14)."""
    return [el for el in root.iter("h2", "h3", "h4", "h5", "h6")
            if not any(a.tag == "div" and a.get("class", "").startswith("callout")
                       for a in el.iterancestors())]


def _heading_levels(root) -> None:
    """A heading that skips a level (a '### ' right under the title) keeps its look but is read one
    level below the heading before it (aria-level): DAISY Ace failed the EPUB on heading order."""
    before = 1  # the title
    for el in root.iter("h2", "h3", "h4", "h5", "h6"):
        level = min(int(el.tag[1]), before + 1)
        if level != int(el.tag[1]):
            el.set("aria-level", str(level))
        before = level


def _heading_ids(root, chapter_id: str) -> tuple[Heading, ...]:
    used: set[str] = set()
    result = []
    for el in root.iter("h2", "h3", "h4", "h5", "h6"):
        text = _heading_text(el)
        if not el.get("id"):
            base = f"{chapter_id}-{slugify(text)}"
            candidate, k = base, 1
            while candidate in used:
                k += 1
                candidate = f"{base}-{k}"
            el.set("id", candidate)
        used.add(el.get("id"))
    for el in _sections(root):
        result.append(Heading(int(el.tag[1]), el.get("id"), _heading_text(el)))
    return tuple(result)


def _front_problems(src: SourceFile, role: str, marks: tuple[IndexMark, ...]) -> list[Diagnostic]:
    """The index points into the text and the back matter, whose pages are known when it is set; a term
    in the front matter is printed but not indexed (Chicago indexes a preface only when it is
    substantive: such a part belongs after the contents' chapters)."""
    return [warning("K405", f"an index term in the {role} is not indexed: the index points into the "
                            "text and the back matter (make the part a chapter, or drop the term)",
                    src.path, m.line) for m in marks[:1]]


UNNUMBERED = "unnumbered"  # Pandoc's and Quarto's class for a heading that takes no number
_HEADING_ATTRIBUTES = re.compile(r"(?m)^(#{1,6} .*?\{)([^{}\n]*)(\}[ \t]*)$")


def unnumbered_shorthand(text: str) -> str:
    """Pandoc's `-` among a heading's attributes (`{-}`, `{- #sec-x}`) is `.unnumbered` (attr_list left
    `{-}` in the title)."""
    if "-" not in text or "{" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        if "-" not in m[2].split():
            return m[0]
        tokens = [f".{UNNUMBERED}" if t == "-" else t for t in m[2].split()]
        return f"{m[1]}{' '.join(tokens)}{m[3]}"
    return _HEADING_ATTRIBUTES.sub(one, text)


def title_unnumbered(text: str) -> bool:
    """Whether a part's '# ' title asks for no number ({.unnumbered} or {-})."""
    first = next((line for line in unnumbered_shorthand(text).split("\n") if line.strip()), "")
    attributes = re.search(r"\{([^{}]*)\}\s*$", first)
    return bool(attributes) and f".{UNNUMBERED}" in attributes.group(1).split()


def _number_sections(root, headings: tuple[Heading, ...], ordinal: int) -> tuple[Heading, ...]:
    """'1.1 Title' in sections (h2) and subsections (h3); deeper headings stay unnumbered."""
    counters = [ordinal, 0, 0]
    numbered = []
    for el, heading in zip(_sections(root), headings, strict=True):
        if heading.level > 3 or UNNUMBERED in el.get("class", "").split():
            numbered.append(heading)
            continue
        depth = heading.level - 1
        counters[depth] += 1
        counters[depth + 1:] = [0] * (2 - depth)
        label = ".".join(str(c) for c in counters[: depth + 1])
        secno = xhtml.parse_fragment(f'<span class="secno">{label}</span>')[0]
        secno.tail = " " + (el.text or "")
        el.text = None
        el.insert(0, secno)
        numbered.append(Heading(heading.level, heading.id, f"{label} {heading.text}", label))
    return tuple(numbered)


@functools.lru_cache(maxsize=4096)  # a book names its terms again and again
def _typeset_term(part: str, lang: str) -> str:
    return smarten(part, lang)


def _marks(src: SourceFile, number: int, found: ChapterFindings, note_marks: set[str],
           lang: str) -> tuple[tuple[IndexMark, ...], list[Diagnostic]]:
    marks, diags = [], []
    cursor = 0
    for mark_id, inner, raw in found.marks:
        pos = src.text.find(raw, cursor)
        line = line_of(src.text, pos) if pos >= 0 else 1
        cursor = pos + len(raw) if pos >= 0 else cursor
        # The index prints a term with the text's typography (O’Brien, „Log”), and a see= target
        # set alike still names it.
        parsed = index.parse_term(inner, lambda part: _typeset_term(part, lang))
        if isinstance(parsed, str):
            diags.append(error("K402", f"index term {raw}: {parsed}", src.path, line))
            continue
        path, see, see_also = parsed
        marks.append(IndexMark(mark_id, path, see, see_also, number, mark_id in note_marks, src.path, line))
    for fragment in found.unclosed_terms:
        line = _find_line(src.text, fragment[:20])
        in_table = line is not None and src.text.split("\n")[line - 1].lstrip().startswith("|")
        hint = " (in a table, write the term's '|' as '\\|')" if in_table else ""
        diags.append(error("K401", f"unclosed index term near '{fragment.strip()}': close it with '))' "
                           f"or write \\(\\( for literal parentheses{hint}", src.path, line))
    return tuple(marks), diags


def _note_problems(src: SourceFile, found: ChapterFindings, duplicates: list[str]) -> list[Diagnostic]:
    diags = []
    for label, count in Counter(duplicates).items():
        starts = re.finditer(r"^ {0,3}\[\^" + re.escape(label) + r"\]:", src.text, re.M)
        lines = [line_of(src.text, m.start()) for m in starts]
        diags.append(error("K304", f"note [^{label}] is defined {count + 1} times (lines "
                           f"{', '.join(map(str, lines))}); each note needs a label of its own",
                           src.path, lines[-1] if lines else None))
    for label in dict.fromkeys(found.undefined_calls):
        match = re.search(r"\[\^" + re.escape(label) + r"\](?!:)", src.text)
        line = line_of(src.text, match.start()) if match else None
        diags.append(error("K301", f"note call [^{label}] has no definition '[^{label}]: …' in this chapter",
                           src.path, line))
    for label in found.unused_labels:
        if label.startswith(INLINE_LABEL):  # an inline note inside a note: K303 says what is wrong
            continue
        diags.append(warning("K302", f"note [^{label}] is defined but never called", src.path,
                             _definition_line(src.text, label)))
    return diags


def _definition_line(text: str, label: str) -> int:
    if label.startswith(INLINE_LABEL) and label[len(INLINE_LABEL):].isdigit():  # ^[…]: where it stands
        starts = [m.start() for m in re.finditer(r"(?<!\\)\^\[(?!\^)", text)]  # as inline_notes reads them
        n = int(label[len(INLINE_LABEL):])
        return line_of(text, starts[n - 1]) if n <= len(starts) else 1
    match = re.search(r"^ {0,3}\[\^" + re.escape(label) + r"\]:", text, re.M)
    return line_of(text, match.start()) if match else 1


def _find_line(text: str, needle: str) -> int:
    pos = text.find(needle)
    return line_of(text, pos) if pos >= 0 else 1
