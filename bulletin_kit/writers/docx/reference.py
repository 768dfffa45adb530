"""A unit's reference .docx restyles the Word file (like pandoc's ``--reference-doc``).

Input: the written document (python-docx) and the bytes of ``layout.reference_docx``. Output: the
document's styles.xml changed in place: the reference's document defaults, and every reference style
whose *name* the document also has, replace the document's; the reference's other styles are added.
Styles keep the document's ids (the paragraphs point at them), and ``w:basedOn``/``w:next``/``w:link``
of the copied styles are mapped to the document's ids by name. Reads nothing but the bytes given.

So an office restyles a bulletin by editing styles in a copy of ``templates/bulletin.docx`` (or of any
.docx with the same style names, docs/docx-template.md) without touching the 报头 placeholders.
"""

from __future__ import annotations

import copy
import io
import zipfile

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from .. import oxml

_REFERENCES = ("basedOn", "next", "link")
_MAX_STYLES_XML = 20_000_000
"""Largest styles.xml read from a reference (a zip bomb stops here with an error)."""


class BadReference(ValueError):
    """The reference .docx cannot be used; the message says why."""


def reference_styles(data: bytes) -> etree._Element:
    """Return the parsed ``word/styles.xml`` of the .docx ``data``; raise :class:`BadReference`."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("word/styles.xml")
            if info.file_size > _MAX_STYLES_XML:
                raise BadReference("styles.xml too large")
            xml = z.read(info)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BadReference(f"{type(exc).__name__}: {exc}") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise BadReference(f"XMLSyntaxError: {exc}") from exc


def apply(doc: Document, reference: etree._Element) -> int:
    """Make the styles of ``reference`` win in ``doc``; return how many of its styles were replaced."""
    root = doc.styles.element
    ours = {_name(s): s for s in root.iter(qn("w:style")) if _name(s)}
    our_ids = {s.get(qn("w:styleId")) for s in root.iter(qn("w:style"))}
    theirs = [s for s in reference.iter(qn("w:style")) if _name(s)]
    ids: dict[str, str] = {}  # reference id -> id in doc
    for style in theirs:
        mine = ours.get(_name(style))
        if mine is not None and mine.get(qn("w:type")) == style.get(qn("w:type")):
            ids[style.get(qn("w:styleId"))] = mine.get(qn("w:styleId"))
        elif style.get(qn("w:styleId")) not in our_ids:
            ids[style.get(qn("w:styleId"))] = style.get(qn("w:styleId"))
    defaults = reference.find(qn("w:docDefaults"))
    if defaults is not None:
        old = root.find(qn("w:docDefaults"))
        if old is not None:
            old.addprevious(copy.deepcopy(defaults))
            root.remove(old)
    replaced = 0
    for style in theirs:
        target = ids.get(style.get(qn("w:styleId")))
        if target is None:
            continue  # same id, other name or type: left out rather than clash
        new = copy.deepcopy(style)
        new.set(qn("w:styleId"), target)
        for name in _REFERENCES:
            for ref in new.findall(qn(f"w:{name}")):
                mapped = ids.get(ref.get(qn("w:val")))
                if mapped is None:
                    new.remove(ref)
                else:
                    ref.set(qn("w:val"), mapped)
        mine = ours.get(_name(style))
        if mine is not None and mine.get(qn("w:styleId")) == target:
            if mine.get(qn("w:default")):
                new.set(qn("w:default"), mine.get(qn("w:default")))
            mine.addprevious(new)
            root.remove(mine)
            replaced += 1
        else:
            root.append(new)
    oxml.strip_theme_attributes(root)
    return replaced


def _name(style: etree._Element) -> str | None:
    name = style.find(qn("w:name"))
    return name.get(qn("w:val")) if name is not None else None
