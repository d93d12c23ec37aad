"""Index terms in running text: ((shown)), ((lemma|shown)), (((hidden))).

The inline pattern only marks the place; the term's grammar (subentries, see=, see-also=) is parsed
by kolofon.index so that the Markdown layer stays a thin syntax layer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from ..index import shown_text

# A term may hold parentheses in pairs, a qualifier as indexes write them ("Wilson (keeper)"), but no
# newline: "(a) (b)" and "((a) b)" are ordinary text.
_INNER = r"[^()\n]*(?:\([^()\n]*\)[^()\n]*)*"
INDEX_RE = rf"\(\(\((?P<hidden>{_INNER})\)\)\)|\(\((?P<shown>{_INNER})\)\)"
MARK_CLASS = "ix"
_CLOSING = frozenset(",.;:!?…)]»”’")


class IndexTermProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        el = etree.Element("span")
        el.set("class", MARK_CLASS)
        hidden = m.group("hidden")
        inner = hidden if hidden is not None else m.group("shown")
        # In a table cell the bar must be escaped, and this pattern runs before the escapes are undone.
        inner = inner.replace("\\|", "|")
        el.set("data-ix", inner)
        el.set("data-ixraw", m.group(0))
        if hidden is None:
            # Without "|", the text shows the term as written, less any cross-reference parts and
            # with "\," (a comma inside a term) as a plain comma.
            el.text = shown_text(inner)
            return el, m.start(0), m.end(0)
        # A hidden term between a word and its punctuation ("Baku (((Sumgait))), where") takes the
        # space before it along: the text reads "Baku, where", not "Baku , where".
        space = len(data[:m.start(0)]) - len(data[:m.start(0)].rstrip(" \t\n"))
        if space and data[m.end(0):m.end(0) + 1] in _CLOSING:
            return el, m.start(0) - space, m.end(0)
        return el, m.start(0), m.end(0)


class IndexTermsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(IndexTermProcessor(INDEX_RE, md), "kolofon-index", 185)
