"""Size limits of an issue, checked before the expensive work (parsing, layout, decoding pictures).

Input: an issue's raw article list, a body text, parsed blocks, a picture file. Output: located
Chinese problems. Every limit is far above any real bulletin (a weekly issue has 5-10 articles of
a few dozen paragraphs of a few hundred characters) and documented in docs/issue-format.md, so
only a broken or hostile file meets one: it then gets a clear message in bounded time and memory
instead of a hang.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from .messages import Code
from .model import Block, Table
from .problems import Problem

MAX_ARTICLES = 1000
"""Articles in one issue (a real issue: 5-10)."""
MAX_PARAGRAPHS = 3000
"""Paragraphs (blocks separated by a blank line) in one article body (a real one: 10-60)."""
MAX_PARAGRAPH_CHARS = 20_000
"""Characters in one paragraph (a real one: 100-600; 20 000 is ~25 printed pages)."""
MAX_TABLE_ROWS = 1000
MAX_TABLE_COLUMNS = 18
"""Wider tables do not fit the 156 mm text width even one character per cell (a real one: 3-13)."""
MAX_IMAGE_PIXELS = 120_000_000
"""Pixels of one picture (a 108-megapixel phone photo passes; decoding 120 MP takes ~500 MB)."""

_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n")


def articles(count: int, file: Path, line: int, col: int) -> list[Problem]:
    """Return an error when an issue has more than MAX_ARTICLES articles."""
    if count <= MAX_ARTICLES:
        return []
    return [
        Problem(
            Code.LIMIT_ARTICLES,
            file=file,
            line=line,
            col=col,
            path="articles",
            args={"n": count, "limit": MAX_ARTICLES},
        )
    ]


def body(text: str, file: Path | None, first_line: int, field: str) -> list[Problem]:
    """Return errors for a body with too many paragraphs or too long a paragraph (before parsing)."""
    if len(text) <= MAX_PARAGRAPH_CHARS and text.count("\n") < MAX_PARAGRAPHS:
        return []  # cannot exceed either limit: skip the split
    problems: list[Problem] = []
    paragraphs = 0
    line = first_line
    pos = 0
    for m in [*_BLANK_LINES.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            paragraphs += 1
            if len(chunk) > MAX_PARAGRAPH_CHARS and not problems:
                problems.append(
                    Problem(
                        Code.LIMIT_PARAGRAPH_CHARS,
                        file=file,
                        line=line,
                        col=1,
                        path=field,
                        args={"n": len(chunk), "limit": MAX_PARAGRAPH_CHARS},
                    )
                )
        if m is None:
            break
        line += text.count("\n", pos, m.end())
        pos = m.end()
    if paragraphs > MAX_PARAGRAPHS:
        problems.append(
            Problem(
                Code.LIMIT_PARAGRAPHS,
                file=file,
                line=first_line,
                col=1,
                path=field,
                args={"n": paragraphs, "limit": MAX_PARAGRAPHS},
            )
        )
    return problems


def tables(
    blocks: tuple[Block, ...] | list[Block], file: Path | None, line: int, field: str
) -> list[Problem]:
    """Return errors for tables with too many rows or columns."""
    problems: list[Problem] = []
    for block in blocks:
        if not isinstance(block, Table):
            continue
        cols = max((len(r) for r in block.rows), default=0)
        if len(block.rows) > MAX_TABLE_ROWS or cols > MAX_TABLE_COLUMNS:
            problems.append(
                Problem(
                    Code.LIMIT_TABLE,
                    file=file,
                    line=line,
                    col=1,
                    path=field,
                    args={
                        "rows": len(block.rows),
                        "cols": cols,
                        "max_rows": MAX_TABLE_ROWS,
                        "max_cols": MAX_TABLE_COLUMNS,
                    },
                )
            )
    return problems


def image_too_large(path: Path) -> str | None:
    """Return why the picture at ``path`` has too many pixels (read from its header only), or None."""
    from PIL import Image as PILImage

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(path) as picture:
                width, height = picture.size
        except PILImage.DecompressionBombError:
            return f"图片像素过多，超过上限 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素"
        except (OSError, ValueError, SyntaxError):
            return None  # not a picture at all: said by the caller
    if width * height > MAX_IMAGE_PIXELS:
        return f"图片有 {width}×{height} 像素，超过上限 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素"
    return None
