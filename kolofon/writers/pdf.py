"""The PDF edition: the laid-out pages written once, with page labels (roman front matter, arabic text)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pydyf

from ..layout import Layout


def page_labels_finisher(front_pages: int):
    """Readers then show 'iii' and '12' as the book prints them, and 'go to page 12' finds page 12."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        nums = pydyf.Array([0, pydyf.Dictionary({"S": "/r"}), front_pages,
                            pydyf.Dictionary({"S": "/D", "St": 1})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})

    return finish


@contextmanager
def source_date(moment: dt.datetime) -> Iterator[None]:
    """fontTools stamps each font subset with the clock unless SOURCE_DATE_EPOCH says otherwise."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def pdf_bytes(layout: Layout, identifier: str, moment: dt.datetime, **options: object) -> bytes:
    if layout.pdf is not None:  # assembled from chapters laid out alone: already written
        return layout.pdf
    # A fixed /ID from the book's identifier: pydyf would otherwise leave it out or hash the content.
    file_id = hashlib.md5(identifier.encode()).hexdigest().encode()
    with source_date(moment):
        return layout.document.write_pdf(finisher=page_labels_finisher(layout.front_pages),
                                         pdf_identifier=file_id, **options)
