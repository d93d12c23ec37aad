"""The archival PDF: WeasyPrint's output made into PDF/A-1b that Apache PDFBox Preflight accepts.

WeasyPrint 70 with ``pdf_variant="pdf/a-1b"`` gets most of the way (PDF 1.4, classic xref table,
/ID, CIDSet, sRGB OutputIntent, printable links) but not all of it, and the plain output gets little
of it. :func:`to_pdfa1b` therefore makes every PDF/A-1b requirement true itself, with pikepdf, rather
than trusting that the input was rendered with the right options:

* XMP metadata is rewritten from :class:`ArchivalMetadata`. WeasyPrint declares its namespaces on
  ``rdf:RDF`` only; PDFBox's xmpbox reads schemas from the ``rdf:Description`` that declares them and
  reports "Schema is not set … pdfa/ns/id/" — the one error Preflight finds in WeasyPrint's pdf/a-1b.
* The Info dictionary is rebuilt to hold exactly the keys mirrored in the XMP (ISO 19005-1 6.7.3).
* CIDSet is recomputed from each embedded font program (all CIDs the program holds, which is what
  veraPDF checks too), the font's ``head.modified`` stamp is pinned to the book's date (WeasyPrint's
  subsetter stamps the wall clock unless SOURCE_DATE_EPOCH is set, so the bytes changed per build).
* Transparency, forbidden in PDF/A-1, is removed: images with a soft mask are composited on white,
  constant alpha is set to 1, soft-mask graphics states and transparency groups are dropped.
  These change how the page looks, so each is reported through ``notes`` and the log.
* Forbidden or non-archival features go: JavaScript and other forbidden actions, additional
  actions (/AA), embedded files, optional content, image interpolation, hidden annotations.
* An sRGB OutputIntent is ensured; when the input has none, the ICC profile is generated here
  (:func:`srgb_icc_profile`), so no binary profile is vendored.
* The file is written as PDF 1.4 with a classic xref table (no object or xref streams), with a trailer
  /ID whose first half is fixed by the book's identifier and whose second half hashes the content.

Everything is a function of the input bytes and the metadata: no clock, no randomness.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import struct
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name, Pdf, Stream, String
from PIL import Image

from ..dates import moment_of
from ..pdfobjects import reachable
from ..source.images import cmyk_to_srgb
from . import readable
from .icc import srgb_icc_profile
from .xmp import ArchivalMetadata, clean_meta, write_metadata

LOG = logging.getLogger(__name__)

# The same rule as kolofon.dates: the book's date, else SOURCE_DATE_EPOCH, else the zip epoch.

_TTF_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)

SRGB_CONDITION = "sRGB IEC61966-2.1"

# ISO 19005-1 6.6.1: the only actions a PDF/A-1 file may carry, and the only named actions.
_ALLOWED_ACTIONS = frozenset({"/GoTo", "/GoToR", "/Thread", "/URI", "/Named", "/SubmitForm"})
_ALLOWED_NAMED = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
# 6.5.2: annotation types PDF/A-1 does not allow (multimedia, attachments, and types newer than 1.4).
_FORBIDDEN_ANNOTS = frozenset({"/Movie", "/Sound", "/FileAttachment", "/3D", "/Screen", "/RichMedia",
                               "/Watermark", "/Redact", "/Projection"})
# Annotation flags (PDF 1.4, 8.4.2): Invisible, Hidden, Print, NoView.
_F_INVISIBLE, _F_HIDDEN, _F_PRINT, _F_NOVIEW = 1, 2, 4, 32


class PdfaError(ValueError):
    """The input uses something that cannot be made PDF/A-1 here (e.g. an OpenType-CFF font)."""


def write_options(meta: ArchivalMetadata) -> dict[str, object]:
    """Extra ``write_pdf`` keyword arguments for the render that :func:`to_pdfa1b` will post-process.

    Only the variant: it makes WeasyPrint write PDF 1.4 without xref streams, leave attachments out
    and use its own ICC sRGB profile for the OutputIntent. No ``pdf_identifier``: the /ID is set by
    :func:`to_pdfa1b`, and kolofon.writers.pdf passes its own (the keyword would clash). Metadata need
    not be passed either — :func:`to_pdfa1b` replaces WeasyPrint's XMP and Info — so ``meta`` is
    accepted only to keep the call sites stable if an option ever depends on it.
    """
    del meta
    return {"pdf_variant": "pdf/a-1b"}


def to_pdfa1b(pdf_bytes: bytes | Path, meta: ArchivalMetadata, notes: list[str] | None = None) -> bytes:
    """Return ``pdf_bytes`` as a PDF/A-1b file; same input and metadata give the same bytes.

    ``notes`` (if given) receives one line per change that alters how a page looks (flattened
    transparency); these are also logged as warnings. Raises :class:`PdfaError` for inputs that
    cannot be repaired.

    The build's own copy is not made here but joined from the parts (archival.Archival), with the
    same repairs of every object (``_repaired``); this one also repairs a PDF's annotations and
    catalogue, which the assembly writes itself, and is what the tests hold the repairs to.
    """
    meta = clean_meta(meta)
    moment = archival_moment(meta.date)
    sink: list[str] = [] if notes is None else notes
    with pikepdf.open(readable(pdf_bytes)) as pdf:
        if pdf.is_encrypted:
            raise PdfaError("PDF/A forbids encryption")
        objects = list(reachable([pdf.trailer]))
        _fix_objects(pdf, objects, moment, sink)
        _fix_pages(pdf)
        _fix_catalog(pdf)
        _ensure_output_intent(pdf)
        write_metadata(pdf, meta, moment)
        # First half: who the book is (stable across editions and rebuilds); the second half is
        # computed by qpdf from the written content (deterministic_id), never from the clock.
        permanent = String(hashlib.md5(meta.identifier.encode()).digest())
        pdf.trailer.ID = Array([permanent, permanent])
        out = io.BytesIO()
        pdf.save(
            out,
            # PDF/A-1 is PDF 1.4: no object streams, no cross-reference streams.
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            force_version="1.4",
            deterministic_id=True,
            fix_metadata_version=False,  # our XMP carries no pdf:PDFVersion to fix
            compress_streams=True,  # qpdf leaves the XMP stream uncompressed, as 6.7.2 wants
            linearize=False,
        )
    for line in sink:
        LOG.warning("PDF/A-1b: %s", line)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# Dates


def archival_moment(date: str | None) -> dt.datetime:
    """Midnight UTC of ``date``; else SOURCE_DATE_EPOCH; else 1980-01-01 — never the clock."""
    return moment_of(date)


# ---------------------------------------------------------------------------------------------------
# Objects (each reached once by pdfobjects.reachable)


# The keys _fix_objects looks at: an object with none of them (most resource maps, content streams)
# needs nothing.
_CHECKED = frozenset({"/AA", "/A", "/Next", "/F", "/FFilter", "/FDecodeParms", "/EF", "/Subtype", "/Type",
                      "/SMask", "/Alternates", "/OPI", "/Interpolate", "/Group", "/PS", "/CA", "/ca", "/BM",
                      "/TR", "/TR2"})


def _number(obj: object) -> float | None:
    if isinstance(obj, int | float | Decimal) and not isinstance(obj, bool):
        return float(obj)
    return None


def _fix_objects(pdf: Pdf, objects: list[Dictionary | Stream], moment: dt.datetime, notes: list[str]) -> None:
    notes += _described(_repaired(pdf, objects, moment))


def _described(counts: Counter[str]) -> list[str]:
    """One line per kind of change that alters how a page looks."""
    return [what.format(counts[key]) for key, what in _CHANGES.items() if counts[key]]


_CHANGES = {
    "converted": "{} CMYK image(s) converted to sRGB (the copy's output intent is sRGB)",
    "flattened": "{} image(s) with an alpha channel composited on white",
    "dropped_masks": "{} soft mask(s) removed (e.g. gradients fading to transparent)",
    "opacity": "{} opacity value(s) below 1 set to 1 (CSS opacity, rgba colours)",
    "groups": "{} transparency group(s) removed",
}


def _repaired(pdf: Pdf, objects: Iterable[Dictionary | Stream], moment: dt.datetime) -> Counter[str]:
    """Make every object PDF/A-1b; returns how many of each change that alters a page's look."""
    fonts_fixed: set[tuple[int, int]] = set()
    flattened = dropped_masks = opacity = groups = converted = 0
    for obj in objects:
        keys = set(obj.keys())  # one call; every test below is then a set lookup (measured: 2x faster)
        if keys.isdisjoint(_CHECKED):
            continue
        subtype = obj.get("/Subtype") if "/Subtype" in keys else None
        kind = obj.get("/Type") if "/Type" in keys else None
        # 6.6.2: no additional-actions anywhere (catalog, page, annotation, form field).
        if "/AA" in keys:
            del obj["/AA"]
        for key in ("/A", "/Next"):
            if key in keys:
                action = obj.get(key)
                if isinstance(action, Dictionary) and not _action_allowed(action):
                    del obj[key]
        # 6.1.7: stream data must be in the file.
        if isinstance(obj, Stream):
            for key in ("/F", "/FFilter", "/FDecodeParms"):
                if key in keys:
                    del obj[key]
        # 6.1.11: no embedded files in PDF/A-1.
        if "/EF" in keys:  # only file specifications carry /EF
            del obj["/EF"]

        if subtype == "/Image":
            if _is_cmyk(obj.get("/ColorSpace")) and _cmyk_image_to_srgb(obj):
                converted += 1
            if "/SMask" in keys:
                _flatten_soft_mask(obj)
                flattened += 1
            for key in ("/Alternates", "/OPI"):
                if key in keys:
                    del obj[key]
            # 6.2.4: Interpolate shall be false (WeasyPrint sets it for smooth image scaling).
            if "/Interpolate" in keys:
                del obj["/Interpolate"]
            continue
        if subtype == "/Form" or kind == "/Page":
            group = obj.get("/Group") if "/Group" in keys else None
            if isinstance(group, Dictionary) and group.get("/S") == "/Transparency":
                del obj["/Group"]
                groups += 1
            for key in ("/OPI", "/PS"):
                if key in keys:
                    del obj[key]
        if subtype in ("/CIDFontType0", "/CIDFontType2") and obj.objgen not in fonts_fixed:
            if obj.is_indirect:
                fonts_fixed.add(obj.objgen)
            _fix_cid_font(pdf, obj, moment)
        elif kind == "/Font" and subtype in ("/Type1", "/MMType1", "/TrueType"):
            _check_simple_font(obj)

        # 6.4: graphics states (and annotations) without transparency.
        if "/SMask" in keys and obj.get("/SMask") != Name("/None"):
            obj["/SMask"] = Name("/None")
            dropped_masks += 1
        for key in ("/CA", "/ca"):
            value = _number(obj.get(key)) if key in keys else None
            if value is not None and value != 1:
                obj[key] = 1
                opacity += 1
        blend = obj.get("/BM") if "/BM" in keys else None
        if blend is not None and blend not in (Name("/Normal"), Name("/Compatible")):
            obj["/BM"] = Name("/Normal")
        # 6.2.8: no transfer functions; TR2 only /Default.
        if "/TR" in keys:
            del obj["/TR"]
        if "/TR2" in keys and obj.get("/TR2") != Name("/Default"):
            obj["/TR2"] = Name("/Default")

    return Counter(converted=converted, flattened=flattened, dropped_masks=dropped_masks, opacity=opacity,
                   groups=groups)


