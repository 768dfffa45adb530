"""Chinese line breaking and inter-character justification for WeasyPrint 70.0.

Input: plain text before it becomes HTML (:func:`break_rules`), and WeasyPrint's laid-out line
boxes (:func:`justify_line`, active inside :func:`enabled`). Output: text whose line-break
opportunities follow the Chinese rules, and justified lines whose extra space is spread between
Chinese characters instead of only between spaces.

Why. WeasyPrint 70 implements ``text-align: justify`` by stretching U+0020/U+00A0 only
(``weasyprint/layout/inline.py: justify_line``); a Chinese line has no spaces, so it stays ragged,
up to one character short. Its line breaking is Pango's UAX #14, which (a) forbids a break on
either side of the ambiguous quotation marks “ ” ‘ ’ (class QU, rule LB19), so a line breaks one
character early before “ and after ”, and (b) allows —— (class B2) to start a line.

How, in two independent parts:

1. :func:`break_rules` (pure text, no WeasyPrint): inserts U+2060 WORD JOINER where a break is
   forbidden (before 。，、；：？！）》” and the other line-start-prohibited marks of clreq's
   "basic" level, before —— and ……, after opening brackets and quotes), and U+200B ZERO WIDTH
   SPACE where clreq allows a break that UAX #14 forbids (before an opening quote, after a
   closing one). Both characters are default-ignorable: Pango shapes them as empty glyphs, and
   WeasyPrint writes no glyph for them, so text extracted from the PDF is unchanged.

2. :func:`justify_line` replaces WeasyPrint's function of the same name (CSS Text 3 §7.1,
   ``text-justify: inter-character``, as clreq describes for Chinese): a line that contains
   Chinese characters gets its remaining width split evenly over every *justification
   opportunity*, i.e. every boundary between two visible characters where at least one side is
   a CJK character (or the left side is a space); Latin words and numbers such as 2018 or 68.44
   stay tight, and the two halves of —— and …… are never pulled apart. Lines without such an
   opportunity go to WeasyPrint's own function unchanged. Each text box is moved right by the
   space added before it and widened by the space added inside it; the per-character extra is
   stored on the box's Pango layout and added to the glyph advances when WeasyPrint re-creates
   that layout for drawing (:func:`_reactivate`). No character is inserted, so the PDF text
   stays free of spaces. The last line of a paragraph is not stretched (WeasyPrint only calls
   ``justify_line`` for the other lines).

The patch touches private WeasyPrint functions, so it is guarded: :func:`check_weasyprint`
refuses any version other than :data:`SUPPORTED_WEASYPRINT` or changed signatures. An upstream
version would put :func:`justify_line` in ``layout/inline.py`` and the glyph spreading in
``text/line_break.py: Layout.set_text``.
"""

from __future__ import annotations

import functools
import inspect
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SUPPORTED_WEASYPRINT = "70.0"

WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
IGNORABLE = frozenset(f"{WORD_JOINER}{ZERO_WIDTH_SPACE}\u00ad\u200c\u200d\ufeff")
"""Characters that take no room and get no justification space."""

# clreq "basic" level (行首禁则): 点号, closing quotes and brackets, 连接号, 间隔号, 分隔号, and
# the 省略号 (GB/T 15834 §5.1; FORMAT.md §4). ASCII marks are left to UAX #14.
NO_LINE_START = frozenset(
    "。，、；：？！．｡､"  # 点号
    "）》〉」』】〕〗〙］｝”’"  # closing brackets and quotes
    "—～〜–"  # 连接号 (—— counts as two)
    "·・‧"  # 间隔号
    "／"  # 分隔号
    "…"  # 省略号
)
# 行尾禁则: opening brackets and quotes never end a line.
NO_LINE_END = frozenset("（《〈「『【〔〖〘［｛“‘")
OPENING_QUOTES = frozenset("“‘")
CLOSING_QUOTES = frozenset("”’")
# Two-em marks drawn as two glyphs that must touch: —— and …… (GB/T 15834 §4.1.1, §4.6).
JOINED_PAIRS = frozenset({"——", "……"})


def break_rules(text: str) -> str:
    """Return ``text`` with invisible break controls for Chinese line breaking.

    A WORD JOINER goes where clreq forbids a break that UAX #14 might allow, a ZERO WIDTH SPACE
    where clreq allows a break that UAX #14 forbids (around “ ” ‘ ’). Whitespace is left alone,
    and so is any break between two ASCII characters.
    """
    out: list[str] = []
    prev = ""
    for char in text:
        if prev and not prev.isspace() and not char.isspace():
            control = _between(prev, char)
            if control:
                out.append(control)
        out.append(char)
        prev = char
    return "".join(out)


