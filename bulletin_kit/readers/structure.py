"""Structuring stage shared by the article importers: raw paragraphs with style hints -> articles.

Input: what a reader's first stage found, in document order — :class:`RawParagraph` (text runs,
their position, and hints such as a Word style or Markdown ``#`` marks), :class:`RawImage` and
:class:`RawTable` — and the file they came from. Output: :class:`Imported`: articles of the document
model, the image files to save beside the issue file, and problems (every clean-up change,
reported at the input line it was made on, and what could not be classified).

The steps, in order, as pandoc's Docx reader turns its own parse types into the tree:

1. assemble: pieces after a soft line break (a Word line break, a wrapped Markdown line) join the
   paragraph before them;
2. clean: control characters, indents, tabs and runs of spaces; then the punctuation and spacing
   rules of :mod:`bulletin_kit.cjk` (the same ones ``bulletin check`` reports); empty paragraphs
   are dropped;
3. page furniture (rules in :mod:`.news`): a line that is only a page number is dropped, photo
   captions (a line ending in 摄 / 供图, （图片由……提供）, or one pasted into a sentence) are taken
   out where they stand, decoration (■ ● ◆ ★) before a byline is removed — each reported;
4. join: a paragraph that a page break or a copy split in mid-sentence (it does not end in 。！？…
   and the next one continues it) is joined with the next, also across a caption taken out;
5. split into articles and classify: column (专栏), 编者按, a title block (引题 ending in —— or
   ：, title lines, 副题 starting with ——) with its byline (记者/通讯员…, a unit, or 2–4 names)
   — a new story starts only at such a block —, headings by numbering
   (:data:`~bulletin_kit.readers.body_text.HEADING_PATTERNS`, with the body format's own run-in
   rule) or by style, bold or ``#`` (levels kept when the file uses them consistently), subheads
   (two or more short lines standing alone between paragraphs of a story), the lead phrases
   一是… staying in their paragraphs, labels 【看点】, images with the caption paragraph under
   them, captions as pictures for the editor to supply (``待补图片-….jpg``), tables, and the
   source line （单位）.

Nothing is dropped except whitespace, invisible characters, formatting, decoration and page
numbers: a paragraph that fits no rule stays a plain paragraph and is listed in a warning.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal, cast

from .. import cjk
from ..messages import Code
from ..model import Article, Block, Heading, Image, Paragraph, Span, Table
from ..problems import Level, Problem
from . import news
from .body_text import HEADING_PATTERNS, LABEL, drop_chars, numbered_heading, strip_spans, take_chars

Hint = Literal["title", "subtitle", "heading", "caption"]
HeadingLevel = Literal[1, 2, 3, 4]


@dataclass(frozen=True)
class RawParagraph:
    """One paragraph (or one piece of it) as a reader found it, before any interpretation."""

    spans: tuple[Span, ...]
    line: int
    """1-based line of the text file, or paragraph number of a Word file, for messages."""
    col: int = 1
    """1-based column where ``spans`` start on that line."""
    soft: bool = False
    """True when this piece continues the previous paragraph after a soft line break."""
    hint: Hint | None = None
    """What the source marked the paragraph as (a Word style, Markdown ``#``), if anything."""
    level: int | None = None
    """Heading level a Word style gives (Heading 2 -> 2); None when the source has no reliable level."""
    rank: float | None = None
    """Prominence for telling a title from its 副题: smaller is bigger (``#`` count, minus the point size)."""
    centered: bool = False


@dataclass(frozen=True)
class RawImage:
    """A picture found in the input: its bytes and file suffix (``.png``)."""

    data: bytes
    ext: str
    line: int
    caption: str | None = None
    """A caption the source gave with the picture itself (Markdown alt text), if any."""
    credit: str = ""


@dataclass(frozen=True)
class RawTable:
    """A table as rows of cell texts."""

    rows: tuple[tuple[str, ...], ...]
    line: int


RawBlock = RawParagraph | RawImage | RawTable


@dataclass
class Imported:
    """The articles read from one input file, the pictures to save, and the problems."""

    articles: list[Article] = field(default_factory=list)
    images: list[tuple[Path, bytes]] = field(default_factory=list)
    """(destination inside the issue folder, bytes) of each picture the articles refer to."""
    problems: list[Problem] = field(default_factory=list)
    raw_text: str = ""
    """The text of every raw block in order, for the nothing-lost check."""


@dataclass(frozen=True)
class Options:
    """Where the input came from and where its pictures go."""

    file: Path
    image_dir: Path | None = None
    """The issue's folder; None means pictures cannot be saved (``--stdout``)."""
    fallback_title: str = ""
    """The title used when the input has none (the file name)."""


IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif"}
"""Picture formats both writers can place."""

# ---------------------------------------------------------------- text rules of this stage

_SENTENCE_END = "。！？!?"
_TERMINAL = "。！？…；：!?;:"
_CLOSERS = "”’）)》」』】〕"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f]")
_SPACE_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")
_NOTE = re.compile(r"^[【\[〔]?编者按[】\]〕]?[：:\s\u3000]*")
"""The label the writers print themselves (编者按：), so it is not part of the note's text."""
_SOURCE = re.compile(r"[（(]([^（）()\n]{2,40})[）)]")
_TRAILING_SOURCE = re.compile(r"(?<=[。！？”）])[（(]([^（）()\n]{2,24})[）)]$")
_LEAD_PHRASE = re.compile(rf"^([{'一二三四五六七八九十'}]+是|首先|其次|再次|最后|一方面|另一方面)")
_BYLINE_WORDS = re.compile(r"记者|通讯员|作者|撰稿|执笔|供稿|文\s*[／/]|图\s*[／/]")
_UNIT = re.compile(
    rf"^[{cjk.HAN}（）()·、]{{1,22}}?"
    r"(局|委|办|办公室|中心|公司|集团|街道|镇|乡|县|区|大队|支队|中队|所|站|院|部|处|科|厅|署|馆|组|队|会|党委|党组|政府)"
    rf"([\s\u3000]+[{cjk.HAN}·]{{2,4}})*$"
)
_DATE = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?[）)]?$")
_CAPTION_START = re.compile(r"^(图|▲|△|↑|上图|下图|（图|\(图)")
_CREDIT = re.compile(rf"^(?P<cap>.*?\S)[\s\u3000]+[（(]?(?P<who>[{cjk.HAN}·]{{2,4}})[\s\u3000]*摄[）)]?$")
_DASHES = "—－-─"
MAX_TITLE = 50
"""A title line is at most this many characters (longer lines are body text)."""
TITLE_LINE = 24
"""A title's second line or 副题 is at most this long; a longer line under a title is text."""
LONG_HEADING = 40
"""A numbered heading longer than this probably lacks the 。 that ends it (then body text follows)."""


