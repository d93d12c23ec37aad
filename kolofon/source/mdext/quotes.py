"""Block quotations as CommonMark and Pandoc read them: a blank line between two `>` blocks makes two
quotations. Python-Markdown joins them into one (a second quotation ran on as a paragraph of the
first, after its attribution); a `>` line of its own still joins paragraphs of one quotation."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension


class SeparateQuoteProcessor(BlockQuoteProcessor):
    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        m = self.RE.search(block)
        if m:
            self.parser.parseBlocks(parent, [block[:m.start()]])  # the lines before the quotation
            block = "\n".join(self.clean(line) for line in block[m.start():].split("\n"))
        quote = etree.SubElement(parent, "blockquote")  # never the previous block's quotation
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


class QuotesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 20: the place of Python-Markdown's own "quote" processor, which this one replaces.
        md.parser.blockprocessors.register(SeparateQuoteProcessor(md.parser), "quote", 20)
