"""The back-of-book index, pure: term grammar, entries from marks, ICU collation, letter groups,
cross-reference checks, and page locators with ranges collapsed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, warning
from ..model import IndexEntry, IndexGroup, IndexMark, Locator
from .typography import EMPHASIS

if TYPE_CHECKING:
    # Imported where used: ICU's import (~9 ms) is not on the way to a build's first layout (a
    # one-paragraph edit's changed chapter waited for it); the index is sorted after every chapter.
    import icu

SEE, SEE_ALSO = "see=", "see-also="
# "\," is a comma that belongs to the term ("Prus\, Bolesław"); any other comma starts a new part.
_COMMA_RE = re.compile(r"(?<!\\),")
# Emphasis as Markdown writes it, so that a book title marked *Lalka* in the text is italic in the index.
_EMPHASIS = EMPHASIS


def unescape(text: str) -> str:
    return text.replace("\\,", ",")


def entry_key(path: Iterable[str]) -> str:
    """The one string that names an entry or a subentry, as a see= target does: 'main, sub', with a
    comma inside a term escaped so that 'Prus\\, Bolesław' (one heading) differs from 'Prus, Bolesław'."""
    return ", ".join(part.replace(",", "\\,") for part in path)


def key_parts(key: str) -> tuple[str, ...]:
    return tuple(unescape(part).strip() for part in _COMMA_RE.split(key))


def plain(term: str) -> str:
    """The term's letters without its emphasis marks: what it is sorted and grouped by."""
    for pattern, _tag in _EMPHASIS:
        term = pattern.sub(r"\1", term)
    return term


_LEADING_MARKS = "\"'“”„‘’‚«»‹›([¿¡…-–—"


def filed(term: str) -> str:
    """What a term is filed by: its letters, less emphasis and the quotation marks or brackets before
    them ('"Red" Square' under R, not among the symbols)."""
    bare = plain(term)
    return bare.lstrip(_LEADING_MARKS + " ") or bare


def term_html(term: str) -> str:
    """The term as the index prints it: escaped, its *emphasis* set as <em>."""
    html = escape(term, quote=False)
    for pattern, tag in _EMPHASIS:
        html = pattern.sub(rf"<{tag}>\1</{tag}>", html)
    return html


def shown_text(inner: str) -> str:
    """What the text shows for ((inner)): the part after '|', else the term less its cross-references."""
    term, bar, shown = inner.partition("|")
    if not bar:
        parts = _COMMA_RE.split(term)
        ends = [i for i, part in enumerate(parts) if part.strip().startswith((SEE, SEE_ALSO))]
        shown = ",".join(parts[: ends[0]] if ends else parts)
    return unescape(shown.strip())


def parse_term(inner: str, typeset: Callable[[str], str] = lambda part: part,
               ) -> tuple[tuple[str, ...], str | None, str | None] | str:
    """'Main, sub, see=X, see-also=Y | shown' -> ((main, sub), X, Y); an error message if malformed.
    A see= or see-also= target runs to the next one, so 'see=Lighthouse, keepers of' names a subentry.
    `typeset` is applied to each part on its own (a quote after 'see=' opens, as it would in the text)."""
    term, bar, shown = inner.partition("|")
    if bar and not shown.strip():
        return "the text after '|' (what the reader sees) is empty"
    parts: dict[str, list[str]] = {"path": [], SEE: [], SEE_ALSO: []}
    current = parts["path"]
    for part in (p.strip() for p in _COMMA_RE.split(term)):
        prefix = next((p for p in (SEE_ALSO, SEE) if part.startswith(p)), None)
        if prefix:
            current = parts[prefix]
            part = part.removeprefix(prefix).strip()
            if not part:
                return f"'{prefix}' names no entry"
        current.append(typeset(part))
    path = _two_levels(parts["path"])
    if not path or not all(path):
        return "empty index term"
    see, see_also = (entry_key(_two_levels(parts[p])) if parts[p] else None for p in (SEE, SEE_ALSO))
    return path, see, see_also


def _two_levels(parts: list[str]) -> tuple[str, ...]:
    # Two levels are what a book index needs; further commas belong to the subentry's text.
    parts = [unescape(p) for p in parts]
    return (parts[0], ", ".join(parts[1:])) if len(parts) > 1 else tuple(parts)


@cache
def collator(lang: str) -> icu.Collator:
    """The language's alphabetical order, numbers by their value: vol. 2 before vol. 10, Station 3
    before Station 12 (as text, "10" came before "2")."""
    import icu

    order = icu.Collator.createInstance(icu.Locale(lang.replace("-", "_")))
    order.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return order


@cache
def _alphabet(lang: str, scripts: frozenset[str] = frozenset()) -> icu.AlphabeticIndex:
    """The language's letters, plus those of every other script the index's terms begin with: Greek
    and Cyrillic names get their own letters (Α, М) after the language's, as ICU orders them."""
    import icu

    index = icu.AlphabeticIndex(icu.Locale(lang.replace("-", "_")))
    for script in sorted(scripts):
        index.addLabels(icu.Locale.createFromName(f"und_{script}").addLikelySubtags())
    return index.buildImmutableIndex()


def _script_of(term: str) -> str | None:
    import icu

    letter = next((c for c in plain(term) if c.isalpha()), None)
    return icu.Script.getScript(ord(letter)).getShortName() if letter else None


