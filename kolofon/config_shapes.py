"""book.yaml values that are more than one string: design keys (theme, css, fonts, notes), the ISBN, and
the front and back matter. Each checker returns the value coerced to its field's type, or a problem in
words; config.py puts the file and line to it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import themes

NOTES_MODES = ("end", "foot", "chapter")
NUMBERING = ("book", "chapter")
FONT_ROLES = ("body", "headings", "code")
FONT_STYLES = ("regular", "italic", "bold", "bold_italic")
FRONT_ROLES = ("dedication", "epigraph", "foreword", "preface", "acknowledgments", "introduction", "prologue")
BACK_ROLES = ("epilogue", "conclusion", "afterword", "appendix", "glossary", "acknowledgments", "about")
COLOPHON_KEYS = ("typefaces", "paper", "printer", "print_run", "note")
PDFX = ("x-4", "x-1a")

Result = tuple[Any, str | None]


def _choice(name: str, choices: tuple[str, ...]) -> Callable[[Any], Result]:
    def check(value: Any) -> Result:
        if value not in choices:
            return None, f"'{name}' must be one of {', '.join(choices)}, not '{value}'"
        return value, None
    return check


LISTS = ("figures", "tables")


def _lists(value: Any) -> Result:
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list):
        return None, f"'lists' must be a list of {' and '.join(LISTS)}, not '{value}'"
    unknown = [v for v in value if v not in LISTS]
    if unknown:
        return None, f"'lists' can hold {' and '.join(LISTS)}, not '{unknown[0]}'"
    return tuple(dict.fromkeys(value)), None


def _theme(value: Any) -> Result:
    names = themes.available()
    if value not in names:
        return None, f"unknown theme '{value}' (built-in themes: {', '.join(names)})"
    return value, None


def _bool(name: str) -> Callable[[Any], Result]:
    def check(value: Any) -> Result:
        if not isinstance(value, bool):
            return None, f"'{name}' must be true or false, not '{value}'"
        return value, None
    return check


def _files(value: Any) -> Result:
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None, "'css' must be a file name or a list of file names"
    return tuple(v.strip() for v in value), None


def _fonts(value: Any) -> Result:
    if not isinstance(value, dict):
        return None, ("'fonts' must map body:, headings: or code: to their files (regular:, italic:, bold:, "
                      "bold_italic:)")
    if set(value) <= set(FONT_STYLES):  # a shorthand: one family for everything
        value = {"body": value}
    result = []
    for role, faces in value.items():
        if role not in FONT_ROLES:
            return None, f"unknown font role '{role}' under 'fonts' (use {', '.join(FONT_ROLES)})"
        if not isinstance(faces, dict) or "regular" not in faces:
            return None, f"'fonts: {role}:' must give at least regular: (and italic:, bold:, bold_italic:)"
        for style, path in faces.items():
            if style not in FONT_STYLES:
                styles = ", ".join(FONT_STYLES)
                return None, f"unknown font style '{style}' under 'fonts: {role}:' (use {styles})"
            if not isinstance(path, str) or not path.strip():
                return None, f"'fonts: {role}: {style}:' must be a file name"
            result.append((role, style, path.strip()))
    return tuple(result), None


def _matter(name: str, roles: tuple[str, ...]) -> Callable[[Any], Result]:
    def check(value: Any) -> Result:
        shape = f"'{name}' must be a list of 'role: file.md' items (roles: {', '.join(roles)})"
        if not isinstance(value, list):
            return None, shape
        result = []
        for item in value:
            if not isinstance(item, dict) or len(item) != 1:
                return None, shape
            (role, path), = item.items()
            if role not in roles:
                return None, f"unknown role '{role}' in '{name}' (roles: {', '.join(roles)})"
            if not isinstance(path, str) or not path.strip():
                return None, shape
            result.append((role, path.strip()))
        return tuple(result), None
    return check


def _colophon(value: Any) -> Result:
    if not isinstance(value, dict):
        return None, f"'colophon' must map keys ({', '.join(COLOPHON_KEYS)}) to text"
    for key, text in value.items():
        if key not in COLOPHON_KEYS:
            return None, f"unknown key '{key}' under 'colophon' (use {', '.join(COLOPHON_KEYS)})"
        if not isinstance(text, str | int) or not str(text).strip():
            return None, f"'colophon: {key}:' must be text"
    return tuple((k, str(v).strip()) for k, v in value.items()), None


def _print(value: Any) -> Result:
    if not isinstance(value, dict):
        return None, "'print' must map pdfx:, icc: and condition: to values"
    for key, text in value.items():
        if key not in ("pdfx", "icc", "condition"):
            return None, f"unknown key '{key}' under 'print' (use pdfx, icc, condition)"
        if key == "pdfx" and text not in PDFX:
            return None, f"'print: pdfx:' must be one of {', '.join(PDFX)}, not '{text}'"
        if not isinstance(text, str) or not text.strip():
            return None, f"'print: {key}:' must be text"
    return tuple((k, str(v).strip()) for k, v in value.items()), None


def _paper(value: Any) -> Result:
    if not isinstance(value, dict) or len(value) != 1:
        return None, "'paper' must give one of caliper: (µm per sheet) or ppi: (pages per inch)"
    (key, number), = value.items()
    if key not in ("caliper", "ppi"):
        return None, f"unknown key '{key}' under 'paper' (use caliper or ppi)"
    if isinstance(number, bool) or not isinstance(number, int | float) or not 20 <= number <= 2000:
        return None, f"'paper: {key}:' must be a number (caliper 40–400 µm, ppi 200–1000), not '{number}'"
    return ((key, str(number)),), None


def isbn_problem(text: str) -> str | None:
    """Why the ISBN is not valid (length, characters, check digit), or None."""
    digits = re.sub(r"[\s-]", "", text.removeprefix("ISBN").strip()).upper()
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
        expected = str((10 - total % 10) % 10)
        if not digits.startswith(("978", "979")):
            return f"ISBN-13 '{text}' must begin with 978 or 979"
    elif len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        expected = "X" if check == 10 else str(check)
    else:
        return f"'{text}' is not an ISBN: it must have 13 digits (or 10, the last may be X)"
    if digits[-1] != expected:
        return f"ISBN '{text}' has a wrong check digit: {digits[-1]}, expected {expected} (a typo?)"
    return None


def _isbn(value: Any) -> Result:
    text = str(value).strip()
    problem = isbn_problem(text)
    return (None, problem) if problem else (text.removeprefix("ISBN").strip(), None)


def _names(name: str) -> Callable[[Any], Result]:
    def check(value: Any) -> Result:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, f"'{name}' must be a file name or a list of them" if name != "nocite" \
                else "'nocite' must be a key, a list of keys, or '*'"
        return tuple(v.strip().removeprefix("@") for v in value), None
    return check


CHECKERS: dict[str, Callable[[Any], Result]] = {
    "bibliography": _names("bibliography"),
    "nocite": _names("nocite"),
    "theme": _theme,
    "css": _files,
    "fonts": _fonts,
    "notes": _choice("notes", NOTES_MODES),
    "note_numbering": _choice("note_numbering", NUMBERING),
    "numbered_sections": _bool("numbered_sections"),
    "figure_numbering": _choice("figure_numbering", NUMBERING),
    "lists": _lists,
    "isbn": _isbn,
    "front": _matter("front", FRONT_ROLES),
    "back": _matter("back", BACK_ROLES),
    "colophon": _colophon,
    "print": _print,
    "paper": _paper,
}
