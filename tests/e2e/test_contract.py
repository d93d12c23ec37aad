"""The bad-input contract, one test per case: a non-zero exit, one clear `path:line: problem` message
with a stable code, no traceback, and the previous outputs left byte for byte as they were."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kolofon.checks import validate
from kolofon.cli import main
from tests.conftest import REPO, java_available, require_tool

GOOD_CHAPTER = "# Rozdział\n\nTekst o ((Baku))[^1] i ((Sumgait)).\n\n[^1]: Przypis.\n"
ARGS = ["-e", "pdf", "-e", "epub", "--no-proof", "-q"]


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".kolofon-cache" not in p.parts}


@pytest.fixture
def previous(make_book, tmp_path: Path):
    """A good book built once into OUT; returns (manuscript, OUT, hashes of OUT)."""
    root = make_book({"01.md": GOOD_CHAPTER})
    out = tmp_path / "out"
    assert main([str(root), "-o", str(out), *ARGS]) == 0
    return root, out, _hashes(out)


def _fails(previous, capsys, code: str, where: str | None, *extra: str) -> str:
    root, out, before = previous
    status = main([str(root), "-o", str(out), *ARGS, *extra])
    err = capsys.readouterr().err
    assert status == 1, err
    assert f"[{code}]" in err, err
    if where:
        assert where in err, err
    assert "Traceback" not in err
    assert _hashes(out) == before  # nothing half-written, nothing lost
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    return err


def _write(root: Path, name: str, text: str | bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")


def test_note_call_without_definition(previous, capsys):
    _write(previous[0], "01.md", "# R\n\nTekst[^brak].\n")
    _fails(previous, capsys, "K301", "01.md:3:")


def test_note_defined_but_never_called_warns_and_fails_when_strict(previous, capsys):
    root, out, _ = previous
    _write(root, "01.md", "# R\n\nTekst.\n\n[^1]: Nieużyty.\n")
    assert main([str(root), "-o", str(out), *ARGS]) == 0
    assert "01.md:5: warning" in capsys.readouterr().err
    _write(root, "01.md", "# R\n\nTekst bez przypisu.\n\n[^1]: Nieużyty.\n")
    previous = (root, out, _hashes(out))
    _fails(previous, capsys, "K302", "01.md:5:", "--strict")


def test_a_note_defined_twice_is_an_error_naming_both_lines(previous, capsys):
    # Python-Markdown keeps the later text: the earlier note would vanish from the book unannounced.
    _write(previous[0], "01.md", "# R\n\nTekst.[^a] Dalej.[^b]\n\n[^a]: Pierwszy.\n[^b]: Drugi.\n"
           "[^a]: Trzeci, omyłkowo z etykietą a.\n")
    assert "(lines 5, 7)" in _fails(previous, capsys, "K304", "01.md:7:")


def test_unclosed_index_term(previous, capsys):
    _write(previous[0], "01.md", "# R\n\nTekst\n\no ((Baku bez końca.\n")
    _fails(previous, capsys, "K401", "01.md:5:")


def test_empty_index_term(previous, capsys):
    _write(previous[0], "01.md", "# R\n\nTekst ((|Baku)) dalej.\n")
    _fails(previous, capsys, "K402", "01.md:3:")


def test_see_to_a_missing_entry_warns_and_fails_when_strict(previous, capsys):
    root, out, _ = previous
    _write(root, "01.md", "# R\n\n((Baku)) (((LFA, see=Nieistniejący)))\n")
    assert main([str(root), "-o", str(out), *ARGS]) == 0
    assert "[K403]" in capsys.readouterr().err
    _write(root, "01.md", "# R\n\n((Baku)) i (((LFA, see-also=Nieistniejący)))\n")
    _fails((root, out, _hashes(out)), capsys, "K403", "01.md:3:", "--strict")


def test_chapter_not_utf8_names_the_byte_offset(previous, capsys):
    _write(previous[0], "01.md", b"# R\n\nZa" + b"\xff\xfe" + b" koniec.\n")
    err = _fails(previous, capsys, "K202", "01.md:3:")
    assert "offset 7" in err  # "# R\n\nZa" is 7 bytes


def test_listed_chapter_missing(previous, capsys):
    _write(previous[0], "book.yaml", "title: T\nlang: pl\nchapters:\n  - 01.md\n  - 02.md\n")
    _fails(previous, capsys, "K203", "book.yaml:5:")


def test_no_chapters(previous, capsys):
    (previous[0] / "01.md").unlink()
    _fails(previous, capsys, "K204", "book.yaml")


def test_invalid_yaml_gives_its_line(previous, capsys):
    _write(previous[0], "book.yaml", "title: T\nlang: pl\nauthor: [a, b\n")
    _fails(previous, capsys, "K101", "book.yaml:")


@pytest.mark.parametrize(("yaml", "code", "key"), [
    ("lang: pl\n", "K105", "title"),
    ("title: T\nlang: pl\ncolour: red\n", "K102", "colour"),
    ("title: T\nlang: pl\nsubjects: 5\n", "K103", "subjects"),
    ("title: [a]\nlang: pl\n", "K103", "title"),
])
def test_metadata_key_missing_unknown_or_mistyped(previous, capsys, yaml, code, key):
    _write(previous[0], "book.yaml", yaml)
    err = _fails(previous, capsys, code, "book.yaml:")
    assert f"'{key}'" in err


def test_unknown_key_suggests_the_nearest_known_one(previous, capsys):
    _write(previous[0], "book.yaml", "titel: T\nlang: pl\n")
    err = _fails(previous, capsys, "K102", "book.yaml:1:")
    assert "unknown key 'titel': did you mean 'title'?" in err


def test_image_that_does_not_exist(previous, capsys):
    _write(previous[0], "01.md", "# R\n\n![mapa](images/mapa.png)\n")
    _fails(previous, capsys, "K501", "01.md:3:")


@pytest.mark.parametrize(("src", "code"), [
    ("../poza.png", "K503"),
    ("/etc/passwd", "K503"),
    ("http://example.com/a.png", "K502"),
    ("file:///etc/passwd", "K502"),
    ("data:image/png;base64,iVBORw0KGgo=", "K502"),
])
def test_image_outside_the_manuscript_or_a_url_is_refused(previous, capsys, src, code):
    _write(previous[0], "01.md", f"# R\n\n![x]({src})\n")
    _fails(previous, capsys, code, "01.md:3:")


def _picture(kind: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "words"), [
    ("a.png", b"this is a text file, not a picture", "not a picture in a format"),
    ("a.png", _picture("PNG")[:-30], "cannot be read as an image"),
    ("a.jpg", _picture("JPEG")[:-40], "cut short"),
    ("a.svg", b"<html><body>no</body></html>", "not SVG"),
    ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed SVG"),
])
def test_a_damaged_image_is_named_at_its_line(previous, capsys, name, data, words):
    """It printed its alt text, or half a picture over a black block, and the build passed (QA sweep 5)."""
    _write(previous[0], name, data)
    _write(previous[0], "01.md", f"# R\n\n![Obraz]({name})\n")
    assert words in _fails(previous, capsys, "K510", "01.md:3:")


def test_symlink_pointing_out_is_refused(previous, capsys, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    (previous[0] / "link.png").symlink_to(outside)
    _write(previous[0], "01.md", "# R\n\n![x](link.png)\n")
    _fails(previous, capsys, "K503", "01.md:3:")


def test_raw_html_pointing_outside_is_never_fetched(previous, capsys):
    # Raw HTML and CSS may name URLs too: WeasyPrint's fetcher refuses them at run time.
    _write(previous[0], "01.md", '# R\n\n<img src="/etc/passwd" alt="x">\n')
    _fails(previous, capsys, "K503", "01.md")


def test_template_error_names_template_and_line(previous, capsys):
    # A book's own template (templates/ in the manuscript) that uses a field that does not exist.
    _write(previous[0], "templates/epub/chapter.xhtml",
           '{% extends "kolofon/epub/chapter.xhtml" %}\n{% block chapter_opening %}\n'
           "<h1>{{ chapter.no_such_field }}</h1>\n{% endblock %}\n")
    err = _fails(previous, capsys, "K603", "chapter.xhtml:3:")
    assert "no_such_field" in err and "templates/epub/chapter.xhtml" in err


@pytest.mark.parametrize(("name", "text", "words"), [
    ("templates/epub/titlepage.xhtml", '{% extends "kolofon/epub/titlepage.xhtml" %}\n'
     "{% block title_page_content %}{{ 100 // 0 }}{% endblock %}\n", "ZeroDivisionError"),
    ("templates/pdf/front.html", '{% extends "kolofon/pdf/front.html" %}\n' * 2, "extended multiple times"),
])
def test_any_error_in_a_template_is_the_templates_problem(previous, capsys, name, text, words):
    """A division by zero or a second extends gave a Python traceback (QA sweep 5)."""
    _write(previous[0], name, text)
    assert words in _fails(previous, capsys, "K603", name.rsplit("/", 1)[1])


def test_a_missing_manuscript_folder_is_named(tmp_path, capsys):
    """The up-to-date check hashed the folder before the build looked for it: a traceback."""
    assert main([str(tmp_path / "typo"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "typo: error: manuscript folder does not exist [K200]" in err and "Traceback" not in err


def test_a_chapter_listed_twice_is_named(make_book, tmp_path, capsys):
    """It was built twice, silently, or failed on its labels as "used twice" (QA sweep 5)."""
    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-01-01\nchapters: [a.md, b.md, a.md]\n",
                      "a.md": "# A\n\nText.\n", "b.md": "# B\n\nText.\n"})
    assert main([str(root), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "book.yaml:4: error: 'a.md' is listed twice" in err and "[K208]" in err


def test_template_syntax_error(previous, capsys):
    _write(previous[0], "templates/pdf/index.html", "<html>\n{% for x in %}\n</html>\n")
    _fails(previous, capsys, "K601", "index.html:2:")


def test_output_folder_that_cannot_be_written(make_book, tmp_path, capsys):
    root = make_book({"01.md": GOOD_CHAPTER})
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main([str(root), "-o", str(blocker / "out"), *ARGS]) == 1
    err = capsys.readouterr().err
    assert "[K701]" in err and "Traceback" not in err


def test_subprocess_user_error_has_no_traceback(make_book):
    root = make_book({"01.md": "# R\n\nTekst[^x].\n"})
    proc = subprocess.run([sys.executable, "build.py", str(root), "-o", str(root / "out"), *ARGS],
                          cwd=REPO, capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 1
    assert "01.md:3: error:" in proc.stderr and "Traceback" not in proc.stderr


def test_subprocess_build_ends_with_its_summary_and_code(make_book):
    """build.py ends without Python's teardown (cli.leave): what it printed still reaches a pipe, with
    the build's exit code, and a command-line mistake still ends with argparse's code 2."""
    root = make_book({"01.md": GOOD_CHAPTER})
    proc = subprocess.run([sys.executable, "build.py", str(root), "-o", str(root / "out"), *ARGS],
                          cwd=REPO, capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().splitlines()[-1].startswith("built in ")
    wrong = subprocess.run([sys.executable, "build.py", "--no-such-option"], cwd=REPO, capture_output=True,
                           text=True, env={**os.environ})
    assert wrong.returncode == 2 and "--no-such-option" in wrong.stderr


def test_raw_html_is_cleaned_and_text_escaped(make_book, tmp_path):
    import zipfile

    root = make_book({"01.md": '# A & B < C\n\n<script>alert(1)</script>\n\n<p onclick="x()">Tom & Jerry '
                               "5 < 6 > 4</p>\n\n## Wstęp\n", "02.md": "# Drugi\n\n## Wstęp\n\nTekst.\n"})
    assert main([str(root), "-o", str(tmp_path / "o"), *ARGS]) == 0
    epub = next((tmp_path / "o").glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        docs = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}
    text = "".join(docs.values())
    assert "<script" not in text and "onclick" not in text
    assert "Tom &amp; Jerry 5 &lt; 6 &gt; 4" in text
    assert "A\u00a0&amp; B &lt; C" in docs["EPUB/ch01.xhtml"]  # "A" is a one-letter word: glued
    assert 'id="ch01-wstep"' in docs["EPUB/ch01.xhtml"] and 'id="ch02-wstep"' in docs["EPUB/ch02.xhtml"]


_PIECES = st.sampled_from(["((Baku))", "((Ormianie|Ormian))", "(((Armia)))", "[^1]", "\n\n[^1]: note\n",
                           "`((x))`", "\n\n", "## Sekcja\n\n", "<b>", "</b>", "&", "<", "> ", "ą", " ",
                           "słowo", "| a | b |\n|---|---|\n| 1 | 2 |\n", "<div onclick='x'>", "</div>",
                           "\\*"])


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_arbitrary_input_builds_an_epubcheck_clean_book_or_fails_cleanly(make_book, tmp_path_factory, text):
    require_tool(java_available(), "Java (for EPUBCheck)")
    root = make_book({"01.md": "# T\n\n" + text, "02.md": "# Drugi\n\nTekst[^1].\n\n[^1]: N.\n"})
    out = tmp_path_factory.mktemp("out")
    status = main([str(root), "-o", str(out), "-e", "epub", "--no-proof", "-q", "--force"])
    if status == 0:
        assert validate.epubcheck(next(out.glob("*.epub"))) == []
    else:
        assert status == 1


def test_note_call_inside_a_note(previous, capsys):
    _write(previous[0], "01.md", "# R\n\nTekst[^1].\n\n[^1]: Przypis\nciąg dalszy[^1].\n")
    _fails(previous, capsys, "K303", "01.md:5:")


def test_a_failure_with_the_archive_asked_for_leaves_nothing(previous, capsys):
    """The deposit is staged as a folder and a zip of its own (writers/archive.py): a build that fails
    removes both with the rest."""
    _write(previous[0], "01.md", "# R\n\nTekst[^brak].\n")
    _fails(previous, capsys, "K301", "01.md:3:", "-e", "archive")


def test_a_file_given_for_the_manuscript_folder_says_so(tmp_path, capsys):
    """A Markdown file given where the folder goes: "folder does not exist" was wrong (it exists)."""
    chapter = tmp_path / "book.md"
    chapter.write_text("# One\n\nText.\n", encoding="utf-8")
    assert main([str(chapter), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "book.md: error: is a file, not a manuscript folder" in err and "[K200]" in err
