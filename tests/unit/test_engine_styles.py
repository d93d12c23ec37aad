"""The layout worker parses a part's <style> once and reuses it (kolofon/layout/engine.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kolofon.layout import engine
from kolofon.layout.part import Job

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _job(head: str, body: str = "<p>Tekst.</p>") -> Job:
    html = f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return Job(html, TEMPLATES.as_uri() + "/", (TEMPLATES,), 0.0, Path(os.devnull))


def test_the_same_style_is_parsed_once_and_leaves_the_document() -> None:
    style = "<style>p { color: #123456; }</style>"
    html_a, sheets_a = engine._parsed_styles(_job(style))
    _html, sheets_b = engine._parsed_styles(_job(style, "<p>Inny.</p>"))
    assert "<style" not in html_a and "<p>Tekst.</p>" in html_a
    assert len(sheets_a) == 1 and sheets_a[0] is sheets_b[0]


def test_a_head_with_a_link_or_media_style_is_left_alone() -> None:
    for head in ('<link rel="stylesheet" href="x.css"><style>p { color: red; }</style>',
                 '<style media="print">p { color: red; }</style>',
                 "<style>@counter-style x { system: cyclic; symbols: a; }</style>"):
        job = _job(head)
        assert engine._parsed_styles(job) == (job.html, [])


def test_a_style_in_the_body_stays_where_it_is() -> None:
    body = "<p>a</p><style>@page :first { counter-reset: page 5; }</style>"
    html, sheets = engine._parsed_styles(_job("<style>p { margin: 0; }</style>", body))
    assert len(sheets) == 1 and "counter-reset: page 5" in html


def test_the_cached_styles_still_style_the_page() -> None:
    """The parsed sheet must really apply: a page size set only in the cached style."""
    document = engine.render(_job("<style>@page { size: 100mm 50mm; margin: 5mm; }</style>"))
    width, height = document.pages[0].width, document.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (100, 50)


def test_a_font_replaced_under_its_name_is_loaded_again(tmp_path: Path) -> None:
    """WeasyPrint loads a font face once per FontConfiguration: a --watch session whose font file was
    replaced (same name, new glyphs) must get a fresh one, or it keeps setting the old font."""
    font = tmp_path / "Face.ttf"
    font.write_bytes((TEMPLATES / "fonts" / "GentiumBookPlus-Regular.ttf").read_bytes())
    style = (f'<style>@font-face {{ font-family: "Face"; src: url("{font.as_uri()}"); }}'
             'p { font-family: "Face"; }</style>')
    job = Job(_job(style).html, TEMPLATES.as_uri() + "/", (TEMPLATES, tmp_path), 0.0, Path(os.devnull))
    engine.render(job)
    first = engine.fonts()
    engine.render(job)
    assert engine.fonts() is first  # nothing changed: the parsed style and the fonts are reused
    font.write_bytes((TEMPLATES / "fonts" / "GentiumBookPlus-Bold.ttf").read_bytes())
    engine.render(job)
    assert engine.fonts() is not first


def test_warming_up_parses_the_styles_once_per_head_and_changes_no_page(monkeypatch) -> None:
    """warm_up (run by a layout worker before it forks a child) leaves the head's styles parsed and its
    fonts loaded, once per head; the part laid out after it is the same, byte for byte."""
    head = ('<style>@font-face { font-family: "G"; src: url("fonts/GentiumBookPlus-Italic.ttf"); }'
            'p { font-family: "G"; font-style: italic; }</style>')
    job = _job(head, "<p>Zażółć gęślą jaźń.</p>")
    monkeypatch.setattr(engine, "_heads", {})
    engine._sheets.clear()
    cold = engine.raw_layout(job)
    engine._sheets.clear()
    calls: list[str] = []
    render = engine.render
    monkeypatch.setattr(engine, "render", lambda j: calls.append(j.html) or render(j))
    engine.warm_up(job)  # the first part of its kind: maybe the only one, nothing done
    assert not calls and not engine._sheets
    engine.warm_up(job)
    engine.warm_up(_job(head, "<p>Inny.</p>"))  # the same head, warm already: nothing more to do
    assert len(calls) == 1 and "Zażółć" not in calls[0]  # a sample, not the part itself
    assert len(engine._sheets) == 1
    assert engine.raw_layout(job) == cold


def test_a_head_that_cannot_be_laid_out_is_left_to_the_part_to_report() -> None:
    job = _job('<style>p { background: url("file:///etc/passwd"); }</style>')
    engine.warm_up(job)
    engine.warm_up(job)  # no exception here...
    with pytest.raises(engine.ResourceRefused):  # ...the part's own layout reports the refused URL
        engine.render(job)


def test_warming_up_now_needs_no_second_part(monkeypatch) -> None:
    """warm_up(now=True): what the build sends each layout worker while it converts the chapters."""
    monkeypatch.setattr(engine, "_heads", {})
    calls: list[str] = []
    render = engine.render
    monkeypatch.setattr(engine, "render", lambda j: calls.append(j.html) or render(j))
    job = _job("<style>p { color: #010203; }</style>")
    engine.warm_up(job, now=True)
    engine.warm_up(job)  # the chapter that follows: warm already
    assert len(calls) == 1


def test_the_warm_up_job_has_every_chapters_head(make_book) -> None:
    """The job the workers warm up with while the chapters are converted (Typesetter.warm_up_job) has
    the head of every chapter's job: otherwise it warms what no chapter uses."""
    from kolofon.layout.typesetter import Typesetter
    from kolofon.pipeline import read_book

    book, _ = read_book(make_book({"01.md": "# Jeden\n\nTekst.\n", "02.md": "# Dwa\n\n*Inny* tekst.\n"}))
    typesetter = Typesetter.for_jobs(book)

    def head(job: Job) -> str:
        return job.html[:job.html.index("<body")]

    assert {head(job) for job in typesetter.chapter_jobs(book)} == {head(typesetter.warm_up_job())}
