"""A backslash at the end of a line is a line break, as in CommonMark and pandoc ("Anna Kowalska\\"
then "Kraków"): a dedication, an address, a poem. Python-Markdown knows only two trailing spaces,
which no one sees in a manuscript, and printed the backslash."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

BACKSLASH_BREAK_RE = r"\\\n"


class BackslashBreakProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        return etree.Element("br"), m.start(0), m.end(0)


class BreaksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 76: beside Python-Markdown's own line break (two spaces, 75); code spans (190) come first, so a
        # backslash in code stays code.
        md.inlinePatterns.register(BackslashBreakProcessor(BACKSLASH_BREAK_RE, md), "kolofon-break", 76)
