"""Walking a PDF's object graph with pikepdf, for the PDF/A repair (which looks at every object)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pikepdf
from pikepdf import Array, Dictionary, Stream

PAGE_TREE = frozenset({"/Parent"})  # reached from the parent anyway; saves a pass over the page tree


def reachable(roots: Iterable[pikepdf.Object]) -> Iterator[Dictionary | Stream]:
    """Every dictionary and stream reachable from `roots` (through any key but /Parent), each indirect
    object once, in a fixed order.

    Walking the graph (not ``pdf.objects``) also finds direct dictionaries nested in others — an
    ExtGState inside a Resources dictionary, a CIDFont inside DescendantFonts — and skips orphans."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = list(reversed(list(roots)))
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, Array):
            stack.extend(item for item in reversed(list(obj)) if _is_container(item))
        elif isinstance(obj, Dictionary | Stream):
            yield obj
            for key in sorted(obj.keys(), reverse=True):
                if key not in PAGE_TREE:
                    value = obj[key]
                    if _is_container(value):
                        stack.append(value)


def _is_container(obj: object) -> bool:
    return isinstance(obj, Dictionary | Stream | Array)
