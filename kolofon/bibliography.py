"""Citations and the bibliography: reference files (BibTeX/BibLaTeX, CSL-JSON, CSL YAML) read with the file
and line of every key, rendered by citeproc-py through a CSL style into XHTML fragments. Names, dates,
titles, terms and punctuation all come from citeproc-py, the style and citeproc-py's own locales (with
the Polish terms of cslterms.py).

Limitations (citeproc-py 0.11.1):
- No disambiguation (`<if disambiguate="true">` always holds, so Chicago's short notes repeat the year:
  "Lem, Solaris, 1961, 13."), no year suffixes (2020a), no cite collapsing ("(Lem 1961; Lem 1968)").
- `initialize="false"` is ignored: chicago-author-date (18th ed.) prints "Lem, S." in the bibliography.
  Ordinals are English ("3rd wyd." in APA). "ibid." is not capitalised at the start of a note.
- text-case="title" (English stop words) applies to items whose `language` is English or missing; a
  missing one counts as the book's (we set the style's default-locale), so a Polish book keeps its titles
  as written, but in an English book a Polish title needs `language: pl` / `langid = {polish}`.
- `is-numeric` never holds for the locator, so APA and author-date drop a chapter's label ("(Lem 1961,
  3)"); a group whose variables are all empty still prints its terms (APA thesis: "(Publication)").
- No suppress-author: a placeholder author (or editor) is cut out with its delimiter; "red." stays.
- Entries would print the first citation's locator: the bibliography is rendered from fresh items.
- Its BibTeX reader makes incollection an article and drops institution, school, url, urldate, date,
  location, journaltitle, type, langid: `_BibTeX` maps them. Other unknown fields and CSL variables are
  dropped silently; keys are case-insensitive; markup in CSL-JSON strings (<i>) shows as text; the data
  is not escaped, so & < > travel as private-use characters.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import citeproc
import yaml
from citeproc.source import BibliographySource, Name
from citeproc.source import Reference as CslReference
from citeproc.source.bibtex.bibparse import BibTeXEntry, BibTeXParser
from citeproc.source.bibtex.bibtex import BibTeX
from citeproc.source.bibtex.latex import parse_latex
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, String

from . import citeorder, citeprocfix, cslhtml, cslterms
from .diagnostics import Diagnostic, error, line_of
from .source.index import collator
from .themes import TEMPLATES

BUNDLED = {name: TEMPLATES / f"csl/{name}.csl" for name in ("chicago-notes", "chicago-author-date", "apa")}
_LOCALES = {"pl": "pl-PL", "en": "en-US"}
citeorder.install()  # a citation's cites in the author's order unless the style sorts them
_PROTECT = str.maketrans("&<>", "\ue000\ue001\ue002")  # see Limitations


@dataclass(frozen=True)
class Reference:
    key: str
    path: Path  # the file it is defined in
    line: int  # its line there


@dataclass(frozen=True)
class Library:
    references: Mapping[str, Reference]  # a read-only MappingProxyType, in definition order
    source: BibliographySource  # every file merged, keyed by the lowercased key, as citeproc-py looks up


@dataclass(frozen=True)
class CiteRequest:
    key: str
    locator: str = ""
    label: str = ""  # CSL locator type ("page", "sub-verbo"…); "" means page. citeproc-py omits unknown ones
    prefix: str = ""  # plain text, escaped here
    suffix: str = ""
    suppress_author: bool = False


_Entries = list[tuple[str, int, CslReference]]  # key as written, its line, citeproc's reference


def load_library(root: Path, files: Sequence[str], cfg_path: Path, cfg_line: int | None,
                 lang: str = "en") -> tuple[Library | None, list[Diagnostic]]:
    """Every file merged; None if one could not be read (its keys would look unknown everywhere). A key
    defined twice is an error; the first definition is kept. `lang`: the book's, for the words a .bib's
    entry type stands for (@phdthesis: "PhD diss.", "rozprawa doktorska")."""
    diags: list[Diagnostic] = []
    references: dict[str, Reference] = {}
    source = BibliographySource()  # keyed by the lowercased key
    for name in files:
        path, suffix = root / name, Path(name).suffix.lower()
        loader = {".bib": _load_bib, ".json": _load_csl, ".yaml": _load_csl, ".yml": _load_csl}.get(suffix)
        problem = ("must be a .bib, .json, .yaml or .yml file" if loader is None
                   else "is outside the manuscript" if not path.resolve().is_relative_to(root.resolve())
                   else "does not exist" if not path.is_file() else "")
        if problem:
            diags.append(error("K901", f"bibliography file '{name}' {problem}", cfg_path, cfg_line))
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            diags.append(error("K902", "not UTF-8", path, exc.object.count(b"\n", 0, exc.start) + 1))
            continue
        entries, problems = _load_bib(path, text, lang) if loader is _load_bib else loader(path, text)
        diags += problems
        for key, line, ref in entries:
            if key.lower() in source:
                was = next(r for k, r in references.items() if k.lower() == key.lower())
                shown = was.path.relative_to(root) if was.path.is_relative_to(root) else was.path
                case = "" if was.key == key else f" as '{was.key}' (citeproc-py ignores the case of keys)"
                diags.append(error("K903", f"citation key '{key}' is defined twice; first{case} at "
                                   f"{shown}:{was.line}", path, line))
                continue
            references[key] = Reference(key, path, line)
            source[key.lower()] = ref
    failed = any(d.code in ("K901", "K902") for d in diags)
    return (None if failed else Library(MappingProxyType(references), source)), diags


def _protect(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_PROTECT)
    if isinstance(value, list):
        return [_protect(v) for v in value]
    return {k: _protect(v) for k, v in value.items()} if isinstance(value, dict) else value


_WS, _DIGITS, _MACRO = re.compile(r"\s*"), re.compile(r"\d+"), re.compile(r"[\w-]+")
_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY, _FIELD = re.compile(r"\s*([^\s,{}()\"=#]+)\s*,"), re.compile(r"\s*([^\s=,{}()\"#]+)\s*=")


def _scan_bib(text: str) -> list[tuple[str, int, BibTeXEntry]]:
    """(key, offset, entry) of every entry. citeproc-py's own parser loops forever on some malformed files
    and fails on others without saying where; this reads the same grammar and knows the lines."""
    entries: list[tuple[str, int, BibTeXEntry]] = []
    macros: dict[str, str] = dict(BibTeXParser.standard_variables)  # jan → January…
    pos = 0
    while (at := text.find("@", pos)) != -1:
        if (m := _ENTRY.match(text, at)) is None:
            raise ValueError("'@' must start an entry such as @book{key, …}", at)
        kind, close = m.group(1).lower(), "}" if m.group(2) == "{" else ")"
        pos, key, fields = m.end(), "", {}
        if kind in ("comment", "preamble"):  # skipped as a word: what follows is text between entries
            continue
        if kind != "string":
            if (found := _KEY.match(text, pos)) is None:
                raise ValueError(f"@{kind} entry without a key: write @{kind}{{key, …}}", at)
            key, pos = found.group(1), found.end()
        while True:
            pos = _WS.match(text, pos).end()
            if pos >= len(text) or text[pos] == "@":
                raise ValueError(f"entry '{key or kind}' is never closed: a '{close}' is missing", at)
            if text[pos] == close:
                break
            if (field := _FIELD.match(text, pos)) is None:
                raise ValueError(f"expected a field (name = value) in '{key or kind}'", pos)
            name, pos = field.group(1).lower(), field.end()
            pos, fields[name] = _value(text, pos, macros, at, key or kind)
            pos = _WS.match(text, pos).end()
            if text.startswith(",", pos):
                pos += 1
            elif not text.startswith(close, pos) and pos < len(text) and text[pos] != "@":
                raise ValueError(f"expected ',' or '{close}' after '{name}' in '{key or kind}'", pos)
        pos += 1
        if kind == "string":
            macros.update((k.lower(), str(v)) for k, v in fields.items())
        elif key:
            entries.append((key, at, BibTeXEntry(kind, fields)))
    return entries


def _value(text: str, pos: int, macros: dict[str, str], at: int, key: str) -> tuple[int, str | int]:
    """The end and text of a value: {…} or "…" (inner braces kept), a number or @string names, joined by #."""
    parts: list[str | int] = []
    while True:
        pos = _WS.match(text, pos).end()
        char = text[pos:pos + 1]
        if char in ("{", '"'):
            depth, start, closing = 0, pos + 1, "}" if char == "{" else '"'
            pos = start
            while pos < len(text) and not (depth == 0 and text[pos] == closing):
                depth += {"{": 1, "}": -1}.get(text[pos], 0)
                pos += 1
            if pos >= len(text):
                raise ValueError(f"the braces or quotes in '{key}' never close", at)
            parts.append(text[start:pos].replace("\\&", "&").translate(_PROTECT))
            pos += 1
        elif char.isdigit() or char.isalpha():
            word = (_DIGITS if char.isdigit() else _MACRO).match(text, pos).group()
            if char.isalpha() and word.lower() not in macros:
                raise ValueError(f"'{word}' is not defined by an @string (or put the value in braces)", pos)
            parts.append(int(word) if char.isdigit() else macros[word.lower()])
            pos += len(word)
        else:
            raise ValueError(f"a value ({{…}}, \"…\" or a number) is missing in '{key}'", pos)
        if not text.startswith("#", after := _WS.match(text, pos).end()):
            return pos, parts[0] if len(parts) == 1 else "".join(map(str, parts))
        pos = after + 1


