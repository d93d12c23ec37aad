"""`--check`: every edition read back by the tools a publisher would use, one verdict per check.

A missing validator is a failed check, never a silent pass."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2

from ..config import parse_config
from ..model import SourceFile
from ..pipeline import Output, Result
from ..source.manuscript import CONFIG_NAME
from ..writers.forms import drawn
from .preflight import preflight_available, run_preflight
from .printshop import pdfx_structure, text_on_black_only

REPO = Path(__file__).resolve().parents[2]
EPUBCHECK_JAR = Path(__import__("epubcheck").__file__).parent / "epubcheck.jar"
POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# What book.yaml gives the pages to print (the title and imprint pages); its description and subjects
# go to the catalogue records (EPUB, XMP) only.
PRINTED_KEYS = ("title", "subtitle", "author", "publisher", "rights", "edition")


@dataclass(frozen=True)
class Check:
    edition: str
    name: str
    ok: bool
    detail: str = ""


def epubcheck(path: Path, *extra: str) -> list[str]:
    """EPUBCheck's messages (fatal, error, warning, info); empty means clean."""
    if shutil.which("java") is None:
        return ["Java is not installed: EPUBCheck cannot run"]
    proc = subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(path), *extra, "-q"],
                          capture_output=True, text=True, timeout=600)
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines()
             if re.match(r"^(FATAL|ERROR|WARNING|INFO|USAGE)", ln)]
    if proc.returncode and not lines:
        lines = [f"EPUBCheck exited with {proc.returncode}: {proc.stderr.strip()[:200]}"]
    return lines


def ace_command() -> tuple[list[str], dict[str, str]] | None:
    """DAISY Ace (npm @daisy/ace-cli, installed by `make ace-tools` into the checkout) on Debian's
    Chromium, when both are there and Ace really starts: a copy that exists but crashes is not Ace."""
    local = REPO / "node_modules" / ".bin" / "ace-cli"
    exe = str(local) if local.exists() else shutil.which("ace-cli")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None or chromium is None:
        return None
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "true"}
    try:
        started = subprocess.run([exe, "--version"], env=env, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return ([exe], env) if started.returncode == 0 else None


def ace(path: Path, workdir: Path) -> list[str]:
    """Ace's violations of the EPUB (empty: outcome pass). Its report goes to `workdir`; when Ace writes
    none, its own error output is the problem reported."""
    command = ace_command()
    if command is None:
        return ["DAISY Ace with Chromium is not installed or does not start (make ace-tools)"]
    exe, env = command
    report_dir = workdir / "ace-report"
    proc = subprocess.run([*exe, "--force", "--silent", "--outdir", str(report_dir), str(path)], env=env,
                          capture_output=True, text=True, timeout=900)
    try:
        report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        output = (proc.stderr + proc.stdout).strip()[-1500:]
        return [f"Ace wrote no report (exit {proc.returncode}): {output or 'no output'}"]
    problems = [f"{a.get('earl:testSubject', {}).get('url')}: {r['earl:test']['dct:title']}: "
                f"{r['earl:result'].get('dct:description', '')[:200]}"
                for a in report.get("assertions", []) for r in a.get("assertions", [])
                if r["earl:result"]["earl:outcome"] == "fail"]
    if not problems and report["earl:result"]["earl:outcome"] != "pass":
        problems.append(f"outcome {report['earl:result']['earl:outcome']}")
    return problems


def pdf_fonts(path: Path, families: tuple[str, ...] = ("Gentium Book Plus",)) -> list[str]:
    """Problems with fonts: not embedded, not subset, or not one of the book's families (a fallback).
    Fonts are looked for in the pages and in the forms they draw (the assembled pages are forms)."""
    names = tuple(f.replace(" ", "") for f in families)
    problems = []
    with pikepdf.open(path) as pdf:
        fonts = _fonts_used(pdf)
        if not fonts:
            return ["no fonts found in the pages (text drawn as outlines, or nothing checked)"]
        for base, font in sorted(fonts.items()):
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                       "/FontFile3")):
                problems.append(f"{base} is not embedded")
            if not re.match(r"^/[A-Z]{6}\+", base):
                problems.append(f"{base} is not subset")
            if not base[8:].replace("-", "").startswith(names):
                problems.append(f"{base} is a fallback font (not the book's family)")
    return problems


