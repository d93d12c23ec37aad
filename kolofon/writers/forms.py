"""What a page draws: the page itself and every form XObject it reaches. The assembled and imposed
pages draw their content through forms (layout/assemble.py, imposition.py), so whatever looks at
colours, fonts or images must look inside them."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf


def drawn(holder: pikepdf.Object, seen: set[tuple[int, int]] | None = None) -> Iterator[pikepdf.Object]:
    """`holder` (a page's dictionary or a form) and the forms it draws, depth first, each once."""
    seen = set() if seen is None else seen
    if holder.is_indirect:
        if holder.objgen in seen:
            return
        seen.add(holder.objgen)
    yield holder
    for _name, xobject in _xobjects(holder):
        if xobject.get("/Subtype") == "/Form":
            yield from drawn(xobject, seen)


def images(holder: pikepdf.Object) -> Iterator[pikepdf.Stream]:
    """The image XObjects `holder` itself uses (not those of its forms)."""
    for _name, xobject in _xobjects(holder):
        if xobject.get("/Subtype") == "/Image":
            yield xobject


def _xobjects(holder: pikepdf.Object) -> list[tuple[str, pikepdf.Object]]:
    resources = holder.get("/Resources") or pikepdf.Dictionary()
    return list((resources.get("/XObject") or pikepdf.Dictionary()).items())
