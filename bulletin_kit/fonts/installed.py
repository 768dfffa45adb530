"""The fonts installed on this machine, as fontconfig lists them (one ``fc-list`` call per process).

Input: ``fc-list`` output. Output: :class:`InstalledFace` records, :func:`find_face` by family and
weight, and :func:`font_files` (the only files the PDF writer's font fetcher serves).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from . import charsets

# fontconfig weights (FC_WEIGHT_*) for the CSS weights the roles ask for
_FC_WEIGHT = {100: 0, 200: 40, 300: 50, 400: 80, 500: 100, 600: 180, 700: 200, 800: 205, 900: 210}


@dataclass(frozen=True, eq=False)
class InstalledFace:
    """One face that fontconfig lists."""

    names: tuple[str, ...]
    """All family names of the face (English first, then localised ones such as 仿宋)."""
    style: str
    weight: float
    """fontconfig weight: 80 regular, 200 bold."""
    italic: bool
    file: Path
    index: int
    """Face index inside a .ttc collection."""
    charset: str | None = field(default=None, repr=False, compare=False)
    """fontconfig's charset text (hex ranges such as ``20-7e a0``) if given; None: asked on first use."""

    @functools.cached_property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        """Return the covered code points, as sorted inclusive ranges (:mod:`.charsets` caches them)."""
        if self.charset is not None:
            return charsets.parse_charset(self.charset)
        return charsets.ranges_of(self)

    @property
    def family(self) -> str:
        """Return the face's main family name."""
        return self.names[0]

    def covers(self, char: str) -> bool:
        """Return whether the face has a glyph for ``char``."""
        code = ord(char)
        i = bisect_right(self.ranges, (code, 0x10FFFF)) - 1
        return i >= 0 and self.ranges[i][0] <= code <= self.ranges[i][1]

    def describe(self) -> str:
        """Return e.g. ``FandolFang Regular (/usr/local/share/fonts/…/FandolFang-Regular.otf)``."""
        index = f"#{self.index}" if self.index else ""
        return f"{self.family} {self.style} ({self.file}{index})"


_FC_FORMAT = "%{family}\t%{style}\t%{weight}\t%{slant}\t%{file}\t%{index}\n"
"""What :func:`installed_faces` asks of each face; the charsets (600 kB of text) only when needed."""


@functools.cache
def installed_faces() -> tuple[InstalledFace, ...]:
    """Return every face fontconfig knows (cached for the process; empty without ``fc-list``)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return ()
    result = subprocess.run([exe, "--format", _FC_FORMAT], capture_output=True, check=False, timeout=60)
    faces = []
    for raw in result.stdout.decode("utf-8", "replace").splitlines():
        face = _parse_face(raw)
        if face is not None:
            faces.append(face)
    return tuple(faces)


def _parse_face(line: str) -> InstalledFace | None:
    """Return the face of an :data:`_FC_FORMAT` line (and a charset after one more tab, if given)."""
    parts = line.split("\t")
    if len(parts) not in (6, 7) or not parts[0] or not parts[4]:
        return None
    family, style, weight, slant, file, index = parts[:6]
    charset = parts[6] if len(parts) == 7 else None
    return InstalledFace(
        names=tuple(_split_list(family)),
        style=_split_list(style)[0] if style else "",
        weight=_number(weight, 80),
        italic=_number(slant, 0) > 0,
        file=Path(file),
        index=int(_number(index, 0)),
        charset=charset,
    )


def _split_list(value: str) -> list[str]:
    """Split a fontconfig value list at unescaped commas."""
    items, current, escaped = [], "", False
    for char in value:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [i for i in items if i]


def _number(value: str, default: float) -> float:
    """Return a fontconfig number; a range such as ``[0 210]`` gives its lower end."""
    try:
        return float(value.strip("[]").split()[0])
    except (ValueError, IndexError):
        return default


def font_files() -> frozenset[Path]:
    """Return the files of every installed face (the only files the PDF writer's font fetcher serves)."""
    return frozenset(face.file for face in installed_faces())


def find_face(family: str, css_weight: int = 400) -> InstalledFace | None:
    """Return the installed upright face of ``family`` nearest to ``css_weight``, or None."""
    key = family.casefold()
    candidates = [f for f in installed_faces() if any(n.casefold() == key for n in f.names)]
    if not candidates:
        return None
    target = _FC_WEIGHT.get(css_weight, 80)
    return min(candidates, key=lambda f: (f.italic, abs(f.weight - target), f.index))
