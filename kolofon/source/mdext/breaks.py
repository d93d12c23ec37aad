"""A backslash at the end of a line is a line break, as in CommonMark and pandoc ("Anna Kowalska\\"
then "Kraków"): a dedication, an address, a poem. Python-Markdown knows only two trailing spaces,
which no one sees in a manuscript, and printed the backslash.

A paragraph broken into lines is a stanza, an address or a motto, not prose: it gets class "lines"
(set flush left, unhyphenated, a blank line around it, so that stanzas stand apart).

A line of #s alone ("###"), as manuscripts mark a scene break, is one (a rule, set as * * *): to
Markdown it was an empty heading, an empty link in the EPUB's contents (EPUBCheck RSC-005)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

BACKSLASH_BREAK_RE = r"\\\n"
LINES_CLASS = "lines"


class BackslashBreakProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        return etree.Element("br"), m.start(0), m.end(0)


_HASHES = re.compile(r"^#{2,6}[ \t]*$")


class SceneBreakPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return ["* * *" if _HASHES.match(line) else line for line in lines]


class LinesTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for p in root.iter("p"):
            if p.find("br") is not None:
                p.set("class", " ".join(filter(None, (p.get("class"), LINES_CLASS))))


class BreaksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 76: beside Python-Markdown's own line break (two spaces, 75); code spans (190) come first, so a
        # backslash in code stays code.
        md.inlinePatterns.register(BackslashBreakProcessor(BACKSLASH_BREAK_RE, md), "kolofon-break", 76)
        # 19: right after the inline patterns (20) made the <br>s.
        md.treeprocessors.register(LinesTreeprocessor(md), "kolofon-lines", 19)
        # 24.8: after fenced code is stashed (25), so that a "###" in code stays code.
        md.preprocessors.register(SceneBreakPreprocessor(md), "kolofon-scene-breaks", 24.8)
