"""Tracked changes and comments of the reviewed file, placed: 第2篇 正文第3段, 版记, 本期要目第4行 ….

Input: the review, the aligned paragraphs. Output: one line per pending revision and per comment.
"""

from __future__ import annotations

from ..model import (
    Issue,
)
from ..readers.review_docx import Review
from .paragraphs import Para
from .report import MergeResult

_REVISION_KINDS = {
    "ins": "插入",
    "moveTo": "移入",
    "del": "删除",
    "moveFrom": "移出",
    "paragraph-ins": "插入段落标记（分段）",
    "paragraph-del": "删除段落标记（合并段落）",
}


def pending(review: Review, where_of: dict[int, str]) -> list[str]:
    """Return one line per pending revision: where, who, inserted or deleted what."""
    lines = []
    for r in review.revisions:
        text = f"“{r.text}”" if r.text else ""
        who = r.author or "（无名）"
        lines.append(f"{where_of.get(r.paragraph, '')}：{who} {_REVISION_KINDS.get(r.kind, r.kind)}{text}")
    return lines


def places(old: list[Para], new: list[Para], pairs: list[tuple[int, int]], issue: Issue) -> dict[int, str]:
    """Return, for each reviewed paragraph number, where it is (the element, or the article it sits in)."""
    mapped = {j: old[i].ref for i, j in pairs}
    out: dict[int, str] = {}
    article: int | None = None
    for j, para in enumerate(new):
        ref = mapped.get(j)
        if ref is not None and ref.article is not None:
            article = ref.article
        elif ref is not None:
            article = None
        if ref is not None:
            text = ref.describe(issue)
        elif article is not None:
            text = f"第{article + 1}篇 新增段落"
        else:
            text = f"第{para.numbers[0]}段"
        for n in para.numbers:
            out.setdefault(n, text)  # a source line split off its paragraph: where the text is
    return out


def report_comments(review: Review, where_of: dict[int, str], result: MergeResult) -> None:
    for c in review.comments:
        where = where_of.get(c.paragraphs[0], "") if c.paragraphs else ""
        anchored = f"“{c.anchored}”" if c.anchored else ""
        head = f"  回复（{c.author}）" if c.parent else f"批注（{c.author}）{where} {anchored}"
        result.comments.append(f"{head}：{c.text}")
