"""A web address written out in the text ("https://example.org/a/b.pdf") or an e-mail address may
break across lines where The Chicago Manual of Style lets it (14.18): after "//", before a single
slash, a period, a comma, a hyphen, an underscore, a question mark, a number sign, a percent sign, a
tilde or an at sign, and before or after an equals sign or an ampersand; never with a hyphen of ours.
Line breaking alone found a break only here and there in an address, so a justified line before a
long one opened wide gaps between its words (a note on an A6 page).

The address becomes <span class="url">, its parts joined by <wbr> (a break opportunity that adds no
character to the text a reader copies); its text is atomic, so an underscore or a star in it is not
emphasis, and the typography leaves it as written (no curled quote or dash inside an address)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

URL_CLASS = "url"
# An address ends before the punctuation that ends its sentence or closes a bracket around it.
URL_RE = r"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?'’”)\]]|\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"
# A break goes after "//" and "=" / "&", and before a single slash and the other marks (lookarounds
# keep every character: the text only gains break opportunities).
_BREAK = re.compile(r"(?<=//)(?=[^/])|(?<=[^/:])(?=/(?!/))|(?=[.,\-_?#%~](?!$))|(?<!/)(?=@)"
                    r"|(?<=[=&])|(?=[=&])")


def url_parts(url: str) -> list[str]:
    """`url` cut where a line may break, every character kept."""
    cuts = sorted({m.start() for m in _BREAK.finditer(url)} - {0, len(url)})
    return [url[a:b] for a, b in zip([0, *cuts], [*cuts, len(url)], strict=True)]


class UrlProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        span = etree.Element("span", {"class": URL_CLASS})
        first, *rest = url_parts(m.group(0))
        span.text = util.AtomicString(first)
        for part in rest:
            wbr = etree.SubElement(span, "wbr")
            wbr.tail = util.AtomicString(part)
        return span, m.start(0), m.end(0)


class UrlsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 85: after raw HTML (90), which stashes a tag's attributes (an href in raw HTML stays whole),
        # and after autolinks (120, <https://…>, a link already); before entities (80) and emphasis
        # (60, 50), which would otherwise read an underscore in an address as emphasis.
        md.inlinePatterns.register(UrlProcessor(URL_RE, md), "kolofon-url", 85)
