"""Polish terms where citeproc-py's Polish locale (locales-pl-PL.xml) has English or a form Polish
bibliographies do not use: "zredagowane przez Marek Kędzior" (a verb phrase whose name would need the
genitive) for an editor, "edited by" for a series editor, "ibid." for "tamże" (QA sweep 11). Polish
practice abbreviates the role before the name in the nominative: "red. Marek Kędzior", "tłum. Anna
Nowak" (PN-ISO 690, as Polish publishers print them).

They are given to every style, bundled or the book's own, as the style's own `<locale>` would be: after
the style's in-style locales (a style that words a term itself keeps its word), before the locale file."""

from __future__ import annotations

import io

from citeproc.frontend import CitationStylesStyle, CitationStylesXML

from .citeprocfix import CSL as _CSL

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TERMS = {
    "pl": {
        ("ibid", None): "tamże",
        **{(role, form): "red." for role in ("editor", "collection-editor", "editorial-director")
           for form in ("verb", "verb-short")},
        **{(role, form): "red. i tłum." for role in ("editor-translator", "editortranslator")
           for form in ("verb", "verb-short")},
        ("translator", "verb"): "tłum.",
        ("compiler", "verb"): "oprac.",
        ("compiler", "verb-short"): "oprac.",
        ("illustrator", "verb"): "il.",
        ("director", "verb"): "reż.",
        # "2. wyd.": citeproc-py looked for "ordinal-02" in every locale before "ordinal" in the
        # language's own, and found English's "nd" ("2nd wyd." under APA, whose own "pl" locale comes
        # first; QA sweep 13).
        ("ordinal", None): ".",
        # As a narrative citation says it (source/cite.py) and APA's own Polish locale: "Adams i in."
        ("et-al", None): "i in.",
    },
}


# Languages that never set a comma before the "and" of a list of names (Polish: "Kowalski, Nowak i
# Lis", "Smith, John i Mary Jones"; the styles' serial comma is English).
_NO_SERIAL_COMMA = frozenset({"pl"})


def add_terms(style: CitationStylesStyle, lang: str) -> None:
    """Put the language's terms among the style's locales, before the first locale file's; and its
    list punctuation on the style's names."""
    if lang in _NO_SERIAL_COMMA:
        root = style.root
        for el in (root, *root.iter(f"{_CSL}citation", f"{_CSL}bibliography", f"{_CSL}name")):
            # (APA's "&" keeps its comma: "Smith, J., & Jones, M." separates inverted names.)
            if el.get("and") != "symbol" and (el is root or el.get("delimiter-precedes-last") is not None):
                el.set("delimiter-precedes-last", "never")
    terms = _TERMS.get(lang)
    if not terms:
        return
    root = style.root
    locales = root.locales
    first_file = next((i for i, loc in enumerate(locales) if loc.getroottree().getroot() is not root),
                      len(locales))
    # The first locale's own tag ("pl" of a style's own locale, or the file's "pl-PL"): citeproc-py
    # looks some terms (ordinals) up first in the locales of that very tag.
    tag = locales[0].get(_XML_LANG, lang) if locales else lang
    xml = "".join(f'<term name="{name}"{_form(form)}>{text}</term>' for (name, form), text in terms.items())
    locale = CitationStylesXML(io.BytesIO(
        f'<locale xmlns="http://purl.org/net/xbiblio/csl" xml:lang="{tag}"><terms>{xml}</terms></locale>'
        .encode()), validate=False).root
    locale.style = root  # as Style.set_locale_list gives every locale it collects (its formatter)
    locales.insert(first_file, locale)


def _form(form: str | None) -> str:
    return f' form="{form}"' if form else ""
