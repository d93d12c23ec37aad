"""Citations rendered in a converted chapter: each placeholder the Markdown layer left
(mdext/citations.py) becomes the CSL processor's text, linked to its bibliography entry. In a notes
style the citations in the running text were already made notes (mdext/endnotes.py), so rendering in
document order renders them in note order."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import lxml.html

from ..diagnostics import Diagnostic, error, line_of, warning
from ..model import SourceFile, ref_id
from .mdext.citations import AUTHOR_CLASS, CITE_CLASS, Citation
from .mdext.index_terms import MARK_CLASS
from .typography import smarten

if TYPE_CHECKING:
    from ..bibliography import CiteProcessor


def render_citations(root: lxml.html.HtmlElement, citations: Sequence[Citation],
                     processor: CiteProcessor | None, src: SourceFile, lang: str,
                     bibliography_given: bool = False) -> list[Diagnostic]:
    """Replace every citation placeholder under `root` (in place); problems name the chapter's line.
    Without a processor the citations stay as written: said once per citation when the book has no
    bibliography, silently when it has one that failed to load (that error stops the build)."""
    diags: list[Diagnostic] = []
    cursor = 0
    notes = _notes_citing(root) if processor is not None and processor.note_style else None
    last = -1  # the last note with a citation
    for span in [el for el in root.iter("span") if el.get("class") == AUTHOR_CLASS]:
        citation = citations[int(span.get("data-cite", "1")) - 1]
        names = _author(processor, citation.items[0].key, lang) if processor is not None else ""
        _replace(span, html.escape(names), None)
    for span in [el for el in root.iter("span") if el.get("class") == CITE_CLASS]:
        citation = citations[int(span.get("data-cite", "1")) - 1]
        pos = src.text.find(citation.raw, cursor)
        line = line_of(src.text, pos) if pos >= 0 else None
        cursor = pos + len(citation.raw) if pos >= 0 else cursor
        if processor is None and bibliography_given:
            _replace(span, html.escape(citation.raw), None)
            continue
        if processor is None:
            diags.append(warning("K907", f"citation {citation.raw} but the book has no 'bibliography' in "
                                         "book.yaml: it stays as written", src.path, line))
            _replace(span, html.escape(citation.raw), None)
            continue
        unknown = [item.key for item in citation.items if item.key not in processor.library.references]
        if unknown:
            hint = " (a page reference needs a label: @page:fig-map)" if unknown[0] == "page" else ""
            diags.append(error("K904", f"citation key '@{unknown[0]}' is not in the bibliography "
                                       f"({citation.raw}){hint}", src.path, line))
            _replace(span, html.escape(citation.raw), None)
            continue
        if notes is not None and (at := notes[0].get(span.get("id", ""))) is not None:
            if not all(notes[1][last + 1:at]):
                processor.note_without_citation()
            last = at
        text = _text(citation, processor, lang)
        if text.removesuffix("”").endswith(".") and (span.tail or "").startswith("."):
            span.tail = span.tail[1:]  # "…, rozdz. 2." and the sentence's own full stop: one
        elif processor.note_style and text.endswith(".") and _sentence_goes_on(span.tail):
            text = text[:-1]  # a citation inside an author's note: "…, 3 w środku zdania", not "3. w"
        if processor.note_style and _opens_note(span):
            text = text[:1].upper() + text[1:]  # "Ibid., 50.", "Tamże": a note begins with a capital
        _replace(span, text, ref_id(citation.items[0].key))
    if notes is not None and processor is not None and not all(notes[1][last + 1:]):
        processor.note_without_citation()  # the part ends with notes that cite nothing
    return diags


def _notes_citing(root: lxml.html.HtmlElement) -> tuple[dict[str, int], list[bool]]:
    """The part's notes in order: the note of each citation (by the citation's id), and whether each
    note cites anything."""
    listed = root.find(".//ol[@class='kolofon-notes']")
    items = sorted(listed.findall("li") if listed is not None else [],  # by number: the list is not
                   key=lambda li: int(li.get("data-number", "0")))   # (the citations' notes come last)
    of: dict[str, int] = {}
    for i, li in enumerate(items):
        for el in li.iter("span"):
            if el.get("class") == CITE_CLASS:
                of[el.get("id", "")] = i
    cited = set(of.values())
    return of, [i in cited for i in range(len(items))]


def _opens_note(span: lxml.html.HtmlElement) -> bool:
    """Whether the citation is the first thing in a note (a note's first paragraph, nothing before it)."""
    paragraph = span.getparent()
    item = paragraph.getparent() if paragraph is not None else None
    return (paragraph is not None and paragraph.tag == "p" and not (paragraph.text or "").strip()
            and len(paragraph) and paragraph[0] is span and item is not None and item.tag == "li"
            and item[0] is paragraph)


def _sentence_goes_on(tail: str | None) -> bool:
    """Whether text follows the citation before its note ends ("[@x, s. 3] w środku zdania")."""
    rest = (tail or "").lstrip()
    return bool(rest) and rest[0] not in ".!?…"


def _text(citation: Citation, processor: CiteProcessor, lang: str) -> str:
    from ..bibliography import CiteRequest

    requests = [CiteRequest(i.key, i.locator, i.label, i.prefix, i.suffix, i.suppress_author)
                for i in citation.items]
    if not citation.narrative or processor.note_style:
        return processor.cite(requests)
    # Narrative (@key in the text): the author's name, then the citation without it, as Pandoc does.
    first = requests[0]
    names = smarten(_author(processor, first.key, lang), lang)  # O'Neill as the entries print it: O’Neill
    rest = processor.cite([CiteRequest(first.key, first.locator, first.label, first.prefix, first.suffix,
                                       suppress_author=True)])
    return f"{html.escape(names)} {rest}" if names else processor.cite(requests)


def _author(processor: CiteProcessor | None, key: str, lang: str) -> str:
    """The family names of an entry's authors (editors when it has none), as a narrative citation
    shows them: one, two joined, or the first with 'et al.'"""
    if processor is None:
        return ""
    try:
        entry = processor.library.source[key.lower()]  # type: ignore[index]
    except (KeyError, TypeError):
        return ""
    people = entry.get("author") or entry.get("editor") or []
    families = [str(p.get("family", "")) for p in people if p.get("family")]
    if not families:
        return ""
    conjunction = " i " if lang == "pl" else " and "
    if len(families) == 1:
        return families[0]
    if len(families) == 2:
        return conjunction.join(families)
    return f"{families[0]} {'i in.' if lang == 'pl' else 'et al.'}"


def _replace(span: lxml.html.HtmlElement, text: str, target: str | None) -> None:
    tag = f'<a class="citation" href="#{target}">' if target else '<span class="citation">'
    close = "</a>" if target else "</span>"
    new = lxml.html.fragment_fromstring(tag + text + close)  # `text` is XHTML: escaped where it came from
    new.tail = span.tail
    for mark in [el for el in span if el.get("class") == MARK_CLASS]:  # index terms in its prefix/suffix
        mark.tail = None
        new.append(mark)
    span.getparent().replace(span, new)
