"""Word writer: one transformed :class:`~bulletin_kit.model.Issue` -> an editable ``.docx``.

Input: the issue (after :func:`bulletin_kit.transforms.apply`), the theme, and the Word template
(``issue.layout.docx_template`` or ``templates/bulletin.docx``, made by ``tools/make_docx_template.py``).
Output: the ``.docx`` at ``dest`` and the problems met (a series template without a style, a picture
Word cannot take). Reads no file but the template and the issue's pictures.

Two stages, so that article text is never a template:

1. docxtpl renders the template's placeholders (报头, 本期要目: ``{{ name }}``, ``{%p for … %}``) with
   ``autoescape=True``. Each value goes in as :class:`~markupsafe.Markup` already escaped for XML,
   with ``{ } %`` and whitespace controls written as character references, so neither Jinja nor
   docxtpl's regex post-processing (``{_{`` -> ``{{``, ``\\n`` -> ``<w:br/>``, recover-mode parsing
   that silently drops ``<``) can see them.
2. The articles and the 版记 are built as ordinary python-docx paragraphs in the template's named
   styles and put where the template's ``{{ body }}`` and ``{{ imprint }}`` paragraphs stood. No
   sub-documents (they lose styles and leave empty paragraphs in loops) and no Jinja on article text.

Fonts come from the named styles (``w:ascii``/``w:hAnsi`` Times New Roman, ``w:eastAsia`` the office font of
the role, ``w:hint="eastAsia"`` for Word), so a unit's template restyles the text; a run names fonts only
where its style is missing. “ ” ‘ ’ … — · get runs of their own in the East Asian font in every slot,
because LibreOffice ignores the hint (:data:`SHARED_PUNCTUATION`). Sizes, colours, spacing and
indents come from the styles, so a reviewer restyles all article titles at once. Pictures python-docx
cannot read (CMYK JPEG without JFIF, WebP) are re-encoded in memory with Pillow.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import struct
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from lxml import etree
from markupsafe import Markup
from PIL import Image as PILImage
from PIL import ImageOps

from .. import identity, numerals, transforms
from ..model import Article, Box, Distribution, Heading, Image, ImageGroup, Issue, Paragraph, Span, Table
from ..problems import Level, Problem
from ..theme import FONTS, LATIN, Theme
from ..typography.chars import is_cjk
from ..typography.width import text_em
from ..units import mm, twips
from . import docx_styles, oxml, printed, sandbox

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATE_DIR / "bulletin.docx"
EDITOR_NOTE_LABEL = "编者按："
KEEP_WITH_SOURCE_LINES = 3
"""The longest last paragraph (in lines) that is kept on the page of the article's （来源） line."""
RUN_IN_SUFFIX = " 字符"
"""Name suffix of the character style linked to 正文, used for run-in text after a heading."""
PUNCT_STYLE_ID = "BkPunct"
"""Id prefix of the template's 全角标点 character styles (tools/make_docx_template.py)."""


def write(issue: Issue, theme: Theme, dest: Path) -> list[Problem]:
    """Write ``issue`` as a Word file at ``dest``; return the problems (errors mean: discard ``dest``)."""
    template = issue.layout.docx_template or DEFAULT_TEMPLATE
    problems: list[Problem] = []
    issue = _xml_safe_issue(issue, problems)
    tpl = _open_template(template, issue, problems)
    if tpl is None:
        return problems
    anchors = _Anchors()
    try:
        tpl.render(_context(issue, anchors), jinja_env=sandbox.DocxSandbox(), autoescape=True)
    except sandbox.TemplateRefused as exc:
        return [*problems, _refused_problem(template, issue, exc)]
    except TemplateError as exc:
        return [*problems, _template_problem("docx.template_error", template, issue, str(exc))]
    doc = tpl.docx
    if issue.layout.reference_docx is not None:
        problem = _apply_reference(doc, issue)
        if problem is not None:
            return [*problems, problem]
    body_anchor = anchors.find(doc.element.body, anchors.body)
    if body_anchor is None:
        return [*problems, _template_problem("docx.template_no_body", template, issue)]
    styles = _Styles(doc, theme, issue, problems)
    _fit_masthead(doc, issue, theme, styles, problems)
    _fill(_Builder(doc, theme, styles, problems, issue.source_path), issue, anchors, body_anchor)
    _page_numbers(doc, issue.layout.page_numbers)
    oxml.set_do_not_expand_shift_return(doc.settings.element)
    _shared_punctuation_fonts(doc)
    _properties(doc, issue)
    _identity(doc, issue)
    buffer = io.BytesIO()  # a full disk then fails in one plain write, not inside python-docx's zip
    doc.save(buffer)
    dest.write_bytes(buffer.getvalue())
    return problems


