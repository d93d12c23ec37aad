"""What the build's main process holds: it reads the book and writes the EPUB; the tools (pikepdf,
pdfium) and the layout (WeasyPrint) run in processes of their own, and their libraries never load in
the main one, which also holds the book (issue 10: peak memory that grows with the book)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import MANUSCRIPT, REPO

SCRIPT = """
import sys
from kolofon.cli import main
code = main([sys.argv[1], "-o", sys.argv[2], "-q"])  # every default edition
print(code, sorted(m for m in ("pikepdf", "pypdfium2", "weasyprint", "fontTools") if m in sys.modules))
"""


def test_the_main_process_never_loads_the_pdf_libraries(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(MANUSCRIPT), str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"pogromy-ormian-w-baku.pdf",
                                                              "pogromy-ormian-w-baku-booklet.pdf"}
