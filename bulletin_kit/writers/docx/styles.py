"""The template's named styles, looked up through python-docx, and the 报头 styles fitted to one line.

Input: the rendered document and the theme's element keys (``theme.styles``). Output: :class:`Styles`
(style ids by name, with one warning per style the template lacks) and :func:`fit_masthead`.
"""

from __future__ import annotations

import math

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.shared import Emu

from ... import numerals
from ...messages import Code
from ...model import Issue
from ...problems import Level, Problem
from ...theme import Theme
from ...typography.width import text_em
from .. import oxml


class Styles:
    """The template's styles by element key (``theme.styles``), looked up by name once."""

    def __init__(self, doc: Document, theme: Theme, issue: Issue, problems: list[Problem]) -> None:
        self._theme = theme
        self._issue = issue
        self._problems = problems
        self._warned: set[str] = set()
        self._ids: dict[tuple[str, str], str] = {}
        for style in doc.styles.element.style_lst:  # python-docx's CT_Style: name_val, styleId
            if style.name_val is not None and style.styleId is not None:
                self._ids[(style.get(qn("w:type")), style.name_val)] = style.styleId

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
                    Code.DOCX_STYLE_MISSING,
                    file=self._issue.source_path,
                    path="layout.docx_template",
                    level=Level.WARNING,
                    args={"style": name},
                )
            )
        return found

    def element(self, doc: Document, key: str) -> CT_Style | None:
        """Return the ``w:style`` element of paragraph style ``key``, or None."""
        style_id = self._ids.get(("paragraph", self.name(key)))
        return None if style_id is None else doc.styles.element.get_by_id(style_id)


def ems(text: str) -> float:
    """Return the width of ``text`` in ems: Han characters 1, others ½, plus the ¼ em that Word and
    LibreOffice put between Han characters and digits or Latin letters (autoSpaceDE/DN)."""
    return text_em(text, autospace=True)


def line_count(text: str, per_line: int, indent: float = 2) -> int:
    """Return about how many lines ``text`` takes, ``per_line`` characters a line after ``indent``."""
    return max(1, math.ceil((ems(text) + indent) / per_line))


def text_width_pt(doc: Document) -> float:
    section = doc.sections[-1]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    assert page is not None and left is not None and right is not None, "template section without size"
    return float(Emu(page - left - right).pt)


def fit_masthead(doc: Document, issue: Issue, theme: Theme, styles: Styles, problems: list[Problem]) -> None:
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
                Code.DOCX_MASTHEAD_LONG,
                file=issue.source_path,
                path="masthead.name",
                level=Level.WARNING,
                args={"size": f"{name_size:g}"},
            )
        )
    _fit_style(doc, styles, "publisher_line", f"{m.publisher}\u3000{date}", None)


def _fit_style(doc: Document, styles: Styles, key: str, text: str, max_pt: float | None) -> float | None:
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
    fit = (text_width_pt(doc) - len(text) * tracking) / ems(text)
    size = min(current, max_pt or current, int(fit * 2) / 2)  # down to a half point
    if not current or size >= current:
        return None
    oxml.set_size(rpr, size)
    line = style.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    if line is not None and line.get(qn("w:lineRule")) == "exact" and key == "masthead_name":
        line.set(qn("w:line"), str(round(int(line.get(qn("w:line"))) * size / current)))
    return size
