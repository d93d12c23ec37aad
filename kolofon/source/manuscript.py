"""Read the manuscript folder: book.yaml and the chapter files, checked, into SourceFiles.

All reading happens here (and in images.py); nothing later touches the manuscript folder's text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config import BookConfig, key_lines, parse_config
from ..diagnostics import Diagnostic, error, warning
from ..model import SourceFile

CONFIG_NAME = "book.yaml"


def read_text(path: Path) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text with newlines normalised, or a diagnostic naming the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, error("K201", f"cannot read file: {exc.strerror}", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, error("K202", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                                   "cannot be decoded (save the file as UTF-8)", path, line)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), None


def missing_folder(root: Path) -> Diagnostic:
    """K200, saying what to give instead when the path is a file (a chapter, a single Markdown file)."""
    if root.is_file():
        return error("K200", f"is a file, not a manuscript folder: give the folder that holds {CONFIG_NAME} "
                             "and the chapters ('build.py init DIR' writes one)", root)
    return error("K200", "manuscript folder does not exist", root)


def load(root: Path) -> tuple[BookConfig | None, tuple[SourceFile, ...], list[Diagnostic]]:
    """Returns the config and the sources (book.yaml first, then chapters in reading order)."""
    cfg_path = root / CONFIG_NAME
    if not root.is_dir():
        return None, (), [missing_folder(root)]
    if not cfg_path.is_file():
        return None, (), [error("K200", f"no {CONFIG_NAME} in the manuscript folder", cfg_path)]
    cfg_text, problem = read_text(cfg_path)
    if problem or cfg_text is None:
        return None, (), [problem] if problem else []
    config, diags = parse_config(cfg_text, cfg_path)
    if config is None:
        return None, (), diags
    sources = [SourceFile(cfg_path, cfg_text)]
    lines = key_lines(cfg_text)
    for role, name in config.front:
        sources += _matter(root, cfg_path, name, role, lines.get(f"front:{name}"), diags)
    for path, line in _chapter_paths(root, config, cfg_text, diags):
        text, problem = read_text(path)
        if problem:
            diags.append(problem)
            continue
        assert text is not None
        text = _without_metadata(path, text, diags)
        first = next((i for i, ln in enumerate(text.split("\n"), 1) if ln.strip()), None)
        if first is None:
            diags.append(error("K205", "chapter file is empty", path, line))
            continue
        if not text.split("\n")[first - 1].startswith("# ") and not setext_title(text.split("\n"), first):
            diags.append(error("K206", "a chapter must start with a '# ' heading: its title", path, first))
            continue
        if _empty_title(text.split("\n")[first - 1]):
            diags.append(_empty_title_error(path, first))
            continue
        diags += _unclosed_fences(path, text) + _empty_headings(path, text)
        sources.append(SourceFile(path, text))
    for role, name in config.back:
        sources += _matter(root, cfg_path, name, role, lines.get(f"back:{name}"), diags)
    if not diags and not any(s.role == "chapter" for s in sources[1:]):
        diags.append(error("K204", "no chapters: add *.md files or list them under 'chapters'", cfg_path))
    return config, tuple(sources), diags


def _matter(root: Path, cfg_path: Path, name: str, role: str, line: int | None,
            diags: list[Diagnostic]) -> list[SourceFile]:
    """A part of the front or back matter: like a chapter, but its '# ' title may be left out (a
    dedication or an epigraph has none)."""
    path = (root / name).resolve()
    inside = path.is_relative_to(root.resolve())
    if not inside or not path.is_file():
        where = "does not exist" if inside else "is outside the manuscript folder"
        diags.append(error("K203", f"{role} file '{name}' {where}", cfg_path, line))
        return []
    text, problem = read_text(root / name)
    if problem or text is None:
        diags += [problem] if problem else []
        return []
    text = _without_metadata(root / name, text, diags)
    if not text.strip():
        diags.append(error("K205", f"{role} file is empty", root / name, line))
        return []
    first = next(i for i, ln in enumerate(text.split("\n"), 1) if ln.strip())
    if _empty_title(text.split("\n")[first - 1]):
        diags.append(_empty_title_error(root / name, first))
        return []
    diags += _unclosed_fences(root / name, text) + _empty_headings(root / name, text)
    return [SourceFile(root / name, text, role)]


# A code fence as Python-Markdown's fenced_code opens one (at the line's start, an optional language
# or {attributes}); it closes at the next line of the very same fence.
_FENCE_OPEN = re.compile(r"^(~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*)(?:hl_lines=.*)?$")


# A heading of attributes alone ("## {#sec-x}"); a line of #s alone is a scene break (mdext/breaks.py).
_EMPTY_HEADING = re.compile(r"^#{2,6}[ \t]*#*[ \t]*\{[^{}]*\}[ \t]*$")


def _code_lines(lines: list[str]) -> tuple[set[int], int | None]:
    """The indexes of the lines in fenced code blocks (fences included), and the index of a fence
    that opens and is never closed (None: every fence closes)."""
    code: set[int] = set()
    i = 0
    while i < len(lines):
        opened = _FENCE_OPEN.match(lines[i])
        if opened:
            fence = opened.group(1)
            close = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip(" ") == fence), None)
            if close is None:
                return code, i
            code.update(range(i, close + 1))
            i = close
        i += 1
    return code, None


def _empty_headings(path: Path, text: str) -> list[Diagnostic]:
    """A '## {#sec-x}' with no words made an empty link in the EPUB's contents (EPUBCheck RSC-005,
    DAISY Ace link-name): K209 at its line, as for a title. Code blocks are passed over."""
    lines = text.split("\n")
    code, _unclosed = _code_lines(lines)
    return [error("K209", "the heading has no words: give it some, or remove the line", path, i + 1)
            for i, line in enumerate(lines) if i not in code and _EMPTY_HEADING.match(line)]


def _unclosed_fences(path: Path, text: str) -> list[Diagnostic]:
    """A fence never closed is set as a paragraph, its backticks printed and its lines run together,
    without a word from Markdown: K210 at the line that opens it."""
    lines = text.split("\n")
    _code, i = _code_lines(lines)
    if i is None:
        return []
    fence = _FENCE_OPEN.match(lines[i]).group(1)  # type: ignore[union-attr]
    longer = next((j for j in range(i + 1, len(lines))
                   if re.fullmatch(re.escape(fence) + fence[0] + "+ *", lines[j])), None)
    said = f" (line {longer + 1} has '{lines[longer].rstrip()}': the closing line must be the " \
           "opening one's very marks)" if longer is not None else ""
    return [error("K210", f"the code block opened by '{fence}' here is never closed: end it "
                          f"with a line of '{fence}'{said}", path, i + 1)]


_METADATA_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def _without_metadata(path: Path, text: str, diags: list[Diagnostic]) -> str:
    """A Pandoc metadata block opening a chapter file (`---` … `---`), blank lines in its place (the
    lines keep their numbers), with warning K211: the book's metadata is book.yaml's."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if start is None or lines[start].rstrip() != "---" or start + 1 >= len(lines) \
            or not lines[start + 1].strip():  # (a rule and a blank line: no block)
        return text
    end = next((i for i in range(start + 1, len(lines)) if _METADATA_END.match(lines[i])), None)
    if end is None:
        return text
    diags.append(warning("K211", "a metadata block in a chapter file is ignored: the book's metadata is "
                                 "book.yaml's, a chapter's title its '# ' heading", path, start + 1))
    return "\n".join([""] * (end + 1) + lines[end + 1:])


