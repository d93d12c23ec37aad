"""`build.py init DIR`: a new manuscript that builds as it is, its book.yaml listing every key (from the
documented fields of BookConfig, so the list cannot drift), and with --theme a copy of that theme's
templates and styles under DIR/templates/ to edit."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from . import themes
from .config import FIELDS, is_language_tag
from .labels import labels_for

# Example values for keys a new book leaves commented out (YAML, as it would be written).
EXAMPLES = {
    "author": "Your Name", "translator": "Translator's Name", "editor": "Editor's Name",
    "subtitle": "A subtitle", "running_title": "A short title",
    "identifier": "urn:isbn:9780306406157",
    "publisher": "Your Press", "date": "2026-12-01", "rights": "© 2026 Your Name. All rights reserved.",
    "description": "One or two sentences for catalogues and reading apps.",
    "subjects": "[history, memoir]", "chapters": "[01-first-chapter.md]", "cover": "images/cover.jpg",
    "slug": "my-book", "edition": "First edition", "page_size": "A5", "theme": "book",
    "css": "style/house.css", "fonts": "{body: {regular: fonts/MyFace-Regular.ttf, italic: "
                                       "fonts/MyFace-Italic.ttf}}",
    "notes": "end", "note_numbering": "book", "numbered_sections": "false",
    "figure_numbering": "book", "lists": "[figures, tables]", "isbn": "978-0-306-40615-7",
    "front": "[{dedication: dedication.md}, {preface: preface.md}]",
    "back": "[{afterword: afterword.md}, {about: about.md}]",
    "colophon": "{paper: Munken Premium Cream 90 g/m², printer: Your Printer, print_run: 500 copies}",
    "bibliography": "references.bib", "csl": "chicago-notes", "nocite": "[smith2020]",
    "print": "{pdfx: x-4, icc: printer-profile.icc, condition: Your printer's coated stock}",
    "paper": "{caliper: 100}",
}
REQUIRED = ("title", "lang")  # written uncommented: lang from --lang, the title a placeholder

CHAPTER = """# The first chapter

Write in Markdown. A paragraph is lines of text; a blank line starts the next one.

A note is called like this[^first] and defined anywhere in the same chapter; kolofon numbers the notes
and sets them where `notes:` in book.yaml says (where the theme sets them, when it says nothing).

[^first]: This is the note's text. It may have *emphasis* and index terms too.

An index term is marked with double parentheses: ((lighthouses)) appear in the index with the page
numbers where they stand. A term may be filed under another form than the one printed: these
((lamp|lamps)) are filed under "lamp", and ((lamp, paraffin|paraffin lamps)) under "paraffin", a
subentry of "lamp". A term in triple parentheses is indexed without being printed, as the index's
cross-reference from "beacon" to "lighthouses" at the end of this sentence is(((beacon, see=lighthouses))).

## A section {#sec-lamps}

Sections are `##` headings; they appear in the EPUB's contents and the PDF's bookmarks. A label after
a heading, a table's caption or a figure lets the text refer to it: @tbl-hours is numbered, and
@page:tbl-hours gives the page it stands on; a reference to this section: @sec-lamps.

| Lamp     | Hours |
|----------|------:|
| paraffin |     8 |
| electric |    12 |

: Burning hours of two lamps {#tbl-hours}
"""


CHAPTER_PL = """# Pierwszy rozdział

Piszemy w Markdownie. Akapit to kilka wierszy tekstu; pusty wiersz zaczyna następny.

Przypis wywołujemy tak[^pierwszy], a jego treść podajemy w dowolnym miejscu tego samego rozdziału;
kolofon numeruje przypisy i składa je tam, gdzie wskazuje `notes:` w book.yaml (a gdy nic nie
wskazuje, tam, gdzie składa je motyw).

[^pierwszy]: To jest treść przypisu. Może mieć *wyróżnienia* i hasła indeksu.

Hasło indeksu oznaczamy podwójnym nawiasem: ((latarnie)) trafią do indeksu z numerami stron, na
których stoją. Hasło może mieć w indeksie inną postać niż w tekście: słowo ((latarnia|latarni)) trafia
do indeksu jako „latarnia”, a słowa ((latarnia, naftowa|lampy naftowej)) jako podhasło „naftowa” pod
„latarnia”. Hasło w potrójnym nawiasie trafia do indeksu bez śladu w tekście, jak odsyłacz od
„światła” do „latarni” na końcu tego zdania(((światło, see=latarnie))).

## Podrozdział {#sec-lampy}

Podrozdziały to nagłówki `##`; są w spisie treści EPUB i w zakładkach PDF. Etykieta po nagłówku, pod
tabelą lub przy rysunku pozwala się do nich odwołać: @tbl-godziny ma numer, a @page:tbl-godziny
podaje stronę, na której stoi; odsyłacz do tego podrozdziału: @sec-lampy.

| Lampa       | Godziny |
|-------------|--------:|
| naftowa     |       8 |
| elektryczna |      12 |

: Czas świecenia dwóch lamp {#tbl-godziny}
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="write a new manuscript folder that builds as it is")
    p.add_argument("folder", type=Path, help="the new manuscript folder (must not exist or be empty)")
    p.add_argument("--theme", choices=themes.available(), help="also copy this theme's templates and "
                   "styles into FOLDER/templates/ to edit")
    p.add_argument("--lang", default="en", type=_language, help="language of the book, BCP 47 (default: en)")


def _language(value: str) -> str:
    """--lang as book.yaml will accept it: init writes a manuscript that builds as it is."""
    if not is_language_tag(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a BCP 47 language tag such as pl or en-GB")
    return value


def book_yaml(theme: str | None, lang: str) -> str:
    lines = ["# book.yaml: what the book is and how it looks. Every key kolofon knows is listed; the",
             "# commented ones are optional (remove the '# ' to use one). Reference: README.md."]
    for name, f in FIELDS.items():
        lines.append("")
        lines += [f"# {line}" for line in _wrap(f.metadata["doc"])]
        if name in REQUIRED:
            # The placeholder title in the book's language: the title page prints it.
            value = lang if name == "lang" else labels_for(lang)["untitled"]
            lines.append(f"{name}: {value}")
        elif name == "theme" and theme:
            lines.append(f"theme: {theme}")
        else:
            lines.append(f"# {name}: {EXAMPLES[name]}")
    return "\n".join(lines) + "\n"


def init(folder: Path, theme: str | None = None, lang: str = "en") -> list[Path]:
    """Write the manuscript; returns the files written. Refuses a folder that has files in it."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError("the folder is not empty: init writes only into a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "book.yaml", folder / "01-first-chapter.md"]
    written[0].write_text(book_yaml(theme, lang), encoding="utf-8")
    written[1].write_text(CHAPTER_PL if lang.split("-")[0].lower() == "pl" else CHAPTER, encoding="utf-8")
    if theme:
        written += _copy_theme(theme, folder / "templates")
    return written


def _copy_theme(theme: str, target: Path) -> list[Path]:
    """The theme's own templates and styles (for the book theme: the built-in ones), to edit."""
    source = themes.TEMPLATES if theme == "book" else themes.folder(theme)
    copied = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file() or rel.parts[0] in ("themes", "fonts") or rel.name == themes.THEME_FILE:
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / rel)
        copied.append(target / rel)
    return copied


def _wrap(text: str, width: int = 100) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]
