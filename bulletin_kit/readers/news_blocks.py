"""The news-feature parts of the body text format: picture widths and rows, credits, quotes, boxes.

Input: markdown-it tokens and blocks from :mod:`.body_text`. Output: model blocks
(:class:`~bulletin_kit.model.ImageGroup`, :class:`~bulletin_kit.model.Box`, quote and signature
paragraphs) and located warnings. The syntax, documented in docs/issue-format.md:

- ``![图注](a.jpg "张三 摄"){1/2}`` — a width after the picture: 全宽, 1/2, 1/3, 2/3 or 40%;
- two or three picture lines in one paragraph stand side by side; a last text line under them is
  the shared caption, with an optional credit at its end: ``两地同步开展宣传（李四　摄）``;
- a credit ends in 摄 or 供图, or reads 图片由…提供 (printed as written); a bare name means 摄;
- ``> 文字`` — a quotation or statement paragraph; ``--> 落款`` — a right-aligned signature line;
- ``::: 【看点】`` … ``:::`` — a box holding its paragraphs, the label on a line of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from markdown_it.token import Token

from ..messages import Code
from ..model import Block, Box, Heading, Image, ImageGroup, Paragraph
from ..problems import Level, Problem, Where

if TYPE_CHECKING:
    from .body_text import BodySource

SIGNATURE_MARK = "-->"
"""A paragraph starting with this is a right-aligned signature or date line."""

MAX_GROUP = 3
"""Pictures per row at most."""

_SPACES = " \t\u3000\u00a0"
_PROVIDED = re.compile(r"^(?:图片|照片)?由.+提供$")
_WIDTH_ATTR = re.compile(r"^\s*\{\s*([^{}\n]{1,12}?)\s*\}\s*$")
_PERCENT = re.compile(r"^(\d{1,3})\s*[%％]$")
WIDTH_WORDS: dict[str, float] = {
    "全": 1.0,
    "全宽": 1.0,
    "通栏": 1.0,
    "full": 1.0,
    "1/2": 1 / 2,
    "半": 1 / 2,
    "半栏": 1 / 2,
    "二分之一": 1 / 2,
    "half": 1 / 2,
    "1/3": 1 / 3,
    "third": 1 / 3,
    "三分之一": 1 / 3,
    "三分之二": 2 / 3,
    "2/3": 2 / 3,
}
"""The widths an editor can write in ``{…}`` after a picture (or a percentage such as ``40%``)."""
_CAPTION_CREDIT = re.compile(
    r"^(.*?)[\s\u3000]*(?:[（(]([^（）()\n]*(?:摄|供图|提供))[）)]|((?:图片|照片)?由[^\s\u3000]+提供))$"
)
"""A shared caption's credit at its end: ``（周敏　摄）``, ``（市局供图）`` or ``图片由市局提供``."""


def split_credit(title: str) -> tuple[str, str]:
    """Return ``(credit, verb)`` of a picture title: ``张三 摄`` -> (张三, 摄), ``市局 供图`` -> (市局,
    供图), ``图片由市局提供`` -> (图片由市局提供, "") printed as written; a bare name means 摄."""
    text = title.strip(_SPACES)
    if not text:
        return "", "摄"
    if _PROVIDED.match(text):
        return text, ""
    for verb in ("供图", "摄"):
        if text.endswith(verb):
            return text[: -len(verb)].rstrip(_SPACES), verb
    return text, "摄"


def parse_width(value: str) -> float | None:
    """Return the share of the 版心 width that ``value`` (``1/2``, ``40%``, 全宽…) asks for, or None."""
    value = value.strip().lower()
    if value in WIDTH_WORDS:
        return WIDTH_WORDS[value]
    match = _PERCENT.match(value)
    if match and 10 <= int(match.group(1)) <= 100:
        return int(match.group(1)) / 100
    return None


