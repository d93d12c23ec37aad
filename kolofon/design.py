"""The book's design, read and checked before anything is laid out: the template layers (the book's own
templates/, then its theme's, then the built-in ones), its stylesheets and its fonts.

A theme and a book's own templates/ folder are the same thing: a folder whose files replace the
built-in templates of the same relative path. Stylesheets and fonts must stay inside the manuscript,
like images; what a stylesheet loads (url(...)) is checked here with file:line, and the layout's
fetcher refuses anything else at run time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import themes
from .config import BookConfig, key_lines
from .diagnostics import Diagnostic, error, line_of, warning
from .model import SourceFile

BOOK_TEMPLATES = "templates"  # a book's own templates, inside the manuscript folder
BUILTIN_FONTS = {
    "regular": "GentiumBookPlus-Regular.ttf", "italic": "GentiumBookPlus-Italic.ttf",
    "bold": "GentiumBookPlus-Bold.ttf", "bold_italic": "GentiumBookPlus-BoldItalic.ttf",
}
# Code in a monospaced face whatever the theme: its columns line up, and a reader tells `Ala` the
# program text from Ala the word. No italic: Noto has none, and code is hardly ever emphasised.
BUILTIN_CODE = "Noto Sans Mono"
BUILTIN_CODE_FONTS = {"regular": "NotoSansMono-Regular.ttf", "bold": "NotoSansMono-Bold.ttf"}
_ROLE_SUFFIX = re.compile(r" \((?:headings|code)\)$")
_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_IMPORT_RE = re.compile(r"@import\b", re.IGNORECASE)
# What an EPUB may carry under a manuscript path without escaping (EPUBCheck RSC-020): plain names.
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._/-]+$")


@dataclass(frozen=True)
class FontFace:
    family: str
    style: str  # normal | italic
    weight: int  # 400 | 700
    path: Path
    rel: str  # manuscript-relative path ("" for the built-in and theme fonts: the EPUB carries only a book's)


@dataclass(frozen=True)
class Stylesheet:
    rel: str  # manuscript-relative path, also its path inside the EPUB
    text: str  # as written: its url()s are relative to itself, which the EPUB keeps
    print_text: str  # url()s as file: URLs, for the PDF, which inlines it
    resources: tuple[str, ...]  # manuscript-relative files it loads (fonts, images)


@dataclass(frozen=True)
class Design:
    theme: str
    own_templates: Path | None  # the book's templates/ folder, if it has one
    theme_templates: Path | None  # the theme's folder (None for the book theme: the built-in templates)
    body_family: str
    headings_family: str
    faces: tuple[FontFace, ...]
    stylesheets: tuple[Stylesheet, ...] = ()
    code_family: str = BUILTIN_CODE

    @property
    def layers(self) -> tuple[Path, ...]:
        """Folders searched before the built-in templates, the first that has a template wins."""
        return tuple(p for p in (self.own_templates, self.theme_templates) if p is not None)

    def regular(self, family: str) -> Path:
        """The upright regular face of a family (what the coverage check reads)."""
        return next(f.path for f in self.faces
                    if f.family == family and (f.style, f.weight) == ("normal", 400))

    @staticmethod
    def shown(family: str) -> str:
        """A family's own name, as a reader knows it (not "Noto Sans (headings)", a role's name)."""
        return _ROLE_SUFFIX.sub("", family)

    @property
    def families(self) -> tuple[str, ...]:
        """The typefaces' own names (as the PDF's fonts carry them)."""
        return tuple(dict.fromkeys(self.shown(f.family) for f in self.faces))

    @property
    def families_without_code(self) -> tuple[str, ...]:
        """The typefaces of a book with no code in it (the code face is loaded, never used)."""
        text = {self.shown(f) for f in (self.body_family, self.headings_family)}
        return tuple(f for f in self.families if f != self.shown(self.code_family) or f in text)

    @property
    def own_fonts(self) -> tuple[FontFace, ...]:
        """The book's own fonts: the EPUB carries these (readers have their own for the default)."""
        return tuple(f for f in self.faces if f.rel)

    @property
    def files(self) -> tuple[str, ...]:
        """Every manuscript file the design uses (the archive deposits them with the text)."""
        own = {f.rel for f in self.own_fonts} | {s.rel for s in self.stylesheets}
        own |= {r for s in self.stylesheets for r in s.resources}
        if self.own_templates is not None:
            own |= {p.relative_to(self.own_templates.parent).as_posix()
                    for p in self.own_templates.rglob("*") if p.is_file()}
        return tuple(sorted(own))


