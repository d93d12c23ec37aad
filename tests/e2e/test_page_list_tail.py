"""The EPUB's page list: a page that only finishes a chapter's last paragraph is marked in that
chapter (it went to the next chapter's file), and the bibliography and the index mark the pages
they open on (they had no page-list entries at all). QA sweep 5."""

from __future__ import annotations

import json
import re
import zipfile

from kolofon.checks import validate
from kolofon.pipeline import Options, build
from tests.conftest import java_available, require_tool

REFS = [{"id": "abel2020", "type": "book", "title": "A Book", "author": [{"family": "Abel", "given": "Anne"}],
         "issued": {"date-parts": [[2020]]}}]


def test_every_page_is_marked_in_the_file_that_holds_it(make_book, tmp_path):
    long_paragraph = " ".join(["The keeper wrote in the ledger each night of the storm."] * 160)
    root = make_book({
        "book.yaml": "title: Pages\nlang: en\ndate: 2026-12-03\nbibliography: refs.json\nnocite: ['*']\n",
        "refs.json": json.dumps(REFS),
        "01.md": f"# One\n\n{long_paragraph} The ((keeper)) slept.\n",  # one block over several pages
        "02.md": "# Two\n\nA short chapter.\n",
    })
    result = build(Options(root, tmp_path / "out", editions=("pdf", "epub"), force=True, proof=False))
    out = {o.edition: o.path for o in result.outputs}
    pages = validate.page_texts(out["pdf"])
    first = next(i for i, p in enumerate(pages) if p.startswith("One"))
    folio = {name: next(i for i, p in enumerate(pages) if p.startswith(name)) - first + 1
             for name in ("Two", "Bibliography", "Index")}
    assert folio["Two"] >= 4  # chapter 1 runs over three pages at least (then a blank verso)
    with zipfile.ZipFile(out["epub"]) as z:
        marked = {n: [int(p) for p in re.findall(r'id="page-(\d+)"', z.read(n).decode())]
                  for n in z.namelist() if n.endswith(".xhtml")}
    # pages 2.. of chapter 1 hold no block's start: marked at the end of its paragraph, in its file
    assert marked["EPUB/ch01.xhtml"] == list(range(1, folio["Two"] - 1)), marked
    assert marked["EPUB/ch02.xhtml"][-1] == folio["Two"]
    assert marked["EPUB/bibliography.xhtml"][-1] == folio["Bibliography"]
    assert marked["EPUB/index.xhtml"][-1] == folio["Index"]
    require_tool(java_available(), "Java (for EPUBCheck)")
    assert validate.epubcheck(out["epub"]) == []
