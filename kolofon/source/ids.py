"""The ids of the book's text: each once in the book, and none the author writes that kolofon makes
itself. The EPUB and the PDF link by id: a second `{#sec-pumps}` on a span or a div, or a `{#note-1}`
beside a note's own id, made EPUBCheck fail (RSC-005) and links land on the wrong element (QA sweep 14)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import Diagnostic, error, line_of
from ..model import Chapter, Note, SourceFile, Target

# An element's id, less those kolofon numbers itself, one per block and per index mark: unique by
# construction (an author who writes one is told below), and most of a book's ids (a 2,000-page
# book's ~50,000 were 5 MiB at the main process's highest point).
_CHECKED_ID = re.compile(r'\sid="(?!ch\d+-b\d+"|ix-\d+-\d+")([^"]+)"')
# What the author writes: {#id} (attribute lists, Pandoc's spans and divs), id="…" and <a name="…">.
_WRITTEN = re.compile(r'\{[^{}\n]*?#([\w:.-]+)[^{}\n]*\}|\s(?:id|name)="([^"]+)"')
# The ids kolofon makes (only these shapes: "{#page-layout}" is the author's own): notes and their
# calls, a chapter's notes, print pages, index marks, blocks, and the back matter's documents.
_MADE = re.compile(r"^(?:note|noteref)-\d+(?:\.\d+)?(?:-\d+)?$|^notes-[a-z]+-?\d+$|^page-(?:\d+|[ivxlc]+)$"
                   r"|^ix-\d+-\d+$|^ch\d+(?:-b\d+)?$|^(?:notes|index|bibliography)$")


def id_problems(parts: Sequence[Chapter], notes: Sequence[Note], sources: Sequence[SourceFile],
                targets: Sequence[Target]) -> list[Diagnostic]:
    found: dict[str, list[Path]] = {}
    for html, path in [(h, p.source) for p in parts for h in (p.title_html, p.body_html)] + \
            [(n.html, n.path) for n in notes]:
        for ident in _CHECKED_ID.findall(html):
            found.setdefault(ident, []).append(path)
    texts = {src.path: src.text for src in sources}
    labels = Counter(target.label for target in targets)  # a label set twice is crossref's K951
    diags = []
    for ident, paths in found.items():
        if len(paths) > 1 and labels[ident] < 2:
            files = ", ".join(dict.fromkeys(p.name for p in paths))
            line = _line(texts.get(paths[-1], ""), ident)
            diags.append(error("K504", f"id '{ident}' is set {len(paths)} times ({files}); an id names one "
                                       "place in the book", paths[-1], line))
    for src in sources[1:]:
        for match in _WRITTEN.finditer(src.text):
            ident = match[1] or match[2]
            if _MADE.match(ident):
                line = line_of(src.text, match.start())
                diags.append(error("K504", f"id '{ident}' is one kolofon gives its own notes, pages or "
                                           "index marks: choose another", src.path, line))
    return diags


def _line(text: str, ident: str) -> int | None:
    """The line where the id is written last (the one that repeats it), if it is written at all."""
    at = max(text.rfind(f"#{ident}"), text.rfind(f'id="{ident}"'))
    return line_of(text, at) if at >= 0 else None
