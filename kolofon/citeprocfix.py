"""Four CSL 1.0.2 rules citeproc-py 0.11 does not follow, which the bundled Chicago and APA styles rely on.

- `is-numeric="locator"`: citeproc-py looks for "locator" among the entry's variables, never finds it,
  and so took every locator for a non-numeric one: the author-date styles printed "(Hague and Christie
  1975, 3)" for `[@hague1975, chap. 3]`, which reads as page 3, and dropped "line" too.
- `initialize="false"` on a name: the given names are written out, whatever the style's
  `initialize-with`; citeproc-py reduced them to initials anyway ("Hague, D. B.").
- `text-case="title"` on a `<label>`: citeproc-py applies title case only to an item's English text and
  never knew a label's language, so APA's "(Ed.)" and "(Eds.)" came out "(ed.)" (QA sweep 11). A
  label is a term of the output locale: title case applies when that locale is English.
- A variable a `<substitute>` used is suppressed in the rest of the entry: citeproc-py did so for
  `<text>` only, and a book with an editor and no author named the editor twice ("Kędzior, Marek,
  ed. Rzemiosło. Edited by Marek Kędzior."; QA sweep 13).

All are patched on citeproc's classes when a CiteProcessor is made (install is idempotent): nothing
changes on import."""

from __future__ import annotations

import re
from typing import Any

from citeproc import model

# CSL's numeric test: numbers, optionally with a prefix or suffix letter, joined by "-", "&" or ","
# ("12", "12a", "3–5", "12, 14").
_NUMERIC = re.compile(r"^[A-Za-z]*\d+[A-Za-z]*(?:\s*[-–&,]\s*[A-Za-z]*\d+[A-Za-z]*)*$")
_initialize = model.Name.initialize
_label_case = model.Label.case
_names_process = model.Names.process
CSL = "{http://purl.org/net/xbiblio/csl}"  # the namespace of the style's elements, as lxml writes it


def _is_numeric_with_locator(self: Any, item: Any) -> list[bool]:
    """citeproc's own test (a variable of the entry), and the locator's number for "locator"."""
    results = []
    for variable in self.get("is-numeric").split():
        if variable == "locator":
            value = str(item.locator.identifier).strip() if item.has_locator else ""
            results.append(bool(_NUMERIC.match(value)))
        else:
            name = variable.replace("-", "_")
            results.append(name in item.reference and bool(self.re_numeric.match(str(item.reference[name]))))
    return results


def _initialize_unless_told_not_to(self: Any, given: str, mark: str, context: Any) -> str:
    if self.get("initialize") == "false":
        return given
    return _initialize(self, given, mark, context)


def _label_case_in_its_language(self: Any, text: Any, language: str | None = None) -> Any:
    return _label_case(self, text, language or _output_language(self))


def _output_language(element: Any) -> str | None:
    """The language of the first locale that is not the style's own (a locale file, the output's)."""
    root = element.get_root()
    for locale in getattr(root, "locales", None) or ():
        if locale.getroottree().getroot() is not root:
            lang = locale.get("{http://www.w3.org/XML/1998/namespace}lang", "")
            return lang.split("-")[0] or None
    return None


def _names_without_substituted(self: Any, item: Any, names_context: Any = None, context: Any = None,
                               **kwargs: Any) -> Any:
    layout = (context if context is not None else self).get_layout()
    used = getattr(layout, "repressed", {}).get(self.tag, [])
    roles = self.get("variable", "").split()
    kept = [role for role in roles if role not in used]
    if not used or kept == roles:
        return _names_process(self, item, names_context, context, **kwargs)
    if not kept:
        return None
    self.set("variable", " ".join(kept))
    try:
        return _names_process(self, item, names_context, context, **kwargs)
    finally:
        self.set("variable", " ".join(roles))


def _substitute_and_suppress(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's Substitute.render, the first child that renders; what it used is suppressed in
    the rest of the entry, also when it is a macro or a <choose> (the names it holds that the entry
    has), where citeproc-py noted a <names> child's variable only."""
    for child in self.getchildren():
        try:
            # A <names> without a <name> of its own takes the substituted one's, and so do those
            # in a <choose> (Chicago's author-date has its editors there: "M. Kędzior" had come out).
            if (isinstance(child, model.Names) and child.name is None) or child.tag == f"{CSL}choose":
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except model.VariableError:
            continue
        if text:
            used = (context if context is not None else self).get_layout().repressed
            if child.get("variable"):
                used.setdefault(child.tag, []).append(child.get("variable"))
            used.setdefault(f"{CSL}names", []).extend(
                role for names in _names_under(child) for role in names.get("variable", "").split()
                if role in item.reference)
            return text
    return None


def _names_under(element: Any) -> list[Any]:
    """The <names> an element holds, also through the macros it calls."""
    found = []
    for el in element.iter():
        if el.tag == f"{CSL}names":
            found.append(el)
        elif el.get("macro") and el.tag == f"{CSL}text":
            found += _names_under(el.get_macro(el.get("macro")))
    return found


def install() -> None:
    model.If._is_numeric = _is_numeric_with_locator
    model.Name.initialize = _initialize_unless_told_not_to
    model.Label.case = _label_case_in_its_language
    model.Names.process = _names_without_substituted
    model.Substitute.render = _substitute_and_suppress
