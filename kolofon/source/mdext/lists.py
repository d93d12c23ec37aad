"""Lists as authors write them today (CommonMark, pandoc): a sub-item indented by two or three spaces
is nested, a numbered list right after a bulleted one is a list of its own, and a list that goes on
after a paragraph keeps its numbers. Python-Markdown nests only at four spaces (a two-space sub-item
was printed as an item of its parent's list), joins a numbered list to a bulleted one before it (its
items came out as more bullets), and renumbers every list from 1.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

_ITEM = re.compile(r"^(?P<indent> *)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_FENCE = re.compile(r"^ *(```|~~~)")


class NestedListIndent(Preprocessor):
    """Rewrites the indent of list-item lines nested by two or three spaces to Python-Markdown's four
    per level. Item lines only (their continuation lines are left alone), and only where the source
    does not already nest by four, so a list written for Python-Markdown is read as before."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        levels: list[int] = []  # the source indent of each open level's markers
        fenced = False
        for line in lines:
            if _FENCE.match(line):
                fenced = not fenced
            item = None if fenced else _ITEM.match(line)
            if item is None:
                if line.strip() and not line.startswith(" "):
                    levels = []  # text at the margin: any list is over (or lazily continued)
                out.append(line)
                continue
            indent = len(item.group("indent"))
            if not levels and indent >= 4:  # an indented code block, not a list
                out.append(line)
                continue
            while levels and indent < levels[-1]:
                levels.pop()
            if not levels or indent >= levels[-1] + 2:
                levels.append(indent)
            elif indent > levels[-1]:
                indent = levels[-1]  # one space more than its sibling: the same level
            depth = len(levels) - 1
            out.append(line if indent == 4 * depth else " " * (4 * depth) + line.lstrip(" "))
        return out


class ListsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 25: after the normalisation of whitespace (30) and before raw HTML is stashed (20), which
        # keeps its own indentation.
        md.preprocessors.register(NestedListIndent(md), "kolofon-lists", 25)
        olist, ulist = md.parser.blockprocessors["olist"], md.parser.blockprocessors["ulist"]
        olist.LAZY_OL = False  # "3." after a paragraph starts at 3 (<ol start="3">)
        # Each kind of list continues only itself (Python-Markdown's sane_lists does this too).
        olist.SIBLING_TAGS = ["ol"]
        ulist.SIBLING_TAGS = ["ul"]
