"""book.yaml: typed, documented fields; unknown keys, wrong types and missing required keys are errors
that name the key and its line (as MkDocs does for mkdocs.yml)."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from . import themes
from .config_shapes import CHECKERS
from .diagnostics import Diagnostic, error

# BCP 47, loosely: a primary language subtag and optional subtags. Enough to refuse "Polish" or "pl_PL".
_LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def is_language_tag(value: str) -> bool:
    """What book.yaml's lang accepts: a BCP 47 tag such as pl or en-GB."""
    return bool(_LANG_RE.match(value))


class _TextDates(yaml.SafeLoader):
    """YAML's loader with dates kept as written: PyYAML makes `2026-02-30` a date and raises on it
    (a traceback, not the line of book.yaml), and we keep the text of a valid one anyway."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)
PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210), "A6": (105, 148), "B5": (176, 250), "B6": (125, 176),
              "letter": (215.9, 279.4)}


def _doc(text: str, required: bool = False) -> dict[str, Any]:
    return {"doc": text, "required": required}


@dataclass(frozen=True)
class BookConfig:
    title: str = field(metadata=_doc("Title of the book.", required=True))
    lang: str = field(metadata=_doc("Language of the text, BCP 47 (pl, en, en-GB...).", required=True))
    author: tuple[str, ...] = field(default=(), metadata=_doc("Author, or a list of authors."))
    translator: tuple[str, ...] = field(default=(), metadata=_doc(
        "Translator, or a list of them: on the title page and in the metadata."))
    editor: tuple[str, ...] = field(default=(), metadata=_doc(
        "Editor, or a list of them (of a collection, an edition): on the title page and in the metadata."))
    subtitle: str | None = field(default=None, metadata=_doc("Subtitle."))
    running_title: str | None = field(default=None, metadata=_doc(
        "The title as the running heads print it, when the whole title is too long for them; default: "
        "the title, shortened after a whole word with an ellipsis if it must be."))
    identifier: str | None = field(default=None, metadata=_doc(
        "Unique identifier (urn:uuid:…, urn:isbn:…); derived from the metadata when absent."))
    publisher: str | None = field(default=None, metadata=_doc("Publisher, printed on the title page."))
    date: str | None = field(default=None, metadata=_doc(
        "Publication date YYYY-MM-DD; every timestamp in every edition comes from it."))
    rights: str | None = field(default=None, metadata=_doc("Copyright or licence statement."))
    description: str | None = field(default=None, metadata=_doc("A short description for catalogues."))
    subjects: tuple[str, ...] = field(default=(), metadata=_doc("Subject keywords (list)."))
    chapters: tuple[str, ...] = field(default=(), metadata=_doc(
        "Chapter files in reading order; default: every *.md in the folder, sorted by name."))
    cover: str | None = field(default=None, metadata=_doc("Cover image (path inside the manuscript)."))
    slug: str | None = field(default=None, metadata=_doc(
        "Base name of the output files; default from title."))
    edition: str | None = field(default=None, metadata=_doc("Edition statement for the imprint page."))
    page_size: str = field(default="A5", metadata=_doc(
        "Page size of the PDF: A4, A5, A6, B5, B6, letter, or 'WIDTHmm HEIGHTmm' ('6in 9in' in inches) "
        "(default: the theme's)."))
    theme: str = field(default="book", metadata=_doc(
        "Built-in design: book (A5, endnotes) or report (A4, numbered sections, footnotes)."))
    css: tuple[str, ...] = field(default=(), metadata=_doc(
        "Stylesheet(s) inside the manuscript, applied after the theme's, in the PDF and the EPUB."))
    fonts: tuple[tuple[str, str, str], ...] = field(default=(), metadata=_doc(
        "The book's own fonts: body:, headings: and code:, each with regular:, italic:, bold:, bold_italic: "
        "(TrueType files inside the manuscript; regular: is required)."))
    notes: str = field(default="end", metadata=_doc(
        "Where notes are set: end (after the text), foot (at the foot of the page) or chapter (after "
        "each chapter). Default: the theme's."))
    note_numbering: str = field(default="book", metadata=_doc(
        "Note numbers run through the book, or start again in each chapter."))
    numbered_sections: bool = field(default=False, metadata=_doc(
        "Number chapters and sections 1, 1.1, 1.1.1 (default: the theme's)."))
    figure_numbering: str = field(default="book", metadata=_doc(
        "Figures and tables are numbered through the book (1, 2, 3) or by chapter (2.1, 2.2)."))
    lists: tuple[str, ...] = field(default=(), metadata=_doc(
        "Lists after the contents: figures, tables (a list of either or both)."))
    isbn: str | None = field(default=None, metadata=_doc(
        "ISBN-13 (or ISBN-10), check digit verified; printed on the imprint page and the colophon."))
    front: tuple[tuple[str, str], ...] = field(default=(), metadata=_doc(
        "Front matter before chapter 1, in order, as a list of 'role: file.md' (dedication, epigraph, "
        "foreword, preface, acknowledgments, introduction, prologue)."))
    back: tuple[tuple[str, str], ...] = field(default=(), metadata=_doc(
        "Back matter after the last chapter, as a list of 'role: file.md' (epilogue, conclusion, "
        "afterword, appendix, glossary, acknowledgments, about)."))
    bibliography: tuple[str, ...] = field(default=(), metadata=_doc(
        "References cited with [@key]: BibTeX/BibLaTeX .bib, CSL-JSON .json or CSL YAML .yaml files "
        "inside the manuscript (one or a list)."))
    csl: str = field(default="chicago-notes", metadata=_doc(
        "Citation style: chicago-notes (notes and bibliography), chicago-author-date, apa, or a .csl "
        "file inside the manuscript."))
    nocite: tuple[str, ...] = field(default=(), metadata=_doc(
        "Keys to list in the bibliography although never cited; '*' lists every reference."))
    print: tuple[tuple[str, str], ...] = field(default=(), metadata=_doc(
        "The print edition for a print shop: pdfx (x-4, the default, or x-1a), icc (the printer's CMYK "
        "profile, a file in the manuscript; default Coated FOGRA39) and condition (its name)."))
    paper: tuple[tuple[str, str], ...] = field(default=(), metadata=_doc(
        "The paper, for the cover's spine: caliper (µm per sheet) or ppi (pages per inch); default "
        "caliper 100."))
    colophon: tuple[tuple[str, str], ...] = field(default=(), metadata=_doc(
        "The colophon page: typefaces, paper, printer, print_run, note (each a line of text; typefaces "
        "defaults to the fonts used)."))

    @property
    def primary_lang(self) -> str:
        return self.lang.split("-")[0].lower()

    @property
    def book_id(self) -> str:
        if self.identifier:
            return self.identifier
        # Derived, never random: the same metadata gives the same identifier on every build.
        seed = "\x1f".join([self.title, self.subtitle or "", self.lang, *self.author, self.date or ""])
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'kolofon:' + seed)}"

    @property
    def isbn_urn(self) -> str | None:
        """The print edition's ISBN as a URN (urn:isbn:9780306406157), or None."""
        return f"urn:isbn:{self.isbn.replace('-', '').replace(' ', '')}" if self.isbn else None

    @property
    def output_slug(self) -> str:
        return self.slug or slugify(self.title)

    @property
    def page_mm(self) -> tuple[float, float]:
        if self.page_size in PAGE_SIZES:
            return PAGE_SIZES[self.page_size]
        w, h = (_millimetres(part) for part in self.page_size.split())
        return (w, h)


