"""Pandoc's forms that Python-Markdown lacks, as manuscripts written for Pandoc (or Quarto) use them:
inline notes `^[…]`, strikeout `~~…~~`, subscript `H~2~O`, superscript `x^2^`, bracketed spans
`[…]{.smallcaps}` (`{.underline}`, `{.mark}`, any attributes), fenced divs (`::: {.note}` …
`:::`, Quarto's callouts) and code fenced inside a list item or a block quote (Python-Markdown's
fences stand at the margin only). Without them the marks were printed.

An inline note becomes an ordinary note: its place a call `[^inline-N]`, its words a definition at the
end of the part, so that every edition treats it as the author's other notes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import escape

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor, SimpleTagInlineProcessor
from markdown.preprocessors import Preprocessor

INLINE_LABEL = "inline-"
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
# Group 1 the mark, group 2 the words (SimpleTagInlineProcessor's). As in Pandoc, a subscript or a
# superscript has no space in it ("~5 km" and "x ^ y" stay as they are).
STRIKEOUT_RE = r"(~~)(?=\S)(.+?)(?<=\S)~~"
SUBSCRIPT_RE = r"(?<!~)(~)([^~\s]+)~(?!~)"
SUPERSCRIPT_RE = r"(\^)([^\^\s\[][^\^\s]*)\^"
SPAN_RE = r"\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\{([^{}\n]+)\}"
_ATTRIBUTE = re.compile(r'([.#])([\w-]+)|([\w-]+)="([^"]*)"')
_SPAN_TAGS = {"smallcaps": ("span", "smallcaps"), "underline": ("u", None), "mark": ("mark", None)}


def inline_notes(text: str) -> tuple[str, list[str]]:
    """The text with each `^[…]` replaced by a call, and the notes' words in order."""
    out, notes, _unclosed = _inline_notes(text)
    return out, notes


def unclosed_inline_note(text: str) -> int | None:
    """Where a `^[` that is never closed stands (it and what follows are printed as written)."""
    return _inline_notes(text)[2]


def _inline_notes(text: str) -> tuple[str, list[str], int | None]:
    masked = _CODE_SPAN.sub(lambda m: "\0" * len(m[0]), text)  # brackets in code spans do not count
    out: list[str] = []
    notes: list[str] = []
    at = 0
    while (start := masked.find("^[", at)) >= 0:
        # "\^[" is text; "m^2^[^area]" a superscript, then a note's call (QA sweep 14).
        if (start and masked[start - 1] == "\\") or masked[start + 2:start + 3] == "^":
            out.append(text[at:start + 2])
            at = start + 2
            continue
        depth, end = 0, start + 1
        while end < len(masked):
            depth += {"[": 1, "]": -1}.get(masked[end], 0) if masked[end - 1] != "\\" else 0
            if depth == 0:
                break
            end += 1
        if depth:  # never closed: left as written
            out.append(text[at:])
            return "".join(out), notes, start
        notes.append(" ".join(text[start + 2:end].split()))
        out.append(f"{text[at:start]}[^{INLINE_LABEL}{len(notes)}]")
        at = end + 1
    out.append(text[at:])
    return "".join(out), notes, None


class InlineNotesPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "^[" not in text:
            return lines
        text, notes = inline_notes(text)
        definitions = [f"[^{INLINE_LABEL}{n}]: {words}" for n, words in enumerate(notes, 1)]
        return [*text.split("\n"), "", *definitions]


_DIV_OPEN = re.compile(r"^:{3,}[ \t]*(?:\{([^{}]*)\}|([\w-]+))[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^:{3,}[ \t]*$")


def _attributes(text: str) -> dict[str, str]:
    """Pandoc's `{#id .class key="value"}` as HTML attributes."""
    classes, attributes = [], {}
    for dot, name, key, value in _ATTRIBUTE.findall(text):
        if dot == ".":
            classes.append(name)
        elif dot == "#":
            attributes["id"] = name
        elif key:
            attributes[key] = value
    if classes:
        attributes["class"] = " ".join(classes)
    return attributes


class FencedDivPreprocessor(Preprocessor):
    """`::: {.note}` … `:::` as `<div class="note" markdown="1">` … `</div>`: md_in_html converts the
    Markdown inside. A fence left open is closed at the end of the part, as Pandoc does."""

    def run(self, lines: list[str]) -> list[str]:
        if not any(line.startswith(":::") for line in lines):
            return lines
        out: list[str] = []
        depth = 0
        for line in lines:
            opened = _DIV_OPEN.match(line)
            if opened:
                attrs = _attributes(opened[1]) if opened[1] is not None else {"class": opened[2]}
                shown = "".join(f' {k}="{v}"' for k, v in attrs.items())
                out += ["", f'<div{shown} markdown="1">', ""]
                depth += 1
            elif depth and _DIV_CLOSE.match(line):
                out += ["", "</div>", ""]
                depth -= 1
            else:
                out.append(line)
        return out + ["", "</div>"] * depth


