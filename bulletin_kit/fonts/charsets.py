"""The code points each installed face covers, kept between runs in the user's cache folder.

Input: an :class:`~bulletin_kit.fonts.installed.InstalledFace` (file and face index). Output:
:func:`ranges_of`, its covered code points as sorted inclusive ranges, from
``~/.cache/bulletin-kit/fonts`` (:mod:`bulletin_kit.user_cache`) or, on a miss, from fontconfig.

What it saves. fontconfig gives each face's coverage only as text (``20-7e a0 4e00-9fa5 …``, about
30 kB per Chinese font, 600 kB for all the faces of this machine). Listing it for every face and
parsing it for the 6–8 faces an issue's roles use took 40–75 ms of every cold PDF build and every
``bulletin check`` (2-core machine, loaded; fc-list 17 → 8 ms without the charsets, parsing 2–5 ms
per Chinese face); a cache hit reads a few kB of binary ranges per face (under 1 ms each).

When an entry is used. Only for a face whose font file has the same path, size and modification
time (ns) as when the entry was written, and the same face index: a font replaced, updated or
removed is read from fontconfig again, as fontconfig's own cache does. Which faces are installed
always comes from a fresh ``fc-list`` (:func:`~bulletin_kit.fonts.installed.installed_faces`), so
installing or removing a font is seen at once. An unreadable, corrupt or foreign entry is a miss;
a failed write is ignored. Entries hold numbers only, never code.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from .. import user_cache

if TYPE_CHECKING:
    from .installed import InstalledFace

FOLDER = "fonts"
_MAGIC = b"bulletin-kit charset 1\n"
_FC_CHARSET_FORMAT = "%{file}\t%{index}\t%{charset}\n"

Ranges = tuple[tuple[int, int], ...]


def parse_charset(value: str) -> Ranges:
    """Return fontconfig's charset text (``20-7e a0 …``) as sorted inclusive ranges."""
    ranges = []
    for token in value.split():
        low, _, high = token.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return tuple(sorted(ranges))


def ranges_of(face: InstalledFace) -> Ranges:
    """Return the code points ``face`` covers (cached by its file's path, size and mtime)."""
    try:
        info = os.stat(face.file)
    except OSError:
        return parse_charset(fontconfig_charsets().get((str(face.file), face.index), ""))
    key = repr((str(face.file), face.index, info.st_size, info.st_mtime_ns)).encode("utf-8", "surrogatepass")
    folder = user_cache.folder(FOLDER)
    entry = folder / f"{hashlib.sha256(key).hexdigest()}.ranges" if folder is not None else None
    if entry is not None:
        cached = _read(entry, key)
        if cached is not None:
            return cached
    text = fontconfig_charsets().get((str(face.file), face.index))
    ranges = parse_charset(text or "")
    if entry is not None and text is not None:  # not a face fontconfig failed to list
        flat = array("I", [n for pair in ranges for n in pair])
        user_cache.write_atomic(entry, _MAGIC + key + b"\n" + flat.tobytes())
    return ranges


def _read(entry: Path, key: bytes) -> Ranges | None:
    """Return the ranges stored in ``entry`` for ``key``, or None if it is missing or not intact."""
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    header = _MAGIC + key + b"\n"
    body = data[len(header) :]
    if not data.startswith(header) or len(body) % (2 * array("I").itemsize):
        return None
    flat = array("I")
    flat.frombytes(body)
    numbers = flat.tolist()
    if numbers != sorted(numbers):  # the ranges of a charset are sorted and apart
        return None
    pairs = iter(numbers)
    return tuple(zip(pairs, pairs, strict=True))


@functools.cache
def fontconfig_charsets() -> dict[tuple[str, int], str]:
    """Return fontconfig's charset text of every face, by (file, face index) (one ``fc-list`` per process)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    result = subprocess.run(
        [exe, "--format", _FC_CHARSET_FORMAT], capture_output=True, check=False, timeout=60
    )
    from .installed import _number

    charsets: dict[tuple[str, int], str] = {}
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0]:
            charsets.setdefault((str(Path(parts[0])), int(_number(parts[1], 0))), parts[2])
    return charsets
