"""Step 4, join: a paragraph that a page break or a copy split in mid-sentence is joined with the
next one, also across a caption taken out.

Input: items. Output: items with split paragraphs joined, and one warning per join.
"""

from __future__ import annotations

from pathlib import Path

from ...messages import Code
from ...problems import Level, Problem
from .assemble import Caption, Item, Para
from .kinds import _body_like, _cut_after_title, _fragment, _special
from .rules import is_terminal


def _join(items: list[Item], file: Path, marked: bool) -> tuple[list[Item], list[Problem]]:
    """Join paragraphs split in mid-sentence; return the items and one warning per join.

    When the input marks its titles (``marked``), a short unmarked line is a piece of text too; so
    is a long one right under a title (:func:`_cut_after_title`).
    """
    out: list[Item] = []
    problems = []
    for item in items:
        k = len(out) - 1
        while k > 0 and isinstance(out[k], Caption):  # a caption the copy put into the sentence
            k -= 1
        prev = out[k] if out else None
        if (
            isinstance(item, Para)
            and isinstance(prev, Para)
            and (_body_like(prev) or (marked and _fragment(prev)) or _cut_after_title(out[: k + 1], marked))
            and not is_terminal(prev.flat)
            and not _special(item)
            and (_body_like(item) or is_terminal(item.flat))
        ):
            tail, head = prev.flat[-8:], item.flat[:8]
            problems.append(
                Problem(
                    Code.IMPORT_JOINED,
                    file=file,
                    line=item.line,
                    col=item.where[0][1] if item.where else 1,
                    level=Level.WARNING,
                    args={"prev": prev.at(len(prev.text) - 1)[0], "tail": tail, "head": head},
                )
            )
            glue = (
                " "
                if prev.text[-1:].isascii()
                and prev.text[-1:].isalnum()
                and item.text[:1].isascii()
                and item.text[:1].isalnum()
                else ""
            )
            prev.text += glue + item.text
            prev.bold += [False] * len(glue) + item.bold
            prev.where += [item.where[0]] * len(glue) + item.where
            continue
        out.append(item)
    return out, problems
