"""Pictures that do not fit the rest of a page: shrink them a little, or let the text go first.

Input: an :class:`~bulletin_kit.model.Issue` and a function that lays it out with WeasyPrint.
Output: the laid-out document and the issue as laid out (pictures resized or moved), after at most
:data:`MAX_ROUNDS` layouts.

A picture (or a row of pictures) is never split, so when it does not fit under the text of a page,
WeasyPrint starts it on the next page and leaves the bottom of this one empty — half a page, with a
large photo. CSS would float it to the top of the next page (``float: top`` in CSS GCPM), but
WeasyPrint 70 has no page floats. So the writer looks at each page that ends above
:data:`FILL_TARGET` of the 版心 and is followed by a picture, and

- when the picture would fit at no less than :data:`MIN_SCALE` of its height, sets it that much
  smaller (it keeps its place);
- otherwise moves it after the next text block of its article, so that the text fills the gap
  and the picture follows it on the next page (as an editor lays out a news page).

Only the PDF is changed: Word paginates on its own and keeps the editor's order and sizes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import Article, Block, Heading, Image, ImageGroup, Issue, Paragraph
from ..theme import Theme
from . import printed

FILL_TARGET = 0.85
"""A page whose text ends above this share of the 版心, followed by a picture, is worth fixing."""
MIN_SCALE = 0.7
"""A picture is shrunk to at least this share of its height (within about 30 % of fitting)."""
MAX_ROUNDS = 4
"""Layouts at most (the first one included)."""
FIGURE_ID = "figure-{article}-{block}"
"""The HTML id of the picture block ``block`` of article ``article`` (0-based), set by the template."""


@dataclass(frozen=True)
class Gap:
    """A page ending early because the picture ``article``/``block`` starts the next page."""

    article: int
    block: int
    gap_px: float
    """Empty height at the bottom of the page, CSS px."""
    figure_px: float
    """The picture block's height with its caption and padding."""
    picture_px: float
    """The height of the tallest picture in it."""


def fit(issue: Issue, theme: Theme, render: Callable[[Issue], Any]) -> tuple[Any, Issue]:
    """Return ``(document, issue)``: the layout of ``issue`` with its pictures shrunk or moved so that
    no page ends early in front of a picture, as far as :data:`MAX_ROUNDS` layouts allow."""
    document = render(issue)
    for _round in range(MAX_ROUNDS - 1):
        gaps = find_gaps(document)
        changed = issue
        for gap in gaps:
            changed = _fix(changed, gap, theme)
        if changed == issue:
            break
        issue = changed
        document = render(issue)
    return document, issue


def find_gaps(document: Any) -> list[Gap]:
    """Return the pages (all but the last) that end above :data:`FILL_TARGET` with a picture next."""
    gaps = []
    pages = document.pages
    for page, following in itertools.pairwise(pages):
        top, bottom = _text_area(page._page_box)
        end = _content_bottom(page._page_box)
        if end is None or (end - top) >= FILL_TARGET * (bottom - top):
            continue
        first = _first_figure(following._page_box)
        if first is None:
            continue
        box, article, block = first
        pictures = [b.height for b in box.descendants() if b.element_tag == "img"]
        gaps.append(
            Gap(article, block, bottom - end, box.margin_height(), max(pictures, default=0.0)),
        )
    return gaps


def _text_area(page_box: Any) -> tuple[float, float]:
    top = page_box.content_box_y()
    return top, top + page_box.height


def _flow(page_box: Any) -> list[Any]:
    """Return the page's own content (not its margin boxes: page numbers; not the footnote area)."""
    return [c for c in page_box.children if type(c).__name__ not in ("MarginBox", "FootnoteAreaBox")]


def _content_bottom(page_box: Any) -> float | None:
    ends = [
        box.position_y + box.margin_height()
        for root in _flow(page_box)
        for box in root.descendants()
        if type(box).__name__ in ("LineBox", "BlockReplacedBox", "InlineReplacedBox")
    ]
    return max(ends, default=None)


def _first_figure(page_box: Any) -> tuple[Any, int, int] | None:
    """Return the picture block at the top of the page with its article and block index, or None."""
    first_line = None
    for root in _flow(page_box):
        for box in root.descendants():
            element_id = box.element.get("id", "") if box.element is not None else ""
            if element_id.startswith("figure-") and box.element_tag == "figure":
                if first_line is not None and first_line < box.position_y - 1:
                    return None
                _, article, block = element_id.split("-")
                return box, int(article), int(block)
            if type(box).__name__ == "LineBox" and first_line is None:
                first_line = box.position_y
    return None


def _fix(issue: Issue, gap: Gap, theme: Theme) -> Issue:
    article = issue.articles[gap.article]
    picture = article.blocks[gap.block]
    overflow = gap.figure_px - gap.gap_px + 2  # 2 px to spare for rounding
    if gap.picture_px and (gap.picture_px - overflow) >= MIN_SCALE * gap.picture_px:
        scale = (gap.picture_px - overflow) / gap.picture_px
        blocks = list(article.blocks)
        blocks[gap.block] = _scaled(picture, scale, theme)  # type: ignore[arg-type]
        return _with_blocks(issue, gap.article, article, blocks)
    after = gap.block + 1
    if after < len(article.blocks) and isinstance(article.blocks[after], Paragraph | Heading):
        blocks = list(article.blocks)
        blocks[gap.block], blocks[after] = blocks[after], blocks[gap.block]
        return _with_blocks(issue, gap.article, article, blocks)
    return issue


def _with_blocks(issue: Issue, index: int, article: Article, blocks: list[Block]) -> Issue:
    articles = list(issue.articles)
    articles[index] = article.model_copy(update={"blocks": tuple(blocks)})
    return issue.model_copy(update={"articles": tuple(articles)})


def _scaled(block: Image | ImageGroup, scale: float, theme: Theme) -> Image | ImageGroup:
    """Return the picture block ``scale`` times as large (as widths, which both size functions honour)."""
    if isinstance(block, Image):
        width, _ = printed.picture_size_mm(block, theme)
        return block.model_copy(update={"width": None, "width_mm": round(width * scale, 2)})
    sizes = printed.group_sizes_mm(block, theme)
    images = tuple(
        image.model_copy(update={"width": w * scale / theme.text_width_mm})
        for image, (w, _h) in zip(block.images, sizes, strict=True)
    )
    return block.model_copy(update={"images": images})
