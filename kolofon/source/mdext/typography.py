"""Runs kolofon.typography over every finished text node, outside code and web addresses, in reading
order."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .. import typography
from .endnotes import CODE_TAGS
from .urls import URL_CLASS

_BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt",
                     "figcaption", "caption", "div"})


class TypographyTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: TypographyExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        nodes = list(_text_in_blocks(root, root))
        before, depth, block = "", 0, None
        for i, (el, attr, its_block) in enumerate(nodes):
            text = getattr(el, attr)
            if attr == "tail" and el.tag == "br":
                # A new line: its leading line end is no space (a dash after it would be glued to
                # the line before by a no-break space, which prints as an indent), and nothing before
                # the break decides how it starts.
                text, before = text.lstrip(" \t\n"), ""
            if its_block is not block:
                # A new block: its first quote opens, whatever the last block ended with.
                before, depth, block = "", 0, its_block
            following = nodes[i + 1] if i + 1 < len(nodes) else None
            after = getattr(following[0], following[1]) if following and following[2] is block else ""
            smart = typography.smarten(text, self.ext.lang, before=before, after=after)
            smart, depth = typography.nest_quotes(smart, self.ext.lang, depth)
            setattr(el, attr, smart)
            before = text[-2:]


def _text_in_blocks(el: etree.Element, block: etree.Element) -> Iterator[tuple[etree.Element, str,
                                                                             etree.Element]]:
    """As endnotes.iter_text (code and web addresses skipped), each node with the block it is in."""
    if el.tag in CODE_TAGS or el.get("class") == URL_CLASS:
        return
    if el.tag in _BLOCKS:
        block = el
    if el.text:
        yield el, "text", block
    for child in el:
        yield from _text_in_blocks(child, block)
        if child.tail:
            yield child, "tail", block


class TypographyExtension(Extension):
    def __init__(self, **kwargs):
        self.lang = "en"
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # 7.5: after attr_list (8), so that "{#fig-a alt="x"}" is read before its quotes are curled and
        # its space after a one-letter word becomes a no-break space; before floats (7), which make
        # captions of finished text.
        md.treeprocessors.register(TypographyTreeprocessor(md, self), "kolofon-typography", 7.5)
