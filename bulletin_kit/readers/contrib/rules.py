"""The text rules of the importer: sentence ends, bylines, units, dates, captions, title lengths.

Input: paragraph text. Output: compiled patterns and small predicates the steps share.
"""

from __future__ import annotations

import re

from ... import cjk
from ..body_text import HEADING_PATTERNS

# ---------------------------------------------------------------- text rules of this stage

_SENTENCE_END = "。！？!?"
_TERMINAL = "。！？…；：!?;:"
_CLOSERS = "”’）)》」』】〕"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f]")
_SPACE_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")
_NOTE = re.compile(r"^[【\[〔]?编者按[】\]〕]?[：:\s\u3000]*")
"""The label the writers print themselves (编者按：), so it is not part of the note's text."""
_SOURCE = re.compile(r"[（(]([^（）()\n]{2,40})[）)]")
_TRAILING_SOURCE = re.compile(r"(?<=[。！？”）])[（(]([^（）()\n]{2,24})[）)]$")
_LEAD_PHRASE = re.compile(rf"^([{'一二三四五六七八九十'}]+是|首先|其次|再次|最后|一方面|另一方面)")
_BYLINE_WORDS = re.compile(r"记者|通讯员|作者|撰稿|执笔|供稿|文\s*[／/]|图\s*[／/]")
_UNIT = re.compile(
    rf"^[{cjk.HAN}（）()·、]{{1,22}}?"
    r"(局|委|办|办公室|中心|公司|集团|街道|镇|乡|县|区|大队|支队|中队|所|站|院|部|处|科|厅|署|馆|组|队|会|党委|党组|政府)"
    rf"([\s\u3000]+[{cjk.HAN}·]{{2,4}})*$"
)
_DATE = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?[）)]?$")
_CAPTION_START = re.compile(r"^(图|▲|△|↑|上图|下图|（图|\(图)")
_CREDIT = re.compile(rf"^(?P<cap>.*?\S)[\s\u3000]+[（(]?(?P<who>[{cjk.HAN}·]{{2,4}})[\s\u3000]*摄[）)]?$")
_DASHES = "—－-─"
MAX_TITLE = 50
"""A title line is at most this many characters (longer lines are body text)."""
TITLE_LINE = 24
"""A title's second line or 副题 is at most this long; a longer line under a title is text."""
LONG_HEADING = 40
"""A numbered heading longer than this probably lacks the 。 that ends it (then body text follows)."""


def _flat(text: str) -> str:
    """Return ``text`` with soft line breaks joined (no space between Chinese, one between words)."""
    return re.sub(r"(?<=[0-9A-Za-z])\n(?=[0-9A-Za-z])", " ", text).replace("\n", "")


def numbered(text: str) -> bool:
    """Return True when ``text`` starts with heading numbering 一、 （一） 1. （1）."""
    return any(p.match(text) for _, p in HEADING_PATTERNS)


def is_terminal(text: str) -> bool:
    """Return True when ``text`` ends a sentence (。！？… ；： possibly followed by ” or ）)."""
    body = text.rstrip(_CLOSERS)
    return not body or body[-1] in _TERMINAL


def unit_like(text: str) -> bool:
    """Return True when ``text`` reads as the name of a unit (平阳县司法局), optionally with names."""
    return bool(_UNIT.match(text)) and not text.endswith("城市")