def _fill(builder: _Builder, issue: Issue, anchors: _Anchors, body_anchor: etree._Element) -> None:
    """Put the issue's 编者按 and articles at ``{{ body }}``, the 版记 at ``{{ imprint }}`` (or after
    the articles when the template has no such place), then remove both placeholders."""
    imprint_anchor = anchors.find(builder.doc.element.body, anchors.imprint)
    builder.at(body_anchor)
    builder.issue_note(issue.editor_note)
    for index, article in enumerate(issue.articles):
        builder.article(article, index)
    if imprint_anchor is not None:
        builder.at(imprint_anchor)
    builder.imprint(issue.distribution)
    for anchor in (body_anchor, imprint_anchor):
        if anchor is not None:
            anchor.getparent().remove(anchor)


# --- stage 1: the template -------------------------------------------------------------------------


def _open_template(template: Path, issue: Issue, problems: list[Problem]) -> DocxTemplate | None:
    """Return the loaded template, or None with an error in ``problems``."""
    if not template.is_file():
        problems.append(
            Problem(
                "docx.template_missing",
                file=issue.source_path,
                path="layout.docx_template",
                args={"path": str(template)},
            )
        )
        return None
    tpl = DocxTemplate(template)
    try:
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        problems.append(
            _template_problem("docx.template_bad", template, issue, f"{type(exc).__name__}: {exc}")
        )
        return None
    return tpl


def _refused_problem(template: Path, issue: Issue, exc: sandbox.TemplateRefused) -> Problem:
    return Problem(
        "docx.template_refused",
        file=issue.source_path,
        path="layout.docx_template",
        args={"path": template.name, "tag": exc.tag, "reason": exc.reason},
    )


def _apply_reference(doc, issue: Issue) -> Problem | None:
    """Let the styles of the series' reference .docx win (:mod:`.docx_styles`); return an error, if any."""
    path = issue.layout.reference_docx
    assert path is not None
    try:
        docx_styles.apply(doc, docx_styles.reference_styles(path.read_bytes()))
    except (OSError, docx_styles.BadReference) as exc:
        return Problem(
            "docx.reference_bad",
            file=issue.source_path,
            path="layout.reference_docx",
            args={"path": str(path), "detail": str(exc)},
        )
    return None


def _template_problem(code: str, template: Path, issue: Issue, detail: str = "") -> Problem:
    return Problem(
        code,
        file=issue.source_path,
        path="layout.docx_template",
        args={"path": str(template), "detail": detail},
    )


