"""Endnotes and index marks, numbered in reading order across the book.

Python-Markdown's footnotes extension parses `[^label]` calls and definitions (with indented
continuation paragraphs); this tree processor turns its output into book endnotes: numbers continue
from the previous chapters (`note_offset`), calls become doc-noteref links, the definitions move to an
`ol.kolofon-notes` that the converter lifts out of the chapter, and index marks get ids in reading
order. What it finds is published on the Markdown instance (`md.kolofon`), as toc publishes toc_tokens.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER, FootnoteExtension
from markdown.treeprocessors import Treeprocessor

from .citations import AUTHOR_CLASS, CITE_CLASS
from .floats import reading_order
from .index_terms import MARK_CLASS

CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
LEFTOVER_CALL_RE = re.compile(r"\[\^([^\]\s]+)\]")
UNCLOSED_TERM_RE = re.compile(r"\(\(")


@dataclass
class ChapterFindings:
    """What one chapter's conversion found, in reading order."""

    notes: list[tuple[int, str]] = field(default_factory=list)  # (number, label)
    unused_labels: list[str] = field(default_factory=list)
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # (id, inner text, raw source)
    undefined_calls: list[str] = field(default_factory=list)
    unclosed_terms: list[str] = field(default_factory=list)


def iter_text(root: etree.Element, skip: frozenset[str] = CODE_TAGS, skip_class: str | None = None):
    """Yield (element, attribute name) for every text and tail in reading order, outside code (and
    outside elements of class `skip_class`)."""
    def walk(el: etree.Element):
        if el.tag in skip or (skip_class is not None and el.get("class") == skip_class):
            return
        if el.text:
            yield el, "text"
        for child in el:
            yield from walk(child)
            if child.tail:
                yield child, "tail"
    yield from walk(root)


class EndnoteTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: EndnotesExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        found = ChapterFindings()
        definitions = self._take_definitions(root)
        if self.ext.citations_as_notes:
            citations = self.md.kolofon_citations  # type: ignore[attr-defined]
            definitions.update(self._citations_to_notes(root, citations, self.ext.punctuation_first))
        numbers: dict[str, int] = {}
        parents = {child: parent for parent in root.iter() for child in parent}
        for sup in [el for el in reading_order(root)
                    if el.tag == "sup" and el.find("a[@class='footnote-ref']") is not None]:
            label = sup.find("a").get("href", "").removeprefix("#fn:")  # type: ignore[union-attr]
            first = label not in numbers
            if first:
                numbers[label] = self.ext.note_offset + len(numbers) + 1
                found.notes.append((numbers[label], label))
            n = numbers[label]
            call = etree.Element("a")
            call.set("class", "noteref")
            call.set("role", "doc-noteref")
            call.set("href", f"#note-{self.ext.ident(n)}")
            call.text = str(n)
            call.tail = sup.tail
            parent = parents[sup]
            parent[list(parent).index(sup)] = call
        # A note called twice keeps one number; its calls get distinct ids, the first one plain.
        seen: dict[int, int] = {}
        for call in root.iter("a"):
            if call.get("class") == "noteref":
                n = int(call.text or 0)
                seen[n] = seen.get(n, 0) + 1
                ident = self.ext.ident(n)
                call.set("id", f"noteref-{ident}" if seen[n] == 1 else f"noteref-{ident}-{seen[n]}")
        _separate_calls(root)
        notes = etree.SubElement(root, "ol")
        notes.set("class", "kolofon-notes")
        for label, li in definitions.items():
            if label not in numbers:
                found.unused_labels.append(label)
                continue
            li.set("id", f"note-{self.ext.ident(numbers[label])}")
            li.set("data-number", str(numbers[label]))
            li.set("data-label", label)
        for _n, label in found.notes:
            notes.append(definitions[label])
        for i, mark in enumerate(el for el in reading_order(root)
                                 if el.tag == "span" and el.get("class") == MARK_CLASS):
            mark_id = f"ix-{self.ext.chapter}-{i + 1}"
            found.marks.append((mark_id, mark.attrib.pop("data-ix"), mark.attrib.pop("data-ixraw")))
            mark.set("id", mark_id)
        for el, attr in iter_text(root):
            text = getattr(el, attr)
            found.undefined_calls += LEFTOVER_CALL_RE.findall(text)
            if UNCLOSED_TERM_RE.search(text):
                found.unclosed_terms.append(text[text.index("((") : text.index("((") + 40])
        self.md.kolofon = found  # type: ignore[attr-defined]

    @staticmethod
    def _citations_to_notes(root: etree.Element, citations: list,
                            punctuation_first: bool = False) -> dict[str, etree.Element]:
        """In a notes style (Chicago notes) a citation in the running text becomes a note of its own,
        numbered with the author's notes: its place gets a call, the citation moves into the note. A
        citation already inside an author's note stays there (the footnote div was lifted before)."""
        parents = {child: parent for parent in root.iter() for child in parent}
        definitions: dict[str, etree.Element] = {}
        for span in [el for el in root.iter("span") if el.get("class") == CITE_CLASS]:
            label = f"kolofon-{span.get('id', 'cite')}"
            parent = parents[span]
            number = span.get("data-cite", "1")
            if not citations[int(number) - 1].narrative:
                _call_after_word(parent, span, punctuation_first)
            else:
                # "as @lem2020 writes": the author's name stays in the text (kolofon.source.cite fills it
                # in), the reference goes to the note, as Pandoc does.
                author = etree.Element("span", {"class": AUTHOR_CLASS, "data-cite": number})
                parent.insert(list(parent).index(span), author)
            sup = etree.Element("sup")
            ref = etree.SubElement(sup, "a", {"class": "footnote-ref", "href": f"#fn:{label}"})
            ref.text = label
            sup.tail = span.tail
            parent[list(parent).index(span)] = sup
            li = etree.Element("li")
            p = etree.SubElement(li, "p")
            span.tail = None
            p.append(span)
            definitions[label] = li
        return definitions

    @staticmethod
    def _take_definitions(root: etree.Element) -> dict[str, etree.Element]:
        """Lift the footnote div out of the tree; return its items by label, back-links removed."""
        result: dict[str, etree.Element] = {}
        for div in [d for d in root.iter("div") if d.get("class") == "footnote"]:
            # Only the div's own items are notes: a list inside a note has items too.
            for li in div.findall("ol/li"):
                label = li.get("id", "").removeprefix("fn:")
                for p in li.iter("p"):
                    for a in [a for a in p if a.get("class") == "footnote-backref"]:
                        p.remove(a)
                    # Added to the paragraph's text before the inline patterns ran: an element made
                    # from that text (a web address) may have left it in a tail.
                    for el in p.iter():
                        if el.text:
                            el.text = el.text.replace(NBSP_PLACEHOLDER, "")
                        if el is not p and el.tail:
                            el.tail = el.tail.replace(NBSP_PLACEHOLDER, "")
                li.attrib.clear()
                result[label] = li
            root.remove(div)
        return result


