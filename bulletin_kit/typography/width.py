"""The width of a text in em, as both writers and the lint estimate it before layout.

Input: text (break controls allowed). Output: its width in em of the font size.
"""

from __future__ import annotations

from .chars import IGNORABLE, is_cjk

AUTOSPACE_EM = 0.25
"""The gap Word and LibreOffice put between Chinese and Latin letters or digits (autoSpaceDE/DN)."""


def text_em(text: str, *, autospace: bool = False) -> float:
    """Return the width of ``text`` in em, counting CJK characters 1 and the others ½.

    With ``autospace``, add :data:`AUTOSPACE_EM` at each change between CJK and other visible
    characters (the gap Word and the PDF writer draw there).
    """
    visible = [c for c in text if c not in IGNORABLE]
    wide = [is_cjk(c) for c in visible]
    width = sum(1.0 if w else 0.5 for w in wide)
    if autospace:
        gaps = sum(1 for a, b, c in zip(wide, wide[1:], visible[1:], strict=False) if a != b and c.strip())
        width += AUTOSPACE_EM * gaps
    return width
