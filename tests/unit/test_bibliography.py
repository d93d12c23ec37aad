"""Reference files (BibTeX, CSL-JSON, CSL YAML) with their lines and errors, and citations and
bibliographies rendered by citeproc-py through the bundled CSL styles, in Polish and English.

The expected strings are citeproc-py 0.11.1's output with the vendored styles, reviewed by hand; a new
citeproc-py or style version may change them legitimately.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import etree

from kolofon.bibliography import BUNDLED, CiteProcessor, CiteRequest, Library, load_library

BIB = r"""% Test references: every kind a humanities book cites.
@string{wl = {Wydawnictwo Literackie}}

@book{lem1961,
  author = {Lem, Stanisław},
  title = {Solaris},
  publisher = {Wydawnictwo Ministerstwa Obrony Narodowej},
  address = {Warszawa},
  year = 1961
}

@article{smith2020,
  author = {Smith, John and Jones, Mary},
  title = {On the Typesetting of Books},
  journal = {Journal of Typography},
  volume = {12},
  number = {3},
  pages = {45--67},
  year = {2020}
}

@incollection{nowak2015,
  author = {Nowak, Jan},
  title = {Rozdział o typografii},
  booktitle = {Księga pamiątkowa},
  editor = {Kowalski, Adam and Wiśniewska, Ewa},
  publisher = wl,
  address = {Kraków},
  pages = {101--120},
  year = {2015}
}

@techreport{gus2019,
  author = {{Główny Urząd Statystyczny}},
  title = {Rynek książki w Polsce},
  institution = {GUS},
  address = {Warszawa},
  type = {Raport},
  number = {7},
  year = {2019}
}

