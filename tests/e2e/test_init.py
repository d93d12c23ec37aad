"""`build.py init DIR`: a new manuscript whose book.yaml lists every key kolofon knows, that builds as it
is, even --strict; with --theme, the theme's templates to edit; never over an existing manuscript."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile

import pytest

from kolofon import themes
from kolofon.checks import validate
from kolofon.cli import main
from kolofon.config import FIELDS, parse_config


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def test_init_writes_every_key_and_a_chapter_that_builds_strict(tmp_path):
    folder = tmp_path / "new-book"
    status, stdout, err = run("init", str(folder))
    assert status == 0, err
    text = (folder / "book.yaml").read_text(encoding="utf-8")
    for name in FIELDS:
        assert re.search(rf"(?m)^(# )?{name}: ", text), name
    config, diags = parse_config(text, folder / "book.yaml")
    assert diags == [] and config is not None and config.lang == "en"
    chapters = sorted(folder.glob("*.md"))
    assert len(chapters) == 1 and str(chapters[0]) in stdout
    status, _out, err = run(str(folder), "-o", str(tmp_path / "out"), "--strict", "-e", "pdf", "-e", "epub",
                            "--no-proof", "-q")
    assert status == 0, err
    assert "warning" not in err
    title = chapters[0].read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    pdf = next((tmp_path / "out").glob("*.pdf"))
    assert any(t.startswith(title) for t in validate.page_texts(pdf))
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as z:
        assert "EPUB/index.xhtml" in z.namelist()  # the sample chapter shows an index term
    # ... and a numbered table with references to it.
    text = " ".join(" ".join(validate.page_texts(pdf)).split())
    assert "Table 1 is numbered, and p. 1 gives the page" in text and "Table 1. Burning hours" in text


def test_init_with_a_theme_copies_its_templates_and_names_it(tmp_path):
    folder = tmp_path / "raport"
    status, _out, err = run("init", str(folder), "--theme", "report", "--lang", "pl")
    assert status == 0, err
    copied = folder / "templates" / "pdf" / "theme.css"
    assert copied.read_bytes() == (themes.folder("report") / "pdf" / "theme.css").read_bytes()
    assert not (folder / "templates" / "theme.yaml").exists()  # the theme's defaults are the theme's
    assert not (folder / "templates" / "fonts").exists()
    text = (folder / "book.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^theme: report$", text) and re.search(r"(?m)^lang: pl$", text)
    config, diags = parse_config(text, folder / "book.yaml")
    assert diags == [] and config is not None
    assert (config.theme, config.page_size, config.notes) == ("report", "A4", "foot")
    chapter = next(folder.glob("*.md")).read_text(encoding="utf-8")
    assert chapter.startswith("# Pierwszy rozdział")  # the sample chapter is in Polish


def test_init_refuses_a_folder_that_has_files(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "notes.md").write_text("# Mine\n", encoding="utf-8")
    status, _out, err = run("init", str(folder))
    assert status == 1
    assert "[K703]" in err and str(folder) in err and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.md"]  # nothing written
    assert (folder / "notes.md").read_text(encoding="utf-8") == "# Mine\n"


def test_init_refuses_a_language_book_yaml_would_refuse(tmp_path, capsys):
    """init wrote lang: 'xx-invalid!' and the book failed its first build (QA sweep 5)."""
    with pytest.raises(SystemExit) as stop:
        main(["init", str(tmp_path / "book"), "--lang", "xx-invalid!"])
    assert stop.value.code == 2
    assert "'xx-invalid!' is not a BCP 47 language tag" in capsys.readouterr().err
    assert not (tmp_path / "book").exists()
