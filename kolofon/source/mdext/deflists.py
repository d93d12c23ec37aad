"""Definition lists (`Term` / `:   Definition`, Pandoc's and PHP Markdown Extra's), except where a `: `
line is a caption: under or above a table, or a figure's moved there by floats.py. Python-Markdown's
own def_list made those captions definitions: the figure and the table lost their labels (K952)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.def_list import DefListIndentProcessor, DefListProcessor


class DefinitionListProcessor(DefListProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        match = self.RE.search(block)
        if match is None:
            return False
        terms = [line.strip() for line in block[:match.start()].split("\n") if line.strip()]
        if any(term.startswith("![") for term in terms):
            return False  # a figure and its caption (floats.FigureLines)
        sibling = self.lastChild(parent)
        if not terms and sibling is not None and sibling.tag == "table":
            return False  # a table's caption under it
        return not (block.lstrip().startswith(":") and block.rstrip().endswith("}") and "{#tbl-" in block)

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        match = self.RE.search(blocks[0])
        if match and not blocks[0][:match.start()].strip() and len(blocks) > 1 \
                and blocks[1].lstrip().startswith("|"):
            return False  # a table's caption above it
        return super().run(parent, blocks)


class DefinitionListExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # The priorities of Python-Markdown's def_list: the indented definition (85) before lists and code,
        # the list itself (25) before the paragraph (10).
        md.parser.blockprocessors.register(DefListIndentProcessor(md.parser), "defindent", 85)
        md.parser.blockprocessors.register(DefinitionListProcessor(md.parser), "deflist", 25)