@online{tuwim2023,
  author = {Tuwim, Julian},
  title = {Strona o wierszach},
  url = {https://example.org/wiersze?autor=tuwim&rok=2023},
  urldate = {2024-03-15},
  date = {2023-05-01},
  langid = {polish}
}

@unpublished{zeromski1905,
  author = {Żeromski, Stefan},
  title = {List do wydawcy},
  note = {Rękopis},
  archive = {Biblioteka Narodowa},
  archive_location = {sygn. 1234},
  year = {1905}
}

@phdthesis{sienkiewicz2010,
  author = {Sienkiewicz, Anna},
  title = {Typografia polska XX wieku},
  school = {Uniwersytet Warszawski},
  type = {Rozprawa doktorska},
  year = {2010}
}

@book{lukasiewicz1929,
  author = {{\L}ukasiewicz, Jan},
  title = {Elementy logiki matematycznej},
  publisher = {Koło Matematyczno-Fizyczne},
  address = {Warszawa},
  year = {1929}
}

@book{swietochowski1900,
  author = {Świętochowski, Aleksander},
  title = {Historia chłopów polskich},
  publisher = {Gebethner i Wolff},
  address = {Lwów},
  year = {1900}
}

@book{szymborska1996,
  author = {Szymborska, Wisława},
  title = {Widok z ziarnkiem piasku},
  publisher = {Wydawnictwo a5},
  address = {Poznań},
  year = {1996}
}

@book{bringhurst2004,
  author = {Bringhurst, Robert},
  title = {The Elements of Typographic Style},
  edition = {3},
  publisher = {Hartley \& Marks},
  address = {Vancouver},
  year = {2004}
}

@article{adams2018,
  author = {Adams, Ann and Brown, Bob and Clark, Carol and Davis, Dan},
  title = {Many hands},
  journal = {Collaborative Studies},
  volume = {4},
  pages = {1--20},
  year = {2018}
}
"""

KEYS = ["lem1961", "smith2020", "nowak2015", "gus2019", "tuwim2023", "zeromski1905", "sienkiewicz2010",
        "lukasiewicz1929", "swietochowski1900", "szymborska1996", "bringhurst2004", "adams2018"]


def _person(family: str, given: str) -> dict[str, str]:
    return {"family": family, "given": given}


# The same references as CSL items (what Zotero or Pandoc write), "id" first so that it opens the item.
CSL = [
    {"id": "lem1961", "type": "book", "author": [_person("Lem", "Stanisław")], "title": "Solaris",
     "publisher": "Wydawnictwo Ministerstwa Obrony Narodowej", "publisher-place": "Warszawa",
     "issued": {"date-parts": [[1961]]}},
    {"id": "smith2020", "type": "article-journal",
     "author": [_person("Smith", "John"), _person("Jones", "Mary")], "title": "On the Typesetting of Books",
     "container-title": "Journal of Typography", "volume": "12", "issue": "3", "page": "45-67",
     "issued": {"date-parts": [[2020]]}},
    {"id": "nowak2015", "type": "chapter", "author": [_person("Nowak", "Jan")],
     "title": "Rozdział o typografii", "container-title": "Księga pamiątkowa",
     "editor": [_person("Kowalski", "Adam"), _person("Wiśniewska", "Ewa")],
     "publisher": "Wydawnictwo Literackie", "publisher-place": "Kraków", "page": "101-120",
     "issued": {"date-parts": [[2015]]}},
    {"id": "gus2019", "type": "report", "author": [{"literal": "Główny Urząd Statystyczny"}],
     "title": "Rynek książki w Polsce", "publisher": "GUS", "publisher-place": "Warszawa",
     "genre": "Raport", "number": "7", "issued": "2019"},
    {"id": "tuwim2023", "type": "webpage", "author": [_person("Tuwim", "Julian")],
     "title": "Strona o wierszach", "URL": "https://example.org/wiersze?autor=tuwim&rok=2023",
     "accessed": {"raw": "2024-03-15"}, "issued": "2023-05-01", "language": "pl"},
    {"id": "zeromski1905", "type": "manuscript", "author": [_person("Żeromski", "Stefan")],
     "title": "List do wydawcy", "archive": "Biblioteka Narodowa", "archive_location": "sygn. 1234",
     "issued": {"date-parts": [[1905]]}},
    {"id": "sienkiewicz2010", "type": "thesis", "author": [_person("Sienkiewicz", "Anna")],
     "title": "Typografia polska XX wieku", "publisher": "Uniwersytet Warszawski",
     "genre": "Rozprawa doktorska", "issued": {"date-parts": [[2010]]}},
    {"id": "lukasiewicz1929", "type": "book", "author": [_person("Łukasiewicz", "Jan")],
     "title": "Elementy logiki matematycznej", "publisher": "Koło Matematyczno-Fizyczne",
     "publisher-place": "Warszawa", "issued": {"date-parts": [[1929]]}},
    {"id": "swietochowski1900", "type": "book", "author": [_person("Świętochowski", "Aleksander")],
     "title": "Historia chłopów polskich", "publisher": "Gebethner i Wolff", "publisher-place": "Lwów",
     "issued": {"date-parts": [[1900]]}},
    {"id": "szymborska1996", "type": "book", "author": [_person("Szymborska", "Wisława")],
     "title": "Widok z ziarnkiem piasku", "publisher": "Wydawnictwo a5", "publisher-place": "Poznań",
     "issued": {"date-parts": [[1996]]}},
    {"id": "bringhurst2004", "type": "book", "author": [_person("Bringhurst", "Robert")],
     "title": "The Elements of Typographic Style", "edition": "3", "publisher": "Hartley & Marks",
     "publisher-place": "Vancouver", "issued": {"date-parts": [[2004]]}},
    {"id": "adams2018", "type": "article-journal",
     "author": [_person("Adams", "Ann"), _person("Brown", "Bob"), _person("Clark", "Carol"),
                _person("Davis", "Dan")],
     "title": "Many hands", "container-title": "Collaborative Studies", "volume": "4", "page": "1-20",
     "issued": {"date-parts": [[2018]]}},
]

FORMATS = {
    "refs.bib": BIB,
    "refs.json": json.dumps(CSL, ensure_ascii=False, indent=2),
    "refs.yaml": yaml.safe_dump(CSL, allow_unicode=True, sort_keys=False),
    "pandoc.yml": yaml.safe_dump({"references": CSL}, allow_unicode=True, sort_keys=False),
}
# Where each format defines a key: the line of @type{key, of "id": "key", of the YAML item.
DEFINED_AT = {".bib": r"@\w+\{{{key},", ".json": r'"id": "{key}"', ".yaml": r"- id: {key}$",
              ".yml": r"- id: {key}$"}


def _write(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _load(root: Path, *files: str) -> Library:
    library, diags = load_library(root, files, root / "book.yaml", 7)
    assert diags == []
    assert library is not None
    return library


def _problems(tmp_path: Path, files: dict[str, str], *names: str) -> list[tuple[str, str, int | None]]:
    root = _write(tmp_path / "ms", files)
    library, diags = load_library(root, names or tuple(files), root / "book.yaml", 7)
    assert library is None or all(d.code == "K903" for d in diags)
    return [(d.code, d.path.name if d.path else "", d.line) for d in diags]


def _line_of(text: str, pattern: str) -> int:
    match = re.search(pattern, text, re.M)
    assert match, pattern
    return text.count("\n", 0, match.start()) + 1


@pytest.fixture(scope="module")
def bib_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return _load(_write(tmp_path_factory.mktemp("bib"), {"refs.bib": BIB}), "refs.bib")


@pytest.fixture(scope="module")
def json_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return _load(_write(tmp_path_factory.mktemp("json"), {"refs.json": FORMATS["refs.json"]}), "refs.json")


class _Spaced(CiteProcessor):
    """The processor with the text's no-break spaces as spaces: these tests are about what CSL says;
    the typography of its output (s.\u00a050, i\u00a0Jones) is tested in test_cslhtml."""

    def cite(self, *args, **kwargs) -> str:
        return super().cite(*args, **kwargs).replace("\u00a0", " ")

    def bibliography(self, *args, **kwargs) -> list[tuple[str, str]]:
        return [(key, text.replace("\u00a0", " ")) for key, text in super().bibliography(*args, **kwargs)]


def _processor(library: Library, style: str, lang: str) -> CiteProcessor:
    return _Spaced(library, BUNDLED[style], lang)


def _well_formed(fragment: str) -> str:
    etree.fromstring(f"<p>{fragment}</p>")  # raises if citeproc's HTML is not XHTML
    return fragment


# --- loading ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(FORMATS))
def test_each_format_gives_the_same_keys_at_their_lines(tmp_path: Path, name: str) -> None:
    library = _load(_write(tmp_path, {name: FORMATS[name]}), name)
    assert list(library.references) == KEYS
    pattern = DEFINED_AT[Path(name).suffix]
    for key, ref in library.references.items():
        assert (ref.key, ref.path, ref.line) == (key, tmp_path / name, _line_of(FORMATS[name],
                                                                                 pattern.format(key=key)))
    assert set(library.source) == set(KEYS)


def test_library_is_read_only(bib_library: Library) -> None:
    with pytest.raises(TypeError):
        bib_library.references["x"] = bib_library.references["lem1961"]  # type: ignore[index]


def test_several_files_are_merged(tmp_path: Path) -> None:
    json_part = json.dumps(CSL[6:], ensure_ascii=False, indent=2)
    bib_part = BIB[: BIB.index("@phdthesis")]
    library = _load(_write(tmp_path, {"a.bib": bib_part, "b.json": json_part}), "a.bib", "b.json")
    assert list(library.references) == KEYS
    assert library.references["lem1961"].path.name == "a.bib"
    assert library.references["adams2018"].path.name == "b.json"


def test_bibtex_and_csl_json_render_alike(bib_library: Library, json_library: Library) -> None:
    same = ["lem1961", "smith2020", "nowak2015", "lukasiewicz1929", "bringhurst2004", "adams2018"]
    for style in BUNDLED:
        entries = []
        for library in (bib_library, json_library):
            processor = _processor(library, style, "pl")
            processor.cite([CiteRequest(key) for key in same])
            entries.append(processor.bibliography())
        assert entries[0] == entries[1]


def test_bibtex_syntax_corners(tmp_path: Path) -> None:
    text = """@comment{anything at all}
@string{ pub = "Czytelnik" }
@BOOK(paren, title = "A " # pub # {, tom } # 2, publisher = pub, month = jan, year = 1950,)
@misc{trailing, title={T},}
"""
    library = _load(_write(tmp_path, {"a.bib": text}), "a.bib")
    assert {k: r.line for k, r in library.references.items()} == {"paren": 3, "trailing": 4}
    assert str(library.source["paren"]["title"]) == "A Czytelnik, tom 2"
    assert str(library.source["paren"]["publisher"]) == "Czytelnik"


def test_no_truncation_of_a_bib_file_escapes_or_hangs(tmp_path: Path) -> None:
    # citeproc-py's own parser loops forever on some of these; every cut must end as data or K902.
    root = _write(tmp_path, {})
    for cut in range(0, len(BIB), 23):
        (root / "cut.bib").write_text(BIB[:cut], encoding="utf-8")
        library, diags = load_library(root, ["cut.bib"], root / "book.yaml", 1)
        assert (library is None) == bool(diags)
        assert all(d.code == "K902" and d.line for d in diags)


def test_k901_missing_outside_or_not_a_reference_file(tmp_path: Path) -> None:
    (tmp_path / "outside.bib").write_text(BIB, encoding="utf-8")
    root = _write(tmp_path / "ms", {"notes.txt": "", "refs.bib": BIB})
    library, diags = load_library(root, ["refs.bib", "nope.bib", "../outside.bib", "notes.txt"],
                                  root / "book.yaml", 7)
    assert library is None
    assert [(d.code, d.path, d.line) for d in diags] == [("K901", root / "book.yaml", 7)] * 3
    assert ["does not exist" in diags[0].message, "outside the manuscript" in diags[1].message,
            ".bib, .json, .yaml or .yml" in diags[2].message] == [True] * 3


@pytest.mark.parametrize(("text", "line", "words"), [
    ("@book{a, title={A}, year=2000}\n\n@book{b,\n  title = {Unclosed,\n  year = 2001\n}\n\n"
     "@book{c, title={C}}\n", 3, "never close"),
    ("@book{a, title={A}, year=2000}\n\n@book{b,\n  title = {B},\n  year = 2001\n\n@book{c, title={C}}\n",
     3, "never closed"),
    ("@book{a, title={A}}\n@book{\n  title = {No key},\n}\n", 2, "without a key"),
    ("@book{a,\n  title={A},\n  publisher = nobody,\n}\n", 3, "not defined by an @string"),
    ("@book{a,\n  title={A}\n  year=2000}\n", 3, "expected ','"),
    ("@book{a, title={A}}\n\n@foo{c, title={C}}\n", 3, "@foo is not supported"),
    ("@book{a, title={A}}\n@book{b,\n  title={B},\n  year={two thousand}}\n", 2, "entry 'b'"),
    ("contact: someone@example.org\n@book{a, title={A}}\n", 1, "'@' must start an entry"),
])
def test_k902_bibtex_at_its_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    # Braces that never close and a missing key: the entry's line; a bad field: the field's line.
    root = _write(tmp_path, {"bad.bib": text})
    library, diags = load_library(root, ["bad.bib"], root / "book.yaml", 7)
    assert library is None
    assert [(d.code, d.path, d.line) for d in diags] == [("K902", root / "bad.bib", line)]
    assert words in diags[0].message


@pytest.mark.parametrize(("name", "text", "line"), [
    ("bad.json", '[\n  {"id": "a",\n   "type": "book"\n   "title": "x"}\n]\n', 4),
    ("bad.json", '[\n  {"id": "a", "type": "book"},\n  {"type": "book",\n   "title": "no id"}\n]\n', 3),
    ("bad.json", '[\n  {"id": "a", "type": "book"},\n  {"id": "b", "title": "no type"}\n]\n', 3),
    ("bad.json", '{"id": "a", "type": "book"}\n', 1),
    ("bad.yaml", "- id: a\n  type: book\n- id: b\n  title: [unclosed\n  type: book\n", 5),
    ("bad.yaml", "- id: a\n  type: book\n- type: book\n  title: no id\n", 3),
    ("bad.yml", "references:\n  - id: a\n    type: book\n  - title: no id\n    type: book\n", 4),
    ("bad.yaml", "title: not references\n", 1),
    ("bad.yaml", "- id: a\n  type: book\n- id: b\n  type: book\n  author: Lem, Stanisław\n", 3),
])
def test_k902_json_and_yaml_at_their_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    assert _problems(tmp_path, {name: text}) == [("K902", name, line)]


def test_k902_not_utf8(tmp_path: Path) -> None:
    root = _write(tmp_path, {})
    (root / "latin.bib").write_bytes(b"@book{a,\n title={\xa3ukasiewicz}}\n")  # ISO 8859-2
    library, diags = load_library(root, ["latin.bib"], root / "book.yaml", 7)
    assert library is None and [(d.code, d.line) for d in diags] == [("K902", 2)]


def test_k903_twice_in_one_file_and_across_files(tmp_path: Path) -> None:
    twice = BIB + "\n@book{lem1961,\n  title = {Again},\n  year = 1962\n}\n"
    problems = _problems(tmp_path, {"refs.bib": twice, "more.json": FORMATS["refs.json"]},
                         "refs.bib", "more.json")
    assert problems[0] == ("K903", "refs.bib", twice.count("\n", 0, twice.rindex("@book{lem1961")) + 1)
    assert problems[1:] == [("K903", "more.json", _line_of(FORMATS["refs.json"], f'"id": "{key}"'))
                            for key in KEYS]
    root = tmp_path / "ms"
    _library, diags = load_library(root, ["refs.bib", "more.json"], root / "book.yaml", 7)
    assert "first at refs.bib:4" in diags[0].message


def test_k903_keys_differing_only_in_case(tmp_path: Path) -> None:
    text = "@book{Lem1961, title={A}, year=1961}\n@book{lem1961, title={B}, year=1961}\n"
    root = _write(tmp_path, {"a.bib": text})
    library, diags = load_library(root, ["a.bib"], root / "book.yaml", 7)
    assert library is not None and list(library.references) == ["Lem1961"]
    assert [(d.code, d.line) for d in diags] == [("K903", 2)]
    assert "as 'Lem1961'" in diags[0].message


# --- citations ------------------------------------------------------------------------------------------

def test_note_style_or_in_text(bib_library: Library) -> None:
    assert _processor(bib_library, "chicago-notes", "pl").note_style
    assert not _processor(bib_library, "chicago-author-date", "pl").note_style
    assert not _processor(bib_library, "apa", "pl").note_style


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", ["Stanisław Lem, <i>Solaris</i> (Warszawa: Wydawnictwo Ministerstwa Obrony Narodowej, 1961), 12.",
            "John Smith i Mary Jones, „On the Typesetting of Books”, <i>Journal of Typography</i> 12, nr 3 "
            "(2020): 50.",
            "Lem, <i>Solaris</i>, 1961, 13.",  # the year: citeproc-py does no disambiguation
            "tamże, 13.",  # Polish notes say "tamże" (QA sweep 11); the note's capital comes later (cite.py)
            "tamże, rozdz. 3."]),
    ("en", ["Stanisław Lem, <i>Solaris</i> (Warszawa: Wydawnictwo Ministerstwa Obrony Narodowej, 1961), 12.",
            "John Smith and Mary Jones, “On the Typesetting of Books,” <i>Journal of Typography</i> 12, "
            "no. 3 (2020): 50.",
            "Lem, <i>Solaris</i>, 1961, 13.",
            "ibid., 13.",
            "ibid., chap. 3."]),
])
def test_chicago_notes_first_subsequent_and_ibid(bib_library: Library, lang: str,
                                                 expected: list[str]) -> None:
    # Chicago gives a page as a bare number in both languages; other locators get the locale's label.
    processor = _processor(bib_library, "chicago-notes", lang)
    got = [processor.cite([request]) for request in (
        CiteRequest("lem1961", "12"), CiteRequest("smith2020", "50"), CiteRequest("lem1961", "13"),
        CiteRequest("lem1961", "13"), CiteRequest("lem1961", "3", "chapter"))]
    assert got == expected


@pytest.mark.parametrize(("style", "lang", "expected"), [
    ("chicago-author-date", "pl", ["(Lem 1961, 12)", "(Smith i Jones 2020, 50)",
                                   "(Smith i Jones 2020; Adams i in. 2018, 4–5)"]),
    ("chicago-author-date", "en", ["(Lem 1961, 12)", "(Smith and Jones 2020, 50)",
                                   "(Smith and Jones 2020; Adams et al. 2018, 4–5)"]),
    ("apa", "pl", ["(Lem, 1961, s. 12)", "(Smith &amp; Jones, 2020, s. 50)",
                   "(Adams i in., 2018, s. 4–5; Smith &amp; Jones, 2020)"]),
    ("apa", "en", ["(Lem, 1961, p. 12)", "(Smith &amp; Jones, 2020, p. 50)",
                   "(Adams et al., 2018, pp. 4–5; Smith &amp; Jones, 2020)"]),
])
def test_in_text_styles(bib_library: Library, style: str, lang: str, expected: list[str]) -> None:
    processor = _processor(bib_library, style, lang)
    got = [processor.cite(requests) for requests in (
        [CiteRequest("lem1961", "12")], [CiteRequest("smith2020", "50")],
        [CiteRequest("smith2020"), CiteRequest("adams2018", "4-5")])]
    assert got == expected


@pytest.mark.parametrize(("style", "expected"), [
    # Chicago sorts no citation: the author's order, though Lem was cited first (citeproc-py put him
    # first, and "zob." with him). APA sorts a citation's works by author (APA 8.12).
    ("chicago-author-date", "(zob. Smith i Jones 2020, 50; Lem 1961)"),
    ("chicago-notes", "zob. John Smith i Mary Jones, „On the Typesetting of Books”, <i>Journal of "
                      "Typography</i> 12, nr 3 (2020): 50; Lem, <i>Solaris</i>, 1961."),
    ("apa", "(Lem, 1961; zob. Smith &amp; Jones, 2020, s. 50)"),
])
def test_a_citation_keeps_its_order_unless_the_style_sorts(bib_library: Library, style: str,
                                                           expected: str) -> None:
    processor = _processor(bib_library, style, "pl")
    processor.cite([CiteRequest("lem1961")])
    got = processor.cite([CiteRequest("smith2020", "50", prefix="zob."), CiteRequest("lem1961")])
    assert got == expected


@pytest.mark.parametrize(("style", "expected"), [
    ("chicago-notes", ["zob. Stanisław Lem, <i>Solaris</i> (Warszawa: Wydawnictwo Ministerstwa Obrony "
                       "Narodowej, 1961), 13 i passim.",
                       "John Smith i Mary Jones, „On the Typesetting of Books”, <i>Journal of Typography</i> "
                       "12, nr 3 (2020): 45–67, passim.",  # no locator: Chicago's first note gives the pages
                       "<i>Widok z ziarnkiem piasku</i> (Poznań: Wydawnictwo a5, 1996), 7."]),
    ("chicago-author-date", ["(zob. Lem 1961, 13 i passim)", "(Smith i Jones 2020, passim)", "(1996, 7)"]),
    ("apa", ["(zob. Lem, 1961, s. 13 i passim)", "(Smith &amp; Jones, 2020, passim)", "(1996, s. 7)"]),
])
def test_prefix_suffix_and_suppressed_author(bib_library: Library, style: str, expected: list[str]) -> None:
    # As Pandoc: a space after the prefix, one before a suffix that starts with a word, none before ", …".
    processor = _processor(bib_library, style, "pl")
    assert [processor.cite([CiteRequest("lem1961", "13", prefix="zob. ", suffix="i passim")]),
            processor.cite([CiteRequest("smith2020", suffix=", passim")]),
            processor.cite([CiteRequest("szymborska1996", "7", suppress_author=True)])] == expected


def test_suppressed_author_in_a_citation_of_several(bib_library: Library) -> None:
    processor = _processor(bib_library, "chicago-author-date", "en")
    cites = [CiteRequest("lem1961", suppress_author=True), CiteRequest("smith2020", "5")]
    assert processor.cite(cites) == "(1961; Smith and Jones 2020, 5)"


def test_text_is_escaped_and_markup_well_formed(bib_library: Library) -> None:
    for style in BUNDLED:
        processor = _processor(bib_library, style, "pl")
        cite = _well_formed(processor.cite([CiteRequest("bringhurst2004", "5", prefix="<b>see</b> &")]))
        assert "&lt;b&gt;see&lt;/b&gt; &amp;" in cite
        processor.cite([CiteRequest("tuwim2023")])
        for _key, entry in processor.bibliography(["*"]):
            _well_formed(entry)
        entries = dict(processor.bibliography())
        assert "Hartley &amp; Marks" in entries["bringhurst2004"]
        address = entries["tuwim2023"].replace("<wbr/>", "")
        assert "https://example.org/wiersze?autor=tuwim&amp;rok=2023" in address


def test_unknown_key_raises_keyerror_and_registers_nothing(bib_library: Library) -> None:
    processor = _processor(bib_library, "apa", "pl")
    for key in ("nope", "LEM1961"):  # keys are matched as written, like Pandoc's
        with pytest.raises(KeyError):
            processor.cite([CiteRequest("lem1961"), CiteRequest(key)])
    assert processor.bibliography() == []


@pytest.mark.parametrize(("lang", "locale_words"), [("pl", " i "), ("pl-PL", " i "), ("en", " and "),
                                                    ("de", " and ")])
def test_book_language_picks_citeprocs_locale(bib_library: Library, lang: str, locale_words: str) -> None:
    processor = _processor(bib_library, "chicago-author-date", lang)
    assert locale_words in processor.cite([CiteRequest("smith2020")])


# --- bibliography ---------------------------------------------------------------------------------------

POLISH_ORDER = ["adams2018", "bringhurst2004", "gus2019", "lem1961", "lukasiewicz1929", "nowak2015",
                "sienkiewicz2010", "smith2020", "szymborska1996", "swietochowski1900", "tuwim2023",
                "zeromski1905"]


@pytest.mark.parametrize("style", list(BUNDLED))
def test_bibliography_in_the_languages_order(bib_library: Library, style: str) -> None:
    keys = [key for key, _entry in _processor(bib_library, style, "pl").bibliography(["*"])]
    assert keys == POLISH_ORDER  # Ł after L, Ś after S (and after Sz), Ż after Z
    assert keys.index("lem1961") < keys.index("lukasiewicz1929") < keys.index("nowak2015")
    assert (keys.index("sienkiewicz2010") < keys.index("swietochowski1900") < keys.index("tuwim2023")
            < keys.index("zeromski1905"))
    english = [key for key, _entry in _processor(bib_library, style, "en").bibliography(["*"])]
    # In English Ś is an S with an accent: Świętochowski files before Szymborska.
    assert english.index("swietochowski1900") < english.index("szymborska1996")


def test_bibliography_holds_cited_and_nocite_keys(bib_library: Library) -> None:
    processor = _processor(bib_library, "chicago-author-date", "pl")
    processor.cite([CiteRequest("smith2020", "50")])
    processor.cite([CiteRequest("lem1961")])
    assert processor.bibliography() == [
        # given names written out: the style's <name initialize="false"> (citeprocfix)
        ("lem1961", "Lem, Stanisław. 1961. <i>Solaris</i>. Wydawnictwo Ministerstwa Obrony Narodowej."),
        # the pages, not the citation's locator 50
        ("smith2020", "Smith, John i Mary Jones. 2020. „On the Typesetting of Books”. <i>Journal of "
                      "Typography</i> 12 (3): 45–67."),
    ]
    with_nocite = processor.bibliography(["adams2018", "nope"])  # an unknown nocite key is the caller's
    assert [key for key, _entry in with_nocite] == ["adams2018", "lem1961", "smith2020"]
    assert len(processor.bibliography(["*"])) == len(KEYS)
    assert processor.uncited() == [k for k in KEYS if k not in ("lem1961", "smith2020")]
    assert processor.uncited(["adams2018", "gus2019"]) == [k for k in KEYS if k not in (
        "lem1961", "smith2020", "adams2018", "gus2019")]
    assert processor.uncited(["*"]) == []


CHICAGO_PL = {
    "lem1961": "Lem, Stanisław. <i>Solaris</i>. Warszawa: Wydawnictwo Ministerstwa Obrony Narodowej, 1961.",
    "smith2020": "Smith, John i Mary Jones. „On the Typesetting of Books”. <i>Journal of Typography</i> 12, "
                 "nr 3 (2020): 45–67.",
    "nowak2015": "Nowak, Jan. „Rozdział o typografii”. W <i>Księga pamiątkowa</i>, red. Adam "
                 "Kowalski i Ewa Wiśniewska, 101–20. Kraków: Wydawnictwo Literackie, 2015.",
    "gus2019": "Główny Urząd Statystyczny. <i>Rynek książki w Polsce</i>. Raport. Warszawa: GUS, 2019.",
    "tuwim2023": "Tuwim, Julian. „Strona o wierszach”, 1 maja 2023. "
                 "https://example.org/wiersze?autor=tuwim&amp;rok=2023.",
    "zeromski1905": "Żeromski, Stefan. „List do wydawcy”, 1905. Sygn. 1234. Biblioteka Narodowa.",
    "sienkiewicz2010": "Sienkiewicz, Anna. „Typografia polska XX wieku”. Rozprawa doktorska, Uniwersytet "
                       "Warszawski, 2010.",
    "bringhurst2004": "Bringhurst, Robert. <i>The Elements of Typographic Style</i>. 3. wyd. Vancouver: "
                      "Hartley &amp; Marks, 2004.",
    "adams2018": "Adams, Ann, Bob Brown, Carol Clark i Dan Davis. „Many hands”. <i>Collaborative "
                 "Studies</i> 4 (2018): 1–20.",
}
CHICAGO_EN = {
    "lem1961": CHICAGO_PL["lem1961"],
    # American English: the full stop and the comma inside the quotes (CSL en-US punctuation-in-quote)
    "smith2020": "Smith, John, and Mary Jones. “On the Typesetting of Books.” <i>Journal of Typography</i> "
                 "12, no. 3 (2020): 45–67.",
    "tuwim2023": "Tuwim, Julian. “Strona o wierszach,” May 1, 2023. "
                 "https://example.org/wiersze?autor=tuwim&amp;rok=2023.",
    # English title case for a title without a language (Tuwim's has langid = polish): see Limitations
    "swietochowski1900": "Świętochowski, Aleksander. <i>Historia Chłopów Polskich</i>. Lwów: Gebethner i "
                         "Wolff, 1900.",
    "bringhurst2004": "Bringhurst, Robert. <i>The Elements of Typographic Style</i>. 3rd ed. Vancouver: "
                      "Hartley &amp; Marks, 2004.",
}
APA = {
    "pl": {"lem1961": "Lem, S. (1961). <i>Solaris</i>. Wydawnictwo Ministerstwa Obrony Narodowej.",
           "smith2020": "Smith, J., &amp; Jones, M. (2020). On the Typesetting of Books. <i>Journal of "
                        "Typography</i>, <i>12</i>(3), 45–67.",
           "nowak2015": "Nowak, J. (2015). Rozdział o typografii. W A. Kowalski &amp; E. Wiśniewska (red.), "
                        "<i>Księga pamiątkowa</i> (s. 101–120). Wydawnictwo Literackie.",
           "tuwim2023": "Tuwim, J. (2023, maja 1). <i>Strona o wierszach</i>. "
                        "https://example.org/wiersze?autor=tuwim&amp;rok=2023"},
    "en": {"lem1961": "Lem, S. (1961). <i>Solaris</i>. Wydawnictwo Ministerstwa Obrony Narodowej.",
           "nowak2015": "Nowak, J. (2015). Rozdział o typografii. In A. Kowalski &amp; E. Wiśniewska (Eds.), "
                        "<i>Księga pamiątkowa</i> (pp. 101–120). Wydawnictwo Literackie."},
}


@pytest.mark.parametrize(("style", "lang", "expected"), [
    ("chicago-notes", "pl", CHICAGO_PL), ("chicago-notes", "en", CHICAGO_EN),
    ("apa", "pl", APA["pl"]), ("apa", "en", APA["en"]),
])
def test_bibliography_entries(bib_library: Library, style: str, lang: str, expected: dict[str, str]) -> None:
    entries = dict(_processor(bib_library, style, lang).bibliography(["*"]))
    # An address is a span with its break opportunities (tests/unit/test_cslhtml.py): compared as text.
    plain = {key: re.sub(r'<wbr/>|<span class="url">([^<]*(?:<wbr/>[^<]*)*)</span>',
                         lambda m: (m.group(1) or "").replace("<wbr/>", ""), entries[key])
             for key in expected}
    assert plain == expected


def test_bundled_styles_are_vendored_with_their_licence() -> None:
    readme = (next(iter(BUNDLED.values())).parent / "README.md").read_text(encoding="utf-8")
    ns = {"csl": "http://purl.org/net/xbiblio/csl"}
    for name, path in BUNDLED.items():
        rights = etree.parse(str(path)).find("csl:info/csl:rights", ns)
        assert rights is not None and rights.get("license") == "http://creativecommons.org/licenses/by-sa/3.0/"
        assert f"{name}.csl" in readme


def test_keys_may_hold_markup_characters(tmp_path: Path) -> None:
    # Pandoc allows & < > inside keys; they must reach citeproc-py untouched, and text must come out escaped.
    root = _write(tmp_path, {"a.json": '[{"id": "smith&jones<2020>", "type": "book", "title": "T & U"}]',
                             "b.bib": "@book{doe&roe:2001, title={X \\& Y}, year=2001}\n"})
    processor = _processor(_load(root, "a.json", "b.bib"), "apa", "en")
    _well_formed(processor.cite([CiteRequest("smith&jones<2020>"), CiteRequest("doe&roe:2001")]))
    entries = dict(processor.bibliography())
    assert "<i>T &amp; U</i>" in entries["smith&jones<2020>"]
    assert "<i>X &amp; Y</i>" in entries["doe&roe:2001"]


def test_latex_accents_as_polish_bib_files_write_them(tmp_path: Path) -> None:
    # Zotero and JabRef export Polish letters as LaTeX; citeproc-py's own reader fails on "{\L}" and
    # "{\k{e}}" ("generator raised StopIteration") and reads "---" as "–-".
    bib = (r"@book{luk, author = {{\L}ukasiewicz, Anna and Zieli{\'n}ski, Piotr}, "
           r"title = {Pami{\k{e}}{\'c} o {\.Z}ycie --- \"{o}dy i \L{}ódź}, "
           r"address = {Krak{\'o}w}, publisher = {Przyk{\l}ad}, year = {2015}}" "\n")
    processor = _processor(_load(_write(tmp_path, {"a.bib": bib}), "a.bib"), "chicago-notes", "pl")
    [(_key, entry)] = processor.bibliography(["luk"])
    assert entry.startswith("Łukasiewicz, Anna i Piotr Zieliński. ")
    assert "Pamięć o Życie — ödy i Łódź" in entry and "Kraków: Przykład, 2015" in entry


@pytest.mark.parametrize(("style", "title"), [("chicago-notes", "Pamięć Wybrzeża Łodzi"),
                                              ("apa", "Pamięć wybrzeża Łodzi")])
def test_latex_letters_in_an_english_book_stay_inside_their_words(tmp_path: Path, style: str,
                                                                  title: str) -> None:
    r"""Title case (Chicago) and sentence case (APA) in English: "{\k{e}}" inside a word split it
    ("Pami ę ć Wybrze ż a"); a grouped capital still keeps its case ("Łodzi" in sentence case)."""
    bib = r"@book{a, author = {Nowak, Jan}, title = {Pami{\k{e}}{\'c} wybrze{\.z}a {\L}odzi}, year = {2010}}"
    processor = _processor(_load(_write(tmp_path, {"a.bib": bib + "\n"}), "a.bib"), style, "en")
    [(_key, entry)] = processor.bibliography(["a"])
    assert title in entry


def test_formatting_commands_keep_their_words_and_an_unknown_command_is_named(tmp_path: Path) -> None:
    bib = (r"@book{a, author = {Nowak, Jan}, title = {O \emph{Lalce} i \textit{Chłopach}: 50\% \& więcej}, "
           "year = 2001}")
    processor = _processor(_load(_write(tmp_path, {"a.bib": bib + "\n"}), "a.bib"), "chicago-notes", "pl")
    [(_key, entry)] = processor.bibliography(["a"])
    assert "O Lalce i Chłopach: 50% &amp; więcej" in entry
    root = _write(tmp_path / "b", {"b.bib": "\n@book{b, title = {Tekst \\foo x}, year = 2001}\n"})
    _library, diags = load_library(root, ("b.bib",), root / "book.yaml", 7)
    assert [(d.code, d.line, d.message) for d in diags] == [
        ("K902", 2, "entry 'b': unknown LaTeX command \\foo (write the character itself)")]


@pytest.mark.parametrize(("style", "expected"), [
    ("chicago-author-date", ["(Lem 1961, chap. 3)", "(Lem 1961, line 3)", "(Lem 1961, 12)"]),
    ("apa", ["(Lem, 1961, Chapter 3)", "(Lem, 1961, Line 3)", "(Lem, 1961, p. 12)"]),  # as the style says
])
def test_an_author_date_locator_keeps_its_label(bib_library: Library, style: str,
                                                expected: list[str]) -> None:
    """'[@hague1975, chap. 3]' printed '(Hague and Christie 1975, 3)', which reads as page 3 (QA sweep 5):
    citeproc-py never took a locator for a number (citeprocfix)."""
    processor = _processor(bib_library, style, "en")
    got = [processor.cite([CiteRequest("lem1961", "3", label)]) for label in ("chapter", "line")]
    got.append(processor.cite([CiteRequest("lem1961", "12")]))
    assert got == expected
