"""Which installed font each typeface role uses, and which characters of an issue no font covers.

Input: the theme's font roles (:data:`bulletin_kit.theme.FONTS`, :data:`~bulletin_kit.theme.LATIN`),
an issue, and fontconfig's list of installed fonts (one ``fc-list`` call per process).
Output: :class:`FontReport` for ``bulletin fonts`` / ``bulletin doctor``, :func:`missing_glyphs`
for the build's warnings, the facts the PDF writer needs (:func:`resolve`, :func:`font_files`), and
:func:`fontconfig_aliases`, the fontconfig rules that make LibreOffice show a Word file's office
fonts in their free substitutes (``python -m bulletin_kit.fonts --fontconfig``).

A role's stack is the CSS ``font-family`` list the PDF writer prints: the office font first,
then the free substitutes. Pango takes each character from the first installed family of the
stack that has it; a character that none of them has would come from an unrelated system font
or print as a tofu box, so it is reported as missing. Digits and Latin letters
(:data:`LATIN_RANGES`) come from the Latin role first, as in Word.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from .model import Issue
from .theme import FONTS, LATIN, FontRole, Theme

LATIN_ROLE = "latin"
LATIN_RANGES: tuple[tuple[int, int], ...] = ((0x20, 0x7E), (0xA0, 0xB6), (0xB8, 0xFF), (0x100, 0x24F))
"""Code points set in the Latin font: ASCII, Latin-1 and Latin Extended-A/B (pinyin tone marks).

U+00B7 · is left out (the 间隔号 comes from the Chinese font); so are “ ” ‘ ’ — …, which Word
would also set half-width in a Latin font (FORMAT.md §5).
"""

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
    charset: str = field(repr=False, compare=False)
    """fontconfig's charset text (hex ranges such as ``20-7e a0``), parsed on first use."""

    @functools.cached_property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        """Return the covered code points, as sorted inclusive ranges."""
        return _parse_charset(self.charset)

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


@dataclass(frozen=True)
class RoleFonts:
    """The installed faces of one role's stack, in stack order (one face per installed family)."""

    role: str
    spec: FontRole
    faces: tuple[InstalledFace, ...]

    @property
    def used(self) -> InstalledFace | None:
        """Return the face Pango uses for the role's ordinary characters, or None if none is installed."""
        return self.faces[0] if self.faces else None

    @property
    def office_installed(self) -> bool:
        """Return whether the office font (or one of its other names) is installed."""
        wanted = {n.casefold() for n in (self.spec.office, *self.spec.aliases)}
        return self.used is not None and any(n.casefold() in wanted for n in self.used.names)

    @property
    def css_weight(self) -> int:
        """Return the CSS weight to ask for: the role's weight for a substitute, 400 for the office font.

        方正小标宋 is heavy by design and must not get a synthetic bold (GB/T 9704 §7.3.1); its free
        stand-in, Noto Serif CJK SC, needs its Bold face to look like it.
        """
        return 400 if self.office_installed else self.spec.weight

    def covers(self, char: str) -> bool:
        """Return whether any face of the stack has ``char``."""
        return any(face.covers(char) for face in self.faces)


ROLE_NAMES = {
    "xiaobiaosong": "小标宋",
    "fangsong": "仿宋",
    "kaiti": "楷体",
    "heiti": "黑体",
    "songti": "宋体",
    "latin": "西文",
}
"""The Chinese name of each font role, as the report prints it."""


@dataclass(frozen=True)
class FontReport:
    """What ``bulletin fonts FILE`` prints."""

    roles: dict[str, RoleFonts]
    """Font role name -> its faces, plus :data:`LATIN_ROLE`."""
    missing: dict[str, set[str]]
    """Font role name -> characters of the issue that no face of its stack (nor the Latin font) has."""
    harfbuzz_subset: bool

    @property
    def ok(self) -> bool:
        """Return whether every role has a font and every character is covered."""
        return all(r.used for r in self.roles.values()) and not any(self.missing.values())

    def lines(self) -> list[str]:
        """Return the report as lines of text for the terminal."""
        out: list[str] = []
        for name, fonts in self.roles.items():
            head = f"{ROLE_NAMES.get(name, name)}（{fonts.spec.office}）："
            if fonts.used is None:
                out.append(head + "没有安装该字体栈中的任何字体 [错误]")
                continue
            tag = "" if fonts.office_installed else "（替代字体）"
            out.append(head + fonts.used.describe() + tag)
            if fonts.spec.windows:  # the font table's w:altName (tools/make_docx_template.py)
                out.append(
                    f"    Word（Windows）：装有 {fonts.spec.office} 时用它，否则用 {fonts.spec.windows}"
                )
            else:
                out.append(f"    Word（Windows）：{fonts.spec.office}（Windows 自带）")
            for face in fonts.faces[1:]:
                out.append(f"    后备：{face.describe()}")
            chars = self.missing.get(name)
            if chars:
                listed = " ".join(f"{c} U+{ord(c):04X}" for c in sorted(chars))
                out.append(f"    缺字 {len(chars)} 个：{listed} [警告]")
        if not self.harfbuzz_subset:
            out.append(
                "未找到 HarfBuzz-Subset 库：WeasyPrint 将改用 fontTools 精简字体，生成 PDF 会慢很多"
                "（请安装 libharfbuzz-subset0）[警告]"
            )
        return out


# --- fontconfig -------------------------------------------------------------------------------

