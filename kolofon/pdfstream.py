"""A PDF written object by object, as its parts are read: nothing but each object's number and offset is
kept, so a book of any length is joined in the memory of its largest part.

qpdf (through pikepdf) holds every object of the PDF it writes until the end, at ~5 KB an object: the
2,000-page book's assembly held 134 MiB, against 48 MiB before it began. Here each part's PDF is open
while its objects are copied (renumbered) into the output, then closed; objects that are not streams
are packed a hundred to a compressed object stream, as qpdf's did, and a cross-reference stream ends
the file. The same parts in the same order give the same bytes: the /ID is an MD5 of the file's body."""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

PACK = 100  # objects per object stream (qpdf's number)
# In qpdf's text of an object: a string (kept as it is), or a reference (renumbered). A literal string
# with parentheses or escapes inside is not matched whole: such an object takes the slow path.
_TOKENS = re.compile(rb"\(([^()\\]*)\)|<[0-9A-Fa-f]*>|(?<![\d.])(\d+) (\d+) R\b")


class PdfWriter:
    def __init__(self, file: BinaryIO, version: str = "1.7", packed: bool = True):
        """`packed`: objects in object streams and a cross-reference stream (PDF 1.5); else each
        object on its own and a cross-reference table (PDF/A-1 is PDF 1.4, which has neither)."""
        self.packed = packed
        self._file = file
        self._md5 = hashlib.md5()
        self._offset = 0
        self._count = 0  # object numbers given out
        self._where: dict[int, tuple[int, int, int]] = {}  # number -> (xref type, field 2, field 3)
        self._packed: list[tuple[int, bytes]] = []  # objects waiting for the next object stream
        self._recording: Recording | None = None
        self._out(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    @property
    def count(self) -> int:
        """The object numbers given out so far."""
        return self._count

    def flush(self) -> None:
        """Close the object stream being filled (a part's objects then start a stream of their own)."""
        self._pack()

    def record(self) -> None:
        """Keep what is written from here on, to write it again as it was (replay): the pages of a
        part that a later build joins unchanged (layout/copies.py). Objects put before are packed
        first, so that the recording holds whole object streams."""
        self._pack()
        self._recording = Recording(self._offset)

    def recorded(self) -> Recorded:
        """What was written since record(), its object streams complete."""
        assert self._recording is not None
        self._pack()
        recording, self._recording = self._recording, None
        where = tuple((n, kind, second - recording.start if kind == 1 else second, third)
                      for n in recording.numbers for kind, second, third in (self._where[n],))
        return Recorded(b"".join(recording.data), where, self._count)

    def replay(self, written: Recorded) -> None:
        """Write what a recording held, at this point of the file, as if its objects were written
        again: the same numbers, given out as they were then (so the writer must stand where it
        stood when it was recorded, with the same numbers given out: layout/copies.py's key)."""
        self._pack()
        start = self._offset
        self._out(written.data)
        for n, kind, second, third in written.where:
            self._where[n] = (kind, second + start if kind == 1 else second, third)
        self._count = written.count

    def _place(self, number: int, where: tuple[int, int, int]) -> None:
        self._where[number] = where
        if self._recording is not None:
            self._recording.numbers.append(number)

    def reserve(self) -> int:
        """A number for an object written later (a page its links point at before it is written)."""
        self._count += 1
        return self._count

    def put(self, number: int, body: bytes) -> None:
        """An object that is not a stream: into the next object stream."""
        if not self.packed:
            self._place(number, (1, self._offset, 0))
            self._out(b"%d 0 obj\n%s\nendobj\n" % (number, body))
            return
        self._packed.append((number, body))
        if len(self._packed) >= PACK:
            self._pack()

    def put_stream(self, number: int, entries: bytes, data: bytes) -> None:
        """A stream: `entries` are its dictionary's entries (without /Length), `data` its bytes as
        they are stored (already encoded by its /Filter)."""
        self._place(number, (1, self._offset, 0))
        self._out(b"%d 0 obj\n<<%s /Length %d>>\nstream\n" % (number, entries, len(data)))
        self._out(data)
        self._out(b"\nendstream\nendobj\n")

    def close(self, root: int, info: bytes | None = None, first_id: bytes | None = None) -> None:
        """The last object stream, then the cross-reference stream that is also the trailer (or the
        table and the trailer). `info`: a reference to the Info dictionary; `first_id`: the /ID's
        first half (the second is always the file's own digest)."""
        self._pack()
        digest = self._md5.hexdigest().encode()
        ident = b"/ID [<%s> <%s>]" % (first_id.hex().encode() if first_id else digest, digest)
        trailer = b"/Root %d 0 R%s %s" % (root, b" /Info " + info if info else b"", ident)
        if not self.packed:
            start, size = self._offset, self._count + 1
            rows = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
            for number in range(1, size):
                kind, offset, _ = self._where.get(number, (0, 0, 0))
                rows.append(b"%010d 00000 n \n" % offset if kind == 1 else b"0000000000 65535 f \n")
            self._out(b"".join(rows) + b"trailer\n<</Size %d %s>>\nstartxref\n%d\n%%%%EOF\n"
                      % (size, trailer, start))
            return
        xref = self.reserve()
        self._where[xref] = (1, self._offset, 0)
        size = self._count + 1
        rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")  # object 0: the head of the free list
        for number in range(1, size):
            kind, second, third = self._where.get(number, (0, 0, 0))
            rows += bytes([kind]) + second.to_bytes(4, "big") + third.to_bytes(2, "big")
        entries = b"/Type /XRef /Size %d /W [1 4 2] %s /Filter /FlateDecode" % (size, trailer)
        start = self._offset
        self.put_stream(xref, entries, zlib.compress(bytes(rows)))
        self._out(b"startxref\n%d\n%%%%EOF\n" % start)

    def _pack(self) -> None:
        if not self._packed:
            return
        number = self.reserve()
        offsets, bodies, position = [], [], 0
        for index, (member, body) in enumerate(self._packed):
            self._place(member, (2, number, index))
            offsets.append(b"%d %d" % (member, position))
            bodies.append(body)
            position += len(body) + 1
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies))
        self.put_stream(number, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode"
                        % (len(self._packed), len(head)), data)
        self._packed = []

    def _out(self, data: bytes) -> None:
        self._file.write(data)
        self._md5.update(data)
        self._offset += len(data)
        if self._recording is not None:
            self._recording.data.append(data)


