"""Reader: a contributed article as plain text (.txt) or Markdown (.md) -> articles of the model.

Input: the path of a UTF-8 or GB18030/GBK text file. Output: :class:`~.structure.Imported`.

Stage 1 (:func:`parse`) turns lines into :class:`~.structure.RawParagraph` records; stage 2 is the
structuring shared with the Word reader (:func:`.structure.structure`). In a ``.txt`` file every
line is a paragraph (text copied from Word has one line per paragraph); in a ``.md`` file blank
lines separate paragraphs and wrapped lines join. Both understand what contributors paste from
Markdown: ``#`` heading marks (a hint; the level comes from the numbering), ``**bold**``, pipe
tables, and ``---`` rules (dropped). A ``.md`` file may show a picture ``![图注](a.png "摄影者")``
from its own folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import safe_io
from ..model import Span
from ..problems import Level, Problem
from .encoding import decode, likely
from .structure import Imported, RawBlock, RawImage, RawParagraph, RawTable, read_with

MAX_BYTES = 20 * 1024 * 1024
"""A contributed article is text; 20 MB is far beyond any real one."""

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_IMAGE = re.compile(r'^ {0,3}!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"([^"]*)")?\s*\)\s*$')
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def read(path: Path, image_dir: Path | None = None) -> Imported:
    """Read ``path`` and structure it into articles; pictures go to ``image_dir`` (the issue folder)."""
    return read_with(parse, path, image_dir)


def parse(path: Path) -> tuple[list[RawBlock] | None, list[Problem]]:
    """Return the raw blocks of ``path`` (None when it cannot be read) and the problems."""
    try:
        data = safe_io.read_regular(path, MAX_BYTES)
    except safe_io.NotRegular as exc:
        return None, [Problem("file.not_regular", file=path, args={"kind": exc.kind})]
    except safe_io.TooLarge as exc:
        return None, [
            Problem("import.too_large", file=path, args={"size_mb": exc.size / 1048576, "limit_mb": 20})
        ]
    except FileNotFoundError:
        return None, [Problem("file.missing", file=path)]
    except OSError as exc:
        return None, [Problem("file.unreadable", file=path, args={"detail": safe_io.os_reason(exc)})]
    decoded = decode(data)
    if decoded is None:
        return None, [Problem("file.encoding", file=path, args={"likely": likely(data)})]
    text, encoding = decoded
    problems = []
    if encoding == "gb18030":
        problems.append(Problem("import.gbk", file=path, level=Level.WARNING))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    markdown = path.suffix.lower() in (".md", ".markdown")
    blocks, more = _blocks(text.split("\n"), markdown, path)
    return blocks, problems + more


def _blocks(lines: list[str], markdown: bool, path: Path) -> tuple[list[RawBlock], list[Problem]]:
    blocks: list[RawBlock] = []
    problems: list[Problem] = []
    in_paragraph = False
    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        if not line.strip(" \t\u3000\u00a0"):
            in_paragraph = False
            i += 1
            continue
        if _RULE.match(line):
            problems.append(
                Problem("import.rule_dropped", file=path, line=number, col=1, level=Level.WARNING)
            )
            in_paragraph = False
            i += 1
            continue
        if _TABLE_ROW.match(line) and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and _TABLE_ROW.match(lines[end]):
                end += 1
            rows = [_cells(lines[i]), *(_cells(r) for r in lines[i + 2 : end])]
            blocks.append(RawTable(rows=tuple(rows), line=number))
            in_paragraph = False
            i = end
            continue
        if markdown and (image := _IMAGE.match(line)):
            found = _image(image, path, number, problems)
            if found is not None:
                blocks.append(found)
                in_paragraph = False
                i += 1
                continue
        heading = _ATX.match(line)
        if heading:
            text, col, rank = heading.group(2), heading.start(2) + 1, float(len(heading.group(1)))
            blocks.append(RawParagraph(_inline(text), number, col, hint="heading", rank=rank))
            in_paragraph = False
        else:
            soft = markdown and in_paragraph
            # keep the indent: the clean-up removes and reports it
            blocks.append(RawParagraph(_inline(line), number, 1, soft=soft))
            in_paragraph = markdown
        i += 1
    return blocks, problems


def _inline(text: str) -> tuple[Span, ...]:
    """Return ``text`` as spans, ``**bold**`` (or ``__bold__``) marks taken as bold."""
    parts = re.split(r"(\*\*|__)", text)
    markers = [k for k in range(1, len(parts), 2)]
    # an unpaired last marker is literal text
    literal = {markers[-1]} if len(markers) % 2 else set()
    spans: list[Span] = []
    bold = False
    for k, part in enumerate(parts):
        if k % 2 == 1 and k not in literal:
            bold = not bold
            continue
        if part:
            if spans and spans[-1].bold == bold:
                spans[-1] = Span(text=spans[-1].text + part, bold=bold)
            else:
                spans.append(Span(text=part, bold=bold))
    return tuple(spans)


def _cells(row: str) -> tuple[str, ...]:
    inner = row.strip().removeprefix("|").removesuffix("|")
    return tuple("".join(s.text for s in _inline(c.strip())) for c in inner.split("|"))


def _image(m: re.Match[str], path: Path, line: int, problems: list[Problem]) -> RawImage | None:
    """Return the picture a Markdown line shows, if it is a file in the Markdown file's folder."""
    src = m.group(2)
    folder = path.parent.resolve()
    target = (folder / src).resolve()
    if "://" in src or src.startswith("/") or not target.is_relative_to(folder) or not target.is_file():
        problems.append(
            Problem(
                "import.image_missing", file=path, line=line, col=1, level=Level.WARNING, args={"src": src}
            )
        )
        return None
    credit = (m.group(3) or "").strip()
    credit = credit[:-1].rstrip(" \u3000") if credit.endswith("摄") else credit
    return RawImage(
        data=target.read_bytes(), ext=target.suffix, line=line, caption=m.group(1).strip(), credit=credit
    )
