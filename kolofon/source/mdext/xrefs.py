"""Cross-references in Quarto's syntax: @sec-id, @fig-id, @tbl-id ("rozdział 2", "rys. 3", "tab. 1"),
[-@fig-id] for the number alone, and kolofon's page form @page:fig-id ("s. 14", the printed page).

The inline patterns only mark the place with an a.kolofon-xref whose text is the source as written; the
labels of the whole book are known only after every chapter is converted, so a later stage
(source/crossref.py) writes the words. What is found is published on the Markdown instance
(`md.kolofon_xrefs`), in the order of the source.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

XREF_CLASS = "kolofon-xref"
# Pandoc's rule for a key: inner punctuation (".", ":", "-") counts when a letter or digit follows, so
# "@fig-mapa.2" is one label and the full stop in "see @fig-mapa." is the sentence's.
LABEL = r"(?:sec|fig|tbl|eq)-\w(?:\w|[-.:](?=\w))*"
# Not after a letter, digit or URL character: "ala@fig-x.pl" and "https://x.org/@fig-a" stay text.
_NOT_AFTER = r"(?<![\w/:.@=?&#%+~\\-])"
BRACKETED_RE = rf"\[-@(?P<page>page:)?(?P<label>{LABEL})\](?![(\[])"
BARE_RE = rf"{_NOT_AFTER}@(?P<page>page:)?(?P<label>{LABEL})"
# Quarto's other two forms: "@Fig-mapa" (the label word with a capital, wherever it stands) and
# "[Rycina @fig-mapa]" (the author's own word before the number).
CAPITAL_RE = rf"{_NOT_AFTER}@(?P<label>(?:Sec|Fig|Tbl|Eq)-\w(?:\w|[-.:](?=\w))*)"
PREFIXED_RE = rf"\[(?P<prefix>[^\[\]@\n]*[^\[\]@\s-])\s+@(?P<label>{LABEL})\](?![(\[])"


@dataclass(frozen=True)
class Xref:
    label: str  # "fig-map"
    form: str  # "label" (rys. 3), "number" (3) or "page" (s. 14; "number" + page: 14 alone)
    raw: str  # the source text, for file:line


class _XrefProcessor(InlineProcessor):
    ANCESTOR_EXCLUDES = ("a",)  # a link's text is the reader's own words

    def __init__(self, pattern: str, md: Markdown, ext: XrefsExtension, bare_number: bool):
        super().__init__(pattern, md)
        self.ext = ext
        self.bare_number = bare_number

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        groups = m.groupdict()
        page = groups.get("page") is not None
        label = m["label"][0].lower() + m["label"][1:]
        if "prefix" in groups:
            form = "prefixed"
        elif label != m["label"]:
            form = "capital"
        elif self.bare_number:
            form = "page-number" if page else "number"
        else:
            form = "page" if page else "label"
        el = etree.Element("a")
        el.set("class", XREF_CLASS)
        el.set("data-form", form)
        el.set("href", f"#{label}")
        el.text = util.AtomicString(m[0])
        self.ext.found.append(Xref(label, form, m[0]))
        return el, m.start(0), m.end(0)


class XrefsExtension(Extension):
    """md.kolofon_xrefs: list[Xref] after each convert (reset per convert)."""

    def __init__(self, **kwargs):
        self.found: list[Xref] = []
        self.md: Markdown | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        md.registerExtension(self)
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # "\@fig-a" and "\@key" print "@fig-a", as in Pandoc
        self.reset()
        # 173: before bracketed citations (172), which would refuse the bracket and leave it to the
        # link patterns; after code spans (190) and escapes (180), so "`@fig-a`" and "\@fig-a" stay text.
        md.inlinePatterns.register(_XrefProcessor(BRACKETED_RE, md, self, True), "kolofon-xref-number", 173)
        # 56: beside narrative citations (55), which leave these prefixes alone; after autolink and
        # automail, so an address is never read as a reference.
        md.inlinePatterns.register(_XrefProcessor(BARE_RE, md, self, False), "kolofon-xref", 56)
        md.inlinePatterns.register(_XrefProcessor(CAPITAL_RE, md, self, False), "kolofon-xref-capital", 57)
        # 174: before the number form (173) and the bracketed citations (172), which would take the
        # brackets for a citation's and the label for a key.
        md.inlinePatterns.register(_XrefProcessor(PREFIXED_RE, md, self, False), "kolofon-xref-prefixed", 174)

    def reset(self) -> None:
        self.found = []
        if self.md is not None:
            self.md.kolofon_xrefs = self.found  # type: ignore[attr-defined]
