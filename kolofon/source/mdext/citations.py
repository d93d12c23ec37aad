"""Pandoc citations: [see @key, p. 12; -@other], and @key [p. 33] in running text.

The inline patterns only mark the place with a span.kolofon-cite whose text is the source as written, so a
build that does not render citations still reads; a later stage renders them with a CSL processor. What
is found is published on the Markdown instance (`md.kolofon_citations`), numbered in reading order.

Locators follow Pandoc's citeproc roughly: after the key and an optional comma comes a label (see
LABELS; none means page, and then the value must start with a digit) and a value made of words that
contain a digit, joined by spaces or commas; a Roman numeral counts as such a word only first after a
label or after a comma ("pp. iv, vi–xi"), so that Polish "i" after a space stays text. The value ends
at the first other word: "3–5, 7, and elsewhere" is locator "3–5, 7" + suffix ", and elsewhere", and
"33 and passim" is "33" + " and passim". The suffix is kept verbatim (leading comma or space included,
runs of white space squeezed) because the CSL stage prints it right after the locator.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .index_terms import MARK_CLASS

CITE_CLASS = "kolofon-cite"
AUTHOR_CLASS = "kolofon-cite-author"  # a narrative citation's author in the text, when a notes style
                                      # moves the reference itself into a note (mdext/endnotes.py)

LABELS = {
    "page": ("s", "ss", "str", "p", "pp", "page", "pages"),
    "chapter": ("rozdz", "rozdział", "chap", "ch", "chapter"),
    "section": ("§", "§§", "sec", "section", "par"),
    "volume": ("t", "vol", "volume"),
    "note": ("przyp", "n", "note"),
    "line": ("w", "l", "line"),
    "figure": ("rys", "fig"),
    "column": ("kol", "col"),
    "folio": ("k", "f", "fol"),
}
_LABEL_OF = {word: csl for csl, words in LABELS.items() for word in words}
# Longest first, so that "ss." is not read as "s" + ".s"; without its dot a label needs a space or digit.
_LABEL = "|".join(re.escape(w) for w in sorted(_LABEL_OF, key=len, reverse=True))
_NUMBERED = r"[^\s,;]*\d[^\s,;]*"
_ROMAN_1 = r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_ROMAN = rf"{_ROMAN_1}(?:[-–]{_ROMAN_1})?(?![^\s,;])"
_MORE = rf"(?:,?\s*{_NUMBERED}|,\s*{_ROMAN})*"
_LOCATOR_RE = re.compile(
    rf"\s*,?\s*(?:(?P<label>{_LABEL})(?:\.|(?=[\s\d]))\s*(?P<value>(?:{_NUMBERED}|{_ROMAN}){_MORE})"
    rf"|(?P<bare>\d[^\s,;]*{_MORE}))",
    re.IGNORECASE,
)

# Pandoc's key: internal punctuation only when a letter or digit follows, so "@doe99." ends at "9".
_KEY = r"\{[^{}\n]+\}|\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*"
# Pandoc only asks that no letter come before "@" (e-mail); the URL characters keep
# https://x.org/@user and ?u=@user text too.
_NOT_AFTER = r"(?<![\w/:.@=?&#%+~\\-])"
XREF_PREFIXES = ("sec-", "fig-", "tbl-", "eq-", "page:")  # cross-references: mdext/xrefs.py
_ITEM_RE = re.compile(rf"(?P<prefix>.*?){_NOT_AFTER}(?P<suppress>-)?@(?P<key>{_KEY})(?P<rest>.*)", re.S)
_ITEM_SPLIT_RE = re.compile(r";(?![^{}]*\})")  # a ";" inside a braced key does not end the item
# A bracket followed by "(" or "[" is a link or a reference; "@" is what makes it a citation at all.
BRACKETED_RE = r"\[(?P<inner>[^\[\]]*@[^\[\]]*)\](?![(\[])"
NARRATIVE_RE = (rf"{_NOT_AFTER}@(?!{'|'.join(XREF_PREFIXES)})(?P<key>{_KEY})"
                r"(?:[ \t]?\[(?P<after>[^\[\]@]*)\](?![(\[]))?")
_ESCAPED_RE = re.compile(f"{util.STX}(\\d+){util.ETX}")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str = ""
    locator: str = ""  # "12", "3–5"
    label: str = ""  # CSL locator type: "page", "chapter", ... ("" when no locator)
    suffix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Citation:
    items: tuple[CiteItem, ...]
    narrative: bool  # @key in running text (author in the text), else bracketed
    raw: str  # the source text matched, for file:line diagnostics
    id: str  # "cite-<n>", in reading order within the chapter, set by the processor


def _squash(text: str) -> str:
    return _SPACES_RE.sub(" ", text)


def _unbrace(key: str) -> str:
    return key[1:-1] if key.startswith("{") else key


def _locate(rest: str) -> tuple[str, str, str]:
    """What follows a key, as (locator, CSL label, suffix); see the module docstring for the rule."""
    m = _LOCATOR_RE.match(rest)
    if m is None:
        return "", "", _squash(rest).rstrip()
    label = _LABEL_OF[m["label"].lower()] if m["label"] else "page"
    # "12--15" is a range typed as the text's typography types one; the CSL stage makes an en dash of
    # each hyphen in a range, so it printed "12––15" (QA sweep): one hyphen, as in "12-15".
    value = re.sub(r"-{2,}", "-", _squash(m["value"] or m["bare"]))
    return value, label, _squash(rest[m.end():]).rstrip()


def parse_citation(inner: str) -> tuple[CiteItem, ...] | None:
    """The items of a bracketed citation's inside ("zob. @a, s. 3–5; @b"), or None if it is not one."""
    items = []
    for part in _ITEM_SPLIT_RE.split(inner):
        m = _ITEM_RE.fullmatch(part)
        # One item that is not a citation (or is a cross-reference) makes the whole bracket text.
        if m is None or m["key"].startswith(XREF_PREFIXES):
            return None
        locator, label, suffix = _locate(m["rest"])
        items.append(CiteItem(_unbrace(m["key"]), _squash(m["prefix"]).strip(), locator, label, suffix,
                              m["suppress"] is not None))
    return tuple(items)


