"""Python-Markdown extensions: kolofon's manuscript syntax on top of Markdown.

Priorities (higher runs first) are chosen against Python-Markdown's built-ins:
- index_terms inline pattern at 185: below backticks (190) so `((x))` inside code spans stays code,
  above footnote references (175) and links (160) so a term may hold a note call's neighbour text.
- endnotes tree processor at 14: after inline patterns (20), footnote reordering (19) and duplicate
  back-references (15), so every call, note and index term exists before they are numbered.
- typography tree processor at 13: after numbering, before serialisation, on finished text nodes.
"""
