"""The PDF/A-1b copy joined from the book's parts (layout/assemble.py), beside the book's own PDF
rather than made from it: each part repaired as it is opened (pdfa._repaired), PDF 1.4 without object
streams, the XMP packet, the sRGB output intent. No process holds the whole book (qpdf held every
object of the book's file: 109 MiB for 2,000 pages).

A part's repaired copy is kept in the cache, beside the parts (OUT/.kolofon-cache/pdfa), under the
part's own key and the book's date (the repair pins the fonts' stamps to it): after a one-paragraph
edit, only the changed chapter and its furniture are repaired again. Walking a part's objects and
repairing them took ~0.25 s of the 500-page book's 0.8 s copy (measured); reading a kept copy back
costs less than its first reading, and the copy is written as qpdf holds it (streams as they are), so
the PDF/A file's bytes are the same either way."""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from pathlib import Path

import pikepdf
from pikepdf import Pdf

from ..layout.assemble import Variant
from ..layout.part import write_atomic
from ..pdfobjects import reachable
from ..pdfpages import open_pdf
from ..pdfstream import Copier, PdfWriter
from .pdfa import LOG, PdfaError, _described, _ensure_output_intent, _repaired, archival_moment
from .xmp import ArchivalMetadata, clean_meta, write_metadata


class Archival(Variant):
    """`kept`: the folder of repaired parts (None: repair every part, keep none); `reuse`: False
    repairs them all again (--force) and keeps the new copies."""

    version = "1.4"
    packed = False

    def __init__(self, meta: ArchivalMetadata, kept: Path | None = None, reuse: bool = True):
        super().__init__()
        self.meta = clean_meta(meta)
        self.moment = archival_moment(self.meta.date)
        self.kept = kept
        self.reuse = reuse
        self.tag = hashlib.sha256(self.moment.isoformat().encode()).hexdigest()[:8]

    @property
    def key(self) -> str:
        return f"pdfa-{self.tag}"

    def open(self, source: Path | bytes) -> Pdf:
        if self.kept is None or isinstance(source, bytes):
            return self._repair(open_pdf(source))
        name = f"{source.stem}-{self.tag}"
        self.used.add(name)
        copy, counts = self.kept / f"{name}.pdf", self.kept / f"{name}.json"
        if self.reuse:
            try:
                # The counts are written last: a copy without them is one a build stopped writing.
                changes = Counter(json.loads(counts.read_text()))
                pdf = Pdf.open(copy)
            except (OSError, ValueError, pikepdf.PdfError):
                pass
            else:
                self.changes += changes
                return pdf
        pdf = open_pdf(source)
        changes = self._repair_counted(pdf)
        # Streams saved as qpdf holds them (neither decoded nor compressed again): read back, the copy
        # gives the assembly the bytes of the repaired part it was saved from.
        data = io.BytesIO()
        pdf.save(data, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve, deterministic_id=True)
        write_atomic(copy, data.getvalue())
        write_atomic(counts, json.dumps(changes).encode())
        return pdf

    def _repair(self, pdf: Pdf) -> Pdf:
        self._repair_counted(pdf)
        return pdf

    def _repair_counted(self, pdf: Pdf) -> Counter[str]:
        if pdf.is_encrypted:
            raise PdfaError("PDF/A forbids encryption")
        changes = _repaired(pdf, list(reachable([pdf.trailer])), self.moment)
        self.changes += changes
        return changes

    def prune(self) -> None:
        """Drop the repaired copies of parts this book no longer has (the page cache prunes its own)."""
        if self.kept is not None and self.kept.is_dir():
            for path in self.kept.iterdir():
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)

    def finish(self, out: PdfWriter, lang: str | None,
               docinfo: dict[str, str]) -> tuple[list[tuple[str, bytes]], bytes | None, bytes | None]:
        made = Pdf.new()  # the metadata and intent made as to_pdfa1b makes them, then copied
        _ensure_output_intent(made)
        write_metadata(made, self.meta, self.moment)
        copier = Copier(out)
        entries = [(key, copier.value(made.Root[key])) for key in ("/Metadata", "/OutputIntents", "/Lang")]
        info = copier.value(made.trailer.Info)
        copier.drain()
        for line in _described(self.changes):
            LOG.warning("PDF/A-1b: %s", line)
        # First half: who the book is (stable across editions and rebuilds); the second half is the
        # written content's digest, never the clock.
        return entries, info, hashlib.md5(self.meta.identifier.encode()).digest()

