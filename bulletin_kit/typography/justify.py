"""Inter-character justification arithmetic (CSS Text 3 §7.1 ``text-justify: inter-character``).

Input: the visible characters of one laid-out line and the width it lacks. Output: the extra
space to add after each character.

A line that contains Chinese characters gets its remaining width split evenly over every
*justification opportunity*, i.e. every boundary between two visible characters where at least
one side is a CJK character (or the left side is a space); Latin words and numbers such as 2018 or
68.44 stay tight, and the two halves of —— and …… are never pulled apart (clreq §3.7).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .chars import is_cjk
from .line_breaking import JOINED_PAIRS


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


def spread(chars: Sequence[str], extra_width: float) -> list[float] | None:
    """Return the space to add after each of ``chars`` so that the line grows by ``extra_width``.

    ``None`` when inter-character justification does not apply: nothing to add, no CJK
    character, or no opportunity (the caller then keeps the default, inter-word, justification).
    """
    if extra_width <= 0 or not any(map(is_cjk, chars)):
        return None
    gaps = opportunities(chars)
    count = sum(gaps)
    if not count:
        return None
    per_gap = extra_width / count
    return [per_gap if gap else 0.0 for gap in gaps]
