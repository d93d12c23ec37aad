"""In print a number range may break after its dash but never before it, and a multiple never leaves its
currency ("3 tys." and "zł" were split: an A6 book, QA). Both Polish practice and Chicago let a range
break after its dash; keeping every range whole cost 5 % of a 500-page book's layout (WeasyPrint's
nowrap spans), so it is not done."""

from __future__ import annotations

import re

from kolofon.checks import validate
from kolofon.pipeline import Options, build

WORDS = ["tekst", "zdanie", "kolejne", "wyraz", "słowo", "dalej", "również", "przy"]


def test_ranges_and_currencies_break_only_where_they_may(make_book, tmp_path):
    # Ranges and sums at every position of a line: some would fall at its end.
    text = " ".join(f"{' '.join(WORDS[: 1 + i % 8])} s. 31-34 {WORDS[i % 5]} 3 tys. zł" for i in range(60))
    root = make_book({"book.yaml": "title: Zakresy\nlang: pl\ndate: 2026-12-03\npage_size: A6\n",
                      "01.md": f"# Rozdział\n\n{text}\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    text = "\n".join(validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf")))
    assert len(re.findall(r"31–\s*34", text)) == 60
    assert not re.search(r"\d\r\n[–—]", text)  # a dash never opens a line
    assert not re.search(r"tys\.\r\nzł", text) and not re.search(r"\d\r\ntys\.", text)
    assert not re.search(r"s\.\r\n31", text)  # nor does a page number leave its "s."
