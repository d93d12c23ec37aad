"""The gated inline processor (kolofon/source/mdext/gated.py) skips a pattern only where it could not
match: every inline construct converts as Python-Markdown's own processor converts it."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown.treeprocessors import InlineProcessor

from kolofon.model import SourceFile
from kolofon.source.convert import Converter
from kolofon.source.mdext.gated import NEEDS, GatedInlineProcessor

# One construct a paragraph, so that each pattern meets a text holding nothing but what it needs.
CONSTRUCTS = [
    "Tekst z *kursywą* i **pogrubieniem**.", "Tekst z _podkreśleniem_ i __mocnym__.", "Znak \\*a\\*.",
    "Kod `a *b*` tu.", "[Odnośnik](https://example.org/a_(b)).", "[Odnośnik][ref].\n\n[ref]: https://e.pl/r",
    "[ref] sam.\n\n[ref]: https://e.pl/r", "![obraz](x.png)", "![obraz][img]\n\n[img]: y.png",
    "<https://example.org/auto>", "<ktos@example.org>", "<span class=\"x\">surowy</span>",
    "&amp; &copy;", "&#8212;", "~~skreślenie~~", "H~2~O", "x^2^", "[małe litery]{.smallcaps}",
    "adres https://example.org/path?q=1 tu", "www.example.org tu", "e-mail jan.kowalski@example.org",
    "hasło ((Baku))", "ukryte (((Sumgait)))", "Wiersz<two spaces>\nłamany", "Wiersz\\\nłamany",
    "Tekst.[^1]\n\n[^1]: Przypis.", "Przypis^[Treść *przypisu*.] tu.", "Zob. @sec-dwa.", "[-@fig-mapa]",
    "@Sec-dwa", "[zob. @sec-dwa]", "[@kowalski2001, s. 12]", "@kowalski2001 [s. 3]",
]
EVERY_CONSTRUCT = ("# Rozdział *pierwszy* i `kod`\n\n" + "\n\n".join(CONSTRUCTS) + "\n\n## Dwa {#sec-dwa}\n\n"
                   "> Cytat z *kursywą* i „cudzysłowem” -- oraz ---myślnikiem.\n\n"
                   "| a | b |\n|---|---|\n| *x* | [y](https://e.pl) |\n").replace("<two spaces>", "  ")


def _converted(gated: bool, text: str, lang: str) -> str:
    converter = Converter(lang)
    if not gated:
        converter.md.treeprocessors.register(InlineProcessor(converter.md), "inline", 20)
    assert isinstance(converter.md.treeprocessors["inline"], GatedInlineProcessor) is gated
    converted = converter.convert(SourceFile(Path("x.md"), text), 1, 0)
    return repr(converted)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_inline_construct_converts_as_without_the_gate(lang: str) -> None:
    assert _converted(True, EVERY_CONSTRUCT, lang) == _converted(False, EVERY_CONSTRUCT, lang)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_each_construct_alone_converts_as_without_the_gate(construct: str) -> None:
    text = "# T\n\n" + construct.replace("<two spaces>", "  ")
    assert _converted(True, text, "pl") == _converted(False, text, "pl")


def test_every_gated_pattern_is_one_the_converter_has() -> None:
    """A renamed pattern would lose its gate silently (and be tried on every text again)."""
    patterns = Converter("pl").md.inlinePatterns
    assert [name for name in NEEDS if name not in patterns] == []
