"""From checked sources to the Book: chapters converted in order (note numbers run on), the index
built, book-wide checks made. Pure apart from the image existence check."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import Memo, code_version
from ..config import BookConfig, key_lines
from ..diagnostics import Diagnostic, error, warning
from ..labels import labels_for
from ..model import Book, Chapter, IndexMark, Note, SourceFile, Target
from . import crossref, links
from .convert import Converted, Converter, title_unnumbered
from .ids import id_problems
from .images import check_image, missing_alt
from .index import build_index

if TYPE_CHECKING:
    from ..bibliography import CiteProcessor


def resolve(root: Path, config: BookConfig, sources: tuple[SourceFile, ...], memo: Memo | None = None,
            on_chapter: Callable[[Chapter, tuple[Note, ...]], None] | None = None,
            ) -> tuple[Book, list[Diagnostic]]:
    memo = memo or Memo(None)
    by_chapter = config.note_numbering == "chapter"
    processor, diags = _citations(root, config, sources[0])
    if processor is not None:
        memo = Memo(None)  # a citation's text depends on every citation before it (ibid., short forms)
    converter = Converter(config.primary_lang, by_chapter, config.numbered_sections, processor,
                          bool(config.bibliography))
    chapters: list[Chapter] = []
    notes: list[Note] = []
    marks: list[IndexMark] = []
    targets: list[Target] = []
    referring: list[tuple[SourceFile, Converted]] = []  # parts whose references wait for every label
    front_files = {root / name for _role, name in config.front}
    front: list[Chapter] = []
    ordinal = appendices = text_notes = 0  # text_notes: the notes outside the front matter so far
    floats = [0, 0]  # figures and tables numbered through the book so far (or outside chapters)
    # The chapters converted before (from the memo) are handed on after the ones converted now: their
    # pages are almost surely in the page cache, yet looking them up renders each one's document
    # (~7 ms), and a one-paragraph edit's changed chapter waited for those of every chapter before it
    # (~0.08 s of the edit's ~1.6 s for the 13th of 24, measured) before its layout could start.
    kept_chapters: list[tuple[Chapter, tuple[Note, ...]]] = []
    for number, src in enumerate(sources[1:], 1):
        in_front = src.path in front_files
        numbered = src.role == "chapter" and not title_unnumbered(src.text)
        ordinal += numbered
        printed = ordinal if numbered else None
        # A part's conversion depends only on its text, its place and the notes and floats before it.
        offset = 0 if by_chapter or in_front else text_notes
        # By chapter, a chapter's are 2.1, 2.2…, an appendix's A.1 (Chicago 3.11); a preface's or an
        # afterword's still run 1, 2… (unambiguous).
        appendices += src.role == "appendix"
        mark = str(printed) if printed is not None else \
            appendix_mark(src.text, appendices) if src.role == "appendix" else None
        by_chapter_floats = config.figure_numbering == "chapter" and mark is not None
        before = (0, 0) if by_chapter_floats else (floats[0], floats[1])
        prefix = f"{mark}." if by_chapter_floats else ""
        key = memo.key(code_version(), config.primary_lang, str(src.path), src.text, src.role, number,
                       offset, by_chapter, config.numbered_sections and printed, in_front, before, prefix)
        converted = memo.get(key)
        kept = converted is not None
        if converted is None:
            converted = converter.convert(src, number, offset, printed if config.numbered_sections else None,
                                          in_front, before, prefix)
            memo.put(key, converted)
        if not by_chapter_floats:
            floats = [floats[0] + converted.floats[0], floats[1] + converted.floats[1]]
        (front if in_front else chapters).append(converted.chapter)
        if converted.xrefs or links.outward(converted.chapter, converted.notes):
            referring.append((src, converted))
        elif on_chapter is not None and not in_front:
            if kept:
                kept_chapters.append((converted.chapter, converted.notes))
            else:
                on_chapter(converted.chapter, converted.notes)
        notes += converted.notes
        text_notes += 0 if in_front else len(converted.notes)
        marks += converted.marks
        targets += converted.targets
        diags += converted.diagnostics
        diags += filter(None, (check_image(root, s, src) for s in converted.chapter.images))
        diags += missing_alt(converted.chapter.body_html, src)
    if on_chapter is not None:
        for chapter, chapter_notes in kept_chapters:
            on_chapter(chapter, chapter_notes)
    diags += crossref.duplicates(targets)
    if referring:
        chapters, front, notes, targets, more = _resolve_references(
            referring, chapters, front, notes, targets, config)
        # The documents the build will write for this book, which a link may name.
        built = {*(["notes"] if text_notes and config.notes == "end" else []),
                 *(["bibliography"] if config.bibliography else []), *(["index"] if marks else [])}
        parts, notes, unlinked = links.resolve([*front, *chapters], notes, targets,
                                               {s.path: s.text for s in sources}, built)
        front, chapters = parts[:len(front)], parts[len(front):]
        more += unlinked
        diags += more
        if on_chapter is not None and not more:
            waiting = {c.chapter.number for _s, c in referring}
            for chapter in chapters:
                if chapter.number in waiting:
                    on_chapter(chapter, tuple(n for n in notes if n.chapter == chapter.number))
    if config.cover:
        problem = check_image(root, config.cover, sources[0])
        if problem:
            diags.append(problem)
    diags += id_problems([*front, *chapters], notes, sources, targets)
    index, index_diags = build_index(marks, config.primary_lang, labels_for(config.lang)["symbols"])
    diags += index_diags
    entries: tuple[tuple[str, str], ...] = ()
    if processor is not None and not any(d.severity == "error" for d in diags):
        entries = tuple(processor.bibliography(config.nocite))
        refs = processor.library.references
        line = key_lines(sources[0].text).get("nocite")
        diags += [error("K904", f"nocite key '{key}' is not in the bibliography", sources[0].path, line)
                  for key in config.nocite if key != "*" and key not in refs]
        diags += [warning("K905", f"reference '{key}' is never cited (list it under 'nocite' to keep it)",
                          refs[key].path, refs[key].line) for key in processor.uncited(config.nocite)]
    book = Book(config, root, tuple(chapters), tuple(notes), tuple(marks), index, sources, tuple(front),
                entries, tuple(targets))
    return book, diags


def _citations(root: Path, config: BookConfig,
               cfg: SourceFile) -> tuple[CiteProcessor | None, list[Diagnostic]]:
    """The CSL processor for the book's bibliography and style (none without `bibliography:`)."""
    if not config.bibliography:
        return None, []
    from ..bibliography import BUNDLED, CiteProcessor, load_library
    from ..config import key_lines

    lines = key_lines(cfg.text)
    library, diags = load_library(root, config.bibliography, cfg.path, lines.get("bibliography"),
                                   config.lang)
    style = BUNDLED.get(config.csl)
    if style is None:
        path = (root / config.csl).resolve()
        if config.csl.endswith(".csl") and path.is_relative_to(root.resolve()) and path.is_file():
            style = path
        else:
            diags.append(error("K906", f"unknown citation style '{config.csl}': use "
                                       f"{', '.join(BUNDLED)} or a .csl file inside the manuscript",
                               cfg.path, lines.get("csl")))
    if library is None or style is None:
        return None, diags
    try:
        return CiteProcessor(library, style, config.primary_lang), diags
    except Exception as exc:  # a .csl of the user's that citeproc cannot read: said, not a traceback
        return None, [*diags, error("K906", f"citation style '{config.csl}' cannot be read: {exc}"[:300],
                                    cfg.path, lines.get("csl"))]


