"""Alignment: which reviewed paragraph is which built one (:class:`difflib.SequenceMatcher`, then similarity).

Input: the built and the reviewed :class:`~.paragraphs.Para` lists. Output: the pairs, the deleted
built paragraphs and the inserted reviewed ones.
"""

from __future__ import annotations

import difflib

from .paragraphs import Para

SIMILAR = 0.4
"""Least :meth:`difflib.SequenceMatcher.ratio` for a changed paragraph to keep its element."""
PAIR_WINDOW = 12
"""How many old paragraphs a changed one is compared with (keeps a rewritten issue fast)."""


def align(old: list[Para], new: list[Para]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Return (pairs of old and new paragraph indexes, deleted old indexes, inserted new indexes)."""
    matcher = difflib.SequenceMatcher(None, [p.text for p in old], [p.text for p in new], autojunk=False)
    pairs: list[tuple[int, int]] = []
    deleted: list[int] = []
    inserted: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        start = i1
        used: set[int] = set()
        for j in range(j1, j2):
            best: tuple[int, float] | None = None
            for i in range(start, min(i2, start + PAIR_WINDOW)):
                ref = old[i].ref
                if (ref and ref.kind in ("image",)) != (new[j].pictures > 0 and not new[j].text):
                    continue
                ratio = _similarity(old[i].text, new[j].text)
                if ratio >= SIMILAR and (best is None or ratio > best[1]):
                    best = (i, ratio)
            if best is None:
                inserted.append(j)
                continue
            pairs.append((best[0], j))
            used.add(best[0])
            start = best[0] + 1
        deleted.extend(i for i in range(i1, i2) if i not in used)
    pairs.sort(key=lambda p: p[1])
    return pairs, sorted(deleted), sorted(inserted)


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()
