"""Print pages in the EPUB, pure: invisible page-break markers placed where the print edition's pages
begin (learned from the PDF layout), and links rewritten to the file that holds their target."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping

from lxml import etree

from ..source.xhtml import EPUB_TYPE, OPS_NS

# Blocks that may not hold a <span> as their first child get the marker before them instead.
_BEFORE = frozenset({"table", "dl", "ul", "ol", "blockquote", "figure", "hr"})
# What may differ between the print and the EPUB text of the same words: the kind of space, and
# characters that only steer line breaking.
_INVISIBLE = frozenset("\u00ad\u200b\u2060\ufeff")
_SPACE = re.compile(r"\s")
# Text that does not map character for character: spaces in a row (one is kept), invisible characters.
_IRREGULAR = re.compile(r"\s\s|[\u00ad\u200b\u2060\ufeff]")
# Runs of visible characters, and of spaces; the invisible ones match neither, and so are skipped.
_RUNS = re.compile(r"([^\s\u00ad\u200b\u2060\ufeff]+)|(\s+)")


def _parse(fragment: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns:epub="{OPS_NS}">{fragment}</div>')


# Elements XHTML may write as <x/>; any other empty one is written <x></x>, which an HTML parser
# (some reading systems use one) reads as the same, where it takes <span/> for an open span.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})


def _serialise(root: etree._Element) -> str:
    for el in root.iter():
        if el.text is None and not len(el) and isinstance(el.tag, str) \
                and etree.QName(el).localname not in _VOID:
            el.text = ""
    text = etree.tostring(root, encoding="unicode", method="xml")
    return text[text.index(">") + 1: text.rindex("</div>")]


def marker(page: int | str, label_word: str) -> etree._Element:
    span = etree.Element("span", {"id": f"page-{page}", "role": "doc-pagebreak",
                                  "aria-label": f"{label_word} {page}", EPUB_TYPE: "pagebreak"})
    span.text = ""  # an empty <span></span>: XHTML readers and HTML parsers agree on it
    return span


class PageMarkers:
    """Places each page's marker once, at the first block that starts on it, in reading order."""

    def __init__(self, page_of: Mapping[str, int], label_word: str, first: int = 1,
                 folio: Callable[[int], str] = str,
                 starts: Mapping[int, tuple[str, str, int]] | None = None, footnotes: bool = False):
        self.page_of = page_of
        # notes: foot: a page that begins inside a footnote is marked in it, after the paragraph that
        # calls it (the EPUB's aside): note id -> [(folios, its first words, near which character)]
        self.footnotes = footnotes
        self.in_notes: dict[str, list[tuple[list[str], str, int]]] = {}
        # block id -> [(page, its first words, near which character)]: pages that begin inside that
        # block (pagestarts.py)
        self.inside: dict[str, list[tuple[int, str, int]]] = {}
        for page, (ident, words, near) in sorted((starts or {}).items()):
            self.inside.setdefault(ident, []).append((page, words, near))
        self.label_word = label_word
        self.folio = folio  # how the page's number is printed: "7", or "vii" in the front matter
        self.next_page = first
        self.file = ""  # the document markers are being placed in now
        self.placed: list[tuple[str, str]] = []  # (folio, file): the EPUB's page-list

    def skip_to(self, ident: str) -> None:
        """No markers for the pages before `ident`'s: the front matter's title pages and contents
        are not in the parts whose text carries the markers."""
        self.next_page = max(self.next_page, self.page_of.get(ident, self.next_page))

    def due(self, ident: str | None) -> list[str]:
        page = self.page_of.get(ident or "")
        if page is None or page < self.next_page:
            return []
        return self.due_until(page)  # a page that only continues a block: the same spot

    def place(self, fragment: str, ids: list[str] | tuple[str, ...]) -> str:
        """Insert markers into an XHTML fragment whose blocks carry the given ids (in reading order)."""
        root = _parse(fragment)
        by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
        for ident in ids:
            el = by_id.get(ident)
            if el is None:
                continue
            if el.tag == "tr":  # a row holds cells only: its marker opens its first cell
                el = el[0] if len(el) else next(el.iterancestors("table"), el)
            for page in reversed(self.due(ident)):
                if el.tag in _BEFORE or el.getparent() is None:
                    el.addprevious(marker(page, self.label_word))
                else:
                    span = marker(page, self.label_word)
                    span.tail = el.text
                    el.text = None
                    el.insert(0, span)
            self._place_inside(el, ident)
            if self.footnotes:
                self._defer_footnotes(el)
        return _serialise(root)

    def _defer_footnotes(self, el: etree._Element) -> None:
        """The pages that begin inside the footnotes this block calls, in reading order: their
        markers go into the notes (place_in_footnote), which the EPUB sets after the block."""
        for a in el.iter("a"):
            if "noteref" not in (a.get("class") or "").split():
                continue
            note = (a.get("href") or "").removeprefix("#")
            for page, words, near in self.inside.get(note, ()):
                if page >= self.next_page:
                    self.in_notes.setdefault(note, []).append((self.due_until(page), words, near))

    def place_in_footnote(self, fragment: str, note: str) -> str:
        """A footnote's text with the markers of the pages that begin inside it (at its end when
        their words are not found: the page is the note's)."""
        deferred = self.in_notes.pop(note, [])
        if not deferred:
            return fragment
        root = _parse(fragment)
        after = 0
        for folios, words, near in deferred:
            spot = _find_words(root, words, after, near)
            if spot is None:
                root.extend(marker(folio, self.label_word) for folio in folios)
                continue
            node, in_tail, offset, after = spot
            _insert(node, in_tail, offset, [marker(folio, self.label_word) for folio in folios])
        return _serialise(root)

    def place_in(self, fragment: str, ident: str) -> str:
        """The markers of the pages that begin inside the block `ident` whose content is `fragment`
        (a note, which a template wraps: its own start is marked by the template)."""
        if not any(page >= self.next_page for page, _words, _near in self.inside.get(ident, ())):
            return fragment
        root = _parse(fragment)
        self._place_inside(root, ident)
        return _serialise(root)

    def _place_inside(self, el: etree._Element, ident: str) -> None:
        """The markers of the pages that begin inside this block, before the words they begin with;
        a page whose words are not found keeps its marker at the next block (as before)."""
        after = 0
        for page, words, near in self.inside.get(ident, ()):
            if page < self.next_page:
                continue
            spot = _find_words(el, words, after, near)
            if spot is None:
                continue
            node, in_tail, offset, after = spot
            _insert(node, in_tail, offset, [marker(folio, self.label_word) for folio in self.due_until(page)])


    def close(self, fragment: str, last_page: int | None) -> str:
        """Markers for the pages up to `last_page` that no block begins on (the chapter's last pages
        finish its last paragraph), at the end of its last block: they must not go to the next file."""
        if last_page is None or last_page < self.next_page:
            return fragment
        root = _parse(fragment)
        blocks = [el for el in root if isinstance(el.tag, str)]
        if not blocks:
            return fragment
        last = blocks[-1]
        for page in self.due_until(last_page):
            span = marker(page, self.label_word)
            if last.tag in _BEFORE:
                last.addnext(span)
                last = span
            else:
                last.append(span)
        return _serialise(root)

    def due_until(self, last_page: int) -> list[str]:
        """The folios of the pages from the next one to `last_page`, now placed in this file."""
        pages = [self.folio(p) for p in range(self.next_page, last_page + 1)]
        self.next_page = last_page + 1
        self.placed += [(p, self.file) for p in pages]
        return pages


