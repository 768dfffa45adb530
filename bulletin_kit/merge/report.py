"""The result of a merge and what ``bulletin merge`` prints: changes per article, comments, revisions.

Input: what the merge found and did. Output: :class:`MergeResult` and :func:`report`'s lines.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem, errors


@dataclass
class Change:
    """One change to an element, for the change list."""

    article: int | None
    where: str
    old: str
    new: str


@dataclass
class MergeResult:
    """What a merge found and did."""

    issue_path: Path | None = None
    changes: list[Change] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_text: str | None = None
    written: bool = False
    kept_as: Path | None = None
    titles: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def _short(old: str, new: str, context: int = 12) -> tuple[str, str]:
    """Return ``old`` and ``new`` cut to the changed stretch with some context."""
    if len(old) <= 2 * context + 20 and len(new) <= 2 * context + 20:
        return old, new
    m = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops = [op for op in m.get_opcodes() if op[0] != "equal"]
    if not ops:
        return old, new
    i1, i2 = max(ops[0][1] - context, 0), min(ops[-1][2] + context, len(old))
    j1, j2 = max(ops[0][3] - context, 0), min(ops[-1][4] + context, len(new))

    def cut(text: str, a: int, b: int) -> str:
        return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")

    return cut(old, i1, i2), cut(new, j1, j2)


def report(result: MergeResult) -> list[str]:
    """Return the lines ``bulletin merge`` prints: the changes per article, comments, revisions."""
    lines: list[str] = []
    if result.revisions:
        lines.append("尚未处理的修订：")
        lines += [f"  {r}" for r in result.revisions]
    by_article: dict[int | None, list[Change]] = {}
    for change in result.changes:
        by_article.setdefault(change.article, []).append(change)
    for article, changes in sorted(by_article.items(), key=lambda x: -1 if x[0] is None else x[0]):
        if article is None:
            lines.append("本期（要目、版记）：")
        else:
            lines.append(f"第{article + 1}篇《{result.titles.get(article, '')}》：")
        for c in changes:
            old, new = _short(c.old, c.new)
            if not c.old:
                lines.append(f"  {c.where}：+ {new}")
            else:
                lines.append(f"  {c.where}：{old} → {new}")
    if result.comments:
        lines.append("批注（不写入期刊文件，请逐条处理）：")
        lines += [f"  {c}" for c in result.comments]
    if result.written and result.issue_path is not None:
        lines.append(f"已写入 {result.issue_path}：{len(result.changes)} 处修改。")
    elif result.new_text is not None:
        lines.append("（--dry-run：未写入任何文件）")
    if result.kept_as is not None:
        lines.append(f"审阅稿已保存为 {result.kept_as}，不再阻止生成 PDF。")
    if result.written and result.issue_path is not None:
        lines.append(f"请重新生成：bulletin build {result.issue_path}")
    return lines
