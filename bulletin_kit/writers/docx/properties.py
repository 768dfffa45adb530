"""Document properties: title, author, company, dates (docProps), and the build identity (``bulletin merge``).

Input: the document and the issue. Output: docProps/core.xml, app.xml and custom.xml set.
"""

from __future__ import annotations

import datetime as dt

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from ... import identity, numerals
from ...model import Issue


def properties(doc: Document, issue: Issue) -> None:
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


def _set_company(doc: Document, company: str) -> None:
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


def identity_properties(doc: Document, issue: Issue) -> None:
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