def _flat(text: str) -> str:
    """Return ``text`` with soft line breaks joined (no space between Chinese, one between words)."""
    return re.sub(r"(?<=[0-9A-Za-z])\n(?=[0-9A-Za-z])", " ", text).replace("\n", "")


def numbered(text: str) -> bool:
    """Return True when ``text`` starts with heading numbering 一、 （一） 1. （1）."""
    return any(p.match(text) for _, p in HEADING_PATTERNS)


def is_terminal(text: str) -> bool:
    """Return True when ``text`` ends a sentence (。！？… ；： possibly followed by ” or ）)."""
    body = text.rstrip(_CLOSERS)
    return not body or body[-1] in _TERMINAL


def unit_like(text: str) -> bool:
    """Return True when ``text`` reads as the name of a unit (平阳县司法局), optionally with names."""
    return bool(_UNIT.match(text)) and not text.endswith("城市")


# ---------------------------------------------------------------- working paragraphs


@dataclass
class _Para:
    """A paragraph being cleaned: text with ``\\n`` at soft breaks, and per character its bold and origin."""

    text: str
    bold: list[bool]
    where: list[tuple[int, int]]
    first: RawParagraph

    @property
    def line(self) -> int:
        return self.where[0][0] if self.where else self.first.line

    def at(self, index: int) -> tuple[int, int]:
        """Return the input (line, column) of character ``index`` (clamped to the text)."""
        if not self.where:
            return (self.first.line, self.first.col)
        return self.where[max(0, min(index, len(self.where) - 1))]

    @property
    def flat(self) -> str:
        return _flat(self.text)

    @property
    def hint(self) -> Hint | None:
        return self.first.hint

    @property
    def bold_all(self) -> bool:
        return bool(self.bold) and all(
            b for b, c in zip(self.bold, self.text, strict=True) if not c.isspace()
        )

    def spans(self) -> tuple[Span, ...]:
        """Return the text as spans, soft breaks joined."""
        out: list[Span] = []
        text = self.text
        for i, char in enumerate(text):
            if char == "\n":
                prev, nxt = text[i - 1 : i], text[i + 1 : i + 2]
                if not (prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum()):
                    continue
                char = " "
            bold = self.bold[i]
            if out and out[-1].bold == bold:
                out[-1] = Span(text=out[-1].text + char, bold=bold)
            else:
                out.append(Span(text=char, bold=bold))
        return tuple(out)

    def edit(self, new: str) -> None:
        """Replace the text by ``new``, carrying bold and origin over to the characters kept or changed."""
        if new == self.text:
            return
        bold: list[bool] = []
        where: list[tuple[int, int]] = []
        old = self.text
        for op, a0, a1, b0, b1 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op == "equal":
                bold += self.bold[a0:a1]
                where += self.where[a0:a1]
            elif op in ("replace", "insert"):
                k = min(a0, len(old) - 1)
                b = self.bold[k] if k >= 0 else False
                w = self.where[k] if k >= 0 else (self.first.line, self.first.col)
                bold += [b] * (b1 - b0)
                where += [w] * (b1 - b0)
        self.text, self.bold, self.where = new, bold, where


@dataclass
class _Caption:
    """A photo caption taken out of the text (see :mod:`.news`); it becomes a picture to supply."""

    para: _Para
    caption: str
    credit: str
    inline: bool = False
    """True when the copy had pasted it into the middle of a sentence."""

    @property
    def line(self) -> int:
        return self.para.line


_Item = _Para | RawImage | RawTable | _Caption


def _assemble(blocks: list[RawBlock]) -> list[_Item]:
    """Join soft-break pieces into paragraphs."""
    items: list[_Item] = []
    for block in blocks:
        if not isinstance(block, RawParagraph):
            items.append(block)
            continue
        text = "".join(s.text for s in block.spans)
        bold = [s.bold for s in block.spans for _ in s.text]
        where = [(block.line, block.col + i) for i in range(len(text))]
        last = items[-1] if items else None
        if block.soft and isinstance(last, _Para):
            last.text += "\n" + text
            last.bold += [False, *bold]
            last.where += [(block.line, block.col), *where]
        else:
            items.append(_Para(text, bold, where, block))
    return items