def _action_allowed(action: Dictionary) -> bool:
    kind = action.get("/S")
    if kind is None:
        return True
    if kind not in _ALLOWED_ACTIONS:
        return False
    if kind == "/URI" and str(action.get("/URI", "")).strip().lower().startswith("javascript:"):
        return False  # a script in disguise: 6.6.1 bans JavaScript, whatever action carries it
    return kind != "/Named" or action.get("/N") in _ALLOWED_NAMED


def _fix_pages(pdf: Pdf) -> None:
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        kept = Array()
        for annot in annots:
            if not isinstance(annot, Dictionary) or annot.get("/Subtype") in _FORBIDDEN_ANNOTS:
                continue
            # 6.5.3: printable, never hidden.
            flags = int(annot.get("/F", 0))
            annot.F = (flags | _F_PRINT) & ~(_F_INVISIBLE | _F_HIDDEN | _F_NOVIEW)
            appearance = annot.get("/AP")
            if isinstance(appearance, Dictionary):
                # An appearance dictionary may hold only the normal appearance.
                for key in list(appearance.keys()):
                    if key != "/N":
                        del appearance[key]
            kept.append(annot)
        if len(kept) != len(annots):
            page.obj.Annots = kept


def _fix_catalog(pdf: Pdf) -> None:
    root = pdf.Root
    for key in ("/OCProperties", "/AA", "/Requirements", "/Collection", "/Version"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/EmbeddedFiles", "/JavaScript", "/AlternatePresentations"):
            if key in names:
                del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, Dictionary) and "/NeedAppearances" in form:
        del form["/NeedAppearances"]  # 6.9: must not be true; absent means false


