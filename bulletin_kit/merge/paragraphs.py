"""The paragraphs compared: the built file's, labelled with the element each came from, and the reviewed ones.

Input: the issue and theme (built again into a Word file) and the reviewed file
(:mod:`bulletin_kit.readers.review_docx`).
Output: :class:`Para` lists; a built paragraph carries its :class:`Ref` (title, body block, caption, 要目
line, 版记 line …), a reviewed one the paragraph numbers it came from.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..messages import Code
from ..model import (
    Box,
    Heading,
    Image,
    ImageGroup,
    Issue,
    Paragraph,
    Table,
    plain,
)
from ..problems import Problem, errors
from ..readers import review_docx
from ..readers.review_docx import Review, ReviewParagraph
from ..theme import Theme
from ..writers import printed

EDITOR_NOTE_LABEL = "编者按："  # as writers.docx prints it (not imported: that loads python-docx)
SOURCE_SEPARATOR = "\n\t"
"""Between an article's last paragraph and its （来源） line in the Word file (a line break, a tab)."""


# --------------------------------------------------------------------------- elements


@dataclass(frozen=True)
class Ref:
    """The element a paragraph of the built file came from."""

    kind: str
    """fixed (template text), toc, issue_note, column, editor_note, kicker, title, subtitle, byline,
    block, image, caption, cell, source, imprint."""
    article: int | None = None
    index: int = 0
    cell: tuple[int, int] = (0, 0)
    field: str = ""

    def describe(self, issue: Issue) -> str:
        """Return where this is, in Chinese: 第2篇 标题, 第1篇 正文第3段, 本期要目第4行, 版记……"""
        names = {
            "fixed": "报头或模板文字",
            "issue_note": "本期编者按",
            "column": "专栏",
            "editor_note": "编者按",
            "kicker": "引题",
            "title": "标题",
            "subtitle": "副题",
            "byline": "署名",
            "source": "来源",
            "image": "图片",
            "caption": "图注",
            "news": "看点框或并排图片",
        }
        if self.kind == "toc":
            return f"本期要目第{self.index + 1}行"
        if self.kind == "imprint":
            return "版记"
        head = f"第{self.article + 1}篇 " if self.article is not None else ""
        if self.kind == "block":
            return f"{head}正文第{self.index + 1}段"
        if self.kind == "cell":
            return f"{head}正文第{self.index + 1}段（表格第{self.cell[0] + 1}行第{self.cell[1] + 1}列）"
        return head + names.get(self.kind, self.kind)


@dataclass
class Para:
    """A paragraph as compared: from the built file (with its element) or from the reviewed one."""

    text: str
    style: str
    spans: tuple[tuple[str, bool], ...] = ()
    pictures: int = 0
    coloured: tuple[str, ...] = ()
    marked: tuple[tuple[str, str], ...] = ()
    """(斜体/下划线/删除线/字号, text): direct formatting that is not written back."""
    table: bool = False
    numbers: tuple[int, ...] = ()
    """The reviewed file's paragraph numbers (several when tracked changes join paragraphs)."""
    ref: Ref | None = None


def _model_elements(issue: Issue, theme: Theme) -> list[tuple[Ref, str, str]]:
    """Return (element, text, what) in the order the Word writer puts them; ``what`` is
    ``image``/``cell``/``imprint`` for paragraphs that must be a picture / a table cell / a cell of the
    版记 table."""
    out: list[tuple[Ref, str, str]] = [(Ref("toc", index=k), line, "") for k, line in enumerate(issue.toc)]
    for k, text in enumerate(printed.editor_note_paragraphs(issue.editor_note)):
        out.append((Ref("issue_note", index=k), (EDITOR_NOTE_LABEL if k == 0 else "") + text, ""))
    for a, art in enumerate(issue.articles):
        if art.column:
            out.append((Ref("column", a), art.column, ""))
        for k, text in enumerate(printed.editor_note_paragraphs(art.editor_note)):
            out.append((Ref("editor_note", a, k), (EDITOR_NOTE_LABEL if k == 0 else "") + text, ""))
        if art.kicker:
            out.append((Ref("kicker", a), art.kicker, ""))
        out.append((Ref("title", a), "\n".join(printed.title_lines(art, theme)), ""))
        subtitle = printed.subtitle_text(art)
        if subtitle:
            out.append((Ref("subtitle", a), subtitle, ""))
        if art.byline:
            out.append((Ref("byline", a), art.byline, ""))
        for b, block in enumerate(art.blocks):
            if isinstance(block, Image):
                out.append((Ref("image", a, b), "", "image"))
                caption = printed.caption_text(block)
                if caption:
                    out.append((Ref("caption", a, b), caption, ""))
            elif isinstance(block, Table):
                width = max((len(r) for r in block.rows), default=0)
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate((*row, *[""] * (width - len(row)))):
                        out.append((Ref("cell", a, b, (r, c)), cell, "cell"))
            elif isinstance(block, Box | ImageGroup):
                out += _news_elements(Ref("news", a, b), block)
            else:
                out.append((Ref("block", a, b), _block_text(block), ""))
        source = printed.source_text(art)
        if source:
            out.append((Ref("source", a), source, ""))
    d = issue.distribution
    for line in d.lines:
        if line.recipients:
            out.append(
                (
                    Ref("imprint", field=line.label),
                    f"{line.label}：" + printed.distribution_names(line.recipients),
                    "imprint",
                )
            )
    signature, copies = printed.signature_text(d), printed.copies_text(d) or ""
    if signature or copies:
        out.append(
            (Ref("imprint", field="signature"), f"{signature}\t{copies}" if copies else signature, "imprint")
        )
    return out


