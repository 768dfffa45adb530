"""Step 3, page furniture (rules in :mod:`..news`): page numbers dropped, photo captions taken out
where they stand, decoration before a byline removed — each reported.

Input: cleaned items. Output: the items without furniture, problems, the raw blocks dropped.
"""

from __future__ import annotations

from pathlib import Path

from ...messages import Code
from ...problems import Level, Problem, Where
from .. import news
from .assemble import Caption, Item, Para
from .kinds import _byline_text
from .raw import RawImage

# ---------------------------------------------------------------- page furniture


def _furniture(items: list[Item], file: Path) -> tuple[list[Item], list[Problem], set[int]]:
    """Take out what a PDF copy adds to the text: page numbers, photo captions, byline decoration.

    Return the items, one warning for each thing taken out, and the ids of the raw paragraphs
    dropped (a page number is not text of the article: the nothing-lost check leaves it out).
    A caption becomes a :class:`Caption` where it stood, so that :func:`_join` can see across it.
    """
    out: list[Item] = []
    problems: list[Problem] = []
    dropped: set[int] = set()
    for item in items:
        if isinstance(item, Para) and item.hint is None and "\n" not in item.text:
            flat = item.flat
            where: Where = {"file": file, "line": item.line, "col": 1, "level": Level.WARNING}
            if news.page_number(flat):
                problems.append(Problem(Code.IMPORT_PAGE_NUMBER, args={"text": flat}, **where))
                dropped.add(id(item.first))
                continue
            found = news.caption(flat)
            if found and not (out and isinstance(out[-1], RawImage)):
                cap, credit = found
                out.append(Caption(item, cap, credit))
                continue
            rest = news.undecorated(flat)
            if rest != flat and flat[:1] in news.DECORATION and _byline_text(rest):
                item.edit(news.undecorated(item.text))
                problems.append(Problem(Code.IMPORT_DECORATION, args={"mark": flat[:1]}, **where))
        out.append(item)
        if isinstance(item, Para) and item.hint is None:
            out.extend(_inline_captions(item))
    return out, problems, dropped


def _inline_captions(p: Para) -> list[Caption]:
    """Take the captions the copy pasted into the sentences of ``p`` out of it, in order."""
    found: list[Caption] = []
    while hit := news.inline_caption(p.text):
        start, end, cap, credit = hit
        piece = Para(p.text[start:end], p.bold[start:end], p.where[start:end], p.first)
        p.edit(p.text[:start] + p.text[end:])
        found.append(Caption(piece, cap, credit, inline=True))
    return found
