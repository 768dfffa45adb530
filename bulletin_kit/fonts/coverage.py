"""The characters of an issue that no font of their role's stack can show (they would print as tofu).

Input: an issue, the theme, the resolved roles. Output: role -> missing characters
(:func:`missing_glyphs`). Digits and Latin letters (:data:`LATIN_RANGES`) come from the Latin
role first, as in Word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..model import Issue
from ..theme import Theme
from .roles import LATIN_ROLE, RoleFonts, resolve_all

LATIN_RANGES: tuple[tuple[int, int], ...] = ((0x20, 0x7E), (0xA0, 0xB6), (0xB8, 0xFF), (0x100, 0x24F))
"""Code points set in the Latin font: ASCII, Latin-1 and Latin Extended-A/B (pinyin tone marks).

U+00B7 · is left out (the 间隔号 comes from the Chinese font); so are “ ” ‘ ’ — …, which Word
would also set half-width in a Latin font (FORMAT.md §5).
"""


def in_latin_range(char: str) -> bool:
    """Return whether ``char`` is set in the Latin font (see :data:`LATIN_RANGES`)."""
    code = ord(char)
    return any(low <= code <= high for low, high in LATIN_RANGES)


def _printable(chars: Iterable[str]) -> Iterable[str]:
    for char in chars:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        yield char


def missing_glyphs(issue: Issue, theme: Theme) -> dict[str, set[str]]:
    """Return, for each font role, the characters of ``issue`` that no font of its stack covers."""
    return missing_with(issue, theme, resolve_all())


def missing_with(issue: Issue, theme: Theme, roles: dict[str, RoleFonts]) -> dict[str, set[str]]:
    """Return :func:`missing_glyphs` for roles already resolved."""
    from ..writers.html import styled_texts

    by_role: dict[str, set[str]] = {}
    for style_key, text in styled_texts(issue, theme):
        by_role.setdefault(theme.styles[style_key].font, set()).update(text)
    by_role = {role: set(_printable(chars)) for role, chars in by_role.items()}  # each character once
    latin = roles[LATIN_ROLE]
    missing: dict[str, set[str]] = {}
    for role, chars in by_role.items():
        fonts = roles[role]
        lost = {c for c in chars if not (in_latin_range(c) and latin.covers(c)) and not fonts.covers(c)}
        if lost:
            missing[role] = lost
    return missing