def _news_elements(ref: Ref, block: Box | ImageGroup) -> list[tuple[Ref, str, str]]:
    """The paragraphs of a 【看点】 box or a row of pictures, as the Word writer puts them: edits to
    them are listed as not written back (edit those in the issue file)."""
    if isinstance(block, Box):
        lines = [f"【{block.label}】"] if block.label else []
        lines += [(f"【{p.label}】" if p.label else "") + plain(p.spans) for p in block.paragraphs]
        return [(ref, line, "") for line in lines]
    out: list[tuple[Ref, str, str]] = []
    for image in block.images:
        out.append((ref, "", "cell"))
        caption = printed.caption_text(image)
        if caption:
            out.append((ref, caption, "cell"))
    shared = printed.caption_text(block)
    return out + ([(ref, shared, "")] if shared else [])


def _block_text(block: Paragraph | Heading) -> str:
    if isinstance(block, Paragraph):
        return (f"【{block.label}】" if block.label else "") + plain(block.spans)
    return plain(block.spans) + plain(block.run_in)


def _norm(text: str) -> str:
    return text.replace("\r", "")


def reviewed_paragraphs(review: Review, accept: bool, source_style: str = "") -> list[Para]:
    """Return the paragraphs of ``review`` with its tracked changes accepted or rejected: a paragraph
    whose mark is deleted (accepted) or inserted (rejected) is joined with the next one. An article's
    （来源） line written at the end of its last paragraph (see :func:`_split_source`) becomes a
    paragraph of its own in ``source_style``."""
    return [part for para in _joined_paras(review, accept) for part in _split_source(para, source_style)]


def _split_source(para: Para, source_style: str) -> list[Para]:
    """Split the Word writer's source line off ``para``: the text after its last line break and tab
    (``printed.source_joins_last_paragraph``). Files built before kept it as a paragraph of its own."""
    head, sep, tail = para.text.rpartition(SOURCE_SEPARATOR)
    if not sep or not tail.strip() or para.table or para.pictures or "\n" in tail:
        return [para]
    source = Para(text=tail, style=source_style or para.style, spans=((tail, False),), numbers=para.numbers)
    if not head.strip():  # the paragraph's text deleted, its source line kept
        return [source]
    spans: list[tuple[str, bool]] = []
    left = len(head)
    for text, bold in para.spans:
        piece = text[:left]
        if piece:
            spans.append((piece, bold))
        left -= len(piece)
    return [dataclasses.replace(para, text=head, spans=tuple(spans)), source]


def _joined_paras(review: Review, accept: bool) -> list[Para]:
    out: list[Para] = []
    pending: list[ReviewParagraph] = []
    for p in review.paragraphs:
        pending.append(p)
        joins = p.mark_deleted if accept else p.mark_inserted
        if joins and p is not review.paragraphs[-1]:
            continue
        spans: list[tuple[str, bool]] = []
        for q in pending:
            for text, bold in q.spans(accept):
                if spans and spans[-1][1] == bold:
                    spans[-1] = (spans[-1][0] + text, bold)
                else:
                    spans.append((text, bold))
        out.append(
            Para(
                text=_norm("".join(q.text(accept) for q in pending)),
                style=_joined_style(pending, accept),
                spans=tuple(spans),
                pictures=sum(q.pictures for q in pending),
                coloured=tuple(t for q in pending for t in q.coloured(accept)),
                marked=tuple(m for q in pending for m in q.marked(accept)),
                table=any(q.table is not None for q in pending),
                numbers=tuple(q.number for q in pending),
            )
        )
        pending = []
    return out


def _joined_style(pending: list[ReviewParagraph], accept: bool) -> str:
    """Return the style of paragraphs joined by a tracked paragraph mark: the first one that keeps
    some text (a paragraph deleted whole leaves the next one as it was)."""
    return next((q.style for q in pending if q.text(accept).strip()), pending[-1].style)


def built_paragraphs(issue: Issue, theme: Theme) -> tuple[list[Para], list[Problem]]:
    """Build ``issue`` into a Word file in a temporary folder and return its paragraphs, each labelled
    with its element."""
    from ..writers import docx as docx_writer

    with tempfile.TemporaryDirectory(prefix="bulletin-merge-") as tmp:
        dest = Path(tmp) / "built.docx"
        problems = docx_writer.write(issue, theme, dest)
        if errors(problems):
            return [], problems
        review = review_docx.read(dest)
    paras = reviewed_paragraphs(review, accept=True, source_style=theme.styles["source"].name)
    elements = _model_elements(issue, theme)
    j = 0
    for k, para in enumerate(paras):
        if j < len(elements):
            ref, text, what = elements[j]
            # a picture Word could not take leaves its paragraph empty (with a warning)
            fits = what == "image" and not para.table and (para.pictures > 0 or not para.text)
            fits = fits or (what == "cell" and para.table)
            fits = fits or (what == "imprint" and para.table)  # the 版记 is a table at the page foot
            fits = fits or (not what and not para.table and not para.pictures)
            if fits and para.text == text:
                para.ref = ref
                j += 1
                continue
        para.ref = Ref("fixed", index=k)
    if j < len(elements):
        ref, text, _ = elements[j]
        problems.append(Problem(Code.MERGE_INTERNAL, args={"detail": f"{ref.describe(issue)}：{text[:20]}"}))
    return paras, problems