class _BibTeX(BibTeX):
    """citeproc-py's conversion to CSL, with BibLaTeX's common types and fields mapped too."""

    types: ClassVar = {**BibTeX.types, "incollection": "chapter", "online": "webpage", "www": "webpage",
                       "collection": "book", "mvbook": "book", "mathesis": "thesis"}
    fields: ClassVar = {**BibTeX.fields, "institution": "publisher", "school": "publisher",
                        "location": "publisher_place", "journaltitle": "container_title", "type": "genre",
                        "archive": "archive", "archive_location": "archive_location",
                        "howpublished": "medium", "eventtitle": "event"}
    raw: ClassVar = {"url": "URL", "doi": "DOI", "langid": "language", "language": "language"}  # not LaTeX
    people: ClassVar = ("translator",)
    langids: ClassVar = {"english": "en", "american": "en", "british": "en", "polish": "pl"}
    preamble_macros: ClassVar = {}

    # What a thesis type says when the entry has no `type` field (the styles print it: "PhD diss.").
    theses: ClassVar = {"phdthesis": {"en": "PhD diss.", "pl": "rozprawa doktorska"},
                        "mastersthesis": {"en": "Master's thesis", "pl": "praca magisterska"},
                        "mathesis": {"en": "Master's thesis", "pl": "praca magisterska"}}

    def __init__(self, lang: str = "en"):
        BibliographySource.__init__(self)  # not BibTeX's, which parses a file: _scan_bib did
        self.lang = lang.split("-")[0].lower()

    def convert(self, key: str, entry: BibTeXEntry) -> CslReference:
        if entry.document_type not in self.types:
            raise ValueError(f"entry type @{entry.document_type} is not supported")
        kept = {k: _unlatex(v) if isinstance(v, str) else v for k, v in entry.items()
                if k in {"year", "month", *self.fields} - self.raw.keys()}
        if entry.document_type in self.theses and "type" not in kept:
            words = self.theses[entry.document_type]
            kept["type"] = words.get(self.lang, words["en"])
        ref = self.create_reference(key.lower(), BibTeXEntry(entry.document_type, kept))
        for name, value in list(ref.items()):
            if isinstance(value, int):  # citeproc-py reads "volume = {3}" as a number, then cases it
                ref[name] = MixedString([String(str(value))])
        for field in self.people:  # names citeproc-py's BibTeX reader drops (it knows author and editor)
            if field in entry:
                ref[field] = list(self._parse_author(_unlatex(str(entry[field]))))
        for name, variable in self.raw.items():
            if name in entry:
                value = re.sub(r"\\url\{(.*)\}", r"\1", str(entry[name])).strip("{} ")
                ref[variable] = self.langids.get(value.lower(), value) if variable == "language" else value
        for name, variable in (("urldate", "accessed"), ("date", "issued")):
            if name in entry:
                ref[variable] = _CSL_JSON.parse_date(_csl_date(str(entry[name]).strip("{} ")))
        return ref


