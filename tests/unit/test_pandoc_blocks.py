"""Pandoc's block forms: fenced divs (`::: {.note}`, Quarto's callouts) are divs with Markdown inside,
and a metadata block opening a chapter file is skipped with a warning (it stopped the build: K206)."""

from __future__ import annotations

from kolofon.pipeline import read_book


def test_fenced_divs_are_divs_with_markdown_inside(make_book):
    text = ("# One\n\n::: {.callout-note #tip}\nA *note*.\n\n::: inner\nNested.\n:::\n:::\n\n"
            "Text.\n\n```\n::: not a div\n```\n\n::: open\nNever closed.\n")
    book, diags = read_book(make_book({"book.yaml": "title: T\nlang: en\n", "01.md": text}))
    body = book.chapters[0].body_html
    assert not diags
    assert '<div id="tip" class="callout-note">' in body or '<div class="callout-note" id="tip">' in body
    assert "<em>note</em>" in body and '<div class="inner">' in body and ":::" in body  # the code's
    assert body.count("<div") == body.count("</div>") == 3
    assert "Never closed." in body and ":::" not in body.replace("<code>::: not a div", "")


def test_a_metadata_block_opening_a_chapter_is_skipped_with_a_warning(make_book):
    text = "---\ntitle: Ignored\nauthor: X\n---\n\n# One\n\nText ((term)).\n"
    book, diags = read_book(make_book({"book.yaml": "title: T\nlang: pl\n", "01.md": text}))
    assert [(d.code, d.line) for d in diags] == [("K211", 1)]
    assert book.chapters[0].title_text == "One" and "Ignored" not in book.chapters[0].body_html
    assert book.marks[0].line == 8  # the lines keep their numbers


def test_code_fenced_in_a_list_item_or_a_block_quote_is_a_code_block(make_book):
    """QA sweep 13: it came out as inline code with its lines run together."""
    text = ("# One\n\n- item with code:\n\n    ```js\n    let a = 1;\n    let b = ((2));\n    ```\n\n"
            "- second item\n\n> quoted code:\n>\n> ```\n> x = 1\n> y = 2\n> ```\n\n"
            "```\n  ```\nstays\n```\n")
    book, diags = read_book(make_book({"book.yaml": "title: T\nlang: en\n", "01.md": text}))
    body = book.chapters[0].body_html
    assert not diags and not book.marks  # no index term in code
    assert '<code class="language-js">let a = 1;\nlet b = ((2));\n</code></pre>\n</li>' in body
    assert "<code>x = 1\ny = 2\n</code></pre>\n</blockquote>" in body
    assert "<code>  ```\nstays\n</code>" in body  # a fence inside a fenced block is its text


def test_a_heading_in_a_callout_is_its_title_not_a_section(make_book):
    """QA sweep 14: it was numbered 1.1 and listed in the contents, the bookmarks and the nav."""
    text = ("# Pumps\n\nText.\n\n::: {.callout-warning}\n## Check the valves\n\nClose them first.\n:::\n\n"
            "## Maintenance\n\nMore.\n")
    book, _ = read_book(make_book({"book.yaml": "title: T\nlang: en\nnumbered_sections: true\n",
                                   "01.md": text}))
    [chapter] = book.chapters
    assert [(h.text, h.number) for h in chapter.headings] == [("1.1 Maintenance", "1.1")]
    assert '<h2 id="ch01-check-the-valves">Check the valves</h2>' in chapter.body_html
