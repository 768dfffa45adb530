"""What a built Word file says about where it came from: the custom document properties.

Input: the issue (when building) or a .docx path (when merging or importing). Output: the
properties in ``docProps/custom.xml`` — which issue file, which state of it (a SHA-256 of the
document model the file was built from) and the bulletin-kit version — or those read back.

Custom document properties are the one place of a .docx that Word, WPS and LibreOffice all keep
on saving (File > Properties > Custom); bookmarks and content controls around paragraphs are lost
or duplicated when a reviewer splits, joins or retypes them, so paragraphs are mapped back by
aligning the text instead (:mod:`bulletin_kit.merge`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

from lxml import etree
from pydantic import BaseModel

from . import __version__
from .model import Issue

PROPERTY_ISSUE = "bulletin-kit.issue"
PROPERTY_PATH = "bulletin-kit.issue-path"
PROPERTY_STATE = "bulletin-kit.state"
PROPERTY_VERSION = "bulletin-kit.version"

CUSTOM_PART = "/docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MAX_BYTES = 1 << 20
"""custom.xml larger than this is not ours (a hostile file is not parsed)."""


def state(issue: Issue) -> str:
    """Return the SHA-256 of what ``issue`` prints (its model, picture paths relative to its folder).

    Fields at their default value are left out (``kind`` stays), so that a later bulletin-kit
    that adds a field with a default still recognises a Word file built by an earlier one."""
    text = json.dumps(_lean(issue), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if issue.source_path is not None:
        folder = json.dumps(str(issue.source_path.parent), ensure_ascii=False)[1:-1]
        text = text.replace(folder, "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lean(value: object) -> object:
    """Return ``value`` as JSON data without the fields that hold their default value."""
    if isinstance(value, BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if name == "source_path" or (
                name != "kind"
                and not info.is_required()
                and item == info.get_default(call_default_factory=True)
            ):
                continue
            out[name] = _lean(item)
        return out
    if isinstance(value, dict):
        return {str(k): _lean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lean(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def properties(issue: Issue) -> dict[str, str]:
    """Return the properties a Word file built from ``issue`` carries."""
    path = issue.source_path
    return {
        PROPERTY_ISSUE: path.name if path else "",
        PROPERTY_PATH: path.as_posix() if path else "",
        PROPERTY_STATE: state(issue),
        PROPERTY_VERSION: __version__,
    }


def custom_xml(values: dict[str, str]) -> bytes:
    """Return ``docProps/custom.xml`` holding ``values`` as text properties."""
    root = etree.Element(f"{{{_NS}}}Properties", nsmap={None: _NS, "vt": _VT})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, f"{{{_NS}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def read(path: Path) -> dict[str, str]:
    """Return the custom text properties of the .docx at ``path`` ({} when it has none or is unreadable)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(CUSTOM_PART.lstrip("/"))
            if info.file_size > MAX_BYTES:
                return {}
            return parse(zf.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return {}


def parse(data: bytes) -> dict[str, str]:
    """Return the text properties of a ``docProps/custom.xml`` ({} when it is not well-formed)."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return {}
    out: dict[str, str] = {}
    for prop in root.iter(f"{{{_NS}}}property"):
        name = prop.get("name")
        if name and len(prop):
            out[name] = "".join(prop[0].itertext())
    return out


def built_by_us(props: dict[str, str]) -> bool:
    """Return True when ``props`` (from :func:`read`) say bulletin-kit built the file."""
    return bool(props.get(PROPERTY_STATE))


MAX_COPIES = 200
"""How many other .docx files of an output folder are looked at for unmerged reviews."""


def review_copies(issue_path: Path, folder: Path, known: dict[str, str]) -> list[Path]:
    """Return the .docx files in ``folder``, other than the built ``<issue>.docx`` and the kept
    ``…修改稿-…`` files, that were built from ``issue_path`` (in any state: a second reviewer's file
    after the first one was merged counts too), saved again by an office program and not a file
    bulletin-kit wrote (``known``: the folder's manifest) — a review saved under another name, not
    yet merged."""
    try:
        candidates = sorted(p for p in folder.glob("*.docx") if p.is_file())[:MAX_COPIES]
    except OSError:
        return []
    own = f"{issue_path.stem}.docx"
    hashes = set(known.values())
    found: list[Path] = []
    for path in candidates:
        if path.name == own or ".修改稿-" in path.name or path.name.startswith((".", "~$")):
            continue
        props = read(path)
        if props.get(PROPERTY_ISSUE) != issue_path.name:
            continue
        if application(path) == APPLICATION:
            continue  # a copy nobody saved again (Word, WPS and LibreOffice write their own name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in hashes:
            found.append(path)
    return found


APPLICATION = "bulletin-kit"
"""What the Word writer puts in ``docProps/app.xml`` (an office program writes its own name on saving)."""
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def application(path: Path) -> str | None:
    """Return the program named in the .docx's ``docProps/app.xml`` (None when there is none)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/app.xml")
            if info.file_size > MAX_BYTES:
                return None
            root = etree.fromstring(zf.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, etree.XMLSyntaxError):
        return None
    found = root.find(f"{{{_EXTENDED}}}Application")
    return (found.text or "").strip() if found is not None else None
