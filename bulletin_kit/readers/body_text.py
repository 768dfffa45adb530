"""The article body format: plain text an editor can type, parsed with markdown-it-py.

Input: the body string of one article, the issue folder (for image paths) and where the body starts
in the YAML file. Output: a tuple of model blocks and problems.

Rules (see docs/issue-format.md): blank lines separate paragraphs; a paragraph starting with
一、 / （一） / 1. / （1） is a heading of level 1–4 (run-in when body text follows its first
sentence); ``#``…``####`` mark unnumbered headings; ``**bold**`` (also next to Chinese punctuation,
see :mod:`.cjk_emphasis`); a leading 【标签】; an image paragraph ``![图注](a.jpg "摄影者")`` with an
optional width ``{1/2}``; two or three image lines in one paragraph stand side by side; ``>`` quote
or statement paragraphs; a ``-->`` signature line; ``::: 【看点】`` … ``:::`` boxes; GFM pipe tables.
Everything else — HTML, ``{{ }}``, entities, backslashes — stays literal text: article text is data,
never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..messages import Code
from ..model import Block, Heading, Image, Paragraph, Span, Table
from ..problems import Level, Problem, Where
from . import news_blocks
from .cjk_emphasis import cjk_friendly_emphasis

# One parser for the whole process: markdown-it-py's commonmark core, with everything that could
# turn ordinary Chinese text into something else switched off (indented code, lists, quotes, HTML,
# links, entities, setext headings, rules). Backslash escapes stay on, so \* prints a literal *.
# Escaped characters stay ``text_special`` tokens (no text_join), so that a ``*`` left in a ``text``
# token is known to be an unmatched emphasis marker. ``>`` quotes and ``:::`` boxes are on.
_MD = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .use(cjk_friendly_emphasis)
    .use(container_plugin, name="box", validate=lambda params, *args: bool(params.strip()))
    .disable(
        [
            "code",
            "fence",
            "text_join",
            "hr",
            "list",
            "reference",
            "html_block",
            "lheading",
            "backticks",
            "link",
            "autolink",
            "html_inline",
            "entity",
        ]
    )
)

# Let every image target through so that we, not markdown-it, refuse the unsafe ones with a message.
_MD.validateLink = lambda url: True  # type: ignore[method-assign]

_CN_NUM = "一二三四五六七八九十"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
"""Heading numbering by level (GB/T 9704 §7.3.3: 一、 （一） 1. （1）)."""

LABEL = re.compile(r"^【([^【】\n]{1,12})】")
_SENTENCE_END = "。！？"
_LEADING_SPACE = " \t\u3000\u00a0"


@dataclass(frozen=True)
class BodySource:
    """Where a body text came from, for positioned problems."""

    file: Path | None
    first_line: int
    """1-based file line of the body's first text line."""
    field: str
    """Field path of the body, e.g. ``articles[2].body``."""
    base_dir: Path | None
    """Folder that image paths are relative to (and must stay inside); None refuses images."""


def parse(text: str, source: BodySource) -> tuple[tuple[Block, ...], list[Problem]]:
    """Return the blocks of ``text`` and the problems found (bad image paths, ragged tables)."""
    located, problems = parse_located(text, source)
    return tuple(block for block, _line in located), problems


_IMAGE_WITH_SPACES = re.compile(r"!\[([^\[\]\n]*)\]\(([^()\n]*)\)")
"""``![图](图片 目录/照片 1.jpg "摄影者")``: a path with spaces, which CommonMark wants in ``<…>``."""


def _bracket_spaced_paths(text: str) -> str:
    """Return ``text`` with image paths that contain spaces wrapped in ``<…>`` (Windows folder names).

    Linear: the pattern's parts exclude their own delimiters, and the inside of ``(…)`` is split with
    string operations (a regex with two lazy runs around ``\\s`` is quadratic on long lines).
    """
    if "![" not in text:
        return text

    def wrap(m: re.Match[str]) -> str:
        inner = m.group(2).strip()
        title = ""
        if inner.endswith('"') and inner.count('"') == 2:
            cut = inner.index('"')
            inner, title = inner[:cut].rstrip(), " " + inner[cut:]
        if not inner or inner[0] in '<"' or '"' in inner or not any(c.isspace() for c in inner):
            return m.group(0)
        return f"![{m.group(1)}](<{inner}>{title})"

    return _IMAGE_WITH_SPACES.sub(wrap, text)


