"""Parts a tool may reach before their PDFs are written.

The assembly, the PDF/A copy and the booklet read the parts in order. They start once every part is
laid out, not once every PDF is written: a one-paragraph edit's changed chapter is written (~0.3 s)
while the tools copy the parts before it, and a tool waits only where it reaches a part still being
written. The main process learns when each PDF is written (server.py) and says so with a file in a
folder of the build's scratch folder (the tools are other processes); a part that failed, or a
layout server that died, says so with the file FAILED, and the tool stops at once (the build reports
the part's own error, workers.py). The page cache's own files cannot say it: a part laid out again
(`--force`) has its PDF there already, the one being replaced."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

FAILED = "failed"
POLL = 0.002  # s between two looks; a stat() each, nothing a core notices


class Abandoned(Exception):
    """A part the tool waited for will not be written; the build reports why, not this."""


@dataclass(frozen=True)
class Written:
    """`pdfs`: the parts' PDFs not yet written when the tool's job was made; `folder`: where the main
    process marks each one written (its file name), or FAILED."""

    folder: Path | None = None
    pdfs: frozenset[Path] = field(default_factory=frozenset)

    def wait(self, path: Path | bytes) -> None:
        """Return once `path` is written (at once for a part written before the job was made)."""
        if self.folder is None or not isinstance(path, Path) or path not in self.pdfs:
            return
        mark, failed = self.folder / path.name, self.folder / FAILED
        while not mark.exists():
            if failed.exists():
                raise Abandoned(f"{path.name} was not written")
            time.sleep(POLL)


NOTHING_PENDING = Written()
