"""PDF/X for the print edition: every colour in the output intent's CMYK, black in K alone, and the
output intent, metadata and boxes a print shop's preflight asks for (ISO 15930-7 for PDF/X-4, 15930-4
for PDF/X-1a). WeasyPrint's own PDF/X variants only add metadata; the colours it writes stay RGB.

Black and grays (r = g = b) become K only: four-colour black converted from RGB prints with colour
fringes on small type. Other colours and RGB images go through littleCMS (Pillow's ImageCms) from sRGB
to the output profile, relative colorimetric."""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream, String
from PIL import Image, ImageCms

from ..config import BookConfig
from ..themes import TEMPLATES
from .forms import drawn, images
from .meta import PdfxError
from .xmp import ArchivalMetadata, write_metadata

LOG = logging.getLogger(__name__)
FOGRA39 = TEMPLATES / "icc" / "CoatedFOGRA39-kolofon.icc"
VARIANTS = {"x-4": ("PDF/X-4", "1.6"), "x-1a": ("PDF/X-1a:2003", "1.4")}




@dataclass(frozen=True)
class PrintSpec:
    variant: str = "x-4"  # x-4 | x-1a
    profile: Path = FOGRA39  # the printing condition's CMYK profile (the printer's own, or FOGRA39)
    condition: str = "FOGRA39"  # OutputConditionIdentifier: a registered name, or the printer's own
    info: str = "Coated FOGRA39 (ISO 12647-2:2004), characterization data FOGRA39L"


def print_spec(config: BookConfig, root: Path) -> PrintSpec:
    """The print shop's settings from book.yaml (print:), checked when the config was read."""
    given = dict(config.print)
    spec = PrintSpec(variant=given.get("pdfx", "x-4"))
    if "icc" in given:  # the printer's own profile: its name is the condition unless one is given
        path = root / given["icc"]
        spec = PrintSpec(spec.variant, path, given.get("condition", path.stem),
                         f"{path.name} (the printer's own profile)")
    return spec


class Inks:
    """RGB to the output's CMYK; grays to K alone."""

    def __init__(self, profile: bytes):
        self.transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(io.BytesIO(profile)), "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)

    @functools.cache  # noqa: B019 (one Inks per edition; colours repeat on every page)
    def cmyk(self, r: float, g: float, b: float) -> tuple[float, float, float, float]:
        if abs(r - g) < 1e-3 and abs(g - b) < 1e-3:
            return (0.0, 0.0, 0.0, round(1 - r, 4))
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (r, g, b)))
        c, m, y, k = ImageCms.applyTransform(pixel, self.transform).getpixel((0, 0))
        return tuple(round(v / 255, 4) for v in (c, m, y, k))  # type: ignore[return-value]

    def image(self, rgb: Image.Image) -> Image.Image:
        return ImageCms.applyTransform(rgb.convert("RGB"), self.transform)


def to_pdfx(pdf: Pdf, spec: PrintSpec, meta: ArchivalMetadata, moment: dt.datetime) -> str:
    """Make `pdf` (the print edition, boxes already set) a PDF/X file in place; returns the PDF version
    to save it with."""
    name, version = VARIANTS[spec.variant]
    profile = spec.profile.read_bytes()
    inks = Inks(profile)
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _recolor(pdf, page.obj, inks, done)
        if spec.variant == "x-1a" and "/Group" in page.obj:
            del page.obj["/Group"]  # a page group only matters with transparency, which X-1a forbids
    if spec.variant == "x-1a":
        _refuse_transparency(pdf)
    icc = pdf.make_stream(profile)
    icc.N = 4
    pdf.Root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=String(spec.condition),
        RegistryName=String("http://www.color.org"), Info=String(spec.info), DestOutputProfile=icc)])
    write_metadata(pdf, meta, moment, standard=name)
    return version


