"""A rebuild with nothing changed says the last build's warnings again: it had been silent, so a
second `make book` hid what the first one said."""

from __future__ import annotations

from kolofon.pipeline import Options, build


def test_an_up_to_date_build_repeats_its_warnings(make_book, tmp_path):
    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-12-03\n",
                      "01.md": "# One\n\nText.[^1] And [^2].\n\n[^1]: Called.\n[^2]: Called too.\n"
                               "[^3]: Never called.\n"})
    options = Options(root, tmp_path / "out", editions=("epub",), proof=False)
    first = build(options)
    again = build(options)
    assert again.up_to_date and not first.up_to_date
    said = [(d.code, d.path.name if d.path else None, d.line, d.message) for d in first.warnings]
    assert said and said == [(d.code, d.path.name if d.path else None, d.line, d.message)
                             for d in again.warnings]