def parse_located(text: str, source: BodySource) -> tuple[list[tuple[Block, int]], list[Problem]]:
    """Return each block of ``text`` with the 1-based file line it starts on, and the problems."""
    deep = _QUOTE_TOO_DEEP.search(text)
    if deep:  # markdown-it stops at 20 levels of nesting and drops the rest: refuse instead
        line = source.first_line + text.count("\n", 0, deep.start())
        where: Where = {"file": source.file, "line": line, "col": 1, "path": source.field}
        return [], [Problem(Code.BODY_TOO_DEEP, args={"limit": MAX_QUOTE_DEPTH}, **where)]
    parsed = _bracket_spaced_paths(text)
    tokens = _MD.parse(parsed)
    problems: list[Problem] = []
    blocks = _blocks(tokens, source, problems, parsed.split("\n"))
    news_blocks.check_emphasis(tokens, text, source, problems)
    return blocks, problems


def _blocks(
    tokens: list[Token], source: BodySource, problems: list[Problem], text_lines: list[str]
) -> list[tuple[Block, int]]:
    blocks: list[tuple[Block, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = source.first_line + (tok.map[0] if tok.map else 0)
        if tok.type in ("blockquote_open", "container_box_open"):
            end = _find_close(tokens, i, tok.type.replace("_open", "_close"), nested=True)
            inner = _blocks(tokens[i + 1 : end], source, problems, text_lines)
            if tok.type == "blockquote_open":
                blocks.extend(news_blocks.quoted(inner))
            else:
                blocks.extend(news_blocks.boxed(tok.info, inner, line, source, problems))
            i = end + 1
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            blocks.extend((b, line) for b in _paragraph(inline, source, line, problems))
            i += 3
        elif tok.type == "heading_open":
            inline = tokens[i + 1]
            level = min(int(tok.tag[1]), 4)
            spans = _strip_bold(_spans(inline.children or []))
            if spans:
                heading = numbered_heading(spans, level) or Heading(level=level, spans=spans)
                blocks.append((heading, line))
            i += 3
        elif tok.type == "table_open":
            end = _find_close(tokens, i, "table_close")
            blocks.append((_table(tokens[i : end + 1], source, line, problems, text_lines), line))
            i = end + 1
        else:
            i += 1
    return blocks


def _find_close(tokens: list[Token], start: int, close: str, *, nested: bool = False) -> int:
    depth = 0
    opening = close.replace("_close", "_open")
    for j in range(start, len(tokens)):
        if nested and tokens[j].type == opening:
            depth += 1
        elif tokens[j].type == close:
            depth -= 1
            if not nested or depth == 0:
                return j
    return len(tokens) - 1  # pragma: no cover - markdown-it always closes its blocks


def _spans(children: list[Token]) -> tuple[Span, ...]:
    """Return the inline children as spans; soft and hard breaks join lines (no space in Chinese)."""
    out: list[Span] = []
    bold = 0
    pending_break = False
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold = max(0, bold - 1)
        elif child.type in ("em_open", "em_close"):
            # a single *x* is not emphasis in Chinese text (there is no italic): keep the asterisks
            _append(out, Span(text=child.markup, bold=bold > 0))
        elif child.type in ("softbreak", "hardbreak"):
            pending_break = True
        elif child.type in ("text", "text_special", "image"):
            text = _image_source_text(child) if child.type == "image" else child.content
            if pending_break:
                prev = out[-1].text[-1:] if out else ""
                if prev and prev.isascii() and prev.isalnum() and text[:1].isascii() and text[:1].isalnum():
                    text = " " + text
                pending_break = False
            _append(out, Span(text=text, bold=bold > 0))
    return tuple(out)


def _image_source_text(tok: Token) -> str:
    """Return an inline image as the text the editor typed (images inside sentences stay text)."""
    title = tok.attrs.get("title")
    title_part = f' "{title}"' if title else ""
    return f"![{tok.content}]({unquote(str(tok.attrs.get('src', '')))}{title_part})"


def _append(out: list[Span], span: Span) -> None:
    if not span.text:
        return
    if out and out[-1].bold == span.bold:
        out[-1] = Span(text=out[-1].text + span.text, bold=span.bold)
    else:
        out.append(span)


def _strip_bold(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Headings are set in their own face; Word bold on 黑体/小标宋 is wrong (GB/T 9704 §7)."""
    text = "".join(s.text for s in spans).strip(_LEADING_SPACE)
    return (Span(text=text),) if text else ()


def strip_spans(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Drop leading spaces and full-width indents (Word copies bring “　　” indents along)."""
    spans_l = list(spans)
    while spans_l:
        first = spans_l[0]
        stripped = first.text.lstrip(_LEADING_SPACE)
        if stripped:
            spans_l[0] = Span(text=stripped, bold=first.bold)
            break
        spans_l.pop(0)
    while spans_l:
        last = spans_l[-1]
        stripped = last.text.rstrip(_LEADING_SPACE)
        if stripped:
            spans_l[-1] = Span(text=stripped, bold=last.bold)
            break
        spans_l.pop()
    return tuple(spans_l)


def _paragraph(inline: Token, source: BodySource, line: int, problems: list[Problem]) -> list[Block]:
    children = inline.children or []
    images = [c for c in children if c.type == "image"]
    non_space = [
        c for c in children if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"
    ]
    if len(images) == 1 and len(non_space) == 1:
        image = _image(images[0], source, line, problems)
        return [image] if image else []
    pictures = news_blocks.picture_paragraph(
        children, lambda tok: _image(tok, source, line, problems), source, line, problems
    )
    if pictures is not None:
        return pictures
    if images:
        problems.append(
            Problem(Code.BODY_INLINE_IMAGE, file=source.file, line=line, col=1, path=source.field)
        )
    spans = strip_spans(_spans(children))
    if not spans:
        return []
    text = "".join(s.text for s in spans)
    if text.startswith("\\"):
        # "\一、…" keeps a numbered sentence as a plain paragraph.
        first = spans[0]
        return [Paragraph(spans=(Span(text=first.text[1:], bold=first.bold), *spans[1:]))]
    heading = numbered_heading(spans, None)
    if heading is not None:
        return [heading]
    if inline.content.startswith(news_blocks.SIGNATURE_MARK):  # as typed: \--> stays text
        return [
            Paragraph(spans=strip_spans(drop_chars(spans, len(news_blocks.SIGNATURE_MARK))), role="signature")
        ]
    match = LABEL.match(text)
    if match:
        rest = drop_chars(spans, match.end())
        return [Paragraph(spans=strip_spans(rest), label=match.group(1))]
    return [Paragraph(spans=spans)]


def numbered_heading(spans: tuple[Span, ...], level: int | None) -> Heading | None:
    """Return a heading when ``spans`` start with heading numbering (or ``level`` is given)."""
    text = "".join(s.text for s in spans)
    found = next(((lvl, m.group(0)) for lvl, p in HEADING_PATTERNS if (m := p.match(text))), None)
    if found is None:
        return None if level is None else Heading(level=level, spans=spans)
    found_level, number = found
    cut = _run_in_cut(text)
    head, tail = (spans, ()) if cut is None else (take_chars(spans, cut), drop_chars(spans, cut))
    return Heading(
        level=level or found_level,
        number=number,
        spans=_strip_bold(head),
        run_in=strip_spans(tail),
    )


def _run_in_cut(text: str) -> int | None:
    """Return where a run-in heading ends (after its first sentence), or None if all is heading."""
    for index, char in enumerate(text):
        if char in _SENTENCE_END:
            end = index + 1
            # keep a closing quote or bracket with the sentence
            while end < len(text) and text[end] in "”’）)》":
                end += 1
            return end if text[end:].strip(_LEADING_SPACE) else None
    return None


def take_chars(spans: tuple[Span, ...], n: int) -> tuple[Span, ...]:
    """Return the first ``n`` characters of ``spans``, formatting kept."""
    out: list[Span] = []
    for span in spans:
        if n <= 0:
            break
        out.append(Span(text=span.text[:n], bold=span.bold))
        n -= len(span.text)
    return tuple(s for s in out if s.text)


def drop_chars(spans: tuple[Span, ...], n: int) -> tuple[Span, ...]:
    """Return ``spans`` without their first ``n`` characters, formatting kept."""
    out: list[Span] = []
    for span in spans:
        if n >= len(span.text):
            n -= len(span.text)
            continue
        out.append(Span(text=span.text[n:], bold=span.bold))
        n = 0
    return tuple(out)


def _image(tok: Token, source: BodySource, line: int, problems: list[Problem]) -> Image | None:
    src = tok.attrs.get("src", "")
    assert isinstance(src, str)
    src = unquote(src)  # markdown-it percent-encodes the path: 图1.jpg arrives as %E5%9B%BE1.jpg
    credit, verb = news_blocks.split_credit(str(tok.attrs.get("title") or ""))
    path = resolve_inside(src, source.base_dir)
    where: Where = {"file": source.file, "line": line, "col": 1, "path": source.field}
    if isinstance(path, Code):
        from .news import PENDING_PREFIX  # here: the importer's regexes cost a build 8 ms

        if path == Code.PATH_NOT_FOUND and Path(src).name.startswith(PENDING_PREFIX):  # see readers/news.py
            warning: Where = {**where, "level": Level.WARNING}
            pending = Problem(Code.BODY_PICTURE_PENDING, args={"value": src}, **warning)
            problems.append(pending)
            return None
        problems.append(Problem(path, args={"value": src, "base": str(source.base_dir)}, **where))
        return None
    broken = unreadable_image(path)
    if broken:
        problems.append(Problem(Code.PATH_NOT_IMAGE, args={"value": src, "detail": broken}, **where))
        return None
    return Image(path=path, caption=tok.content.strip(), credit=credit, credit_verb=verb)


def unreadable_image(path: Path) -> str | None:
    """Return why ``path`` is not a picture both writers can place (Pillow decodes it), or None."""
    from PIL import Image as PILImage  # Pillow comes with WeasyPrint and python-docx

    from ..limits import MAX_IMAGE_PIXELS, image_too_large

    too_large = image_too_large(path)  # from the header, before decoding
    if too_large:
        return too_large
    PILImage.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow's own guard at our limit, not its warning
    try:
        with PILImage.open(path) as picture:
            picture.load()
    except PILImage.DecompressionBombError:
        return "图片像素过多"
    except (OSError, ValueError, SyntaxError):  # unidentified, truncated or broken
        return "文件不完整、已损坏，或不是图片"
    return None


def resolve_inside(value: str, base_dir: Path | None) -> Path | Code:
    """Return ``value`` resolved inside ``base_dir``, or the problem code why it cannot be used.

    Paths are resolved with symlinks followed, so neither ``../`` nor a link can leave the folder;
    URLs and absolute paths are refused the same way.
    """
    if base_dir is None or not value or "://" in value or value.startswith(("/", "\\")) or ":" in value[:3]:
        return Code.PATH_OUTSIDE
    base = base_dir.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        return Code.PATH_OUTSIDE
    if not target.is_file():
        return Code.PATH_NOT_FOUND
    return target


def _table(
    tokens: list[Token], source: BodySource, line: int, problems: list[Problem], text_lines: list[str]
) -> Table:
    rows: list[list[str]] = []
    current: list[str] = []
    raw_cells: list[int] = []
    row_lines: list[int] = []
    for tok in tokens:
        if tok.type == "tr_open":
            current = []
            row_line = tok.map[0] if tok.map else -1
            raw = _split_row(text_lines[row_line]) if 0 <= row_line < len(text_lines) else []
            raw_cells.append(len(raw))
            row_lines.append(row_line)
        elif tok.type == "inline":
            current.append("".join(s.text for s in _spans(tok.children or [])).strip())
        elif tok.type == "tr_close":
            # markdown-it drops the cells beyond the header's: keep them, nothing is lost
            for extra in raw[len(current) :]:
                inline = _MD.parseInline(extra)
                children = inline[0].children if inline else []
                current.append("".join(s.text for s in _spans(children or [])).strip())
            rows.append(current)
    width = max((len(r) for r in rows), default=0)
    want = raw_cells[0] if raw_cells else width
    for index, (row, got) in enumerate(zip(rows, raw_cells, strict=False)):
        if index and got != want:
            problems.append(
                Problem(
                    Code.BODY_TABLE_RAGGED,
                    file=source.file,
                    line=source.first_line + max(row_lines[index], 0),
                    col=1,
                    path=source.field,
                    level=Level.WARNING,
                    args={"row": index + 1, "got": got, "want": want},
                )
            )
        row.extend([""] * (width - len(row)))
    return Table(rows=tuple(tuple(r) for r in rows), header=True)


MAX_QUOTE_DEPTH = 8
"""Quotes in quotes (``> > >``); a real bulletin has one level."""
_QUOTE_TOO_DEEP = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MAX_QUOTE_DEPTH + 1}}}", re.M)
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _split_row(line: str) -> list[str]:
    """Return the cells of a table row as written (``| a | b |`` -> ``[' a ', ' b ']``)."""
    row = _QUOTE_MARKS.sub("", line).strip()  # a table inside a > quote
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return _CELL_SPLIT.split(row)
