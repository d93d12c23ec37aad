"""Notes in the front matter (a preface's): footnotes on its pages in every notes mode, numbered from 1
within the part, while the text's notes still start at 1 in chapter 1. They were refused (K306): the
front matter is set after the notes, whose back-references could not name its roman pages."""

from __future__ import annotations

import re
import zipfile

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool

PREFACE = {"pl": ("Przedmowa", "Ta książka powstała z notatek.[^a] Przepisano je wiernie.[^b]\n\n"
                               "[^a]: Notatki przechowuje archiwum.\n[^b]: Zob. rozdział pierwszy.\n"),
           "en": ("Preface", "This book grew from notes.[^a] They were copied faithfully.[^b]\n\n"
                             "[^a]: The notes are kept in the archive.\n[^b]: See chapter one.\n")}


@pytest.mark.parametrize("mode", ["end", "foot", "chapter"])
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_a_prefaces_notes_are_its_footnotes(make_book, tmp_path, lang, mode):
    title, text = PREFACE[lang]
    root = make_book({
        "book.yaml": f"title: Log\nlang: {lang}\ndate: 2026-12-03\nnotes: {mode}\n"
                     "front:\n  - preface: preface.md\n",
        "preface.md": f"# {title}\n\n{text}",
        "01.md": "# One\n\nThe keeper lit the lamp.[^1]\n\n[^1]: As the log says.\n",
    })
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    pages = [" ".join(p.split()) for p in validate.page_texts(out["pdf"])]
    [preface] = [p for p in pages if p.startswith(title)]
    first_note = PREFACE[lang][1].split("[^a]: ")[1].split("\n")[0]
    assert f"1. {first_note}" in preface  # at the foot of its own page
    [chapter] = [p for p in pages if p.startswith("One")]
    assert "lamp.1" in chapter  # the text's notes still start at 1
    with zipfile.ZipFile(out["epub"]) as z:
        front = z.read("EPUB/preface-01.xhtml").decode()
    assert 'epub:type="footnote"' in front and first_note in front
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(out["epub"]) == []


@pytest.mark.parametrize(("lang", "title"), [("pl", "Przedmowa"), ("en", "Preface")])
def test_a_note_in_a_prefaces_title_stays_out_of_its_running_heads(make_book, tmp_path, lang, title):
    """QA sweep 14: the heads read "Przedmowa1", "Preface1" (the title's words and the note's call)."""
    filler = "\n\n".join(f"Sentence {n} of the preface, long enough to fill its pages." for n in range(70))
    root = make_book({
        "book.yaml": f"title: Log\nlang: {lang}\ndate: 2026-12-03\nfront:\n  - preface: preface.md\n",
        "preface.md": f"# {title}[^t]\n\n{filler}\n\n[^t]: To the second edition.\n",
        "01.md": "# One\n\nText.\n",
    })
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pages = [" ".join(p.split()) for p in validate.page_texts(result.outputs[0].path)]
    heads = [p for p in pages if re.search(rf"{title} [ivx]+$", p)]
    assert heads, pages  # recto heads name the part
    assert not any(f"{title}1" in p for p in pages if not p.startswith(title))
