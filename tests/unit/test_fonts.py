"""Font checks: embedding licence, outline flavour, family name, and characters the fonts lack (K801-K804)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

from kolofon.diagnostics import Severity
from kolofon.fonts import MAX_PER_FILE, FontFile, check_font, family_name, uncovered_characters
from kolofon.model import SourceFile

REPO = Path(__file__).resolve().parents[2]
GENTIUM = REPO / "templates" / "fonts" / "GentiumBookPlus-Regular.ttf"
ASCII_LETTERS = "#ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _box(pen: TTGlyphPen | T2CharStringPen) -> None:
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((450, 700))
    pen.lineTo((450, 0))
    pen.closePath()


def tiny_font(path: Path, chars: str = ASCII_LETTERS, fs_type: int = 0, cff: bool = False,
              variable: bool = False) -> Path:
    """A font of square glyphs for `chars`, TrueType-outlined unless `cff`."""
    names = {ord(c): f"uni{ord(c):04X}" for c in chars}
    order = [".notdef", *names.values()]
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(names)
    if cff:
        charstrings = {}
        for name in order:
            pen = T2CharStringPen(500, None)
            _box(pen)
            charstrings[name] = pen.getCharString()
        builder.setupCFF("TinyTest-Regular", {"FullName": "Tiny Test"}, charstrings, {})
    else:
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(None)
            _box(pen)
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (500, 50) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny Test", "styleName": "Regular",
                            "typographicFamily": "Tiny Typographic"})
    builder.setupOS2(fsType=fs_type)
    builder.setupPost()
    if variable:
        builder.setupFvar([("wght", 100, 400, 900, "Weight")], [])
    builder.save(str(path))
    return path


def _font(path: Path, tmp_path: Path) -> FontFile:
    return FontFile(path, "body", "regular", (tmp_path / "book.yaml", 7))


def test_built_in_font_is_usable_and_named() -> None:
    assert check_font(FontFile(GENTIUM, "body", "regular", (REPO / "book.yaml", 1))) == []
    assert family_name(GENTIUM) == "Gentium Book Plus"


def test_typographic_family_name_wins_over_the_legacy_one(tmp_path: Path) -> None:
    assert family_name(tiny_font(tmp_path / "t.ttf")) == "Tiny Typographic"


@pytest.mark.parametrize("fs_type", [0x0002, 0x0200, 0x0100, 0x0302])
def test_licence_bits_that_forbid_embedding(tmp_path: Path, fs_type: int) -> None:
    diagnostics = check_font(_font(tiny_font(tmp_path / "t.ttf", fs_type=fs_type), tmp_path))
    assert [d.code for d in diagnostics] == ["K802"]
    d = diagnostics[0]
    assert d.severity is Severity.ERROR
    assert (d.path, d.line) == (tmp_path / "book.yaml", 7)
    assert "t.ttf" in d.message and "embedding" in d.message
    if fs_type & 0x0100:
        assert "subset" in d.message


@pytest.mark.parametrize("fs_type", [0x0000, 0x0004, 0x0008, 0x0006])
def test_licence_bits_that_allow_embedding(tmp_path: Path, fs_type: int) -> None:
    assert check_font(_font(tiny_font(tmp_path / "t.ttf", fs_type=fs_type), tmp_path)) == []


def test_missing_file_and_non_font_are_unreadable(tmp_path: Path) -> None:
    text = tmp_path / "fonts" / "notes.ttf"
    text.parent.mkdir()
    text.write_bytes(b"this is not a font at all\n" * 10)
    for path, shown in ((tmp_path / "fonts" / "absent.otf", "'fonts/absent.otf'"),
                        (text, "'fonts/notes.ttf'"), (tmp_path / "fonts", "'fonts'")):
        diagnostics = check_font(_font(path, tmp_path))
        assert [d.code for d in diagnostics] == ["K801"], path
        assert f"font {shown} (body regular) cannot be read: " in diagnostics[0].message
        assert diagnostics[0].line == 7


def test_cff_flavoured_and_variable_fonts_are_refused(tmp_path: Path) -> None:
    cff = check_font(_font(tiny_font(tmp_path / "c.otf", cff=True), tmp_path))
    assert [d.code for d in cff] == ["K803"]
    assert ".ttf" in cff[0].message and "CFF" in cff[0].message
    variable = check_font(_font(tiny_font(tmp_path / "v.ttf", variable=True), tmp_path))
    assert [d.code for d in variable] == ["K803"]
    assert "static" in variable[0].message


def test_a_font_replaced_on_disk_is_read_again(tmp_path: Path) -> None:
    path = tiny_font(tmp_path / "t.ttf", fs_type=0x0002)
    assert check_font(_font(path, tmp_path))
    tiny_font(tmp_path / "ok.ttf").replace(path)
    assert check_font(_font(path, tmp_path)) == []


def test_armenian_is_reported_once_at_its_first_line() -> None:
    src = SourceFile(Path("/ms/01.md"), "# Rozdział\n\nTekst i Ա, potem Բ.\nZnowu Ա.\n")
    diagnostics = uncovered_characters([src], GENTIUM)
    assert [(d.code, d.line) for d in diagnostics] == [("K804", 3), ("K804", 3)]
    assert "'Ա' (U+0531 ARMENIAN CAPITAL LETTER AYB)" in diagnostics[0].message
    assert "'Gentium Book Plus'" in diagnostics[0].message
    assert "ARMENIAN CAPITAL LETTER BEN" in diagnostics[1].message
    assert diagnostics[0].path == src.path and diagnostics[0].severity is Severity.ERROR


def test_a_character_written_as_an_entity_is_checked_as_if_typed() -> None:
    """"&#x1F600;" went past the check and printed in DejaVu Sans (QA sweep 7)."""
    src = SourceFile(Path("/ms/01.md"), "# R\n\nA &amp; B, &#9733;\n\nand &starf; and &#x1F600;.\n")
    found = [(d.line, d.message.split("'")[1]) for d in uncovered_characters([src], GENTIUM)]
    assert found == [(3, "★"), (5, "😀")]


def test_polish_text_and_invisible_characters_pass() -> None:
    text = ("title: Zażółć gęślą jaźń\n"
            "Zażółć gęślą jaźń — „cytat”… 1–2 «a» ‘b’\u00a0c\u2009d\u00ade\u200bf\ufe0f\t\r\n")
    assert uncovered_characters([SourceFile(Path("/ms/01.md"), text)], GENTIUM) == []


def test_book_yaml_is_checked_but_its_comments_are_not() -> None:
    yaml = SourceFile(Path("/ms/book.yaml"), "# Ա comment\ntitle: Ա\n")
    assert [d.line for d in uncovered_characters([yaml], GENTIUM)] == [2]


def test_heading_lines_are_checked_against_the_headings_font(tmp_path: Path) -> None:
    tiny = tiny_font(tmp_path / "head.ttf")
    src = SourceFile(tmp_path / "01.md", "Body with ą is fine.\n\n## Heading with ą\n\nMore ą.\n")
    diagnostics = uncovered_characters([src], GENTIUM, headings=tiny)
    assert [(d.code, d.line) for d in diagnostics] == [("K804", 3)]
    assert "LATIN SMALL LETTER A WITH OGONEK" in diagnostics[0].message
    assert "'Tiny Typographic' (head.ttf)" in diagnostics[0].message
    # Without a headings font, the heading is set in the body font, which has it.
    assert uncovered_characters([src], GENTIUM) == []


def test_extra_characters_are_reported_at_their_declaration(tmp_path: Path) -> None:
    tiny = tiny_font(tmp_path / "body.ttf")
    at = (tmp_path / "book.yaml", 4)
    diagnostics = uncovered_characters([], tiny, extra="Abc …Abc", extra_at=at)
    assert [(d.code, d.path, d.line) for d in diagnostics] == [("K804", at[0], 4)]
    assert "HORIZONTAL ELLIPSIS" in diagnostics[0].message
    assert uncovered_characters([], GENTIUM, extra="„”–—…0123456789", extra_at=at) == []


def test_at_most_twenty_per_file_then_a_summary(tmp_path: Path) -> None:
    armenian = "".join(chr(c) for c in range(0x0531, 0x0531 + 30))
    first = SourceFile(tmp_path / "01.md", "\n".join(armenian))  # one letter a line
    second = SourceFile(tmp_path / "02.md", "Ա\n")
    diagnostics = uncovered_characters([first, second], GENTIUM)
    in_first = [d for d in diagnostics if d.path == first.path]
    assert len(in_first) == MAX_PER_FILE + 1
    assert [d.line for d in in_first[:MAX_PER_FILE]] == list(range(1, MAX_PER_FILE + 1))
    assert "... and 10 more characters missing in this file" in in_first[-1].message
    assert [d.line for d in diagnostics if d.path == second.path] == [1]


def test_the_cap_counts_body_and_heading_lines_together(tmp_path: Path) -> None:
    armenian = [chr(c) for c in range(0x0531, 0x0531 + 30)]
    lines = [f"# {c}" for c in armenian[:15]] + armenian[15:]  # 15 in headings, then 15 in the body
    src = SourceFile(tmp_path / "01.md", "\n".join(lines))
    diagnostics = uncovered_characters([src], GENTIUM, headings=tiny_font(tmp_path / "head.ttf"))
    assert len(diagnostics) == MAX_PER_FILE + 1
    assert [d.line for d in diagnostics[:MAX_PER_FILE]] == list(range(1, MAX_PER_FILE + 1))
    assert "'Tiny Typographic'" in diagnostics[0].message and "'Gentium Book Plus'" in diagnostics[15].message
    assert "... and 10 more characters" in diagnostics[-1].message
