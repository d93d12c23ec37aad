"""Images and other resources: only files inside the manuscript (or kolofon's templates) are ever read.

Checked twice on purpose: every <img> is validated here before anything is laid out (so the user gets
file:line), and the layout's fetcher (layout/engine.py) refuses anything else at run time (defence in
depth: CSS and raw HTML can name URLs too)."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from ..diagnostics import Diagnostic, error, line_of, warning

if TYPE_CHECKING:
    from PIL import Image, ImageCms

    from ..model import SourceFile  # not at run time: the layout server imports drawable() from here

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _line(source: SourceFile, src: str) -> int | None:
    """The line of an image's name in its source, written as it is or as a URL ("my%20map.png")."""
    pos = source.text.find(src)
    if pos < 0:
        pos = source.text.find(quote(src))
    return line_of(source.text, pos) if pos >= 0 else None


def check_image(root: Path, src: str, source: SourceFile) -> Diagnostic | None:
    """`src`: the file's name as the model holds it (convert.py decodes a Markdown image's URL)."""
    line = _line(source, src)
    if _SCHEME.match(src):
        return error("K502", f"image '{src[:60]}' is a URL: only files inside the manuscript folder are "
                             "used (nothing is fetched); save it under images/", source.path, line)
    if src.startswith(("/", "\\")):
        return error("K503", f"image '{src}' is an absolute path: give it relative to the manuscript",
                     source.path, line)
    target = (root / src).resolve()
    if not target.is_relative_to(root.resolve()):
        return error("K503", f"image '{src}' points outside the manuscript folder", source.path, line)
    if not target.is_file():
        what = "is a folder, not an image file" if target.is_dir() else "does not exist"
        return error("K501", f"image '{src}' {what}", source.path, line)
    if (problem := unreadable(target)) is not None:
        return error("K510", f"image '{src}' cannot be read as an image ({problem}): export it again "
                             "from the program that made it", source.path, line)
    return None


def unreadable(path: Path) -> str | None:
    """What is wrong with a file that is no image, or a damaged one; None for a sound one. A damaged
    image printed its alt text instead, or half a picture over a black block, without a word. Cheap:
    a PNG's chunks are checked (verify), a JPEG must end with its end marker; nothing is decoded."""
    if path.suffix.lower() == ".svg":
        from lxml import etree

        try:
            root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
        except etree.XMLSyntaxError as exc:
            return f"not well-formed SVG: {exc}"
        return None if etree.QName(root).localname == "svg" else "an XML file, not SVG"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind = image.format
            image.verify()
    except UnidentifiedImageError:
        return "not a picture in a format kolofon reads: PNG, JPEG, GIF, WebP, TIFF or SVG"
    except Exception as exc:  # Pillow raises what the damage makes it raise: say it, never crash
        return str(exc) or type(exc).__name__
    if kind == "JPEG" and not path.read_bytes().rstrip(b"\0").endswith(b"\xff\xd9"):
        return "the JPEG ends before its end marker: the file is cut short"
    return None


def natural_width(path: Path) -> tuple[int, float | None] | None:
    """(width in pixels, its resolution in pixels per inch when the file states one a printer would
    mean), or None for a file Pillow does not read (SVG)."""
    return _natural_width(path, path.stat().st_mtime if path.exists() else 0.0)


@functools.lru_cache(maxsize=256)
def _natural_width(path: Path, mtime: float) -> tuple[int, float | None] | None:
    # `mtime` keys the cache to the file's state (--watch keeps this process).
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, dpi = image.size[0], image.info.get("dpi")
    except OSError:
        return None
    ppi = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else None
    # 72 and 96 are screen defaults, not a statement; below 100 or above 2400 is no print resolution.
    return width, ppi if ppi is not None and 100 <= ppi <= 2400 else None


