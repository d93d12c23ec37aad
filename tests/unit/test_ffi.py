"""WeasyPrint's C declarations compiled at install time (kolofon/layout/ffi.py): the layout server
imports WeasyPrint without parsing them, binds the same libraries, and draws the same bytes; bindings
made from other declarations are not used."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from kolofon.layout import ffi

# In a fresh interpreter (WeasyPrint is imported once a process): which bindings WeasyPrint got, whether
# pycparser was loaded, and a small document's PDF.
PROBE = """
import json, sys
if sys.argv[1] == "without":
    sys.modules[sys.argv[2]] = None  # as if `make` had not compiled them
from kolofon.layout import engine
from kolofon.layout.part import Job
import weasyprint.text.ffi as w
html = "<html lang=pl><body><p style='font-family: serif'>Zażółć gęślą jaźń, 1988–1990.</p></body></html>"
with engine.source_date(0.0):
    pdf = engine.render(Job(html, "file:///", (), 0.0, None)).write_pdf()
print(json.dumps({"ffi": type(w.ffi).__name__, "pycparser": "pycparser" in sys.modules, "pdf": pdf.hex()}))
"""


def _probe(folder: Path, mode: str = "with") -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), *sys.path])}
    done = subprocess.run([sys.executable, "-c", PROBE, mode, ffi.MODULE], capture_output=True, text=True,
                          env=env, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_weasyprint_takes_the_compiled_bindings_and_draws_the_same_pdf(tmp_path: Path) -> None:
    made = ffi.generate(tmp_path)
    assert made.name == f"{ffi.MODULE}.py"
    compiled, parsed = _probe(tmp_path), _probe(tmp_path, "without")
    assert compiled["ffi"] == "Prebuilt" and compiled["pycparser"] is False
    assert parsed["ffi"] == "FFI" and parsed["pycparser"] is True
    assert compiled["pdf"] == parsed["pdf"]


def test_bindings_made_from_other_declarations_are_not_taken(tmp_path: Path) -> None:
    made = ffi.generate(tmp_path)
    text = made.read_text(encoding="utf-8")
    made.write_text(text.replace("DIGEST = '", "DIGEST = '0"), encoding="utf-8")  # WeasyPrint upgraded
    for cached in tmp_path.glob("__pycache__/*"):
        cached.unlink()
    probe = _probe(tmp_path)
    assert probe["ffi"] == "FFI" and probe["pycparser"] is True and probe["pdf"]


def test_make_compiled_them_into_the_environment() -> None:
    """`make` writes them into the virtual environment (the Makefile's install step); a CI run is one."""
    if not os.environ.get("CI"):
        return  # a hand-made environment may not have them: the build is then only slower
    assert importlib.util.find_spec(ffi.MODULE) is not None
