"""Python-Markdown tries each of its inline patterns (27 with kolofon's) on every piece of text, one
Python call each; most need a string the text does not hold: "[" for a link, "@" for a citation, "(("
for an index term. This inline processor skips a pattern when none of the strings it needs is in the
text it would search, which it could not match there anyway: the same tree, a fifth less time for the
whole conversion (a 500-page book's Markdown, 1.5 s -> 1.2 s, measured).

Python-Markdown's InlineProcessor keeps the loop in a private method (`__handleInline`); it is
overridden here under its mangled name, with Markdown pinned (pyproject.toml: 3.11.3), and
tests/unit/test_gated.py converts every inline construct with and without the gate."""

from __future__ import annotations

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# What each pattern needs in the text (one of these strings, case as written: Python-Markdown compiles
# inline patterns without IGNORECASE). A pattern not named here is always tried.
NEEDS: dict[str, tuple[str, ...]] = {
    # Python-Markdown's own
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "footnote": ("[^",),
    # kolofon's (mdext/*.py)
    "kolofon-break": ("\\\n",),
    "kolofon-span": ("]{",),
    "kolofon-strikeout": ("~~",),
    "kolofon-subscript": ("~",),
    "kolofon-superscript": ("^",),
    "kolofon-url": ("://", "www.", "@"),
    "kolofon-index": ("((",),
    "kolofon-cite": ("@",),
    "kolofon-cite-narrative": ("@",),
    "kolofon-xref-number": ("[-@",),
    "kolofon-xref": ("@",),
    "kolofon-xref-capital": ("@",),
    "kolofon-xref-prefixed": ("@",),
}


class GatedInlineProcessor(InlineProcessor):
    def __init__(self, md: Markdown):
        super().__init__(md)
        self._needs: list[tuple[str, ...] | None] = []
        self._patterns: list[object] = []

    def run(self, tree, ancestors=None):  # type: ignore[no-untyped-def]
        if len(self._patterns) != len(self.inlinePatterns):  # the extensions have registered theirs
            self._patterns = list(self.inlinePatterns)
            self._needs = [None] * len(self._patterns)
            for name, needs in NEEDS.items():
                if name in self.inlinePatterns:
                    self._needs[self.inlinePatterns.get_index_for_name(name)] = needs
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Python-Markdown 3.11.3's __handleInline, with the gate (marked) and a list for the registry."""
        if not isinstance(data, util.AtomicString):
            startIndex = 0
            count = len(self._patterns)
            while patternIndex < count:
                needs = self._needs[patternIndex]
                if needs is not None and not any(s in data for s in needs):  # kolofon: cannot match
                    patternIndex += 1
                    startIndex = 0
                    continue
                data, matched, startIndex = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                    self._patterns[patternIndex], data, patternIndex, startIndex)
                if not matched:
                    patternIndex += 1
        return data


class GatedInlineExtension(Extension):
    """Replaces Python-Markdown's inline processor (same name and priority: 20, the same place among
    the tree processors)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(GatedInlineProcessor(md), "inline", 20)