def _resolve_references(referring: list[tuple[SourceFile, Converted]], chapters: list[Chapter],
                        front: list[Chapter], notes: list[Note], targets: list[Target], config: BookConfig,
                        ) -> tuple[list[Chapter], list[Chapter], list[Note], list[Target], list[Diagnostic]]:
    """The parts that make cross-references, with the words written in (the labels of the whole book
    are known now); unknown labels are errors with the reference's file:line."""
    words = crossref.Words.of(labels_for(config.lang), config.primary_lang)
    # A title or caption that makes a reference ("Section on @fig-map"): its words, wherever they are
    # quoted (a reference to an unnumbered section, the list of figures), are written out first.
    first = {t.label: t for t in reversed(targets)}  # the first of a duplicate (that is an error)
    targets = [dataclasses.replace(t, title=crossref.plain(t.title, first, words)) if "@" in t.title else t
               for t in targets]
    by_label = {t.label: t for t in reversed(targets)}
    diags: list[Diagnostic] = []
    replaced: dict[int, tuple[Chapter, tuple[Note, ...]]] = {}
    for src, converted in referring:
        problems = crossref.check(converted.xrefs, by_label, src.text, src.path)
        diags += problems
        if not problems:
            replaced[converted.chapter.number] = crossref.resolve_part(converted.chapter, converted.notes,
                                                                      by_label, words)
    new_notes = {n.id: n for _ch, ns in replaced.values() for n in ns}
    def new(parts: list[Chapter]) -> list[Chapter]:
        return [replaced[c.number][0] if c.number in replaced else c for c in parts]

    return new(chapters), new(front), [new_notes.get(n.id, n) for n in notes], targets, diags


# "# Appendix B: …", "# Aneks 2. …", "# Załącznik IV" (or underlined): the appendix's own letter or number.
_APPENDIX_TITLE = re.compile(r"^(?:#[ \t]+)?(?i:appendix|annex|aneks|dodatek|załącznik)[ \t]+"
                             r"([A-Z]|\d+|[IVXLC]+)\b")


def appendix_mark(text: str, ordinal: int) -> str:
    """What an appendix's figures and tables are numbered under (A.1): the letter or number its title
    gives it, else its place among the appendices as a letter (A, B…), as Chicago letters them."""
    title = next((line for line in text.split("\n") if line.strip()), "")  # '# ' or underlined
    found = _APPENDIX_TITLE.match(title)
    if found:
        return found.group(1)
    return chr(ord("A") + ordinal - 1) if ordinal <= 26 else str(ordinal)
