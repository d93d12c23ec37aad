"""Links the author wrote to places in the book, `[see](#sec-x)` or `[a heading](#plain-heading)`:
each made to point at the element it names, as a cross-reference does, or an error with file:line.

A label names its chapter or section the way `@sec-x` does (a chapter's label is not an element's id:
the chapter's is "ch02"); a heading's own words, slugged ("plain-heading"), name it although its id
carries its chapter's prefix ("ch01-plain-heading"). Links the build makes (note calls, citations,
cross-references) carry a class and are left alone."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from pathlib import Path

from ..config import slugify
from ..diagnostics import Diagnostic, error, line_of
from ..model import Chapter, Note, Target

_AUTHOR_LINK = re.compile(r'<a href="#(?P<id>[^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')
_SECNO = re.compile(r"^\d+(?:\.\d+)* ")
_PANDOC_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<n>\d+)$")


def outward(chapter: Chapter, notes: Iterable[Note]) -> bool:
    """Whether the part links to an id it does not hold itself: then it waits for the whole book."""
    htmls = [chapter.title_html, chapter.body_html, *(n.html for n in notes)]
    wanted = {m["id"] for html in htmls for m in _AUTHOR_LINK.finditer(html)}
    return bool(wanted - {ident for html in htmls for ident in _ID.findall(html)})


def resolve(parts: list[Chapter], notes: list[Note], targets: Iterable[Target], texts: Mapping[Path, str],
            built: Iterable[str] = ()) -> tuple[list[Chapter], list[Note], list[Diagnostic]]:
    """Every author's link pointed at the element it names; one that names nothing is an error.
    `built`: the documents the build writes for this book ("notes", "bibliography", "index")."""
    known = {ident for p in parts for ident in (p.id, *_ID.findall(p.title_html + p.body_html))}
    known |= {ident for n in notes for ident in (n.id, n.call_id, *_ID.findall(n.html))}
    known |= set(built)
    anchors = {t.label: t.anchor for t in targets}
    # A heading by its words, as Pandoc names it: its first occurrence in the book, then "-1", "-2"…
    # for the next ones; a chapter's title too. Accents folded ("uwagi-końcowe" is "uwagi-koncowe").
    headings: dict[str, list[str]] = {}
    for part in parts:
        title = _SECNO.sub("", part.title_text) if 'class="secno"' in part.title_html else part.title_text
        headings.setdefault(slugify(title), []).append(part.id)
        for heading in part.headings:
            words = heading.text.removeprefix(f"{heading.number} ") if heading.number else heading.text
            headings.setdefault(slugify(words), []).append(heading.id)
    diags: list[Diagnostic] = []
    reported: set[tuple[Path, str]] = set()

    def heading_for(ident: str) -> str | None:
        wanted = slugify(ident)
        if wanted in headings:
            return headings[wanted][0]
        suffix = _PANDOC_SUFFIX.match(wanted)
        if suffix and suffix["base"] in headings and int(suffix["n"]) < len(headings[suffix["base"]]):
            return headings[suffix["base"]][int(suffix["n"])]
        return None

    def rewrite(html: str, number: int, source: Path) -> str:
        def one(m: re.Match[str]) -> str:
            ident = m["id"]
            if ident in known or (ident.startswith("ref-") and "bibliography" in known):
                return m[0]
            if ident in anchors:
                return f'<a href="#{anchors[ident]}"'
            if (found := heading_for(ident)) is not None:
                return f'<a href="#{found}"'
            if (source, ident) not in reported:
                reported.add((source, ident))
                text = texts.get(source, "")
                pos = max(text.find(f"(#{ident}"), text.find(f'"#{ident}"'))
                close = get_close_matches(slugify(ident), [*headings, *anchors], n=1)
                hint = f" (did you mean '#{close[0]}'?)" if close else ""
                line = line_of(text, pos) if pos >= 0 else None
                diags.append(error("K954", f"link to '#{ident}': no label, heading or element of the book "
                                           f"has that id{hint}", source, line))
            return m[0]

        return _AUTHOR_LINK.sub(one, html) if "<a href=\"#" in html else html

    new_parts = [dataclasses.replace(p, title_html=rewrite(p.title_html, p.number, p.source),
                                     body_html=rewrite(p.body_html, p.number, p.source)) for p in parts]
    new_notes = [dataclasses.replace(n, html=rewrite(n.html, n.chapter, n.path),
                                     print_html=rewrite(n.print_html, n.chapter, n.path)) for n in notes]
    return new_parts, new_notes, diags
