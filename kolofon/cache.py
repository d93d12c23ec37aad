"""Nothing changed, nothing to do: a rebuild whose inputs hash the same as the last build's, and whose
outputs are still the files that build wrote, returns at once.

The stamp lives in OUT/.kolofon-stamp.json. Inputs are every file of the manuscript folder, the
templates, kolofon's own code and the options; outputs are checked by size and sha256."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import stat
from collections.abc import Iterable
from pathlib import Path

STAMP = ".kolofon-stamp.json"
_CODE = Path(__file__).resolve().parent


def _files(folder: Path) -> Iterable[Path]:
    """The regular files under `folder`: not a broken link, a named pipe or a socket, which a build
    never reads and which made the hashing fail with a traceback (a broken link) or wait for ever (a
    pipe) even when no chapter named them (QA sweep)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if not name.startswith(".") and _regular(path := Path(dirpath, name)):
                yield path


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


@functools.cache
def code_version() -> str:
    """kolofon's version and a hash of its code, for every cache's key (and the no-op stamp's): a
    checkout updated with `git pull` keeps its version number, and must not reuse what old code made."""
    from . import __version__

    return f"{__version__}+{file_digest(_CODE)[:16]}"


def inputs_key(root: Path, templates: Path, options: str) -> str:
    h = hashlib.sha256(options.encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    h.update(code_version().encode())
    for folder in (root, templates):
        h.update(file_digest(folder).encode())
    return h.hexdigest()


# What a file is read or copied a block at a time by: the stamp's digests here, the archive's zip
# (writers/archive.py). Small, because both run in the main process at the build's end, where a
# 2,000-page book's peak was; 1 MiB blocks, three at once, were ~3 MiB of it.
READ_BLOCK = 1 << 16


def file_digest(path: Path) -> str:
    """A file's or a folder's SHA-256, read a block at a time: an edition can be tens of MB."""
    h = hashlib.sha256()
    for p in _files(path) if path.is_dir() else [path]:
        if p != path:
            h.update(str(p.relative_to(path)).encode() + b"\0")
        try:
            with p.open("rb") as file:
                while block := file.read(READ_BLOCK):
                    h.update(block)
        except PermissionError:
            if p == path:
                raise
            # A file of the manuscript folder no one may read: the chapter or picture that names it
            # is reported by the stage that reads it; one that nothing names does not stop the build.
            h.update(b"\0unreadable\0")
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
        if not path.exists():
            return None
        # An output whose size and modification times are those it was written with is taken as
        # untouched (as make and git take a file); any other is read and hashed.
        if item.get("stat") != file_stat(path) and file_digest(path) != item["sha256"]:
            return None
    return record


def file_stat(path: Path) -> str:
    """A file's or a folder's sizes and modification times (in ns), hashed: what the no-op check
    compares before it reads a byte (a 500-page book's outputs are some 15 MB to hash)."""
    h = hashlib.sha256()
    for p in _files(path) if path.is_dir() else [path]:
        st = p.stat()
        h.update(f"{p.relative_to(path) if p != path else ''}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def stamp_bytes(key: str, outputs: list[dict], families: tuple[str, ...] = (),
                warnings: list[dict] | None = None) -> bytes:
    record = {"key": key, "outputs": outputs, "families": list(families), "warnings": warnings or []}
    return json.dumps(record, indent=1, sort_keys=True).encode()


class Memo:
    """Pickled results of a pure step (a chapter's Markdown conversion), keyed by a hash of its inputs.

    Lives in OUT/.kolofon-cache/<name>/; entries not used by the last build are dropped."""

    def __init__(self, folder: Path | None, reuse: bool = True):
        """`reuse`: False for `--force`, which takes nothing from the last build but still leaves
        its own results for the next (a one-paragraph edit after it converts one chapter, not all)."""
        self.folder = folder
        self.reuse = reuse
        self.used: set[str] = set()
        self.pending: dict[str, object] = {}  # written by flush(), once the build has succeeded

    @staticmethod
    def key(*parts: object) -> str:
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    def get(self, key: str):  # -> object | None
        self.used.add(key)
        if self.folder is None or not self.reuse:
            return None
        try:
            return pickle.loads((self.folder / f"{key}.pickle").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, value: object) -> None:
        self.pending[key] = value

    def flush(self) -> None:
        """Write the new entries and drop the unused ones (only after a successful build)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for key, value in self.pending.items():
            tmp = self.folder / f".{key}.tmp"
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.folder / f"{key}.pickle")
        self.pending.clear()
        if self.folder.is_dir():
            for path in self.folder.glob("*.pickle"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)


class Kept:
    """A tool's output kept for the next build, under a key of what it was made from (the page cache's
    files, which are named by their contents): after a one-paragraph edit, the EPUB's cover picture
    (the title page) and the proof sheet (the first pages) are mostly the same as before, and each
    took a tool process ~0.1-0.2 s of the edit's last second. Only the newest of each name is kept."""

    def __init__(self, folder: Path, name: str, key: str, reuse: bool = True):
        self.folder = folder
        self.name = name
        self.path = folder / f"{name}-{key}"
        self.reuse = reuse

    def get(self) -> bytes | None:
        if not self.reuse:
            return None
        try:
            return self.path.read_bytes()
        except OSError:
            return None

    def put(self, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{self.path.name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.path)
        for old in self.folder.glob(f"{self.name}-*"):
            if old != self.path:
                old.unlink(missing_ok=True)