# ---------------------------------------------------------------------------------------------------
# Images


def _is_cmyk(space: object) -> bool:
    """DeviceCMYK or a four-component ICC space: 6.2.3.3 allows neither with the sRGB output intent
    (Preflight 2.4.2 "DestOutputProfile isn't CMYK"). WeasyPrint writes a CMYK JPEG as it is."""
    if space == Name("/DeviceCMYK"):
        return True
    return (isinstance(space, Array) and len(space) == 2 and space[0] == Name("/ICCBased")
            and int(space[1].get("/N", 0)) == 4)


def _cmyk_image_to_srgb(image: Stream) -> bool:
    """Convert a CMYK image to sRGB in place (source/images.py: through the JPEG's own ICC profile,
    else FOGRA39); False, with a warning, for one that cannot be decoded (Preflight then says so).
    Only CMYK images are touched: every other image, an RGB JPEG too, keeps its bytes."""
    try:
        pil = _decoded(image)
    except Exception as exc:  # whatever makes an image undecodable: leave it, the check reports it
        LOG.warning("PDF/A-1b: a CMYK image could not be decoded (%s); left as it is", exc)
        return False
    rgb = cmyk_to_srgb(pil) if pil.mode == "CMYK" else pil.convert("RGB")
    for key in ("/DecodeParms", "/Decode", "/Filter"):
        if key in image:
            del image[key]
    image.write(rgb.tobytes())  # raw: qpdf's compress_streams deflates it on save (deterministic)
    image.ColorSpace = Name("/DeviceRGB")
    image.BitsPerComponent = 8
    return True


