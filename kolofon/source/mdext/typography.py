"""Runs kolofon.typography over every finished text node, outside code and web addresses, in reading
order."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .. import typography
from .endnotes import iter_text
from .urls import URL_CLASS

_BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt",
                     "figcaption", "caption", "div"})


class TypographyTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: TypographyExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        before = ""
        for el, attr in iter_text(root, skip_class=URL_CLASS):
            text = getattr(el, attr)
            if attr == "text" and el.tag in _BLOCKS:
                before = ""  # a new block: its first quote opens, whatever the last block ended with
            setattr(el, attr, typography.smarten(text, self.ext.lang, before=before))
            before = text[-2:]


class TypographyExtension(Extension):
    def __init__(self, **kwargs):
        self.lang = "en"
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # 7.5: after attr_list (8), so that "{#fig-a alt="x"}" is read before its quotes are curled and
        # its space after a one-letter word becomes a no-break space; before floats (7), which make
        # captions of finished text.
        md.treeprocessors.register(TypographyTreeprocessor(md, self), "kolofon-typography", 7.5)
