"""Microtypography per language, on text nodes only (the Markdown extension never passes code,
attributes or URLs). One table of named rules per language; each rule says why it exists.

`smarten` is idempotent: running it twice changes nothing more, so re-running a build is safe."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from ..config import BookConfig

NBSP = "\u00a0"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    replacement: str | Callable[[re.Match[str]], str]
    # Characters (or strings) one of which every match contains: a text without them is passed by (most
    # text nodes have no quote or dash; trying every rule on every node was a fifth of the conversion).
    needs: str | tuple[str, ...] = ""


Replacement = str | Callable[[re.Match[str]], str]
# A line end inside a paragraph of a hard-wrapped manuscript is a space to the reader; the rules see a
# space, or "w" at a line's end and "5" before "km" on the next were never glued (seen in a test).
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def _rule(name: str, pattern: str, replacement: Replacement, needs: str | tuple[str, ...] = "") -> Rule:
    return Rule(name, re.compile(pattern), replacement, needs)


def _range_dash(match: re.Match[str]) -> str:
    """35-40 is a range; 30-001 Kraków (a postal code), 1894-03-12 (a date), 978-83-… (an ISBN) and
    12-345-67-89 (a telephone) are not: a chain of three groups or more, a second number with a leading
    zero, or two digits and three before a capitalised word (a Polish postal code and its town)."""
    first, second = match.groups()
    town = re.match(r"[ \u00a0](\w)", match.string[match.end():])
    postal = (len(first), len(second)) == (2, 3) and town is not None and town.group(1).isupper()
    if (second.startswith("0") and len(second) > 1) or postal:
        return match.group(0)
    return f"{first}–{second}"


# Rules every language gets.
NEUTRAL: tuple[Rule, ...] = (
    # Typewriter habits: three dots, double and triple hyphens stand for real glyphs.
    _rule("ellipsis", r"\.\.\.", "…", needs="."),
    _rule("em-dash", r"(?<!-)---(?!-)", "—", needs="-"),
    _rule("en-dash", r"(?<!-)--(?!-)", "–", needs="-"),
    # A range of numbers takes an en dash (35–40, 1988–1990), never a hyphen; a number written with
    # hyphens keeps them (_range_dash).
    _rule("number-range", r"(?<![\w/-])(\d+)-(\d+)(?![\d/]|-\d)", _range_dash, needs="-"),
    # A number with its digits grouped by spaces (12 345 678,90) is one word: it never breaks there.
    _rule("digit-groups", r"(?<![\d,.])\d{1,3}(?: \d{3})+(?!\d)", lambda m: m[0].replace(" ", NBSP),
          needs="0123456789"),
)


# Polish: the rules of Polish typesetting (one-letter words, abbreviations, dashes, „quotes”).
_ONE_LETTER = "aiouwzAIOUWZ"
POLISH: tuple[Rule, ...] = (
    *NEUTRAL,
    # A spaced hyphen between words is a dash in Polish (an en dash with spaces).
    _rule("spaced-hyphen-dash", r"(?<=\S) - (?=\S)", " – ", needs="-"),
    # The dash must not open a line: glue it to the word before.
    _rule("nbsp-before-dash", r"(?<=\S) ([–—])(?= )", NBSP + r"\1", needs="–—"),
    # Straight quotes become Polish quotes: „ opens, ” closes. Before the rules that read an opening
    # quote (a one-letter word after one: '"a r.' became „a r., glued only by a second run).
    _rule("quote-open", r'(?:(?<=^)|(?<=[\s\u00a0(\[–—/\'‚]))"(?=\S)', "„", needs='"'),
    _rule("quote-close", r'"', "”", needs='"'),
    # 'Single' quotes (a meaning, a gloss) are ‚single’ in Polish; any other straight single quote is
    # an apostrophe (O’Brien, Kennedy’ego).
    _rule("single-open", r"(?:(?<=^)|(?<=[\s\u00a0(\[–—/„«]))'(?=[\"„]?\w)", "‚", needs="'"),
    _rule("apostrophe", r"'", "’", needs="'"),
    # One-letter words (a, i, o, u, w, z) must not end a line: glue them to the next word. The
    # lookbehind admits line start, spaces, opening quotes and brackets; repeated for "i w domu". At
    # the end of a text node the next word is in the following inline element ("w <span>Baku</span>").
    _rule("nbsp-after-one-letter", rf"(?:(?<=^)|(?<=[\s\u00a0(„«‚\[–—]))([{_ONE_LETTER}]) (?=\S|$)",
          r"\1" + NBSP),
    # A number and its abbreviation or unit stay on one line: 1990 r., 250 tys., 5 km, 10 %, 25,6 km²,
    # 20 °C (a superscript digit is a word character: "km\b" alone missed "km²", QA sweep).
    _rule("nbsp-number-unit",
          r"(?<=\d) (?=(?:r\.|r\b|w\.|tys\.|mln\b|mld\b|proc\.|zł\b|(?:km|dm|cm|mm|m)[²³]|km\b|kg\b|cm\b|"
          r"mm\b|m\b|g\b|t\b|ha\b|l\b|s\b|min\b|godz\.|°|%))", NBSP, needs="0123456789"),
    # A multiple and its currency are one unit: 3 tys. zł, 2 mln euro.
    _rule("nbsp-multiple-currency",
          r"(?:(?<=\btys\.)|(?<=\bmln)|(?<=\bmld)) (?=(?:zł|gr|euro|USD|EUR|PLN)\b)", NBSP,
          needs=("tys.", "mln", "mld")),
    # Roman centuries: XX w.
    _rule("nbsp-century", r"(?<=[IVXLC]) (?=w\.)", NBSP, needs="w"),
    # Abbreviations that announce a number stay with it: s. 12, nr 5, t. 2, ok. 100, godz. 8.
    _rule("nbsp-abbrev-number",
          r"(?:(?<=\b)(s\.|ss\.|str\.|nr|t\.|ok\.|godz\.|poz\.|rozdz\.|ust\.|pkt|art\.|cz\.|rys\.|tab\.)|(§))"
          r" (?=\d)",
          lambda m: (m.group(1) or m.group(2)) + NBSP, needs="0123456789"),
    # An address's or a title's abbreviation stays with the name or number after it: ul. Limanowskiego,
    # al. Jana Pawła II, pl. Zamkowy, os. 2, św. Jana, prof. Nowak, dr Kowalska, ks. Popiełuszko.
    _rule("nbsp-abbrev-name",
          r"(?<![\w.])(ul\.|al\.|pl\.|os\.|św\.|prof\.|doc\.|dr\.?|mgr\.?|inż\.|ks\.|gen\.|płk\.?|im\.) "
          r"(?=[A-ZĄĆĘŁŃÓŚŹŻ0-9])", r"\1" + NBSP,
          needs=("ul.", "al.", "pl.", "os.", "św.", "prof.", "doc.", "dr", "mgr", "inż.", "ks.", "gen.",
                 "płk", "im.")),
    # An initial stays with the name after it: J. Kowalski, J.R. Tolkien.
    _rule("nbsp-initial", r"(?<!\w)([A-ZĄĆĘŁŃÓŚŹŻ]\.) (?=[A-ZĄĆĘŁŃÓŚŹŻ](?:[a-ząćęłńóśźż]|\.))", r"\1" + NBSP,
          needs="."),  # "A. B. Nowak": each initial with what follows it
)

ENGLISH: tuple[Rule, ...] = (
    *NEUTRAL,
    # A locator's abbreviation stays with its number (p. 12, vol. 2, § 3), an initial with the name
    # after it (J. Smith), as Chicago asks of line breaks (6.116).
    _rule("nbsp-abbrev-number", r"(?:(?<=\b)(p\.|pp\.|vol\.|no\.|ch\.|chap\.|fig\.|Fig\.)|(§)) (?=\d)",
          lambda m: (m.group(1) or m.group(2)) + NBSP, needs="0123456789"),
    _rule("nbsp-initial", r"(?<!\w)([A-Z]\.) (?=[A-Z](?:[a-z]|\.))", r"\1" + NBSP, needs="."),
    # A title stays with the name after it, as an initial does: Mr. Smith, Dr. Watson, St. Paul.
    _rule("nbsp-title", r"(?<![\w.])(Mr|Mrs|Ms|Dr|Prof|St|Rev|Gen|Capt|Col|Lt|Sgt)\. (?=[A-Z])",
          r"\1." + NBSP, needs="."),
    # A double quote opens after a space, a bracket or an opening single quote ('"Quoted" he said').
    _rule("double-open", r'(?:(?<=^)|(?<=[\s\u00a0(\[–—/\'‘]))"(?=\S)', "“", needs='"'),
    _rule("double-close", r'"', "”", needs='"'),
    # 'quoted' opens after a space or bracket (also before a double quote that opens); every other
    # straight single quote is an apostrophe, as are the elisions that start a word ('Tis, '90s, 'em).
    _rule("single-open", r"(?:(?<=^)|(?<=[\s\u00a0(\[–—/\"“]))'(?=[\"“]?\w)"
          r"(?!(?:\d0s|(?i:em|n|tis|twas|cause|til)\b))", "‘", needs="'"),
    _rule("apostrophe", r"'", "’", needs="'"),
)

TABLES: dict[str, tuple[Rule, ...]] = {"pl": POLISH, "en": ENGLISH}


def rules_for(lang: str) -> tuple[Rule, ...]:
    return TABLES.get(lang.split("-")[0].lower(), NEUTRAL)


def rule_names(lang: str) -> tuple[str, ...]:
    return tuple(r.name for r in rules_for(lang))


def no_lone_last_word(text: str) -> str:
    """A display line (a title) whose last word would stand alone on its line ("Lighthouses of the
    Northern / Coast") takes the word before it along: the last space is a no-break space."""
    head, _, last = text.rpartition(" ")
    alone = head.count(" ") >= 1 and len(last) <= 12 and NBSP not in last  # not "w\u00a0Baku": a pair
    if not alone:
        return text
    return Markup(f"{head}{NBSP}{last}") if isinstance(text, Markup) else f"{head}{NBSP}{last}"


# Emphasis as Markdown writes it: book.yaml's "Reading *Lalka* Again" names a book inside a title.
EMPHASIS = (
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), "strong"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), "em"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), "em"),
)


