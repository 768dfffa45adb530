"""Step 5, split into articles and classify: columns, 编者按, title blocks and bylines, headings,
subheads, labels, pictures with captions, tables and the source line.

Input: joined items. Output: the articles (:class:`Builder`), images to save and problems.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ... import cjk
from ...messages import Code
from ...model import Article, Block, Heading, Image, Paragraph, Span, Table
from ...problems import Level, Problem
from .. import news
from ..body_text import LABEL, drop_chars, numbered_heading, strip_spans, take_chars
from .assemble import Caption, Item, Para
from .kinds import _body_like, _byline_like, _caption_like, _heading_marked, _marked, _title_like
from .raw import IMAGE_TYPES, HeadingLevel, Options, RawImage, RawTable
from .rules import (
    _CREDIT,
    _DASHES,
    _DATE,
    _NOTE,
    _SENTENCE_END,
    _SOURCE,
    _TRAILING_SOURCE,
    LONG_HEADING,
    TITLE_LINE,
    numbered,
    unit_like,
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
    subheads: list[tuple[int, Para, Heading]] = field(default_factory=list)
    """Short standalone lines between paragraphs: (block index, line, the heading they may be)."""
    ranked: list[tuple[int, int]] = field(default_factory=list)
    """Block index and ``#`` level of each unnumbered Markdown heading."""

    def started(self) -> bool:
        return bool(self.title or self.blocks or self.source)

    def empty(self) -> bool:
        return not (self.started() or self.column or self.editor_note or self.byline or self.kicker)


class Builder:
    """Walks the cleaned items and builds the articles."""

    def __init__(self, options: Options, items: list[Item], marked: bool) -> None:
        self.options = options
        self.marked = marked
        self.items = items
        self.drafts = [_Draft()]
        self.images: list[tuple[Path, bytes]] = []
        self.problems: list[Problem] = []
        self.unclassified: list[Para] = []
        self.after_source = False
        self.pending: list[Path] = []
        self.rank_conflict = False

    def warn(self, code: Code, line: int, col: int = 1, **args: object) -> None:
        """Record a warning at ``line``:``col`` of the contribution."""
        self.problems.append(
            Problem(code, file=self.options.file, line=line, col=col, level=Level.WARNING, args=args)
        )

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
            if isinstance(item, Caption):
                self.caption(item)
                i += 1
                continue
            i = self.paragraph(i)

    def paragraph(self, i: int) -> int:
        p = self.items[i]
        assert isinstance(p, Para)
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
            run = [q for q in self.items[i:j] if isinstance(q, Para)]
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
        return isinstance(item, Para) and _title_like(item, self.marked)

    def kicker_at(self, j: int) -> bool:
        """Return True when item ``j`` is a 引题 ending in —— or ： right above a title line."""
        item = self.items[j]
        return (
            isinstance(item, Para)
            and _kicker_like(item, self.marked)
            and j + 1 < len(self.items)
            and self.title_like_at(j + 1)
        )

    def body_at(self, j: int) -> bool:
        """Return True when item ``j`` is running text (a subhead stands between such paragraphs)."""
        if j >= len(self.items):
            return False
        item = self.items[j]
        return isinstance(item, Para) and (_body_like(item) or bool(LABEL.match(item.flat)))

    def ends_article(self, j: int) -> bool:
        """Return True when item ``j`` is the end of input or begins another article's header."""
        if j >= len(self.items):
            return True
        nxt = self.items[j]
        return self.title_like_at(j) or (isinstance(nxt, Para) and bool(_NOTE.match(nxt.flat)))

    def starts_article(self, run: list[Para]) -> bool:
        if not self.draft.started() or self.after_source:
            return True
        if any(q.hint == "title" or (q.first.centered and q.hint != "heading") for q in run):
            return True
        return len(run) >= 2 and any(_byline_like(q) for q in run)

    def header(self, run: list[Para]) -> None:
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

    def body_line(self, q: Para, *, subhead: bool = False) -> None:
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

    def unnumbered_heading(self, q: Para) -> Heading:
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

    def body_block(self, p: Para) -> Block:
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
                self.warn(Code.IMPORT_LONG_HEADING, p.line, n=length, start=short(flat, 16))
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
        if caption is None and isinstance(nxt, Para) and _caption_like(nxt):
            caption, used = nxt.flat, 2
        caption = caption or ""
        if caption and not credit and (m := _CREDIT.match(caption)):
            caption, credit = m.group("cap"), m.group("who")
        ext = raw.ext.lower()
        if self.options.image_dir is None or ext not in IMAGE_TYPES:
            code = Code.IMPORT_IMAGE_SKIPPED if self.options.image_dir is None else Code.IMPORT_IMAGE_FORMAT
            self.warn(code, raw.line, ext=ext)
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

    def caption(self, item: Caption) -> None:
        """Add a photo caption as a picture whose file the editor supplies (reported)."""
        path = self.pending_path()
        self.draft.blocks.append(Image(path=path, caption=item.caption, credit=item.credit))
        self.warn(
            Code.IMPORT_CAPTION_INLINE if item.inline else Code.IMPORT_CAPTION,
            item.line,
            col=item.para.at(0)[1],
            caption=short(item.caption, 16),
            name=path.name,
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
                self.warn(Code.IMPORT_NO_TITLE, draft.line or 1, title=title, n=index + 1)
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
            self.warn(Code.IMPORT_UNCLASSIFIED, first.line, n=len(self.unclassified), items=listed)
        return articles


def _kicker_end(flat: str) -> bool:
    return flat.endswith(("——", "：", ":")) and len(flat) > 2


def _kicker_like(p: Para, marked: bool) -> bool:
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


def _is_subtitle(title: Para, second: Para) -> bool:
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