@dataclass(frozen=True)
class _Anchors:
    """Unique texts that mark where the template's ``{{ body }}`` and ``{{ imprint }}`` paragraphs are."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def body(self) -> str:
        return f"bulletin-kit-body-{self.token}"

    @property
    def imprint(self) -> str:
        return f"bulletin-kit-imprint-{self.token}"

    @staticmethod
    def find(body: etree._Element, marker: str) -> etree._Element | None:
        """Return the first ``w:p`` whose text contains ``marker``, or None."""
        for p in body.iter(qn("w:p")):
            if marker in "".join(t.text or "" for t in p.iter(qn("w:t"))):
                return p
        return None


# XML-escape plus character references for what Jinja or docxtpl would otherwise act on.
_TEMPLATE_SAFE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "{": "&#123;",
        "}": "&#125;",
        "%": "&#37;",
        "#": "&#35;",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)


def _value(text: str | None) -> Markup:
    """Return ``text`` as a template value that renders literally inside ``<w:t>``."""
    return Markup((text or "").translate(_TEMPLATE_SAFE))


def _context(issue: Issue, anchors: _Anchors) -> dict[str, object]:
    """Return the variables a template may use (documented in docs/docx-template.md)."""
    m = issue.masthead
    marks = [_value(x) for x in m.marks] or ([_value("")] if m.copy_no else [])
    return {
        "name": _value(m.name),
        "publisher": _value(m.publisher),
        "marks": marks,
        "copy_no": _value(m.copy_no),
        "marker": _value(m.marker),
        "special": _value(m.special),
        "issue_line": _value(printed.issue_line_text(m)),
        "issue_number": _value(numerals.issue_number(m.issue_no, m.special)),
        "total_number": _value(numerals.total_number(m.total_no) if m.total_no else ""),
        "date": _value(numerals.chinese_date(m.date)),
        "toc": [_value(line) for line in issue.toc],
        "body": anchors.body,
        "imprint": anchors.imprint,
    }


# Characters XML 1.0 forbids (they make Word refuse the file); the transforms remove them with a
# warning, this is the writer's own guard for issues that did not pass through them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe_issue(issue: Issue, problems: list[Problem]) -> Issue:
    cleaned, count = transforms.scrub(issue.model_dump(), _XML_ILLEGAL)
    if not count:
        return issue
    problems.append(
        Problem("body.control_chars", file=issue.source_path, level=Level.WARNING, args={"n": count})
    )
    return Issue.model_validate(cleaned)


# --- styles ------------------------------------------------------------------------------------------


class _Styles:
    """The template's styles by element key (``theme.styles``), looked up by name once."""

    def __init__(self, doc, theme: Theme, issue: Issue, problems: list[Problem]) -> None:
        self._theme = theme
        self._issue = issue
        self._problems = problems
        self._warned: set[str] = set()
        self._ids: dict[tuple[str, str], str] = {}
        for style in doc.styles.element.iter(qn("w:style")):
            name = style.find(qn("w:name"))
            if name is not None:
                self._ids[(style.get(qn("w:type")), name.get(qn("w:val")))] = style.get(qn("w:styleId"))

    def name(self, key: str) -> str:
        """Return the Word style name of element ``key``."""
        return self._theme.styles[key].name

    def id(self, name: str, kind: str = "paragraph") -> str | None:
        """Return the id of the ``kind`` style called ``name``; warn once if the template lacks it."""
        found = self._ids.get((kind, name))
        if found is None and name not in self._warned:
            self._warned.add(name)
            self._problems.append(
                Problem(
                    "docx.style_missing",
                    file=self._issue.source_path,
                    path="layout.docx_template",
                    level=Level.WARNING,
                    args={"style": name},
                )
            )
        return found

    def element(self, doc, key: str):
        """Return the ``w:style`` element of paragraph style ``key``, or None."""
        style_id = self._ids.get(("paragraph", self.name(key)))
        if style_id is None:
            return None
        for style in doc.styles.element.iter(qn("w:style")):
            if style.get(qn("w:styleId")) == style_id:
                return style
        return None


def _ems(text: str) -> float:
    """Return the width of ``text`` in ems: Han characters 1, others ½, plus the ¼ em that Word and
    LibreOffice put between Han characters and digits or Latin letters (autoSpaceDE/DN)."""
    return text_em(text, autospace=True)


def _lines(text: str, per_line: int, indent: float = 2) -> int:
    """Return about how many lines ``text`` takes, ``per_line`` characters a line after ``indent``."""
    return max(1, math.ceil((_ems(text) + indent) / per_line))


def _text_width_pt(doc) -> float:
    section = doc.sections[-1]
    return Emu(section.page_width - section.left_margin - section.right_margin).pt


def _fit_masthead(doc, issue: Issue, theme: Theme, styles: _Styles, problems: list[Problem]) -> None:
    """Shrink the 刊名 and the 编印单位 line styles so each stays on one line of the 版心.

    The template's sizes are maxima (the 刊名 grows no larger than ``theme.masthead_name_max_pt``);
    a long 编印单位 plus the date would otherwise wrap the red rule's line.
    """
    m = issue.masthead
    date = numerals.chinese_date(m.date)
    name_size = _fit_style(doc, styles, "masthead_name", m.name, theme.masthead_name_max_pt)
    if name_size is not None and name_size < theme.masthead_name_min_pt:
        problems.append(
            Problem(
                "docx.masthead_long",
                file=issue.source_path,
                path="masthead.name",
                level=Level.WARNING,
                args={"size": f"{name_size:g}"},
            )
        )
    _fit_style(doc, styles, "publisher_line", f"{m.publisher}\u3000{date}", None)


