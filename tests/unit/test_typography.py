"""Each typography rule, per language, plus idempotence and letter preservation (hypothesis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kolofon.source.typography import nest_quotes, rule_names, smarten

NB = "\u00a0"


@pytest.mark.parametrize(("text", "expected"), [
    ("kwota 12 345 678,90 zł", f"kwota 12{NB}345{NB}678,90{NB}zł"),  # grouped digits: one word (QA 7)
    ("dr A. B. Nowak", f"dr{NB}A.{NB}B.{NB}Nowak"),  # every initial glued, not only the last (QA 7)
    ("w roku 1990 200 osób", f"w{NB}roku 1990 200 osób"),  # two numbers, not one
    ("i w domu", f"i{NB}w{NB}domu"),
    ("Ala i kot", f"Ala i{NB}kot"),
    ("Z tego", f"Z{NB}tego"),
    ("(o tym)", f"(o{NB}tym)"),
    ("„a jednak”", f"„a{NB}jednak”"),
    ("W styczniu 1990 r. w Baku", f"W{NB}styczniu 1990{NB}r. w{NB}Baku"),
    ("zginęło ok. 90 osób", f"zginęło ok.{NB}90 osób"),
    ("250 tys. ludzi", f"250{NB}tys. ludzi"),
    ("3 tys. zł i 2 mln euro", f"3{NB}tys.{NB}zł i{NB}2{NB}mln{NB}euro"),
    ("J. Kowalski, J.R.R. Tolkien", f"J.{NB}Kowalski, J.R.R.{NB}Tolkien"),
    ("ss. 12-15, § 3, cz. 2", f"ss.{NB}12–15, §{NB}3, cz.{NB}2"),
    ("10 km dalej", f"10{NB}km dalej"),
    ("25,6 km², 30 m³ i 20 °C", f"25,6{NB}km², 30{NB}m³ i{NB}20{NB}°C"),
    ("przy ul. Limanowskiego, al. 3 Maja", f"przy ul.{NB}Limanowskiego, al.{NB}3 Maja"),
    ("dr Kowalska i prof. Nowak, str. 5", f"dr{NB}Kowalska i{NB}prof.{NB}Nowak, str.{NB}5"),
    ("wydr Ala, al. i inne", f"wydr Ala, al. i{NB}inne"),  # only a word of its own, before a name
    ("w XX w.", f"w{NB}XX{NB}w."),
    ("zob. s. 12", f"zob. s.{NB}12"),
    ("Baku – stolica", f"Baku{NB}– stolica"),
    ("Baku - stolica", f"Baku{NB}– stolica"),
    ("lata 1988-1990", "lata 1988–1990"),
    ("s. 31-234. Dalej", f"s.{NB}31–234. Dalej"),
    ("1,5-2,5 l i 10.00-12.00", f"1,5–2,5{NB}l i{NB}10.00–12.00"),
    # Numbers written with hyphens are no ranges: a postal code, a telephone, a date, an ISBN.
    ("30-001 Kraków i 31-234 Kraków", f"30-001 Kraków i{NB}31-234 Kraków"),
    ("tel. 12-345-67-89, 1894-03-12, ISBN 978-83-000-0000-5",
     "tel. 12-345-67-89, 1894-03-12, ISBN 978-83-000-0000-5"),
    ("'pojedyncze', O'Brien i Kennedy'ego", f"‚pojedyncze’, O’Brien i{NB}Kennedy’ego"),
    ("polsko-ormiański", "polsko-ormiański"),
    ('"Sumgait"', "„Sumgait”"),
    ('rzekł: "tak"', "rzekł: „tak”"),
    ("To koniec...", "To koniec…"),
    ("a -- b", f"a{NB}– b"),
])
def test_polish_rules(text: str, expected: str) -> None:
    assert smarten(text, "pl") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('"Hello," she said', "“Hello,” she said"),
    ("don't", "don’t"),
    ("'quoted'", "‘quoted’"),
    ("pages 3-5", "pages 3–5"),
    ("wait---what", "wait—what"),
    ("I am a cat", "I am a cat"),  # no Polish no-break spaces in English
    ("J. Smith, p. 12, pp. 3-5, vol. 2", f"J.{NB}Smith, p.{NB}12, pp.{NB}3–5, vol.{NB}2"),
    ("Mr. Smith met Dr. Watson near St. Paul's", f"Mr.{NB}Smith met Dr.{NB}Watson near St.{NB}Paul’s"),
    ("the Dr. and the dr. who", "the Dr. and the dr. who"),  # a title before a name only
    # QA sweep 7: an elision opening a quotation, a double quotation inside a single one
    ('"\'Tis the season," she said.', "“’Tis the season,” she said."),
    ("'Twas so; rock 'n' roll in the '90s", "’Twas so; rock ’n’ roll in the ’90s"),
    ("'\"Double inside single\"' test", "‘“Double inside single”’ test"),
])
def test_english_rules(text: str, expected: str) -> None:
    assert smarten(text, "en") == expected


def test_unknown_language_gets_only_neutral_rules() -> None:
    assert smarten('1990-91 "x" i w', "de") == '1990–91 "x" i w'
    assert set(rule_names("de")) == {"ellipsis", "em-dash", "en-dash", "number-range", "digit-groups"}


def test_before_context_decides_the_start_of_a_node() -> None:
    # The previous node ended with "i": the space opening this node must not break.
    assert smarten(" w domu", "pl", before="a i") == f"{NB}w{NB}domu"
    # A quote right after an inline element (no space before it) closes.
    assert smarten('" dalej', "pl", before="Baku") == "” dalej"
    assert smarten('"Baku"', "pl", before="w ") == "„Baku”"


def test_after_context_decides_the_end_of_a_node() -> None:
    # '"<em>Lalkę</em>"': the quote ends its node, and the word it opens is in the next one.
    assert smarten('Czytał "', "pl", after="Lalkę") == "Czytał „"
    assert smarten('"', "en", before="d ", after="Hamlet") == "“"
    assert smarten('Czytał "', "pl") == "Czytał ”"  # nothing follows in the block: it closes


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("pl", "„on rzekł „nie” i wyszedł”", "„on rzekł «nie» i wyszedł”"),
    ("en", "“he said “no” and left”", "“he said ‘no’ and left”"),
    ("pl", "„a „b „c” b” a”", "„a «b „c” b» a”"),  # a third level is double again
    ("pl", "stray” „quote”", "stray” „quote”"),  # an unmatched closing mark changes nothing
    ("en", "“a ‘b “c” b’ a”", "“a ‘b “c” b’ a”"),  # the author's own inner marks count
    ("en", "“we don’t “say” so”", "“we don’t ‘say’ so”"),  # an apostrophe closes nothing
    ("pl", "«x „y” z»", "«x „y” z»"),  # guillemets as the outer marks are the author's choice
])
def test_a_quotation_inside_a_quotation_takes_the_inner_marks(lang: str, text: str, expected: str) -> None:
    nested, depth = nest_quotes(text, lang, 0)
    assert (nested, depth) == (expected, 0)
    assert nest_quotes(nested, lang, 0) == (nested, 0)  # idempotent
    # Split across nodes, the depth carries over.
    cut = len(text) // 2
    first, depth = nest_quotes(text[:cut], lang, 0)
    assert first + nest_quotes(text[cut:], lang, depth)[0] == expected


def test_quotes_around_inline_elements_in_a_converted_paragraph() -> None:
    from kolofon.model import SourceFile
    from kolofon.source.convert import Converter

    src = SourceFile(Path("01.md"), '# P\n\nCzytał "*Lalkę*" i "[Wikipedię](https://pl.wikipedia.org)". '
                     'Mówił: "on rzekł "nie" i wyszedł".\n\n*Dzieło*" nie otwiera.\n', "chapter")
    html = Converter("pl").convert(src, 1, 0).chapter.body_html
    assert f"Czytał „<em>Lalkę</em>” i{NB}„<a " in html and ">Wikipedię</a>”. " in html
    assert f"„on rzekł «nie» i{NB}wyszedł”" in html
    assert "<em>Dzieło</em>” nie" in html  # a quote after an element closes


def test_a_line_end_inside_a_paragraph_is_a_space_to_the_rules() -> None:
    """A hard-wrapped manuscript: the glue rules hold across its line ends (they did not)."""
    wrapped = smarten("idę w\ndomu, 5 \nkm stąd, s.\n12", "pl")
    assert wrapped == smarten("idę w domu, 5 km stąd, s. 12", "pl")
    assert wrapped == f"idę w{NB}domu, 5{NB}km stąd, s.{NB}12"


def test_every_polish_rule_has_a_name() -> None:
    assert "nbsp-after-one-letter" in rule_names("pl-PL")
    assert len(set(rule_names("pl"))) == len(rule_names("pl"))


_ALPHABET = st.sampled_from([*list("aiowzAIOUWZ bcąćęłńóśźż0123456789.-\"' ,()„”«»r"), " r.", " tys.", " – ",
                             " Kraków"])


@given(st.lists(_ALPHABET, max_size=40).map("".join), st.sampled_from(["pl", "en", "de"]))
@example('"a r.', "pl")  # a one-letter word after a straight opening quote: glued on the second run only
@example("'a r.", "pl")
def test_idempotent_and_keeps_every_letter(text: str, lang: str) -> None:
    once = smarten(text, lang)
    assert smarten(once, lang) == once
    letters = re.compile(r"[\W_]+")
    assert letters.sub("", once) == letters.sub("", text)


def test_a_title_never_leaves_its_last_word_alone_and_an_imprint_writes_its_date_out() -> None:
    """'Lighthouses of the Northern / Coast' and an imprint dated 2026-11-23 (QA sweep 6)."""
    from kolofon.dates import long_date
    from kolofon.source.typography import no_lone_last_word

    assert no_lone_last_word("Lighthouses of the Northern Coast") == f"Lighthouses of the Northern{NB}Coast"
    assert no_lone_last_word("Two words") == "Two words"  # nothing to keep it from
    assert (long_date("2026-11-23", "pl"), long_date("2026-03-01", "en")) == ("23 listopada 2026",
                                                                              "March 1, 2026")
