"""kolofon/layout/columns.py: columns laid out once, with the very pages WeasyPrint's own function gives.

Each case is laid out with both functions and compared byte for byte (the PDF, each page's anchors
and links): an index of several pages (its first page under the title, full pages, a balanced last
page), and columns as a book's own stylesheet may ask for them (three columns, right to left,
`column-fill: auto`, a fixed height, a float, a spanning heading)."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.layout import block

from kolofon.backmatter import index_groups
from kolofon.layout import columns, engine
from kolofon.layout.part import Job
from kolofon.layout.typesetter import Typesetter
from kolofon.pipeline import read_book


def _index_job(make_book, entries: int) -> Job:
    """A book whose index has `entries` entries, some with subentries, a few locators each."""
    terms = [f"{chr(65 + n % 20)}hasło {n}" + (f", pod {n % 3}" if n % 4 == 0 else "")
             for n in range(entries)]
    text = "# Rozdział\n\n" + "\n\n".join(f"Tu (({term})) {n}." for n, term in enumerate(terms)) + "\n"
    book, _ = read_book(make_book({"01.md": text}))
    pages = iter(range(1, 10**6, 2))
    page_of = {mark.id: next(pages) for mark in book.marks}
    return Typesetter.for_jobs(book).job("pdf/index.html", index_groups=index_groups(book, page_of))


def _css_job(tmp_path: Path, css: str, body: str) -> Job:
    html = f"<html><head><style>{css}</style></head><body>{body}</body></html>"
    return Job(html, tmp_path.as_uri() + "/", (tmp_path,), 0.0, tmp_path / "part.pdf")


def _both(job: Job, monkeypatch) -> tuple[tuple, tuple, list[int]]:
    """The job laid out by kolofon's columns and by WeasyPrint's, and the lines each laid out."""
    lines = [0]
    linebox_layout = block._linebox_layout

    def counting(*args, **kwargs):
        lines[0] += 1
        return linebox_layout(*args, **kwargs)

    monkeypatch.setattr(block, "_linebox_layout", counting)
    results, counts = [], []
    for function in (columns.columns_layout, columns.WEASYPRINT_COLUMNS_LAYOUT):
        monkeypatch.setattr(block, "columns_layout", function)
        lines[0] = 0
        results.append(engine.laid_out(job))
        counts.append(lines[0])
    return results[0], results[1], counts


def test_installed() -> None:
    assert block.columns_layout is columns.columns_layout


@pytest.mark.parametrize(("entries", "fewer"), [(20, 0.9), (400, 0.7)], ids=["one-page", "pages"])
def test_an_index_has_the_same_pages_laid_out_once(make_book, monkeypatch, entries, fewer) -> None:
    ours, weasyprints, (our_lines, their_lines) = _both(_index_job(make_book, entries), monkeypatch)
    assert (len(ours[1]) == 1) if entries == 20 else (len(ours[1]) >= 4)  # the premise
    assert ours == weasyprints  # PDF bytes, anchors, links
    # WeasyPrint rendered the columns it kept twice (once to learn their height, once to keep them):
    # every full page's, and a balanced page's.
    assert our_lines < fewer * their_lines, (our_lines, their_lines)


FILLER = "".join(f"<p>Akapit {n}: {'słowo ' * (5 + n % 17)}koniec.</p>" for n in range(160))


@pytest.mark.parametrize(("css", "body"), [
    (".c { columns: 3; column-gap: 5mm }", f'<div class="c">{FILLER}</div>'),
    ("body { direction: rtl } .c { columns: 2 }", f'<div class="c">{FILLER}</div>'),
    (".c { columns: 2; column-fill: auto }", f'<div class="c">{FILLER[:4000]}</div>'),
    (".c { columns: 2; height: 120mm }", f'<div class="c">{FILLER}</div>'),
    (".c { columns: 2 } .f { float: left; width: 20mm; height: 30mm; background: gray }",
     f'<div class="c"><div class="f"></div>{FILLER}</div>'),
    (".c { columns: 2 } h2 { column-span: all }",
     f'<div class="c">{FILLER[:6000]}<h2>Dalej</h2>{FILLER}</div>'),
], ids=["three", "rtl", "fill-auto", "height", "float", "span"])
def test_columns_a_stylesheet_asks_for_are_unchanged(tmp_path, monkeypatch, css, body) -> None:
    ours, weasyprints, _ = _both(_css_job(tmp_path, css, body), monkeypatch)
    assert len(ours[1]) >= (1 if "height" in css else 2)  # the premise: columns that overflow a page
    assert ours == weasyprints
