"""The book's fonts: can they be embedded, what are they called, and do they have every character printed.

K801 unreadable font, K802 licence forbids embedding, K803 CFF-flavoured or variable font,
K804 a character the font lacks.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

from .diagnostics import Diagnostic, error
from .model import SourceFile

MAX_PER_FILE = 20  # a book in the wrong script must not print thousands of lines

_FS_USAGE_MASK = 0x000F
_FS_RESTRICTED = 0x0002
_FS_NO_SUBSETTING = 0x0100
_FS_BITMAP_ONLY = 0x0200

# HarfBuzz draws these without a glyph (spaces, controls, format characters, variation selectors).
_NO_GLYPH_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})
_VARIATION_SELECTORS = frozenset(chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])


@dataclass(frozen=True)
class FontFile:
    path: Path  # absolute path of a .ttf/.otf file
    role: str  # "body", "headings" or "code"
    style: str  # "regular", "italic", "bold", "bold_italic"
    declared_at: tuple[Path, int | None]  # (book.yaml path, line) for diagnostics


@dataclass(frozen=True)
class _Header:
    tables: frozenset[str]
    fs_type: int
    family: str | None  # the typographic family name (name ID 16), else the family name (ID 1)
    characters: frozenset[str]  # what the character map (cmap) maps


# The stamp is part of every cache key so that `kolofon watch`, which runs many builds in one
# process, sees a font file that the user replaced.
_Key = tuple[Path, int, int]


def _key(path: Path) -> _Key:
    stat = path.stat()
    return (path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _header(key: _Key) -> _Header:
    """Read with HarfBuzz, not fontTools: the same answers, without the ~0.1 s that importing and
    decoding fontTools' name and cmap tables added to every build (measured)."""
    face = hb.Face(hb.Blob(key[0].read_bytes()))  # an OSError (no such file, a folder) says why
    tables = frozenset(face.table_tags)
    if not tables:
        raise ValueError("not a TrueType or OpenType font")
    os2 = bytes(face.reference_table("OS/2").data)
    # A font without OS/2 (old Mac TrueType) states no restriction.
    fs_type = int.from_bytes(os2[8:10], "big") if len(os2) >= 10 else 0
    return _Header(tables, fs_type, face.get_name(16) or face.get_name(1),
                   frozenset(map(chr, face.unicodes)))


def _shown(path: Path, base: Path | None) -> str:
    """Manuscript-relative where possible; a built-in font is named by its file name alone."""
    if base is not None:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.name


def check_font(font: FontFile) -> list[Diagnostic]:
    """Errors (K801-K803) for a font file that cannot be used."""
    where, line = font.declared_at
    what = f"font '{_shown(font.path, where.parent)}' ({font.role} {font.style.replace('_', ' ')})"
    try:
        header = _header(_key(font.path))
    except FileNotFoundError:
        return [error("K801", f"{what} cannot be read: no such file", where, line)]
    # A damaged file can fail in many ways; any of them means "unusable".
    except Exception as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [error("K801", f"{what} cannot be read: {reason}", where, line)]
    if "cmap" not in header.tables:
        return [error("K801", f"{what} cannot be read: it has no character map (cmap table)", where, line)]

    found: list[Diagnostic] = []
    fs_type = header.fs_type
    forbidden = []
    if fs_type & _FS_USAGE_MASK == _FS_RESTRICTED:
        forbidden.append("restricted licence embedding (0x0002)")
    if fs_type & _FS_BITMAP_ONLY:
        forbidden.append("bitmap embedding only (0x0200)")
    if fs_type & _FS_NO_SUBSETTING:
        forbidden.append("no subsetting (0x0100), and WeasyPrint always embeds a subset")
    if forbidden:
        found.append(error(
            "K802", f"{what}: the font's licence bits (OS/2 fsType 0x{fs_type:04X}: {'; '.join(forbidden)}) "
            "forbid embedding it in a PDF/EPUB; use a font whose licence allows embedding", where, line))

    if "fvar" in header.tables:
        found.append(error(
            "K803", f"{what} is a variable font, which the PDF cannot embed reliably; use its static "
            "instances (one TrueType .ttf file per style)", where, line))
    elif "glyf" not in header.tables:
        flavour = "CFF-flavoured OpenType" if {"CFF ", "CFF2"} & header.tables else "not TrueType-outlined"
        # WeasyPrint embeds CFF outlines in a form that PDF/A-1 forbids (see writers/pdfa.py).
        found.append(error(
            "K803", f"{what} is {flavour}, which the archival PDF/A cannot contain; use the "
            "TrueType-flavoured (.ttf) version of the typeface", where, line))
    return found


def family_name(path: Path) -> str:
    """The typographic family name (name ID 16, else 1) of the font, for @font-face and the colophon.

    Raises the reading error for an unreadable file: check_font() it first."""
    return _header(_key(path)).family or path.stem


