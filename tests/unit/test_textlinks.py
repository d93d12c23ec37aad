"""The print index's locators are plain text with links added from the layout (layout/textlinks.py):
the same links, in the same places, as one link element per locator gave, and each goes to its page."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pikepdf
import pytest

from kolofon import scratch
from kolofon.backmatter import index_groups
from kolofon.layout import engine
from kolofon.layout.textlinks import text_links
from kolofon.layout.typesetter import Typesetter
from kolofon.pipeline import read_book
from tests import single_pass
from tests.conftest import MANUSCRIPT

_RUN = re.compile(r'<span class="locators" data-link-targets="([^"]*)" data-link-labels="([^"]*)">'
                  r'(?:[^<]|<span class="nobreak">[^<]*</span>)*</span>')


def _as_link_elements(html: str) -> str:
    """The same index with one <a> per locator, as the templates wrote it before."""
    def links(match: re.Match[str]) -> str:
        pairs = zip(match[1].split(), match[2].split(), strict=True)
        return ", ".join(f'<a href="#{target}">{label}</a>' for target, label in pairs)

    return _RUN.sub(links, html)


@pytest.fixture(scope="module")
def index_job(tmp_path_factory: pytest.TempPathFactory):
    """An index of 160 entries, some with subentries, of 1–8 locators (ranges among them): ~3 pages
    in two columns, entries running over lines, columns and pages."""
    rng = random.Random(3)
    root = tmp_path_factory.mktemp("index")
    paragraphs, terms = [], set()
    while len(terms) < 160:
        term = "".join(rng.choice("bcdfgklmnprstwz") + rng.choice("aeiouy") for _ in range(rng.randint(2, 5)))
        terms.add(term)
        for n in range(rng.randint(1, 8)):
            sub = f", {term[:3]}" if n % 3 == 2 else ""  # a subentry
            paragraphs.append(f"(({term.capitalize()}{sub})) {n}.")
    (root / "book.yaml").write_text("title: Indeks\nlang: pl\nauthor: Kolofon\n", encoding="utf-8")
    (root / "01.md").write_text("# Rozdział\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    book, _warnings = read_book(root)
    pages = iter(rng.choice((1, 1, 2, 5)) for _ in range(10**6))
    page, page_of = 1, {}
    for mark in book.marks:  # consecutive pages now and then, so that some locators are ranges
        page += next(pages)
        page_of[mark.id] = page
    job = Typesetter.for_jobs(book).job("pdf/index.html", index_groups=index_groups(book, page_of))
    scratch.use(str(tmp_path_factory.mktemp("scratch")))
    return job


def test_locator_links_are_where_link_elements_put_them(index_job) -> None:
    assert "–" in index_job.html and "<a " not in index_job.html.split("<body", 1)[1]
    ours = text_links(engine.render(index_job).pages)
    elements = dataclasses.replace(index_job, html=_as_link_elements(index_job.html))
    before = [[(kind, target, rect) for kind, target, rect, _box in page.links]
              for page in engine.render(elements).pages]
    assert len(ours) == len(before) >= 3
    for page, (new, old) in enumerate(zip(ours, before, strict=True)):
        assert [target for _, target, _ in new] == [target for _, target, _ in old], page
        for (_, target, rect), (_, _, wanted) in zip(new, old, strict=True):
            assert all(abs(a - b) < 0.5 for a, b in zip(rect, wanted, strict=True)), (page, target, rect,
                                                                                        wanted)


def test_every_locator_of_the_built_book_links_to_its_page(tmp_path: Path) -> None:
    book, layout = single_pass.build_layout(MANUSCRIPT, tmp_path)
    wanted = sorted(layout.front_pages + layout.page_of[loc.target] - 1
                    for group in index_groups(book, layout.page_of) for entry in group.entries
                    for e in (entry, *entry.subentries) for loc in e.locators)
    first_index_page = layout.front_pages + layout.page_of["index"] - 1
    with pikepdf.open(layout.pdf) as pdf:
        numbers = {page.objgen: n for n, page in enumerate(pdf.pages)}
        found = sorted(numbers[annot.Dest[0].objgen] for page in pdf.pages[first_index_page:]
                       for annot in page.get("/Annots", []) if "/Dest" in annot)
    assert len(wanted) >= 20 and found == wanted
