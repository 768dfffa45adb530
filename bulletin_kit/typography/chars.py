"""Character classes of Chinese text: full-width (CJK) characters and invisible controls.

Input: one character. Output: its class, as the writers, the line breaker and the lint see it.
"""

from __future__ import annotations

import functools
import unicodedata

WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
IGNORABLE = frozenset(f"{WORD_JOINER}{ZERO_WIDTH_SPACE}\u00ad\u200c\u200d\ufeff")
"""Characters that take no room and get no justification space."""
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han characters (CJK Unified Ideographs, extension A, compatibility), for a regex character class."""


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
