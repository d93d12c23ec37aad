"""Cites in one citation keep the author's order unless the style sorts them (CSL 1.0.2, "Sorting":
without cs:sort in cs:citation, cites appear in the order given). citeproc-py 0.11.1 always put a
citation's cites in the order their works were first cited in the book, then applied the style's sort:
"[see @zamoyski2008; @adams1999]" came out "(Adams 1999; see Zamoyski 2008)" in Chicago author-date
once Adams had been cited before: not what the author wrote, and no order the style asks for.

`render_citation` is citeproc-py 0.11.1's Layout.render_citation (BSD-2-Clause, Copyright (c) 2011-2024
Brecht Machiels and contributors) with that first sort done only when the style sorts its citations;
`install` puts it in place (bibliography.py, on import); citeproc-py is pinned in pyproject.toml."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc.model import Layout, VariableError


def render_citation(self: Any, citation: Any, callback: Callable[[Any], Any]) -> Any:
    bibliography = citation.bibliography
    good_cites = [cite for cite in citation.cites if not cite.is_bad()]
    bad_cites = [cite for cite in citation.cites if cite.is_bad()]
    if self.getparent().sort is not None:  # kolofon: the order of first citation only as a tie-break
        good_cites.sort(key=lambda item: bibliography.keys.index(item.key))
        good_cites = self.getparent().sort.sort(good_cites, self)
    out = []
    for item in good_cites:
        self.repressed = {}
        prefix = item.get("prefix", "")
        suffix = item.get("suffix", "")
        try:
            output = self.render_children(item)
            if output is not None:
                text = prefix + output + suffix
                out.append(text)
                self.getparent().cites.append(item)
        except VariableError:
            pass
    for item in bad_cites:
        callback_value = callback(item)
        out.append(callback_value or f"{item.key}?")
    return self.format(self.wrap(self.join(out)))


def install() -> None:
    Layout.render_citation = render_citation
