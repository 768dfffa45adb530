"""Append articles to an issue file as text, and write it only when it reads back right.

Input: the path of an existing issue file and articles of the document model (with a comment line
for each). Output: the YAML items appended (as :mod:`bulletin_kit.writers.issue_yaml` writes them)
and problems. The file is edited as text — its comments, blank lines and key order stay — and the
result is written atomically only after it has been read back with
:func:`bulletin_kit.readers.issue_yaml.load` as the old articles plus exactly the new ones
(:func:`~bulletin_kit.writers.issue_yaml.canonical`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from . import outputs
from .messages import Code
from .model import Article, Image
from .problems import Problem, errors
from .readers import issue_yaml
from .readers.news import PENDING_PREFIX
from .readers.yaml_source import read_text
from .writers import issue_yaml as yaml_writer

_ARTICLES_KEY = re.compile(r"^articles[ \t]*:(?P<rest>.*)$")
_TOP_LEVEL = re.compile(r"^[^\s#-]")


class FlowArticlesError(ValueError):
    """``articles:`` is written in flow style ``[...]`` with content; it cannot be appended to as text."""


def item_indent(text: str) -> str:
    """Return the indentation of the items of ``articles:`` in ``text`` (two spaces when there are none)."""
    lines = text.splitlines()
    start = _find_articles(lines)
    if start is not None:
        for line in lines[start + 1 : _block_end(lines, start)]:
            m = re.match(r"^(\s*)- ", line)
            if m:
                return m.group(1)
    return yaml_writer.ITEM_INDENT


def append_text(text: str, items: str) -> str:
    """Return ``text`` (an issue file) with ``items`` (already indented) added at the end of ``articles:``.

    Everything else — comments, blank lines, key order — is kept as it was; ``articles:`` is
    created at the end of the file when missing. Raise :class:`FlowArticlesError` for ``articles: [...]``.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    new_items = items.rstrip("\n").split("\n")
    start = _find_articles(lines)
    if start is None:
        head = lines + ([""] if lines and lines[-1].strip() else [])
        return newline.join([*head, "articles:", *new_items]) + newline
    key = _ARTICLES_KEY.match(lines[start])
    assert key is not None  # _find_articles matched it
    rest = key.group("rest")
    value, _, comment = rest.partition("#")
    if value.strip() not in ("", "[]", "null", "~", "Null", "NULL"):
        raise FlowArticlesError(value.strip())
    if value.strip():
        lines[start] = "articles:" + (f"  #{comment}" if comment else "")
    end = _block_end(lines, start)
    last = start
    for k in range(start + 1, end):
        if lines[k].strip() and (lines[k][0] in " \t-"):
            last = k
    insert = [*([""] if last != start else []), *new_items]
    return newline.join(lines[: last + 1] + insert + lines[last + 1 :]) + newline


def _find_articles(lines: list[str]) -> int | None:
    return next((k for k, line in enumerate(lines) if _ARTICLES_KEY.match(line)), None)


def _block_end(lines: list[str], start: int) -> int:
    """Return the index of the first line after ``articles:`` that starts another top-level key."""
    for k in range(start + 1, len(lines)):
        if _TOP_LEVEL.match(lines[k]) and not lines[k].startswith("- "):
            return k
    return len(lines)


class _Refused(Exception):
    def __init__(self, problems: list[Problem], detail: str) -> None:
        super().__init__(detail)
        self.problems = problems
        self.detail = detail


def _as_read(article: Article) -> Article:
    """Return ``article`` as the issue reader sees it: a picture still to be supplied is not there yet.

    The importer turns a photo caption into a picture ``待补图片-….jpg`` for the editor to supply
    (:mod:`bulletin_kit.readers.news`); until the file exists the reader warns and skips it.
    """
    blocks = tuple(
        b
        for b in article.blocks
        if not (isinstance(b, Image) and b.path.name.startswith(PENDING_PREFIX) and not b.path.exists())
    )
    return article if blocks == article.blocks else article.model_copy(update={"blocks": blocks})


def append_articles(
    issue_path: Path, articles: Sequence[Article], notes: Sequence[str] = ()
) -> tuple[str, list[Problem]]:
    """Append ``articles`` to the issue file at ``issue_path`` atomically; return the items and problems.

    Nothing is written (and ``""`` returned) when the file has errors already, when ``articles:``
    cannot be appended to as text, or when the result does not read back as the old articles
    plus exactly these.
    """
    text, problems = read_text(issue_path)
    if text is None:
        return "", problems
    before, found = issue_yaml.load(issue_path)
    if before is None:
        return "", [Problem(Code.IMPORT_TARGET_INVALID, file=issue_path), *errors(found)]
    try:
        items = yaml_writer.articles_to_yaml(articles, issue_path.parent, notes, item_indent(text))
        new_text = append_text(text, items)
    except FlowArticlesError:
        return "", [*problems, Problem(Code.IMPORT_FLOW_ARTICLES, file=issue_path)]
    expected = tuple(_as_read(yaml_writer.canonical(a)) for a in articles)

    def write(tmp: Path) -> None:
        tmp.write_text(new_text, encoding="utf-8", newline="")
        after, found = issue_yaml.load(tmp)
        if after is None:
            raise _Refused(found, "；".join(p.message for p in errors(found))[:200] or "无法读取")
        if (
            after.articles[: len(before.articles)] != before.articles
            or after.articles[len(before.articles) :] != expected
        ):
            raise _Refused([], "读回的文章与导入的不一致")

    try:
        outputs.atomic_write(issue_path, write)
    except _Refused as exc:
        moved = [dataclasses.replace(p, file=issue_path) for p in exc.problems]
        refused = Problem(Code.IMPORT_REFUSED, file=issue_path, args={"detail": exc.detail})
        return "", [*problems, refused, *moved]
    return items, problems
