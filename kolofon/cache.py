"""Nothing changed, nothing to do: a rebuild whose inputs hash the same as the last build's, and whose
outputs are still the files that build wrote, returns at once.

The stamp lives in OUT/.kolofon-stamp.json. Inputs are every file of the manuscript folder, the
templates, kolofon's own code and the options; outputs are checked by size and sha256."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

STAMP = ".kolofon-stamp.json"
_CODE = Path(__file__).resolve().parent


def _files(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def inputs_key(root: Path, templates: Path, options: str) -> str:
    h = hashlib.sha256(options.encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for folder in (root, templates, _CODE):
        for path in _files(folder):
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_dir():
        for p in _files(path):
            h.update(str(p.relative_to(path)).encode() + b"\0" + p.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()


def load(out: Path, key: str) -> dict | None:
    """The last build's record, if its inputs were these and its outputs are untouched."""
    try:
        record = json.loads((out / STAMP).read_text())
    except (OSError, ValueError):
        return None
    if record.get("key") != key:
        return None
    for item in record.get("outputs", []):
        path = out / item["name"]
        if not path.exists() or file_digest(path) != item["sha256"]:
            return None
    return record


def stamp_bytes(key: str, outputs: list[dict]) -> bytes:
    return json.dumps({"key": key, "outputs": outputs}, indent=1, sort_keys=True).encode()
