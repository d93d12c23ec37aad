"""Built-in themes: folders under templates/themes/, each a layer of templates, styles and fonts over
the built-in templates (the same mechanism as a book's own templates/), with a theme.yaml of defaults
for book.yaml keys (a book's own value always wins)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
THEMES = TEMPLATES / "themes"
THEME_FILE = "theme.yaml"


def available() -> tuple[str, ...]:
    return tuple(sorted(p.parent.name for p in THEMES.glob(f"*/{THEME_FILE}")))


def folder(name: str) -> Path:
    return THEMES / name


@cache
def defaults(name: str) -> dict[str, Any]:
    """The theme's defaults for book.yaml keys (checked like book.yaml's own values)."""
    data = yaml.safe_load((THEMES / name / THEME_FILE).read_text(encoding="utf-8")) or {}
    return dict(data.get("defaults") or {})


def fonts(name: str) -> tuple[tuple[str, str, Path], ...]:
    """The theme's own fonts as (role, style, file) for the roles a book leaves to its theme."""
    data = yaml.safe_load((THEMES / name / THEME_FILE).read_text(encoding="utf-8")) or {}
    return tuple((role, style, THEMES / name / rel)
                 for role, faces in (data.get("fonts") or {}).items() for style, rel in faces.items())