class _CitationProcessor(InlineProcessor):
    # Not inside link text (the link is the reader's target) nor inside an index term's shown text.
    ANCESTOR_EXCLUDES = ("a", "span")

    def __init__(self, pattern: str, md: Markdown, ext: CitationsExtension):
        super().__init__(pattern, md)
        self.ext = ext

    def plain(self, text: str) -> str:
        """Text with the placeholders of earlier patterns (code spans, escapes) put back as text."""
        return _ESCAPED_RE.sub(lambda m: chr(int(m[1])), self.unescape(text))

    def mark(self, m: re.Match[str], items: tuple[CiteItem, ...], narrative: bool):
        el = etree.Element("span")
        el.set("class", CITE_CLASS)
        raw = self.plain(m[0])
        el.text = util.AtomicString(raw)  # the placeholder is the source; nothing inside is Markdown
        el.extend(self.index_marks(m[0]))
        self.ext.pending[el] = (items, narrative, raw)
        return el, m.start(0), m.end(0)

    def index_marks(self, text: str) -> list[etree.Element]:
        """Index terms in a prefix or suffix ("[see ((archives)) in @key]"): their words go to the CSL
        processor as plain text, so each term keeps its place as an empty mark inside the citation,
        which travels with it into a note and is kept when the citation is rendered (source/cite.py)."""
        stash = self.md.treeprocessors["inline"].stashed_nodes  # type: ignore[attr-defined]
        marks = []
        for m in util.INLINE_PLACEHOLDER_RE.finditer(text):
            node = stash.get(m[1])
            if isinstance(node, etree.Element) and node.get("class") == MARK_CLASS:
                marks.append(etree.Element("span", {k: v for k, v in node.attrib.items()}))
        return marks

    def clean(self, item: CiteItem) -> CiteItem:
        return CiteItem(item.key, self.plain(item.prefix), self.plain(item.locator), item.label,
                        self.plain(item.suffix), item.suppress_author)


