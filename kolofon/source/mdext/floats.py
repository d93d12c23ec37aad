"""Numbered figures and tables, in Quarto's syntax.

A figure is an image alone in its paragraph with a label: `![Caption](images/x.png){#fig-id}`. A table
caption is a paragraph `: Caption {#tbl-id}` (or `Table: Caption {#tbl-id}`, Pandoc's spelling) right
under or right above a table. A caption without a label is set as a caption, unnumbered.

The caption of a figure is Markdown like any other text (emphasis, index terms, citations): a
preprocessor moves it out of the image's brackets onto a `: ` line of its own before the inline
patterns run, and the treeprocessor builds the `<figure>`. Each float found is published, numbered, on
the Markdown instance (`md.kolofon_floats`) for the cross-references.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .citations import CITE_CLASS
from .xrefs import LABEL

# An image alone on its line, with attributes that hold a #fig- label.
_FIGURE_LINE = re.compile(
    r"^(?P<lead>(?:[ \t]*>)*[ \t]*)"  # a block quote's marks or a list item's indent
    r"!\[(?P<caption>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?P<target>\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\))"
    r"(?P<attrs>\{[^{}\n]*#fig-[^{}\n]*\})[ \t]*$")
_CAPTION_START = re.compile(r"^(?::|Table:|Tabela:)\s+")  # \s: typography may have glued the space
_LABEL_END = re.compile(rf"\s*\{{#(?P<label>(?=tbl-|fig-){LABEL})\}}\s*$")
_TABLE_ROW = re.compile(r"^[ \t]*\|")
CAPTION_CLASS = "kolofon-caption"  # the treeprocessor's mark on a figure's moved caption


@dataclass(frozen=True)
class Float:
    kind: str  # "figure" or "table"
    label: str  # "fig-map" ("" for an unlabelled caption: set, not numbered, never listed)
    number: str  # "3", or "2.3" when numbered by chapter ("" when unnumbered)
    caption: str  # plain text less its "Rys. 3." label, for the lists of figures and tables


class FigureLines(Preprocessor):
    """`![Caption](x.png){#fig-a}` → `![](x.png){#fig-a}` + `: Caption` on the next line, only when the
    image is a paragraph of its own; and a blank line between a table and a caption right under it,
    which the tables extension would otherwise read as one more row."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for i, line in enumerate(lines):
            alone = (i == 0 or _blank(lines[i - 1])) and (i + 1 == len(lines) or _blank(lines[i + 1]))
            m = _FIGURE_LINE.match(line)
            if m and alone and _may_lead(m["lead"], lines, i):
                lead = m["lead"]  # a figure in a block quote or a list item stays in it
                out += [f"{lead}![]{m['target']}{m['attrs']}", f"{lead}: {m['caption'].strip()}"]
                continue
            if _CAPTION_START.match(line) and out and _TABLE_ROW.match(out[-1]):
                out.append("")
            out.append(line)
        return out


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]")


def _blank(line: str) -> bool:
    return not line.strip(" \t>")  # ">" alone is a blank line inside a block quote


def _may_lead(lead: str, lines: list[str], at: int) -> bool:
    """Whether what stands before the image is a container's: block-quote marks, or an indent under a
    list item. An indent anywhere else makes a code block, whose lines stay as they are."""
    indent = len(lead.rsplit(">", 1)[-1].expandtabs(4))
    if indent < 4:
        return True
    for line in reversed(lines[:at]):
        if _blank(line):
            continue
        if len(line) - len(line.lstrip()) < indent:
            return bool(_LIST_ITEM.match(line))
    return False


# A table this short is not split across pages (book.css: table.short): a page that ends with one
# row under the caption and a page that starts with the rest serve neither. Twelve rows and a header
# take about a third of an A5 page at the text size: moving them leaves at most that much space.
SHORT_TABLE_ROWS = 12
# ...and so little text: twelve rows of commentary fill pages, and kept whole they left the caption
# alone at a page's foot and whole empty pages before them.
SHORT_TABLE_CHARACTERS = 1200
LONG_ROW_CHARACTERS = 600  # about a third of an A5 page in a table's cell: a row that may not fit a page


def reading_order(root: etree.Element) -> Iterator[etree.Element]:
    """The elements in the order a reader meets them: document order, but a caption written under its
    table read before the table's rows, above which FloatsTreeprocessor moves it (the endnotes number
    their calls in this order, before the caption moves)."""
    yield root
    children = list(root)
    i = 0
    while i < len(children):
        after = children[i + 1] if i + 1 < len(children) else None
        if children[i].tag == "table" and after is not None and after.tag == "p" and \
                _CAPTION_START.match(after.text or ""):
            yield from reading_order(after)
            yield from reading_order(children[i])
            i += 2
            continue
        yield from reading_order(children[i])
        i += 1


class FloatsTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: FloatsExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        found: list[Float] = []
        parents = {child: parent for parent in root.iter() for child in parent}
        for el in list(root.iter()):  # in document order (the numbers); a snapshot: captions move
            if el.tag == "p":
                figure = self._figure(el)
                if figure is not None:
                    found.append(self._number(figure, "figure", found))
                elif _image_alone(el):  # set like a figure without a caption, not as a line of text
                    el.set("class", " ".join(filter(None, (el.get("class"), "image"))))
            elif el.tag == "table":
                caption = self._caption_beside(parents[el], el)
                if caption is not None:
                    found.append(self._number(caption, "table", found))
                rows = [*el.findall("thead/tr"), *el.findall("tbody/tr"), *el.findall("tr")]
                for row in rows:  # a row that may be taller than a page may break (book.css: tr.long)
                    if len("".join(row.itertext())) > LONG_ROW_CHARACTERS:
                        row.set("class", " ".join(filter(None, (row.get("class"), "long"))))
                if len(rows) - len(el.findall("thead/tr")) <= SHORT_TABLE_ROWS and \
                        len("".join(el.itertext())) <= SHORT_TABLE_CHARACTERS:
                    el.set("class", " ".join(filter(None, (el.get("class"), "short"))))
        self.md.kolofon_floats = found  # type: ignore[attr-defined]

    def _figure(self, p: etree.Element) -> etree.Element | None:
        """The paragraph made into a figure, if it is the preprocessor's image + caption pair."""
        if len(p) == 0 or (p.text or "").strip() or p[0].tag != "img" or \
                not (p[0].get("id") or "").startswith("fig-"):
            return None
        img = p[0]
        rest = (img.tail or "").lstrip()
        if not rest.startswith(":"):
            return None
        caption = etree.Element("figcaption")
        caption.text = rest[1:].lstrip()
        img.tail = None
        for child in list(p)[1:]:
            p.remove(child)
            caption.append(child)
        p.tag = "figure"
        p.set("id", img.attrib.pop("id"))
        p.append(caption)
        return p

    def _caption_beside(self, parent: etree.Element, table: etree.Element) -> etree.Element | None:
        """A caption paragraph right after the table (or, failing that, right before it), moved into
        the table as its <caption>."""
        children = list(parent)
        at = children.index(table)
        for p in (children[at + 1] if at + 1 < len(children) else None, children[at - 1] if at else None):
            if p is not None and p.tag == "p" and _CAPTION_START.match(p.text or ""):
                parent.remove(p)
                p.tag = "caption"
                p.text = _CAPTION_START.sub("", p.text or "", count=1)
                label = _take_label(p)
                if label:
                    table.set("id", label)
                table.set("class", "captioned")  # the PDF sets it to the full measure (book.css)
                table.insert(0, p)
                return table
        return None

    def _number(self, el: etree.Element, kind: str, found: list[Float]) -> Float:
        caption = el.find("figcaption" if kind == "figure" else "caption")
        assert caption is not None
        label = el.get("id", "")
        number = ""
        if label:
            count = self.ext.offsets[kind] + sum(1 for f in found if f.kind == kind and f.number) + 1
            number = f"{self.ext.prefix}{count}"
            mark = etree.Element("span")
            mark.set("class", f"{kind}-label")
            mark.text = self.ext.words[kind].format(number=number)
            mark.tail = " " + (caption.text or "")
            caption.text = None
            caption.insert(0, mark)
        caption.set("class", CAPTION_CLASS)
        plain = _without_label(caption)
        img = el.find("img")
        if img is not None:
            # The image's own text alternative: fig-alt= if given, else the caption's words.
            alt = img.attrib.pop("fig-alt", None)
            img.set("alt", alt if alt is not None else plain)
        return Float(kind, label, number, plain)


def _image_alone(p: etree.Element) -> bool:
    return len(p) == 1 and p[0].tag == "img" and not (p.text or "").strip() and not (p[0].tail or "").strip()


def _without_label(caption: etree.Element) -> str:
    """The caption's words for a list of figures and an image's alt: no "Rys. 3." label, no note calls
    (their numbers would read as part of the words) and no citations (still their source text here)."""
    return " ".join(_words(caption).split())


def _words(el: etree.Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if (child.get("class") or "") not in ("noteref", CITE_CLASS) and \
                not (child.get("class") or "").endswith("-label"):
            parts.append(_words(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _take_label(p: etree.Element) -> str:
    """Remove a trailing {#tbl-id} from the caption's last text; return the label."""
    last = p[-1] if len(p) else None
    text = (last.tail if last is not None else p.text) or ""
    m = _LABEL_END.search(text)
    if not m:
        return ""
    if last is not None:
        last.tail = text[: m.start()]
    else:
        p.text = text[: m.start()]
    return m["label"]


class FloatsExtension(Extension):
    """Set per chapter before convert(): `offsets` (figures and tables numbered before this chapter),
    `prefix` ("2." when numbered by chapter) and `words` (the caption labels, "Rys. {number}.")."""

    def __init__(self, **kwargs):
        self.md: Markdown | None = None
        self.offsets = {"figure": 0, "table": 0}
        self.prefix = ""
        self.words = {"figure": "Figure {number}.", "table": "Table {number}."}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        md.registerExtension(self)
        # 29: after normalize_whitespace (30), before html_block (20) and anything that reads blocks.
        md.preprocessors.register(FigureLines(md), "kolofon-figures", 29)
        # 7: after attr_list (8), which gives the image its #fig- id; the inline patterns (20) have made
        # the caption's Markdown into elements by then.
        md.treeprocessors.register(FloatsTreeprocessor(md, self), "kolofon-floats", 7)
        self.reset()

    def reset(self) -> None:
        # convert() of a blank text runs no treeprocessor, so only reset() makes the list empty.
        if self.md is not None:
            self.md.kolofon_floats = []  # type: ignore[attr-defined]