def _between(prev: str, char: str) -> str:
    """Return the control to put between ``prev`` and ``char`` ('' for none)."""
    if prev + char in JOINED_PAIRS:
        return ""  # UAX #14 already keeps —— (B2 × B2) and …… (IN × IN) together
    if char in NO_LINE_START or prev in NO_LINE_END:
        return WORD_JOINER
    if char in OPENING_QUOTES or prev in CLOSING_QUOTES:
        return ZERO_WIDTH_SPACE
    return ""


def strip_break_controls(text: str) -> str:
    """Return ``text`` without the controls :func:`break_rules` inserts."""
    return text.replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "")


@functools.lru_cache(maxsize=8192)
def is_cjk(char: str) -> bool:
    """Return whether ``char`` is set as a full-width CJK character in Chinese text.

    Wide and full-width characters (Han, kana, CJK punctuation, full-width forms, U+3000) are;
    so are the East-Asian-ambiguous punctuation marks “ ” ‘ ’ — … · that Chinese fonts set
    full-width. Latin letters and digits are not.
    """
    width = unicodedata.east_asian_width(char)
    if width in ("W", "F"):
        return True
    return width == "A" and unicodedata.category(char).startswith("P")


@functools.lru_cache(maxsize=65536)
def is_opportunity(left: str, right: str) -> bool:
    """Return whether justification may add space between the visible characters ``left`` and ``right``.

    Opportunities are boundaries with a CJK character on either side, and the space after a
    U+0020/U+00A0 (what WeasyPrint already stretches); never inside —— or ……, and never inside
    a run of Latin letters or digits.
    """
    if left + right in JOINED_PAIRS:
        return False
    if left in " \u00a0":
        return True
    return is_cjk(left) or is_cjk(right)


def opportunities(chars: Sequence[str]) -> list[bool]:
    """Return, for each visible character of a line, whether space may be added after it.

    The last character never gets any (a justified line ends flush with its box).
    """
    if not chars:
        return []
    return [*map(is_opportunity, chars[:-1], chars[1:]), False]


# --- WeasyPrint integration -----------------------------------------------------------------


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the version this module was written against."""


_EXPECTED_SIGNATURES = {
    "layout.inline.justify_line": ["context", "line", "extra_width"],
    "layout.inline.text_align": ["context", "line", "available_width", "last"],
    "text.line_break.Layout.reactivate": ["self", "style"],
    "text.line_break.Layout.set_text": ["self", "text", "justify"],
    "draw.text.draw_first_line": ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"],
}


def check_weasyprint() -> None:
    """Raise :class:`UnsupportedWeasyPrint` unless WeasyPrint is the version this patch targets."""
    import weasyprint
    from weasyprint.draw import text as draw_text
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        raise UnsupportedWeasyPrint(
            f"bulletin_kit.writers.cjk_justify supports WeasyPrint {SUPPORTED_WEASYPRINT} only, "
            f"found {weasyprint.__version__}: keep the pin in pyproject.toml, or re-check "
            "justify_line in weasyprint/layout/inline.py and Layout in weasyprint/text/line_break.py "
            "and update this module"
        )
    found = {
        "layout.inline.justify_line": inline.justify_line,
        "layout.inline.text_align": inline.text_align,
        "text.line_break.Layout.reactivate": line_break.Layout.reactivate,
        "text.line_break.Layout.set_text": line_break.Layout.set_text,
        "draw.text.draw_first_line": draw_text.draw_first_line,
    }
    for name, function in found.items():
        if getattr(function, "_bulletin_kit_patch", False):
            continue
        params = list(inspect.signature(function).parameters)
        if params != _EXPECTED_SIGNATURES[name]:
            raise UnsupportedWeasyPrint(
                f"weasyprint.{name} has parameters {params}, expected {_EXPECTED_SIGNATURES[name]}"
            )


@dataclass
class _Patch:
    justify_line: Callable[..., Any]
    reactivate: Callable[..., Any]
    depth: int = 0


_lock = threading.RLock()
_patch: _Patch | None = None


@contextmanager
def enabled() -> Iterator[None]:
    """Patch WeasyPrint's line justification for the duration of the block (re-entrant).

    Both layout (``render``) and drawing (``write_pdf``) must happen inside the block.
    """
    global _patch
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    with _lock:
        if _patch is None:
            check_weasyprint()
            _patch = _Patch(inline.justify_line, line_break.Layout.reactivate)
            inline.justify_line = justify_line
            line_break.Layout.reactivate = _reactivate
        _patch.depth += 1
        try:
            yield
        finally:
            _patch.depth -= 1
            if _patch.depth == 0:
                inline.justify_line = _patch.justify_line
                line_break.Layout.reactivate = _patch.reactivate
                _patch = None


def _original_justify_line(context: Any, line: Any, extra_width: float) -> None:
    if _patch is not None:
        _patch.justify_line(context, line, extra_width)


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread ``extra_width`` over the justification opportunities of ``line``.

    Drop-in replacement for ``weasyprint.layout.inline.justify_line``. Runs once per justified
    line, so it is kept lean (profiled: benchmarks/bench_build.py): one pass collects the
    visible characters, cached predicates classify the boundaries.
    """
    if line.style["direction"] == "rtl" or extra_width <= 0:
        _original_justify_line(context, line, extra_width)
        return
    units: list[tuple[Any, str, int]] = []
    _collect(line, units, _box_types())
    chars = [char for _, char, _ in units]
    gaps = opportunities(chars)
    count = sum(gaps)
    if not count or not any(map(is_cjk, chars)):
        _original_justify_line(context, line, extra_width)
        return
    per_gap = extra_width / count
    extra: dict[int, dict[int, float]] = {}
    for (box, _, index), gap in zip(units, gaps, strict=True):
        if gap:
            extra.setdefault(id(box), {})[index] = per_gap
    _shift(line, extra, 0.0, _box_types())


