"""Stage 2 of the Word writer: the 编者按 and the articles as python-docx paragraphs in named styles.

Input: the rendered template, the theme, the styles, an anchor paragraph. Output: paragraphs, tables
and pictures inserted before the anchor (the 版记 is :mod:`.imprint`'s). Article text is never a
template: it goes into runs as text.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from ...messages import Code
from ...model import Article, Box, Heading, Image, ImageGroup, Paragraph, Span, Table
from ...problems import Level, Problem
from ...theme import FONTS, LATIN, Theme
from ...units import twips
from .. import oxml, printed
from .pictures import PICTURE_ERRORS, word_picture
from .styles import Styles, line_count, text_width_pt

EDITOR_NOTE_LABEL = "编者按："
KEEP_WITH_SOURCE_LINES = 3
"""The longest last paragraph (in lines) that is kept on the page of the article's （来源） line."""
RUN_IN_SUFFIX = " 字符"
"""Name suffix of the character style linked to 正文, used for run-in text after a heading."""


class Builder:
    """Adds styled paragraphs before an anchor paragraph of the rendered template."""

    def __init__(
        self, doc: Document, theme: Theme, styles: Styles, problems: list[Problem], source: Path | None
    ) -> None:
        self.doc = doc
        self.theme = theme
        self.styles = styles
        self.problems = problems
        self.source = source
        self.anchor: etree._Element | None = None

    def at(self, anchor: etree._Element) -> None:
        """Put the following paragraphs before ``anchor``."""
        self.anchor = anchor

    # paragraphs and runs

    def paragraph(self, key: str) -> DocxParagraph:
        """Return a new empty paragraph in the style of element ``key``."""
        p = OxmlElement("w:p")
        style_id = self.styles.id(self.styles.name(key))
        if style_id:
            p.get_or_add_pPr().style = style_id
        assert self.anchor is not None
        self.anchor.addprevious(p)
        return DocxParagraph(p, self.doc._body)

    def run(
        self, paragraph: DocxParagraph, text: str, key: str, *, bold: bool = False, char: str | None = None
    ) -> Run:
        """Add ``text`` in the fonts of element ``key``; ``char`` names a character style to apply."""
        run = paragraph.add_run(text)
        rpr = run._r.get_or_add_rPr()
        styled = False
        if char:
            style_id = self.styles.id(char, "character")
            if style_id:
                oxml.child(rpr, "rStyle", oxml.RPR_ORDER).set(qn("w:val"), style_id)
                styled = True
        else:
            ppr = paragraph._p.pPr
            styled = ppr is not None and ppr.pStyle is not None
        if not styled:  # fonts come from the named style; a run names them only without one
            oxml.set_fonts(rpr, LATIN.office, FONTS[self.theme.styles[key].font].office)
        if bold:
            oxml.set_flag(rpr, "b", oxml.RPR_ORDER)
        if not len(rpr):
            run._r.remove(rpr)
        return run

    def spans(
        self, paragraph: DocxParagraph, spans: tuple[Span, ...], key: str, char: str | None = None
    ) -> None:
        for span in spans:
            if span.text:
                self.run(paragraph, span.text, key, bold=span.bold, char=char)

    def line(self, key: str, text: str) -> DocxParagraph:
        paragraph = self.paragraph(key)
        self.run(paragraph, text, key)
        return paragraph

    # issue and article parts

    def issue_note(self, note: str | None) -> None:
        """The issue's own 编者按 after the 本期要目 (label in 黑体, text in 楷体), the theme's gap above."""
        paragraphs = self._note(note, "issue_note")
        if paragraphs:
            gap = self.theme.issue_note_gap_lines * self.theme.line_pitch_pt
            paragraphs[0].paragraph_format.space_before = Pt(gap)

    def _note(self, note: str | None, key: str) -> list[DocxParagraph]:
        paragraphs = []
        for index, text in enumerate(printed.editor_note_paragraphs(note)):
            paragraph = self.paragraph(key)
            if index == 0:
                label = self.styles.name("editor_note_label")
                self.run(paragraph, EDITOR_NOTE_LABEL, "editor_note_label", char=label)
            self.run(paragraph, text, key)
            paragraphs.append(paragraph)
        return paragraphs

    def article(self, article: Article, index: int) -> None:
        """One article: 专栏, 编者按, 引题, title, 副题, 署名, blocks, 来源."""
        first: DocxParagraph | None = None

        def started(paragraph: DocxParagraph) -> None:
            nonlocal first
            if first is None:
                first = paragraph
                # one blank line (a grid line) above each article
                paragraph.paragraph_format.space_before = Pt(self.theme.line_pitch_pt)

        # 专栏, then its 编者按 (as in a column: 《…》专栏 / 编者按：… / the pieces), then the article head
        if article.column:
            started(self.line("column", article.column))
        for paragraph in self._note(article.editor_note, "editor_note"):
            started(paragraph)
        if article.kicker:
            started(self.line("kicker", article.kicker))
        lines = printed.title_lines(article, self.theme)
        if lines:
            started(self.line("title", "\n".join(lines)))
        subtitle = printed.subtitle_text(article)
        if subtitle:
            started(self.line("subtitle", subtitle))
        if article.byline:
            started(self.line("byline", article.byline))
        last: list[DocxParagraph] = []  # the paragraphs that end the last block
        for number, block in enumerate(article.blocks):
            where = f"articles[{index}].blocks[{number}]"
            if isinstance(block, Paragraph):
                last = [self.body_paragraph(block)]
                started(last[0])
            elif isinstance(block, Heading):
                last = [self.heading(block)]
                started(last[0])
            elif isinstance(block, Image):
                last = self.image(block, where)
                started(last[0])
            elif isinstance(block, Table):
                last = self.table(block)
            elif isinstance(block, ImageGroup):
                last = self.image_group(block, where)
            elif isinstance(block, Box):
                last = self.box(block)
                started(last[0])
        source = printed.source_text(article)
        if source and printed.source_joins_last_paragraph(article):
            self.source_line(last[0], source)
        elif source:
            self.keep_with_source(last)
            self.line("source", source)

    def source_line(self, paragraph: DocxParagraph, source: str) -> None:
        """Put the （来源） line at the end of the article's last body paragraph: a line break, then a
        tab to a right tab stop on the right margin. Widow control (2 lines, fixed in Word) then keeps
        at least one text line with it on a new page; Word and LibreOffice both honour that, while
        ``w:keepNext`` on a long paragraph is "do not split" in LibreOffice (see docs/docx-template.md).
        The PDF makes the same decision (``widows: 1`` on the paragraph before a ``.source``)."""
        width = text_width_pt(self.doc)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(width), WD_TAB_ALIGNMENT.RIGHT)
        run = self.run(paragraph, "", "body")
        run.add_break()
        run.add_tab()
        run.add_text(source)

    def keep_with_source(self, last: list[DocxParagraph]) -> None:
        """Keep the end of an article's last block on the page of its （来源） line.

        LibreOffice reads ``w:keepNext`` as "keep with next *and* do not split" (sw/source/core/text/
        widorp.cxx), so a long last paragraph would move whole and leave most of a page empty; only a
        paragraph of at most :data:`KEEP_WITH_SOURCE_LINES` lines (a picture with its caption, a
        table row) is kept. Word would move only the last lines of a long one, but both read one file.
        """
        per_line = self.theme.chars_per_line
        for paragraph in last:
            if line_count(paragraph.text, per_line) <= KEEP_WITH_SOURCE_LINES:
                paragraph.paragraph_format.keep_with_next = True

    def body_paragraph(self, block: Paragraph, key: str = "body") -> DocxParagraph:
        key = block.role or key  # 引文 / 落款 styles for > quotes and --> signature lines
        paragraph = self.paragraph(key)
        if block.label:
            self.run(paragraph, f"【{block.label}】", "label", char=self.styles.name("label"))
        self.spans(paragraph, block.spans, key)
        return paragraph

    def box(self, block: Box) -> list[DocxParagraph]:
        """A 【看点】 box: the label on its own line, then the paragraphs, all in one ruled shade."""
        paragraphs = []
        if block.label:
            paragraphs.append(self.line("box_label", f"【{block.label}】"))
        paragraphs += [
            self.body_paragraph(p, "box") if p.role is None else self.body_paragraph(p)
            for p in block.paragraphs
        ]
        return paragraphs

    def image_group(self, block: ImageGroup, where: str) -> list[DocxParagraph]:
        """Two or three pictures side by side in a borderless table, each with its caption under it,
        then the shared caption; the same sizes as in the PDF (:func:`printed.group_sizes_mm`)."""
        sizes = printed.group_sizes_mm(block, self.theme)
        table = self.doc.add_table(rows=1, cols=len(block.images))
        assert self.anchor is not None
        self.anchor.addprevious(table._tbl)
        table.alignment = 1  # WD_TABLE_ALIGNMENT.CENTER
        oxml.set_table_borders(table._tbl, eighths=0, color="#FFFFFF")
        for rule in table._tbl.tblPr.find(qn("w:tblBorders")):
            rule.set(qn("w:val"), "nil")
        table._tbl.tblPr.find(qn("w:tblW")).set(qn("w:type"), "auto")
        table._tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), "0")
        last: list[DocxParagraph] = []
        for tc, image, (width, height) in zip(table._tbl.tr_lst[0].tc_lst, block.images, sizes, strict=True):
            cell = _Cell(tc, table)
            cell.width = Mm(width + printed.GROUP_GAP_MM)
            paragraph = cell.paragraphs[0]
            style_id = self.styles.id(self.styles.name("image"))
            if style_id:
                paragraph._p.get_or_add_pPr().style = style_id
            paragraph.paragraph_format.keep_with_next = False
            self._picture(paragraph, image, where, (Mm(width), Mm(height)))
            caption = printed.caption_text(image)
            if caption:
                cap = cell.add_paragraph()
                cap_id = self.styles.id(self.styles.name("caption"))
                if cap_id:
                    cap._p.get_or_add_pPr().style = cap_id
                self.run(cap, caption, "caption")
            last = [paragraph]
        shared = printed.caption_text(block)
        if shared:
            return [self.line("caption", shared)]
        return last

    def _picture(
        self, paragraph: DocxParagraph, block: Image, where: str, size: tuple[Length, Length] | None = None
    ) -> None:
        """Add the picture to ``paragraph`` at ``size`` (else its printed size); warn if Word cannot."""
        try:
            data, _image = word_picture(block.path.read_bytes())
            if size is None:
                width_mm, height_mm = printed.picture_size_mm(block, self.theme)
                size = (Mm(width_mm), Mm(height_mm))
            width, height = size
            run = self.run(paragraph, "", "image")
            run.add_picture(io.BytesIO(data), width=width, height=height)
            describe_last_picture(paragraph, printed.caption_text(block))
        except PICTURE_ERRORS as exc:
            self.problems.append(
                Problem(
                    Code.DOCX_IMAGE_FAILED,
                    file=self.source,
                    path=where,
                    level=Level.WARNING,
                    args={"path": str(block.path), "detail": f"{type(exc).__name__}: {exc}"},
                )
            )

    def heading(self, block: Heading) -> DocxParagraph:
        key = f"heading{block.level}"
        paragraph = self.paragraph(key)
        self.spans(paragraph, block.spans, key)
        if block.run_in:
            self.spans(paragraph, block.run_in, "body", char=self.styles.name("body") + RUN_IN_SUFFIX)
            paragraph.paragraph_format.keep_with_next = False  # it is a body paragraph too
        return paragraph

    def image(self, block: Image, where: str) -> list[DocxParagraph]:
        """The picture centred, at most the 版心 wide, then its caption (图注　摄影者　摄); return both."""
        paragraph = self.paragraph("image")
        self._picture(paragraph, block, where)
        caption = printed.caption_text(block)
        if caption:
            return [paragraph, self.line("caption", caption)]
        paragraph.paragraph_format.keep_with_next = False
        return [paragraph]

    def table(self, block: Table) -> list[DocxParagraph]:
        """A full-width table with single rules; the header row is bold and repeats on a new page.
        Return the paragraphs of its last row."""
        columns = max((len(row) for row in block.rows), default=0)
        if not columns:
            return []
        table = self.doc.add_table(rows=len(block.rows), cols=columns)
        assert self.anchor is not None
        self.anchor.addprevious(table._tbl)
        oxml.set_table_borders(table._tbl, eighths=4)
        style_id = self.styles.id(self.styles.name("table"))
        for row_index, (tr, row) in enumerate(zip(table._tbl.tr_lst, block.rows, strict=True)):
            header = block.header and row_index == 0
            if header:
                oxml.set_repeat_header(tr)
            for tc, text in zip(tr.tc_lst, (*row, *[""] * (columns - len(row))), strict=True):
                paragraph = _Cell(tc, table).paragraphs[0]
                if style_id:
                    paragraph._p.get_or_add_pPr().style = style_id
                if header:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if text:
                    self.run(paragraph, text, "table", bold=header)
        return [_Cell(tc, table).paragraphs[0] for tc in table._tbl.tr_lst[-1].tc_lst]


def hang(paragraph: DocxParagraph, points: float, chars: float) -> None:
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(twips(points)))
    ind.set(qn("w:leftChars"), str(round(chars * 100)))
    ind.set(qn("w:hanging"), str(twips(points)))
    ind.set(qn("w:hangingChars"), str(round(chars * 100)))


def describe_last_picture(paragraph: DocxParagraph, text: str) -> None:
    """Give the picture its caption as alternative text (read by screen readers and importers)."""
    doc_prs = paragraph._p.findall(".//" + qn("wp:docPr"))
    if doc_prs and text:
        doc_prs[-1].set("descr", text)