def _fit_style(doc, styles: _Styles, key: str, text: str, max_pt: float | None) -> float | None:
    """Lower the font size of paragraph style ``key`` until ``text`` fits one line; return the new size
    (None when the style is missing or nothing changed). An exact line height shrinks with the font."""
    style = styles.element(doc, key)
    if style is None or not text:
        return None
    rpr = style.get_or_add_rPr()
    sz = rpr.find(qn("w:sz"))
    current = int(sz.get(qn("w:val"))) / 2 if sz is not None else max_pt or 0
    spacing = rpr.find(qn("w:spacing"))
    tracking = int(spacing.get(qn("w:val"))) / 20 if spacing is not None else 0.0
    # width = ems × size + characters × tracking  <=  text width
    fit = (_text_width_pt(doc) - len(text) * tracking) / _ems(text)
    size = min(current, max_pt or current, int(fit * 2) / 2)  # down to a half point
    if not current or size >= current:
        return None
    oxml.set_size(rpr, size)
    line = style.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    if line is not None and line.get(qn("w:lineRule")) == "exact" and key == "masthead_name":
        line.set(qn("w:line"), str(round(int(line.get(qn("w:line"))) * size / current)))
    return size


# --- stage 2: the articles and the 版记 --------------------------------------------------------------


class _Builder:
    """Adds styled paragraphs before an anchor paragraph of the rendered template."""

    def __init__(self, doc, theme: Theme, styles: _Styles, problems: list[Problem], source: Path | None):
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
    ):
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

    def spans(self, paragraph: DocxParagraph, spans: tuple[Span, ...], key: str, char: str | None = None):
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
        width = _text_width_pt(self.doc)
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
            if _lines(paragraph.text, per_line) <= KEEP_WITH_SOURCE_LINES:
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
            self._picture(paragraph, image, Mm(width), Mm(height), where)
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

    def _picture(self, paragraph: DocxParagraph, block: Image, width: int, height: int, where: str) -> None:
        try:
            data, _image = _word_picture(block.path.read_bytes())
            run = self.run(paragraph, "", "image")
            run.add_picture(io.BytesIO(data), width=width, height=height)
            _describe_last_picture(paragraph, printed.caption_text(block))
        except _PICTURE_ERRORS as exc:
            self.problems.append(
                Problem(
                    "docx.image_failed",
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
        try:
            data, _image = _word_picture(block.path.read_bytes())
            width, height = (Mm(v) for v in printed.picture_size_mm(block, self.theme))
            run = self.run(paragraph, "", "image")
            run.add_picture(io.BytesIO(data), width=width, height=height)
            _describe_last_picture(paragraph, printed.caption_text(block))
        except _PICTURE_ERRORS as exc:
            self.problems.append(
                Problem(
                    "docx.image_failed",
                    file=self.source,
                    path=where,
                    level=Level.WARNING,
                    args={"path": str(block.path), "detail": f"{type(exc).__name__}: {exc}"},
                )
            )
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

    def imprint(self, distribution: Distribution) -> None:
        """版记: 报/送/发 lines, then 编辑/签发 with 共印N份 on the right, between rules (GB/T 9704 §7.4),
        at the foot of the last page as in the PDF.

        A one-column floating table anchored to the bottom margin (``w:tblpPr``, which Word and
        LibreOffice both honour) holds one 版记-style paragraph a row; its outer rules are the table's,
        the thin inner rule the last 报/发 cell's; cells keep 1 字 of text inset inside the rules. A
        one-point paragraph after it carries the anchor (a table must be followed by a paragraph).
        """
        lines = [
            (f"{line.label}：", printed.distribution_names(line.recipients))
            for line in distribution.lines
            if line.recipients
        ]
        signature = printed.signature_text(distribution)
        copies = printed.copies_text(distribution) or ""
        if not lines and not signature and not copies:
            return
        theme = self.theme
        size = theme.styles["imprint"].size_pt
        thick = round(mm(theme.imprint_outer_rule_mm) * 8)
        thin = round(mm(theme.imprint_inner_rule_mm) * 8)
        rows = len(lines) + bool(signature or copies)
        table = self.doc.add_table(rows=rows, cols=1)
        assert self.anchor is not None
        self.anchor.addprevious(table._tbl)
        width = twips(mm(theme.text_width_mm))
        inset = twips(size * theme.imprint_inset_chars)
        oxml.float_at_page_foot(table._tbl, width, inset)
        oxml.set_table_rules(table._tbl, {"top": thick, "bottom": thick})
        style_id = self.styles.id(self.styles.name("imprint"))
        cells = [_Cell(tr.tc_lst[0], table) for tr in table._tbl.tr_lst]
        paragraphs = []
        for cell in cells:
            paragraph = cell.paragraphs[0]
            if style_id:
                paragraph._p.get_or_add_pPr().style = style_id
            paragraphs.append(paragraph)
        for paragraph, (label, text) in zip(paragraphs, lines, strict=False):
            self.run(paragraph, label + text, "imprint")
            _hang(paragraph, _ems(label) * size, _ems(label))  # wrapped lines align after the colon
        if signature or copies:
            paragraph = paragraphs[-1]
            self.run(paragraph, f"{signature}\t{copies}" if copies else signature, "imprint")
            tabs = paragraph.paragraph_format.tab_stops
            tabs.add_tab_stop(Mm(theme.text_width_mm), alignment=WD_TAB_ALIGNMENT.CLEAR)
            tabs.add_tab_stop(Twips(width - 2 * inset), alignment=WD_TAB_ALIGNMENT.RIGHT)
            if lines:
                oxml.set_cell_rule(cells[len(lines) - 1]._tc, "bottom", thin)
        for tr in table._tbl.tr_lst:
            oxml.set_flag(tr.get_or_add_trPr(), "cantSplit", oxml.TRPR_ORDER)
        self._anchor_paragraph()

    def _anchor_paragraph(self) -> None:
        """A paragraph one point high, without text or style, after a floating table, to anchor it."""
        p = OxmlElement("w:p")
        assert self.anchor is not None
        self.anchor.addprevious(p)
        ppr = p.get_or_add_pPr()
        oxml.set_flag(ppr, "snapToGrid", oxml.PPR_ORDER, on=False)
        spacing = oxml.child(ppr, "spacing", oxml.PPR_ORDER)
        spacing.set(qn("w:before"), "0")
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "20")
        spacing.set(qn("w:lineRule"), "exact")
        oxml.set_size(oxml.child(ppr, "rPr", oxml.PPR_ORDER), 1)


# What reading a broken or hostile picture can raise: python-docx's header parsers, and Pillow's
# decoders (UnidentifiedImageError is an OSError; truncated files give SyntaxError or EOFError).
_PICTURE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    ZeroDivisionError,
    struct.error,
    UnrecognizedImageError,
    PILImage.DecompressionBombError,
)


