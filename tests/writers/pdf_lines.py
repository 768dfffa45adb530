"""Helpers for the PDF tests: the text lines of a PDF as the glyphs really sit on the page.

Lines are rebuilt from pdfplumber's characters (grouped by baseline, sorted by x), not from
``extract_text``, which inserts spaces of its own: what these helpers return is exactly the
glyphs WeasyPrint wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from bulletin_kit.theme import Theme
from bulletin_kit.units import mm

FORBIDDEN_AT_START = (*tuple("。，、；：？！）》”"), "——", "……")
FORBIDDEN_AT_END = tuple("（《“")


@dataclass(frozen=True)
class Line:
    page: int
    """1-based page number."""
    baseline: float
    """Distance of the baseline from the top of the page, in pt."""
    x0: float
    x1: float
    text: str
    size: float
    """Largest font size on the line."""


def lines(path: Path, theme: Theme, *, text_area_only: bool = True) -> list[Line]:
    """Return every text line of the PDF at ``path``, page by page, top to bottom.

    With ``text_area_only``, lines outside the 版心 (the page numbers) are left out.
    """
    with pdfplumber.open(path) as pdf:
        return list(_lines(pdf, theme, text_area_only))


def _lines(pdf: pdfplumber.PDF, theme: Theme, text_area_only: bool) -> Iterator[Line]:
    top = mm(theme.margin_top_mm)
    bottom = mm(theme.page_height_mm - theme.margin_bottom_mm)
    for number, page in enumerate(pdf.pages, start=1):
        rows: dict[int, list[dict]] = defaultdict(list)
        for char in page.chars:
            baseline = page.height - char["matrix"][5]
            if text_area_only and not top - 2 <= baseline <= bottom + 2:
                continue
            rows[round(baseline)].append(char)
        for key in sorted(rows):
            chars = sorted(rows[key], key=lambda c: c["x0"])
            yield Line(
                page=number,
                baseline=page.height - chars[0]["matrix"][5],
                x0=chars[0]["x0"],
                x1=chars[-1]["x1"],
                text="".join(c["text"] for c in chars),
                size=max(c["size"] for c in chars),
            )


def in_text_area(line: Line, theme: Theme) -> bool:
    """Return whether ``line`` sits inside the 版心 (page numbers do not)."""
    return (
        mm(theme.margin_top_mm) - 2 <= line.baseline <= mm(theme.page_height_mm - theme.margin_bottom_mm) + 2
    )


def flush_right_share(all_lines: list[Line], theme: Theme) -> tuple[int, int]:
    """Return ``(reaching, flush)``: lines ending within two characters of the right edge of the
    版心, and those of them ending within 1 pt of it (or beyond it: hanging punctuation)."""
    right = mm(theme.page_width_mm - theme.margin_right_mm)
    reaching = [line for line in all_lines if line.x1 >= right - 2 * line.size]
    flush = [line for line in reaching if line.x1 >= right - 1]
    return len(reaching), len(flush)
