"""Reader: a contributed article as plain text (.txt) or Markdown (.md) -> articles of the model.

Input: the path of a UTF-8 or GB18030/GBK text file. Output: :class:`~.contrib.Imported`.

Stage 1 (:func:`parse`) turns lines into :class:`~.contrib.RawParagraph` records; stage 2 is the
structuring shared with the Word reader (:func:`.contrib.structure`). In a ``.txt`` file every
line is a paragraph (text copied from Word has one line per paragraph); a ``.md`` file is parsed
into blocks by the markdown-it parser the body format uses (:mod:`.body_text`: headings,
paragraphs whose wrapped lines join, pipe tables), each line keeping its line number. Both
understand what contributors paste from Markdown: ``#`` heading marks (a hint; the level comes
from the numbering, or from the ``#`` count when the file uses it consistently), ``**bold**``,
pipe tables, and ``---`` rules (dropped). A ``.md`` file may show a picture
``![图注](a.png "摄影者")`` from its own folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from .. import safe_io
from ..messages import Code
from ..model import Span
from ..problems import Level, Problem
from .body_text import _MD as MARKDOWN
from .contrib import Imported, RawBlock, RawImage, RawParagraph, RawTable, read_with
from .encoding import decode, likely

MAX_BYTES = 20 * 1024 * 1024
"""A contributed article is text; 20 MB is far beyond any real one."""

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
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
        return None, [Problem(Code.FILE_NOT_REGULAR, file=path, args={"kind": exc.kind})]
    except safe_io.TooLarge as exc:
        return None, [
            Problem(Code.IMPORT_TOO_LARGE, file=path, args={"size_mb": exc.size / 1048576, "limit_mb": 20})
        ]
    except FileNotFoundError:
        return None, [Problem(Code.FILE_MISSING, file=path)]
    except OSError as exc:
        return None, [Problem(Code.FILE_UNREADABLE, file=path, args={"detail": safe_io.os_reason(exc)})]
    decoded = decode(data)
    if decoded is None:
        return None, [Problem(Code.FILE_ENCODING, file=path, args={"likely": likely(data)})]
    text, encoding = decoded
    problems = []
    if encoding == "gb18030":
        problems.append(Problem(Code.IMPORT_GBK, file=path, level=Level.WARNING))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if path.suffix.lower() in (".md", ".markdown"):
        blocks, more = _markdown_blocks(text.split("\n"), path)
    else:
        blocks, more = _text_blocks(text.split("\n"), path)
    return blocks, problems + more


def _markdown_blocks(lines: list[str], path: Path) -> tuple[list[RawBlock], list[Problem]]:
    """Return the raw blocks of a Markdown file, its blocks found by markdown-it."""
    problems: list[Problem] = []
    for k, line in enumerate(lines):
        if _RULE.match(line):  # the body format has no rules: a --- line ends the paragraph, as before
            problems.append(
                Problem(Code.IMPORT_RULE_DROPPED, file=path, line=k + 1, col=1, level=Level.WARNING)
            )
            lines[k] = ""
    tokens = MARKDOWN.parse("\n".join(lines))
    blocks: list[RawBlock] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        first = tok.map[0] if tok.map else 0
        if tok.type == "heading_open":
            content = tokens[i + 1].content
            col = max(lines[first].find(content), 0) + 1 if content else 1
            rank = float(int(tok.tag[1:]))
            blocks.append(RawParagraph(_inline(content), first + 1, col, hint="heading", rank=rank))
            i += 3
        elif tok.type == "paragraph_open":
            blocks.extend(_markdown_paragraph(tokens[i + 1], lines, first, path, problems))
            i += 3
        elif tok.type == "table_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
            rows: list[tuple[str, ...]] = []
            for t in tokens[i:end]:
                if t.type == "tr_open":
                    rows.append(())
                elif t.type == "inline":
                    rows[-1] += ("".join(s.text for s in _inline(t.content)),)
            blocks.append(RawTable(rows=tuple(rows), line=first + 1))
            i = end + 1
        else:
            i += 1
    return blocks, problems


def _markdown_paragraph(
    inline: Token, lines: list[str], first: int, path: Path, problems: list[Problem]
) -> list[RawBlock]:
    """Return a Markdown paragraph as one raw paragraph per line (later lines soft), or its picture."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        image = children[0]
        title = image.attrs.get("title")
        found = _image(
            unquote(str(image.attrs.get("src", ""))),
            image.content,
            str(title or ""),
            path,
            first + 1,
            problems,
        )
        if found is not None:
            return [found]
    out: list[RawBlock] = []
    for k, text in enumerate(inline.content.split("\n")):
        source = lines[first + k] if first + k < len(lines) else text
        indent = source[: len(source) - len(source.lstrip(" \t"))]  # kept: the clean-up reports it
        out.append(RawParagraph(_inline(indent + text), first + k + 1, 1, soft=k > 0))
    return out


def _text_blocks(lines: list[str], path: Path) -> tuple[list[RawBlock], list[Problem]]:
    """Return the raw blocks of a text file: one paragraph per line (pipe tables and rules aside)."""
    blocks: list[RawBlock] = []
    problems: list[Problem] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        if not line.strip(" \t\u3000\u00a0"):
            i += 1
            continue
        if _RULE.match(line):
            problems.append(
                Problem(Code.IMPORT_RULE_DROPPED, file=path, line=number, col=1, level=Level.WARNING)
            )
            i += 1
            continue
        if _TABLE_ROW.match(line) and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and _TABLE_ROW.match(lines[end]):
                end += 1
            rows = [_cells(lines[i]), *(_cells(r) for r in lines[i + 2 : end])]
            blocks.append(RawTable(rows=tuple(rows), line=number))
            i = end
            continue
        heading = _ATX.match(line)
        if heading:
            text, col, rank = heading.group(2), heading.start(2) + 1, float(len(heading.group(1)))
            blocks.append(RawParagraph(_inline(text), number, col, hint="heading", rank=rank))
        else:  # keep the indent: the clean-up removes and reports it
            blocks.append(RawParagraph(_inline(line), number, 1))
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


def _image(src: str, alt: str, title: str, path: Path, line: int, problems: list[Problem]) -> RawImage | None:
    """Return the picture ``![alt](src "title")`` shows, if it is a file in the Markdown file's folder."""
    folder = path.parent.resolve()
    target = (folder / src).resolve()
    if "://" in src or src.startswith("/") or not target.is_relative_to(folder) or not target.is_file():
        problems.append(
            Problem(
                Code.IMPORT_IMAGE_MISSING, file=path, line=line, col=1, level=Level.WARNING, args={"src": src}
            )
        )
        return None
    credit = title.strip()
    credit = credit[:-1].rstrip(" \u3000") if credit.endswith("摄") else credit
    return RawImage(
        data=target.read_bytes(), ext=target.suffix, line=line, caption=alt.strip(), credit=credit
    )
