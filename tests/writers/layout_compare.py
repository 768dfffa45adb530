"""Compare two PDFs of the same bulletin line by line: ours (WeasyPrint) and LibreOffice's PDF of the .docx.

Used by the Word-fidelity tests (issue #10) and runnable by hand::

    python -m tests.writers.layout_compare ours.pdf libreoffice.pdf

Both PDFs are read with pdfplumber (:mod:`tests.writers.pdf_lines`): characters grouped by baseline
inside the 版心. The text of all lines, whitespace removed, is one stream per PDF; a line *breaks at
the same place* when the stream offset of its end is also a line end in the other PDF, and a page
*starts with the same line* when the offset of its first character is a page start in the other PDF.
Where the streams differ (a mark one PDF does not draw), offsets are mapped through the longest
common blocks, so one missing mark does not shift every later line.
"""

from __future__ import annotations

import difflib
import re
import sys
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from bulletin_kit.theme import Theme, get_theme
from bulletin_kit.units import mm

from .pdf_lines import Line, lines

PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】…—·～「」『』")
"""The marks counted by :func:`punctuation`."""
BODY_SIZE = 16.0
"""三号: lines set at this size are body lines."""


def _clean(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]", "", text)


@dataclass(frozen=True)
class Layout:
    """The text lines of one PDF as offsets into its text stream."""

    lines: tuple[Line, ...]
    stream: str
    starts: tuple[int, ...]
    """Stream offset of each line's first character."""
    pages: int

    @classmethod
    def read(cls, path: Path, theme: Theme) -> Layout:
        found = [line for line in lines(path, theme) if _clean(line.text)]
        starts, parts, offset = [], [], 0
        for line in found:
            text = _clean(line.text)
            starts.append(offset)
            parts.append(text)
            offset += len(text)
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        return cls(tuple(found), "".join(parts), tuple(starts), pages)

    def ends(self) -> list[int]:
        return [*self.starts[1:], len(self.stream)]

    def page_starts(self) -> dict[int, int]:
        """Return page number -> stream offset of the first line of that page."""
        out: dict[int, int] = {}
        for line, start in zip(self.lines, self.starts, strict=True):
            out.setdefault(line.page, start)
        return out

    def body(self) -> list[int]:
        """Return the indexes of the body lines (set at 三号, not the masthead of page 1's top)."""
        return [i for i, line in enumerate(self.lines) if abs(line.size - BODY_SIZE) < 0.6]


class OffsetMap:
    """Maps offsets of stream ``a`` to offsets of stream ``b`` through their matching blocks."""

    def __init__(self, a: str, b: str) -> None:
        if a == b:
            self._blocks = [(0, 0, len(a))]
        else:
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            self._blocks = [m for m in matcher.get_matching_blocks() if m[2]]
        self._keys = [block[0] for block in self._blocks]

    def __call__(self, offset: int) -> int | None:
        index = bisect_right(self._keys, offset) - 1
        if index < 0:
            return None
        a, b, size = self._blocks[index]
        if offset <= a + size:  # an end offset may sit just after a block
            return b + offset - a
        return None


@dataclass(frozen=True)
class Comparison:
    ours: Layout
    theirs: Layout
    missing: Counter[str]
    """Punctuation marks our PDF draws more often than theirs."""
    extra: Counter[str]
    same_breaks: int
    body_lines: int
    same_page_starts: int
    pages: int
    differing: tuple[tuple[str, str], ...]
    """(our line, their line at the same stream place) of the body lines that break differently."""

    @property
    def break_share(self) -> float:
        return self.same_breaks / self.body_lines if self.body_lines else 0.0

    @property
    def page_share(self) -> float:
        return self.same_page_starts / self.pages if self.pages else 0.0

    def summary(self) -> str:
        missing = " ".join(f"{c}{n}" for c, n in self.missing.most_common()) or "-"
        return (
            f"punctuation missing in theirs: {sum(self.missing.values())} ({missing}); "
            f"body lines breaking alike: {self.same_breaks}/{self.body_lines} = {self.break_share:.0%}; "
            f"pages starting alike: {self.same_page_starts}/{self.pages}; "
            f"pages {self.ours.pages} vs {self.theirs.pages}"
        )


def punctuation(layout: Layout) -> Counter[str]:
    return Counter(c for c in layout.stream if c in PUNCTUATION)


def compare(ours_pdf: Path, theirs_pdf: Path, theme: Theme | None = None) -> Comparison:
    theme = theme or get_theme("default")
    ours, theirs = Layout.read(ours_pdf, theme), Layout.read(theirs_pdf, theme)
    ours_marks, theirs_marks = punctuation(ours), punctuation(theirs)
    to_theirs = OffsetMap(ours.stream, theirs.stream)
    their_ends = set(theirs.ends())
    our_ends = ours.ends()
    body = ours.body()
    same, differing = 0, []
    for index in body:
        mapped = to_theirs(our_ends[index])
        if mapped is not None and mapped in their_ends:
            same += 1
        else:
            their_index = bisect_right(theirs.starts, mapped or 0) - 1
            differing.append((ours.lines[index].text, theirs.lines[max(their_index, 0)].text))
    their_page_starts = set(theirs.page_starts().values())
    our_page_starts = ours.page_starts()
    same_pages = sum(1 for offset in our_page_starts.values() if to_theirs(offset) in their_page_starts)
    return Comparison(
        ours,
        theirs,
        ours_marks - theirs_marks,
        theirs_marks - ours_marks,
        same,
        len(body),
        same_pages,
        len(our_page_starts),
        tuple(differing),
    )


def lowest_rule(path: Path, page_number: int | None = None) -> float | None:
    """Return the distance (pt) from the page top of the lowest horizontal rule at least 100 mm long on
    the page (default: the last page), or None when it has none."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[(page_number or len(pdf.pages)) - 1]
        tops = [
            max(edge["top"], edge["bottom"])
            for edge in page.edges
            if edge["orientation"] == "h" and edge["x1"] - edge["x0"] >= mm(100)
        ]
    return max(tops) if tops else None


def main(argv: list[str]) -> int:
    theme = get_theme("default")
    result = compare(Path(argv[0]), Path(argv[1]), theme)
    print(result.summary())
    bottom = mm(theme.page_height_mm - theme.margin_bottom_mm)
    for name, path in (("ours", argv[0]), ("theirs", argv[1])):
        rule = lowest_rule(Path(path))
        where = "none" if rule is None else f"{(bottom - rule) / mm(1):.1f} mm above the 版心 bottom"
        print(f"{name}: lowest rule of the last page {where}")
    for a, b in result.differing[: int(argv[2]) if len(argv) > 2 else 10]:
        print(f"  ours  : {a}\n  theirs: {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
