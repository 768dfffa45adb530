"""Writer: articles of the document model -> the issue-file YAML (docs/issue-format.md).

Input: :class:`~bulletin_kit.model.Article` objects and the issue's folder (picture paths are
written relative to it). Output: YAML text in the issue-file format — the body as a ``|`` block in
the body text format — that :func:`bulletin_kit.readers.issue_yaml.load` reads back as the same
articles (:func:`canonical` says exactly which), and :func:`append_articles`, which adds articles
to an existing issue file as text, so its comments and layout stay, and refuses to write a file
that would not read back. Unlike the other writers this one does not render an issue: it is the
way back from any reader (the importers) to the file an editor maintains.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import yaml

from .. import outputs
from ..model import Article, Block, Heading, Image, Paragraph, Span, Table, plain
from ..problems import Problem, errors
from ..readers import issue_yaml
from ..readers.body_text import HEADING_PATTERNS, LABEL
from ..readers.yaml_source import read_text

ITEM_INDENT = "  "
"""Indentation of ``- title:`` under ``articles:`` when the file has no article to copy it from."""

# ---------------------------------------------------------------- the canonical model


def canonical(article: Article) -> Article:
    """Return ``article`` as it reads back from the YAML this module writes.

    Two things change, neither visible in print: bold stops short of punctuation at its ends
    (``**“词”**`` is not bold in Markdown, ``“**词**”`` is), and ``|`` in a table cell becomes
    the full-width ``｜``.
    """
    blocks = tuple(_canonical_block(b) for b in article.blocks)
    return article if blocks == article.blocks else article.model_copy(update={"blocks": blocks})


def _canonical_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return block.model_copy(update={"spans": safe_bold(block.spans)})
    if isinstance(block, Heading) and block.run_in:
        return block.model_copy(update={"run_in": safe_bold(block.run_in)})
    if isinstance(block, Table):
        rows = tuple(tuple(c.replace("|", "｜") for c in row) for row in block.rows)
        return block.model_copy(update={"rows": rows})
    return block


def _edge(char: str) -> bool:
    """Return True for a character Markdown will not let a ``**`` run start or end next to."""
    return unicodedata.category(char)[0] in "PSZ" or char.isspace()


def safe_bold(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Return ``spans`` with punctuation and spaces at the ends of bold runs made not bold, merged."""
    out: list[Span] = []
    for span in spans:
        pieces = [span]
        if span.bold:
            text = span.text
            start, end = 0, len(text)
            while start < end and _edge(text[start]):
                start += 1
            while end > start and _edge(text[end - 1]):
                end -= 1
            pieces = [Span(text=text[:start]), Span(text=text[start:end], bold=True), Span(text=text[end:])]
        for piece in pieces:
            if not piece.text:
                continue
            if out and out[-1].bold == piece.bold:
                out[-1] = Span(text=out[-1].text + piece.text, bold=piece.bold)
            else:
                out.append(piece)
    return tuple(out)


# ---------------------------------------------------------------- body text


def _inline(spans: tuple[Span, ...]) -> str:
    return "".join(f"**{s.text}**" if s.bold else s.text for s in safe_bold(spans))


def _needs_escape(text: str) -> bool:
    """Return True when a plain paragraph would read back as something else (see docs/issue-format.md)."""
    return (
        any(p.match(text) for _, p in HEADING_PATTERNS)
        or LABEL.match(text) is not None
        or text.startswith(("#", "\\", "![", "|"))
    )


