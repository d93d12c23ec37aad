"""Writers: the only code that writes files. Every output is staged beside its final name and renamed
into place only when every edition has been produced, so a failed or interrupted build leaves the
previous editions byte-for-byte as they were."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from ..diagnostics import BuildError, error

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every zip entry's time: zips carry no clock
# What mkstemp adds to a staged output's name: eight random characters.
_RANDOM = r"\.[a-z0-9_]{8}\.tmp"


class Committed(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) that came while the outputs were being renamed into place: held off until
    they all were, then raised, so the folder is never half old, half new."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def readable(pdf: bytes | Path) -> io.BytesIO | Path:
    """What pikepdf.open takes: the laid-out PDF is a file (read lazily), tests may pass bytes."""
    return io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf


class Staging:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self._staged: list[tuple[Path, Path]] = []  # (temporary, final)

    def __enter__(self) -> Staging:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.out_dir, prefix=".kolofon-", delete=True)
            probe.close()
        except OSError as exc:
            raise BuildError([error("K701", f"cannot write to the output folder: {exc.strerror}",
                                    self.out_dir)]) from None
        return self

    def clear_leftovers(self, names: list[str]) -> None:
        """What a build killed outright (SIGKILL, power) left while staging these outputs: their
        staged copies and an archive folder moved aside. Only those, named after this book's own
        outputs: the output folder may hold the user's files ("-o ."; QA sweeps 13 and 14)."""
        shapes = [re.escape(f".{name}") + _RANDOM for name in names] + \
            [re.escape(f".{name}.old") for name in names]
        leftover = re.compile("|".join(f"^{shape}$" for shape in shapes))
        for path in self.out_dir.iterdir():
            if not leftover.match(path.name):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()

    def reserve(self, name: str) -> Path:
        """A temporary file that becomes OUT/name on commit, for a writer that writes the file itself."""
        fd, tmp = tempfile.mkstemp(dir=self.out_dir, prefix=f".{name}.", suffix=".tmp")
        os.close(fd)
        os.chmod(tmp, 0o644)
        self._staged.append((Path(tmp), self.out_dir / name))
        return Path(tmp)

    def write(self, name: str, data: bytes) -> Path:
        final = self.out_dir / name
        fd, tmp = tempfile.mkstemp(dir=self.out_dir, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        self._staged.append((Path(tmp), final))
        return Path(tmp)

    def directory(self, name: str) -> Path:
        """A fresh temporary directory that replaces OUT/name on commit."""
        tmp = Path(tempfile.mkdtemp(dir=self.out_dir, prefix=f".{name}.", suffix=".tmp"))
        os.chmod(tmp, 0o755)
        self._staged.append((tmp, self.out_dir / name))
        return tmp

    def commit(self) -> None:
        with _held_off() as caught:
            self._commit()
        if caught:
            raise Committed(caught[0])

    def _commit(self) -> None:
        for tmp, final in self._staged:
            if tmp.is_dir():
                old = final.with_name(f".{final.name}.old")
                if old.exists():
                    shutil.rmtree(old)
                if final.exists():
                    final.rename(old)
                tmp.rename(final)
                if old.exists():
                    shutil.rmtree(old)
            else:
                os.replace(tmp, final)
        self._staged.clear()

    def rollback(self) -> None:
        with _held_off():  # a second Ctrl-C must not leave the rest behind; the first one is on its way
            for tmp, _final in self._staged:
                if tmp.is_dir():
                    shutil.rmtree(tmp, ignore_errors=True)
                else:
                    tmp.unlink(missing_ok=True)
            self._staged.clear()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # BaseException too: Ctrl-C (KeyboardInterrupt) must not leave temporary files behind.
        if kind is None:
            self.commit()
        else:
            self.rollback()


@contextmanager
def _held_off() -> Iterator[list[int]]:
    """SIGINT and SIGTERM noted, not acted on, while the block runs (renames and deletions: quick);
    the caller decides what to do with them. Only the main thread may set handlers; elsewhere the
    block runs as it is."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    for signum in saved:
        signal.signal(signum, lambda number, _frame: caught.append(number))
    try:
        yield caught
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
