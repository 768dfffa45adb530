"""Content lint for what the punctuation rules of :mod:`bulletin_kit.cjk` cannot see line by line.

Input: the located text lines of an issue file (:func:`bulletin_kit.lint.segments`). Output:
warnings at ``FILE:LINE:COL``:

- a single quote ‘ ’ (or 〔〕 「」) without its partner in the same paragraph, nested among “” （）
  《》 【】 (which :mod:`bulletin_kit.cjk` checks line by line);
- two paragraphs that look joined: a body line that ends a sentence, followed without a blank
  line by a line that starts a paragraph (a heading number 一、 （一） 1. （1）, an indent, a 【标签】),
  which the body format would print as one paragraph.

And :func:`group` folds repeated findings into one line per rule and article, with the count.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .messages import Code
from .problems import Level, Problem
from .readers.body_text import HEADING_PATTERNS, LABEL

if TYPE_CHECKING:
    from .lint import Segment
    from .readers.yaml_source import Document

PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "〔": "〕", "「": "」"}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}
_PER_LINE = frozenset("“”《》（）【】")
"""Pairs that :mod:`bulletin_kit.cjk` checks line by line; here they only keep the nesting right."""
_SENTENCE_END = tuple("。！？；”’）")
_PARAGRAPH_START = re.compile(r"^(?:\u3000+| {2,})\S")


def _paragraphs(segments: list[Segment]) -> Iterator[list[Segment]]:
    """Yield the located lines of each paragraph: consecutive lines of one field, no blank between."""
    current: list[Segment] = []
    for seg in segments:
        if current and (seg.path != current[-1].path or seg.line != current[-1].line + 1):
            yield current
            current = []
        current.append(seg)
    if current:
        yield current


def pair_problems(doc: Document, segments: list[Segment]) -> list[Problem]:
    """Return a warning for each quote or bracket without its partner in its paragraph."""
    from .readers.yaml_source import format_path

    problems = []
    for paragraph in _paragraphs(segments):
        stack: list[tuple[str, Segment, int]] = []
        unmatched: list[tuple[str, Segment, int]] = []
        for seg in paragraph:
            for index, char in enumerate(seg.text):
                if char in PAIRS:
                    stack.append((char, seg, index))
                elif char in _CLOSERS:
                    if stack and stack[-1][0] == _CLOSERS[char]:
                        stack.pop()
                    elif any(c == _CLOSERS[char] for c, _, _ in stack):
                        while stack[-1][0] != _CLOSERS[char]:  # the openers in between are unclosed
                            unmatched.append(stack.pop())
                        stack.pop()
                    else:
                        unmatched.append((char, seg, index))
        unmatched += stack
        for char, seg, index in sorted(unmatched, key=lambda u: (u[1].line, u[2])):
            if char in _PER_LINE:
                continue  # cjk.fix_line reports these already (pair.unmatched)
            partner = PAIRS.get(char) or _CLOSERS[char]
            problems.append(
                Problem(
                    Code.LINT_UNPAIRED,
                    file=doc.path,
                    line=seg.line + 1,
                    col=seg.col + index + 1,
                    path=format_path(seg.path),
                    level=Level.WARNING,
                    args={"char": char, "partner": partner},
                )
            )
    return problems


def _starts_paragraph(text: str) -> bool:
    stripped = text.lstrip(" \u3000")
    return (
        bool(_PARAGRAPH_START.match(text))
        or any(p.match(stripped) for _, p in HEADING_PATTERNS)
        or bool(LABEL.match(stripped))
    )


def joined_problems(doc: Document, segments: list[Segment]) -> list[Problem]:
    """Return a warning where a body line ends a sentence and the next line starts a new paragraph."""
    from .readers.yaml_source import format_path

    problems = []
    for paragraph in _paragraphs([s for s in segments if s.path[-1:] == ("body",)]):
        for before, seg in itertools.pairwise(paragraph):
            if before.text.rstrip().endswith(_SENTENCE_END) and _starts_paragraph(seg.text):
                problems.append(
                    Problem(
                        Code.LINT_JOINED_PARAGRAPHS,
                        file=doc.path,
                        line=seg.line + 1,
                        col=seg.col + 1,
                        path=format_path(seg.path),
                        level=Level.WARNING,
                    )
                )
    return problems


_ARTICLE = re.compile(r"^articles\[\d+\]")


def group(problems: list[Problem], at_least: int = 3) -> list[Problem]:
    """Return ``problems`` with each rule's repeated warnings in one article (or file field) folded
    into its first one, which then says how many there are; errors are all kept."""
    buckets: dict[tuple[object, ...], list[Problem]] = {}
    order: list[tuple[object, ...] | Problem] = []
    for p in sorted(problems, key=Problem.sort_key):
        if p.level is not Level.WARNING:
            order.append(p)
            continue
        match = _ARTICLE.match(p.path)
        key = (str(p.file), p.code, match.group(0) if match else p.path)
        if key not in buckets:
            buckets[key] = []
            order.append(key)
        buckets[key].append(p)
    out: list[Problem] = []
    for item in order:
        if isinstance(item, Problem):
            out.append(item)
            continue
        found = buckets[item]
        if len(found) < at_least:
            out.extend(found)
            continue
        first = found[0]
        out.append(
            Problem(
                Code.CHECK_GROUPED,
                file=first.file,
                line=first.line,
                col=first.col,
                path=first.path,
                level=Level.WARNING,
                args={"message": first.message, "n": len(found)},
            )
        )
    return out
