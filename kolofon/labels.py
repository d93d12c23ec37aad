"""Words the book generates itself, per language. Add a language by adding a row; others use English."""

from __future__ import annotations

from types import MappingProxyType

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents", "notes": "Notes", "index": "Index", "see": "see", "see_also": "see also",
        # Before a see-reference that follows the heading itself: Chicago's "beacon. See lighthouse"
        # (a full stop, so "See" is capitalised); Polish writes "LFA zob. Ludowy Front" without one.
        # index_xref_level parts a subentry from its heading in a cross-reference's target.
        "index_see_lead": ". ", "index_xref_level": ": ",
        # Between a heading and its pages: Chicago's comma ("Station 12, 3" read "Station 12 3" as
        # one number); Polish indexes set a space ("Baku 3, 5").
        "index_locators_lead": ", ",
        "symbols": "Symbols and numbers", "notes_to_pages": "Notes to pages",
        "notes_to_page": "Notes to page",
        "page": "p.", "back_to_text": "Back to the text", "note": "Note", "title_page": "Title page",
        "imprint": "Imprint", "cover": "Cover", "landmarks": "Landmarks", "pages": "Print pages",
        "set_in": "Set in {font}, typeset with kolofon {version}.", "identifier": "Identifier",
        "set_in_two": "Set in {font}, the headings in {headings}, typeset with kolofon {version}.",
        "untitled": "Untitled",
        "start": "Beginning of the text",
        "dedication": "Dedication", "epigraph": "Epigraph", "foreword": "Foreword", "preface": "Preface",
        "acknowledgments": "Acknowledgments", "introduction": "Introduction", "afterword": "Afterword",
        "translated_by": "Translated by {names}", "edited_by": "Edited by {names}",
        "prologue": "Prologue", "epilogue": "Epilogue", "conclusion": "Conclusion", "appendix": "Appendix",
        "glossary": "Glossary",
        "about": "About the author", "colophon": "Colophon", "typefaces": "Typefaces", "paper": "Paper",
        "printer": "Printed by", "print_run": "Print run", "bibliography": "Bibliography",
        "figure_caption": "Figure {number}.", "table_caption": "Table {number}.", "ref_chapter": "Chapter",
        "ref_section": "Section", "ref_figure": "Figure", "ref_table": "Table",
        "list_of_figures": "List of Figures", "list_of_tables": "List of Tables",
        # The accessibility summary (EPUB): the first sentence lists what the book has.
        "a11y_summary": "This publication has structured navigation: {features}. {images}",
        "a11y_toc": "a table of contents", "a11y_headings": "headings",
        "a11y_notes": "notes linked both ways", "a11y_index": "an index with links",
        "a11y_pages": "page markers matching the print edition", "a11y_and": "and",
        "a11y_serial_comma": ",", "a11y_no_images": "It has no images.",
        "a11y_images": "Every image has a text equivalent.",
        "a11y_images_missing": "Some images have no text equivalent ({count}).",
    },
    "pl": {
        "contents": "Spis treści", "notes": "Przypisy", "index": "Indeks", "see": "zob.",
        "see_also": "zob. też", "index_see_lead": " ", "index_xref_level": ": ", "index_locators_lead": " ",
        "symbols": "Liczby i symbole", "notes_to_pages": "Przypisy do stron",
        "notes_to_page": "Przypisy do strony",
        "page": "s.", "back_to_text": "Powrót do tekstu", "note": "Przypis", "title_page": "Strona tytułowa",
        "imprint": "Strona redakcyjna", "cover": "Okładka", "landmarks": "Punkty orientacyjne",
        "pages": "Strony wydania drukowanego",
        "set_in": "Złożono krojem {font} przy użyciu programu kolofon {version}.",
        "set_in_two": "Złożono krojem {font}, tytuły krojem {headings}, przy użyciu programu kolofon "
                      "{version}.",
        "untitled": "Bez tytułu",
        "identifier": "Identyfikator", "start": "Początek tekstu",
        "dedication": "Dedykacja", "epigraph": "Motto", "foreword": "Słowo wstępne", "preface": "Przedmowa",
        "acknowledgments": "Podziękowania", "introduction": "Wstęp", "afterword": "Posłowie",
        "translated_by": "Przekład: {names}", "edited_by": "Redakcja: {names}",
        "prologue": "Prolog", "epilogue": "Epilog", "conclusion": "Zakończenie", "appendix": "Aneks",
        "glossary": "Słowniczek",
        "about": "O autorze", "colophon": "Kolofon", "typefaces": "Kroje pisma", "paper": "Papier",
        "printer": "Druk", "print_run": "Nakład", "bibliography": "Bibliografia",
        "figure_caption": "Rys. {number}.", "table_caption": "Tabela {number}.", "ref_chapter": "rozdział",
        "ref_section": "podrozdział", "ref_figure": "rys.", "ref_table": "tab.",
        "list_of_figures": "Spis ilustracji", "list_of_tables": "Spis tabel",
        "a11y_summary": "Publikacja ma uporządkowaną nawigację: {features}. {images}",
        "a11y_toc": "spis treści", "a11y_headings": "nagłówki",
        "a11y_notes": "przypisy z odsyłaczami w obie strony", "a11y_index": "indeks z odnośnikami",
        "a11y_pages": "znaczniki stron zgodne z wydaniem drukowanym", "a11y_and": "oraz",
        "a11y_serial_comma": "",
        "a11y_no_images": "Nie zawiera ilustracji.", "a11y_images": "Każda ilustracja ma opis tekstowy.",
        "a11y_images_missing": "Część ilustracji nie ma opisu tekstowego (liczba: {count}).",
    },
}


def labels_for(lang: str) -> MappingProxyType[str, str]:
    primary = lang.split("-")[0].lower()
    return MappingProxyType({**LABELS["en"], **LABELS.get(primary, {})})
