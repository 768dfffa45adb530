"""Bold 仿宋 and 楷体 in the PDF: the glyphs are filled and stroked, as Word draws a missing bold face.

Input: WeasyPrint's drawing of each text box (inside :func:`enabled`). Output: bold text set in a
font role that has no bold face (仿宋, 楷体: neither 仿宋_GB2312 nor its free stand-ins ship one) is
drawn with PDF text rendering mode 2 (fill, then stroke) and a stroke of :data:`STROKE_EM` of the
font size in the text colour, so that ``**加粗**`` in a 仿宋 paragraph is visibly bold.

Why. WeasyPrint 70 asks fontconfig for weight 700; fontconfig answers with the regular face (and
an ``embolden`` flag that only Cairo honours), and WeasyPrint draws that face unchanged: the PDF
names the font ``…-Bold`` but the text looks regular. The patch wraps
``weasyprint.draw.text.draw_first_line`` (signature checked by
:func:`bulletin_kit.writers.cjk_justify.check_weasyprint`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..theme import FONTS

STROKE_EM = 0.03
"""Stroke width as a share of the font size (0.48 pt at 16 pt), about Word's synthetic bold."""
NO_BOLD_ROLES = ("fangsong", "kaiti")
"""Font roles whose fonts have no bold face."""

_FAMILIES = frozenset(FONTS[role].office for role in NO_BOLD_ROLES)
"""Each role's office font heads its CSS stack (after the Latin alias), so it names the role."""
_lock = threading.RLock()
_depth = 0
_original: Any = None


def needs_fake_bold(style: Any) -> bool:
    """Return True for bold text whose font stack is a role without a bold face."""
    return style["font_weight"] >= 600 and any(f in _FAMILIES for f in style["font_family"])


def _draw_first_line(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any) -> Any:
    if not needs_fake_bold(textbox.style):
        return _original(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_color(textbox.style["color"], stroke=True)
    stream.set_line_width(textbox.style["font_size"] * STROKE_EM)
    stream.set_text_rendering(2)
    try:
        return _original(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        stream.set_text_rendering(0)


_draw_first_line._bulletin_kit_patch = True  # type: ignore[attr-defined]


@contextmanager
def enabled() -> Iterator[None]:
    """Draw bold 仿宋/楷体 as filled and stroked glyphs for the duration of the block (re-entrant)."""
    global _depth, _original
    from weasyprint.draw import text as draw_text

    with _lock:
        if _depth == 0:
            _original = draw_text.draw_first_line
            draw_text.draw_first_line = _draw_first_line
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                draw_text.draw_first_line = _original
                _original = None