def _recolor(pdf: Pdf, page: Dictionary, inks: Inks, done: set[tuple[int, int]]) -> None:
    """Rewrite the colours of a page and of every form it draws, then of the images they use."""
    for holder in drawn(page, done):
        spaces = (holder.get("/Resources") or Dictionary()).get("/ColorSpace", Dictionary())
        data = pikepdf.unparse_content_stream(_recolored(pikepdf.parse_content_stream(holder), spaces, inks))
        if isinstance(holder, Stream):
            holder.write(data)
        else:  # a page: its content becomes one stream
            holder.Contents = pdf.make_stream(data)
        for image in images(holder):
            if image.objgen not in done:
                done.add(image.objgen)
                _recolor_image(image, inks)


def _recolored(instructions: list, spaces: Dictionary, inks: Inks) -> list:
    """The content stream's instructions with every RGB or gray colour in CMYK (grays in K alone)."""
    out = []
    rgb = {"fill": False, "stroke": False}
    for instruction in instructions:
        operands, operator = instruction
        op = str(operator)
        if op not in _COLOUR_OPERATORS:  # most of a page (text, positions): kept as it is (measured)
            out.append(instruction)
            continue
        values = _numbers(operands)
        if op in ("cs", "CS"):
            side = "fill" if op == "cs" else "stroke"
            rgb[side] = _is_rgb(operands[0], spaces)
            if rgb[side]:
                operands = [Name.DeviceCMYK]
        elif op in ("rg", "RG") and values is not None:
            operands, operator = list(inks.cmyk(*values)), pikepdf.Operator("k" if op == "rg" else "K")
        elif op in ("g", "G") and values is not None:
            operands = [0, 0, 0, round(1 - values[0], 4)]
            operator = pikepdf.Operator("k" if op == "g" else "K")
        elif op in ("sc", "scn", "SC", "SCN") and values is not None and len(values) == 3 and \
                rgb["fill" if op.islower() else "stroke"]:
            operands = list(inks.cmyk(*values))
        out.append(pikepdf.ContentStreamInstruction(operands, operator))
    return out


_COLOUR_OPERATORS = frozenset({"cs", "CS", "rg", "RG", "g", "G", "sc", "scn", "SC", "SCN"})


def _numbers(operands: list[object]) -> list[float] | None:
    """The operands as numbers, or None when one is not (a pattern's name, say)."""
    try:
        return [float(v) for v in operands]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _is_rgb(space: object, spaces: Dictionary) -> bool:
    if isinstance(space, Name) and str(space) in spaces:
        space = spaces[str(space)]
    if isinstance(space, Name):
        return space == Name.DeviceRGB
    if isinstance(space, Array) and len(space) == 2 and space[0] == Name.ICCBased:
        return int(space[1].get("/N", 0)) == 3
    return False


def _recolor_image(image: Stream, inks: Inks) -> None:
    space = image.get("/ColorSpace")
    if space is None or not _is_rgb(space, Dictionary()):
        return
    try:
        pil = pikepdf.PdfImage(image).as_pil_image()
    except (ValueError, NotImplementedError, OSError, pikepdf.PdfError) as exc:
        # Data that does not match its own dictionary (WeasyPrint's "Unknown image mode" used to write
        # such images; the layout's fetcher now gives it 8-bit ones): one picture left in RGB is a
        # print shop's question, a crash would lose every edition.
        LOG.warning("PDF/X: an image of %sx%s px could not be decoded (%s): left in RGB",
                    image.get("/Width"), image.get("/Height"), exc)
        return
    cmyk = inks.image(pil)
    image.write(zlib.compress(cmyk.tobytes(), 9), filter=Name.FlateDecode)
    image.ColorSpace = Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _refuse_transparency(pdf: Pdf) -> None:
    """PDF/X-1a allows no transparency: soft masks and constant alpha below 1 are errors."""
    for obj in pdf.objects:
        if isinstance(obj, Stream) and obj.get("/Subtype") == "/Image" and "/SMask" in obj:
            raise PdfxError("an image with transparency (a soft mask): PDF/X-1a cannot hold it; "
                            "use PDF/X-4 (print: {pdfx: x-4}) or flatten the image")
        if isinstance(obj, Dictionary) and obj.get("/Type") == "/ExtGState":
            for key in ("/ca", "/CA"):
                if key in obj and float(obj[key]) < 1:
                    raise PdfxError("transparent drawing (opacity below 1): PDF/X-1a cannot hold it; "
                                    "use PDF/X-4 (print: {pdfx: x-4})")
