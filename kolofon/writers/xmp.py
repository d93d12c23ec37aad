"""The PDF/A copy's metadata: one XMP packet and an Info dictionary that say exactly the same thing
(ISO 19005-1 6.7), with only standard schemas so no extension schema is needed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from html import escape  # not xml.sax.saxutils: it imports urllib.request and http.client (~15 ms)
from importlib import metadata as importlib_metadata

import pikepdf
from pikepdf import Dictionary, Name, Pdf, String

from .. import __version__
from .meta import ArchivalMetadata

__all__ = ["ArchivalMetadata", "clean_meta", "write_metadata"]


def _pdf_date(moment: dt.datetime) -> str:
    # With an explicit +00'00' rather than Z: xmpbox then parses both sides to the same zone.
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean_text(text: str) -> str:
    # XML parsers turn CR/CRLF into LF and cannot hold most C0 controls; normalising before writing
    # keeps the Info strings equal to what a validator reads back from the XMP.
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_meta(meta: ArchivalMetadata) -> ArchivalMetadata:
    def clean(value: str | None) -> str | None:
        return None if value is None else _clean_text(value)

    return dataclasses.replace(
        meta, title=_clean_text(meta.title), lang=_clean_text(meta.lang),
        identifier=_clean_text(meta.identifier),
        authors=tuple(_clean_text(a) for a in meta.authors if _clean_text(a).strip()),
        rights=clean(meta.rights), publisher=clean(meta.publisher), description=clean(meta.description))


def _producer() -> str:
    def version(dist: str) -> str:
        try:
            return importlib_metadata.version(dist)
        except importlib_metadata.PackageNotFoundError:
            return "?"

    return f"kolofon {__version__} (WeasyPrint {version('weasyprint')}, pikepdf {pikepdf.__version__})"


def write_metadata(pdf: Pdf, meta: ArchivalMetadata, moment: dt.datetime, standard: str = "PDF/A-1b") -> None:
    """One XMP packet and an Info dictionary that says exactly the same (ISO 19005-1 6.7.3), declaring
    `standard`: PDF/A-1b, PDF/X-4 or PDF/X-1a:2003."""
    producer = _producer()
    creator_tool = f"kolofon {__version__}"
    # PDFBox requires Info /Author to equal the single entry of dc:creator, so several authors
    # become one entry, separated the way Acrobat joins dc:creator for display.
    author = "; ".join(meta.authors) if meta.authors else None
    # No xmpMM:InstanceID: it would have to hash the input, and the input's bytes vary with things
    # this module normalises away (font time stamps), while the output must not.
    document_id = uuid.uuid3(uuid.NAMESPACE_URL, meta.identifier)

    info = Dictionary(Title=String(meta.title), Producer=String(producer), Creator=String(creator_tool),
                      CreationDate=String(_pdf_date(moment)), ModDate=String(_pdf_date(moment)))
    if author:
        info.Author = String(author)
    if meta.description:
        info.Subject = String(meta.description)
    if standard.startswith("PDF/X"):
        info.Trapped = Name("/False")
        if standard == "PDF/X-1a:2003":  # X-1a declares itself in Info; X-4 in XMP only
            info.GTS_PDFXVersion = String("PDF/X-1:2003")
            info.GTS_PDFXConformance = String("PDF/X-1a:2003")
    pdf.trailer.Info = pdf.make_indirect(info)
    pdf.Root.Lang = String(meta.lang)

    xmp = _xmp_packet(meta, author, producer, creator_tool, _xmp_date(moment), f"uuid:{document_id}",
                      standard)
    stream = pdf.make_stream(xmp)
    stream.Type = Name("/Metadata")
    stream.Subtype = Name("/XML")
    pdf.Root.Metadata = stream


def _xmp_packet(meta: ArchivalMetadata, author: str | None, producer: str, creator_tool: str, date: str,
                document_id: str, standard: str = "PDF/A-1b") -> bytes:
    """The XMP packet. Only standard schemas are used, so no pdfaExtension declarations are needed.

    Each rdf:Description declares its own namespace: xmpbox (Preflight) finds schemas there, not on
    rdf:RDF — the reason WeasyPrint's packet fails with "Schema is not set".
    """
    def e(text: str) -> str:
        return escape(text, quote=False).replace('"', "&quot;")

    def lang_alt(tag: str, text: str) -> str:
        items = f'<rdf:li xml:lang="x-default">{e(text)}</rdf:li>'
        if meta.lang.lower() != "x-default":
            items += f'<rdf:li xml:lang="{e(meta.lang)}">{e(text)}</rdf:li>'
        return f"<{tag}><rdf:Alt>{items}</rdf:Alt></{tag}>"

    def bag(tag: str, *texts: str) -> str:
        return f"<{tag}><rdf:Bag>{''.join(f'<rdf:li>{e(t)}</rdf:li>' for t in texts)}</rdf:Bag></{tag}>"

    def description(prefix: str, uri: str, properties: list[str]) -> str:
        body = "\n    ".join(properties)
        return (f'  <rdf:Description rdf:about="" xmlns:{prefix}="{uri}">\n    {body}\n'
                "  </rdf:Description>")

    dc = ["<dc:format>application/pdf</dc:format>", lang_alt("dc:title", meta.title)]
    if author:
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq></dc:creator>")
    if meta.description:
        dc.append(lang_alt("dc:description", meta.description))
    if meta.rights:
        dc.append(lang_alt("dc:rights", meta.rights))
    if meta.publisher:
        dc.append(bag("dc:publisher", meta.publisher))
    dc.append(bag("dc:language", meta.lang))
    dc.append(f"<dc:identifier>{e(meta.identifier)}</dc:identifier>")

    pdf_props = [f"<pdf:Producer>{e(producer)}</pdf:Producer>"]
    mm = [f"<xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>"]
    if standard.startswith("PDF/X"):
        identification = description("pdfxid", "http://www.npes.org/pdfx/ns/id/",
                                     [f"<pdfxid:GTS_PDFXVersion>{standard}</pdfxid:GTS_PDFXVersion>"])
        pdf_props.append("<pdf:Trapped>False</pdf:Trapped>")
        mm += ["<xmpMM:VersionID>1</xmpMM:VersionID>", "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>"]
    else:
        identification = description("pdfaid", "http://www.aiim.org/pdfa/ns/id/",
                                     ["<pdfaid:part>1</pdfaid:part>",
                                      "<pdfaid:conformance>B</pdfaid:conformance>"])
    blocks = [
        identification,
        description("dc", "http://purl.org/dc/elements/1.1/", dc),
        description("xmp", "http://ns.adobe.com/xap/1.0/", [
            f"<xmp:CreateDate>{date}</xmp:CreateDate>",
            f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
            f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
            f"<xmp:CreatorTool>{e(creator_tool)}</xmp:CreatorTool>",
        ]),
        description("pdf", "http://ns.adobe.com/pdf/1.3/", pdf_props),
        description("xmpMM", "http://ns.adobe.com/xap/1.0/mm/", mm),
    ]
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        + "\n".join(blocks)
        + "\n </rdf:RDF>\n</x:xmpmeta>\n"
        # Padding lets a tool edit the packet in place, as the XMP spec recommends.
        + (" " * 99 + "\n") * 20
        + '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")
