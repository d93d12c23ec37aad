"""Page styles computed once per kind of page, not once per page.

WeasyPrint 70 makes a new page type for every page (its side, blank or not, name, index and page
groups) and cascades and computes the @page rules and the sixteen margin boxes' styles for it afresh:
~1 ms a page, half of what a page of running heads costs (measured: 20 pages of heads and folios 0.069
s, 0.048 s with this; a 20-page chapter 4–8 % less). Only an :nth() selector tells pages apart by their
index; without one, two pages of the same side, blankness, name and firstness match the same rules,
so the second gets the first's computed styles (the same objects: what WeasyPrint writes into them
afterwards is the same for both). Outputs are byte-identical with and without it (checked on the seed
book, the 500-page book, and the running heads, notes, index and front matter of both themes)."""

from __future__ import annotations

from typing import Any

from weasyprint.layout import page

_weasyprint_set = page.set_page_type_computed_styles


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    known = style_for.__dict__.setdefault("_kolofon_page_kinds", {})
    if "nth" not in known:
        known["nth"] = any(selector[2].index is not None for sheet, _origin, _specificity in style_for._sheets
                           for _rule, selectors, _declarations in sheet.page_rules for selector in selectors)
    if known["nth"]:
        _weasyprint_set(page_type, html, style_for)
        return
    kind = (page_type.side, page_type.blank, page_type.name, page_type.index == 0)
    if kind not in known:
        _weasyprint_set(page_type, html, style_for)
        known[kind] = (page_type, [pseudo for element, pseudo in style_for._computed_styles
                                   if element == page_type])
        return
    first, pseudos = known[kind]
    computed, cascaded = style_for._computed_styles, style_for._cascaded_styles
    for pseudo in pseudos:
        computed[(page_type, pseudo)] = computed[(first, pseudo)]
        if (first, pseudo) in cascaded:
            cascaded[(page_type, pseudo)] = cascaded[(first, pseudo)]


def install() -> None:
    page.set_page_type_computed_styles = set_page_type_computed_styles
