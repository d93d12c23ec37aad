"""Every problem a user can cause, as data: created where the fact is known, printed in one place (cli).

Codes are stable so that tests, docs and users can refer to them:
K1xx book.yaml, K2xx manuscript files, K3xx endnotes, K4xx index terms, K5xx images and links,
K6xx templates, K7xx output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None

    def format(self, base: Path | None = None) -> str:
        where = ""
        if self.path is not None:
            shown = self.path
            if base is not None:
                try:
                    shown = self.path.relative_to(base)
                except ValueError:
                    shown = self.path
            where = f"{shown}:{self.line}: " if self.line else f"{shown}: "
        return f"{where}{self.severity.value}: {self.message} [{self.code}]"


def error(code: str, message: str, path: Path | None = None, line: int | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, path, line)


def warning(code: str, message: str, path: Path | None = None, line: int | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, path, line)


class BuildError(Exception):
    """Raised by a stage when it found errors; carries every diagnostic gathered so far."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def raise_if_errors(diagnostics: list[Diagnostic], strict: bool = False) -> None:
    """Stop the build before anything is written when there is an error (or, strict, a warning)."""
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or strict]
    if failing:
        # --strict: a warning is an error, and is reported and counted as one.
        raise BuildError([replace(d, severity=Severity.ERROR) if strict else d for d in diagnostics])


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
