"""Jinja: one environment for every edition; StrictUndefined, autoescape; errors name template:line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from .dates import long_date
from .diagnostics import BuildError, error
from .source.typography import metadata_text, no_lone_last_word, typeset_html
from .themes import TEMPLATES

if TYPE_CHECKING:
    from .design import Design

# Names under these prefixes skip the layers above: a book's template extends "kolofon/pdf/front.html"
# (the theme's, or the built-in one) to replace one block; a theme's extends "builtin/…".
BELOW_BOOK = "kolofon"
BUILTIN = "builtin"


def css_string(value: str) -> Markup:
    """A CSS string literal (for running heads given as content: "…")."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup(f'"{escaped}"')


def ending_with(html: Markup, tail: Markup) -> Markup:
    """`tail` a space after the last word of `html`, inside its last paragraph: a note's "↑ p. 12"
    ends the note's text instead of touching its full stop or standing on a line of its own."""
    body = str(html).rstrip()
    if body.endswith("</p>"):
        return Markup(f"{body[:-4]} {tail}</p>")
    return Markup(f"{body} {tail}")


class Renderer:
    def __init__(self, design: Design | None = None, compiled: Path | None = None):
        """`design`: the layers of templates over the built-in ones (default: the book theme alone);
        `compiled`: a folder for Jinja's compiled templates, so that a rebuild does not compile every
        template again (~0.1 s a build)."""
        from .design import default_design

        self.templates = TEMPLATES
        self.design = design or default_design()
        layers = [*self.design.layers, TEMPLATES]
        if compiled is not None:
            compiled.mkdir(parents=True, exist_ok=True)
        loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(layers),
            jinja2.PrefixLoader({BELOW_BOOK: jinja2.FileSystemLoader(layers[1:] if self.design.own_templates
                                                                      else layers),
                                 BUILTIN: jinja2.FileSystemLoader(TEMPLATES)}),
        ])
        self.env = jinja2.Environment(
            loader=loader,
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["css_string"] = css_string
        self.env.filters["safe_xhtml"] = Markup  # fragments that xhtml.py produced are safe by construction
        self.env.filters["ending_with"] = ending_with
        # book.yaml's strings (title, subtitle, authors) get the text's typography where they are
        # printed: no one-letter Polish word left at a line's end on the title page, curled quotes.
        self.env.filters["typeset"] = typeset_html  # book.yaml's words on a page: *emphasis* in <em>
        self.env.filters["metadata_text"] = metadata_text  # the same in a document's <title>
        self.env.filters["long_date"] = long_date
        self.env.filters["no_lone_last_word"] = no_lone_last_word  # titles on the title page and cover
        self.env.globals["design"] = self.design

    def source(self, name: str) -> tuple[str, Path]:
        """A template's text and file, as the layers resolve it (for files that are not rendered)."""
        text, filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        return text, Path(filename or name)

    def render(self, name: str, **context: Any) -> str:
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self.templates / name
            problem = error("K601", f"template syntax error: {exc.message}", path, exc.lineno)
            raise BuildError([problem]) from None
        except jinja2.TemplateNotFound as exc:
            raise BuildError([error("K602", f"template not found: {exc.name}", self.templates)]) from None
        except BuildError:
            raise
        except Exception as exc:  # anything a template's expression can raise is the template's problem
            path, line = _template_frame(exc, self.templates)
            plain = isinstance(exc, (jinja2.TemplateError, TypeError, ValueError, AttributeError))
            what = str(exc) if plain else f"{type(exc).__name__}: {exc}"
            raise BuildError([error("K603", f"template error: {what}", path, line)]) from None


def _template_frame(exc: BaseException, templates: Path) -> tuple[Path, int | None]:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    tb = exc.__traceback__
    where: tuple[Path, int | None] = (templates, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if re.search(r"\.(html|xhtml|xml|css|opf)$", filename):
            where = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return where