def without_emphasis(text: str) -> str:
    for pattern, _tag in EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text


def typeset_html(text: str, lang: str) -> Markup:
    """book.yaml's words for a page: the language's typography, escaped, *emphasis* in <em>."""
    html = str(escape(smarten(text, lang))) if text else ""
    for pattern, tag in EMPHASIS:
        html = pattern.sub(rf"<{tag}>\1</{tag}>", html)
    return Markup(html)


def metadata_text(text: str, lang: str) -> str:
    """book.yaml's words as a catalogue or a reading system shows them: the typographer's quotes,
    dashes and apostrophes, as on the title page, but plain spaces (a no-break space in a title
    would only hinder a search) and no emphasis marks."""
    return smarten(without_emphasis(text), lang).replace(NBSP, " ") if text else text


def shown_config(config: BookConfig) -> BookConfig:
    """The config with book.yaml's words as the title page prints them (metadata_text). Its book_id
    is fixed to the one the words as written give: every edition names the book alike."""
    def shown(text: str | None) -> str | None:
        return metadata_text(text, config.lang) if text else text
    return replace(config, identifier=config.book_id, title=shown(config.title),
                   subtitle=shown(config.subtitle), author=tuple(map(shown, config.author)),
                   translator=tuple(map(shown, config.translator)), editor=tuple(map(shown, config.editor)),
                   publisher=shown(config.publisher), rights=shown(config.rights),
                   description=shown(config.description))