class BracketedCitationProcessor(_CitationProcessor):
    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        # Parsed with the placeholders still in, so "@" inside a code span is never a key.
        items = parse_citation(m["inner"])
        if items is None:
            return None, None, None
        return self.mark(m, tuple(self.clean(item) for item in items), narrative=False)


class NarrativeCitationProcessor(_CitationProcessor):
    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        locator, label, suffix = _locate(m["after"] or "")
        item = CiteItem(_unbrace(m["key"]), locator=locator, label=label, suffix=suffix.strip())
        return self.mark(m, (self.clean(item),), narrative=True)


def _reading_order(root: etree.Element) -> Iterator[etree.Element]:
    """The cite spans in reading order; a footnote's citations count where the note is first called."""
    notes = {li.get("id", ""): li for div in root.iter("div") if div.get("class") == "footnote"
             for li in div.findall("ol/li")}
    visited: set[str] = set()

    def walk(el: etree.Element) -> Iterator[etree.Element]:
        for child in el:
            if child.tag == "span" and child.get("class") == CITE_CLASS:
                yield child
            elif not (child.tag == "div" and child.get("class") == "footnote"):
                yield from walk(child)
                note_id = child.get("href", "").removeprefix("#")
                if child.get("class") == "footnote-ref" and note_id in notes and note_id not in visited:
                    visited.add(note_id)
                    yield from walk(notes[note_id])

    yield from walk(root)
    for note_id, li in notes.items():  # notes never called still count, after the text
        if note_id not in visited:
            yield from walk(li)


class CitationTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: CitationsExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        found: list[Citation] = []
        for el in _reading_order(root):
            items, narrative, raw = self.ext.pending[el]
            n = len(found) + 1
            found.append(Citation(items, narrative, raw, f"cite-{n}"))
            el.set("id", f"cite-{n}")
            el.set("data-cite", str(n))
        self.ext.pending.clear()
        self.md.kolofon_citations = found  # type: ignore[attr-defined]


class CitationsExtension(Extension):
    """md.kolofon_citations: list[Citation] after each convert (reset per convert)."""

    def __init__(self, **kwargs):
        self.md: Markdown | None = None
        self.pending: dict[etree.Element, tuple[tuple[CiteItem, ...], bool, str]] = {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        md.registerExtension(self)
        self.reset()
        # 172: after code spans (190), index terms (185), escapes (180) and footnote calls (175), so
        # "`[@a]`", "\[@a]" and "[^1]" are never read as citations; before reference (170) and link
        # (160), which would otherwise take "[@a]" as a reference name or link text.
        md.inlinePatterns.register(BracketedCitationProcessor(BRACKETED_RE, md, self), "kolofon-cite", 172)
        # 55: after autolink (120) and automail (110) have made "<...>" atomic, and after emphasis (60)
        # so that "*@doe*" is seen as its own text; "[see @x](url)" is a link by then and is excluded.
        md.inlinePatterns.register(NarrativeCitationProcessor(NARRATIVE_RE, md, self),
                                   "kolofon-cite-narrative", 55)
        # 17: after inline (20) and footnote reordering (19), before endnotes (14) move the notes away.
        md.treeprocessors.register(CitationTreeprocessor(md, self), "kolofon-citations", 17)

    def reset(self) -> None:
        # convert() of a blank text runs no processor, so only reset() makes that list empty.
        self.pending.clear()
        if self.md is not None:
            self.md.kolofon_citations = []  # type: ignore[attr-defined]