def body_text(blocks: Sequence[Block], issue_dir: Path) -> str:
    """Return ``blocks`` in the body text format; picture paths relative to ``issue_dir``."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.extend(_heading(block))
        elif isinstance(block, Paragraph):
            text = _inline(block.spans)
            if block.label is not None:
                text = f"【{block.label}】{text}"
            elif _needs_escape(plain(block.spans)):
                text = "\\" + text
            parts.append(text)
        elif isinstance(block, Image):
            parts.append(_image(block, issue_dir))
        elif block.rows:
            parts.append(_table(block))
    return "\n\n".join(parts)


def _heading(block: Heading) -> list[str]:
    text = plain(block.spans)
    level_of_number = next((lvl for lvl, p in HEADING_PATTERNS if p.match(text)), None)
    if block.number is not None and level_of_number == block.level:
        return [text + _inline(block.run_in)]
    out = ["#" * block.level + " " + text]
    if block.run_in:  # a heading marked with # has no run-in text: keep it as the next paragraph
        out.append(_inline(block.run_in))
    return out


def _image(block: Image, issue_dir: Path) -> str:
    path = block.path.resolve()
    folder = issue_dir.resolve()
    if not path.is_relative_to(folder):
        raise ValueError(f"picture {path} is outside the issue folder {folder}")
    rel = path.relative_to(folder).as_posix()
    if re.search(r"[\s()<>]", rel):
        rel = f"<{rel}>"
    credit = block.credit.replace('"', "”")
    title = f' "{credit}"' if credit else ""
    return f"![{block.caption}]({rel}{title})"


def _table(block: Table) -> str:
    width = max(len(r) for r in block.rows)
    rows = [(*r, *[""] * (width - len(r))) for r in block.rows]
    lines = ["| " + " | ".join(c.replace("|", "｜") for c in rows[0]) + " |"]
    lines.append("|" + " --- |" * width)
    lines += ["| " + " | ".join(c.replace("|", "｜") for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


# ---------------------------------------------------------------- YAML


def _plain_ok(value: str) -> bool:
    try:
        return yaml.safe_load(f"k: {value}\n") == {"k": value}
    except yaml.YAMLError:
        return False


def scalar(value: str) -> str:
    """Return ``value`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if value and "\n" not in value and value == value.strip() and _plain_ok(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _block_scalar(key: str, text: str, indent: str) -> list[str]:
    lines = [f"{indent}{key}: |-" if not text.endswith("\n") else f"{indent}{key}: |"]
    lines += [f"{indent}  {line}" if line else "" for line in text.rstrip("\n").split("\n")]
    return lines


def article_to_yaml(article: Article, issue_dir: Path) -> str:
    """Return ``article`` as one item of the ``articles:`` list (starting ``- title:``, no indent)."""
    a = canonical(article)
    out: list[str] = []
    if len(a.title) == 1:
        out.append(f"- title: {scalar(a.title[0])}")
    else:
        out.append("- title:")
        out += [f"    - {scalar(line)}" for line in a.title]
    for key in ("kicker", "subtitle", "column", "byline"):
        value = getattr(a, key)
        if value:
            out.append(f"  {key}: {scalar(value)}")
    if a.editor_note:
        if "\n" in a.editor_note or len(a.editor_note) > 40:
            out += _block_scalar("editor_note", a.editor_note, "  ")
        else:
            out.append(f"  editor_note: {scalar(a.editor_note)}")
    if a.source:
        out.append(f"  source: {scalar(a.source)}")
    if a.toc:
        out.append("  toc:")
        out += [f"    - {scalar(line)}" for line in a.toc]
    body = body_text(a.blocks, issue_dir)
    if body:
        out += _block_scalar("body", body + "\n", "  ")
    return "\n".join(out) + "\n"


def articles_to_yaml(
    articles: Sequence[Article], issue_dir: Path, notes: Sequence[str] = (), indent: str = ITEM_INDENT
) -> str:
    """Return ``articles`` as ``articles:`` items indented by ``indent``, each after its comment line."""
    chunks = []
    for index, article in enumerate(articles):
        lines = []
        if index < len(notes) and notes[index]:
            lines.append(f"# {notes[index]}")
        lines += article_to_yaml(article, issue_dir).rstrip("\n").split("\n")
        chunks.append("\n".join(indent + line if line else "" for line in lines))
    return "\n\n".join(chunks) + "\n" if chunks else ""


# ---------------------------------------------------------------- appending to an issue file

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
    return ITEM_INDENT


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


def append_articles(
    issue_path: Path, articles: Sequence[Article], notes: Sequence[str] = ()
) -> list[Problem]:
    """Append ``articles`` to the issue file at ``issue_path``, atomically; return the problems.

    Nothing is written when the file has errors already, when ``articles:`` cannot be appended to
    as text, or when the result does not read back as the old articles plus exactly these.
    """
    text, problems = read_text(issue_path)
    if text is None:
        return problems
    before, found = issue_yaml.load(issue_path)
    if before is None:
        return [Problem("import.target_invalid", file=issue_path), *errors(found)]
    try:
        items = articles_to_yaml(articles, issue_path.parent, notes, item_indent(text))
        new_text = append_text(text, items)
    except FlowArticlesError:
        return [*problems, Problem("import.flow_articles", file=issue_path)]
    expected = tuple(canonical(a) for a in articles)

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
        return [*problems, Problem("import.refused", file=issue_path, args={"detail": exc.detail}), *moved]
    return problems
