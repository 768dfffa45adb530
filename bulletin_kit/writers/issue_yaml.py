"""Writer: articles of the document model -> the issue-file YAML (docs/issue-format.md).

Input: :class:`~bulletin_kit.model.Article` objects and the issue's folder (picture paths are
written relative to it). Output: YAML text in the issue-file format — the body as a ``|`` block in
the body text format, with whatever in the text would read as markup escaped — that
:func:`bulletin_kit.readers.issue_yaml.load` reads back as the same articles (:func:`canonical`
says exactly which). Unlike the other writers this one does not render an issue: it is the way
back from any reader (the importers) to the file an editor maintains; adding the text to an
existing issue file is :mod:`bulletin_kit.issue_append`.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import yaml

from ..model import Article, Block, Box, Heading, Image, ImageGroup, Paragraph, Span, Table, plain
from ..readers.body_text import HEADING_PATTERNS, LABEL

ITEM_INDENT = "  "
"""Indentation of ``- title:`` under ``articles:`` when the file has no article to copy it from."""

# ---------------------------------------------------------------- the canonical model


def canonical(article: Article) -> Article:
    """Return ``article`` as it reads back from the YAML this module writes.

    Three things change, none visible in print: bold stops short of punctuation at its ends
    (``**“词”**`` is not bold in Markdown, ``“**词**”`` is), and ``|`` in a table cell and ``"``
    in a picture's credit become the full-width ``｜`` and ``”``.
    """
    blocks = tuple(_canonical_block(b) for b in article.blocks)
    return article if blocks == article.blocks else article.model_copy(update={"blocks": blocks})


def _canonical_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return block.model_copy(update={"spans": safe_bold(block.spans)})
    if isinstance(block, Box):
        paragraphs = tuple(p.model_copy(update={"spans": safe_bold(p.spans)}) for p in block.paragraphs)
        return block.model_copy(update={"paragraphs": paragraphs})
    if isinstance(block, Heading) and block.run_in:
        return block.model_copy(update={"run_in": safe_bold(block.run_in)})
    if isinstance(block, Table):
        rows = tuple(tuple(c.replace("|", "｜") for c in row) for row in block.rows)
        return block.model_copy(update={"rows": rows})
    if isinstance(block, Image) and '"' in block.credit:
        return block.model_copy(update={"credit": block.credit.replace('"', "”")})
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


_PUNCT = frozenset(string.punctuation)
"""The characters a backslash escapes in the body format (CommonMark: ASCII punctuation)."""


def escape(text: str, *, all_emphasis: bool = False) -> str:
    """Return plain ``text`` written so that the body format reads it back as the same characters.

    Escaped: every backslash that could start an escape (before ASCII punctuation or at the end),
    the ``[`` of ``![`` (a picture), and ``*`` / ``_`` in runs of two or more (bold); with
    ``all_emphasis`` — in a paragraph that has bold text — every ``*`` and ``_``, since a single
    one could pair with a bold mark. A single ``*x*`` or ``_x_`` is literal text in the body format.
    """
    out: list[str] = []
    for i, char in enumerate(text):
        if char == "\\":
            nxt = text[i + 1 : i + 2]
            out.append("\\\\" if not nxt or nxt in _PUNCT else "\\")
        elif char in "*_":
            run = text[i - 1 : i] == char or text[i + 1 : i + 2] == char
            out.append("\\" + char if all_emphasis or run else char)
        elif char == "[" and text[i - 1 : i] == "!":
            out.append("\\[")
        else:
            out.append(char)
    return "".join(out)


def _inline(spans: tuple[Span, ...]) -> str:
    """Return ``spans`` in the body format: bold as ``**…**``, the text escaped."""
    spans = safe_bold(spans)
    bold = any(s.bold for s in spans)
    parts = (escape(s.text, all_emphasis=bold) for s in spans)
    return "".join(f"**{t}**" if s.bold else t for s, t in zip(spans, parts, strict=True))


def _needs_prefix(text: str) -> bool:
    r"""Return True when a plain paragraph would read back as a heading or a label, or lose a ``\``."""
    return any(p.match(text) for _, p in HEADING_PATTERNS) or bool(LABEL.match(text)) or text.startswith("\\")


def _paragraph(spans: tuple[Span, ...], label: str | None = None) -> str:
    r"""Return a paragraph in the body format (see docs/issue-format.md).

    A paragraph that would read as a heading or a label starts with a backslash (``\一、…``),
    itself escaped when ASCII punctuation follows it; a leading ``#`` or ``|`` is escaped.
    """
    text = _inline(spans)
    if label is not None:
        return f"【{escape(label, all_emphasis=any(s.bold for s in spans))}】{text}"
    if _needs_prefix(plain(spans)):
        return ("\\\\" if text[:1] in _PUNCT else "\\") + text
    if text.startswith(("#", "|", ">", ":::", "-->")):  # heading, table, quote, box, signature
        return "\\" + text
    return text


def body_text(blocks: Sequence[Block], issue_dir: Path) -> str:
    """Return ``blocks`` in the body text format; picture paths relative to ``issue_dir``."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.extend(_heading(block))
        elif isinstance(block, Paragraph):
            parts.append(_role(block, _paragraph(block.spans, block.label)))
        elif isinstance(block, Image):
            parts.append(_image(block, issue_dir))
        elif isinstance(block, ImageGroup):
            parts.append(_image_group(block, issue_dir))
        elif isinstance(block, Box):
            inner = "\n\n".join(_role(p, _paragraph(p.spans, p.label)) for p in block.paragraphs)
            parts.append(f"::: 【{block.label or '看点'}】\n{inner}\n:::")
        elif block.rows:
            parts.append(_table(block))
    return "\n\n".join(parts)


def _heading(block: Heading) -> list[str]:
    text = plain(block.spans)
    level_of_number = next((lvl for lvl, p in HEADING_PATTERNS if p.match(text)), None)
    if block.number is not None and level_of_number == block.level:
        return [_inline((Span(text=text), *block.run_in))]
    escaped = escape(text)
    if escaped.endswith("#"):  # not a closing sequence of #
        bare = escaped.rstrip("#")
        escaped = bare + "\\" + escaped[len(bare) :]
    out = ["#" * block.level + " " + escaped]
    if block.run_in:  # a heading marked with # has no run-in text: keep it as the next paragraph
        out.append(_paragraph(block.run_in))
    return out


def _image(block: Image, issue_dir: Path) -> str:
    path = block.path.resolve()
    folder = issue_dir.resolve()
    if not path.is_relative_to(folder):
        raise ValueError(f"picture {path} is outside the issue folder {folder}")
    rel = path.relative_to(folder).as_posix()
    if re.search(r"[\s()<>]", rel):
        rel = f"<{rel}>"
    title = _credit_title(block.credit, block.credit_verb)
    width = f"{{{_width_text(block.width)}}}" if block.width else ""
    return f"![{block.caption}]({rel}{title}){width}"


def _width_text(width: float) -> str:
    named = {1.0: "全宽", 1 / 2: "1/2", 1 / 3: "1/3", 2 / 3: "2/3"}
    return named.get(width) or f"{round(width * 100)}%"


def _credit_title(credit: str, verb: str) -> str:
    credit = credit.replace("\\", "\\\\")  # canonical() has made " a ”
    if not credit:
        return ""
    return f' "{credit} {verb}"' if verb and verb != "摄" else f' "{credit}"'


def _image_group(block: ImageGroup, issue_dir: Path) -> str:
    lines = [_image(image, issue_dir) for image in block.images]
    if block.credit:
        credit = block.credit if not block.credit_verb else f"（{block.credit}\u3000{block.credit_verb}）"
        lines.append(escape(block.caption) + ("\u3000" if not block.credit_verb else "") + credit)
    elif block.caption:
        lines.append(escape(block.caption))
    return "\n".join(lines)


def _role(block: Paragraph, text: str) -> str:
    """Return a quote paragraph as ``> …`` and a signature line as ``--> …``."""
    if block.role == "quote":
        return "> " + text
    if block.role == "signature":
        return "--> " + text
    return text


def _table(block: Table) -> str:
    width = max(len(r) for r in block.rows)
    rows = [[escape(c.replace("|", "｜")) for c in (*r, *[""] * (width - len(r)))] for r in block.rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


# ---------------------------------------------------------------- YAML


def _plain_ok(value: str) -> bool:
    try:
        return bool(yaml.safe_load(f"k: {value}\n") == {"k": value})
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