# ---------------------------------------------------------------- clean


class _Changes:
    """Clean-up changes collected per input line, reported as one warning per line."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.fixed: dict[int, Counter[str]] = {}
        self.check: dict[int, Counter[str]] = {}
        self.col: dict[int, int] = {}

    def add(self, where: tuple[int, int], what: str, *, fixed: bool = True) -> None:
        line, col = where
        table = self.fixed if fixed else self.check
        table.setdefault(line, Counter())[what] += 1
        self.col[line] = min(self.col.get(line, col), col)

    def problems(self) -> list[Problem]:
        out = []
        for code, table in ((Code.IMPORT_CLEANED, self.fixed), (Code.IMPORT_CHECK, self.check)):
            for line, counter in table.items():
                changes = "；".join(what if n == 1 else f"{what}（{n} 处）" for what, n in counter.items())
                out.append(
                    Problem(
                        code,
                        file=self.file,
                        line=line,
                        col=self.col.get(line, 1),
                        level=Level.WARNING,
                        args={"changes": changes},
                    )
                )
        return out


def _clean(para: _Para, changes: _Changes) -> None:
    """Apply the whitespace clean-up and the :mod:`bulletin_kit.cjk` fixes, recording each change."""
    found = [m.start() for m in _CONTROL.finditer(para.text)]
    if found:
        for i in found:
            changes.add(para.at(i), "删除不可见的控制字符")
        para.edit(_CONTROL.sub("", para.text))
    tabs = [m.start() for m in _ODD_SPACE.finditer(para.text)]
    for i in tabs:
        changes.add(para.at(i), "制表符或特殊空格改为普通空格" if para.text[i] != "\t" else "删除制表符")
    if tabs:
        para.edit(_ODD_SPACE.sub(" ", para.text))
    lines = para.text.split("\n")
    offset = 0
    new_lines = []
    for line in lines:
        stripped = line.strip(" \u3000")
        lead = len(line) - len(line.lstrip(" \u3000"))
        if lead and stripped:
            changes.add(para.at(offset), "删除行首缩进")
        trail = len(line) - len(line.rstrip(" \u3000"))
        if trail and stripped:
            changes.add(para.at(offset + len(line) - trail), "删除行尾空格")
        for m in _SPACE_RUN.finditer(line):
            if not _between_han(line, m.start(), m.end()):
                changes.add(para.at(offset + m.start()), "连续空格合并为一个")
        tidy = _SPACE_RUN.sub(
            lambda m, text=stripped: m.group(0) if _between_han(text, m.start(), m.end()) else " ", stripped
        )
        new_lines.append(tidy)
        offset += len(line) + 1
    para.edit("\n".join(new_lines))
    offset = 0
    fixed_lines = []
    for line in para.text.split("\n"):
        fixed, findings = cjk.fix_line(line)
        for f in _one_per_place(findings):
            changes.add(para.at(offset + f.col), cjk.describe(f), fixed=f.fixable)
        fixed_lines.append(fixed)
        offset += len(line) + 1
    para.edit("\n".join(fixed_lines))
    # drop empty soft lines left after the clean-up
    para.edit(re.sub(r"\n{2,}", "\n", para.text).strip("\n"))


def _one_per_place(findings: list[cjk.Finding]) -> list[cjk.Finding]:
    """Return ``findings`` with one per rule and column: two rules may see the same mark (“:” and “: ”)."""
    seen: dict[tuple[int, str], cjk.Finding] = {}
    for f in findings:
        seen.setdefault((f.col, f.code), f)
    return list(seen.values())


def _between_han(line: str, start: int, end: int) -> bool:
    before, after = line[start - 1 : start], line[end : end + 1]
    return bool(re.match(rf"[{cjk.HAN}]", before) and re.match(rf"[{cjk.HAN}]", after))


# ---------------------------------------------------------------- page furniture


def _furniture(items: list[_Item], file: Path) -> tuple[list[_Item], list[Problem], set[int]]:
    """Take out what a PDF copy adds to the text: page numbers, photo captions, byline decoration.

    Return the items, one warning for each thing taken out, and the ids of the raw paragraphs
    dropped (a page number is not text of the article: the nothing-lost check leaves it out).
    A caption becomes a :class:`_Caption` where it stood, so that :func:`_join` can see across it.
    """
    out: list[_Item] = []
    problems: list[Problem] = []
    dropped: set[int] = set()
    for item in items:
        if isinstance(item, _Para) and item.hint is None and "\n" not in item.text:
            flat = item.flat
            where = {"file": file, "line": item.line, "col": 1, "level": Level.WARNING}
            if news.page_number(flat):
                problems.append(Problem(Code.IMPORT_PAGE_NUMBER, args={"text": flat}, **where))  # type: ignore[arg-type]
                dropped.add(id(item.first))
                continue
            found = news.caption(flat)
            if found and not (out and isinstance(out[-1], RawImage)):
                cap, credit = found
                out.append(_Caption(item, cap, credit))
                continue
            rest = news.undecorated(flat)
            if rest != flat and flat[:1] in news.DECORATION and _byline_text(rest):
                item.edit(news.undecorated(item.text))
                problems.append(Problem(Code.IMPORT_DECORATION, args={"mark": flat[:1]}, **where))  # type: ignore[arg-type]
        out.append(item)
        if isinstance(item, _Para) and item.hint is None:
            out.extend(_inline_captions(item))
    return out, problems, dropped


def _inline_captions(p: _Para) -> list[_Caption]:
    """Take the captions the copy pasted into the sentences of ``p`` out of it, in order."""
    found: list[_Caption] = []
    while hit := news.inline_caption(p.text):
        start, end, cap, credit = hit
        piece = _Para(p.text[start:end], p.bold[start:end], p.where[start:end], p.first)
        p.edit(p.text[:start] + p.text[end:])
        found.append(_Caption(piece, cap, credit, inline=True))
    return found


# ---------------------------------------------------------------- join


def _body_like(p: _Para) -> bool:
    """Return True for running text (long, or with a sentence end, or a 编者按), never for a title."""
    flat = p.flat
    return p.hint is None and (
        len(flat) > MAX_TITLE
        or any(c in flat for c in _SENTENCE_END)
        or bool(_NOTE.match(flat))
        or flat[-1:] in ("，", "、", ",")
    )


def _marked(p: _Para) -> bool:
    """Return True when the source marks ``p`` (a style, ``#``, centred, or bold throughout)."""
    return p.hint in ("title", "subtitle", "heading") or p.first.centered or p.bold_all


def marks_titles(items: list[_Item]) -> bool:
    """Return True when the input marks its title (then unmarked short lines are not titles)."""
    for item in items:
        if not isinstance(item, _Para) or _NOTE.match(item.flat):  # an 编者按 may precede the title
            continue
        if _body_like(item):
            return False
        flat = item.flat
        if _title_like(item, False) and not _byline_like(item) and "专栏" not in flat:
            return _marked(item)
    return False


def _fragment(p: _Para) -> bool:
    """Return True for a short unmarked piece of prose (it has a ，) in an input that marks its titles."""
    flat = p.flat
    return not _marked(p) and not _special(p) and not _byline_like(p) and any(c in flat for c in "，、；,;")


def _cut_after_title(items: list[_Item], marked: bool) -> bool:
    """Return True when the last of ``items`` is prose cut off right under a title (bylines between).

    A line longer than a title line, with a ， in it, under the title is not the title's second
    line or its 副题 but the start of the text. (Under a byline only it may be the title itself:
    some titles are long.)
    """
    p = items[-1]
    if not (isinstance(p, _Para) and _fragment(p) and len(p.flat) > TITLE_LINE):
        return False
    for q in reversed(items[:-1]):
        if not isinstance(q, _Para):
            return False
        if not _byline_like(q):
            return _title_like(q, marked)
    return False


def _special(p: _Para) -> bool:
    """Return True for paragraphs that never continue another one."""
    flat = p.flat
    return (
        p.hint is not None
        or numbered(flat)
        or bool(LABEL.match(flat))
        or bool(_NOTE.match(flat))
        or bool(_SOURCE.fullmatch(flat))
    )


def _join(items: list[_Item], file: Path, marked: bool) -> tuple[list[_Item], list[Problem]]:
    """Join paragraphs split in mid-sentence; return the items and one warning per join.

    When the input marks its titles (``marked``), a short unmarked line is a piece of text too; so
    is a long one right under a title (:func:`_cut_after_title`).
    """
    out: list[_Item] = []
    problems = []
    for item in items:
        k = len(out) - 1
        while k > 0 and isinstance(out[k], _Caption):  # a caption the copy put into the sentence
            k -= 1
        prev = out[k] if out else None
        if (
            isinstance(item, _Para)
            and isinstance(prev, _Para)
            and (_body_like(prev) or (marked and _fragment(prev)) or _cut_after_title(out[: k + 1], marked))
            and not is_terminal(prev.flat)
            and not _special(item)
            and (_body_like(item) or is_terminal(item.flat))
        ):
            tail, head = prev.flat[-8:], item.flat[:8]
            problems.append(
                Problem(
                    Code.IMPORT_JOINED,
                    file=file,
                    line=item.line,
                    col=item.where[0][1] if item.where else 1,
                    level=Level.WARNING,
                    args={"prev": prev.at(len(prev.text) - 1)[0], "tail": tail, "head": head},
                )
            )
            glue = (
                " "
                if prev.text[-1:].isascii()
                and prev.text[-1:].isalnum()
                and item.text[:1].isascii()
                and item.text[:1].isalnum()
                else ""
            )
            prev.text += glue + item.text
            prev.bold += [False] * len(glue) + item.bold
            prev.where += [item.where[0]] * len(glue) + item.where
            continue
        out.append(item)
    return out, problems


# ---------------------------------------------------------------- classify


def _title_like(p: _Para, marked: bool) -> bool:
    """Return True for a short line that can be a title, 副题, byline or unnumbered heading.

    When the input ``marked`` its titles, a line must be marked too, or name a unit (byline).
    """
    if p.hint in ("title", "subtitle"):
        return True
    if p.hint == "caption" or (marked and not _marked(p) and not _byline_like(p)):
        return False
    flat = p.flat
    return (
        0 < len(flat) <= MAX_TITLE
        and not numbered(flat)
        and not LABEL.match(flat)
        and not _NOTE.match(flat)
        and not _SOURCE.fullmatch(flat)
        and not _DATE.match(flat)
        and not any(c in flat for c in _SENTENCE_END)
        and flat[-1] not in "，、；：,;:…"
        and re.search(rf"[{cjk.HAN}]", flat) is not None
    )


def _byline_like(p: _Para) -> bool:
    return p.hint not in ("title", "subtitle") and _byline_text(p.flat)


def _byline_text(flat: str) -> bool:
    """Return True for a byline: 记者/通讯员… , a unit (平阳县司法局), or 2–4 personal names."""
    return len(flat) <= 40 and (bool(_BYLINE_WORDS.search(flat)) or unit_like(flat) or news.names_line(flat))


def _heading_marked(p: _Para) -> bool:
    """Return True when the source marks ``p`` as a heading (style, ``#``, centred, or bold throughout)."""
    if p.hint == "heading":
        return True
    flat = p.flat
    brief = len(flat) <= 40 and not any(c in flat[:-1] for c in _SENTENCE_END)
    return brief and not _LEAD_PHRASE.match(flat) and (p.bold_all or p.first.centered)


def _caption_like(p: _Para) -> bool:
    flat = p.flat
    if p.hint == "caption":
        return True
    if numbered(flat) or len(flat) > 60 or any(c in flat[:-1] for c in _SENTENCE_END) or p.hint:
        return False
    return (
        bool(_CAPTION_START.match(flat))
        or p.first.centered
        or flat.endswith(("摄", "摄）", "摄)"))
        or len(flat) <= 30
    )


@dataclass
class _Draft:
    """An article being built."""

    column: str | None = None
    editor_note: str | None = None
    kicker: str | None = None
    title: list[str] = field(default_factory=list)
    subtitle: str | None = None
    byline: str | None = None
    source: str | None = None
    blocks: list[Block] = field(default_factory=list)
    line: int = 0
    numbered_level: int | None = None
    title_rank: float | None = None
    """``#`` count of a Markdown title: a ``#`` heading's level is counted from it."""
    subheads: list[tuple[int, _Para, Heading]] = field(default_factory=list)
    """Short standalone lines between paragraphs: (block index, line, the heading they may be)."""
    ranked: list[tuple[int, int]] = field(default_factory=list)
    """Block index and ``#`` level of each unnumbered Markdown heading."""

    def started(self) -> bool:
        return bool(self.title or self.blocks or self.source)

    def empty(self) -> bool:
        return not (self.started() or self.column or self.editor_note or self.byline or self.kicker)


class _Builder:
    """Walks the cleaned items and builds the articles."""

    def __init__(self, options: Options, items: list[_Item], marked: bool) -> None:
        self.options = options
        self.marked = marked
        self.items = items
        self.drafts = [_Draft()]
        self.images: list[tuple[Path, bytes]] = []
        self.problems: list[Problem] = []
        self.unclassified: list[_Para] = []
        self.after_source = False
        self.pending: list[Path] = []
        self.rank_conflict = False

    @property
    def draft(self) -> _Draft:
        return self.drafts[-1]

    def new_draft(self) -> _Draft:
        if not self.draft.empty():
            self.drafts.append(_Draft())
        return self.draft

    def run(self) -> None:
        i = 0
        items = self.items
        while i < len(items):
            item = items[i]
            if isinstance(item, RawImage):
                i = self.image(i)
                continue
            if isinstance(item, RawTable):
                self.draft.blocks.append(_table(item))
                self.after_source = False
                i += 1
                continue
            if isinstance(item, _Caption):
                self.caption(item)
                i += 1
                continue
            i = self.paragraph(i)

    def paragraph(self, i: int) -> int:
        p = self.items[i]
        assert isinstance(p, _Para)
        flat = p.flat
        draft = self.draft
        if (
            not draft.started()
            and draft.column is None
            and "专栏" in flat
            and _title_like(p, False)
            and len(flat) <= 40
        ):
            draft.column = flat
            draft.line = draft.line or p.line
            return i + 1
        if note := _NOTE.match(flat):
            if draft.blocks or draft.source:
                draft = self.new_draft()
            draft.editor_note = flat[note.end() :] or None
            draft.line = draft.line or p.line
            return i + 1
        if _title_like(p, self.marked) or self.kicker_at(i):
            j = i + 1
            while j < len(self.items) and self.title_like_at(j):
                j += 1
            run = [q for q in self.items[i:j] if isinstance(q, _Para)]
            if self.starts_article(run):
                if draft.started():
                    draft = self.new_draft()
                self.header(run)
                self.after_source = False
                return j
            standalone = len(run) == 1 and bool(draft.blocks) and self.body_at(j)
            for q in run:
                self.body_line(q, subhead=standalone)
            self.after_source = False
            return j
        if (source := _SOURCE.fullmatch(flat)) and self.ends_article(i + 1):
            draft.source = source.group(1).strip()
            self.after_source = True
            return i + 1
        self.draft.blocks.append(self.body_block(p))
        self.after_source = False
        return i + 1

    def title_like_at(self, j: int) -> bool:
        item = self.items[j]
        return isinstance(item, _Para) and _title_like(item, self.marked)

    def kicker_at(self, j: int) -> bool:
        """Return True when item ``j`` is a 引题 ending in —— or ： right above a title line."""
        item = self.items[j]
        return (
            isinstance(item, _Para)
            and _kicker_like(item, self.marked)
            and j + 1 < len(self.items)
            and self.title_like_at(j + 1)
        )

    def body_at(self, j: int) -> bool:
        """Return True when item ``j`` is running text (a subhead stands between such paragraphs)."""
        if j >= len(self.items):
            return False
        item = self.items[j]
        return isinstance(item, _Para) and (_body_like(item) or bool(LABEL.match(item.flat)))

    def ends_article(self, j: int) -> bool:
        """Return True when item ``j`` is the end of input or begins another article's header."""
        if j >= len(self.items):
            return True
        nxt = self.items[j]
        return self.title_like_at(j) or (isinstance(nxt, _Para) and bool(_NOTE.match(nxt.flat)))

    def starts_article(self, run: list[_Para]) -> bool:
        if not self.draft.started() or self.after_source:
            return True
        if any(q.hint == "title" or (q.first.centered and q.hint != "heading") for q in run):
            return True
        return len(run) >= 2 and any(_byline_like(q) for q in run)

    def header(self, run: list[_Para]) -> None:
        """Assign a run of short lines at an article's start to kicker, title, 副题 and byline."""
        draft = self.draft
        draft.line = draft.line or run[0].line
        lines = list(run)
        bylines = [k for k, q in enumerate(lines) if len(lines) > 1 and _byline_like(q)]
        if len(bylines) == len(lines):  # only unit lines: the first is the title
            bylines = bylines[1:]
        if bylines:
            draft.byline = "\u3000".join(lines[k].flat for k in bylines)
            before = [q for k, q in enumerate(lines) if k < bylines[0] and k not in bylines]
            after = [q for k, q in enumerate(lines) if k > bylines[0] and k not in bylines]
            if before and after:
                draft.kicker = "\u3000".join(q.flat for q in before)
                titles = after
            else:
                titles = before or after
        else:
            titles = lines
        if len(titles) >= 2 and draft.kicker is None and _kicker_end(titles[0].flat):
            draft.kicker = titles[0].flat.rstrip(_DASHES + "：:").rstrip() or titles[0].flat
            titles = titles[1:]
        if titles[0].hint == "heading":
            draft.title_rank = titles[0].first.rank
        main, rest = titles[:1], titles[1:]
        if rest and "\n" not in main[0].text and not _is_subtitle(main[0], rest[0]):
            main.append(rest.pop(0))
        if rest and _is_subtitle(main[0], rest[0]):
            second = rest.pop(0)
            draft.subtitle = second.flat.lstrip(_DASHES + " \u3000") or second.flat
        title_lines = [line for q in main for line in q.text.split("\n") if line.strip()]
        if len(title_lines) > 2:
            title_lines = ["".join(title_lines[:-1]), title_lines[-1]]
        draft.title = title_lines
        for q in rest:
            self.body_line(q)

    def body_line(self, q: _Para, *, subhead: bool = False) -> None:
        """Add a short line inside the body: a heading when marked as one, else a plain paragraph.

        A ``subhead`` (a short line alone between paragraphs) becomes a heading in :meth:`finish`
        when its article has two or more of them; a single one stays a paragraph.
        """
        if _heading_marked(q) or q.hint in ("title", "subtitle"):
            self.draft.blocks.append(self.unnumbered_heading(q))
            return
        if subhead:
            self.draft.subheads.append((len(self.draft.blocks), q, self.unnumbered_heading(q)))
        self.unclassified.append(q)
        self.draft.blocks.append(Paragraph(spans=q.spans()))

    def unnumbered_heading(self, q: _Para) -> Heading:
        level = q.first.level
        rank, title_rank = q.first.rank, self.draft.title_rank
        if level is None and q.hint == "heading" and rank is not None and title_rank is not None:
            # Markdown: ## under a # title is level 1, ### level 2 (see finish: if used consistently)
            self.rank_conflict = self.rank_conflict or rank <= title_rank
            self.draft.ranked.append((len(self.draft.blocks), min(max(int(rank - title_rank), 1), 4)))
        if level is None:
            base = self.draft.numbered_level
            level = 1 if base is None else min(base + 1, 4)
        return Heading(level=cast(HeadingLevel, min(max(level, 1), 4)), spans=(Span(text=q.flat),))

    def body_block(self, p: _Para) -> Block:
        flat = p.flat
        spans = p.spans()
        rank, title_rank = p.first.rank, self.draft.title_rank
        if p.hint == "heading" and rank is not None and title_rank is not None and rank <= title_rank:
            self.rank_conflict = True  # a heading marked as big as the title: the # marks are loose
        if numbered(flat):
            heading = numbered_heading(spans, None)
            assert heading is not None
            self.draft.numbered_level = heading.level
            length = sum(len(s.text) for s in heading.spans)
            if length > LONG_HEADING:
                self.problems.append(
                    Problem(
                        Code.IMPORT_LONG_HEADING,
                        file=self.options.file,
                        line=p.line,
                        col=1,
                        level=Level.WARNING,
                        args={"n": length, "start": short(flat, 16)},
                    )
                )
            return heading
        if label := LABEL.match(flat):
            rest = drop_chars(spans, label.end())
            return Paragraph(spans=strip_spans(rest), label=label.group(1))
        if _heading_marked(p):
            return self.unnumbered_heading(p)
        if _DATE.match(flat):  # a date line: kept, but the editor decides where it belongs
            self.unclassified.append(p)
        return Paragraph(spans=spans)

    def image(self, i: int) -> int:
        raw = self.items[i]
        assert isinstance(raw, RawImage)
        caption, credit, used = raw.caption, raw.credit, 1
        nxt = self.items[i + 1] if i + 1 < len(self.items) else None
        if caption is None and isinstance(nxt, _Para) and _caption_like(nxt):
            caption, used = nxt.flat, 2
        caption = caption or ""
        if caption and not credit and (m := _CREDIT.match(caption)):
            caption, credit = m.group("cap"), m.group("who")
        ext = raw.ext.lower()
        if self.options.image_dir is None or ext not in IMAGE_TYPES:
            code = Code.IMPORT_IMAGE_SKIPPED if self.options.image_dir is None else Code.IMPORT_IMAGE_FORMAT
            self.problems.append(
                Problem(
                    code, file=self.options.file, line=raw.line, col=1, level=Level.WARNING, args={"ext": ext}
                )
            )
            if caption or credit:
                text = caption + (f"\u3000{credit}\u3000摄" if credit else "")
                self.draft.blocks.append(Paragraph(spans=(Span(text=text),)))
            return i + used
        path = self.image_path(raw)
        self.images.append((path, raw.data))
        self.draft.blocks.append(Image(path=path, caption=caption, credit=credit))
        return i + used

    def image_path(self, raw: RawImage) -> Path:
        """Return a new file name for ``raw`` in the issue folder (the same file when the bytes match)."""
        assert self.options.image_dir is not None
        folder = self.options.image_dir.resolve()
        # ASCII only: the body format reads a picture path as a URL, so 图 would arrive as %E5%9B%BE
        stem = self.file_stem()
        taken = {p for p, _ in self.images}
        n = len(self.images) + 1
        while True:
            candidate = folder / f"{stem}-{n}{raw.ext.lower()}"
            usable = candidate not in taken and not candidate.is_symlink()
            if usable and (not candidate.exists() or candidate.read_bytes() == raw.data):
                return candidate
            n += 1

    def caption(self, item: _Caption) -> None:
        """Add a photo caption as a picture whose file the editor supplies (reported)."""
        path = self.pending_path()
        self.draft.blocks.append(Image(path=path, caption=item.caption, credit=item.credit))
        self.problems.append(
            Problem(
                Code.IMPORT_CAPTION_INLINE if item.inline else Code.IMPORT_CAPTION,
                file=self.options.file,
                line=item.line,
                col=item.para.at(0)[1],
                level=Level.WARNING,
                args={"caption": short(item.caption, 16), "name": path.name},
            )
        )

    def pending_path(self) -> Path:
        """Return a new placeholder picture name in the issue folder (never a file that exists)."""
        folder = (self.options.image_dir or Path.cwd()).resolve()
        n = len(self.pending) + 1
        while True:
            candidate = folder / f"{news.PENDING_PREFIX}-{self.file_stem()}-{n}.jpg"
            if candidate not in self.pending and not candidate.exists() and not candidate.is_symlink():
                self.pending.append(candidate)
                return candidate
            n += 1

    def file_stem(self) -> str:
        """Return the input's file name as ASCII (a hash for the rest), for picture file names."""
        stem = re.sub(r"[^0-9A-Za-z_-]+", "-", self.options.file.stem).strip("-")
        if stem != self.options.file.stem:
            digest = hashlib.sha1(self.options.file.name.encode()).hexdigest()[:6]
            stem = f"{stem}-{digest}" if stem else f"img-{digest}"
        return stem

    def ranked(self, draft: _Draft) -> None:
        """Give the ``#`` headings of ``draft`` their ``#`` levels when the file uses them consistently.

        Consistently: no heading in the file is marked as big as its article's title (a loose
        export marks numbered sections with the title's ``##``; then the levels come from the
        numbering, as before).
        """
        if self.rank_conflict:
            return
        for index, level in draft.ranked:
            block = draft.blocks[index]
            if isinstance(block, Heading):
                draft.blocks[index] = block.model_copy(update={"level": level})

    def subheads(self, draft: _Draft) -> None:
        """Turn the standalone short lines of ``draft`` into headings when there are two or more."""
        if len(draft.subheads) < 2:
            return
        for index, q, heading in draft.subheads:
            draft.blocks[index] = heading
            self.unclassified = [u for u in self.unclassified if u is not q]

    def finish(self) -> list[Article]:
        articles = []
        for index, draft in enumerate(self.drafts):
            if draft.empty():
                continue
            self.subheads(draft)
            self.ranked(draft)
            _trailing_source(draft)
            if not draft.title:
                title = self.options.fallback_title or self.options.file.stem
                draft.title = [title]
                self.problems.append(
                    Problem(
                        Code.IMPORT_NO_TITLE,
                        file=self.options.file,
                        line=draft.line or 1,
                        col=1,
                        level=Level.WARNING,
                        args={"title": title, "n": index + 1},
                    )
                )
            articles.append(
                Article(
                    title=tuple(draft.title),
                    kicker=draft.kicker,
                    subtitle=draft.subtitle,
                    column=draft.column,
                    editor_note=draft.editor_note,
                    byline=draft.byline,
                    source=draft.source,
                    blocks=tuple(draft.blocks),
                )
            )
        if self.unclassified:
            listed = "、".join(f"第 {q.line} 行“{short(q.flat)}”" for q in self.unclassified[:12])
            if len(self.unclassified) > 12:
                listed += f" 等 {len(self.unclassified)} 段"
            first = self.unclassified[0]
            self.problems.append(
                Problem(
                    Code.IMPORT_UNCLASSIFIED,
                    file=self.options.file,
                    line=first.line,
                    col=1,
                    level=Level.WARNING,
                    args={"n": len(self.unclassified), "items": listed},
                )
            )
        return articles


def _kicker_end(flat: str) -> bool:
    return flat.endswith(("——", "：", ":")) and len(flat) > 2


def _kicker_like(p: _Para, marked: bool) -> bool:
    """Return True for a short line ending in —— or ： that may be a 引题 (when a title follows)."""
    if p.hint is not None or (marked and not _marked(p)):
        return False
    flat = p.flat
    body = flat.rstrip(_DASHES + "：:")
    return (
        _kicker_end(flat)
        and len(flat) <= TITLE_LINE
        and not numbered(flat)
        and not LABEL.match(flat)
        and not _NOTE.match(flat)
        and not any(c in body for c in _SENTENCE_END + "，；,;：:")
        and re.search(rf"[{cjk.HAN}]", body) is not None
    )


def _is_subtitle(title: _Para, second: _Para) -> bool:
    """Return True when ``second`` is a 副题 of ``title`` rather than the title's second line."""
    if second.hint == "subtitle" or second.flat.startswith(("——", "—", "－－", "--")):
        return True
    if title.hint == "title" and second.hint != "title":
        return True
    a, b = title.first.rank, second.first.rank
    return a is not None and b is not None and b > a


def _trailing_source(draft: _Draft) -> None:
    """Split a source unit written at the end of the last paragraph (……成果。（行政审批局）)."""
    if draft.source or not draft.blocks or not isinstance(draft.blocks[-1], Paragraph):
        return
    last = draft.blocks[-1]
    text = "".join(s.text for s in last.spans)
    m = _TRAILING_SOURCE.search(text)
    if m and unit_like(m.group(1)) and last.label is None:
        draft.source = m.group(1)
        draft.blocks[-1] = Paragraph(spans=take_chars(last.spans, m.start()), label=last.label)


def _table(raw: RawTable) -> Table:
    width = max((len(r) for r in raw.rows), default=0)
    rows = tuple(tuple(c for c in (*r, *[""] * (width - len(r)))) for r in raw.rows)
    return Table(rows=rows, header=True)


def short(text: str, n: int = 12) -> str:
    """Return ``text`` cut to ``n`` characters (and …) for a message."""
    return text if len(text) <= n else text[:n] + "…"


# ---------------------------------------------------------------- entry point


def read_with(
    parse: Callable[[Path], tuple[list[RawBlock] | None, list[Problem]]], path: Path, image_dir: Path | None
) -> Imported:
    """Run a reader's first stage ``parse`` on ``path``, then :func:`structure` (the second stage)."""
    blocks, problems = parse(path)
    if blocks is None:
        return Imported(problems=problems)
    result = structure(blocks, Options(file=path, image_dir=image_dir, fallback_title=path.stem))
    result.problems = sorted(problems + result.problems, key=Problem.sort_key)
    return result


def structure(blocks: list[RawBlock], options: Options) -> Imported:
    """Return the articles structured from ``blocks`` (a reader's first stage) with all problems."""
    result = Imported(raw_text="\n".join(_raw_text(b) for b in blocks))
    changes = _Changes(options.file)
    items: list[_Item] = []
    empty: list[_Para] = []
    for item in _assemble(blocks):
        if isinstance(item, _Para):
            _clean(item, changes)
            if not item.text.strip():
                empty.append(item)
                continue
        elif isinstance(item, RawTable):
            item = _clean_table(item, changes)
        items.append(item)
    if empty:
        result.problems.append(_empty_problem(options.file, empty))
    result.problems.extend(changes.problems())
    items, furniture, dropped = _furniture(items, options.file)
    result.problems.extend(furniture)
    if dropped:
        result.raw_text = "\n".join(_raw_text(b) for b in blocks if id(b) not in dropped)
    marked = marks_titles(items)
    items, joins = _join(items, options.file, marked)
    result.problems.extend(joins)
    builder = _Builder(options, items, marked)
    builder.run()
    result.articles = builder.finish()
    result.images = builder.images
    result.problems.extend(builder.problems)
    result.problems.sort(key=Problem.sort_key)
    return result


def _raw_text(block: RawBlock) -> str:
    if isinstance(block, RawParagraph):
        return "".join(s.text for s in block.spans)
    if isinstance(block, RawImage):
        return (block.caption or "") + block.credit
    return "\n".join("\t".join(row) for row in block.rows)


def _empty_problem(file: Path, empty: list[_Para]) -> Problem:
    """Return one warning for all empty paragraphs (Word files often have one after each paragraph)."""
    lines = "、".join(str(p.first.line) for p in empty[:10]) + ("…" if len(empty) > 10 else "")
    return Problem(
        Code.IMPORT_EMPTY_DROPPED,
        file=file,
        line=empty[0].first.line,
        col=1,
        level=Level.WARNING,
        args={"n": len(empty), "lines": lines},
    )


def _clean_table(table: RawTable, changes: _Changes) -> RawTable:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            text = _ODD_SPACE.sub(" ", _CONTROL.sub("", cell)).replace("\n", " ").strip(" \u3000")
            text = re.sub(r" {2,}", " ", text)
            fixed, findings = cjk.fix_line(text)
            for f in _one_per_place(findings):
                changes.add((table.line, 1), cjk.describe(f), fixed=f.fixable)
            if "|" in fixed:
                changes.add((table.line, 1), "表格中的“|”改为“｜”")
                fixed = fixed.replace("|", "｜")
            cells.append(fixed)
        rows.append(tuple(cells))
    return RawTable(rows=tuple(rows), line=table.line)