@dataclass
class Recording:
    start: int  # the offset it began at
    data: list[bytes] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the objects placed meanwhile, in order


@dataclass(frozen=True)
class Recorded:
    """A stretch of a PDF as written: its bytes, where each of its objects stands (number, xref type,
    offset from its start or object stream, index), and the numbers given out at its end."""

    data: bytes
    where: tuple[tuple[int, int, int, int], ...]
    count: int


def ref(number: int) -> bytes:
    return b"%d 0 R" % number


def dictionary(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """`<< /Key value … >>` from names and values already written out."""
    return b"<<" + b"".join(_name(key) + b" " + value + b" " for key, value in entries) + b">>"


@functools.lru_cache(maxsize=1024)
def _name(key: str) -> bytes:
    """A name as PDF writes it (a dictionary's keys are few, and come again in every object)."""
    return Name(key).unparse()


def page_tree(kids: list[int]) -> bytes:
    """One /Pages node over every page (a flat tree, as qpdf writes it)."""
    return dictionary([("/Type", b"/Pages"), ("/Kids", array(ref(n) for n in kids)),
                       ("/Count", b"%d" % len(kids))])


def array(values: Iterable[bytes]) -> bytes:
    return b"[" + b" ".join(values) + b"]"


def number(value: float | int | Decimal) -> bytes:
    """A number as PDF writes it: a computed one to six decimals (as qpdf writes them), one read from
    a part as it stood there."""
    if isinstance(value, int):
        return b"%d" % value
    text = f"{value:.6f}" if isinstance(value, float) else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


def text(value: str) -> bytes:
    """A text string (PDFDocEncoding, or UTF-16 when it needs to be)."""
    return pikepdf.String(value).unparse()


class Copier:
    """The objects of one source PDF copied into a writer under new numbers, each once: an object is
    numbered when something copied refers to it, and written by drain()."""

    def __init__(self, writer: PdfWriter, source: pikepdf.Pdf | None = None):
        """`source`: the PDF the objects come from; with it, an object is written from qpdf's own text
        of it, its references renumbered (~100 times faster than going over it value by value)."""
        self.writer = writer
        self.source = source
        self._numbers: dict[tuple[int, int], int] = {}
        self._queue: list[pikepdf.Object] = []

    def ref(self, obj: pikepdf.Object) -> bytes:
        return ref(self._number(obj.objgen, obj))

    def _number(self, key: tuple[int, int], obj: pikepdf.Object | None = None) -> int:
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = self.writer.reserve()
            assert obj is not None or self.source is not None
            self._queue.append(obj if obj is not None else self.source.get_object(key))
        return found

    def _renumbered(self, obj: Dictionary | Array) -> bytes | None:
        """qpdf's text of the object, its references renumbered; None if a string in it is not
        plain enough to be told from the rest by a pattern."""
        text = obj.unparse(resolved=True)
        if text.count(b"(") != sum(1 for m in _TOKENS.finditer(text) if m[1] is not None):
            return None

        def renumber(m: re.Match[bytes]) -> bytes:
            return m[0] if m[2] is None else ref(self._number((int(m[2]), int(m[3]))))

        return _TOKENS.sub(renumber, text)

    def value(self, obj: object) -> bytes:
        """A value as it stands inside another object (indirect objects by reference)."""
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            return self.ref(obj)
        return self.direct(obj)

    def direct(self, obj: object, skip: frozenset[str] = frozenset()) -> bytes:
        if isinstance(obj, bool):
            return b"true" if obj else b"false"
        if obj is None:
            return b"null"
        if isinstance(obj, int | Decimal | float):
            return number(obj)
        if isinstance(obj, Stream):
            raise ValueError("a stream cannot be a direct object")
        if isinstance(obj, Dictionary | Array) and self.source is not None and not skip \
                and (text := self._renumbered(obj)) is not None:
            return text
        if isinstance(obj, Dictionary):
            return self.entries(obj, skip)
        if isinstance(obj, Array):
            return array(self.value(item) for item in obj)
        return obj.unparse()  # type: ignore[union-attr]  # a name, a string

    def entries(self, obj: Dictionary | Stream, skip: frozenset[str] = frozenset(),
                extra: Iterable[tuple[str, bytes]] = ()) -> bytes:
        own = ((key, self.value(obj[key])) for key in obj if key not in skip)
        return dictionary([*own, *extra])

    def stream(self, number: int, obj: Stream, skip: frozenset[str] = frozenset(),
               extra: Iterable[tuple[str, bytes]] = ()) -> None:
        """Write a stream under `number`, its data as stored (compressed if it was not)."""
        data = obj.read_raw_bytes()
        extra = list(extra)
        skip = skip | {"/Length"}
        if "/Filter" not in obj and obj.get("/Type") != Name.Metadata:
            data = zlib.compress(data)
            extra.append(("/Filter", b"/FlateDecode"))
            skip = skip | {"/DecodeParms"}
        body = self.entries(obj, skip, extra)
        self.writer.put_stream(number, body[2:-2], data)

    def drain(self) -> None:
        """Write every object numbered so far (and those they refer to)."""
        while self._queue:
            obj = self._queue.pop()
            number_ = self._numbers[obj.objgen]
            if isinstance(obj, Stream):
                self.stream(number_, obj)
            else:
                self.writer.put(number_, self.direct(obj))
