"""Modules WeasyPrint imports at its start but a build rarely uses, imported when first used.

WeasyPrint 70 imports fontTools' subsetter and its variable-font instancer (with `fontTools.varLib`
and the OpenType table classes they pull in) in `weasyprint/pdf/fonts.py`: ~0.13 s of the ~0.5 s its
import takes (measured), in the layout server, which a build's first chapter and a one-paragraph
edit's changed chapter wait for. kolofon subsets with HarfBuzz (subset.py replaces the one method that
uses the subsetter), and the instancer runs only for a variable font (refused in a manuscript, K803,
but a system font that fontconfig falls back to for a missing glyph may be one); `uuid` likewise (below).
So while WeasyPrint is imported, each of those modules is a stand-in: an attribute read from it imports
the real module (the names WeasyPrint imports from it are small functions that import it when called).
Once WeasyPrint is imported, the stand-ins leave `sys.modules`: any later `import` gets the real
module."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# module -> the names WeasyPrint imports from it (`from module import name`)
DEFERRED = {"fontTools.subset": (), "fontTools.varLib.instancer": ("instantiateVariableFont",),
             # only for a PDF/A or PDF/UA document's XMP id (kolofon's are made by writers/xmp.py); its
             # import took ~12 ms of the layout server's start (-X importtime)
             "uuid": ("uuid4",)}


class StandIn(types.ModuleType):
    """In place of a module until one of its attributes is read."""

    def __init__(self, name: str, functions: tuple[str, ...]):
        super().__init__(name)
        for function in functions:
            setattr(self, function, _calling(name, function))

    def __getattr__(self, attribute: str) -> Any:  # only for what the stand-in does not have itself
        # The import system asks for __path__ (is it a package?), repr() for __file__: no reason to
        # import the module yet.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(_real(self.__name__), attribute)


def _real(name: str) -> types.ModuleType:
    if isinstance(sys.modules.get(name), StandIn):
        del sys.modules[name]
    return importlib.import_module(name)


def _calling(name: str, function: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real(name), function)(*args, **kwargs)

    call.__name__ = function
    return call


@contextmanager
def deferred(modules: dict[str, tuple[str, ...]]) -> Iterator[None]:
    """While inside, `modules` not yet imported are stand-ins (see above)."""
    placed = [name for name in modules if name not in sys.modules]
    for name in placed:
        sys.modules[name] = StandIn(name, modules[name])
    try:
        yield
    finally:
        for name in placed:
            if isinstance(sys.modules.get(name), StandIn):
                del sys.modules[name]
