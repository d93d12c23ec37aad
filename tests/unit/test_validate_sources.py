"""Which text --check expects back out of the PDF: what the pages print, not the catalogue's keys."""

from pathlib import Path

from kolofon.checks.validate import _printed
from kolofon.model import SourceFile


def test_book_yaml_gives_its_printed_keys_only():
    text = "title: Próba\nsubtitle: Żuławy\nsubjects: [Śląsk]\ndescription: Łódź\nlang: pl\n"
    printed = _printed(SourceFile(Path("ms/book.yaml"), text))
    assert "Próba" in printed and "Żuławy" in printed
    assert "Śląsk" not in printed and "Łódź" not in printed


def test_a_chapter_gives_all_of_its_text():
    text = "# Rozdział\n\nŚląsk i Łódź.\n"
    assert _printed(SourceFile(Path("ms/01.md"), text)) == text


def test_a_booklet_without_the_pdf_says_its_check_was_skipped(tmp_path):
    """QA sweep: `-e booklet --check` ran no check and said nothing of it."""
    from kolofon.checks.validate import check_outputs
    from kolofon.pipeline import Output, Result

    result = Result(outputs=[Output("booklet", tmp_path / "b-booklet.pdf", 10, 1)])
    [check] = check_outputs(result, tmp_path)
    assert check.edition == "booklet" and "skipped" in check.detail and "-e pdf" in check.detail