_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")  # "# Title {#sec-x}": a label, not words
_SETEXT_RULE = re.compile(r"^=+[ \t]*$")


def setext_title(lines: list[str], first: int) -> bool:
    """Whether the part opens with a title underlined by '=' (Markdown's other form of '# Title')."""
    return first < len(lines) and bool(_SETEXT_RULE.match(lines[first])) and \
        not lines[first - 1].startswith(("    ", "\t")) and bool(lines[first - 1].strip())


def _empty_title(line: str) -> bool:
    """A '# ' heading with no words: only spaces, closing #s or an attribute list."""
    return line.startswith("#") and not line.startswith("##") and \
        not _ATTRIBUTES.sub("", line[1:]).strip().strip("#").strip()


def _empty_title_error(path: Path, line: int) -> Diagnostic:
    # An empty title gave an empty <title> and an empty contents link (EPUBCheck RSC-005); a label alone
    # ("# {#sec-x}") was printed as the title.
    return error("K209", "the '# ' heading has no words: give the part its title", path, line)


def _chapter_paths(root: Path, config: BookConfig, cfg_text: str,
                   diags: list[Diagnostic]) -> list[tuple[Path, int | None]]:
    if not config.chapters:  # every *.md that is not front or back matter
        matter = {(root / name).resolve() for _role, name in (*config.front, *config.back)}
        return [(p, None) for p in sorted(root.glob("*.md")) if p.resolve() not in matter]
    lines = key_lines(cfg_text)
    cfg_path = root / CONFIG_NAME
    result = []
    # A file listed twice (or also as front or back matter) would be printed twice.
    listed = {(root / name).resolve() for _role, name in (*config.front, *config.back)}
    for name in config.chapters:
        line = lines.get(f"chapters:{name}")
        path = (root / name).resolve()
        if path in listed:
            diags.append(error("K208", f"'{name}' is listed twice (each file is one part of the book)",
                               cfg_path, line))
            continue
        listed.add(path)
        if not path.is_relative_to(root.resolve()):
            diags.append(error("K203", f"chapter '{name}' is outside the manuscript folder", cfg_path, line))
        elif not path.is_file():
            diags.append(error("K203", f"chapter file '{name}' does not exist", cfg_path, line))
        else:
            result.append((root / name, line))
    return result