def _decoded(image: Stream) -> Image.Image:
    """The image as Pillow reads it. A JPEG is read from its own bytes: Pillow undoes Adobe's inverted
    CMYK itself (WeasyPrint's /Decode says the same) and finds the file's ICC profile there."""
    if image.get("/Filter") in (Name("/DCTDecode"), Array([Name("/DCTDecode")])):
        pil = Image.open(io.BytesIO(image.read_raw_bytes()))
        pil.load()
        return pil
    return pikepdf.PdfImage(image).as_pil_image()


def _flatten_soft_mask(image: Stream) -> None:
    """Composite an image with a soft mask (PNG alpha) on white: what it looks like on paper."""
    try:
        base = pikepdf.PdfImage(image).as_pil_image()
        alpha = pikepdf.PdfImage(image.SMask).as_pil_image().convert("L")
    except Exception as exc:  # whatever makes an image undecodable: keep the image, drop only the mask
        LOG.warning("PDF/A-1b: soft mask of an image could not be decoded (%s); mask dropped", exc)
        del image["/SMask"]
        return
    gray = base.mode in ("1", "L", "LA", "I", "I;16")
    mode = "L" if gray else "RGB"
    base = base.convert(mode)
    if alpha.size != base.size:
        alpha = alpha.resize(base.size, Image.Resampling.BILINEAR)
    white = Image.new(mode, base.size, 255 if gray else (255, 255, 255))
    flat = Image.composite(base, white, alpha)
    for key in ("/SMask", "/DecodeParms", "/Decode", "/Mask", "/Filter"):
        if key in image:
            del image[key]
    # Written raw; qpdf's compress_streams deflates it on save.
    image.write(flat.tobytes())
    image.ColorSpace = Name("/DeviceGray") if gray else Name("/DeviceRGB")
    image.BitsPerComponent = 8


# ---------------------------------------------------------------------------------------------------
# Fonts