# A fence inside a list item (indented) or a block quote ("> "): the prefix, the fence, a language.
_NESTED_FENCE = re.compile(r"^(?P<prefix>(?:[ \t]*>)+[ \t]?|[ \t]+)(?P<fence>`{3,}|~{3,})[ \t]*"
                           r"(?:\{[^{}]*?\.?(?P<attr_lang>[\w#.+-]+)[^{}]*\}|\.?(?P<lang>[\w#.+-]*))[ \t]*$")


class NestedFencePreprocessor(Preprocessor):
    """Code fenced inside a list item or a block quote, set as the fences at the margin are: the code
    stashed as a <pre> (no Markdown, no typography inside), its place one line at the same indent."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("```" in line or "~~~" in line for line in lines):
            return lines
        out: list[str] = []
        i = 0
        while i < len(lines):
            opened = _NESTED_FENCE.match(lines[i])
            close = None
            if opened:
                prefix, fence = opened["prefix"], opened["fence"]
                quoted = ">" in prefix
                close = next((j for j in range(i + 1, len(lines))
                              if _strip(lines[j], prefix, quoted).rstrip() == fence), None)
            if close is None:
                out.append(lines[i])
                i += 1
                continue
            code = "\n".join(_strip(line, prefix, quoted) for line in lines[i + 1:close])
            lang = opened["lang"] or opened["attr_lang"]
            cls = f' class="language-{lang}"' if lang else ""
            html = f"<pre><code{cls}>{escape(code)}\n</code></pre>"
            out.append(prefix + self.md.htmlStash.store(html))
            i = close + 1
        return out


def _strip(line: str, prefix: str, quoted: bool) -> str:
    """A line of the nested block without the prefix that nests it (a quote's '>' marks, or the
    fence's indent, as far as the line has it)."""
    if quoted:
        return re.sub(r"^(?:[ \t]*>)+[ \t]?", "", line)
    indent = len(prefix)
    return line[min(indent, len(line) - len(line.lstrip(" \t"))):]


class SpanProcessor(InlineProcessor):
    """`[words]{.smallcaps}`: a span with the attributes (a link's `[…](…){…}` is the link's, earlier)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        attributes = _attributes(m[2])
        classes = attributes.pop("class", "").split()
        tag, kept = "span", list(classes)
        for cls in classes:
            if cls in _SPAN_TAGS:
                tag, as_class = _SPAN_TAGS[cls]
                kept = [c for c in kept if c != cls] + ([as_class] if as_class else [])
                break
        el = etree.Element(tag, attributes)
        if kept:
            el.set("class", " ".join(kept))
        el.text = m[1]
        return el, m.start(0), m.end(0)


class PandocInlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # 24: after fenced code blocks are stashed (25), so a "^[" in code stays code; before the notes'
        # definitions are read (a block processor).
        md.preprocessors.register(InlineNotesPreprocessor(md), "kolofon-inline-notes", 24)
        # 24.5: after the fences at the margin (25), so that a fence inside those stays code.
        md.preprocessors.register(NestedFencePreprocessor(md), "kolofon-nested-fences", 24.5)
        # 23: after code blocks too, and before raw HTML blocks are read (20): the divs it writes are.
        md.preprocessors.register(FencedDivPreprocessor(md), "kolofon-fenced-divs", 23)
        # 155, after links (160) and images (150 follows): "[text](url){.x}" stays a link, and a
        # bracketed span's words are Markdown themselves.
        md.inlinePatterns.register(SpanProcessor(SPAN_RE, md), "kolofon-span", 155)
        # 65-63: before emphasis (60); code (190), escapes (180) and links come first.
        md.inlinePatterns.register(SimpleTagInlineProcessor(STRIKEOUT_RE, "del"), "kolofon-strikeout", 65)
        md.inlinePatterns.register(SimpleTagInlineProcessor(SUBSCRIPT_RE, "sub"), "kolofon-subscript", 64)
        md.inlinePatterns.register(SimpleTagInlineProcessor(SUPERSCRIPT_RE, "sup"), "kolofon-superscript", 63)
