"""Pandoc's line blocks (`| ` at the start of each line, for verse and addresses): each line kept, its
leading spaces kept as an indent. They were run together, pipes and all. A block is a line block only
when every line opens with a bar and no line is a table's delimiter row (`|---|`)."""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

_LINE = re.compile(r"^\|(?: (?P<text>.*))?$")
_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^ *(```|~~~)")


class LineBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] = []
        fenced = False

        def flush() -> None:
            # A table right under a line block, with no blank line: its header is the line before its
            # delimiter row, and the lines before that are the line block.
            delimiter = next((i for i, line in enumerate(block) if _DELIMITER.match(line)), len(block) + 1)
            verse = block[:delimiter - 1]
            if verse and _LINE.match(verse[0]) and all(_LINE.match(line) or line.startswith(" ")
                                                       for line in verse):
                out.extend(_as_lines(verse))
                if delimiter <= len(block):
                    out.extend(["", *block[delimiter - 1:]])
            else:
                out.extend(block)
            block.clear()

        for line in lines:
            if _FENCE.match(line):
                fenced = not fenced
            if fenced or not line.strip():
                flush()
                out.append(line)
            else:
                block.append(line)
        flush()
        return out


def _as_lines(block: list[str]) -> list[str]:
    """The block as lines ending in a backslash (breaks.py), each indent as no-break spaces."""
    joined: list[str] = []
    for line in block:
        m = _LINE.match(line)
        if m is None:  # a continuation line (it starts with a space): part of the line before
            joined[-1] += " " + line.strip()
            continue
        text = m["text"] or ""
        indent = len(text) - len(text.lstrip(" "))
        joined.append("\u00a0" * indent + text.strip())
    return [line + "\\" for line in joined[:-1]] + joined[-1:]


class LineBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 28: after normalize_whitespace (30) and the figures' captions (29), before html_block (20).
        md.preprocessors.register(LineBlocks(md), "kolofon-line-blocks", 28)
