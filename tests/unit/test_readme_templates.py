"""The README's table of templates, blocks and variables against the templates themselves, so that the
documentation of what a book can override cannot drift from the code."""

from __future__ import annotations

import re

import jinja2.meta
import pytest

from kolofon.render import Renderer
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
ROW_RE = re.compile(r"^\| `([^`]+)` \|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|$")


def _readme_rows() -> dict[str, tuple[set[str], set[str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- templates -->")[1].split("<!-- /templates -->")[0]
    rows = {}
    for line in table.splitlines():
        match = ROW_RE.match(line.strip())
        if match:
            name, blocks, variables = match.groups()
            words = (set(re.findall(r"\w+", cell)) for cell in (blocks, variables))
            rows[name] = (next(words), next(words))
    return rows


def _template_names() -> list[str]:
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*")
                  if p.is_file() and p.suffix in (".html", ".xhtml", ".css")
                  and p.relative_to(TEMPLATES).parts[0] not in ("themes", "fonts"))


def _facts(name: str) -> tuple[set[str], set[str]]:
    """The blocks a template defines and the variables it reads (not the macros it imports)."""
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    env = Renderer().env
    blocks = set(re.findall(r"{%-?\s*block\s+(\w+)", source))
    imported = set(re.findall(r"{%-?\s*from\s+\S+\s+import\s+([\w, ]+?)\s*-?%}", source))
    macros = {m.strip() for group in imported for m in group.split(",")}
    variables = jinja2.meta.find_undeclared_variables(env.parse(source)) - macros - set(env.globals)
    return blocks, variables


def test_every_template_is_in_the_readme():
    rows = _readme_rows()
    assert set(_template_names()) == set(rows), "README's template table and templates/ differ"


@pytest.mark.parametrize("name", [n for n in _template_names() if n != "base/backmatter.html"])
def test_blocks_and_variables_match_the_readme(name):
    documented_blocks, documented_variables = _readme_rows()[name]
    blocks, variables = _facts(name)
    assert blocks == documented_blocks, f"{name}: blocks in the file {sorted(blocks)}"
    assert variables == documented_variables, f"{name}: variables in the file {sorted(variables)}"


def test_the_macros_of_the_shared_back_matter_are_documented():
    source = (TEMPLATES / "base/backmatter.html").read_text(encoding="utf-8")
    macros = set(re.findall(r"{%-?\s*macro\s+(\w+)", source))
    blocks, _variables = _readme_rows()["base/backmatter.html"]
    assert macros <= blocks


def test_every_isbn_the_readme_shows_passes_the_check_it_documents():
    from kolofon.config_shapes import isbn_problem

    shown = re.findall(r"isbn: (\S+)", (REPO / "README.md").read_text(encoding="utf-8"))
    assert shown
    assert [(isbn, isbn_problem(isbn)) for isbn in shown if isbn_problem(isbn)] == []
