"""What a print shop's preflight checks in the print and cover editions, with our own tools: no free
PDF/X validator exists. The structure (output intent, XMP version, Trapped, boxes, no RGB, fonts) is
read with pikepdf; the inks are measured by Ghostscript's `inkcov` device inside the trim."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
from pikepdf import Name, Pdf, Stream

from ..writers.forms import drawn, images

RGB_OPERATORS = ("rg", "RG")
CMYK_OPERATORS = ("k", "K", "sc", "SC", "scn", "SCN")
HUE = 0.02  # C, M and Y further apart than this: a colour, not a grey converted to four inks


def ghostscript() -> str | None:
    return shutil.which("gs")


def pdfx_structure(path: Path) -> list[str]:
    """Problems with the file as PDF/X-4 or PDF/X-1a (whichever its XMP declares)."""
    problems: list[str] = []
    with Pdf.open(path) as pdf:
        metadata = pdf.Root.get("/Metadata")
        xmp = bytes(metadata.read_bytes()).decode("utf-8", "replace") if metadata is not None else ""
        declared = re.search(r"<pdfxid:GTS_PDFXVersion>([^<]+)<", xmp)
        version = declared.group(1) if declared else None
        if version not in ("PDF/X-4", "PDF/X-1a:2003"):
            problems.append(f"XMP declares no PDF/X version we make (pdfxid:GTS_PDFXVersion: {version})")
        intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFX]
        if len(intents) != 1:
            problems.append("not exactly one output intent of subtype GTS_PDFX")
        elif int(intents[0].get("/DestOutputProfile", pikepdf.Dictionary()).get("/N", 0)) != 4:
            problems.append("the output intent has no CMYK profile (DestOutputProfile with N 4)")
        if pdf.trailer.get("/Info", {}).get("/Trapped") not in (Name("/False"), Name("/True")) or \
                "<pdf:Trapped>" not in xmp:
            problems.append("Trapped is not set to True or False in Info and XMP")
        for number, page in enumerate(pdf.pages, 1):
            problems += _boxes(page, number)
        problems += _rgb(pdf)
        if version == "PDF/X-1a:2003":
            problems += _transparency(pdf)
    return problems


def _boxes(page: pikepdf.Page, number: int) -> list[str]:
    obj = page.obj
    if "/TrimBox" not in obj or "/BleedBox" not in obj:
        return [f"page {number}: no TrimBox or BleedBox"]
    media, bleed, trim = ([float(v) for v in obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox"))

    def inside(a: list[float], b: list[float]) -> bool:
        return a[0] >= b[0] - 0.01 and a[1] >= b[1] - 0.01 and a[2] <= b[2] + 0.01 and a[3] <= b[3] + 0.01

    if not (inside(trim, bleed) and inside(bleed, media)):
        return [f"page {number}: TrimBox, BleedBox and MediaBox are not nested"]
    if inside(media, bleed):
        return [f"page {number}: no room outside the bleed for the crop marks (MediaBox = BleedBox)"]
    return []


def _rgb(pdf: Pdf) -> list[str]:
    """RGB anywhere the pages reach: colour operators and images (the output intent is CMYK)."""
    problems: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, 1):
        for holder in drawn(page.obj, seen):
            if set(RGB_OPERATORS) & {str(op) for _operands, op in pikepdf.parse_content_stream(holder)}:
                problems.add(f"RGB colour on page {number}")
            if any(image.get("/ColorSpace") == Name.DeviceRGB for image in images(holder)):
                problems.add(f"an RGB image on page {number}")
    return sorted(problems)[:10]


def _transparency(pdf: Pdf) -> list[str]:
    problems = []
    for obj in pdf.objects:
        if isinstance(obj, Stream) and "/SMask" in obj:
            problems.append("a soft mask (transparency), which PDF/X-1a forbids")
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/ExtGState" and \
                any(float(obj.get(k, 1)) < 1 for k in ("/ca", "/CA")):
            problems.append("opacity below 1, which PDF/X-1a forbids")
    return sorted(set(problems))


def text_on_black_only(path: Path) -> list[str]:
    """Pages without images must put ink on the black plate only (C, M and Y coverage zero), measured
    inside the trim so that the crop marks (registration colour) do not count."""
    gs = ghostscript()
    if gs is None:
        return ["Ghostscript is not installed (apt-get install ghostscript)"]
    proc = subprocess.run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dUseTrimBox", "-sDEVICE=inkcov",
                           "-o", "-", str(path)], capture_output=True, text=True, timeout=600)
    rows = [line.split()[:4] for line in proc.stdout.splitlines() if line.strip().endswith("OK")]
    if proc.returncode != 0 or not rows:
        return [f"Ghostscript failed (exit {proc.returncode}): {proc.stderr.strip()[:200]}"]
    with Pdf.open(path) as pdf:
        inked = [i for i, (c, m, y, _k) in enumerate(rows) if max(float(c), float(m), float(y)) > 0]
        # Colour a stylesheet asks for (a dark blue heading) is meant to print in colour: only black
        # and greys must stay on the black plate, and a page that draws in a hue is explained by it.
        explained = {i for i in inked if _has_image(pdf.pages[i].obj) or _has_hue(pdf.pages[i].obj)}
    return [f"page {i + 1}: text page with colour ink (C {rows[i][0]}, M {rows[i][1]}, Y {rows[i][2]})"
            for i in inked if i not in explained]


def _has_hue(page: pikepdf.Object) -> bool:
    """Whether the page (or a form it draws) sets a CMYK colour that is not a grey (C = M = Y)."""
    for holder in drawn(page):
        if not isinstance(holder, Stream) and "/Contents" not in holder:
            continue
        for operands, operator in pikepdf.parse_content_stream(holder):
            if str(operator) in CMYK_OPERATORS and len(operands) == 4:
                c, m, y = (float(v) for v in operands[:3])
                if max(c, m, y) - min(c, m, y) > HUE:
                    return True
    return False


def _has_image(page: pikepdf.Object) -> bool:
    return any(True for holder in drawn(page) for _image in images(holder))
