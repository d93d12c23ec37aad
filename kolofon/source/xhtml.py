"""Raw HTML in, safe and well-formed XHTML out.

The manuscript may hold raw HTML; both editions receive what this module lets through: a whitelist of
HTML elements, no scripts or event handlers, no active URLs, unique ids, ARIA roles mirrored as
epub:type (one source of semantics for both editions), and ids on every block so the EPUB can learn
print pages from the PDF layout.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

OPS_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS_NS}}}type"
# EPUB 3 content documents may hold these; anything else is unwrapped (its text kept).
ALLOWED = frozenset([
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption",
    "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr"
])
DROPPED = frozenset([
    "script", "style", "iframe", "object", "embed", "applet", "form", "input", "button", "select",
    "textarea", "link", "meta", "base", "frame", "frameset", "noscript", "template", "audio", "video",
    "source", "track", "canvas", "svg", "math"
])
ROLE_TO_EPUB = {"doc-noteref": "noteref", "doc-endnote": "endnote", "doc-backlink": "backlink",
                "doc-pagebreak": "pagebreak", "doc-index": "index", "doc-toc": "toc"}
# Blocks get ids, so that the EPUB learns from the PDF where each print page begins; a table's rows too,
# as a long table runs over pages (writers/pagemap.py sets a row's marker in its first cell).
BLOCKS = frozenset({"p", "li", "blockquote", "pre", "table", "tr", "h2", "h3", "h4", "h5", "h6", "dl",
                    "figure"})
VOID = frozenset({"br", "hr", "img", "wbr", "col"})
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ACTIVE_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.I)
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_fragment(html: str) -> lxml.html.HtmlElement:
    # libxml2's HTML parser knows HTML 4's void elements only: an HTML 5 <wbr> (a web address's break,
    # mdext/urls.py) would swallow the rest of its parent as children; written empty, it stays empty.
    html = _INVALID_XML_CHARS.sub("", html).replace("<wbr>", "<wbr/>")
    return lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")


def sanitize(root: lxml.html.HtmlElement) -> None:
    """Drop dangerous elements and attributes, unwrap unknown elements (in place)."""
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            if not isinstance(el.tag, str):  # comments and processing instructions
                el.drop_tree()
            continue
        tag = el.tag.lower()
        if tag in DROPPED:
            el.drop_tree()
        elif tag in _HTML4:
            _from_html4(el, tag)
        elif tag not in ALLOWED:
            el.drop_tag()
        elif tag == "a" and el.get("name") and not el.get("id"):
            el.set("id", el.attrib.pop("name"))  # HTML 4's <a name>: what links to it names its id
    _fix_nesting(root)
    for el in root.iter():
        for name in list(el.attrib):
            value = el.attrib[name]
            if (name.lower().startswith("on") or not _XML_NAME.match(name)
                    or (name in ("href", "src") and _ACTIVE_URL.match(value))
                    or (name == "style" and "url(" in value.lower())):
                del el.attrib[name]
            elif name in ("width", "height") and not (value.strip().isdigit() and el.tag == "img"):
                _size_as_style(el, name, value.strip())
            elif name in _AS_STYLE:
                _as_style(el, name, value.strip())
            elif not _allowed_attribute(el.tag, name):
                # An attribute HTML 5 does not have (Quarto's fig-align, HTML 4's bgcolor, Markdown's
                # markdown="0"): EPUBCheck rejects it, so it is kept as data-, as Pandoc does.
                el.set(f"data-{name}", el.attrib.pop(name))


_CSS_LENGTH = re.compile(r"^\d+(?:\.\d+)?(?:%|px|em|rem|cm|mm|in|pt)$")
_GLOBAL = frozenset({"id", "class", "style", "title", "lang", "dir", "role", "hidden", "tabindex",
                     "translate", "accesskey", "xml:lang"})
_ATTRIBUTES = {  # HTML 5's own attributes of the elements ALLOWED lets through, beside the global ones
    "a": {"href", "hreflang", "rel", "type", "target", "download"}, "blockquote": {"cite"},
    "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"}, "time": {"datetime"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "ol": {"start", "reversed", "type"}, "li": {"value"}, "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"}, "col": {"span"}, "colgroup": {"span"},
    "details": {"open"}, "bdo": {"dir"},
}
# HTML 4's presentational attributes, still common in pasted HTML: what they asked for, as CSS.
_AS_STYLE = {"align": "text-align", "valign": "vertical-align", "bgcolor": "background-color",
             "nowrap": "white-space"}
_CSS_VALUE = re.compile(r"^[#\w.%-]+$")


# HTML 4's presentational elements, still common in pasted HTML: what they asked for, in HTML 5.
_HTML4 = frozenset({"center", "font", "big", "tt", "strike"})


def _from_html4(el: lxml.html.HtmlElement, tag: str) -> None:
    if tag == "center":  # a block, centred (unwrapped, its text ran into the paragraph before it)
        el.tag = "div"
        el.set("style", f"text-align: center; {el.get('style', '')}".strip())
    elif tag == "font":  # its face and size belong to the book's design; the text stays
        el.tag = "span"
        for name in ("face", "size", "color"):
            el.attrib.pop(name, None)
    else:
        el.tag = {"big": "span", "tt": "code", "strike": "s"}[tag]
        if tag == "big":
            el.set("style", "font-size: larger")


def _allowed_attribute(tag: str, name: str) -> bool:
    return (name in _GLOBAL or name.startswith(("data-", "aria-")) or name in _ATTRIBUTES.get(tag, ()))


def _as_style(el: lxml.html.HtmlElement, name: str, value: str) -> None:
    del el.attrib[name]
    if name == "nowrap":
        value = "nowrap"
    elif not _CSS_VALUE.match(value) or (name == "align" and el.tag in ("img", "table")):
        return  # an image's or a table's align floats it: the book's layout places those
    style = el.get("style", "").strip()
    el.set("style", f"{_AS_STYLE[name]}: {value.lower()};" + (f" {style}" if style else ""))


def _size_as_style(el: lxml.html.HtmlElement, name: str, value: str) -> None:
    """`{width=50%}` (Quarto, Pandoc): HTML's width and height hold pixels only, so a CSS length
    becomes a style (the EPUB would fail EPUBCheck otherwise); anything else is dropped."""
    del el.attrib[name]
    if _CSS_LENGTH.match(value):
        style = el.get("style", "").strip()
        el.set("style", f"{name}: {value};" + (f" {style}" if style else ""))


# Elements whose content model is phrasing only (HTML): a block inside one is invalid XHTML, though
# HTML parsers keep it ("<b>x<div>y</div></b>" from raw HTML in Markdown).
_PHRASING_ONLY = frozenset([
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "p", "h1", "h2", "h3", "h4", "h5",
    "h6", "pre", "dt", "rp", "rt"
])
_FLOW = frozenset([
    "address", "article", "aside", "blockquote", "details", "div", "dl", "figure", "figcaption",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "nav", "ol", "p", "pre", "section",
    "summary", "table", "ul"
])


_STRUCTURE = _FLOW | {"li", "dt", "dd", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup"}


def _fix_nesting(root: lxml.html.HtmlElement) -> None:
    """Unwrap blocks that sit inside phrasing-only elements, with their whole structure (a table's rows
    and cells, a list's items): their text stays. Void blocks there (hr, col) go."""
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str) or el.tag not in _FLOW or el.getparent() is None:
            continue
        if not any(a.tag in _PHRASING_ONLY for a in el.iterancestors() if a is not root):
            continue
        for inner in reversed(list(el.iter())):
            if inner.tag in ("hr", "col"):
                inner.drop_tree()
            elif inner.tag in _STRUCTURE:
                inner.drop_tag()


