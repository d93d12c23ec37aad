"""book.yaml's design keys (notes, fonts, front and back matter, theme defaults) and the ISBN check digit,
read by parse_config: each problem names the key's line and a stable code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kolofon.config import FIELDS, BookConfig, parse_config
from kolofon.config_shapes import isbn_problem
from kolofon.init import book_yaml

CFG = Path("ms/book.yaml")
HEAD = "title: T\nlang: en\n"


def _parse(extra: str) -> tuple[BookConfig | None, list[str]]:
    config, diags = parse_config(HEAD + extra, CFG)
    return config, [d.format(Path.cwd()) for d in diags]


def _one_error(extra: str, code: str) -> str:
    config, errors = _parse(extra)
    assert config is None
    assert len(errors) == 1, errors
    assert f"[{code}]" in errors[0] and "book.yaml:3:" in errors[0], errors[0]
    return errors[0]


def test_unknown_notes_mode_is_refused_with_the_choices():
    message = _one_error("notes: sideways\n", "K104")
    assert "'sideways'" in message and all(mode in message for mode in ("end", "foot", "chapter"))


def test_unknown_note_numbering_is_refused():
    assert "'page'" in _one_error("note_numbering: page\n", "K104")


def test_unknown_font_style_is_named():
    message = _one_error("fonts: {body: {regular: a.ttf, oblique: b.ttf}}\n", "K104")
    assert "'oblique'" in message and "bold_italic" in message


def test_unknown_font_role_is_named():
    assert "'captions'" in _one_error("fonts: {captions: {regular: a.ttf}}\n", "K104")


def test_a_font_role_without_its_regular_face_is_refused():
    assert "regular" in _one_error("fonts: {headings: {bold: a.ttf}}\n", "K104")


def test_fonts_shorthand_is_the_body_family():
    config, errors = _parse("fonts: {regular: a.ttf, italic: b.ttf}\n")
    assert errors == [] and config is not None
    assert config.fonts == (("body", "regular", "a.ttf"), ("body", "italic", "b.ttf"))


def test_unknown_front_matter_role_is_named():
    message = _one_error("front: [{overture: p.md}]\n", "K104")
    assert "'overture'" in message and "preface" in message


def test_a_front_only_role_is_refused_in_the_back_matter():
    assert "'dedication'" in _one_error("back: [{dedication: d.md}]\n", "K104")


def test_front_and_back_matter_keep_their_order():
    config, errors = _parse("front: [{epigraph: e.md}, {preface: p.md}]\nback: [{about: a.md}]\n")
    assert errors == [] and config is not None
    assert config.front == (("epigraph", "e.md"), ("preface", "p.md"))
    assert config.back == (("about", "a.md"),)


def test_css_is_one_file_or_a_list():
    one, _ = _parse("css: style/house.css\n")
    many, _ = _parse("css: [a.css, b.css]\n")
    assert one is not None and one.css == ("style/house.css",)
    assert many is not None and many.css == ("a.css", "b.css")
    _one_error("css: 5\n", "K104")


def test_unknown_theme_lists_the_built_in_ones():
    message = _one_error("theme: nosuch\n", "K106")
    assert "'nosuch'" in message and "book" in message and "report" in message


def test_the_book_theme_defaults():
    config, _ = _parse("")
    assert config is not None
    design = (config.theme, config.page_size, config.notes, config.numbered_sections)
    assert design == ("book", "A5", "end", False)


def test_the_report_theme_defaults():
    config, _ = _parse("theme: report\n")
    assert config is not None
    assert (config.page_size, config.notes, config.numbered_sections) == ("A4", "foot", True)


@pytest.mark.parametrize(("extra", "field", "value"), [
    ("notes: end\n", "notes", "end"),
    ("page_size: A5\n", "page_size", "A5"),
    ("numbered_sections: false\n", "numbered_sections", False),
])
def test_the_books_own_value_wins_over_the_themes(extra, field, value):
    # The key may stand before or after theme: in book.yaml.
    for text in ("theme: report\n" + extra, extra + "theme: report\n"):
        config, errors = _parse(text)
        assert errors == [] and config is not None
        assert getattr(config, field) == value


def test_colophon_values_are_text_and_unknown_keys_refused():
    config, _ = _parse("colophon: {paper: Munken, print_run: 300}\n")
    assert config is not None and config.colophon == (("paper", "Munken"), ("print_run", "300"))
    assert "'binding'" in _one_error("colophon: {binding: sewn}\n", "K104")


@pytest.mark.parametrize("isbn", ["978-0-306-40615-7", "9780306406157", "ISBN 978-0-306-40615-7",
                                  "0-306-40615-2", "080442957X", "0-8044-2957-x"])
def test_valid_isbns_are_accepted(isbn):
    assert isbn_problem(isbn) is None


@pytest.mark.parametrize(("isbn", "words"), [
    ("978-0-306-40615-8", "check digit"),
    ("0-306-40615-3", "check digit"),
    ("978030640615", "13 digits"),  # 12 digits
    ("977-0-306-40615-7", "978 or 979"),
    ("978-0-306-4061X-7", "13 digits"),
])
def test_invalid_isbns_are_refused_with_the_reason(isbn, words):
    problem = isbn_problem(isbn)
    assert problem is not None and words in problem


def test_wrong_isbn_check_digit_in_book_yaml_gives_k107_and_the_expected_digit():
    message = _one_error("isbn: 978-0-306-40615-8\n", "K107")
    assert "expected 7" in message


def test_the_isbn_is_kept_without_its_prefix():
    config, _ = _parse("isbn: ISBN 978-0-306-40615-7\n")
    assert config is not None and config.isbn == "978-0-306-40615-7"


@pytest.mark.parametrize("isbn", ["0306406152", "9780306406157", "080442957X"])
def test_an_unquoted_isbn_is_read_as_written(isbn):
    """YAML 1.1 reads 0306406152 as an octal number (52038762): the ISBN must be the text as written."""
    config, errors = _parse(f"isbn: {isbn}\n")
    assert errors == []
    assert config is not None and config.isbn == isbn


def test_every_example_in_a_new_book_yaml_is_a_valid_value():
    """`init` writes every key, the optional ones commented out: uncommented, they must all parse."""
    text = book_yaml(None, "en")
    for name in FIELDS:
        assert re.search(rf"(?m)^(# )?{name}: ", text), name
    uncommented = re.sub(rf"(?m)^# ({'|'.join(FIELDS)}): ", r"\1: ", text)
    config, diags = parse_config(uncommented, CFG)
    assert diags == [] and config is not None
    assert config.isbn and config.front and config.back and config.colophon and config.css


def test_lists_and_figure_numbering():
    assert "not 'equations'" in _one_error("lists: [figures, equations]\n", "K104")
    assert "'foo'" in _one_error("figure_numbering: foo\n", "K104")
    config, errors = _parse("lists: figures\nfigure_numbering: chapter\n")
    assert errors == [] and config is not None
    assert config.lists == ("figures",) and config.figure_numbering == "chapter"
    config, _ = _parse("lists: [tables, figures, tables]\n")
    assert config is not None and config.lists == ("tables", "figures")


@pytest.mark.parametrize(("title", "slug"), [
    ("Miód i wosk: dzieje spółdzielni 1929–2001", "miod-i-wosk-dzieje-spoldzielni-1929-2001"),
    ("„Łódź” — miasto", "lodz-miasto"),
    ("The Keeper’s Year", "the-keepers-year"),
    ("Ольга", "olga"),  # other scripts in Latin (they were dropped: "book"; QA sweep 7)
    ("Αθήνα и Москва: Żółć", "athena-i-moskva-zolc"),
])
def test_the_output_name_keeps_words_apart_at_dashes_and_together_at_apostrophes(title, slug):
    from kolofon.config import slugify

    assert slugify(title) == slug


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-45", "2026-01-01 10:00:00"])
def test_an_impossible_date_names_its_line(date):
    """PyYAML read 2026-02-30 as a date and raised: a traceback instead of book.yaml's line."""
    assert f"'date' must be a date YYYY-MM-DD, not '{date}'" in _one_error(f"date: {date}\n", "K104")


