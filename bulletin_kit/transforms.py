"""Issue -> Issue steps applied between reading and writing, in the order of :data:`STEPS`.

Input: an :class:`~bulletin_kit.model.Issue` from any reader. Output: the issue the writers expect
(text without control characters, the 本期要目 filled in, 2-character names padded) plus warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .messages import Code
from .model import Distribution, Issue, Span
from .problems import Level, Problem

Step = Callable[[Issue], tuple[Issue, list[Problem]]]

# C0/C1 controls except TAB/LF/CR are invisible junk from copy and paste (and break .docx XML).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def scrub(value: object, pattern: re.Pattern[str]) -> tuple[object, int]:
    """Return ``value`` (from ``model_dump``) with ``pattern`` removed from its strings, and the count."""
    if isinstance(value, str):
        return pattern.subn("", value)
    if isinstance(value, dict):
        count = 0
        out = {}
        for key, item in value.items():
            out[key], n = scrub(item, pattern)
            count += n
        return out, count
    if isinstance(value, list | tuple):
        pairs = [scrub(item, pattern) for item in value]
        return [item for item, _ in pairs], sum(n for _, n in pairs)
    return value, 0


def strip_control_chars(issue: Issue) -> tuple[Issue, list[Problem]]:
    """Remove control characters from every text field; warn once per article and once for the rest."""
    problems: list[Problem] = []
    data = issue.model_dump()
    articles = []
    for index, article in enumerate(data["articles"]):
        cleaned, count = scrub(article, _CONTROL)
        articles.append(cleaned)
        if count:
            problems.append(
                Problem(
                    Code.BODY_CONTROL_CHARS,
                    file=issue.source_path,
                    path=f"articles[{index}]",
                    level=Level.WARNING,
                    args={"n": count},
                )
            )
    rest, count = scrub({k: v for k, v in data.items() if k != "articles"}, _CONTROL)
    assert isinstance(rest, dict)
    if count:
        problems.append(
            Problem(Code.BODY_CONTROL_CHARS, file=issue.source_path, level=Level.WARNING, args={"n": count})
        )
    if not problems:
        return issue, []
    return Issue.model_validate({**rest, "articles": articles}), problems


def fill_toc(issue: Issue) -> tuple[Issue, list[Problem]]:
    """Fill each article's 本期要目 lines from its title, and the issue's from its articles."""
    articles = tuple(
        a if a.toc else a.model_copy(update={"toc": ("　".join(a.title),)}) for a in issue.articles
    )
    toc = issue.toc or tuple(line for a in articles for line in a.toc)
    return issue.model_copy(update={"articles": articles, "toc": toc}), []


def pad_name(name: str) -> str:
    """Return a 2-character Chinese name padded with U+3000 (项忠 -> 项　忠), as 版记 lines do."""
    compact = re.sub(r"[\s\u3000]+", "", name)
    if len(compact) == 2 and all(unicodedata.category(c) == "Lo" for c in compact):
        return f"{compact[0]}\u3000{compact[1]}"
    return name


def pad_names(issue: Issue) -> tuple[Issue, list[Problem]]:
    """Pad the 编辑/审核/签发 names of the 版记."""
    d = issue.distribution
    padded = Distribution(
        lines=d.lines,
        editor=pad_name(d.editor) if d.editor else None,
        reviewer=pad_name(d.reviewer) if d.reviewer else None,
        approver=pad_name(d.approver) if d.approver else None,
        copies=d.copies,
    )
    return issue.model_copy(update={"distribution": padded}), []


STEPS: tuple[tuple[str, Step], ...] = (
    ("strip_control_chars", strip_control_chars),
    ("fill_toc", fill_toc),
    ("pad_names", pad_names),
)


def apply(issue: Issue) -> tuple[Issue, list[Problem]]:
    """Run every step of :data:`STEPS` in order; return the result and all warnings."""
    problems: list[Problem] = []
    for _name, step in STEPS:
        issue, found = step(issue)
        problems.extend(found)
    return issue, problems


__all__ = [
    "STEPS",
    "Span",
    "apply",
    "fill_toc",
    "pad_name",
    "pad_names",
    "strip_control_chars",
]
