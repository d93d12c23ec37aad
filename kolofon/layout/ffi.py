"""WeasyPrint's C declarations (Pango, HarfBuzz, fontconfig) compiled once, when kolofon is installed,
not parsed again by every layout server that starts.

WeasyPrint 70 hands cffi ~16 kB of C declarations at import (`weasyprint/text/ffi.py`), which cffi
parses with pycparser: 65 ms of the ~0.3 s the layout server spends importing WeasyPrint (pycparser's
own import included; -X importtime), and a one-paragraph edit's changed chapter waits for that import.
cffi can write the parsed declarations out as a Python module ("out-of-line ABI mode"), which loads in
~3 ms and binds the very same libraries. `make` writes that module into the virtual environment
(`python -m kolofon.layout.ffi`); while WeasyPrint is imported, `cffi.FFI()` then gives it the module's
bindings, made from the very declarations WeasyPrint passes to `cdef()`, which then has nothing to do.
Without the module, or with one made from other declarations (WeasyPrint upgraded, `make` not run
again), WeasyPrint parses its own as before: slower, never different."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import py_compile
import re
import sys
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _cffi_backend

MODULE = "_kolofon_weasyprint_ffi"
_DECLARED = re.compile(r"ffi\.cdef\('''(.*?)'''\)", re.S)
_HEAD = "import _cffi_backend\n\nffi = _cffi_backend.FFI("


class Prebuilt(_cffi_backend.FFI):  # type: ignore[misc]
    """The compiled bindings, as WeasyPrint's `ffi`: its one call to cdef() has nothing left to do
    (they are given only when made from the declarations it passes: _compiled)."""

    def cdef(self, csource: str, **_options: Any) -> None:
        pass


def _declarations() -> str | None:
    """WeasyPrint's C declarations, read from its source without importing it."""
    spec = importlib.util.find_spec("weasyprint")  # a top-level package: found, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    source = Path(spec.submodule_search_locations[0], "text", "ffi.py").read_text(encoding="utf-8")
    found = _DECLARED.search(source)
    return found.group(1) if found else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _compiled() -> Prebuilt | None:
    """The bindings made for the declarations WeasyPrint has now, or None."""
    try:
        module = importlib.import_module(MODULE)
    except ImportError:
        return None
    declared = _declarations()
    if declared is None or getattr(module, "DIGEST", None) != _digest(declared):
        return None
    ffi: Prebuilt = module.ffi
    return ffi


@contextmanager
def compiled_bindings() -> Iterator[None]:
    """While inside, WeasyPrint's `cffi.FFI()` is the compiled bindings (if they fit; see above)."""
    ffi = _compiled()
    if ffi is None:
        yield
        return
    import cffi

    parsing = cffi.FFI
    given: list[Prebuilt] = []

    def first_ffi(*args: Any, **kwargs: Any) -> Any:
        if given:  # someone else's FFI, not WeasyPrint's
            return parsing(*args, **kwargs)
        given.append(ffi)
        return ffi

    cffi.FFI = first_ffi
    try:
        yield
    finally:
        cffi.FFI = parsing


def generate(folder: Path) -> Path:
    """Write the compiled bindings of WeasyPrint's declarations into `folder` (on sys.path)."""
    import cffi

    declared = _declarations()
    if declared is None:
        raise SystemExit("WeasyPrint's C declarations were not found in weasyprint/text/ffi.py")
    builder = cffi.FFI()
    builder.cdef(declared)
    builder.set_source(MODULE, None)
    target = folder / f"{MODULE}.py"
    builder.emit_python_code(str(target))
    text = target.read_text(encoding="utf-8")
    if _HEAD not in text:
        target.unlink()
        raise SystemExit(f"cffi wrote {target.name} in a form kolofon does not know")
    head = f"from kolofon.layout.ffi import Prebuilt\n\nDIGEST = {_digest(declared)!r}\nffi = Prebuilt("
    target.write_text(text.replace(_HEAD, head), encoding="utf-8")
    py_compile.compile(str(target), doraise=True)  # its bytecode now: a run may not write it
    return target


if __name__ == "__main__":  # `make`, once kolofon is installed: into the environment's site-packages
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else sysconfig.get_paths()["purelib"])
    try:
        print(f"wrote {generate(folder)}")
    except (SystemExit, Exception) as problem:  # the install goes on: builds are only slower (CI says so)
        print(f"WeasyPrint's C declarations not compiled ({problem}): it parses them at each start",
              file=sys.stderr)
