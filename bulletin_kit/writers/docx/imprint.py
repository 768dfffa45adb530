"""The 版记 (GB/T 9704 §7.4): 报/送/发 lines, 编辑/签发, 共印N份, between rules at the last page's foot.

Input: the issue's distribution, through a :class:`~.builder.Builder`. Output: a floating one-column
table anchored to the bottom margin, and the small paragraph that anchors it.
"""

from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.table import _Cell

from ...model import Distribution
from ...units import mm, twips
from .. import oxml, printed
from .builder import Builder, hang
from .styles import ems


def add_imprint(builder: Builder, distribution: Distribution) -> None:
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
    theme = builder.theme
    size = theme.styles["imprint"].size_pt
    thick = round(mm(theme.imprint_outer_rule_mm) * 8)
    thin = round(mm(theme.imprint_inner_rule_mm) * 8)
    rows = len(lines) + bool(signature or copies)
    table = builder.doc.add_table(rows=rows, cols=1)
    assert builder.anchor is not None
    builder.anchor.addprevious(table._tbl)
    width = twips(mm(theme.text_width_mm))
    inset = twips(size * theme.imprint_inset_chars)
    oxml.float_at_page_foot(table._tbl, width, inset)
    oxml.set_table_rules(table._tbl, {"top": thick, "bottom": thick})
    style_id = builder.styles.id(builder.styles.name("imprint"))
    cells = [_Cell(tr.tc_lst[0], table) for tr in table._tbl.tr_lst]
    paragraphs = []
    for cell in cells:
        paragraph = cell.paragraphs[0]
        if style_id:
            paragraph._p.get_or_add_pPr().style = style_id
        paragraphs.append(paragraph)
    for paragraph, (label, text) in zip(paragraphs, lines, strict=False):
        builder.run(paragraph, label + text, "imprint")
        hang(paragraph, ems(label) * size, ems(label))  # wrapped lines align after the colon
    if signature or copies:
        paragraph = paragraphs[-1]
        builder.run(paragraph, f"{signature}\t{copies}" if copies else signature, "imprint")
        tabs = paragraph.paragraph_format.tab_stops
        tabs.add_tab_stop(Mm(theme.text_width_mm), alignment=WD_TAB_ALIGNMENT.CLEAR)
        tabs.add_tab_stop(Twips(width - 2 * inset), alignment=WD_TAB_ALIGNMENT.RIGHT)
        if lines:
            oxml.set_cell_rule(cells[len(lines) - 1]._tc, "bottom", thin)
    for tr in table._tbl.tr_lst:
        oxml.set_flag(tr.get_or_add_trPr(), "cantSplit", oxml.TRPR_ORDER)
    _anchor_paragraph(builder)


def _anchor_paragraph(builder: Builder) -> None:
    """A paragraph one point high, without text or style, after a floating table, to anchor it."""
    p = OxmlElement("w:p")
    assert builder.anchor is not None
    builder.anchor.addprevious(p)
    ppr = p.get_or_add_pPr()
    oxml.set_flag(ppr, "snapToGrid", oxml.PPR_ORDER, on=False)
    spacing = oxml.child(ppr, "spacing", oxml.PPR_ORDER)
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    oxml.set_size(oxml.child(ppr, "rPr", oxml.PPR_ORDER), 1)