def _fonts_used(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    found: dict[str, pikepdf.Dictionary] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for holder in drawn(page.obj, seen):
            for _name, font in ((holder.get("/Resources") or {}).get("/Font") or {}).items():
                found.setdefault(str(font.get("/BaseFont", "")), font)
    return found


def page_texts(path: Path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def polish_letters(path: Path, sources: list[str]) -> list[str]:
    """Every Polish letter of the manuscript must come back out of the PDF's text layer."""
    text = unicodedata.normalize("NFC", "".join(page_texts(path)))
    wanted = {c for s in sources for c in s if c in POLISH}
    missing = sorted(wanted - set(text))
    return [f"letters not extractable: {''.join(missing)}"] if missing else []


_UNPRINTED = re.compile(r"(?<=\])\((?:<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)"  # ](destination "title")
                        r"|<!--.*?-->|</?[A-Za-z][^>]*>", re.S)


def _printed(source: SourceFile) -> str:
    """What of a source the PDF prints: a chapter's Markdown whole, of book.yaml the printed keys."""
    if source.path.name != CONFIG_NAME:
        # Less what is never printed: link and image destinations ("mapa łódź.png" is a file's name),
        # HTML tags and comments.
        return _UNPRINTED.sub("", source.text)
    config, _problems = parse_config(source.text, source.path)
    if config is None:
        return ""
    values = (getattr(config, key) for key in PRINTED_KEYS)
    return " ".join(" ".join(v) if isinstance(v, tuple) else v or "" for v in values)


def booklet_order(booklet: Path, single: Path) -> list[str]:
    """Each page's place on the sheets must hold the text of the single page that belongs there:
    2-up (landscape sheets, two pages a side) or 4-up (portrait sheets, two rows of two)."""
    from ..writers.imposition import four_up_order, padded_count, saddle_stitch_order

    singles = [_comparable(t) for t in page_texts(single)]
    pdf = pypdfium2.PdfDocument(str(booklet))
    w, h = pdf[0].get_size()
    up = 2 if w > h else 4
    n = padded_count(len(singles), up)
    sides = [[(0, pair)] for pair in saddle_stitch_order(n)] if up == 2 else \
        [[(0, top), (1, bottom)] for top, bottom in four_up_order(n)]
    rows = 1 if up == 2 else 2
    problems = []
    # With --booklet-cover (2-up) the first two sides are the cover's outside and the blank inside covers.
    first = 2 if len(pdf) == len(sides) + 2 else 0
    if first and pdf[1].get_textpage().get_text_range().strip():
        problems.append("the inside of the cover sheet is not blank")
    try:
        for side in range(first, len(pdf)):
            page = pdf[side]
            w, h = page.get_size()
            tp = page.get_textpage()
            for row, pair in sides[side - first]:
                bottom = h - (row + 1) * h / rows
                for half, (left, number) in enumerate(zip((0, w / 2), pair, strict=True)):
                    got = _comparable(tp.get_text_bounded(left=left, bottom=bottom, right=left + w / 2,
                                                          top=bottom + h / rows))
                    want = singles[number - 1] if number <= len(singles) else ""
                    if got != want:
                        where = f"{'top' if row == 0 else 'bottom'} " if rows == 2 else ""
                        problems.append(f"sheet side {side + 1 - first}, {where}"
                                        f"{'left' if half == 0 else 'right'}: expected page {number}")
    finally:
        pdf.close()
    return problems


def _comparable(text: str) -> str:
    """A page's text without spaces and hyphens: pdfium reports a line broken at a hyphen differently
    when it reads a whole page (U+FFFE) and when it reads a rectangle of it (U+0002)."""
    return re.sub(r"[\s\x02\u00ad\u2010\ufffe\ufffd-]+", "", text)


def bag_valid(folder: Path) -> list[str]:
    import bagit

    try:
        bagit.Bag(str(folder)).validate(processes=1)
    except bagit.BagError as exc:
        return [str(exc)[:300]]
    return []


def check_outputs(result: Result, root: Path) -> list[Check]:
    """The outputs checked by their consumers; what the PDF must print is read again from the
    manuscript folder `root` (the build lets go of it, and an up-to-date build never reads it)."""
    from ..source import manuscript

    outputs = {o.edition + (":dir" if o.path.is_dir() else ""): o for o in result.outputs}
    sources = [_printed(s) for s in manuscript.load(root)[1]]
    checks: list[Check] = []

    def run(edition: str, name: str, fn: Callable[[], list[str]]) -> None:
        try:
            problems = fn()
        except Exception as exc:  # a validator crash is a failed check, reported, not a traceback
            problems = [f"{type(exc).__name__}: {exc}"]
        checks.append(Check(edition, name, not problems, "; ".join(problems[:5])))

    if pdf := outputs.get("pdf"):
        run("pdf", "fonts embedded, subset, no fallback", lambda: pdf_fonts(pdf.path, result.font_families))
        run("pdf", "text extractable, Polish letters included", lambda: polish_letters(pdf.path, sources))
    if epub := outputs.get("epub"):
        run("epub", "EPUBCheck", lambda: epubcheck(epub.path))
        # Ace (npm and Chromium) is optional on a desktop; `make test` and CI install it. Said, not hidden.
        name = "DAISY Ace accessibility"
        if ace_command() is not None or os.environ.get("CI"):
            run("epub", name, lambda: ace(epub.path, epub.path.parent / ".kolofon-cache"))
        else:
            checks.append(Check("epub", name, True, "skipped: not installed (make ace-tools)"))
    for edition in ("print", "cover"):
        if printed := outputs.get(edition):
            run(edition, "PDF/X structure (output intent, XMP, Trapped, boxes, no RGB)",
                lambda path=printed.path: pdfx_structure(path))
            run(edition, "fonts embedded, subset, no fallback",
                lambda path=printed.path: pdf_fonts(path, result.font_families))
            run(edition, "text on the black plate only (Ghostscript inkcov)",
                lambda path=printed.path: text_on_black_only(path))
    if booklet := outputs.get("booklet"):
        name = "page order against the single pages"
        if pdf:
            run("booklet", name, lambda: booklet_order(booklet.path, pdf.path))
        else:  # said, not silently passed over (QA sweep: `-e booklet --check` reported nothing)
            checks.append(Check("booklet", name, True, "skipped: needs the pdf edition (add -e pdf)"))
    if folder := outputs.get("archive:dir"):
        run("archive", "BagIt validation", lambda: bag_valid(folder.path))
        pdfa = next(folder.path.glob("data/*-pdfa.pdf"), None)

        def preflight() -> list[str]:
            if pdfa is None:
                return ["no PDF/A copy in the bag"]
            if not preflight_available():
                return ["PDFBox Preflight is not installed (apt-get install libpdfbox2-java)"]
            return run_preflight(pdfa)

        run("archive", "PDF/A-1b (PDFBox Preflight)", preflight)
        run("archive", "fonts embedded in the PDF/A copy",
            lambda: pdf_fonts(pdfa, result.font_families) if pdfa else ["no copy"])
    return checks


def report(checks: list[Check], outputs: list[Output] | None = None) -> str:
    """One line per check, then a table: edition, pages, size, validators, verdict."""
    lines = [f"{'ok  ' if c.ok else 'FAIL'} {c.edition:8} {c.name}" + (f": {c.detail}" if c.detail else "")
             for c in checks]
    rows = [("edition", "pages", "size", "checks", "verdict")]
    for out in outputs or []:
        if out.path.is_dir():
            continue
        mine = [c for c in checks if c.edition == out.edition]
        verdict = "-" if not mine else "pass" if all(c.ok for c in mine) else "FAIL"
        size = f"{out.size / 1024:,.0f} KiB"
        rows.append((out.edition, str(out.pages or "-"), size, str(len(mine)), verdict))
    if len(rows) > 1:
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        lines += ["", *("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)]
    failed = sum(not c.ok for c in checks)
    lines.append(f"checks: {len(checks) - failed} passed, {failed} failed")
    return "\n".join(lines)