def test_a_date_is_kept_as_written():
    config, errors = _parse("date: 2026-02-28\n")
    assert errors == [] and config is not None and config.date == "2026-02-28"


def test_a_key_given_twice_is_an_error_naming_both_lines():
    """YAML let the last title win, silently: a draft title went to print (QA sweep 5)."""
    config, errors = _parse("title: Draft\n")
    assert config is None
    assert errors == ["ms/book.yaml:3: error: 'title' is given twice (also on line 1) [K113]"]


@pytest.mark.parametrize(("size", "problem"), [
    ('"1mm 1mm"', "each side must be 50–1200 mm"), ('"0mm 0mm"', "each side"),
    ('"5100mm 300mm"', "each side"), ('"6 9"', "must be one of"),
    ('"6in 9in"', None), ('"120mm 190mm"', None)])
def test_a_page_size_out_of_range_is_named_not_a_traceback(size, problem):
    """'1mm 1mm' gave WeasyPrint's "Page size must be between 3 and 14400 PDF units" (QA sweep 7)."""
    config, diags = _parse(f"page_size: {size}\n")
    if problem is None:
        assert diags == [] and config is not None
        assert config.page_mm == pytest.approx((152.4, 228.6) if "in" in size else (120, 190))
    else:
        assert len(diags) == 1 and "K104" in diags[0] and problem in diags[0]


@pytest.mark.parametrize(("extra", "context"), [
    ('author: "Jan\nsubtitle: x\n\n\n', "quoted scalar"),  # the quote's end is looked for to the file's end
    ("subjects: [a, b\n\n\n", "flow sequence"),
])
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(extra: str, context: str) -> None:
    """Not at the end of the file, where YAML finds it wanting (QA sweep: line 9 of an 8-line file)."""
    message = _one_error(extra, "K101")
    assert context in message and "starts on this line" in message