def glue_for_print(root: lxml.html.HtmlElement) -> None:
    """WeasyPrint 70's line-breaking workarounds, for the print edition only (in place)."""
    glue_noterefs(root)
    glue_one_letter_words(root)
    glue_url_parts(root)
    number_lists_from_start(root)


def for_print(fragment: str) -> str:
    """The print edition's copy of a chapter's XHTML fragment (to_xhtml's output), glued for WeasyPrint.

    Made when a chapter's job is rendered, and let go with it: the book keeps one copy of each
    chapter's HTML (a 2,000-page book's print copies were 9 MiB of the main process's peak, which must
    not grow with the book). The parse reads `epub:type` as a plain attribute; it is dropped, and
    to_xhtml sets it again from the element's role, as for the EPUB's copy."""
    if not fragment.strip():
        return fragment
    root = parse_fragment(fragment)
    for el in root.iter():
        if "epub:type" in el.attrib:
            del el.attrib["epub:type"]
    glue_for_print(root)
    # The parser drops the fragment's leading white space; kept, the copy is the one conversion made.
    return fragment[: len(fragment) - len(fragment.lstrip())] + to_xhtml(root).lstrip()


def number_lists_from_start(root: lxml.html.HtmlElement) -> None:
    """WeasyPrint 70 numbers every list from 1: a list that goes on (<ol start="3">) resets the counter
    its markers count with (readers of the EPUB honour the attribute itself)."""
    for ol in root.iter("ol"):
        start = ol.get("start", "")
        if start.lstrip("-").isdigit():
            reset = f"counter-reset: list-item {int(start) - 1}"
            ol.set("style", f"{ol.get('style')}; {reset}" if ol.get("style") else reset)


