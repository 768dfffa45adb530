"""Stage 1 of the Word writer: the template opened, its placeholders rendered with the 报头 and 要目.

Input: the Word template (``issue.layout.docx_template`` or ``templates/bulletin.docx``) and the issue.
Output: the :class:`~docxtpl.DocxTemplate` and its context, every value escaped so that it renders
literally (:func:`context`); the unique :class:`Anchors` that mark the ``{{ body }}`` and
``{{ imprint }}`` paragraphs; problems for a missing, broken or refused template.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from ... import numerals, transforms
from ...messages import Code
from ...model import Issue
from ...problems import Level, Problem
from .. import printed, sandbox
from . import reference

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates"
DEFAULT_TEMPLATE = TEMPLATE_DIR / "bulletin.docx"


def open_template(template: Path, issue: Issue, problems: list[Problem]) -> DocxTemplate | None:
    """Return the loaded template, or None with an error in ``problems``."""
    if not template.is_file():
        problems.append(
            Problem(
                Code.DOCX_TEMPLATE_MISSING,
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
            template_problem(Code.DOCX_TEMPLATE_BAD, template, issue, f"{type(exc).__name__}: {exc}")
        )
        return None
    return tpl


def refused_problem(template: Path, issue: Issue, exc: sandbox.TemplateRefused) -> Problem:
    return Problem(
        Code.DOCX_TEMPLATE_REFUSED,
        file=issue.source_path,
        path="layout.docx_template",
        args={"path": template.name, "tag": exc.tag, "reason": exc.reason},
    )


def apply_reference(doc: Document, issue: Issue) -> Problem | None:
    """Let the styles of the series' reference .docx win (:mod:`.reference`); return an error, if any."""
    path = issue.layout.reference_docx
    assert path is not None
    try:
        reference.apply(doc, reference.reference_styles(path.read_bytes()))
    except (OSError, reference.BadReference) as exc:
        return Problem(
            Code.DOCX_REFERENCE_BAD,
            file=issue.source_path,
            path="layout.reference_docx",
            args={"path": str(path), "detail": str(exc)},
        )
    return None


def template_problem(code: Code, template: Path, issue: Issue, detail: str = "") -> Problem:
    return Problem(
        code,
        file=issue.source_path,
        path="layout.docx_template",
        args={"path": str(template), "detail": detail},
    )


@dataclass(frozen=True)
class Anchors:
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


def context(issue: Issue, anchors: Anchors) -> dict[str, object]:
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


def xml_safe_issue(issue: Issue, problems: list[Problem]) -> Issue:
    cleaned, count = transforms.scrub(issue.model_dump(), _XML_ILLEGAL)
    if not count:
        return issue
    problems.append(
        Problem(Code.BODY_CONTROL_CHARS, file=issue.source_path, level=Level.WARNING, args={"n": count})
    )
    return Issue.model_validate(cleaned)
