"""What the layout server imports with the engine: fontTools' subsetter and instancer only when used
(kolofon/layout/deferred.py), and they work when they are used; no Jinja, YAML or document model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _run(code: str) -> str:
    """`code` in a fresh interpreter (this one has imported fontTools long ago); its output."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_engine_imports_neither() -> None:
    out = _run("import sys\nfrom kolofon.layout import engine\nprint(sorted(m for m in sys.modules"
               " if m.startswith(('fontTools.subset', 'fontTools.varLib', 'uuid'))))")
    assert out == "[]"


def test_the_xmp_id_is_still_made_when_asked_for() -> None:
    """WeasyPrint's own XMP (a PDF/A variant, which kolofon does not ask it for) still gets its uuid."""
    out = _run("import sys\nfrom kolofon.layout import engine\nfrom weasyprint.pdf import metadata\n"
               "print(len(str(metadata.uuid4())), type(sys.modules['uuid']).__name__)")
    assert out == "36 module"


def test_each_is_the_real_module_once_used() -> None:
    font = TEMPLATES / "fonts" / "GentiumBookPlus-Regular.ttf"
    out = _run(f"""
import sys
from kolofon.layout import engine
from weasyprint.pdf import fonts
from fontTools.ttLib import TTFont
try:
    fonts.instantiateVariableFont(TTFont({str(font)!r}), {{}})  # the real one refuses a static font
except ValueError as exc:
    print(exc)
print(type(sys.modules['fontTools.varLib.instancer']).__name__)
print(fonts.subset.Subsetter.__module__, type(sys.modules['fontTools.subset']).__name__)
import fontTools.subset
print(fontTools.subset is sys.modules['fontTools.subset'], hasattr(fontTools.subset, '__file__'))
""")
    assert out.splitlines() == ["Missing required table fvar", "module", "fontTools.subset module",
                                "True True"]


def test_importing_the_engine_imports_no_jinja_yaml_or_model() -> None:
    """The server imports the engine on every build's critical path: those took ~0.1 s of it."""
    out = _run("import sys\nfrom kolofon.layout import engine\nprint(sorted(m for m in sys.modules"
               " if m.split('.')[0] in ('jinja2', 'yaml') or m in ('kolofon.model', 'kolofon.render')))")
    assert out == "[]"
