"""A narrative citation's names get the text's typography, as the same names in the entries do
(QA sweep 11: "As O'Neill (2004, 3) shows" beside "(O’Neill 2004)")."""

from __future__ import annotations

import json

import pytest

from kolofon.pipeline import read_book

REFS = [{"id": "oneill2004", "type": "book", "title": "Harbours",
         "author": [{"family": "O'Neill", "given": "Ruth"}], "issued": {"date-parts": [[2004]]}}]


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_narrative_citation_curls_the_apostrophe_in_a_name(make_book, lang):
    yaml = f"title: T\nlang: {lang}\nbibliography: refs.json\ncsl: chicago-author-date\n"
    root = make_book({"book.yaml": yaml,
                      "refs.json": json.dumps(REFS),
                      "01.md": "# One\n\nAs @oneill2004 [p. 3] shows, and [@oneill2004].\n"})
    book, _warnings = read_book(root)
    html = book.chapters[0].body_html
    assert "O’Neill (2004" in html and "O'Neill" not in html
