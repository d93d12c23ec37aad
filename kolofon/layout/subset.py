"""The fonts each part embeds, cut down to the glyphs it shows: HarfBuzz's subsetter, from PyPI.

WeasyPrint subsets every font of every part it writes, with the system's libharfbuzz-subset where that
is installed and with fontTools where not (a fresh machine). Both were wrong for a book built in parts:
- fontTools took 40–150 ms a font a part (4.68 even decompiled GSUB and GPOS before dropping them):
  a third of a 500-page build, most of the seed book's;
- a system library makes the bytes depend on what else the machine has (Debian's chromium brings it).
So the engine replaces WeasyPrint's subsetter with this one (uharfbuzz, pinned with the rest): the same
bytes on every machine, ~0.3 ms a font. The passes and flags are WeasyPrint 70's own HarfBuzz path,
except that tables HarfBuzz does not know are dropped, not passed through: a PDF reader uses none of
them (Gentium's 'Silt' alone is 12 kB, in every subset of every part)."""

from __future__ import annotations

from collections.abc import Collection

import uharfbuzz as hb

# Tables a PDF never uses (WeasyPrint's list): layout and bitmap tables, signatures, SVG glyphs.
_DROP = tuple(int.from_bytes(tag, "big") for tag in (
    b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG "))


def subset_font(data: bytes, index: int, gids: Collection[int], hinting: bool,
                notdef_outline: bool) -> bytes | None:
    """The font program `data` (face `index` of a collection) with only the glyphs `gids`, each at its
    own glyph id (the PDF's text names glyphs by id); None if HarfBuzz cannot subset it."""
    if not gids:
        return None
    notdef = hb.SubsetFlags.NOTDEF_OUTLINE if notdef_outline else hb.SubsetFlags(0)
    try:
        face = hb.Face(hb.Blob(data), index)
        # First the glyphs, each kept at its id: the others become empty, but still count.
        first = hb.SubsetInput()
        first.glyph_set.update(gids)
        first.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.DESUBROUTINIZE | notdef
        first.drop_table_tag_set.update(_DROP)
        face = hb.subset(face, first)
        # Then the empty glyphs after the last one used are cut off.
        second = hb.SubsetInput()
        second.glyph_set.update(range(max(gids) + 1))
        second.flags = hb.SubsetFlags.DESUBROUTINIZE | notdef | (
            hb.SubsetFlags(0) if hinting else hb.SubsetFlags.NO_HINTING)
        return hb.subset(face, second).blob.data
    except RuntimeError:  # HarfBuzz found the font unusable: the caller embeds it whole
        return None