def coverage(design: Design, sources: tuple[SourceFile, ...], config: BookConfig) -> list[Diagnostic]:
    """Every character of the text (and of what the build writes itself: quotes, dashes, labels) that
    the fonts cannot show: an empty box or a silent fallback must never reach the page."""
    from .fonts import uncovered_characters
    from .labels import labels_for
    from .source.images import svg_font_problems

    generated = "„”‚’«»–—…0123456789" + "".join(labels_for(config.lang).values())
    if config.notes == "end":
        generated += "↑"  # each endnote's way back: "↑ p. 12"
    own_headings = design.headings_family != design.body_family
    headings = design.regular(design.headings_family) if own_headings else None
    cfg = sources[0]
    diags = uncovered_characters(sources, design.regular(design.body_family), headings, generated,
                                 (cfg.path, key_lines(cfg.text).get("fonts")))
    if headings is not None:  # the title page and the cover set book.yaml's words in the headings face
        diags += uncovered_characters([cfg], headings)
    return diags + svg_font_problems(cfg.path.parent, sources, _regular_faces(design))


def _regular_faces(design: Design) -> dict[str, Path]:
    """Each @font-face family of the PDF (what an SVG's font-family may name) and its regular file."""
    return {f.family: f.path for f in design.faces if (f.style, f.weight) == ("normal", 400)}


def builtin_faces() -> tuple[FontFace, ...]:
    folder = themes.TEMPLATES / "fonts"
    return tuple(FontFace("Gentium Book Plus", *_style(style), folder / name, "")
                 for style, name in BUILTIN_FONTS.items())


def builtin_code_faces() -> tuple[FontFace, ...]:
    folder = themes.TEMPLATES / "fonts"
    return tuple(FontFace(BUILTIN_CODE, *_style(style), folder / name, "")
                 for style, name in BUILTIN_CODE_FONTS.items())


def default_design(theme: str = "book") -> Design:
    family = "Gentium Book Plus"
    return Design(theme, None, _theme_folder(theme), family, family, builtin_faces() + builtin_code_faces())


def load_design(root: Path, config: BookConfig, cfg_path: Path,
                cfg_text: str) -> tuple[Design, list[Diagnostic]]:
    """The design the book asks for; problems name book.yaml's line or the stylesheet's."""
    from .fonts import FontFile, check_font, family_name

    lines = key_lines(cfg_text)
    diags: list[Diagnostic] = []
    faces = list(builtin_faces())
    families = {"body": "Gentium Book Plus"}
    for role in ("body", "headings", "code"):
        where = (cfg_path, lines.get("fonts"))
        # (style, file, manuscript-relative path or "" for the theme's own fonts)
        wanted = [(style, _inside(root, rel), rel) for r, style, rel in config.fonts if r == role] or \
            [(style, path, "") for r, style, path in themes.fonts(config.theme) if r == role]
        role_faces = []
        for style, path, rel in wanted:
            problems = check_font(FontFile(path, role, style, where)) if path else \
                [error("K801", f"font '{rel}' is outside the manuscript folder", *where)]
            diags += problems
            if path and rel:
                problems += filter(None, [epub_path_problem(rel, *where)])
            if path and not problems:
                role_faces.append((style, path, rel))
        styles = {style for style, _path, _rel in role_faces}
        if role == "body" and role_faces and not {"italic", "bold"} <= styles:
            missing = " and ".join(s for s in ("italic", "bold") if s not in styles)
            diags.append(warning("K805", f"the body font has no {missing} face: emphasis in the text "
                                         "would be set in the regular face", *where))
        if role_faces:
            family = family_name(role_faces[0][1])
            # Named per role: a headings face must not stand in for the body's in the same family.
            families[role] = family if role == "body" else f"{family} ({role})"
            faces += [FontFace(families[role], *_style(style), path, rel) for style, path, rel in role_faces]
    diags += _printer_profile(root, config, cfg_path, lines.get("print"))
    sheets = []
    for rel in dict.fromkeys(config.css):  # a sheet listed twice is applied once
        sheet, problems = _stylesheet(root, rel, cfg_path, lines.get("css"))
        diags += problems
        if sheet is not None:
            sheets.append(sheet)
    if families["body"] != "Gentium Book Plus":  # the built-in faces are loaded only when used
        faces = faces[len(builtin_faces()):]
    if "code" not in families:
        faces += builtin_code_faces()
    own = root / BOOK_TEMPLATES
    design = Design(config.theme, own.resolve() if own.is_dir() else None, _theme_folder(config.theme),
                    families["body"],
                    families.get("headings", families["body"]), tuple(faces), tuple(sheets),
                    families.get("code", BUILTIN_CODE))
    return design, diags


