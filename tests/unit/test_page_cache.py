"""The page cache's key (kolofon/layout/part.py): what a part's pages depend on."""

from __future__ import annotations

from pathlib import Path

from kolofon.layout.part import PageCache


def test_a_file_the_html_names_is_part_of_the_key(tmp_path: Path) -> None:
    """A font or an image replaced under the same name changes the pages but not the HTML: the key
    must change with it, or an incremental build reuses pages set with the old file."""
    font = tmp_path / "Face.ttf"
    font.write_bytes(b"version 1")
    html = f'<style>@font-face {{ src: url("{font.as_uri()}"); }}</style><img src="{font.as_uri()}">'
    before = PageCache(tmp_path / "cache", salt="s").key(html)
    assert PageCache(tmp_path / "cache", salt="s").key(html) == before
    font.write_bytes(b"version 2")
    assert PageCache(tmp_path / "cache", salt="s").key(html) != before


def test_the_key_still_follows_the_html_and_the_salt(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, salt="s")
    assert cache.key("<p>a</p>") != cache.key("<p>b</p>")
    assert cache.key("<p>a</p>") != PageCache(tmp_path, salt="t").key("<p>a</p>")


def _assembly(*parts: tuple[str, int] | None, furniture: dict[int, tuple[str, int]] | None = None):
    from kolofon.layout.part import Assembly

    return Assembly(tuple(None if part is None else (Path(f"/c/{part[0]}.pdf"), part[1]) for part in parts),
                    {i: (Path(f"/c/{n}.pdf"), p) for i, (n, p) in (furniture or {}).items()}, (), 0,
                    Path("/c/front.pdf"))


def test_the_first_pages_key_follows_only_those_pages() -> None:
    """What the proof sheet shows (the first pages) is reused after an edit further on, and made
    again after one within them: its key names each of those pages' part and furniture."""
    base = _assembly(("front", 4), ("ch1", 20), None, ("ch2", 20), furniture={5: ("f1", 1)})
    assert base.pages_key(10) == _assembly(("front", 4), ("ch1", 20), None, ("ch2-edited", 20),
                                           furniture={5: ("f1", 1)}).pages_key(10)
    assert base.pages_key(10) != _assembly(("front", 4), ("ch1-edited", 20), None, ("ch2", 20),
                                           furniture={5: ("f1", 1)}).pages_key(10)
    assert base.pages_key(10) != _assembly(("front", 4), ("ch1", 20), None, ("ch2", 20),
                                           furniture={5: ("f1-new-folios", 1)}).pages_key(10)
    assert base.pages_key(30) != _assembly(("front", 4), ("ch1", 20), ("ch2", 20),
                                           furniture={5: ("f1", 1)}).pages_key(30)  # the blank page


def test_a_kept_output_is_the_newest_of_its_name(tmp_path: Path) -> None:
    from kolofon.cache import Kept

    old = Kept(tmp_path, "proof", "aaa")
    old.put(b"old sheet")
    assert Kept(tmp_path, "proof", "aaa").get() == b"old sheet"
    assert Kept(tmp_path, "proof", "aaa", reuse=False).get() is None  # --force makes it again
    Kept(tmp_path, "proof", "bbb").put(b"new sheet")
    assert Kept(tmp_path, "proof", "aaa").get() is None
    assert Kept(tmp_path, "proof", "bbb").get() == b"new sheet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proof-bbb"]


def test_a_placed_part_keeps_its_file_and_pages_only() -> None:
    """The main process holds every placed part until the assembly: not its anchors (a 2,000-page
    book's took ~4 MiB of the process whose peak sets the book's), which the tools read from the cache."""
    from kolofon.layout.part import Part

    part = Part(Path("/c/ch1.pdf"), ({"ch1": (1.0, 2.0), "ix-1": (3.0, 4.0)}, {"ix-2": (5.0, 6.0)}),
                ((("note-1", "uri", (0.0, 0.0, 1.0, 1.0)),), ()), ("tbl-1",),
                (None, ("ch1-b2", "Ormian", 40)))
    placed = part.placed()
    assert (placed.pdf, placed.pages) == (part.pdf, 2)
    assert all(not page for page in placed.anchors) and not placed.links and not placed.starts