FIELDS = {f.name: f for f in fields(BookConfig)}


def _did_you_mean(key: str) -> str:
    """The nearest known key ('titel' -> 'title'), else the whole list."""
    close = difflib.get_close_matches(key.lower(), FIELDS, n=1, cutoff=0.6)
    if close:
        return f": did you mean '{close[0]}'?"
    return f" (known keys: {', '.join(sorted(FIELDS))})"

_FOLD_CHARS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
_FOLD = str.maketrans(_FOLD_CHARS, "acelnoszzACELNOSZZ", "'’ʼ")  # an apostrophe joins: keepers


@functools.cache
def _latin() -> Any:
    import icu

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def slugify(text: str) -> str:
    import unicodedata

    # A dash or any other sign between words parts them ("1929–2001": "1929-2001", not "19292001");
    # accents (combining marks after NFKD) are dropped; letters of other scripts are written in Latin
    # ("Αθήνα и Москва": "athena-i-moskva"; they were dropped, and a Greek title gave "book").
    if any(c.isalpha() and not unicodedata.normalize("NFKD", c)[0].isascii() and c not in _FOLD_CHARS
           for c in text):
        text = _latin().transliterate(text)
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    spaced = "".join(c if c.isascii() or c.isalnum() or unicodedata.combining(c) else " " for c in decomposed)
    folded = spaced.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "book"