def smarten(text: str, lang: str, *, before: str = "", after: str = "") -> str:
    """Apply the language's rules to one text node. `before` is the end of the previous text node in
    reading order, `after` the start of the next one in the same block: a quote or one-letter word at
    either end of this node is judged by them ('"<em>Lalka</em>"': the first quote opens)."""
    if not text:
        return text
    if "\n" in text and not text.isspace():  # (the line ends between blocks stay: the XHTML's own)
        text = _SOFT_BREAK.sub(" ", text)
    # Judge the first characters in context: prefix the previous node's end, strip it afterwards.
    context = before[-2:] if before else ""
    # The next node's first character stands in as a character no rule changes (a space may become a
    # no-break space: same length), so the suffix is stripped by its length.
    follow = "" if not after else " " if after[0].isspace() else "0" if after[0].isdigit() else "x"
    work = context + text + follow
    chars = frozenset(work)  # what `needs` is checked against: one pass over the text, not one a rule
    for rule in rules_for(lang):
        if rule.needs and (chars.isdisjoint(rule.needs) if isinstance(rule.needs, str)
                           else not any(s in work for s in rule.needs)):
            continue
        changed = rule.pattern.sub(rule.replacement, work)
        if rule.name == "nbsp-after-one-letter" and changed is not work:
            # "i w domu": the second word's lookbehind saw the first's space before it was replaced
            # (a text the first pass left alone has no such pair: the second would leave it too).
            changed = rule.pattern.sub(rule.replacement, changed)
        if changed is not work:  # sub gives the very string back when nothing matched
            work, chars = changed, frozenset(changed)
    # Rules never change the length of the context (at most a space becomes a no-break space).
    return work[len(context):len(work) - len(follow)]


# A quotation inside a quotation takes the language's inner marks: „on rzekł «nie» i wyszedł”.
_NESTED = {"pl": ("„”", "«»"), "en": ("“”", "‘’")}


def nest_quotes(text: str, lang: str, depth: int) -> tuple[str, int]:
    """`text` with its quotes at odd depths set as inner quotes; `depth` is how many quotations are
    open before it (in its block), returned as it stands after it. Inner marks already there (typed by
    the author, or set by an earlier run) count too, so a third level stays double and a second run
    changes nothing."""
    marks = _NESTED.get(lang.split("-")[0].lower())
    if marks is None or not any(c in text for pair in marks for c in pair):
        return text, depth
    (opening, closing), (inner_open, inner_close) = marks
    out = list(text)
    for k, char in enumerate(text):
        if char == opening:
            out[k] = inner_open if depth % 2 else opening
            depth += 1
        elif char == closing and depth:
            depth -= 1
            out[k] = inner_close if depth % 2 else closing
        elif char == inner_open and depth % 2:
            depth += 1
        # English's inner closing mark is also the apostrophe: one before a letter is not a quote's end.
        elif char == inner_close and depth and not depth % 2 and not text[k + 1:k + 2].isalpha():
            depth -= 1
    return "".join(out), depth