def _printer_profile(root: Path, config: BookConfig, cfg_path: Path, line: int | None) -> list[Diagnostic]:
    """The printer's own ICC profile (print: icc:) must be a CMYK output profile inside the manuscript."""
    rel = dict(config.print).get("icc")
    if rel is None:
        return []
    path = _inside(root, rel)
    if path is None or not path.is_file():
        where = "does not exist" if path is not None else "is outside the manuscript folder"
        return [error("K110", f"ICC profile '{rel}' {where}", cfg_path, line)]
    head = path.read_bytes()[:40]
    if len(head) < 40 or head[36:40] != b"acsp":
        return [error("K110", f"'{rel}' is not an ICC profile", cfg_path, line)]
    if head[16:20] != b"CMYK":
        return [error("K110", f"ICC profile '{rel}' is for {head[16:20].decode('ascii', 'replace').strip()}, "
                              "not CMYK: a print shop's output intent is its CMYK printing condition",
                      cfg_path, line)]
    return []


RESERVED = ("css/epub.css", "nav.xhtml", "content.opf", "toc.ncx", "mimetype")


def epub_path_problem(rel: str, path: Path, line: int | None) -> Diagnostic | None:
    """A design file goes into the EPUB under its manuscript path: it must be a plain name (EPUBCheck
    RSC-020) and not one of the files kolofon writes there itself."""
    if not _SAFE_PATH.match(rel):
        return error("K111", f"'{rel}': rename it with letters, digits, '.', '-', '_' and '/' only; an EPUB "
                             "carries it under this name", path, line)
    if rel in RESERVED or rel.endswith(".xhtml") or rel.startswith("kolofon-cover."):
        return error("K111", f"'{rel}' is a file kolofon writes into the EPUB itself: give yours another "
                             "name", path, line)
    return None


def _theme_folder(theme: str) -> Path | None:
    return None if theme == "book" else themes.folder(theme)  # the book theme: the built-in templates


def _style(style: str) -> tuple[str, int]:
    return ("italic" if "italic" in style else "normal", 700 if "bold" in style else 400)


def _inside(root: Path, rel: str) -> Path | None:
    path = (root / rel).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def _stylesheet(root: Path, rel: str, cfg_path: Path,
                line: int | None) -> tuple[Stylesheet | None, list[Diagnostic]]:
    path = _inside(root, rel)
    if path is None:
        return None, [error("K108", f"stylesheet '{rel}' is outside the manuscript folder", cfg_path, line)]
    if not path.is_file():
        return None, [error("K108", f"stylesheet '{rel}' does not exist", cfg_path, line)]
    text = path.read_text(encoding="utf-8")
    diags: list[Diagnostic] = []
    if match := _IMPORT_RE.search(text):
        diags.append(error("K109", "@import is not followed: list every stylesheet under 'css' in book.yaml",
                           path, line_of(text, match.start())))
    resources: list[str] = []

    def absolute(match: re.Match[str]) -> str:
        url = next(g for g in match.groups() if g is not None)
        at = line_of(text, match.start())
        if url.startswith(("data:", "#")):
            return match.group(0)
        parsed = urlparse(url)
        if parsed.query or parsed.fragment:
            diags.append(error("K109", f"'{url}': a url() to a file of the manuscript takes no ?query or "
                                       "#fragment (an EPUB cannot carry it)", path, at))
            return match.group(0)
        target = _inside(root, str(path.parent.relative_to(root.resolve()) / unquote(parsed.path))) \
            if not parsed.scheme and not url.startswith("/") else None
        if target is None:
            diags.append(error("K109", f"'{url}' is outside the manuscript folder: a stylesheet may load "
                                       "only files of the manuscript", path, at))
            return match.group(0)
        if not target.is_file():
            diags.append(error("K109", f"'{url}' does not exist", path, at))
            return match.group(0)
        resources.append(target.relative_to(root.resolve()).as_posix())
        diags.extend(filter(None, [epub_path_problem(resources[-1], path, at)]))
        return f'url("{target.as_uri()}")'

    print_text = _URL_RE.sub(absolute, text)
    rel_path = path.relative_to(root.resolve()).as_posix()
    diags.extend(filter(None, [epub_path_problem(rel_path, cfg_path, line)]))
    return Stylesheet(rel_path, text, print_text, tuple(dict.fromkeys(resources))), diags
