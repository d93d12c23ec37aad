"""In print a number range never ends a line at its dash, and a multiple never leaves its currency
("s. 31–" at a line's end and "34" on the next; "3 tys." and "zł" split: an A6 book, QA)."""

from __future__ import annotations

import re

from kolofon.checks import validate
from kolofon.pipeline import Options, build

WORDS = ["tekst", "zdanie", "kolejne", "wyraz", "słowo", "dalej", "również", "przy"]


def test_ranges_and_currencies_stay_on_one_line(make_book, tmp_path):
    # Ranges and sums at every position of a line: some would fall at its end.
    text = " ".join(f"{' '.join(WORDS[: 1 + i % 8])} s. 31-34 {WORDS[i % 5]} 3 tys. zł" for i in range(60))
    root = make_book({"book.yaml": "title: Zakresy\nlang: pl\ndate: 2026-12-03\npage_size: A6\n",
                      "01.md": f"# Rozdział\n\n{text}\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    text = "\n".join(validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf")))
    assert text.count("31–34") == 60
    assert not re.search(r"\d[–—]\r\n", text)
    assert not re.search(r"tys\.\r\nzł", text) and not re.search(r"\d\r\ntys\.", text)