def print_fragment(fragment: str) -> str:
    """A fragment made outside the Markdown layer (a bibliography entry), glued for print."""
    root = parse_fragment(fragment)
    glue_url_parts(root)
    return to_xhtml(root)


def glue_url_parts(root: lxml.html.HtmlElement) -> None:
    """A web address breaks at its <wbr>s only (mdext/urls.py, Chicago 14.18): Pango would also break
    after a hyphen inside a part ("lighthouse-|automation"), which reads as a word hyphenated by the
    printer, and after a slash that opens a part ("/|history"), which Chicago forbids. Each part
    becomes a nowrap span; the <wbr>s between them stay the only breaks."""
    for url in [el for el in root.iter("span") if el.get("class") == "url"]:
        if any(child.tag != "wbr" for child in url):
            continue  # an address with markup of its own: left to the line breaking
        parts = [piece for part in [url.text or ""] + [wbr.tail or "" for wbr in url]
                 for piece in _cut_long(part)]
        url.text = None
        for child in list(url):
            url.remove(child)
        for i, part in enumerate(parts):
            if i:
                url.append(lxml.html.Element("wbr"))
            if len(part) < 2:  # nothing to break inside ("=", "&")
                if len(url):
                    url[-1].tail = part
                else:
                    url.text = part
                continue
            glued = lxml.html.Element("span", {"class": "nobreak"})
            glued.text = part
            url.append(glued)


_LONG_PART = 24  # characters: a part longer than this may be longer than a line (an A6 page's 30)