def print_resolution(root: Path, src: str, source: SourceFile, text_width_mm: float) -> Diagnostic | None:
    """A warning for an image below 300 ppi at its printed size: the layout sets an image at its stated
    resolution or its size in CSS pixels (96 to the inch), never wider than the text block."""
    found = natural_width(root / src)
    if found is None:
        return None  # not an image Pillow reads (SVG): nothing to measure
    width, stated = found
    printed_in = min(width / (stated or 96), text_width_mm / 25.4)
    ppi = width / printed_in
    if round(ppi) >= 300:  # a file saved at 300 ppi reads back as 299.9994
        return None
    line = _line(source, src)
    return warning("K506", f"image '{src}' prints at {ppi:.0f} ppi ({width} px across "
                           f"{printed_in * 25.4:.0f} mm): a print shop wants 300; give it at least "
                           f"{round(300 * printed_in)} px across, or set it smaller", source.path, line)


_IMG_RE = re.compile(r"<img\b[^>]*>")
_ALT_RE = re.compile(r'\salt="([^"]*)"')
_SRC_RE = re.compile(r'\ssrc="([^"]*)"')


def without_alt(body_html: str) -> tuple[int, list[str]]:
    """(how many images the HTML shows, the sources of those without a text alternative)."""
    tags = _IMG_RE.findall(body_html)
    bare = [tag for tag in tags if not (alt := _ALT_RE.search(tag)) or not alt.group(1).strip()]
    return len(tags), [unquote(src.group(1)) if (src := _SRC_RE.search(tag)) else "?" for tag in bare]


def missing_alt(body_html: str, source: SourceFile) -> list[Diagnostic]:
    """Images without a text alternative: a reader who cannot see them (screen readers, the EPUB's
    accessibility claim) gets nothing. A warning; --strict makes it an error."""
    diags = []
    after: dict[str, int] = {}  # the same picture without words twice: each at its own line
    for name in without_alt(body_html)[1]:
        # The Markdown image with empty brackets, not the first mention of its file (a figure of the
        # same picture with a caption may come first); raw HTML's <img> falls back to the file name.
        empty = re.compile(rf"!\[\s*\]\(\s*<?{re.escape(name)}")
        found = empty.search(source.text, after.get(name, 0))
        pos = found.start() if found else source.text.find(name)
        after[name] = pos + 1
        line = line_of(source.text, pos) if pos >= 0 else None
        diags.append(warning("K507", f"image '{name}' has no text alternative: describe it between the "
                                     "brackets, ![what it shows](…)", source.path, line))
    return diags


# ---------------------------------------------------------------------------------------------------
# Images as WeasyPrint draws them (the layout's fetcher, layout/engine.py, serves these bytes)

# What WeasyPrint 70 draws faithfully (its RasterImage converts "1" and "P" to RGB itself). Any other
# mode it labels DeviceRGB over too little data ("Unknown image mode": a scanner's 16-bit grey PNG
# printed as a black box, and the print edition's recolouring failed on it), widens "I" to RGB by
# clipping (a 16-bit scan turns white), or cannot save at all (CMYK outside a JPEG).
_DRAWN_AS_IS = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})
_RASTER_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/tiff", "image/bmp", "image/webp"})
# Wider greys (16-bit PNG, TIFF) to 8 bits: 65535 is white.
_WIDE_GREY = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")
# Modes with an alpha channel of their own, and the 8-bit mode each becomes.
_WITH_ALPHA = {"La": "LA", "PA": "RGBA", "RGBa": "RGBA"}
# Assumed for a CMYK image that carries no profile: the press standard most European CMYK files are
# separated for, and the print edition's default (writers/pdfx.py).
_ASSUMED_CMYK = "icc/CoatedFOGRA39-kolofon.icc"


def drawable(data: bytes, mime: str) -> bytes | None:
    """The image as an 8-bit PNG WeasyPrint draws correctly, or None when it draws the file as it is
    (then the file's bytes reach the PDF unchanged, as before: a JPEG stays the same JPEG).

    A CMYK JPEG is left as it is: the print edition keeps its separation, and the archive's PDF/A
    copy converts it to sRGB (writers/pdfa.py). The conversion is a function of the bytes alone, so
    builds stay reproducible."""
    if mime not in _RASTER_TYPES:
        return None
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.mode in _DRAWN_AS_IS or (image.mode == "CMYK" and image.format in ("JPEG", "MPO")):
                return None
            image.load()
            eight_bit = _eight_bit(ImageOps.exif_transpose(image))
    except (OSError, ValueError, SyntaxError):
        return None  # not an image Pillow reads: WeasyPrint reports it as it does any broken image
    out = io.BytesIO()
    eight_bit.save(out, format="PNG", compress_level=6)  # no metadata, no timestamps: the same bytes
    return out.getvalue()