def _word_picture(data: bytes) -> tuple[bytes, DocxImage]:
    """Return picture bytes python-docx can embed (``data`` itself when it can) and their header.

    python-docx knows JPEG only by a JFIF or Exif header and does not know WebP, so a CMYK JPEG saved
    by Pillow (Adobe header) or a WebP renamed to .jpg would be lost although the PDF shows it; Word
    ignores an EXIF orientation, so a phone photo would lie on its side. Such a file is re-encoded in
    memory, upright: JPEG for photographs (a JPEG or WebP source without transparency),
    RGB(A) PNG for the rest. Raises one of :data:`_PICTURE_ERRORS` when Pillow cannot read it either.
    """
    try:
        image = DocxImage.from_blob(data)
        if image.px_width > 0 and image.px_height > 0 and not _exif_rotated(data):
            return data, image
    except _PICTURE_ERRORS:
        pass
    data = _reencode(data)
    return data, DocxImage.from_blob(data)


_EXIF_ORIENTATION = 0x0112


def _exif_rotated(data: bytes) -> bool:
    """Return whether the picture's EXIF orientation turns or mirrors it (a phone photo taken upright):
    Word ignores the tag and would show it sideways, so it is re-encoded upright as the PDF shows it."""
    with PILImage.open(io.BytesIO(data)) as picture:
        return picture.getexif().get(_EXIF_ORIENTATION, 1) not in (0, 1)