@functools.cache
def _box_types() -> tuple[type, tuple[type, ...]]:
    """Return WeasyPrint's (TextBox, (LineBox, InlineBox)) classes, imported once."""
    from weasyprint.formatting_structure import boxes

    return boxes.TextBox, (boxes.LineBox, boxes.InlineBox)


def _collect(box: Any, units: list[tuple[Any, str, int]], types: tuple[type, tuple[type, ...]]) -> None:
    """Append ``(box, char, index in box.text)`` for each visible character of ``box``, in order.

    An atomic inline box (an image or inline-block) counts as one object character, index -1.
    """
    text_box, containers = types
    if isinstance(box, text_box):
        units.extend((box, char, index) for index, char in enumerate(box.text) if char not in IGNORABLE)
    elif isinstance(box, containers):
        for child in box.children:
            if child.is_in_normal_flow():
                _collect(child, units, types)
    else:
        units.append((box, "\ufffc", -1))


def _shift(
    box: Any, extra: dict[int, dict[int, float]], x_advance: float, types: tuple[type, tuple[type, ...]]
) -> float:
    """Move ``box`` by ``x_advance``, widen it by its own extra space; return the new advance."""
    text_box, containers = types
    mine = extra.get(id(box), {})
    if isinstance(box, text_box):
        box.position_x += x_advance
        if mine:
            added = sum(mine.values())
            box.width += added
            box.pango_layout.bulletin_kit_spacing = _byte_offsets(box.text, mine)
            x_advance += added
    elif isinstance(box, containers):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, extra, x_advance, types)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
        x_advance += mine.get(-1, 0.0)
    return x_advance


def _byte_offsets(text: str, by_index: dict[int, float]) -> dict[int, float]:
    """Return ``by_index`` keyed by the UTF-8 offset just after each character instead."""
    result: dict[int, float] = {}
    offset = 0
    last = max(by_index)
    for index, char in enumerate(text):
        code = ord(char)
        offset += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        if index in by_index:
            result[offset] = by_index[index]
            if index == last:
                break
    return result


def _reactivate(self: Any, style: Any) -> None:
    """``Layout.reactivate`` (called just before drawing), then add the justification space."""
    assert _patch is not None
    _patch.reactivate(self, style)
    spacing = getattr(self, "bulletin_kit_spacing", None)
    if spacing:
        spread_glyphs(self, spacing)


_reactivate._bulletin_kit_patch = True  # type: ignore[attr-defined]
justify_line._bulletin_kit_patch = True  # type: ignore[attr-defined]


def spread_glyphs(layout: Any, spacing: dict[int, float]) -> None:
    """Add ``spacing[end]`` (CSS px) to the advance of the cluster ending at UTF-8 offset ``end``.

    Works on the first line of ``layout`` (the only one WeasyPrint draws); rounding to Pango
    units is carried from one glyph to the next, so the line's total is exact.
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    # draw_first_line() sets this too; setting it first keeps Pango from re-laying out the line
    # and discarding the widths changed here.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line, _ = layout.get_first_line()
    wanted = 0.0
    given = 0
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        glyphs = glyph_item.glyphs
        clusters = glyphs.log_clusters
        count = glyphs.num_glyphs
        for i in range(count):
            # Only the last glyph of a cluster takes the space (LTR runs: clusters ascend).
            if i + 1 < count and clusters[i + 1] == clusters[i]:
                continue
            end = item.offset + (clusters[i + 1] if i + 1 < count else item.length)
            if end in spacing:
                wanted += spacing[end] * TO_UNITS
                step = round(wanted) - given
                glyphs.glyphs[i].geometry.width += step
                given += step
