"""Links the author writes to places in the book (QA sweep 7: a label, a heading's words and a link
across chapters gave an invalid EPUB and no link in the PDF)."""

from __future__ import annotations

import pytest

from kolofon.diagnostics import BuildError
from kolofon.pipeline import read_book
from kolofon.source.xhtml import for_print

YAML = "title: T\nlang: en\n"


def test_labels_headings_and_other_chapters_are_linked(make_book):
    root = make_book({"book.yaml": YAML,
                      "01.md": "# One {#sec-one}\n\nSee [two](#sec-ch2), [a heading](#plain-heading) and "
                               "[later](#later-words).[^n]\n\n## Plain heading\n\nText.\n\n"
                               "[^n]: A note with [a link](#sec-ch2).\n",
                      "02.md": "# Two {#sec-ch2}\n\nBack to [one](#sec-one).\n\n## Later words\n\nEnd.\n"})
    book, diags = read_book(root)
    one, two = book.chapters
    assert '<a href="#ch02">two</a>' in one.body_html
    assert '<a href="#ch02">two</a>' in for_print(one.body_html)
    assert '<a href="#ch01-plain-heading">a heading</a>' in one.body_html
    assert '<a href="#ch02-later-words">later</a>' in one.body_html
    assert '<a href="#ch01">one</a>' in two.body_html
    assert '<a href="#ch02">a link</a>' in book.notes[0].html and not diags


def test_a_link_that_names_nothing_is_an_error_with_its_line(make_book):
    root = make_book({"book.yaml": YAML, "01.md": "# One\n\nText.\n\nSee [nowhere](#nope).\n"})
    with pytest.raises(BuildError) as caught:
        read_book(root)
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.line) == ("K954", 5) and "#nope" in problem.message


def test_a_link_in_a_title_is_its_words_in_the_contents(make_book):
    """`# The [Harbour Trust](https://…) and its work`: a link inside the contents' link (EPUBCheck
    RSC-005, NAV-010) and a PDF contents line broken apart (QA sweep 7)."""
    from kolofon.backmatter import contents
    from kolofon.labels import labels_for

    root = make_book({"book.yaml": YAML, "01.md": "# The [Harbour Trust](https://example.org) and its "
                                                  "[work](#sec-w)\n\n## Work {#sec-w}\n\nText.\n"})
    book, _ = read_book(root)
    assert "<a " in book.chapters[0].title_html  # the heading itself keeps its links
    (item, *_sections) = contents(book, {}, labels_for("en"))
    assert item.title_html == "The Harbour Trust and its work"


@pytest.mark.parametrize("heading", ["#  ", "# {#sec-three}", "# ##", "#\t"])
def test_a_title_with_no_words_is_an_error(make_book, heading):
    """An empty title gave an empty <title> and contents link (EPUBCheck RSC-005); a label alone was
    printed as the title (QA sweep 7)."""
    root = make_book({"book.yaml": YAML, "01.md": "# One\n\nText.\n", "02.md": f"\n{heading}\n\nText.\n"})
    with pytest.raises(BuildError) as caught:
        read_book(root)
    codes = [(d.code, d.path.name, d.line) for d in caught.value.diagnostics]
    assert codes == [("K209", "02.md", 2)] if heading != "#\t" else codes[0][0] == "K206"


def test_unnumbered_chapters_and_sections_take_no_number(make_book):
    """Pandoc's and Quarto's {.unnumbered} and {-} were ignored: the headings were numbered (QA sweep 7)."""
    root = make_book({"book.yaml": YAML + "numbered_sections: true\n",
                      "01.md": "# Introduction {.unnumbered}\n\nText.\n\n## Background {-}\n\nText.\n",
                      "02.md": "# Methods\n\n## Plain\n\nText.\n\n## Aside {- #sec-aside}\n\nText.\n\n"
                               "## Second\n\nText.\n"})
    book, _ = read_book(root)
    intro, methods = book.chapters
    assert (intro.title_html, [h.text for h in intro.headings]) == ("Introduction", ["Background"])
    assert methods.title_text == "1 Methods"
    assert [h.text for h in methods.headings] == ["1.1 Plain", "Aside", "1.2 Second"]
    assert "{-" not in methods.body_html


def test_pandoc_heading_ids_chapter_titles_and_the_books_own_documents(make_book):
    """QA sweep 9: a chapter title by its words, Pandoc's accented ids and "-1" for a second heading of
    the same words gave K954; "#index" in a book without an index gave an EPUB that failed RSC-007."""
    root = make_book({"book.yaml": YAML,
                      "01.md": "# First Chapter\n\n## Przegląd\n\nSee [a](#first-chapter), "
                               "[b](#uwagi-końcowe), [c](#przegląd-1) and [d](#przeglad).\n\n"
                               "## Uwagi końcowe\n\nText.\n",
                      "02.md": "# Second\n\n## Przegląd\n\nText.\n"})
    body = read_book(root)[0].chapters[0].body_html
    assert '<a href="#ch01">a</a>' in body and '<a href="#ch01-uwagi-koncowe">b</a>' in body
    assert '<a href="#ch02-przeglad">c</a>' in body and '<a href="#ch01-przeglad">d</a>' in body
    for target in ("#index", "#notes", "#bibliography"):
        root = make_book({"book.yaml": YAML, "01.md": f"# One\n\nSee [the end]({target}).\n"},
                         name=target[1:])
        with pytest.raises(BuildError) as caught:
            read_book(root)
        assert [d.code for d in caught.value.diagnostics] == ["K954"]