def _fix_cid_font(pdf: Pdf, cidfont: Dictionary, moment: dt.datetime) -> None:
    """Recompute CIDSet from the embedded program; pin the TrueType program's modification stamp."""
    descriptor = cidfont.get("/FontDescriptor")
    name = str(cidfont.get("/BaseFont", "?"))
    if not isinstance(descriptor, Dictionary):
        raise PdfaError(f"font {name} has no font descriptor (PDF/A needs every font embedded)")
    if "/FontFile2" in descriptor:
        program = descriptor.FontFile2
        data, cids = _truetype_program(program.read_bytes(), moment, cidfont.get("/CIDToGIDMap"))
        if data is not None:
            program.write(data)
            program.Length1 = len(data)
    elif "/FontFile3" in descriptor:
        program = descriptor.FontFile3
        if program.get("/Subtype") != "/CIDFontType0C":
            # PDF 1.6 OpenType embedding: not in PDF 1.4, and converting a name-keyed CFF to a
            # CID-keyed one is not something to do in a post-processor. Use TrueType fonts.
            raise PdfaError(f"font {name} is embedded as {program.get('/Subtype')}, which PDF/A-1 "
                            "forbids; use TrueType (glyf) fonts for the archival PDF")
        cids = _cff_cids(program.read_bytes())
    else:
        raise PdfaError(f"font {name} is not embedded")
    if not cids:
        return
    # 6.3.5: the CIDSet of a subset lists every CID the program holds (bit 0x80 of byte 0 is CID 0).
    bits = bytearray((max(cids) // 8) + 1)
    for cid in cids:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    descriptor.CIDSet = pdf.make_stream(bytes(bits))


def _truetype_program(data: bytes, moment: dt.datetime, cid_to_gid: object) -> tuple[bytes | None, list[int]]:
    """The program with ``head.modified`` set to ``moment`` (None if unchanged), and its CIDs."""
    font = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    glyphs = font["maxp"].numGlyphs
    if isinstance(cid_to_gid, Stream):
        table = cid_to_gid.read_bytes()
        gids = struct.unpack(f">{len(table) // 2}H", table[: len(table) // 2 * 2])
        # CID 0 always maps to .notdef; other CIDs count when their glyph exists.
        cids = [cid for cid, gid in enumerate(gids) if cid == 0 or 0 < gid < glyphs]
    else:  # /Identity (or absent, which means identity)
        cids = list(range(glyphs))
    stamp = int((moment - _TTF_EPOCH).total_seconds())
    if font["head"].modified == stamp:
        return None, cids
    return _with_modified(data, stamp), cids


def _with_modified(data: bytes, stamp: int) -> bytes:
    """The program with head.modified set to `stamp`, patched in place, with the head table's checksum
    and the font's checkSumAdjustment recomputed as the OpenType spec says (fontTools would compile
    every table again: a third of the whole repair on a 500-page book, for eight bytes)."""
    out = bytearray(data)
    (tables,) = struct.unpack_from(">H", out, 4)
    for record in range(12, 12 + 16 * tables, 16):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", out, record)
        if tag == b"head":
            break
    else:
        raise PdfaError("a TrueType font program without a head table")
    struct.pack_into(">q", out, offset + 28, stamp)  # head.modified (LONGDATETIME)
    struct.pack_into(">I", out, offset + 8, 0)  # checkSumAdjustment is 0 while the sums are taken
    struct.pack_into(">I", out, record + 4, _sfnt_checksum(bytes(out[offset:offset + length])))
    struct.pack_into(">I", out, offset + 8, (0xB1B0AFBA - _sfnt_checksum(bytes(out))) & 0xFFFFFFFF)
    return bytes(out)


def _sfnt_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _cff_cids(data: bytes) -> list[int]:
    # Imported here: only a CFF font needs it, WeasyPrint embeds TrueType ones, and importing it took
    # ~36 ms of every build's start.
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    charset = top.charset
    if hasattr(top, "ROS"):
        # fontTools names CID-keyed glyphs "cid01234"; glyph 0 is .notdef (CID 0).
        return sorted(0 if glyph == ".notdef" else int(glyph[3:]) for glyph in charset)
    return list(range(len(charset)))


def _check_simple_font(font: Dictionary) -> None:
    # WeasyPrint embeds every outline font as Type0/CIDFontType2; a simple font here came from
    # elsewhere. We only refuse what cannot pass (not embedded); CharSet of Type1 subsets is not
    # computed, as nothing kolofon renders produces one.
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary) or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
        raise PdfaError(f"font {font.get('/BaseFont', '?')} is not embedded")


# ---------------------------------------------------------------------------------------------------
# Output intent and ICC profile


def _ensure_output_intent(pdf: Pdf) -> None:
    """Keep one GTS_PDFA1 intent with an ICC v2 RGB profile (WeasyPrint's sRGB2014), else add ours."""
    intents = pdf.Root.get("/OutputIntents")
    chosen = None
    if isinstance(intents, Array):
        for intent in intents:
            profile = intent.get("/DestOutputProfile") if isinstance(intent, Dictionary) else None
            if intent.get("/S") == "/GTS_PDFA1" and isinstance(profile, Stream) and _usable_icc(profile):
                chosen = intent
                break
    if chosen is None:
        profile = pdf.make_stream(srgb_icc_profile())
        profile.N = 3
        chosen = pdf.make_indirect(Dictionary(
            Type=Name("/OutputIntent"), S=Name("/GTS_PDFA1"),
            OutputConditionIdentifier=String(SRGB_CONDITION), Info=String(SRGB_CONDITION),
            RegistryName=String("http://www.color.org"), DestOutputProfile=profile))
    # 6.2.2: all intents must share one profile; one intent is simplest.
    pdf.Root.OutputIntents = Array([chosen])


def _usable_icc(profile: Stream) -> bool:
    head = profile.read_bytes()[:20]
    # PDF 1.4 takes ICC up to 2.4 (header bytes 8-9: major, minor.bugfix); an RGB display profile.
    return (len(head) == 20 and head[8] == 2 and head[9] <= 0x40 and head[16:20] == b"RGB "
            and int(profile.get("/N", 3)) == 3)
