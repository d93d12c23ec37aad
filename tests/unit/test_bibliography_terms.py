"""What a .bib entry's type says and the Polish terms of the citations (QA sweep 11): a thesis lost its
"PhD diss." / "rozprawa doktorska"; a Polish editor was "zredagowane przez Marek Kędzior" (the
locale's verb, whose name would need the genitive) and a repeated note "ibid.", where Polish prints
"red. Marek Kędzior" and "tamże"."""

from __future__ import annotations

import re

import pytest

from kolofon.pipeline import read_book

BIB = """@phdthesis{zieba2018, author = {Zięba, Teresa}, title = {Pasieki}, school = {Uniwersytet},
  year = {2018}}
@mastersthesis{nowak2020, author = {Nowak, Jan}, title = {Ule}, school = {Politechnika}, year = {2020},
  type = {praca inżynierska}}
@incollection{sroka2010, author = {Sroka, Ewa}, title = {Wosk}, booktitle = {Rzemiosło},
  editor = {Kędzior, Marek}, publisher = {Universitas}, address = {Kraków}, year = {2010}, pages = {45--67}}
"""


def _notes(make_book, lang: str) -> list[str]:
    root = make_book({
        "book.yaml": f"title: T\nlang: {lang}\nbibliography: refs.bib\ncsl: chicago-notes\n",
        "refs.bib": BIB,
        "01.md": "# One\n\nA[@zieba2018, 10]. B[@nowak2020]. C[@sroka2010, 50]. D[@sroka2010, 50].\n",
    })
    book, _warnings = read_book(root)
    return [re.sub(r"<[^>]+>", "", note.html) for note in book.notes]


@pytest.mark.parametrize(("lang", "phd", "ed", "ibid"), [
    ("pl", "rozprawa doktorska", "red. Marek Kędzior", "Tamże"),
    ("en", "PhD diss.", "ed. Marek Kędzior", "Ibid"),
])
def test_thesis_types_and_the_languages_terms(make_book, lang, phd, ed, ibid):
    notes = _notes(make_book, lang)
    assert phd in notes[0]
    assert "praca inżynierska" in notes[1]  # the entry's own `type` wins
    assert ed in notes[2] and "zredagowane" not in notes[2]
    assert notes[3].startswith(ibid)


@pytest.mark.parametrize(("lang", "label"), [("en", "(Ed.)"), ("pl", "(red.)")])
def test_apa_capitalises_the_editors_label_in_english_only(make_book, lang, label):
    root = make_book({
        "book.yaml": f"title: T\nlang: {lang}\nbibliography: refs.bib\ncsl: apa\n",
        "refs.bib": BIB,
        "01.md": "# One\n\nA [@sroka2010, 50].\n",
    })
    book, _warnings = read_book(root)
    [(_key, entry)] = book.bibliography
    assert label in re.sub(r"<[^>]+>", "", entry)


def _only_entry(make_book, lang: str, style: str, field: str) -> str:
    """The bibliography's one entry, as text, of a book citing a .bib book with `field` set."""
    root = make_book({
        "book.yaml": f"title: T\nlang: {lang}\nbibliography: refs.bib\ncsl: {style}\n",
        "refs.bib": f"@book{{z, author = {{Zawadzki, Tomasz}}, title = {{Historia}}, {field},\n"
                    "  publisher = {Ossolineum}, year = {2011}}\n",
        "01.md": "# One\n\nA [@z].\n",
    })
    book, _warnings = read_book(root)
    [(_key, entry)] = book.bibliography
    return re.sub(r"<[^>]+>", "", entry)


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "chicago-notes"])
@pytest.mark.parametrize(("lang", "volume"), [("pl", "T. 3"), ("en", "Vol. 3")])
def test_a_volume_number_in_a_bib_file_is_printed(make_book, style, lang, volume):
    """QA sweep 13: `volume = {3}` stopped the build with a traceback under apa and author-date."""
    assert volume in _only_entry(make_book, lang, style, "volume = {3}")


