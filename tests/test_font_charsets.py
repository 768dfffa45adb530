"""Each installed face's covered code points, cached in the user's cache folder (fonts/charsets.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_kit import fonts
from bulletin_kit.fonts import charsets
from bulletin_kit.fonts.installed import InstalledFace

from .test_fonts import system_with_snippet


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "bulletin-kit" / charsets.FOLDER


def _face(file: Path, index: int = 0) -> InstalledFace:
    return InstalledFace(names=("Test",), style="Regular", weight=80, italic=False, file=file, index=index)


def _fontconfig_says(monkeypatch: pytest.MonkeyPatch, listing: dict[tuple[str, int], str]) -> list[int]:
    """Make ``listing`` fontconfig's charsets; return a list that counts the times it is asked."""
    asked: list[int] = []

    def charsets_now() -> dict[tuple[str, int], str]:
        asked.append(1)
        return listing

    monkeypatch.setattr(charsets, "fontconfig_charsets", charsets_now)
    return asked


def test_cache_hit_returns_the_fresh_parse_until_the_file_changes(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = tmp_path / "a.otf"
    font.write_bytes(b"font")
    listing = {(str(font), 0): "20-7e a0 4e00-9fa5 1f600"}
    asked = _fontconfig_says(monkeypatch, listing)
    fresh = charsets.parse_charset(listing[(str(font), 0)])
    assert fresh == ((0x20, 0x7E), (0xA0, 0xA0), (0x4E00, 0x9FA5), (0x1F600, 0x1F600))
    assert charsets.ranges_of(_face(font)) == fresh
    assert len(asked) == 1 and len(list(cache_home.glob("*.ranges"))) == 1
    assert charsets.ranges_of(_face(font)) == fresh  # from the cache: fontconfig not asked again
    assert len(asked) == 1
    # another face of the same file is another entry
    listing[(str(font), 1)] = "41-5a"
    assert charsets.ranges_of(_face(font, 1)) == ((0x41, 0x5A),)
    # the file replaced (other size and time): asked again
    listing[(str(font), 0)] = "20-7e"
    font.write_bytes(b"other font")
    assert charsets.ranges_of(_face(font)) == ((0x20, 0x7E),)
    assert len(asked) == 3
    # the same size, only the modification time changed: asked again too
    listing[(str(font), 0)] = "30-39"
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert charsets.ranges_of(_face(font)) == ((0x30, 0x39),)


def test_corrupt_or_unlisted_entries_are_not_trusted(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = tmp_path / "a.otf"
    font.write_bytes(b"font")
    listing = {(str(font), 0): "20-7e 4e00-9fa5"}
    asked = _fontconfig_says(monkeypatch, listing)
    expected = charsets.ranges_of(_face(font))
    (entry,) = cache_home.glob("*.ranges")
    data = entry.read_bytes()
    swapped = data[:-8] + data[-4:] + data[-8:-4]  # the last range reversed: not sorted
    for broken in (b"", data[:10], data[:-3], swapped, data.replace(b"bulletin-kit", b"other-kit")):
        entry.write_bytes(broken)
        assert charsets.ranges_of(_face(font)) == expected
    assert len(asked) == 6
    # a face fontconfig does not list (it failed, or the face went away) covers nothing and is not cached
    gone = tmp_path / "b.otf"
    gone.write_bytes(b"font")
    assert charsets.ranges_of(_face(gone)) == ()
    assert len(list(cache_home.glob("*.ranges"))) == 1
    # a file that no longer exists: fontconfig's word, not cached
    assert charsets.ranges_of(_face(tmp_path / "missing.otf")) == ()


def test_unusable_cache_folder_still_gives_the_ranges(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("not a folder")
    font = tmp_path / "a.otf"
    font.write_bytes(b"font")
    _fontconfig_says(monkeypatch, {(str(font), 0): "20-7e"})
    assert charsets.ranges_of(_face(font)) == ((0x20, 0x7E),)


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig not installed")
def test_installed_faces_cached_ranges_equal_fontconfigs(cache_home: Path) -> None:
    faces = [f for f in fonts.installed_faces() if f.file.suffix.lower() in (".otf", ".ttf", ".ttc")][:5]
    assert faces and all(f.charset is None for f in faces)  # fc-list is not asked for 600 kB of charsets
    listing = charsets.fontconfig_charsets()
    for face in faces:
        fresh = charsets.parse_charset(listing[(str(face.file), face.index)])
        assert face.ranges == fresh
        assert charsets.ranges_of(face) == fresh  # now from the cache
    assert len(list(cache_home.glob("*.ranges"))) == len({(f.file, f.index) for f in faces})


CHECK = """
import sys
from bulletin_kit import fonts
face = fonts.find_face("Liberation Serif")
other = [f for f in fonts.installed_faces() if f.file.name == "stand-in.ttf"]
print(other[0].covers("Q") if other else "absent", face is not None)
"""


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig not installed")
def test_a_font_installed_changed_or_removed_is_seen_by_the_next_run(
    cache_home: Path, tmp_path: Path
) -> None:
    subset = pytest.importorskip("fontTools.subset")
    source = fonts.find_face("Liberation Serif")
    if source is None:
        pytest.skip("Liberation Serif not installed")
    folder = tmp_path / "fonts"
    folder.mkdir()
    installed = folder / "stand-in.ttf"
    env = {**system_with_snippet(tmp_path, extra_dir=folder), "XDG_CACHE_HOME": str(cache_home.parent.parent)}

    def subset_to(text: str) -> None:
        options = subset.Options()
        font = subset.load_font(str(source.file), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        # as a package manager does: a new file renamed into place (fontconfig, too, notices a new
        # file by its folder's time; a font rewritten in place is stale in fontconfig's own cache)
        subset.save_font(font, str(folder / "new.tmp"), options)
        font.close()
        (folder / "new.tmp").replace(installed)

    def run() -> str:
        result = subprocess.run(
            [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    assert run() == "absent True"
    subset_to("ABC")
    assert run() == "False True"  # installed: seen, without Q
    assert run() == "False True"  # the same from the cache
    subset_to("ABCQ")
    assert run() == "True True"  # replaced by a font with Q: the cache entry is not used
    installed.unlink()
    assert run() == "absent True"
