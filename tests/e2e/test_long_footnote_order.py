"""A long footnote that runs on over pages keeps its order: a piece that did not fit on its page was
set after the pieces that followed it ("…keeper lighthouse and.The maps…", a QA report)."""

from __future__ import annotations

import random
import re

import pytest

from kolofon.checks import validate
from kolofon.pipeline import Options, build

WORDS = ("the", "keeper", "wrote", "in", "the", "ledger", "each", "night", "of", "the", "storm", "and", "the",
         "lamp", "and", "the", "oil", "and", "the", "ships")


def _chapter(seed: int) -> str:
    """Paragraphs and a 70-sentence note of random lengths (random() alone: the same in every Python)."""
    rng = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(WORDS[int(rng.random() * len(WORDS))] for _ in range(n))
    note = " ".join(f"Sentence {i} {words(6 + int(rng.random() * 25))}." for i in range(1, 71))
    paragraphs = "\n\n".join(words(40 + int(rng.random() * 51)).capitalize() + "." for _ in range(8))
    return (f"# Survey\n\nThis report opens here.[^long] It goes on.\n\n## One\n\n{paragraphs}\n\n"
            f"[^long]: {note}\n")


@pytest.mark.parametrize("seed", [4, 5])  # two of the layouts where the note ran on out of order
def test_a_long_footnote_runs_on_in_order(make_book, tmp_path, seed):
    root = make_book({"book.yaml": "title: Lights\nlang: en\ndate: 2026-12-03\ntheme: report\n",
                      "01.md": _chapter(seed)})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pages = validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf"))
    text = " ".join(pages).replace("\u2010\r\n", "").replace("\ufffe", "")  # words hyphenated at a line end
    numbers = [int(n) for n in re.findall(r"Sentence\s+(\d+)", text)]
    assert numbers == list(range(1, 71))
    assert sum(1 for p in pages if "Sentence" in p) >= 2  # the note does run on


def test_a_short_note_after_a_long_one_waits_without_its_line(make_book, tmp_path):
    """QA sweep: a chapter opening with a long note's call and then a short one's left its opening page
    with the title alone. The short note would fit but waits for the long one to run on, and its line
    stays: the text starts under the title, the short note follows the long one's end (as TeX does)."""
    note = " ".join(f"Sentence {i} of the note. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed "
                    "do eiusmod tempor incididunt ut labore et dolore magna aliqua." for i in range(1, 16))
    body = " ".join(f"Body sentence {i} runs on for a while to fill the line." for i in range(1, 40))
    root = make_book({"book.yaml": "title: Notes\nlang: en\nnotes: foot\ndate: 2026-12-04\n",
                      "01.md": "# One\n\nFirst paragraph opens the chapter.[^long] A second call "
                               f"follows.[^b] {body}\n\n[^long]: {note}\n\n[^b]: Short note.\n"})
    result = build(Options(root, tmp_path / "out", editions=("pdf",), force=True, proof=False))
    pages = validate.page_texts(next(o.path for o in result.outputs if o.edition == "pdf"))
    opening = next(p for p in pages if "First paragraph opens" in p)
    assert "One" in opening.split("First paragraph opens")[0]  # under its title, not a page later
    text = " ".join(pages)
    assert text.index("Sentence 15 of the note") < text.index("Short note.")  # in order