@pytest.mark.parametrize(("lang", "words", "expected"), [
    ("en", "by Smith et al. [@z]. Then", "Smith et al.¹ Then"),
    ("pl", "przez Kowalskiego i in. [@z]. Potem", "Kowalskiego i in.¹ Potem"),
])
def test_a_sentence_ending_in_an_abbreviation_keeps_one_full_stop(make_book, lang, words, expected):
    """QA sweep 13: "Smith et al..¹" in a notes style."""
    root = make_book({
        "book.yaml": f"title: T\nlang: {lang}\nbibliography: refs.bib\ncsl: chicago-notes\n",
        "refs.bib": "@book{z, author = {Zawadzki, Tomasz}, title = {Historia}, year = {2011}}\n",
        "01.md": f"# One\n\nShown {words} more.\n",
    })
    book, _warnings = read_book(root)
    text = re.sub(r"<a [^>]*>(\d+)</a>", lambda m: "¹" if m[1] == "1" else m[1],
                  book.chapters[0].body_html)
    assert expected in re.sub(r"<(?!/?a\b)[^>]+>", "", text).replace("\xa0", " ")


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "chicago-notes"])
def test_a_polish_edition_number_is_a_polish_ordinal(make_book, style):
    """QA sweep 13: APA printed "2nd wyd." in a Polish book."""
    assert "2. wyd." in _only_entry(make_book, "pl", style, "edition = {2}")


@pytest.mark.parametrize(("style", "lang", "entry", "cite"), [
    ("chicago-notes", "en", "Kędzior, Marek, ed. Rzemiosło. Universitas, 2010.",
     "Marek Kędzior, ed., Rzemiosło"),
    ("chicago-notes", "pl", "Kędzior, Marek, red. Rzemiosło. Universitas, 2010.",
     "Marek Kędzior, red., Rzemiosło"),
    ("chicago-author-date", "en", "Kędzior, Marek, ed. 2010.", "(Kędzior 2010)"),
    ("apa", "en", "Kędzior, M. (Ed.). (2010). Rzemiosło. Universitas.", "(Kędzior, 2010)"),
])
def test_an_edited_book_names_its_editor_once(make_book, style, lang, entry, cite):
    """QA sweep 13: "Kędzior, Marek, ed. Rzemiosło. Edited by Marek Kędzior." (citeproc-py suppressed a
    substituted variable in <text> only), and "M. Kędzior" in author-date."""
    root = make_book({
        "book.yaml": f"title: T\nlang: {lang}\nbibliography: refs.bib\ncsl: {style}\n",
        "refs.bib": "@book{k, editor = {Kędzior, Marek}, title = {Rzemiosło}, publisher = {Universitas},\n"
                    "  year = {2010}}\n",
        "01.md": "# One\n\nA [@k].\n",
    })
    book, _warnings = read_book(root)
    [(_key, text)] = book.bibliography
    plain = re.sub(r"<[^>]+>", "", text)
    assert entry in plain and plain.count("Kędzior") == 1, plain
    cited = re.sub(r"<[^>]+>", "", book.notes[0].html if book.notes else book.chapters[0].body_html)
    assert cite in cited, cited


@pytest.mark.parametrize(("style", "lang", "words"), [
    ("chicago-notes", "pl", "Tłum. Ewa Nowak"), ("chicago-notes", "en", "Translated by Ewa Nowak"),
    ("apa", "en", "E.\xa0Nowak, Trans."), ("chicago-author-date", "pl", "Ewa Nowak"),
])
def test_a_bib_translator_is_printed(make_book, style, lang, words):
    """QA sweep 14: a .bib `translator` was dropped (the same entry as CSL-JSON printed it)."""
    assert words in _only_entry(make_book, lang, style, "translator = {Nowak, Ewa}")


@pytest.mark.parametrize(("lang", "ibid"), [("en", "Ibid"), ("pl", "Tamże")])
def test_no_ibid_after_a_note_that_cites_nothing(make_book, lang, ibid):
    """QA sweep 14: "Ibid." followed one of the author's own notes, so it named that note."""
    root = make_book({
        "book.yaml": f"title: T\nlang: {lang}\nbibliography: refs.bib\ncsl: chicago-notes\n",
        "refs.bib": "@book{z, author = {Zawadzki, Tomasz}, title = {Historia}, year = {2011}}\n",
        "01.md": "# One\n\nA [@z, 7]. B.[^own] C [@z, 9]. D [@z, 10].\n\n"
                 "[^own]: A remark that cites nothing.\n",
    })
    book, _warnings = read_book(root)
    texts = [re.sub(r"<[^>]+>", "", n.html) for n in book.notes]
    assert texts[2].startswith("Zawadzki, "), texts  # the short form after the plain note
    assert texts[3].startswith(ibid), texts  # and ibid. right after a citation of the same work