def _eight_bit(image: Image.Image) -> Image.Image:
    """The image in a mode of _DRAWN_AS_IS, looking the same."""
    if image.mode in _WIDE_GREY:
        return _grey(image)
    if image.mode in _WITH_ALPHA:
        return image.convert(_WITH_ALPHA[image.mode])
    if image.mode == "CMYK":
        return cmyk_to_srgb(image)
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")  # LAB, HSV, YCbCr, RGBX...


def _grey(image: Image.Image) -> Image.Image:
    """16-bit (or 32-bit) grey to 8-bit, rounded; a transparent grey value (PNG tRNS) becomes alpha."""
    wide = image.convert("F") if image.mode == "F" else image.convert("I")
    scale = _grey_scale(image.mode, wide.getextrema()[1])
    grey = wide.point(lambda v: v * scale + 0.5).convert("L")
    transparent = image.info.get("transparency")
    if not isinstance(transparent, int):
        return grey
    from PIL import ImageMath

    alpha = ImageMath.lambda_eval(lambda a: (a["v"] != transparent) * 255, v=wide).convert("L")
    grey.putalpha(alpha)
    return grey


def _grey_scale(mode: str, top: float) -> float:
    """What takes the grey's white to 255. I;16 is 16-bit (a PNG or a scanner's TIFF); a float image
    is 0..1 (or already 0..255); a 32-bit "I" names no depth: 16-bit when a value says it is."""
    if mode == "F":
        return 255.0 if top <= 1 else 1.0
    if mode == "I":
        return 1 / 257 if top > 255 else 1.0
    return 1 / 257


def cmyk_to_srgb(image: Image.Image) -> Image.Image:
    """A CMYK image in sRGB through its own ICC profile, else through the assumed FOGRA39 (what
    Photoshop assumes in Europe), relative colorimetric, as the print edition converts the other way;
    a profile littleCMS cannot use gives Pillow's naive formula rather than no picture."""
    from PIL import ImageCms

    embedded = image.info.get("icc_profile")
    for profile in ((embedded,) if embedded else ()) + (_assumed_cmyk(),):
        try:
            return ImageCms.profileToProfile(image, _profile(profile), _srgb(), outputMode="RGB",
                                             renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
        except (ImageCms.PyCMSError, OSError, ValueError):
            continue
    return image.convert("RGB")


def _assumed_cmyk() -> bytes:
    from ..themes import TEMPLATES

    return (TEMPLATES / _ASSUMED_CMYK).read_bytes()


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _profile(data: bytes) -> ImageCms.ImageCmsProfile:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(io.BytesIO(data))


# ---------------------------------------------------------------------------------------------------
# Text inside SVG images (K509), checked before the layout with the other characters (design.coverage)

# An SVG named anywhere in a source: a Markdown image or reference, raw HTML's src, book.yaml's cover.
_SVG_REF = re.compile(r"""(?<![\w/.%-])([\w./%-]+\.svg)(?![\w.])""", re.IGNORECASE)
_FAMILY_DECL = re.compile(r"font-family\s*:\s*([^;}\"]+)", re.IGNORECASE)
_TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})


@dataclass(frozen=True)
class SvgText:
    line: int  # where it stands in the SVG file
    family: str | None  # the first family of its font-family list, inherited; None: none named
    text: str


def svg_files(root: Path, sources: Sequence[SourceFile]) -> list[Path]:
    """The SVG files inside the manuscript that the sources name, each once, in order."""
    found: dict[Path, None] = {}
    inside = root.resolve()
    for source in sources:
        if ".svg" not in source.text.lower():  # most books name none: skip the pattern's scan
            continue
        for match in _SVG_REF.finditer(source.text):
            path = (root / unquote(match.group(1))).resolve()
            if path.is_relative_to(inside) and path.is_file():
                found[path] = None
    return list(found)


