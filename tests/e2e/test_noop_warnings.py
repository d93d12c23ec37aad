"""A rebuild with nothing changed says the last build's warnings again: it had been silent, so a
second `make book` hid what the first one said."""

from __future__ import annotations

from kolofon.pipeline import Options, build


def test_an_up_to_date_build_repeats_its_warnings(make_book, tmp_path):
    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-12-03\n",
                      "01.md": "# One\n\nText.[^1] And [^2].\n\n[^1]: Called.\n[^2]: Called too.\n"
                               "[^3]: Never called.\n"})
    options = Options(root, tmp_path / "out", editions=("epub",), proof=False)
    first = build(options)
    again = build(options)
    assert again.up_to_date and not first.up_to_date
    said = [(d.code, d.path.name if d.path else None, d.line, d.message) for d in first.warnings]
    assert said and said == [(d.code, d.path.name if d.path else None, d.line, d.message)
                             for d in again.warnings]


def test_the_stamp_holds_each_output_s_digest_and_a_changed_output_is_made_again(make_book, tmp_path):
    """The outputs are hashed as they are staged (pipeline.staged), not read again at the end: the
    digests must still be those of the files renamed into place, the archive's folder included."""
    import json
    import os

    from kolofon import cache

    root = make_book({"book.yaml": "title: T\nlang: en\ndate: 2026-12-03\n", "01.md": "# One\n\nText.\n"})
    out = tmp_path / "out"
    options = Options(root, out, editions=("pdf", "epub", "archive"), proof=False)
    first = build(options)
    record = json.loads((out / cache.STAMP).read_text())
    names = sorted(item["name"] for item in record["outputs"])
    assert names == sorted(o.path.name for o in first.outputs) and len(names) == 4
    for item in record["outputs"]:
        assert item["sha256"] == cache.file_digest(out / item["name"]), item["name"]
    pdf = next(o.path for o in first.outputs if o.edition == "pdf")
    os.utime(pdf, ns=(1, 1))  # touched, not changed: the digest says it is the file the build wrote
    assert build(options).up_to_date
    data = bytearray(pdf.read_bytes())
    data[-3] ^= 1  # a byte of the same-sized file changed: made again
    pdf.write_bytes(bytes(data))
    again = build(options)
    assert not again.up_to_date and pdf.read_bytes() != bytes(data)