_FC_FORMAT = "%{family}\t%{style}\t%{weight}\t%{slant}\t%{file}\t%{index}\t%{charset}\n"


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
    parts = line.split("\t")
    if len(parts) != 7 or not parts[0] or not parts[4]:
        return None
    family, style, weight, slant, file, index, charset = parts
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


def _parse_charset(value: str) -> tuple[tuple[int, int], ...]:
    ranges = []
    for token in value.split():
        low, _, high = token.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return tuple(sorted(ranges))


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


def resolve(role: str, spec: FontRole) -> RoleFonts:
    """Return the installed faces of ``spec``'s stack, in order."""
    faces: list[InstalledFace] = []
    office = {n.casefold() for n in (spec.office, *spec.aliases)}
    for family in spec.stack:
        # The weight asked of the office font is 400; of a substitute, the role's weight.
        face = find_face(family, 400 if family.casefold() in office else spec.weight)
        if face is not None and face not in faces:
            faces.append(face)
    return RoleFonts(role, spec, tuple(faces))


def resolve_all() -> dict[str, RoleFonts]:
    """Return every font role resolved, plus the Latin role under :data:`LATIN_ROLE`."""
    roles = {name: resolve(name, spec) for name, spec in FONTS.items()}
    roles[LATIN_ROLE] = resolve(LATIN_ROLE, LATIN)
    return roles


def in_latin_range(char: str) -> bool:
    """Return whether ``char`` is set in the Latin font (see :data:`LATIN_RANGES`)."""
    code = ord(char)
    return any(low <= code <= high for low, high in LATIN_RANGES)


def _printable(text: str) -> Iterable[str]:
    for char in set(text):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        yield char


def missing_glyphs(issue: Issue, theme: Theme) -> dict[str, set[str]]:
    """Return, for each font role, the characters of ``issue`` that no font of its stack covers."""
    return missing_with(issue, theme, resolve_all())


def missing_with(issue: Issue, theme: Theme, roles: dict[str, RoleFonts]) -> dict[str, set[str]]:
    """Return :func:`missing_glyphs` for roles already resolved."""
    from .writers.html import styled_texts

    by_role: dict[str, set[str]] = {}
    for style_key, text in styled_texts(issue, theme):
        role = theme.styles[style_key].font
        by_role.setdefault(role, set()).update(_printable(text))
    latin = roles[LATIN_ROLE]
    missing: dict[str, set[str]] = {}
    for role, chars in by_role.items():
        fonts = roles[role]
        lost = {c for c in chars if not (in_latin_range(c) and latin.covers(c)) and not fonts.covers(c)}
        if lost:
            missing[role] = lost
    return missing


def report(issue: Issue, theme: Theme) -> FontReport:
    """Return which font each role uses on this machine and what the issue needs that none has."""
    roles = resolve_all()
    return FontReport(roles, missing_with(issue, theme, roles), harfbuzz_subset_available())


def harfbuzz_subset_available() -> bool:
    """Return whether WeasyPrint can subset fonts with HarfBuzz (else it uses slow fontTools)."""
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except (ImportError, OSError):
        return False
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


# --- fontconfig rules for LibreOffice -----------------------------------------------------------------


def fontconfig_aliases(standalone: bool) -> str:
    """Return fontconfig rules that name each office font's free substitutes (小标宋 in bold).

    LibreOffice ignores the ``w:altName`` of a Word file's font table and asks fontconfig for
    仿宋_GB2312 and the rest; without these rules every role falls back to one CJK font. Each rule
    puts the role's :attr:`FontRole.free` fonts right after the office font (or one of its other
    names) that a program asks for, so an office font that is installed still wins.
    ``standalone=True`` gives a whole configuration that includes ``/etc/fonts/fonts.conf`` first,
    for ``FONTCONFIG_FILE`` (tests); ``standalone=False`` a snippet for ``/etc/fonts/conf.d/``.
    The rules edit only what a program asks for (``target="pattern"``): ``fc-list`` still lists the
    installed families, so :attr:`RoleFonts.office_installed` stays false without the office fonts.
    """
    rules = []
    for role in FONTS.values():
        families = "".join(f"<string>{escape(f)}</string>" for f in role.free)
        bold = '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
        for name in (role.office, *role.aliases):
            rules.append(
                f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
                f'<edit name="family" mode="append" binding="strong">{families}</edit>'
                f"{bold if role.weight >= 700 else ''}</match>"
            )
    include = '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' if standalone else ""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<!-- bulletin-kit: the free fonts that stand in for the office fonts of its Word files\n"
        "     (written by python -m bulletin_kit.fonts with the fontconfig option) -->\n"
        f"<fontconfig>\n{include}" + "\n".join(rules) + "\n</fontconfig>\n"
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m bulletin_kit.fonts --fontconfig [--standalone]``: print the fontconfig rules."""
    parser = argparse.ArgumentParser(prog="python -m bulletin_kit.fonts", description=main.__doc__)
    parser.add_argument("--fontconfig", action="store_true", help="print the conf.d snippet")
    parser.add_argument(
        "--standalone", action="store_true", help="a whole fonts.conf for FONTCONFIG_FILE instead"
    )
    args = parser.parse_args(argv)
    if not args.fontconfig:
        parser.print_usage(sys.stderr)
        return 2
    sys.stdout.write(fontconfig_aliases(args.standalone))
    return 0


if __name__ == "__main__":
    sys.exit(main())
