"""Chinese line breaking (clreq "basic" level) as invisible break controls in the text.

Input: plain text before it becomes HTML. Output: the same text with U+2060 WORD JOINER where a
break is forbidden (before 。，、；：？！）》” and the other line-start-prohibited marks, before
—— and ……, after opening brackets and quotes) and U+200B ZERO WIDTH SPACE where clreq allows a
break that UAX #14 forbids (before an opening quote, after a closing one).

Why. WeasyPrint breaks lines with Pango's UAX #14, which (a) forbids a break on either side of the
ambiguous quotation marks “ ” ‘ ’ (class QU, rule LB19), so a line breaks one character early
before “ and after ”, and (b) allows —— (class B2) to start a line. Both controls are
default-ignorable: Pango shapes them as empty glyphs and WeasyPrint writes no glyph for them, so
text extracted from the PDF is unchanged.
"""

from __future__ import annotations

import re

from .chars import WORD_JOINER, ZERO_WIDTH_SPACE

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
    return _CANDIDATES.sub(lambda m: _control(text, m.start()), text)


def _control(text: str, index: int) -> str:
    """Return the control to put before ``text[index]`` ('' for none)."""
    if index == 0 or index == len(text):
        return ""
    prev, char = text[index - 1], text[index]
    if prev.isspace() or char.isspace():
        return ""
    return _between(prev, char)


def _char_class(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


_CANDIDATES = re.compile(
    f"(?={_char_class(NO_LINE_START | OPENING_QUOTES)})|(?<={_char_class(NO_LINE_END | CLOSING_QUOTES)})"
)
"""The places where :func:`_between` may put a control: before a mark of its first two rules or after
one (the regex finds them in C; a Python loop over every pair of characters cost 3× more)."""


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