def _describe(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, '<unnamed>')})"


def _needs_glyph(char: str) -> bool:
    return unicodedata.category(char) not in _NO_GLYPH_CATEGORIES and char not in _VARIATION_SELECTORS


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _regions(source: SourceFile, has_headings: bool) -> list[tuple[str, bool]]:
    """(text, set in the headings font?) pieces of a source, each with the source's line numbers
    (lines belonging to another piece are blanked, not removed)."""
    text = source.text
    if "&" in text and source.path.suffix not in (".yaml", ".yml"):
        # "&#x2605;" and "&starf;" print their character: it is checked as if typed (an entity has no
        # line end in it, so lines keep their numbers).
        text = _ENTITY.sub(lambda m: html.unescape(m[0]), text)
    if source.path.suffix in (".yaml", ".yml"):
        # Comments in book.yaml are never printed.
        return [(re.sub(r"(?m)^\s*#.*$", "", text), False)]
    if not has_headings or "#" not in text:
        return [(text, False)]
    lines = text.split("\n")
    body = "\n".join("" if line.startswith("#") else line for line in lines)
    # The leading #s are markup, not printed.
    heads = "\n".join(line.lstrip("#") if line.startswith("#") else "" for line in lines)
    return [(body, False), (heads, True)]


def _first_places(text: str, missing: set[str], limit: int) -> dict[str, tuple[int, int]]:
    """(line, column) of the first occurrence of each of the first `limit` missing characters."""
    offsets: dict[str, int] = {}
    remaining, start = set(missing), 0
    # Each search looks only for characters not found yet, so one frequent missing character
    # (a Polish text in a font without 'ą') does not make us step through all its occurrences.
    while remaining and len(offsets) < limit:
        pattern = re.compile("[" + re.escape("".join(remaining)) + "]")
        match = pattern.search(text, start)
        if match is None:
            break
        offsets[match.group()] = start = match.start()
        remaining.discard(match.group())
    places: dict[str, tuple[int, int]] = {}
    line, counted = 1, 0
    for char, offset in sorted(offsets.items(), key=lambda item: item[1]):
        line += text.count("\n", counted, offset)
        counted = offset
        places[char] = (line, offset - text.rfind("\n", 0, offset))
    return places


def uncovered_characters(
    sources: Sequence[SourceFile], body: Path, headings: Path | None = None,
    extra: str = "", extra_at: tuple[Path, int | None] | None = None,
) -> list[Diagnostic]:
    """K804 for each character (once per file) that the font it is set in lacks; at most MAX_PER_FILE
    per file. Heading lines (`#`) are checked against `headings` when given. `extra` holds what the
    build itself prints (quotes, dashes, labels) and is checked against the body font.

    The fonts must be readable: check_font() them first."""
    base = sources[0].path.parent if sources else None
    fonts = {False: body, True: headings or body}
    charsets = {flag: _header(_key(path)).characters for flag, path in fonts.items()}
    labels = {flag: f"'{family_name(path)}' ({_shown(path, base)})" for flag, path in fonts.items()}

    def missing_message(char: str, label: str) -> str:
        return (f"character {_describe(char)} is not in the font {label}: it would print as an empty box "
                "or in another typeface; choose a font that has it")

    found: list[Diagnostic] = []
    for source in sources:
        misses: dict[str, tuple[tuple[int, int], bool]] = {}
        all_missing: set[str] = set()
        for text, in_headings in _regions(source, headings is not None):
            # Set arithmetic first: only the few missing characters are then looked for in the text.
            missing = {c for c in set(text) - charsets[in_headings] if _needs_glyph(c)}
            if not missing:
                continue
            all_missing |= missing
            for char, place in _first_places(text, missing, min(len(missing), MAX_PER_FILE)).items():
                if char not in misses or place < misses[char][0]:
                    misses[char] = (place, in_headings)
        ordered = sorted(misses.items(), key=lambda item: item[1][0])[:MAX_PER_FILE]
        for char, ((line, _column), in_headings) in ordered:
            found.append(error("K804", missing_message(char, labels[in_headings]), source.path, line))
        if len(all_missing) > len(ordered):
            found.append(error("K804", f"... and {len(all_missing) - len(ordered)} more characters missing "
                               "in this file", source.path))

    where, line = extra_at if extra_at is not None else (None, None)
    lacking = [c for c in dict.fromkeys(extra) if c not in charsets[False] and _needs_glyph(c)]
    for char in lacking[:MAX_PER_FILE]:
        found.append(error("K804", missing_message(char, labels[False]) + " (the build prints it itself)",
                           where, line))
    if len(lacking) > MAX_PER_FILE:
        found.append(error("K804", f"... and {len(lacking) - MAX_PER_FILE} more characters missing "
                           "that the build prints itself", where, line))
    return found
