"""CJK-friendly emphasis for markdown-it-py: ``**抓牢党建引领促转变。**该局`` is bold.

Input: a :class:`markdown_it.MarkdownIt` parser. Output: the same parser with its ``emphasis``
inline rule replaced by one whose delimiter-run test follows the CJK-friendly amendment of
CommonMark (https://github.com/tats-u/markdown-cjk-friendly, the rule behind the JavaScript
plugin ``markdown-it-cjk-friendly``).

CommonMark decides whether a ``**`` opens or closes by looking at the characters on each side: a run
*followed* by punctuation may only open when it is *preceded* by a space or punctuation (and the
mirror rule for closing). Chinese has no spaces, so ``。**该`` cannot close and ``进**“最多`` cannot
open. The amendment adds one case: a CJK character counts like a space on the far side. Everything
without a CJK neighbour is parsed exactly as before.

Why not a library: the one Python port on PyPI (mdit-py-cjk-friendly 0.3.0) requires
markdown-it-py < 4 and patches ``StateInline.scanDelims`` for every parser in the process; this
module replaces one rule of our own parser only, with markdown-it-py's own tokenizer otherwise.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline


def is_cjk(char: str) -> bool:
    """Return True for a wide East Asian character (汉字, 。，、（）《》【】, full-width forms)."""
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """Return whether the marker run at ``start`` can open and close emphasis (CJK-friendly)."""
    src = state.src
    marker = src[start]
    pos = start
    while pos < state.posMax and src[pos] == marker:
        pos += 1
    last = src[start - 1] if start > 0 else " "
    nxt = src[pos] if pos < state.posMax else " "
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_punct, next_punct = _punct(last), _punct(nxt)
    # CommonMark 6.2 with the CJK-friendly addition (the ``is_cjk`` terms)
    left = not next_space and (not next_punct or last_space or last_punct or is_cjk(last))
    right = not last_space and (not last_punct or next_space or next_punct or is_cjk(nxt))
    if can_split_word:
        can_open, can_close = left, right
    else:  # ``_`` inside a word never counts
        can_open = left and (not right or last_punct)
        can_close = right and (not left or next_punct)
    return Scanned(can_open, can_close, pos - start)


def tokenize(state: StateInline, silent: bool) -> bool:
    """markdown-it-py's emphasis tokenizer, with :func:`scan_delims` for the flanking test."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    scanned = scan_delims(state, start, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def cjk_friendly_emphasis(md: MarkdownIt) -> None:
    """Plugin: ``md.use(cjk_friendly_emphasis)`` swaps in the CJK-friendly emphasis tokenizer."""
    md.inline.ruler.at("emphasis", tokenize)
