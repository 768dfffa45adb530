"""Document-wide: the marks Chinese and Latin text share (“ ” ‘ ’ … — ·) kept in the East Asian font.

Input: the finished document (body, headers, footers). Output: runs split so that such marks get the
template's 全角标点 character style, or that font in every slot.
"""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ...typography.chars import is_cjk
from .. import oxml

PUNCT_STYLE_ID = "BkPunct"
"""Id prefix of the template's 全角标点 character styles (tools/make_docx_template.py)."""


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


def shared_punctuation_fonts(doc: Document) -> None:
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

    def __init__(self, doc: Document) -> None:
        root = doc.styles.element
        self._styles = {s.styleId: s for s in root.style_lst if s.styleId}
        default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._default = _east_asia_of(default)

    def punctuation_style(self, font: str) -> str | None:
        """Return the id of the template's 全角标点 character style whose every font slot is ``font``."""
        for style_id, style in self._styles.items():
            if not style_id.startswith(PUNCT_STYLE_ID) or style.get(qn("w:type")) != "character":
                continue
            fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            if fonts is not None and fonts.get(qn("w:ascii")) == font == fonts.get(qn("w:eastAsia")):
                return str(style_id)
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
            style_id = style.basedOn_val
        return None


def _east_asia_of(rpr: etree._Element | None) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None
