"""Apache PDFBox Preflight as the PDF/A-1b referee for the archival PDF.

Preflight is Java; we use the Debian-packaged jars (``libpdfbox2-java``, ``libactivation-java``,
``libjaxb-api-java``) from /usr/share/java rather than downloading anything, so a machine without them
simply cannot validate — callers ask :func:`preflight_available` first.

We run the validator in its ``xml`` mode: the text mode prints one error per line but PDFBox messages
may embed dumps of PDF dictionaries, and a crash (unreadable file) only shows up as a Java stack trace.
The XML report says valid/invalid explicitly, so an exception is never mistaken for "no errors".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

JAVA_DIR = Path(os.environ.get("KOLOFON_JAVA_DIR", "/usr/share/java"))

# Unversioned symlink names as Debian ships them, each with a versioned fallback pattern for systems
# that only have e.g. preflight-2.0.27.jar. javax.activation is needed by Validator_A1b's main class
# (it uses FileDataSource); jaxb-api by xmpbox on Java >= 11 where JAXB left the JDK.
_JARS: tuple[tuple[str, str], ...] = (
    ("preflight.jar", "preflight-2*.jar"),
    ("pdfbox2.jar", "pdfbox2-2*.jar"),
    ("fontbox2.jar", "fontbox2-2*.jar"),
    ("xmpbox.jar", "xmpbox-2*.jar"),
    ("commons-logging.jar", "commons-logging-1*.jar"),
    ("jaxb-api.jar", "jaxb-api-2*.jar"),
    ("javax.activation.jar", "javax.activation-1*.jar"),
)
VALIDATOR = "org.apache.pdfbox.preflight.Validator_A1b"


class PreflightUnavailable(RuntimeError):
    """Java or one of the PDFBox Preflight jars is missing."""


class PreflightError(RuntimeError):
    """Preflight ran but did not produce a verdict (crash, unreadable report, timeout)."""


def _find_jar(name: str, pattern: str) -> Path | None:
    exact = JAVA_DIR / name
    if exact.is_file():
        return exact
    # Sorted so the choice is stable when several versions are installed.
    matches = sorted(JAVA_DIR.glob(pattern))
    return matches[-1] if matches else None


def _classpath() -> tuple[str, list[str]]:
    """The classpath, and the names of jars that could not be found."""
    found: list[str] = []
    missing: list[str] = []
    for name, pattern in _JARS:
        jar = _find_jar(name, pattern)
        if jar is None:
            missing.append(name)
        else:
            found.append(str(jar))
    return os.pathsep.join(found), missing


def preflight_available() -> bool:
    """True when ``java`` is on PATH and every jar Validator_A1b needs is in :data:`JAVA_DIR`."""
    return shutil.which("java") is not None and not _classpath()[1]


def run_preflight(path: Path, *, timeout: float = 300.0) -> list[str]:
    """Validate ``path`` as PDF/A-1b; return the error lines (``"code : details"``), empty when valid.

    An error that Preflight reports several times is returned once, with the count appended, so a
    problem repeated on every page of a book does not bury the others.

    Raises :class:`PreflightUnavailable` if Java or a jar is missing and :class:`PreflightError` if the
    validator fails to produce a report.
    """
    java = shutil.which("java")
    classpath, missing = _classpath()
    if java is None:
        raise PreflightUnavailable(
            "PDF/A preflight needs Java: no 'java' on PATH (apt-get install default-jre-headless)")
    if missing:
        raise PreflightUnavailable(
            f"PDF/A preflight jars missing from {JAVA_DIR}: {', '.join(missing)} "
            "(apt-get install libpdfbox2-java libactivation-java libjaxb-api-java)")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    try:
        proc = subprocess.run(
            # Headless: PDFBox touches AWT for fonts/colour, which must not need a display.
            [java, "-Djava.awt.headless=true", "-cp", classpath, VALIDATOR, "xml", str(path)],
            capture_output=True, timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PreflightError(f"preflight timed out after {timeout:.0f} s on {path}") from exc
    return _parse_report(proc.stdout, proc.stderr, proc.returncode, path)


def _parse_report(stdout: bytes, stderr: bytes, returncode: int, path: Path) -> list[str]:
    start = stdout.find(b"<?xml")
    if start < 0:
        detail = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
        raise PreflightError(f"preflight produced no report for {path} (exit {returncode}): "
                             + (" | ".join(detail[:3]) or "no output"))
    try:
        root = ET.fromstring(stdout[start:])
    except ET.ParseError as exc:
        raise PreflightError(f"preflight report for {path} is not XML: {exc}") from exc
    errors: list[str] = []
    for err in root.iter("error"):
        code = (err.findtext("code") or "?").strip()
        details = " ".join((err.findtext("details") or "").split())
        count = int(err.get("count") or 1)
        page = (err.findtext("page") or "").strip()
        line = f"{code} : {details}"
        if page.isdigit():
            line += f" on page {int(page) + 1}"  # 0-based in the XML; the text mode counts from 1
        errors.append(line + (f" [×{count}]" if count > 1 else ""))
    valid = (root.findtext("isValid") or "").strip() == "true"
    if not valid and not errors:
        # Never report "no errors" for a file Preflight did not accept.
        raise PreflightError(f"preflight rejected {path} without listing errors")
    return errors
