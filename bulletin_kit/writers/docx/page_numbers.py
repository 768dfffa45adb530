"""Document-wide: the footers' page numbers, odd/even outside (the template's) or all centred.

Input: the rendered document and ``layout.page_numbers``. Output: the footers changed in place.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from .. import oxml


def page_numbers(doc: Document, placement: str) -> None:
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
                ppr = p.get_or_add_pPr()  # what Paragraph.alignment and paragraph_format set
                ppr.jc_val = WD_ALIGN_PARAGRAPH.CENTER
                ppr.ind_left = 0
                ppr.ind_right = 0
