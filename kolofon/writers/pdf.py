"""The PDF edition: the laid-out pages written once, with page labels (roman front matter, arabic text)."""

from __future__ import annotations

import hashlib

import pydyf

from ..layout import Layout


def page_labels_finisher(front_pages: int):
    """Readers then show 'iii' and '12' as the book prints them, and 'go to page 12' finds page 12."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        nums = pydyf.Array([0, pydyf.Dictionary({"S": "/r"}), front_pages,
                            pydyf.Dictionary({"S": "/D", "St": 1})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})

    return finish


def pdf_bytes(layout: Layout, identifier: str, **options: object) -> bytes:
    # A fixed /ID from the book's identifier: pydyf would otherwise leave it out or hash the content.
    file_id = hashlib.md5(identifier.encode()).hexdigest().encode()
    return layout.document.write_pdf(finisher=page_labels_finisher(layout.front_pages),
                                     pdf_identifier=file_id, **options)
