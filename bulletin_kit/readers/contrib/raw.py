"""What a reader's first stage hands the importer: raw paragraphs, images and tables, and the result type.

Input: nothing. Output: :class:`RawParagraph`, :class:`RawImage`, :class:`RawTable`, :class:`Options`
and :class:`Imported` (articles, images to save, problems).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ...model import Article, Span
from ...problems import Problem

Hint = Literal["title", "subtitle", "heading", "caption"]
HeadingLevel = Literal[1, 2, 3, 4]


@dataclass(frozen=True)
class RawParagraph:
    """One paragraph (or one piece of it) as a reader found it, before any interpretation."""

    spans: tuple[Span, ...]
    line: int
    """1-based line of the text file, or paragraph number of a Word file, for messages."""
    col: int = 1
    """1-based column where ``spans`` start on that line."""
    soft: bool = False
    """True when this piece continues the previous paragraph after a soft line break."""
    hint: Hint | None = None
    """What the source marked the paragraph as (a Word style, Markdown ``#``), if anything."""
    level: int | None = None
    """Heading level a Word style gives (Heading 2 -> 2); None when the source has no reliable level."""
    rank: float | None = None
    """Prominence for telling a title from its 副题: smaller is bigger (``#`` count, minus the point size)."""
    centered: bool = False


@dataclass(frozen=True)
class RawImage:
    """A picture found in the input: its bytes and file suffix (``.png``)."""

    data: bytes
    ext: str
    line: int
    caption: str | None = None
    """A caption the source gave with the picture itself (Markdown alt text), if any."""
    credit: str = ""


@dataclass(frozen=True)
class RawTable:
    """A table as rows of cell texts."""

    rows: tuple[tuple[str, ...], ...]
    line: int


RawBlock = RawParagraph | RawImage | RawTable


@dataclass
class Imported:
    """The articles read from one input file, the pictures to save, and the problems."""

    articles: list[Article] = field(default_factory=list)
    images: list[tuple[Path, bytes]] = field(default_factory=list)
    """(destination inside the issue folder, bytes) of each picture the articles refer to."""
    problems: list[Problem] = field(default_factory=list)
    raw_text: str = ""
    """The text of every raw block in order, for the nothing-lost check."""


@dataclass(frozen=True)
class Options:
    """Where the input came from and where its pictures go."""

    file: Path
    image_dir: Path | None = None
    """The issue's folder; None means pictures cannot be saved (``--stdout``)."""
    fallback_title: str = ""
    """The title used when the input has none (the file name)."""


IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif"}
"""Picture formats both writers can place."""
