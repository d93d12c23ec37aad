"""The back-of-book index, pure: term grammar, entries from marks, ICU collation, letter groups,
cross-reference checks, and page locators with ranges collapsed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import icu

from ..diagnostics import Diagnostic, warning
from ..model import IndexEntry, IndexGroup, IndexMark, Locator

SEE, SEE_ALSO = "see=", "see-also="


def parse_term(inner: str) -> tuple[tuple[str, ...], str | None, str | None] | str:
    """'Main, sub, see=X, see-also=Y | shown' -> ((main, sub), X, Y); an error message if malformed."""
    term, bar, shown = inner.partition("|")
    if bar and not shown.strip():
        return "the text after '|' (what the reader sees) is empty"
    path: list[str] = []
    see = see_also = None
    for part in (p.strip() for p in term.split(",")):
        if part.startswith(SEE_ALSO):
            see_also = part.removeprefix(SEE_ALSO).strip() or None
            if see_also is None:
                return "'see-also=' names no entry"
        elif part.startswith(SEE):
            see = part.removeprefix(SEE).strip() or None
            if see is None:
                return "'see=' names no entry"
        else:
            path.append(part)
    if not path or not all(path):
        return "empty index term"
    # Two levels are what a book index needs; further commas belong to the subentry's text.
    return (path[0], ", ".join(path[1:])) if len(path) > 1 else (path[0],), see, see_also


@cache
def collator(lang: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(lang.replace("-", "_")))


@cache
def _alphabet(lang: str) -> icu.AlphabeticIndex:
    return icu.AlphabeticIndex(icu.Locale(lang.replace("-", "_"))).buildImmutableIndex()


def sort_key(term: str, lang: str) -> tuple[bytes, str]:
    # The raw term breaks ties (e.g. "ćma" / "Ćma") so the order never depends on input order.
    return collator(lang).getSortKey(term), term


def letter_of(term: str, lang: str, symbols_label: str) -> str:
    alphabet = _alphabet(lang)
    label, kind = alphabet.getBucket(alphabet.getBucketIndex(term))
    return label if kind == 0 else symbols_label


@dataclass
class _Draft:
    marks: list[str] = field(default_factory=list)
    subs: dict[str, _Draft] = field(default_factory=dict)
    see: set[str] = field(default_factory=set)
    see_also: set[str] = field(default_factory=set)


def build_index(marks: Iterable[IndexMark], lang: str,
                symbols_label: str) -> tuple[tuple[IndexGroup, ...], list[Diagnostic]]:
    marks = list(marks)
    drafts: dict[str, _Draft] = {}
    for mark in marks:
        entry = drafts.setdefault(mark.path[0], _Draft())
        if len(mark.path) > 1:
            entry = entry.subs.setdefault(mark.path[1], _Draft())
        if mark.see:
            entry.see.add(mark.see)
        if mark.see_also:
            entry.see_also.add(mark.see_also)
        if not (mark.see or mark.see_also):  # a cross-reference mark adds no page
            entry.marks.append(mark.id)
    diags = []
    known = set(drafts) | {f"{main}, {sub}" for main, d in drafts.items() for sub in d.subs}
    for mark in marks:
        for target in filter(None, (mark.see, mark.see_also)):
            if target not in known:
                diags.append(warning("K403", f"index cross-reference to '{target}', which is not an entry "
                                     "(mark it somewhere with ((…)) or fix the spelling)",
                                     mark.source, mark.line))

    def freeze(term: str, d: _Draft) -> IndexEntry:
        subs = tuple(freeze(s, d.subs[s]) for s in sorted(d.subs, key=lambda t: sort_key(t, lang)))
        order = lambda t: sort_key(t, lang)  # noqa: E731
        return IndexEntry(term, tuple(d.marks), subs, tuple(sorted(d.see, key=order)),
                          tuple(sorted(d.see_also, key=order)))

    groups: dict[str, list[IndexEntry]] = {}
    for term in sorted(drafts, key=lambda t: sort_key(t, lang)):
        groups.setdefault(letter_of(term, lang, symbols_label), []).append(freeze(term, drafts[term]))
    return tuple(IndexGroup(label, tuple(entries)) for label, entries in groups.items()), diags


def locators(mark_ids: Iterable[str], page_of: Mapping[str, int]) -> tuple[Locator, ...]:
    """Pages of the marks, each page once, consecutive pages collapsed into ranges (3, 5–7)."""
    first_mark: dict[int, str] = {}
    for mark_id in mark_ids:
        first_mark.setdefault(page_of[mark_id], mark_id)
    result: list[Locator] = []
    for page in sorted(first_mark):
        if result and result[-1].last == page - 1:
            result[-1] = Locator(result[-1].first, page, result[-1].target)
        else:
            result.append(Locator(page, page, first_mark[page]))
    return tuple(result)