def _separate_calls(root: etree.Element) -> None:
    """Two calls side by side ("text.[^a][^b]") read as one number, "¹²" for 12: a raised comma goes
    between them (Chicago advises one call at a place; where there are more, they stand apart)."""
    for parent in list(root.iter()):
        children = list(parent)
        for call, following in itertools.pairwise(children):
            if call.get("class") == following.get("class") == "noteref" and not call.tail:
                separator = etree.Element("span", {"class": "noteref-sep"})
                separator.text = ","
                parent.insert(list(parent).index(following), separator)


class DefinitionsExtension(FootnoteExtension):
    """Python-Markdown's footnotes, remembering a label defined twice: its later definition silently
    replaces the earlier one, and the earlier note's text would vanish from the book."""

    def reset(self) -> None:
        super().reset()
        self.duplicates: list[str] = []

    def setFootnote(self, id: str, text: str) -> None:  # Python-Markdown's names
        if id in self.footnotes:
            self.duplicates.append(id)
        super().setFootnote(id, text)


class EndnotesExtension(Extension):
    def __init__(self, **kwargs):
        self.chapter = 1
        self.note_offset = 0
        self.by_chapter = False  # numbers start again in each chapter (note_numbering: chapter)
        self.citations_as_notes = False  # a notes citation style: each citation in the text is a note
        self.punctuation_first = False  # such a note's call after the punctuation that follows (English)
        super().__init__(**kwargs)

    def ident(self, number: int) -> str:
        """What a note's ids are made of: its number, or chapter.number when numbers repeat."""
        return f"{self.chapter}.{number}" if self.by_chapter else str(number)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(EndnoteTreeprocessor(md, self), "kolofon-endnotes", 14)


_PUNCTUATION = ".,;:!?"


def _call_after_word(parent: etree.Element, span: etree.Element, punctuation_first: bool) -> None:
    """A citation that becomes a note: its call stands right after the word before it ("miasta¹", not
    "miasta ¹"), and in English after the punctuation that follows ("city.¹", Chicago 14.26); Polish
    sets the call before it ("miasta¹.")."""
    at = list(parent).index(span)
    if at:
        parent[at - 1].tail = (parent[at - 1].tail or "").rstrip()
    else:
        parent.text = (parent.text or "").rstrip()
    tail = span.tail or ""
    before = parent[at - 1].tail if at else parent.text
    if tail[:1] == "." and (before or "").endswith("."):
        # "Smith et al. [@x]." ends its sentence with the abbreviation's full stop: "al.¹", not "al..¹"
        # (English) or "in.¹." (Polish).
        span.tail = tail[1:]
    elif punctuation_first and tail[:1] and tail[:1] in _PUNCTUATION:
        mark = tail[0]
        if at:
            parent[at - 1].tail = (parent[at - 1].tail or "") + mark
        else:
            parent.text = (parent.text or "") + mark
        span.tail = tail[1:]