def scripts_of(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(s for s in map(_script_of, terms) if s not in (None, "Latn", "Zyyy", "Zinh"))


def sort_key(term: str, lang: str) -> tuple[tuple[bytes, ...], str]:
    """Part by part around a comma, so that an inverted name comes before a longer heading that starts
    with the same word ("New, Arthur" before "New York": ICU puts the space before the comma), as
    Chicago sorts them (16.61). The raw term breaks ties ("ćma" / "Ćma"): the order never depends on
    the input's."""
    order = collator(lang)
    return tuple(order.getSortKey(part) for part in filed(term).split(", ")), term


def letter_of(term: str, lang: str, symbols_label: str, scripts: frozenset[str] = frozenset()) -> str:
    alphabet = _alphabet(lang, scripts)
    label, kind = alphabet.getBucket(alphabet.getBucketIndex(filed(term)))
    return label if kind == 0 else symbols_label


@dataclass
class _Draft:
    marks: list[str] = field(default_factory=list)
    subs: dict[str, _Draft] = field(default_factory=dict)
    see: dict[str, IndexMark] = field(default_factory=dict)  # target -> the first mark that names it
    see_also: dict[str, IndexMark] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.marks or self.subs or self.see or self.see_also)


def build_index(marks: Iterable[IndexMark], lang: str,
                symbols_label: str) -> tuple[tuple[IndexGroup, ...], list[Diagnostic]]:
    drafts: dict[str, _Draft] = {}
    for mark in marks:
        entry = drafts.setdefault(mark.path[0], _Draft())
        if len(mark.path) > 1:
            entry = entry.subs.setdefault(mark.path[1], _Draft())
        if mark.see:
            entry.see.setdefault(mark.see, mark)
        if mark.see_also:
            entry.see_also.setdefault(mark.see_also, mark)
        if not (mark.see or mark.see_also):  # a cross-reference mark adds no page
            entry.marks.append(mark.id)
    diags = _resolve_cross_references(drafts)
    order = lambda t: sort_key(t, lang)  # noqa: E731

    def freeze(term: str, d: _Draft) -> IndexEntry:
        subs = tuple(freeze(s, d.subs[s]) for s in sorted(d.subs, key=order))
        see, see_also = set(d.see), set(d.see_also)
        if not (d.marks or d.subs):  # "see also" with no pages to be also to is a "see" (Chicago 16.18)
            see, see_also = see | see_also, set()
        return IndexEntry(term, tuple(d.marks), subs, tuple(sorted(see, key=order)),
                          tuple(sorted(see_also, key=order)))

    scripts = scripts_of(drafts)
    groups: dict[str, list[IndexEntry]] = {}
    for term in sorted(drafts, key=order):
        letter = letter_of(term, lang, symbols_label, scripts)
        groups.setdefault(letter, []).append(freeze(term, drafts[term]))
    return tuple(IndexGroup(label, tuple(entries)) for label, entries in groups.items()), diags


def _entries(drafts: dict[str, _Draft]) -> dict[str, _Draft]:
    """Every entry and subentry by its key ('main', 'main, sub')."""
    found = {entry_key((main,)): d for main, d in drafts.items()}
    found |= {entry_key((main, sub)): s for main, d in drafts.items() for sub, s in d.subs.items()}
    return found


def _resolve_cross_references(drafts: dict[str, _Draft]) -> list[Diagnostic]:
    """Point every see/see-also at the entry it names, and leave out, with a warning, one that names no
    entry: printed, it would send the reader nowhere, and the EPUB cannot link it (EPUBCheck RSC-005).
    An entry left with nothing (its only content a dropped reference) goes too, and so on."""
    diags: list[Diagnostic] = []
    changed = True
    while changed:
        changed = False
        entries = _entries(drafts)
        by_plain: dict[str, list[str]] = {}
        for key in entries:
            by_plain.setdefault(plain(key), []).append(key)
        for draft in entries.values():
            for refs in (draft.see, draft.see_also):
                for target, mark in list(refs.items()):
                    found = target if target in entries else _only(by_plain.get(plain(target), []))
                    if found is None:
                        # "see=Miller, Hannah" with no subentry Hannah under Miller: the heading
                        # "Miller\, Hannah" (an inverted name) is the one meant (QA sweep 12).
                        whole = entry_key((unescape(target),))
                        found = whole if whole in entries else None
                    if found is None or entries[found].empty():
                        del refs[target]
                        changed = True
                        diags.append(_dangling(target, mark))
                    elif found != target:
                        refs[found] = refs.pop(target)
        changed |= _drop_empty(drafts)
    return diags


def _only(keys: list[str]) -> str | None:
    # A target written without the entry's emphasis ("Lalka" for "*Lalka*") names it when it is the only one.
    return keys[0] if len(keys) == 1 else None


def _drop_empty(drafts: dict[str, _Draft]) -> bool:
    dropped = False
    for main, draft in list(drafts.items()):
        for sub in [s for s, d in draft.subs.items() if d.empty()]:
            del draft.subs[sub]
            dropped = True
        if draft.empty():
            del drafts[main]
            dropped = True
    return dropped


def _dangling(target: str, mark: IndexMark) -> Diagnostic:
    return warning("K403", f"index cross-reference to '{unescape(target)}', which is not an entry, is left "
                   "out of the index (mark the entry somewhere with ((…)) or fix the spelling)",
                   mark.source, mark.line)


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
