"""The text laid out chapter by chapter, in parallel processes, each chapter cached by a hash of its
input. Chapters open on a right-hand page, so a chapter's layout does not depend on where it falls in
the book: folios and running heads are added afterwards as an overlay (see assemble.py).

Worker processes keep one FontConfiguration for every chapter they lay out (loading fonts is not
free); the cache holds each chapter's PDF and its anchors and links as JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from . import scratch
from .assemble import Part

_FONTS = None  # per worker process


def _lay_out_in_worker(job: tuple[str, str, tuple[str, ...], float]) -> Part:
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _lay_out(job, _FONTS)


def _lay_out(job: tuple[str, str, tuple[str, ...], float], fonts: FontConfiguration) -> Part:
    from .images import ConfinedFetcher
    from .writers.pdf import source_date

    html, base_url, roots, moment = job
    document = weasyprint.HTML(string=html, base_url=base_url,
                               url_fetcher=ConfinedFetcher(*map(Path, roots))).render(font_config=fonts)
    with source_date(dt.datetime.fromtimestamp(moment, dt.UTC)):
        return Part.from_document(document)


class ChunkCache:
    """OUT/.kolofon-cache/<key>.pdf and .json; a key is the hash of everything a chapter's pages depend on."""

    def __init__(self, folder: Path | None, salt: str, reuse: bool = True):
        self.folder = folder
        self.salt = salt
        self.reuse = reuse  # False: lay everything out again (and refresh the cache)

    def key(self, html: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{weasyprint.__version__}\0{html}".encode()).hexdigest()[:32]

    def get(self, key: str) -> Part | None:
        if self.folder is None or not self.reuse:
            return None
        try:
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            return Part.from_json(pdf, json.loads((self.folder / f"{key}.json").read_text()))
        except (OSError, ValueError, KeyError):
            return None

    def put(self, key: str, part: Part) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".pdf", part.pdf), (".json", json.dumps(part.to_json()).encode())):
            tmp = self.folder / f".{key}{suffix}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, self.folder / f"{key}{suffix}")

    def prune(self, keep: set[str]) -> None:
        """Drop chapters no longer in the book, so the cache does not grow with every edit."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.is_file() and path.stem not in keep:
                path.unlink(missing_ok=True)


def lay_out_chapters(htmls: Sequence[str], base_url: str, roots: tuple[Path, ...], moment: dt.datetime,
                     cache: ChunkCache, progress: Callable[[str], None]) -> list[Part]:
    keys = [cache.key(h) for h in htmls]
    parts: dict[int, Part] = {}
    todo = []
    for i, key in enumerate(keys):
        cached = cache.get(key)
        if cached is not None:
            parts[i] = cached
        else:
            todo.append(i)
    progress(f"laying out {len(todo)} of {len(htmls)} chapters ({len(htmls) - len(todo)} cached)")
    jobs = [(htmls[i], base_url, tuple(map(str, roots)), moment.timestamp()) for i in todo]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=scratch.use,
                                 initargs=(tempfile.gettempdir(),)) as pool:
            for i, part in zip(todo, pool.map(_lay_out_in_worker, jobs), strict=True):
                parts[i] = part
                progress(f"laid out chapter {i + 1}")
    else:
        # In this process, fonts of this build only: a watch's next build has a new temp folder.
        fonts = FontConfiguration()
        for i, job in zip(todo, jobs, strict=True):
            parts[i] = _lay_out(job, fonts)
    for i in todo:
        cache.put(keys[i], parts[i])
    return [parts[i] for i in range(len(htmls))]
