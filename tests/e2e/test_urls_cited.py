"""A long web address in the text and in a cited work (chicago-notes, English), read back from the
PDF's lines: every address breaks only before a hyphen, slash or period (Chicago 14.18), never after
one and never with a hyphen of the printer's; the citation's comma stands inside its quotes (en-US);
the EPUB passes EPUBCheck."""

from __future__ import annotations

import re
import zipfile

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool

URL = "https://www.example.org/lighthouses-and-lightvessels/history-of-lighthouse-automation-1980-1998"
REFS = f"""references:
- id: th2020
  type: webpage
  author:
  - literal: Trinity House
  title: History of Automation
  URL: {URL}
  issued:
    date-parts: [[2020]]
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("cited-urls") / "ms"
    root.mkdir()
    (root / "book.yaml").write_text("title: Lights\nlang: en\ndate: 2026-12-02\nnotes: foot\n"
                                    "bibliography: refs.yaml\n", encoding="utf-8")
    (root / "refs.yaml").write_text(REFS, encoding="utf-8")
    (root / "01.md").write_text(f"# One\n\nThe account at {URL} lists every station.[@th2020]\n",
                                encoding="utf-8")
    result = build(Options(root, root.parent / "out", editions=("pdf", "epub"), force=True, proof=False))
    return {o.edition: o.path for o in result.outputs}


def test_addresses_break_only_before_a_mark_in_the_text_the_note_and_the_bibliography(outputs):
    pages = validate.page_texts(outputs["pdf"])
    lines = [line for page in pages for line in page.splitlines()]
    at = [i for i, line in enumerate(lines) if "https://" in line]
    assert len(at) == 3  # the text, the note, the bibliography
    for i in at:
        address = ""
        for line in lines[i:i + 4]:
            piece = line[line.index("https://"):] if "https://" in line else line.split(" ")[0]
            address += piece.split(" ")[0]
            if address.rstrip(".") == URL:
                break
            # The line ends inside the address: never after a hyphen or a slash, never hyphenated.
            assert not re.search(r"[-/\u2010\xad]$", line), line
        assert address.rstrip(".") == URL, address


def test_the_citations_comma_stands_inside_the_quotes(outputs):
    text = " ".join(" ".join(p.split()) for p in validate.page_texts(outputs["pdf"]))
    assert "Trinity House, “History of Automation,” 2020," in text  # before: “…”, (outside)
    assert "Trinity House. “History of Automation,” 2020." in text  # the bibliography


def test_the_epub_keeps_the_addresses_and_passes_epubcheck(outputs):
    require_tool(java_available(), "Java (for EPUBCheck)")
    with zipfile.ZipFile(outputs["epub"]) as z:
        docs = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert re.sub(r"<wbr\s*/>", "", docs).count(f'<span class="url">{URL}</span>') == 3
    assert validate.epubcheck(outputs["epub"]) == []
