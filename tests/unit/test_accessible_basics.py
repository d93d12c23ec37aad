"""What DAISY Ace and EPUBCheck failed on in manuscripts as people write them: an empty header row,
an <img> without alt, a link with nothing to read, an empty heading ("##": a scene break; "## {#x}":
K209)."""

from __future__ import annotations

import re

import pytest

from kolofon.diagnostics import BuildError
from kolofon.pipeline import read_book

YAML = "title: T\nlang: en\n"


def test_empty_header_cells_images_without_alt_and_empty_links(make_book, tmp_path):
    text = ("# One\n\nAn empty link [](https://example.org) here.\n\n<img src=\"x.png\">\n\n"
            "| | |\n|---|---|\n| a | b |\n")
    book, _warnings = read_book(make_book({"book.yaml": YAML, "01.md": text, "x.png": _png()}))
    body = book.chapters[0].body_html
    assert not re.search(r"<th[ >]", body) and "<td></td>" in body
    assert 'alt=""' in body
    assert '<a href="https://example.org">https://example.org</a>' in body


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_line_of_hashes_is_a_scene_break(make_book, lang):
    text = "# One\n\nBefore.\n\n###\n\nAfter.\n\n```\n##\n```\n"
    book, diags = read_book(make_book({"book.yaml": f"title: T\nlang: {lang}\n", "01.md": text}))
    body = book.chapters[0].body_html
    assert not diags and "<hr" in body and "<h3" not in body and "<code>##\n</code>" in body


def test_a_heading_of_attributes_alone_is_an_error_at_its_line(make_book):
    with pytest.raises(BuildError) as failed:
        read_book(make_book({"book.yaml": YAML, "01.md": "# One\n\nText.\n\n## {#sec-x}\n\nMore.\n"}))
    assert [(d.code, d.line) for d in failed.value.diagnostics] == [("K209", 5)]


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 180, 160)).save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()
