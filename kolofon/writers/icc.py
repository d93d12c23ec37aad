"""A minimal ICC v2 sRGB profile, generated from the standard's numbers (no binary is vendored): the
output intent every PDF/A-1 file needs (see pdfa.py)."""

from __future__ import annotations

import functools
import struct


@functools.cache
def srgb_icc_profile() -> bytes:
    """A minimal ICC v2.1 sRGB display profile (IEC 61966-2-1), built from the standard's numbers.

    Version 2 because PDF 1.4 readers (and Preflight) reject ICC v4, which is what LittleCMS makes;
    built here rather than copied so the repository carries no binary and the bytes never change.
    Matrix/TRC form: D50-adapted (Bradford) primaries and the sRGB transfer curve sampled at 1024 points.
    """

    def s15f16(*values: float) -> bytes:
        return b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15f16(x, y, z)

    def srgb_to_linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    description = b"sRGB IEC61966-2.1 (kolofon)"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(description) + 1) + description + b"\0"
            + struct.pack(">II", 0, 0)  # no Unicode description
            + struct.pack(">HB", 0, 0) + bytes(67))  # no ScriptCode description
    cprt = b"text\0\0\0\0" + b"No copyright, use freely\0"
    samples = 1024
    curve = (b"curv\0\0\0\0" + struct.pack(">I", samples)
             + b"".join(struct.pack(">H", round(srgb_to_linear(i / (samples - 1)) * 65535))
                        for i in range(samples)))
    d50 = (0.9642, 1.0, 0.8249)
    tags: list[tuple[bytes, bytes]] = [
        (b"desc", desc),
        (b"cprt", cprt),
        (b"wtpt", xyz(*d50)),
        (b"rXYZ", xyz(0.4360747, 0.2225045, 0.0139322)),
        (b"gXYZ", xyz(0.3850649, 0.7168786, 0.0971045)),
        (b"bXYZ", xyz(0.1430804, 0.0606169, 0.7141733)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = struct.pack(">I", len(tags))
    body = b""
    placed: dict[bytes, int] = {}  # the three TRCs share one copy of the curve
    for signature, data in tags:
        if data not in placed:
            placed[data] = offset + len(body)
            body += data + bytes(-len(data) % 4)  # tag data starts on a 4-byte boundary
        table += signature + struct.pack(">II", placed[data], len(data))
    size = offset + len(body)
    header = (struct.pack(">I", size) + bytes(4)  # size; no preferred CMM
              + bytes((2, 0x10, 0, 0))  # version 2.1.0
              + b"mntrRGB XYZ "  # display device, RGB data, XYZ connection space
              + struct.pack(">6H", 1999, 10, 18, 0, 0, 0)  # fixed: IEC 61966-2-1 publication
              + b"acsp" + bytes(4)  # signature; no primary platform
              + bytes(4 + 4 + 4 + 8)  # flags, manufacturer, model, attributes
              + struct.pack(">I", 0)  # perceptual intent
              + s15f16(*d50)  # PCS illuminant
              + bytes(4) + bytes(44))  # creator; reserved
    assert len(header) == 128
    return header + table + body
