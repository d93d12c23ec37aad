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