def _reencode(data: bytes) -> bytes:
    with PILImage.open(io.BytesIO(data)) as source:
        source.load()
        kind = source.format
        dpi = source.info.get("dpi")
        picture = ImageOps.exif_transpose(source)  # the orientation tag does not survive re-encoding
    transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    out = io.BytesIO()
    options: dict[str, object] = {}
    if dpi and len(dpi) == 2 and all(isinstance(d, int | float) and d >= 1 for d in dpi):
        options["dpi"] = tuple(round(d) for d in dpi)
    if kind in ("JPEG", "MPO", "WEBP") and not transparent:
        picture.convert("RGB").save(out, "JPEG", quality=92, **options)
    else:
        picture.convert("RGBA" if transparent else "RGB").save(out, "PNG", **options)
    return out.getvalue()


def _hang(paragraph: DocxParagraph, points: float, chars: float) -> None:
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(twips(points)))
    ind.set(qn("w:leftChars"), str(round(chars * 100)))
    ind.set(qn("w:hanging"), str(twips(points)))
    ind.set(qn("w:hangingChars"), str(round(chars * 100)))


def _describe_last_picture(paragraph: DocxParagraph, text: str) -> None:
    """Give the picture its caption as alternative text (read by screen readers and importers)."""
    doc_prs = paragraph._p.findall(".//" + qn("wp:docPr"))
    if doc_prs and text:
        doc_prs[-1].set("descr", text)


# --- document-wide ---------------------------------------------------------------------------------

SHARED_PUNCTUATION = frozenset("“”‘’…—·")
"""Marks Chinese and Latin text share, set full-width in the East Asian font (FORMAT.md §5).

Word does so for ``w:hint="eastAsia"``; LibreOffice ignores the hint and gives such a mark the
script of the character before it, so at a paragraph start, after —— or after ``+`` it took the
Latin font (“ 7.1 pt wide in Liberation Serif at 16 pt). Only those marks get runs of their own, in
the template's 全角标点 character style of the run's East Asian font (that font in every slot), or
with that font named in every slot when there is no such style or the run has a character style
already. A mark after a Chinese character is Chinese already, and a run of its own there makes
LibreOffice add the ¼-字 Han/Latin gap around it (issue #10: 24 % of body lines broke elsewhere
than in the PDF). Digits and Latin letters stay in Times New Roman.
"""


def _shared_punctuation_fonts(doc) -> None:
    """Give the :data:`SHARED_PUNCTUATION` that LibreOffice would set in the Latin font (every
    paragraph of the body, headers and footers) runs of their own whose Latin fonts are the run's
    East Asian font."""
    styles = _StyleFonts(doc)
    parts = [doc.part.element] + [
        rel.target_part.element for rel in doc.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)
    ]
    for root in parts:
        for paragraph in root.iter(qn("w:p")):
            script: str | None = None  # the script LibreOffice gives the last character
            for run in list(paragraph.iterchildren(qn("w:r"))):
                text = "".join(t.text or "" for t in run.iterchildren(qn("w:t")))
                latin_marks: set[int] = set()
                for index, char in enumerate(text):
                    if char in SHARED_PUNCTUATION:
                        if script != "cjk":
                            latin_marks.add(index)
                    elif is_cjk(char):
                        script = "cjk"
                    elif not char.isspace():
                        script = "latin"
                if latin_marks:
                    _own_font_runs(run, styles, text, latin_marks)


def _own_font_runs(run: etree._Element, styles: _StyleFonts, text: str, marks: set[int]) -> None:
    """Split ``run`` so the characters at ``marks`` have runs of their own in the East Asian font."""
    font = styles.east_asia(run)
    fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if font is None or (fonts is not None and fonts.get(qn("w:ascii")) == font == fonts.get(qn("w:hAnsi"))):
        return
    marked = frozenset(text[i] for i in marks)
    # a run without a character style takes the template's 全角标点 style of its font, else direct fonts
    punct = (
        None if run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}") is not None else styles.punctuation_style(font)
    )
    # split at every shared mark, then restyle only the pieces holding a mark LibreOffice sets in Latin
    offset = 0
    for new, shared in oxml.split_run(run, marked):
        length = sum(len(t.text or "") for t in new.iterchildren(qn("w:t")))
        if shared and any(offset <= i < offset + length for i in marks):
            if punct:
                oxml.child(new.get_or_add_rPr(), "rStyle", oxml.RPR_ORDER).set(qn("w:val"), punct)
            else:
                oxml.set_fonts(new.get_or_add_rPr(), font, font)
        offset += length