# citeproc-py's LaTeX reader drops the braces inside a group ("{\k{e}}" reaches it as "\ke") and fails on
# a macro that ends a group ("{\L}"), and Polish .bib files (Zotero's, JabRef's) are full of both. So each
# accented or special letter is made Unicode first, by citeproc-py's own macro table; a group keeps its
# braces (they protect the case). "---" too: its ligature table reads "--" first and gives "–-".
_ACCENT = r"\\(?:[`'^\"~=.]|[HckbdruvGUt](?![A-Za-z]))[ \t]*(?:\{\\?[A-Za-z]\}|\\?[A-Za-z])"
_LETTER = r"\\(?:L|l|o|O|i|j|ss|ae|AE|oe|OE|aa|AA)(?![A-Za-z])"
_LATEX_LETTER = re.compile(rf"\{{(?P<grouped>{_ACCENT}|{_LETTER})\}}|(?P<accent>{_ACCENT})"
                           rf"|(?P<letter>{_LETTER})(?:\{{\}}|[ \t](?=[A-Za-z]))?")


# Commands that only format their argument: citeproc-py reads "\emph{x}" as "\emph" + a group and fails
# the same way; the argument stays a group (its case protected), the formatting is not kept.
_WRAPPER = re.compile(r"\\(?:emph|text(?:it|bf|sc|up|rm|sf|tt|sl|md|normal)|mbox|hbox|url|enquote"
                      r"|mkbib(?:quote|emph|italic|bold))[ \t]*(?=\{)")


