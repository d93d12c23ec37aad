"""citeproc-py's HTML made into the book's XHTML: well-formed, its web addresses breakable where
Chicago lets them break (as in the text, source/mdext/urls.py), and its punctuation placed by the
locale's rule (CSL's punctuation-in-quote, which citeproc-py 0.11 does not apply)."""

from __future__ import annotations

import html
import re

from lxml import etree

from .source.mdext.urls import URL_CLASS, URL_RE, url_parts
from .source.typography import nest_quotes, smarten

_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(URL_RE)
_RESTORE = str.maketrans({"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"})
# American English sets a comma or full stop inside the closing quote ("History,"), as the CSL en-US
# locale says (punctuation-in-quote="true"); Polish and British English outside.
_PUNCTUATION_IN_QUOTE = frozenset({"en-US"})
_QUOTE_THEN_STOP = re.compile(r"(”)([.,])")  # not ’: an apostrophe ends "the Joneses’."


def to_xhtml(text: str, locale: str) -> str:
    """citeproc-py's HTML as well-formed XHTML; plain text if it ever does not parse, not a broken build."""
    text = re.sub(r"<(/?)l>", r"<\1span>", text.translate(_RESTORE))  # <l> (light) is no XHTML
    try:
        root = etree.fromstring(f"<span>{text}</span>")
    except etree.XMLSyntaxError:
        return html.escape(html.unescape(_TAG.sub("", text)), quote=False)
    _mark_urls(root)
    _typeset(root, locale)
    text = html.escape(root.text or "", quote=False) + "".join(
        etree.tostring(child, encoding="unicode") for child in root)
    return _QUOTE_THEN_STOP.sub(r"\2\1", text) if locale in _PUNCTUATION_IN_QUOTE else text


def _typeset(root: etree._Element, locale: str) -> None:
    """The text's typography for what the entries quote from the bibliography as typed ("Archives",
    --, O'Brien), each text node judged by its neighbours in reading order; addresses stay as written."""
    slots: list[tuple[etree._Element, str]] = []
    for el in root.iter():
        if el.get("class") == URL_CLASS or any(a.get("class") == URL_CLASS for a in el.iterancestors()):
            if el.get("class") == URL_CLASS and el.tail:
                slots.append((el, "tail"))
            continue
        slots += [(el, "text")] if el.text else []
        slots += [(el, "tail")] if el is not root and el.tail else []
    texts = [getattr(el, attr) for el, attr in slots]
    depth = 0  # quotations open: a quotation inside the style's quoted title takes the inner marks
    for i, (el, attr) in enumerate(slots):
        curled = smarten(texts[i], locale, before=texts[i - 1] if i else "",
                         after=texts[i + 1] if i + 1 < len(texts) else "")
        curled, depth = nest_quotes(curled, locale, depth)
        setattr(el, attr, curled)


def _mark_urls(root: etree._Element) -> None:
    """Each web address in the text becomes <span class="url"> with a <wbr> at each break."""
    for el in list(root.iter()):
        if el.get("class") == URL_CLASS:
            continue
        if el.text and _URL.search(el.text):
            el.text, spans = _split(el.text)
            for i, span in enumerate(spans):
                el.insert(i, span)
        if el is not root and el.tail and _URL.search(el.tail):
            el.tail, spans = _split(el.tail)
            for span in reversed(spans):
                el.addnext(span)


def _split(text: str) -> tuple[str, list[etree._Element]]:
    """The text before the first address, and a span per address holding the text after it as tail."""
    pieces = _URL.split(text)
    spans = []
    for url, after in zip(_URL.findall(text), pieces[1:], strict=True):
        span = etree.Element("span", {"class": URL_CLASS})
        first, *rest = url_parts(url)
        span.text = first
        for part in rest:
            etree.SubElement(span, "wbr").tail = part
        span.tail = after or None
        spans.append(span)
    return pieces[0], spans