def _check(name: str, value: Any, path: Path, line: int) -> tuple[Any, Diagnostic | None]:
    """Coerce one YAML value to the field's type, or say what is wrong with it."""
    if name in CHECKERS:
        value, problem = CHECKERS[name](value)
        code = {"theme": "K106", "isbn": "K107"}.get(name, "K104")
        return value, error(code, problem, path, line) if problem else None
    f = FIELDS[name]
    is_list = str(f.type).startswith("tuple")
    if name in ("author", "translator", "editor") and isinstance(value, str):
        value = [value]
    if is_list:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, error("K103", f"'{name}' must be a list of non-empty strings", path, line)
        return tuple(v.strip() for v in value), None
    if not isinstance(value, str) or not value.strip():
        return None, error("K103", f"'{name}' must be a non-empty string, not {type(value).__name__}",
                           path, line)
    value = value.strip()
    problem = {
        "lang": None if _LANG_RE.match(value) else f"'lang' must be a BCP 47 tag such as pl or en-GB, "
                                                     f"not '{value}'",
        "date": None if _DATE_RE.match(value) and _valid_date(value) else
        f"'date' must be a date YYYY-MM-DD, not '{value}'",
        "slug": None if _SLUG_RE.match(value) else "'slug' may hold only a-z, 0-9 and '-'",
        "page_size": _page_size_problem(value),
    }.get(name)
    if problem:
        return None, error("K104", problem, path, line)
    return value, None


_SIZE_RE = re.compile(r"\d+(\.\d+)?(mm|in) \d+(\.\d+)?(mm|in)")
PAGE_MM = (50, 1200)  # a business card to a poster; WeasyPrint refuses what is far outside it


def _millimetres(length: str) -> float:
    return float(length[:-2]) * (25.4 if length.endswith("in") else 1)


def _page_size_problem(value: str) -> str | None:
    if value in PAGE_SIZES:
        return None
    if not _SIZE_RE.fullmatch(value):
        return f"'page_size' must be one of {', '.join(PAGE_SIZES)} or 'WIDTHmm HEIGHTmm' ('6in 9in')"
    if not all(PAGE_MM[0] <= _millimetres(part) <= PAGE_MM[1] for part in value.split()):
        return f"'page_size' {value}: each side must be {PAGE_MM[0]}–{PAGE_MM[1]} mm"
    return None


def _valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_UNCLOSED = ("while scanning a quoted scalar", "while parsing a flow sequence",
             "while parsing a flow mapping", "while scanning a double-quoted scalar",
             "while scanning a single-quoted scalar")


def parse_config(text: str, path: Path) -> tuple[BookConfig | None, list[Diagnostic]]:
    """Parse book.yaml text; returns the config (None when unusable) and the problems found."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        context, start = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
        if start is not None and context.startswith(_UNCLOSED):
            # An unclosed quote or bracket is found wanting only where the file (or the next quote)
            # ends: the line where it opens is the one to fix (QA sweep: "line 9" of an 8-line file).
            line, reason = start.line + 1, f"{reason} ({context}, which starts on this line)"
        return None, [error("K101", f"invalid YAML: {reason}", path, line)]
    if root is None:
        root = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        return None, [error("K101", "book.yaml must be a mapping of keys to values", path, 1)]
    diags: list[Diagnostic] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    loader_data = yaml.load(text, Loader=_TextDates) or {}
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key in seen:  # YAML lets the last one win, silently: a draft title would go to print
            diags.append(error("K113", f"'{key}' is given twice (also on line {seen[key]})", path, line))
            continue
        seen[key] = line
        if key not in FIELDS:
            diags.append(error("K102", f"unknown key '{key}'{_did_you_mean(str(key))}", path, line))
            continue
        raw = loader_data[key]
        if key == "isbn" and isinstance(value_node, yaml.ScalarNode):
            raw = value_node.value  # as written: YAML would read 0306406152 as an octal number
        value, problem = _check(key, raw, path, line)
        if problem:
            diags.append(problem)
        else:
            values[key] = value
            lines[key] = line
    theme = values.get("theme", "book")
    for name, value in themes.defaults(theme).items():
        if name not in values:  # the book's own value wins over the theme's
            checked, problem = _check(name, value, themes.folder(theme) / themes.THEME_FILE, 1)
            if problem:
                diags.append(problem)
            values[name] = checked
    for name, f in FIELDS.items():
        if f.metadata["required"] and name not in values and not any(name in d.message for d in diags):
            diags.append(error("K105", f"missing required key '{name}'", path, 1))
    if diags:
        return None, diags
    return BookConfig(**values), []


def key_lines(text: str) -> dict[str, int]:
    """Line of each top-level key and of each item of the chapters list, for later diagnostics."""
    result: dict[str, int] = {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return result
    for key_node, value_node in root.value:
        result[key_node.value] = key_node.start_mark.line + 1
        if key_node.value == "chapters" and isinstance(value_node, yaml.SequenceNode):
            for item in value_node.value:
                result[f"chapters:{item.value}"] = item.start_mark.line + 1
        if key_node.value in ("front", "back") and isinstance(value_node, yaml.SequenceNode):
            for item in value_node.value:  # "- role: file.md"
                if isinstance(item, yaml.MappingNode) and item.value:
                    result[f"{key_node.value}:{item.value[0][1].value}"] = item.start_mark.line + 1
    return result