def _insert(node: etree._Element, in_tail: bool, offset: int, spans: list[etree._Element]) -> None:
    """The spans, in order, at character `offset` of the node's text (or of its tail)."""
    for span in spans:
        if in_tail:
            span.tail, node.tail = node.tail[offset:], node.tail[:offset]
            node.addnext(span)
        else:
            span.tail, node.text = node.text[offset:], node.text[:offset]
            node.insert(0, span)
        node, in_tail, offset = span, True, 0


def _find_words(el: etree._Element, words: str, after: int,
                near: int) -> tuple[etree._Element, bool, int, int] | None:
    """Where `words` (a print line's start) begin in the block's text, at or after character `after`
    of it and, of several places, the one nearest character `near` (where the print pages put it: a
    little off, as a line's end loses its space and gains a hyphen): (the node, whether in its tail,
    the offset there, the place to search on from). The words may begin inside a word the line broke
    with a hyphen: the spot is then the next word's start."""
    # The block's text with spaces collapsed and invisible characters left out, in runs: each run's
    # start there, and the node and offset it comes from (a loop over every character took most of the
    # EPUB's time in a long book).
    starts: list[int] = []
    origins: list[tuple[etree._Element, bool, int]] = []
    flat: list[str] = []
    size, after_space = 0, False
    for node, in_tail, text in _texts(el):
        if not _IRREGULAR.search(text):  # most text: one run, its spaces of every kind as " "
            skip = 1 if after_space and _SPACE.match(text) else 0
            if skip < len(text):
                starts.append(size)
                origins.append((node, in_tail, skip))
                flat.append(_SPACE.sub(" ", text[skip:]))
                size += len(text) - skip
                after_space = bool(_SPACE.match(text[-1]))
            continue
        for match in _RUNS.finditer(text):
            space = match.lastindex == 2
            if space and after_space:
                continue
            run = " " if space else match.group()
            starts.append(size)
            origins.append((node, in_tail, match.start()))
            flat.append(run)
            size += len(run)
            after_space = space
    text = "".join(flat)
    wanted = " ".join("".join(c for c in words if c not in _INVISIBLE).split())
    if not wanted:
        return None
    found = []  # every place, overlapping ones too ("a kot ma Alę. Ala ma kota, a" twice in a row)
    at = text.find(wanted, max(after, 1))  # (not the block's own start: its marker goes before it)
    while at >= 0:
        found.append(at)
        at = text.find(wanted, at + 1)
    if not found:
        return None
    at = min(found, key=lambda i: abs(i - near))
    if text[at - 1] != " ":  # the line began with the rest of a hyphenated word
        at = text.find(" ", at) + 1
        if at <= 0 or at >= len(text):
            return None
    run = bisect_right(starts, at) - 1
    node, in_tail, offset = origins[run]
    return node, in_tail, offset + at - starts[run], at + 1


def _texts(el: etree._Element) -> Iterator[tuple[etree._Element, bool, str]]:
    """The text of a block in reading order, as (node, in its tail, text)."""
    if el.text:
        yield el, False, el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child, True, child.tail


def roman(number: int) -> str:
    """A front-matter folio as the PDF's page labels print it: 1 -> "i", 14 -> "xiv"."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def retarget_links(fragment: str, file_of: Mapping[str, str], this_file: str) -> str:
    """'#note-3' becomes 'notes.xhtml#note-3' when the target lives in another document."""
    if 'href="#' not in fragment:
        return fragment
    root = _parse(fragment)
    for a in root.iter("a"):
        href = a.get("href", "")
        if href.startswith("#"):
            target = file_of.get(href[1:])
            if target and target != this_file:
                a.set("href", f"{target}{href}")
    return _serialise(root)
