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

import io
from pathlib import Path

from jinja2 import TemplateError
from lxml import etree

from ...messages import Code
from ...model import Issue
from ...problems import Problem
from ...theme import Theme
from .. import oxml, sandbox
from .builder import EDITOR_NOTE_LABEL, KEEP_WITH_SOURCE_LINES, RUN_IN_SUFFIX, Builder
from .imprint import add_imprint
from .page_numbers import page_numbers
from .properties import identity_properties, properties
from .punctuation import PUNCT_STYLE_ID, SHARED_PUNCTUATION, shared_punctuation_fonts
from .styles import Styles, fit_masthead
from .template import (
    DEFAULT_TEMPLATE,
    TEMPLATE_DIR,
    Anchors,
    apply_reference,
    context,
    open_template,
    refused_problem,
    template_problem,
    xml_safe_issue,
)


def write(issue: Issue, theme: Theme, dest: Path) -> list[Problem]:
    """Write ``issue`` as a Word file at ``dest``; return the problems (errors mean: discard ``dest``)."""
    template = issue.layout.docx_template or DEFAULT_TEMPLATE
    problems: list[Problem] = []
    issue = xml_safe_issue(issue, problems)
    tpl = open_template(template, issue, problems)
    if tpl is None:
        return problems
    anchors = Anchors()
    try:
        tpl.render(context(issue, anchors), jinja_env=sandbox.DocxSandbox(), autoescape=True)
    except sandbox.TemplateRefused as exc:
        return [*problems, refused_problem(template, issue, exc)]
    except TemplateError as exc:
        return [*problems, template_problem(Code.DOCX_TEMPLATE_ERROR, template, issue, str(exc))]
    doc = tpl.docx
    if issue.layout.reference_docx is not None:
        problem = apply_reference(doc, issue)
        if problem is not None:
            return [*problems, problem]
    body_anchor = anchors.find(doc.element.body, anchors.body)
    if body_anchor is None:
        return [*problems, template_problem(Code.DOCX_TEMPLATE_NO_BODY, template, issue)]
    styles = Styles(doc, theme, issue, problems)
    fit_masthead(doc, issue, theme, styles, problems)
    _fill(Builder(doc, theme, styles, problems, issue.source_path), issue, anchors, body_anchor)
    page_numbers(doc, issue.layout.page_numbers)
    oxml.set_do_not_expand_shift_return(doc.settings.element)
    shared_punctuation_fonts(doc)
    properties(doc, issue)
    identity_properties(doc, issue)
    buffer = io.BytesIO()  # a full disk then fails in one plain write, not inside python-docx's zip
    doc.save(buffer)
    dest.write_bytes(buffer.getvalue())
    return problems


def _fill(builder: Builder, issue: Issue, anchors: Anchors, body_anchor: etree._Element) -> None:
    """Put the issue's 编者按 and articles at ``{{ body }}``, the 版记 at ``{{ imprint }}`` (or after
    the articles when the template has no such place), then remove both placeholders."""
    imprint_anchor = anchors.find(builder.doc.element.body, anchors.imprint)
    builder.at(body_anchor)
    builder.issue_note(issue.editor_note)
    for index, article in enumerate(issue.articles):
        builder.article(article, index)
    if imprint_anchor is not None:
        builder.at(imprint_anchor)
    add_imprint(builder, issue.distribution)
    for anchor in (body_anchor, imprint_anchor):
        if anchor is not None:
            anchor.getparent().remove(anchor)


__all__ = [
    "DEFAULT_TEMPLATE",
    "EDITOR_NOTE_LABEL",
    "KEEP_WITH_SOURCE_LINES",
    "PUNCT_STYLE_ID",
    "RUN_IN_SUFFIX",
    "SHARED_PUNCTUATION",
    "TEMPLATE_DIR",
    "write",
]