def _cut_long(part: str) -> list[str]:
    """A part with no break Chicago allows that may not fit a line ("/averyverylongsegment…") is cut
    into runs of 12 characters, each a break: otherwise it ran past the margin, off the page."""
    if len(part) <= _LONG_PART:
        return [part]
    return [part[i:i + _LONG_PART // 2] for i in range(0, len(part), _LONG_PART // 2)]


def glue_noterefs(root: lxml.html.HtmlElement) -> None:
    """Keep each note call on the line of the word it follows (WeasyPrint may break a line between a
    word and an inline element that follows it without a space): word and call share a nowrap span."""
    for a in list(root.iter("a")):
        if "noteref" not in (a.get("class") or "").split():
            continue
        prev = a.getprevious()
        text = (prev.tail if prev is not None else a.getparent().text) or ""
        if not text and prev is not None and prev.tag in ("span", "em", "i", "b", "strong"):
            _wrap_with_previous(prev, a)  # "<span>Ormian</span><a>1</a>": the word is an element
            continue
        if not text or text[-1].isspace():
            continue
        cut = max(text.rfind(" "), text.rfind("\u00a0"), text.rfind("\n")) + 1
        span = lxml.html.Element("span", {"class": "nobreak"})
        span.text = text[cut:]
        if prev is not None:
            prev.tail = text[:cut]
        else:
            a.getparent().text = text[:cut]
        a.addprevious(span)
        span.tail = None
        tail, a.tail = a.tail, None
        span.append(a)
        span.tail = tail


def _wrap_with_previous(prev: lxml.html.HtmlElement, a: lxml.html.HtmlElement) -> None:
    if prev.get("class") == "nobreak":
        tail, a.tail = a.tail, None
        prev.append(a)
        prev.tail = tail
        return
    span = lxml.html.Element("span", {"class": "nobreak"})
    prev.addprevious(span)
    tail, a.tail = a.tail, None
    span.append(prev)
    span.append(a)
    span.tail = tail


def glue_one_letter_words(root: lxml.html.HtmlElement) -> None:
    """A one-letter word that typography glued to the next word ('w\u00a0') when that word is an
    inline element. (WeasyPrint 70 breaks lines badly when a no-break space ends a text node right
    before an inline element.) Before an index term, the word joins the term's span, which styles
    nothing: its anchor then marks where the group starts, and no second span costs layout time
    (~20 % of a chapter's layout, measured). Before any other element, word and element share a
    nowrap span."""
    for el in list(root.iter()):
        for child in list(el):
            prev = child.getprevious()
            text = prev.tail if prev is not None else el.text
            match = _ONE_LETTER_END.search(text or "")
            if not match or child.tag in BLOCKS:
                continue
            if prev is not None:
                prev.tail = text[:match.start(1)]
            else:
                el.text = text[:match.start(1)]
            if child.get("class") == "ix" and child.text and len(child) == 0:
                child.text = match.group(1) + "\u00a0" + child.text
                continue
            span = lxml.html.Element("span", {"class": "nobreak"})
            span.text = match.group(1) + " "
            child.addprevious(span)
            tail, child.tail = child.tail, None
            span.append(child)
            span.tail = tail


_ONE_LETTER_END = re.compile(r"(?:^|(?<=[\s\u00a0(„«\[–—]))([a-zA-Z])\u00a0$")


def accessible_basics(root: lxml.html.HtmlElement) -> None:
    """What DAISY Ace fails an EPUB on, where the intent is plain: a header cell with no words is an
    ordinary cell (a Markdown table with an empty header row), an <img> written without alt is
    decorative (alt="", as K507 warns), and a link must have something to read."""
    for th in root.iter("th"):
        if not "".join(th.itertext()).strip() and not len(th):
            th.tag = "td"
    for img in root.iter("img"):
        if img.get("alt") is None:
            img.set("alt", "")
    # A link with nothing to read: its address is its text ([](https://…)), or names it (an image
    # without a text alternative).
    for a in root.iter("a"):
        href = a.get("href", "")
        if not href or "".join(a.itertext()).strip() or any(img.get("alt") for img in a.iter("img")):
            continue
        if len(a):
            a.set("aria-label", href)
        else:
            a.text = href


def mark_captioned_tables(root: lxml.html.HtmlElement) -> None:
    """A table written in HTML with its own <caption> takes the full measure, as a Markdown table with a
    caption does (floats.py): its caption was squeezed to the table's width, a word a line."""
    for table in root.iter("table"):
        classes = (table.get("class") or "").split()
        if table.find("caption") is not None and "captioned" not in classes:
            table.set("class", " ".join([*classes, "captioned"]))


_DASHES = "—―–"


def mark_attributions(root: lxml.html.HtmlElement) -> None:
    """A block quotation's last paragraph that opens with a dash ("— Someone Famous, *A Book*") is its
    attribution: class "attribution", set apart at the right (it read as one more quoted paragraph)."""
    for quote in root.iter("blockquote"):
        paragraphs = [el for el in quote if el.tag == "p"]
        if len(paragraphs) < 2 or paragraphs[-1] is not quote[-1]:
            continue
        last, before = paragraphs[-1].text_content().strip(), paragraphs[-2].text_content().strip()
        # Not dialogue, where every line opens with a dash ("— Dzień dobry — powiedział…"): an
        # attribution is short, holds no second dash, and follows a paragraph that opens with none.
        if last[:1] in _DASHES and len(last) <= 120 and not any(d in last[1:] for d in _DASHES) \
                and before[:1] not in _DASHES:
            paragraphs[-1].set("class", " ".join(filter(None, [paragraphs[-1].get("class"), "attribution"])))


def number_blocks(root: lxml.html.HtmlElement, prefix: str) -> list[str]:
    """Give every block an id (kept if it has one); return them in reading order."""
    ids = []
    for i, el in enumerate((e for e in root.iter() if e.tag in BLOCKS), 1):
        if not el.get("id"):
            el.set("id", f"{prefix}-b{i}")
        ids.append(el.get("id"))
    return ids


def to_xhtml(root: lxml.html.HtmlElement) -> str:
    """Serialise the children of root as an XHTML fragment with epub:type attributes.

    The fragment is spliced into templates whose <html> declares the xhtml and epub namespaces, so the
    epub prefix is declared on a throwaway wrapper and stripped with it.
    """
    wrapper = etree.Element("div", nsmap={"epub": OPS_NS})
    wrapper.text = root.text
    for child in list(root):
        wrapper.append(child)
    for el in wrapper.iter():
        if el.text is None and len(el) == 0 and el.tag not in VOID:
            el.text = ""  # <span></span>, never <span/>: HTML parsers (WeasyPrint's) read <span/> as open
        role = el.get("role")
        if role in ROLE_TO_EPUB:
            el.set(EPUB_TYPE, ROLE_TO_EPUB[role])
    text = etree.tostring(wrapper, encoding="unicode", method="xml")
    start = text.index(">") + 1
    if text.endswith("/>"):
        return ""
    return text[start: text.rindex("</div>")]


def plain_text(html_fragment: str) -> str:
    return "".join(parse_fragment(html_fragment).itertext()).strip()