class _StyleFonts:
    """The East Asian font a run is set in: its own ``w:eastAsia``, else its character style's, else its
    paragraph style's (following ``w:basedOn``), else the document default."""

    def __init__(self, doc) -> None:
        root = doc.styles.element
        self._styles = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
        default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._default = _east_asia_of(default)

    def punctuation_style(self, font: str) -> str | None:
        """Return the id of the template's 全角标点 character style whose every font slot is ``font``."""
        for style_id, style in self._styles.items():
            if not style_id.startswith(PUNCT_STYLE_ID) or style.get(qn("w:type")) != "character":
                continue
            fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            if fonts is not None and fonts.get(qn("w:ascii")) == font == fonts.get(qn("w:eastAsia")):
                return style_id
        return None

    def east_asia(self, run: etree._Element) -> str | None:
        found = _east_asia_of(run.find(qn("w:rPr")))
        if found:
            return found
        rstyle = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        paragraph = next((a for a in run.iterancestors(qn("w:p"))), None)
        pstyle = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if paragraph is not None else None
        for ref in (rstyle, pstyle):
            found = self._of_style(ref.get(qn("w:val")) if ref is not None else None)
            if found:
                return found
        return self._default

    def _of_style(self, style_id: str | None) -> str | None:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            found = _east_asia_of(style.find(qn("w:rPr")))
            if found:
                return found
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return None


def _east_asia_of(rpr: etree._Element | None) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _page_numbers(doc, placement: str) -> None:
    """Keep the template's odd/even outside page numbers, or centre them all for ``center``."""
    if placement != "center":
        return
    oxml.set_even_and_odd_headers(doc.settings.element, False)
    # docxtpl re-creates the footer parts while rendering: reach them through the relationships
    for rel in doc.part.rels.values():
        if rel.reltype != RT.FOOTER:
            continue
        for p in rel.target_part.element.iter(qn("w:p")):
            if any("PAGE" in (t.text or "") for t in p.iter(qn("w:instrText"))):
                paragraph = DocxParagraph(p, None)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.left_indent = 0
                paragraph.paragraph_format.right_indent = 0


def _properties(doc, issue: Issue) -> None:
    """Title 刊名 第X期, author and company 编印单位, created on the issue date (not build time)."""
    m = issue.masthead
    props = doc.core_properties
    props.title = f"{m.name} {numerals.issue_number(m.issue_no, m.special)}"
    props.subject = numerals.issue_line(m.issue_no, m.total_no, m.special)
    props.author = m.publisher
    props.last_modified_by = m.publisher
    props.language = "zh-CN"
    props.keywords = ""
    props.comments = numerals.chinese_date(m.date)
    props.revision = 1
    stamp = dt.datetime.combine(m.date, dt.time())
    props.created = stamp
    props.modified = stamp
    _set_company(doc, m.publisher)


_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _set_company(doc, company: str) -> None:
    """Write ``Company`` in docProps/app.xml (python-docx has no API for the extended properties)."""
    part = next(
        (r.target_part for r in doc.part.package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES), None
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    element = root.find(f"{{{_APP_NS}}}Company")
    if element is None:
        element = etree.SubElement(root, f"{{{_APP_NS}}}Company")
    element.text = company
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _identity(doc, issue: Issue) -> None:
    """Record which issue file and which state of it the file was built from (docProps/custom.xml),
    for ``bulletin merge``; other custom properties of the template are kept."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package
    values = identity.properties(issue)
    part = next((r.target_part for r in package.rels.values() if r.reltype == identity.CUSTOM_RT), None)
    if part is not None:
        values = {**identity.parse(part.blob), **values}
        part._blob = identity.custom_xml(values)
        return
    part = Part(PackURI(identity.CUSTOM_PART), identity.CUSTOM_CT, identity.custom_xml(values), package)
    package.relate_to(part, identity.CUSTOM_RT)