def svg_texts(data: bytes) -> tuple[list[SvgText], list[tuple[int, str]]]:
    """The SVG's text runs with their fonts, and the families its <style> sheets declare (line, family).
    Presentation attributes and style="" are inherited as SVG inherits them; a <style> rule's selector
    is not matched (a run that names no family of its own then counts as styled by the sheet)."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    stack: list[tuple[str, str | None]] = []  # (element, family) of the open elements
    runs: list[SvgText] = []
    sheet: list[tuple[int, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        family = _family(attrs) or (stack[-1][1] if stack else None)
        stack.append((name.rpartition(" ")[2], family))

    def end(_name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        local = stack[-1][0] if stack else ""
        line = parser.CurrentLineNumber
        if local == "style":
            sheet.extend((line + data[:m.start()].count("\n"), _first_family(m.group(1)))
                         for m in _FAMILY_DECL.finditer(data))
        elif data.strip() and local not in ("title", "desc") and \
                any(element in _TEXT_ELEMENTS for element, _family in stack):
            runs.append(SvgText(line, stack[-1][1], data))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = chars
    parser.Parse(data, True)
    return runs, sheet


def _family(attrs: dict[str, str]) -> str | None:
    """The first family an element names itself (style="" beats the attribute, as in CSS)."""
    declared = _FAMILY_DECL.search(attrs.get("style", ""))
    if declared:
        return _first_family(declared.group(1))
    return _first_family(attrs["font-family"]) if "font-family" in attrs else None


def _first_family(value: str) -> str:
    return value.split(",")[0].strip().strip("'\"").strip()


def svg_font_problems(root: Path, sources: Sequence[SourceFile],
                      faces: Mapping[str, Path]) -> list[Diagnostic]:
    """An error (K509) for text in an SVG image that is not set in one of the book's faces (`faces`:
    @font-face family to its regular file), at the SVG's line; K804 for characters the face lacks.

    An error, as a character the fonts lack is (K804): WeasyPrint would set the text in whatever
    system font the machine has (DejaVu Sans here), which nobody chose or licensed for the book,
    which differs from machine to machine, and which the build's own --check then fails."""
    from ..fonts import uncovered_characters
    from ..model import SourceFile

    known = {name.casefold(): path for name, path in faces.items()}
    diags: list[Diagnostic] = []
    for path in svg_files(root, sources):
        try:
            runs, sheet = svg_texts(path.read_bytes())
        except Exception:  # not well-formed: WeasyPrint reports it as a broken image, nothing to read
            continue
        named = [(line, family) for line, family in sheet if family.casefold() not in known]
        named += [(r.line, r.family or "") for r in runs if (r.family or "").casefold() not in known
                  and not (r.family is None and sheet)]
        diags += [_svg_font_error(path, line, family, faces) for line, family in dict.fromkeys(named)]
        by_face: dict[Path, list[SvgText]] = {}
        for run in runs:
            if run.family is not None and run.family.casefold() in known:
                by_face.setdefault(known[run.family.casefold()], []).append(run)
        for face, face_runs in by_face.items():
            diags += uncovered_characters([SourceFile(path, _placed(face_runs))], face)
    return diags


def _svg_font_error(path: Path, line: int, family: str, faces: Mapping[str, Path]) -> Diagnostic:
    first, *others = faces
    also = f" (or {', '.join(repr(name) for name in others)})" if others else ""
    what = f"is set in font-family '{family}', not one of the book's faces" if family else \
        "names no font-family"
    return error("K509", f"text in this SVG image {what}: the PDF would print it in a system font; "
                         f"convert the text to paths, or name the book's face: font-family=\"{first}\"{also}",
                 path, line)


def _placed(runs: list[SvgText]) -> str:
    """The runs' text, each on its own line of the SVG (what K804 reports)."""
    lines = [""] * max(run.line for run in runs)
    for run in runs:
        lines[run.line - 1] += " " + run.text.replace("\n", " ")
    return "\n".join(lines)
