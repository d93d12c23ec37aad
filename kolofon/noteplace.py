"""Notes set where the book wants them (notes: foot | chapter): footnotes spliced in at their calls for
the PDF (WeasyPrint floats them to the foot of the page), and after the block that calls them for the
EPUB, where reading systems show `epub:type="footnote"` asides as pop-ups.

Pure string functions over the XHTML fragments the converter made; the templates make the notes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
VOID = frozenset({"br", "hr", "img", "wbr", "col", "area", "source", "track", "input", "meta", "link"})
_CALL_RE = re.compile(r'<a class="noteref"[^>]*?href="#(note-[^"]+)"[^>]*>[^<]*</a>')
# A footnote is an inline element inside a paragraph: its own paragraphs and lists must become spans,
# or the HTML parser closes the paragraph that holds the call.
# The white space around them goes too: between blocks in an inline box WeasyPrint sets it as a line.
_BLOCK_RE = re.compile(r"\s*<(/?)(p|ul|ol|li|blockquote|div|pre|h[1-6]"
                       r"|table|caption|thead|tbody|tfoot|tr|th|td)\b([^>]*)>\s*")


def inline_blocks(html: str) -> str:
    """A note's XHTML with its block elements as spans (class fn-p, fn-ul…) for a footnote body."""
    def span(match: re.Match[str]) -> str:
        closing, tag, attrs = match.groups()
        start = re.search(r'\bstart="(\d+)"', attrs) if tag == "ol" else None
        if start:  # the span's counter (book.css) starts where the author's list does
            attrs = f'{attrs} style="counter-reset: fn-item {int(start.group(1)) - 1}"'
        own = re.search(r'\s*\bclass="([^"]*)"', attrs)  # <p class="lines">: one class attribute
        if own:
            attrs = attrs[:own.start()] + attrs[own.end():]
        classes = f"fn-{tag} {own.group(1)}" if own else f"fn-{tag}"
        return "</span>" if closing else f'<span class="{classes}"{attrs}>'
    return _BLOCK_RE.sub(span, html)


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
# Where a footnote may run on to the next page: after a sentence or clause, or at any space once a piece
# has grown long (the pieces flow as one paragraph, so a cut shows only where the page turns).
_STOPS = ".;:!?…"
_BLOCKS = frozenset({"p", "ul", "ol", "blockquote", "pre", "div", "table", "dl"})
_CLOSERS = "”»’\"')]"
_LONGEST = 240


def footnote_paragraphs(html: str) -> tuple[tuple[str, ...], ...]:
    """A note's XHTML as paragraphs, each cut into pieces that may go to different pages.

    WeasyPrint never breaks a footnote across pages: one that does not fit is moved whole to the next
    page, and one taller than a page is cut off. Set as a run of inline footnotes, one per piece, a
    long note begins on the page of its call and runs on (pdf/footnote.html)."""
    paragraphs = []
    for block in _top_level(html):
        match = re.fullmatch(r"<p>(.*)</p>", block, re.S)
        paragraphs.append(tuple(_pieces(match.group(1))) if match else (inline_blocks(block),))
    return tuple(paragraphs) or ((inline_blocks(html),),)


def _top_level(html: str) -> list[str]:
    """The note's top-level elements (its paragraphs, lists, quotations) as XHTML strings; a list
    nested in a list stays inside its item (a pattern up to the first closing tag would cut it). Empty
    when the note is not all blocks (text or inline elements between them)."""
    blocks, depth, start, end = [], 0, 0, 0
    for tag in _TAG_RE.finditer(html):
        closing, name, empty = tag.groups()
        if depth == 0 and (html[end:tag.start()].strip() or name not in _BLOCKS):
            return []
        if empty:
            continue
        if not closing:
            if depth == 0:
                start = tag.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                blocks.append(html[start:tag.end()])
                end = tag.end()
    return blocks if not html[end:].strip() else []


def _pieces(inner: str) -> list[str]:
    """Cut a paragraph's inline XHTML at spaces outside any element (tags stay whole)."""
    cuts, depth, pos, last = [], 0, 0, 0
    for tag in [*_TAG_RE.finditer(inner), None]:
        end = tag.start() if tag else len(inner)
        if depth == 0:
            for space in re.finditer(r"\s+", inner[pos:end]):
                at = pos + space.end()
                before = inner[max(0, pos + space.start() - 2): pos + space.start()]
                sentence = before[-1:] in _STOPS or (before[-1:] in _CLOSERS and before[:1] in _STOPS)
                if sentence or at - last > _LONGEST:
                    cuts.append(at)
                    last = at
        if tag is None:
            break
        closing, _name, empty = tag.groups()
        depth += 0 if empty else (-1 if closing else 1)
        pos = tag.end()
    bounds = [0, *cuts, len(inner)]
    return [inner[a:b] for a, b in pairwise(bounds) if inner[a:b]]


def notes_called_in(html: str) -> frozenset[str]:
    """The ids of the notes a fragment calls (a chapter's title, say)."""
    return frozenset(_CALL_RE.findall(html))


def with_footnotes(html: str, footnotes: Mapping[str, str]) -> str:
    """`html` with each note's footnote (by note id) right after its first call."""
    placed: set[str] = set()

    def place(match: re.Match[str]) -> str:
        note_id = match.group(1)
        if note_id in placed or note_id not in footnotes:
            return match.group(0)
        placed.add(note_id)
        return match.group(0) + footnotes[note_id]
    return _CALL_RE.sub(place, html)


def with_asides(html: str, asides: Mapping[str, str]) -> str:
    """`html` with each note's aside (by note id) after the top-level block of its first call, in the
    order of the calls (EPUB footnotes stand next to their text, outside the paragraph)."""
    if not asides:
        return html
    wrapper = _parse(html)
    after: dict[etree._Element, list[str]] = {}
    placed: set[str] = set()
    for call in wrapper.iter(f"{{{XHTML_NS}}}a"):
        note_id = (call.get("href") or "").removeprefix("#")
        if call.get("class") != "noteref" or note_id in placed or note_id not in asides:
            continue
        placed.add(note_id)
        block = call
        while block.getparent() is not wrapper:
            block = block.getparent()
        after.setdefault(block, []).append(asides[note_id])
    for block, items in after.items():
        anchor = block
        for aside in list(_parse("".join(items))):
            aside.tail, anchor.tail = anchor.tail, "\n"
            anchor.addnext(aside)
            anchor = aside
    for el in wrapper.iter():
        if el.text is None and len(el) == 0 and etree.QName(el).localname not in VOID:
            el.text = ""  # <span></span>, never <span/>, as xhtml.to_xhtml writes them
    text = etree.tostring(wrapper, encoding="unicode")
    return text[text.index(">") + 1: text.rindex("</div>")]


def _parse(xhtml: str) -> etree._Element:
    """A fragment inside a wrapper that declares the namespaces its elements and epub:type use."""
    return etree.fromstring(f'<div xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}">{xhtml}</div>')