def _lines(children: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        elif not (child.type in ("text", "text_special") and not child.content.strip()):
            lines[-1].append(child)
    return [line for line in lines if line]


def _text(tokens: list[Token]) -> str:
    return "".join(t.content for t in tokens if t.type in ("text", "text_special")).strip(_SPACES)


def picture_paragraph(
    children: list[Token],
    make_image: Callable[[Token], Image | None],
    source: BodySource,
    line: int,
    problems: list[Problem],
) -> list[Block] | None:
    """Return the blocks of a paragraph made of picture lines (and a shared caption), or None if it
    is not one: each line one picture with an optional ``{width}``; two or three make a row."""
    lines = _lines(children)
    pictures: list[tuple[Token, str | None]] = []
    caption_line: list[Token] | None = None
    for number, tokens in enumerate(lines):
        images = [t for t in tokens if t.type == "image"]
        if len(images) == 1 and tokens[0] is images[0]:
            if any(t.type not in ("text", "text_special") for t in tokens[1:]):
                return None
            rest = _text(tokens[1:])
            width_attr = _WIDTH_ATTR.match(rest) if rest else None
            if rest and width_attr is None:
                return None
            pictures.append((images[0], width_attr.group(1) if width_attr else None))
        elif not images and number == len(lines) - 1 and len(pictures) >= 2:
            caption_line = tokens
        else:
            return None
    if not pictures:
        return None
    where: Where = {"file": source.file, "line": line, "col": 1, "path": source.field, "level": Level.WARNING}
    made: list[Image] = []
    for tok, width_text in pictures:
        image = make_image(tok)
        if image is None:
            continue
        if width_text is not None:
            width = parse_width(width_text)
            if width is None:
                problems.append(Problem(Code.BODY_IMAGE_WIDTH, args={"value": width_text}, **where))
            else:
                image = image.model_copy(update={"width": width})
        made.append(image)
    caption, credit, verb = "", "", "摄"
    if caption_line is not None:
        text = _text(caption_line)
        match = _CAPTION_CREDIT.match(text)
        caption = (match.group(1) if match else text).strip(_SPACES)
        if match:
            credit, verb = split_credit(match.group(2) or match.group(3))
    if len(made) == 1 and caption_line is None:
        return [made[0]]
    rows = _rows(made)
    out: list[Block] = []
    for index, row in enumerate(rows):
        last = index == len(rows) - 1
        if len(row) == 1 and not (last and (caption or credit)):
            out.append(row[0])
            continue
        group = ImageGroup(images=tuple(row), caption=caption if last else "")
        out.append(_hoist_credit(group, credit if last else "", verb))
    return out


def _rows(images: list[Image]) -> list[list[Image]]:
    """Split pictures into rows of at most three, as even as possible (4 -> 2 + 2, 5 -> 3 + 2)."""
    count = len(images)
    n_rows = -(-count // MAX_GROUP)
    size = -(-count // n_rows) if n_rows else 0
    return [images[i : i + size] for i in range(0, count, size)] if size else []


def _hoist_credit(group: ImageGroup, credit: str, verb: str) -> ImageGroup:
    """One credit for the row: the shared line's, or the one every picture carries (printed once)."""
    if credit:
        return group.model_copy(update={"credit": credit, "credit_verb": verb})
    credits = {(i.credit, i.credit_verb) for i in group.images}
    if len(credits) == 1 and group.images[0].credit:
        shared, shared_verb = credits.pop()
        images = tuple(i.model_copy(update={"credit": ""}) for i in group.images)
        return group.model_copy(update={"images": images, "credit": shared, "credit_verb": shared_verb})
    return group


def _as_paragraph(block: Block) -> Block:
    if isinstance(block, Heading):
        return Paragraph(spans=(*block.spans, *block.run_in))
    return block


def quoted(inner: list[tuple[Block, int]]) -> list[tuple[Block, int]]:
    """Return the blocks of a ``>`` quote: its paragraphs (and headings, as paragraphs) marked quote."""
    out: list[tuple[Block, int]] = []
    for block, line in inner:
        block = _as_paragraph(block)
        if isinstance(block, Paragraph) and block.role is None:
            block = block.model_copy(update={"role": "quote"})
        out.append((block, line))
    return out


_BOX_LABEL = re.compile(r"^【([^【】\n]{1,12})】$")


def boxed(
    info: str, inner: list[tuple[Block, int]], line: int, source: BodySource, problems: list[Problem]
) -> list[tuple[Block, int]]:
    """Return a ``::: 【看点】`` box holding its paragraphs; pictures and tables inside follow the box."""
    label_text = info.strip(_SPACES)
    if label_text.startswith("box"):  # ``::: box 【看点】`` also works
        label_text = label_text[3:].strip(_SPACES)
    match = _BOX_LABEL.match(label_text)
    label = match.group(1) if match else (label_text[:12] or None)
    paragraphs: list[Paragraph] = []
    after: list[tuple[Block, int]] = []
    for block, block_line in inner:
        block = _as_paragraph(block)
        if isinstance(block, Paragraph):
            paragraphs.append(block)
        else:
            after.append((block, block_line))
    if after:
        problems.append(
            Problem(
                Code.BODY_BOX_CONTENT,
                file=source.file,
                line=after[0][1],
                col=1,
                path=source.field,
                level=Level.WARNING,
            )
        )
    return [(Box(label=label, paragraphs=tuple(paragraphs)), line), *after]


def check_emphasis(tokens: list[Token], text: str, source: BodySource, problems: list[Problem]) -> None:
    """Warn once per paragraph where a ``*`` is printed: an unmatched ``**`` or a single ``*…*``."""
    lines = text.splitlines()
    for tok in tokens:
        if tok.type != "inline" or not tok.map:
            continue
        offset = 0
        for child in tok.children or []:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif (child.type == "text" and "*" in child.content) or child.type == "em_open":
                index = tok.map[0] + offset
                source_line = lines[index] if index < len(lines) else ""
                problems.append(
                    Problem(
                        Code.BODY_EMPHASIS_UNMATCHED if child.type == "text" else Code.BODY_EMPHASIS_SINGLE,
                        file=source.file,
                        line=source.first_line + index,
                        col=source_line.find("*") + 1 if "*" in source_line else 1,
                        path=source.field,
                        level=Level.WARNING,
                    )
                )
                break
