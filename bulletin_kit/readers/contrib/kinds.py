"""What a working paragraph looks like: body text, a title, a byline, a caption, a marked heading.

Input: working paragraphs. Output: the predicates the join and classify steps share.
"""

from __future__ import annotations

import re

from ... import cjk
from .. import news
from ..body_text import LABEL
from .assemble import Item, Para
from .rules import (
    _BYLINE_WORDS,
    _CAPTION_START,
    _DATE,
    _LEAD_PHRASE,
    _NOTE,
    _SENTENCE_END,
    _SOURCE,
    MAX_TITLE,
    TITLE_LINE,
    numbered,
    unit_like,
)

# ---------------------------------------------------------------- join


def _body_like(p: Para) -> bool:
    """Return True for running text (long, or with a sentence end, or a 编者按), never for a title."""
    flat = p.flat
    return p.hint is None and (
        len(flat) > MAX_TITLE
        or any(c in flat for c in _SENTENCE_END)
        or bool(_NOTE.match(flat))
        or flat[-1:] in ("，", "、", ",")
    )


def _marked(p: Para) -> bool:
    """Return True when the source marks ``p`` (a style, ``#``, centred, or bold throughout)."""
    return p.hint in ("title", "subtitle", "heading") or p.first.centered or p.bold_all


def marks_titles(items: list[Item]) -> bool:
    """Return True when the input marks its title (then unmarked short lines are not titles)."""
    for item in items:
        if not isinstance(item, Para) or _NOTE.match(item.flat):  # an 编者按 may precede the title
            continue
        if _body_like(item):
            return False
        flat = item.flat
        if _title_like(item, False) and not _byline_like(item) and "专栏" not in flat:
            return _marked(item)
    return False


def _fragment(p: Para) -> bool:
    """Return True for a short unmarked piece of prose (it has a ，) in an input that marks its titles."""
    flat = p.flat
    return not _marked(p) and not _special(p) and not _byline_like(p) and any(c in flat for c in "，、；,;")


def _cut_after_title(items: list[Item], marked: bool) -> bool:
    """Return True when the last of ``items`` is prose cut off right under a title (bylines between).

    A line longer than a title line, with a ， in it, under the title is not the title's second
    line or its 副题 but the start of the text. (Under a byline only it may be the title itself:
    some titles are long.)
    """
    p = items[-1]
    if not (isinstance(p, Para) and _fragment(p) and len(p.flat) > TITLE_LINE):
        return False
    for q in reversed(items[:-1]):
        if not isinstance(q, Para):
            return False
        if not _byline_like(q):
            return _title_like(q, marked)
    return False


def _special(p: Para) -> bool:
    """Return True for paragraphs that never continue another one."""
    flat = p.flat
    return (
        p.hint is not None
        or numbered(flat)
        or bool(LABEL.match(flat))
        or bool(_NOTE.match(flat))
        or bool(_SOURCE.fullmatch(flat))
    )


# ---------------------------------------------------------------- classify


def _title_like(p: Para, marked: bool) -> bool:
    """Return True for a short line that can be a title, 副题, byline or unnumbered heading.

    When the input ``marked`` its titles, a line must be marked too, or name a unit (byline).
    """
    if p.hint in ("title", "subtitle"):
        return True
    if p.hint == "caption" or (marked and not _marked(p) and not _byline_like(p)):
        return False
    flat = p.flat
    return (
        0 < len(flat) <= MAX_TITLE
        and not numbered(flat)
        and not LABEL.match(flat)
        and not _NOTE.match(flat)
        and not _SOURCE.fullmatch(flat)
        and not _DATE.match(flat)
        and not any(c in flat for c in _SENTENCE_END)
        and flat[-1] not in "，、；：,;:…"
        and re.search(rf"[{cjk.HAN}]", flat) is not None
    )


def _byline_like(p: Para) -> bool:
    return p.hint not in ("title", "subtitle") and _byline_text(p.flat)


def _byline_text(flat: str) -> bool:
    """Return True for a byline: 记者/通讯员… , a unit (平阳县司法局), or 2–4 personal names."""
    return len(flat) <= 40 and (bool(_BYLINE_WORDS.search(flat)) or unit_like(flat) or news.names_line(flat))


def _heading_marked(p: Para) -> bool:
    """Return True when the source marks ``p`` as a heading (style, ``#``, centred, or bold throughout)."""
    if p.hint == "heading":
        return True
    flat = p.flat
    brief = len(flat) <= 40 and not any(c in flat[:-1] for c in _SENTENCE_END)
    return brief and not _LEAD_PHRASE.match(flat) and (p.bold_all or p.first.centered)


def _caption_like(p: Para) -> bool:
    flat = p.flat
    if p.hint == "caption":
        return True
    if numbered(flat) or len(flat) > 60 or any(c in flat[:-1] for c in _SENTENCE_END) or p.hint:
        return False
    return (
        bool(_CAPTION_START.match(flat))
        or p.first.centered
        or flat.endswith(("摄", "摄）", "摄)"))
        or len(flat) <= 30
    )