# A capital kept as a group ("{\L}odzi" read as "{Ł}odzi"): citeproc-py takes a group inside a word for
# a word of its own, and title-cased English titles came out as "Ł Odzi" ("Pami ę ć" for lower case).
# The whole word is protected instead, which keeps the capital as the group meant to.
_CAPITAL_IN_WORD = re.compile(r"(\w*)\{(\w)\}(\w*)")


def _unlatex(value: str) -> str:
    def one(m: re.Match[str]) -> str:
        letter = parse_latex((m["grouped"] or m["accent"] or m["letter"]) + "{}")  # "{}": see above
        # A lower-case letter has no case to protect: no group, or it splits its word (see above).
        return "{" + letter + "}" if m["grouped"] and not letter.islower() else letter

    text = _WRAPPER.sub("", _LATEX_LETTER.sub(one, value)).replace("---", "\u2014")
    return _CAPITAL_IN_WORD.sub(lambda m: "{" + m[1] + m[2] + m[3] + "}" if m[1] or m[3] else m[0], text)


def _load_bib(path: Path, text: str, lang: str = "en") -> tuple[_Entries, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    try:
        scanned = _scan_bib(text)
    except ValueError as exc:  # (message, offset)
        return [], [error("K902", exc.args[0], path, line_of(text, exc.args[1]))]
    converter, entries = _BibTeX(lang), []
    for key, at, entry in scanned:
        try:
            entries.append((key, line_of(text, at), converter.convert(key, entry)))
        except KeyError as exc:  # citeproc-py's LaTeX reader meets a command it has no meaning for
            problems.append(error("K902", f"entry '{key}': unknown LaTeX command \\{exc.args[0]} (write "
                                          "the character itself)", path, line_of(text, at)))
        except Exception as exc:  # citeproc-py raises anything on bad data: K902 for this entry
            said = str(exc) or type(exc).__name__
            if "StopIteration" in said:  # its LaTeX reader ran out of text inside a command
                said = "a LaTeX command citeproc-py cannot read (write the character itself)"
            problems.append(error("K902", f"entry '{key}': {said}", path, line_of(text, at)))
    return entries, problems


_CSL_JSON = CiteProcJSON([])  # for its date reader
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_BETWEEN, _ID = re.compile(r"[\s,]*"), re.compile(r'"id"\s*:')
_NAME_PARTS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"}


def _csl_date(value: Any) -> Any:
    """The {"date-parts": …} that citeproc-py reads, from the other shapes CSL and Pandoc write."""
    if isinstance(value, dict) and ("date-parts" in value or "raw" not in value):
        return value
    value = value["raw"] if isinstance(value, dict) else value
    if isinstance(value, datetime.date):  # YAML reads 2020-05-01 as a date
        return {"date-parts": [[value.year, value.month, value.day]]}
    found = [_ISO.fullmatch(piece.strip()) for piece in str(value).strip().split("/")]  # ISO 8601 or a range
    if 1 <= len(found) <= 2 and all(found):
        return {"date-parts": [[int(g) for g in m.groups() if g] for m in found if m]}
    return {"literal": str(value)}


def _load_csl(path: Path, text: str) -> tuple[_Entries, list[Diagnostic]]:
    """A CSL-JSON list, or CSL YAML: a list or, as Pandoc writes it, a mapping with `references:`."""
    problems: list[Diagnostic] = []
    try:
        if path.suffix.lower() == ".json":
            items, lines, pos = json.loads(text or "[]"), [], text.find("[") + 1
            for _item in items if isinstance(items, list) else ():  # json keeps no positions: find each "id"
                pos = _BETWEEN.match(text, pos).end()
                end = json.JSONDecoder().raw_decode(text, pos)[1]
                lines.append(line_of(text, found.start() if (found := _ID.search(text, pos, end)) else pos))
                pos = end
        else:
            node = next((n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n is not None), None)
            items = yaml.SafeLoader("").construct_document(node) if node is not None else []
            if isinstance(items, dict) and isinstance(items.get("references"), list):
                node = next(v for k, v in node.value if k.value == "references")
                items = items["references"]
            lines = [n.start_mark.line + 1 for n in node.value] if isinstance(items, list) and node else []
    except json.JSONDecodeError as exc:
        return [], [error("K902", f"not valid JSON: {exc.msg}", path, exc.lineno)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        return [], [error("K902", f"not valid YAML: {getattr(exc, 'problem', None) or exc}", path,
                          mark.line + 1 if mark else None)]
    if not isinstance(items, list):
        return [], [error("K902", "expected a list of references (or 'references:' holding one)", path, 1)]
    entries: _Entries = []
    for item, line in zip(items, lines, strict=True):
        key = str(item.get("id") or "") if isinstance(item, dict) else ""
        if not key or not item.get("type"):
            problems.append(error("K902", f"reference '{key}' has no 'type' (book, article-journal, chapter…)"
                                  if key else "a reference without an 'id'", path, line))
            continue
        clean: dict[str, Any] = {}  # only what citeproc-py knows: it would warn about the rest
        for name, value in item.items():
            variable = name.replace("-", "_")
            if variable in citeproc.DATES:
                value = _csl_date(value)
            elif variable in citeproc.NAMES and isinstance(value, list):
                value = [{k: v for k, v in n.items() if k in _NAME_PARTS} if isinstance(n, dict) else n
                         for n in value]
            if name in ("id", "type", "language"):  # keys may hold & < >, which are never printed
                clean[name] = str(value)
            elif name == "shortTitle" or variable in citeproc.VARIABLES:
                clean[name] = _protect(value)
        try:
            entries.append((key, line, CiteProcJSON([clean])[key.lower()]))
        except Exception as exc:  # citeproc-py raises anything on bad data
            problems.append(error("K902", f"reference '{key}' cannot be read ({exc or type(exc).__name__})",
                                  path, line))
    return entries, problems


_HIDDEN = "Qkolofonhiddenq"  # letters only, so that case changes and escaping leave it findable
_HIDDEN_CUT = re.compile(rf"(<(\w+)[^>]*>)?{_HIDDEN}(?(1)</\2>)(?:[,;:]?\s+)?", re.I)  # with its tags
_TAG = re.compile(r"<[^>]+>")


class _NoCitation:
    """Stands in citeproc-py's list of what was cited for a note that cites nothing."""

    key = None
    citation = None
    has_locator = False
    locator = None


_NO_CITATION = _NoCitation()


class CiteProcessor:
    """One book's citations in reading order: ibid. and short forms depend on what came before."""

    def __init__(self, library: Library, style: Path, lang: str):
        citeprocfix.install()  # locators' labels and written-out given names, as the bundled styles ask
        self.library = library
        self.lang = lang.split("-")[0].lower()
        self.locale = locale = _LOCALES.get(self.lang, "en-US")
        self._style = citeproc.CitationStylesStyle(str(style), locale=locale, validate=False)
        if self._style.root.get("default-locale") is None:  # else a title without `language` is English
            self._style.root.set("default-locale", locale)
        cslterms.add_terms(self._style, self.lang)
        self._registry = citeproc.CitationStylesBibliography(self._style, library.source,
                                                             citeproc.formatter.html)
        self._cited: dict[str, None] = {}  # keys in order of first citation

    def note_without_citation(self) -> None:
        """A note of the author's that cites nothing came after the last citation: the next citation
        is no "ibid.", which names the note right before it (Chicago 14.34; QA sweep 14)."""
        self._registry._cites.append(_NO_CITATION)

    @property
    def note_style(self) -> bool:
        return self._style.root.get("class") == "note"

    def cite(self, items: Sequence[CiteRequest]) -> str:
        """One citation, registered in reading order, as an XHTML fragment; KeyError for an unknown key."""
        if unknown := [r.key for r in items if r.key not in self.library.references]:
            raise KeyError(unknown[0])
        citation = citeproc.Citation([self._item(request) for request in items])
        self._registry.register(citation)
        self._cited.update(dict.fromkeys(request.key for request in items))
        hidden = {r.key.lower(): self._without_author(r.key) for r in items if r.suppress_author}
        self._registry.source = ChainMap(hidden, self.library.source) if hidden else self.library.source
        text = str(self._registry.cite(citation, lambda item: f"{item.key}?"))
        self._registry.source = self.library.source
        return cslhtml.to_xhtml(_HIDDEN_CUT.sub("", text), self.locale)

    def bibliography(self, nocite: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(key, entry XHTML) for the cited and nocite keys ("*": all), in the book language's order."""
        refs = self.library.references
        keys = {**self._cited, **dict.fromkeys(refs if "*" in nocite else (k for k in nocite if k in refs))}
        items = {key: citeproc.CitationItem(key) for key in keys}  # fresh: no locator
        registry = type(self._registry)(self._style, self.library.source, self._registry.formatter)
        registry.register(citeproc.Citation(list(items.values())))
        entries = [(key, cslhtml.to_xhtml(str(out[0]), self.locale)) for key, item in items.items()
                   if (out := self._style.render_bibliography([item]))]
        # Opening quotes or brackets (an anonymous work's title) must not decide the place.
        plain = {key: re.sub(r"^\W+", "", html.unescape(_TAG.sub("", entry))) for key, entry in entries}
        return sorted(entries, key=lambda e: (collator(self.lang).getSortKey(plain[e[0]]), e[0]))

    def uncited(self, nocite: Sequence[str] = ()) -> list[str]:
        refs = () if "*" in nocite else self.library.references
        return [key for key in refs if key not in self._cited and key not in nocite]

    @staticmethod
    def _item(request: CiteRequest) -> citeproc.CitationItem:
        extra: dict[str, Any] = {}
        if request.locator:  # citeproc-py looks the label's term up with spaces: "sub verbo"
            label = (request.label or "page").replace("-", " ")
            extra["locator"] = citeproc.Locator(label, request.locator.translate(_PROTECT))
        if request.prefix:  # Pandoc's spacing: a space after the prefix, and before a suffix that is a word
            extra["prefix"] = request.prefix.translate(_PROTECT).rstrip() + " "
        if suffix := request.suffix.translate(_PROTECT):
            extra["suffix"] = " " + suffix if suffix[0].isalnum() else suffix
        return citeproc.CitationItem(request.key, **extra)

    def _without_author(self, key: str) -> CslReference:
        ref = self.library.source[key.lower()]
        fields = {k: v for k, v in ref.items() if k not in ("key", "type")}
        if names := next((n for n in ("author", "editor") if n in fields), None):
            fields[names] = [Name(literal=_HIDDEN)]
        return CslReference(ref.key, ref.type, **fields)
