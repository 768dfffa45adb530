"""The importer's second stage, shared by the article readers: raw paragraphs with style hints -> articles.

Input: what a reader's first stage found, in document order — :class:`RawParagraph` (text runs,
their position, and hints such as a Word style or Markdown ``#`` marks), :class:`RawImage` and
:class:`RawTable` — and the file they came from. Output: :class:`Imported`: articles of the document
model, the image files to save beside the issue file, and problems (every clean-up change,
reported at the input line it was made on, and what could not be classified).

The steps, in order, as pandoc's Docx reader turns its own parse types into the tree:

1. assemble: pieces after a soft line break (a Word line break, a wrapped Markdown line) join the
   paragraph before them;
2. clean: control characters, indents, tabs and runs of spaces; then the punctuation and spacing
   rules of :mod:`bulletin_kit.cjk` (the same ones ``bulletin check`` reports); empty paragraphs
   are dropped;
3. page furniture (rules in :mod:`.news`): a line that is only a page number is dropped, photo
   captions (a line ending in 摄 / 供图, （图片由……提供）, or one pasted into a sentence) are taken
   out where they stand, decoration (■ ● ◆ ★) before a byline is removed — each reported;
4. join: a paragraph that a page break or a copy split in mid-sentence (it does not end in 。！？…
   and the next one continues it) is joined with the next, also across a caption taken out;
5. split into articles and classify: column (专栏), 编者按, a title block (引题 ending in —— or
   ：, title lines, 副题 starting with ——) with its byline (记者/通讯员…, a unit, or 2–4 names)
   — a new story starts only at such a block —, headings by numbering
   (:data:`~bulletin_kit.readers.body_text.HEADING_PATTERNS`, with the body format's own run-in
   rule) or by style, bold or ``#`` (levels kept when the file uses them consistently), subheads
   (two or more short lines standing alone between paragraphs of a story), the lead phrases
   一是… staying in their paragraphs, labels 【看点】, images with the caption paragraph under
   them, captions as pictures for the editor to supply (``待补图片-….jpg``), tables, and the
   source line （单位）.

Nothing is dropped except whitespace, invisible characters, formatting, decoration and page
numbers: a paragraph that fits no rule stays a plain paragraph and is listed in a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...messages import Code
from ...problems import Level, Problem
from .assemble import Item, Para, _assemble
from .classify import Builder, short
from .clean import Changes, _clean, _clean_table
from .furniture import _furniture
from .join import _join
from .kinds import marks_titles
from .raw import (
    IMAGE_TYPES,
    HeadingLevel,
    Hint,
    Imported,
    Options,
    RawBlock,
    RawImage,
    RawParagraph,
    RawTable,
)
from .rules import LONG_HEADING, MAX_TITLE, TITLE_LINE, is_terminal, numbered, unit_like

# ---------------------------------------------------------------- entry point


def read_with(
    parse: Callable[[Path], tuple[list[RawBlock] | None, list[Problem]]], path: Path, image_dir: Path | None
) -> Imported:
    """Run a reader's first stage ``parse`` on ``path``, then :func:`structure` (the second stage)."""
    blocks, problems = parse(path)
    if blocks is None:
        return Imported(problems=problems)
    result = structure(blocks, Options(file=path, image_dir=image_dir, fallback_title=path.stem))
    result.problems = sorted(problems + result.problems, key=Problem.sort_key)
    return result


def structure(blocks: list[RawBlock], options: Options) -> Imported:
    """Return the articles structured from ``blocks`` (a reader's first stage) with all problems."""
    result = Imported(raw_text="\n".join(_raw_text(b) for b in blocks))
    changes = Changes(options.file)
    items: list[Item] = []
    empty: list[Para] = []
    for item in _assemble(blocks):
        if isinstance(item, Para):
            _clean(item, changes)
            if not item.text.strip():
                empty.append(item)
                continue
        elif isinstance(item, RawTable):
            item = _clean_table(item, changes)
        items.append(item)
    if empty:
        result.problems.append(_empty_problem(options.file, empty))
    result.problems.extend(changes.problems())
    items, furniture, dropped = _furniture(items, options.file)
    result.problems.extend(furniture)
    if dropped:
        result.raw_text = "\n".join(_raw_text(b) for b in blocks if id(b) not in dropped)
    marked = marks_titles(items)
    items, joins = _join(items, options.file, marked)
    result.problems.extend(joins)
    builder = Builder(options, items, marked)
    builder.run()
    result.articles = builder.finish()
    result.images = builder.images
    result.problems.extend(builder.problems)
    result.problems.sort(key=Problem.sort_key)
    return result


def _raw_text(block: RawBlock) -> str:
    if isinstance(block, RawParagraph):
        return "".join(s.text for s in block.spans)
    if isinstance(block, RawImage):
        return (block.caption or "") + block.credit
    return "\n".join("\t".join(row) for row in block.rows)


def _empty_problem(file: Path, empty: list[Para]) -> Problem:
    """Return one warning for all empty paragraphs (Word files often have one after each paragraph)."""
    lines = "、".join(str(p.first.line) for p in empty[:10]) + ("…" if len(empty) > 10 else "")
    return Problem(
        Code.IMPORT_EMPTY_DROPPED,
        file=file,
        line=empty[0].first.line,
        col=1,
        level=Level.WARNING,
        args={"n": len(empty), "lines": lines},
    )


__all__ = [
    "IMAGE_TYPES",
    "LONG_HEADING",
    "MAX_TITLE",
    "TITLE_LINE",
    "HeadingLevel",
    "Hint",
    "Imported",
    "Options",
    "RawBlock",
    "RawImage",
    "RawParagraph",
    "RawTable",
    "is_terminal",
    "marks_titles",
    "numbered",
    "read_with",
    "short",
    "structure",
    "unit_like",
]
