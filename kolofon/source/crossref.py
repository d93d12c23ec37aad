"""Cross-references resolved once the whole book is converted: every label's number and words are
known, so each reference placeholder (mdext/xrefs.py) becomes "rozdział 2", "rys. 3", "tab. 1" or the
printed page ("s. 14", filled in by the layout: kolofon/pagerefs.py). Pure: strings in, strings out."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from ..diagnostics import Diagnostic, error, line_of, warning
from ..model import Chapter, Heading, Note, SourceFile, Target
from ..pagerefs import placeholder
from .mdext.floats import Float
from .mdext.xrefs import LABEL, XREF_CLASS, Xref

_PLACEHOLDER = re.compile(rf'<a class="{XREF_CLASS}" data-form="(?P<form>[\w-]+)" href="#(?P<label>[^"]+)">'
                          r"(?P<raw>[^<]*)</a>")
_ABBREVIATION_BEFORE = re.compile(rf'(?<![\w.])(\w{{1,3}}\.) (?=<a class="{XREF_CLASS}" '
                                  r'data-form="(?:number|page-number)")')
# Where a sentence starts: a block's first words, or after "!", "?" or a full stop that ends a word of
# four letters or more or a number ("roku. Rys. 2"), never after "zob.", "por.", "np.", "s." (Polish
# abbreviations are short, and "zob. rys. 2" is the commonest reference of all).
_BLOCK_START = re.compile(r"<(?:p|li|td|th|figcaption|caption|h\d|blockquote|dd)\b[^>]*>\s*$")
_SENTENCE_END = re.compile(r"(?:(?:\w{4,}|\d)\.|[!?…])[)”»]?\s+$")  # read with the tags taken out
_TAG = re.compile(r"<[^>]*>")
_ALT_WITH_REF = re.compile(r'(\salt=")([^"]*@[^"]*)(")')
QUOTES = {"pl": ("„", "”"), "en": ("“", "”")}


def targets_of(headings: Sequence[Heading], title_label: str | None, title: str, chapter_id: str,
               floats: Sequence[Float], src: SourceFile, ordinal: int | None,
               front: bool) -> tuple[Target, ...]:
    """The labels a converted part defines: its title's and sections' {#sec-…}, its figures and tables.
    `title` is the title's words, `ordinal` the chapter's printed number (None when chapters are not
    numbered)."""
    found = []
    text, source = src.text, src.path
    seen: dict[str, int] = {}

    def line(label: str) -> int:  # the n-th definition of a label stands at its n-th "#label"
        seen[label] = seen.get(label, 0) + 1
        return _line(text, label, seen[label])

    if title_label and title_label.startswith("sec-"):
        words = title.removeprefix(str(ordinal)).strip() if ordinal else title
        found.append(Target(title_label, "chapter", chapter_id, str(ordinal) if ordinal else "", words,
                            source, line(title_label), front))
    for h in headings:
        if h.id.startswith("sec-"):
            words = " ".join(h.text.removeprefix(h.number).split())
            found.append(Target(h.id, "section", h.id, h.number, words, source, line(h.id), front))
    found += [Target(f.label, f.kind, f.label, f.number, f.caption, source, line(f.label), front)
              for f in floats if f.label]
    return tuple(found)


def _line(text: str, label: str, nth: int = 1) -> int:
    matches = [m.start() for m in re.finditer(rf"#{re.escape(label)}(?![\w-])", text)]
    return line_of(text, matches[min(nth, len(matches)) - 1]) if matches else 1


def duplicates(targets: Sequence[Target]) -> list[Diagnostic]:
    seen: dict[str, Target] = {}
    diags = []
    for t in targets:
        if t.label in seen:
            first = seen[t.label]
            diags.append(error("K951", f"label '#{t.label}' is used twice (first at {first.source.name}:"
                                       f"{first.line}): a label names one place", t.source, t.line))
        else:
            seen[t.label] = t
    return diags


def check(xrefs: Sequence[Xref], targets: Mapping[str, Target], text: str, source: Path) -> list[Diagnostic]:
    """Unknown labels, and page references to the front matter (its pages have roman numbers and are
    set after the text's)."""
    diags = []
    places = _places(xrefs, text)
    for ref, pos in zip(xrefs, places, strict=True):
        line = line_of(text, pos) if pos is not None else None
        target = targets.get(ref.label)
        if target is None:
            known = ", ".join(sorted(t for t in targets if t.startswith(ref.label.split("-")[0]))[:5])
            hint = f" (labels of this kind: {known})" if known else ""
            diags.append(error("K952", f"cross-reference {ref.raw}: no label '#{ref.label}' in the "
                                       f"book{hint}", source, line))
        elif ref.form.startswith("page") and target.front:
            diags.append(error("K953", f"page reference {ref.raw}: '#{ref.label}' is in the front matter; "
                                       "a page reference points into the text", source, line))
    for m in _MINUS_REF.finditer(_without_code(text)):
        diags.append(warning("K955", f"'{m[0]}' is no cross-reference and is printed as written: "
                                     f"'[{m[0]}]' gives the number alone, '[Chapter {m[0][1:]}]' a word of "
                                     "your own before it", source, line_of(text, m.start())))
    return diags


# "-@sec-x" anywhere but right after "[" (QA sweep: "[Chapter -@sec-history]" was printed as written,
# without a word).
_MINUS_REF = re.compile(rf"(?<!\[)-@{LABEL}")


def _without_code(text: str) -> str:
    """The source with its code spans blanked out (same length: positions still give lines)."""
    return re.sub(r"`+[^`]*`+", lambda m: " " * len(m[0]), text)


def _places(xrefs: Sequence[Xref], text: str) -> list[int | None]:
    """Where each reference stands in the source: the n-th reference written "@fig-a" is the n-th
    "@fig-a" that is not inside a code span, a longer form ("[-@fig-a]") or an address."""
    masked = _without_code(text)
    found: dict[str, list[int]] = {}
    for raw in {ref.raw for ref in xrefs}:
        pattern = re.escape(raw) if raw.startswith("[") else \
            rf"(?<![\w/:.@=?&#%+~\\\[-]){re.escape(raw)}(?![\w-])"
        found[raw] = [m.start() for m in re.finditer(pattern, masked)]
    taken: dict[str, int] = {}
    places: list[int | None] = []
    for ref in xrefs:
        n = taken.get(ref.raw, 0)
        taken[ref.raw] = n + 1
        places.append(found[ref.raw][n] if n < len(found[ref.raw]) else None)
    return places


@dataclass(frozen=True)
class Words:
    """The words a reference is made of, in the book's language (labels.py)."""

    chapter: str
    section: str
    figure: str
    table: str
    page: str
    quotes: tuple[str, str]

    @classmethod
    def of(cls, labels: Mapping[str, str], lang: str) -> Words:
        return cls(labels["ref_chapter"], labels["ref_section"], labels["ref_figure"], labels["ref_table"],
                   labels["page"], QUOTES.get(lang, QUOTES["en"]))


def substitute(html: str, targets: Mapping[str, Target], words: Words) -> str:
    """Every placeholder in `html` replaced by its reference, linked to the target."""
    if XREF_CLASS not in html:
        return html

    # "s. [-@page:x]", "tab. [-@tbl]": a number never starts a line after its abbreviation (the text's
    # typography glues "s. 12" as it is typed, but here the number was not in the text yet). Up to three
    # letters, as _SENTENCE_END has it: "roku. [-@fig]" ends a sentence.
    html = _ABBREVIATION_BEFORE.sub("\\1\u00a0", html)
    # In order, each judged by what the reader sees before it: "Rys. [-@fig-a]. @tbl-b" reads
    # "Rys. 1. Tab. 1" (judged by the placeholder, "]." ended no sentence).
    out: list[str] = []
    last = 0
    for m in _PLACEHOLDER.finditer(html):
        out.append(html[last:m.start()])
        last = m.end()
        target = targets[m["label"]]
        form = m["form"]
        if form == "prefixed":  # "[Rycina @fig-a]": the author's word and the number
            prefix = unescape(m["raw"])[1:].rsplit("@", 1)[0].strip()
            text = f"{_escape(prefix)}\u00a0{_text(target, 'number', words)}"
        else:
            text = _text(target, "label" if form == "capital" else form, words)
        before = "".join(out)[-300:]
        starts = _BLOCK_START.search(before) or _SENTENCE_END.search(_TAG.sub("", before))
        if (form == "label" and starts) or form == "capital":
            text = text[:1].upper() + text[1:]
        out.append(f'<a class="xref" href="#{target.anchor}">{text}</a>')
    html = "".join(out) + html[last:]
    # An image's text alternative is plain text: a reference in a caption is written out there too.
    return _ALT_WITH_REF.sub(lambda m: m[1] + plain(m[2], targets, words) + m[3], html)


def plain(text: str, targets: Mapping[str, Target], words: Words) -> str:
    """References in plain text (an alt text, a caption in the list of figures) written out as words;
    a page reference there gives its label instead, since no page is known where it is read."""
    def one(m: re.Match[str]) -> str:
        target = targets.get(m["bracketed"] or m["bare"])
        if target is None:
            return m[0]
        form = "number" if m["bracketed"] else "label"
        return _text(target, form, words)

    return _PLAIN_REF.sub(one, text)


_PLAIN_REF = re.compile(rf"\[-@(?:page:)?(?P<bracketed>{LABEL})\]"
                        rf"|(?<![\w/:.@=?&#%+~\\-])@(?:page:)?(?P<bare>{LABEL})")


def _text(target: Target, form: str, words: Words) -> str:
    if form == "page":
        return f"{words.page}\u00a0{placeholder(target.anchor)}"
    if form == "page-number":
        return placeholder(target.anchor)
    if not target.number:  # an unnumbered section or part: its title, quoted
        return f"{words.quotes[0]}{_escape(target.title)}{words.quotes[1]}"
    if form == "number":
        return target.number
    word = {"chapter": words.chapter, "section": words.section, "figure": words.figure,
            "table": words.table}[target.kind]
    return f"{word}\u00a0{target.number}"


def _escape(text: str) -> str:
    return escape(text, quote=False)


def resolve_part(chapter: Chapter, notes: Sequence[Note], targets: Mapping[str, Target],
                 words: Words) -> tuple[Chapter, tuple[Note, ...]]:
    """The chapter and its notes with their references written out."""
    def sub(html: str) -> str:
        return substitute(html, targets, words)

    def words_of(text: str) -> str:  # the title's and headings' plain words: contents, bookmarks, heads
        return plain(text, targets, words) if "@" in text else text

    chapter = dataclasses.replace(chapter, body_html=sub(chapter.body_html),
                                  title_html=sub(chapter.title_html),
                                  title_text=words_of(chapter.title_text),
                                  headings=tuple(dataclasses.replace(h, text=words_of(h.text))
                                                 for h in chapter.headings))
    return chapter, tuple(dataclasses.replace(n, html=sub(n.html), print_html=sub(n.print_html))
                          for n in notes)
