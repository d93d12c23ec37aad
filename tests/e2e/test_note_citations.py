"""A citation inside an author's note, in a notes style, runs on with the note's sentence: its full
stop went mid-sentence ("…(Warszawa: PWN, 1999), 3. w środku zdania.", QA)."""

from __future__ import annotations

import json

import pytest

from kolofon.diagnostics import BuildError
from kolofon.pipeline import read_book

REFS = [{"id": "kowalski1999", "type": "book", "title": "O \"dziwnych\" słowach -- studium",
         "author": [{"family": "Kowalski", "given": "Jan"}], "issued": {"date-parts": [[1999]]},
         "publisher": "PWN", "publisher-place": "Warszawa"}]


def test_a_citation_inside_a_note_runs_on_with_its_sentence(make_book):
    root = make_book({
        "book.yaml": "title: T\nlang: pl\ndate: 2026-12-03\nbibliography: refs.json\ncsl: chicago-notes\n",
        "refs.json": json.dumps(REFS),
        "01.md": "# Źródła\n\nTekst.[^a] Dalej.[^b] I jeszcze.[^c]\n\n"
                 "[^a]: Przypis z cytowaniem [@kowalski1999, s. 3] w środku zdania.\n"
                 "[^b]: Na końcu: [@kowalski1999, s. 4].\n[^c]: Por. [@kowalski1999, s. 5]\n",
    })
    book, _ = read_book(root)
    a, b, c = (n.html for n in book.notes)
    assert "(Warszawa: PWN, 1999), 3</a> w\u00a0środku zdania." in a
    assert "4.</a></p>" in b  # one full stop at the end (the author's own went)
    assert c.endswith("5.</a></p>")  # a note that ends with the citation keeps the style's full stop
    assert "O\u00a0„dziwnych” słowach\u00a0– studium" in a  # the entry's words get the text's typography


def test_a_nocite_key_not_in_the_bibliography_is_named(make_book):
    """A typo under nocite was ignored; the only word was K905 on the entry it meant (QA sweep 5)."""
    yaml = "title: T\nlang: pl\ndate: 2026-12-03\nbibliography: refs.json\nnocite: [kowalsky1999]\n"
    root = make_book({"book.yaml": yaml, "refs.json": json.dumps(REFS), "01.md": "# Źródła\n\nTekst.\n"})
    with pytest.raises(BuildError) as failed:
        read_book(root)
    found = [(d.code, d.line) for d in failed.value.diagnostics if "'kowalsky1999'" in d.message]
    assert found == [("K904", 5)]
