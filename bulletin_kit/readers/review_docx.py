"""Reader of a reviewed Word file: paragraphs (with tracked changes either way), revisions, comments.

Input: a .docx that bulletin-kit built and a reviewer edited in Word, WPS or LibreOffice. Output:
a :class:`Review` — every paragraph of the body in document order (table cells included) with its
style name, its text with the revisions accepted and with them rejected, its bold runs, pictures
and coloured words; each pending revision (author, inserted or deleted text, paragraph); the
comments with their replies and anchored paragraphs; the custom document properties.

Read with lxml from ``word/document.xml``, ``word/styles.xml``, ``word/comments.xml`` and
``word/commentsExtended.xml`` (reply threads, Word 2013+). Tracked changes as the three
programs write them: ``w:ins`` / ``w:del`` (with ``w:delText``) around runs, ``w:moveFrom`` /
``w:moveTo`` for moved text, ``w:ins`` / ``w:del`` in a paragraph mark's ``w:rPr`` for paragraphs
split or joined; ``w:rPrChange`` / ``w:pPrChange`` (formatting only) are counted, not applied.
The file is only read; entities and network access are off.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import identity

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MAX_PART_BYTES = 64 << 20
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

_INSERTED = {f"{{{W}}}ins", f"{{{W}}}moveTo"}
_DELETED = {f"{{{W}}}del", f"{{{W}}}moveFrom"}
_FORMAT_CHANGES = (f"{{{W}}}rPrChange", f"{{{W}}}pPrChange", f"{{{W}}}sectPrChange", f"{{{W}}}tblPrChange")
_OFF = {"0", "false", "off", "none"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Run:
    """A piece of a paragraph's text and how it was marked."""

    text: str
    bold: bool = False
    inserted: bool = False
    deleted: bool = False
    colour: str | None = None
    """Direct font colour (``w:color``, not auto/black) or highlight, as written."""
    marks: tuple[str, ...] = ()
    """Other direct character formatting the body text cannot hold: 斜体, 下划线, 删除线, 字号."""


@dataclass
class ReviewParagraph:
    """One paragraph of the reviewed body."""

    number: int
    """1-based position among the body's paragraphs (for messages)."""
    style: str
    """The style name (survives LibreOffice, which renames style ids)."""
    runs: list[Run] = field(default_factory=list)
    pictures: int = 0
    table: tuple[int, int, int] | None = None
    """(table number, row, column) for a paragraph in a table cell."""
    mark_inserted: bool = False
    """The paragraph mark is a tracked insertion: rejecting joins this paragraph with the next."""
    mark_deleted: bool = False
    """The paragraph mark is a tracked deletion: accepting joins this paragraph with the next."""
    comments: list[str] = field(default_factory=list)

    def text(self, accept: bool = True) -> str:
        """Return the text with the revisions accepted (``accept``) or rejected."""
        return "".join(r.text for r in self.runs if not (r.deleted if accept else r.inserted))

    def spans(self, accept: bool = True) -> list[tuple[str, bool]]:
        """Return (text, bold) pieces, neighbours of the same weight merged."""
        out: list[tuple[str, bool]] = []
        for r in self.runs:
            if (r.deleted if accept else r.inserted) or not r.text:
                continue
            if out and out[-1][1] == r.bold:
                out[-1] = (out[-1][0] + r.text, r.bold)
            else:
                out.append((r.text, r.bold))
        return out

    def marked(self, accept: bool = True) -> list[tuple[str, str]]:
        """Return (formatting, text) of the runs with direct formatting other than bold and colour."""
        return [
            (m, r.text)
            for r in self.runs
            if r.text and not (r.deleted if accept else r.inserted)
            for m in r.marks
        ]

    def coloured(self, accept: bool = True) -> list[str]:
        return [
            r.text for r in self.runs if r.colour and r.text and not (r.deleted if accept else r.inserted)
        ]


@dataclass
class Revision:
    """A pending tracked change."""

    kind: str
    """``ins``, ``del``, ``moveFrom``, ``moveTo``, or ``paragraph-ins`` / ``paragraph-del`` (a mark)."""
    author: str
    date: str
    text: str
    paragraph: int


@dataclass
class Comment:
    """A comment or a reply."""

    id: str
    author: str
    text: str
    paragraphs: list[int] = field(default_factory=list)
    anchored: str = ""
    parent: str | None = None
    """The id of the comment this one replies to."""


@dataclass
class Review:
    """A reviewed Word file as read."""

    paragraphs: list[ReviewParagraph]
    revisions: list[Revision]
    comments: list[Comment]
    format_changes: int
    properties: dict[str, str]
    tables: int


class ReviewError(ValueError):
    """The file is not a Word document that can be read."""


def _part(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ReviewError(f"{name} 过大")
    return etree.fromstring(zf.read(info), _PARSER)


def read(path: Path) -> Review:
    """Read the reviewed Word file at ``path``; raise :class:`ReviewError` when it is not one."""
    try:
        with zipfile.ZipFile(path) as zf:
            document = _part(zf, "word/document.xml")
            styles = _part(zf, "word/styles.xml")
            comments = _part(zf, "word/comments.xml")
            extended = _part(zf, "word/commentsExtended.xml")
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ReviewError(f"{type(exc).__name__}: {exc}") from exc
    if document is None:
        raise ReviewError("缺少 word/document.xml")
    body = document.find(w("body"))
    if body is None:
        raise ReviewError("缺少正文")
    names = _style_names(styles)
    default = names.get(None, "Normal")
    reader = _BodyReader(names, default)
    reader.walk(body)
    found = _comments(comments, extended, reader)
    return Review(
        paragraphs=reader.paragraphs,
        revisions=reader.revisions,
        comments=found,
        format_changes=sum(1 for tag in _FORMAT_CHANGES for _ in body.iter(tag)),
        properties=identity.read(path),
        tables=reader.table_count,
    )


def _style_names(styles: etree._Element | None) -> dict[str | None, str]:
    names: dict[str | None, str] = {}
    if styles is None:
        return names
    for style in styles.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        name = style.find(w("name"))
        if name is None:
            continue
        names[style.get(w("styleId"))] = name.get(w("val"), "")
        if style.get(w("default")) in ("1", "true"):
            names[None] = name.get(w("val"), "")
    return names


class _BodyReader:
    def __init__(self, names: dict[str | None, str], default: str) -> None:
        self.names = names
        self.default = default
        self.paragraphs: list[ReviewParagraph] = []
        self.revisions: list[Revision] = []
        self.table_count = 0
        self.open_comments: set[str] = set()
        self.comment_text: dict[str, list[str]] = {}

    def walk(self, parent: etree._Element, cell: tuple[int, int, int] | None = None) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, cell)
            elif tag == w("tbl"):
                self.table_count += 1
                number = self.table_count
                for r, tr in enumerate(child.iterchildren(w("tr"))):
                    for c, tc in enumerate(tr.iterchildren(w("tc"))):
                        self.walk(tc, (number, r, c))
            elif tag in (w("sdt"),):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.walk(content, cell)
            elif tag in (w("ins"), w("del"), w("moveTo"), w("moveFrom"), w("customXml")):
                self.walk(child, cell)

    def paragraph(self, p: etree._Element, cell: tuple[int, int, int] | None) -> None:
        ppr = p.find(w("pPr"))
        style_el = ppr.find(w("pStyle")) if ppr is not None else None
        style_id = style_el.get(w("val")) if style_el is not None else None
        para = ReviewParagraph(
            number=len(self.paragraphs) + 1,
            style=self.names.get(style_id, style_id or self.default) if style_id else self.default,
            table=cell,
        )
        mark = ppr.find(w("rPr")) if ppr is not None else None
        if mark is not None:
            for tag, kind in ((w("ins"), "paragraph-ins"), (w("del"), "paragraph-del")):
                found = mark.find(tag)
                if found is not None:
                    setattr(para, "mark_inserted" if kind == "paragraph-ins" else "mark_deleted", True)
                    self.revisions.append(
                        Revision(kind, found.get(w("author"), ""), found.get(w("date"), ""), "", para.number)
                    )
        self.paragraphs.append(para)
        for cid in self.open_comments:
            para.comments.append(cid)
        self.inline(p, para, inserted=False, deleted=False)

    def inline(self, parent: etree._Element, para: ReviewParagraph, *, inserted: bool, deleted: bool) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                self.run(child, para, inserted=inserted, deleted=deleted)
            elif tag in _INSERTED or tag in _DELETED:
                ins = tag in _INSERTED
                kind = etree.QName(child).localname
                before = len(para.runs)
                self.inline(child, para, inserted=inserted or ins, deleted=deleted or not ins)
                text = "".join(r.text for r in para.runs[before:])
                if text:
                    self.revisions.append(
                        Revision(
                            kind, child.get(w("author"), ""), child.get(w("date"), ""), text, para.number
                        )
                    )
            elif tag == w("commentRangeStart"):
                cid = child.get(w("id"), "")
                self.open_comments.add(cid)
                if cid not in para.comments:
                    para.comments.append(cid)
            elif tag == w("commentRangeEnd"):
                self.open_comments.discard(child.get(w("id"), ""))
            elif tag in (
                w("hyperlink"),
                w("smartTag"),
                w("fldSimple"),
                w("customXml"),
                w("sdt"),
                w("sdtContent"),
            ):
                self.inline(child, para, inserted=inserted, deleted=deleted)
            if tag == w("r"):
                for cid in self.open_comments:
                    self.comment_text.setdefault(cid, []).append("".join(_texts(child, deleted=False)))

    def run(self, r: etree._Element, para: ReviewParagraph, *, inserted: bool, deleted: bool) -> None:
        rpr = r.find(w("rPr"))
        change = rpr.find(w("rPrChange")) if rpr is not None else None
        if change is not None:
            # a formatting revision is ignored either way: the run keeps the formatting it had
            # before (LibreOffice and Word write the new properties and the old ones inside)
            rpr = change.find(w("rPr"))
        bold = _flag(rpr, "b")
        # the old properties of a formatting revision may hold what the style gave (LibreOffice's
        # "Office Open XML Text" writes the style's size there): only the weight is taken from them
        colour = _colour(rpr) if change is None else None
        marks = _marks(rpr) if change is None else ()
        for ref in r.iter(w("commentReference")):
            cid = ref.get(w("id"), "")
            if cid not in para.comments:
                para.comments.append(cid)
        para.pictures += sum(1 for _ in r.iter(w("drawing"))) + sum(1 for _ in r.iter(w("pict")))
        text = "".join(_texts(r, deleted=deleted))
        if text:
            para.runs.append(
                Run(text, bold=bold, inserted=inserted, deleted=deleted, colour=colour, marks=marks)
            )


def _texts(r: etree._Element, *, deleted: bool) -> list[str]:
    out: list[str] = []
    for el in r.iter():
        tag = el.tag
        if tag == w("t") or (deleted and tag == w("delText")):
            out.append(el.text or "")
        elif tag == w("tab"):
            out.append("\t")
        elif tag in (w("br"), w("cr")):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
    return out


def _flag(rpr: etree._Element | None, name: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(w(name))
    return el is not None and el.get(w("val"), "true").lower() not in _OFF


def _marks(rpr: etree._Element | None) -> tuple[str, ...]:
    if rpr is None:
        return ()
    out = [
        name for tag, name in (("i", "斜体"), ("strike", "删除线"), ("dstrike", "删除线")) if _flag(rpr, tag)
    ]
    underline = rpr.find(w("u"))
    if underline is not None and (underline.get(w("val")) or "single").lower() != "none":
        out.append("下划线")
    if rpr.find(w("sz")) is not None:
        out.append("字号")
    return tuple(dict.fromkeys(out))


def _colour(rpr: etree._Element | None) -> str | None:
    if rpr is None:
        return None
    color = rpr.find(w("color"))
    if color is not None:
        val = (color.get(w("val")) or "").lower()
        if val and val not in ("auto", "000000"):
            return val
    highlight = rpr.find(w("highlight"))
    if highlight is not None and (highlight.get(w("val")) or "none").lower() != "none":
        return "highlight:" + str(highlight.get(w("val"), ""))
    shd = rpr.find(w("shd"))
    if shd is not None and (shd.get(w("fill")) or "auto").lower() not in ("auto", "ffffff"):
        return "shading:" + str(shd.get(w("fill"), ""))
    return None


def _comments(
    root: etree._Element | None, extended: etree._Element | None, reader: _BodyReader
) -> list[Comment]:
    if root is None:
        return []
    by_para_id: dict[str, str] = {}
    out: list[Comment] = []
    for c in root.iter(w("comment")):
        cid = c.get(w("id"), "")
        paras = list(c.iter(w("p")))
        text = "\n".join("".join(_texts(p, deleted=False)) for p in paras).strip()
        for p in paras:
            para_id = p.get(f"{{{W14}}}paraId")
            if para_id:
                by_para_id[para_id] = cid
        anchored = [p.number for p in reader.paragraphs if cid in p.comments]
        out.append(
            Comment(
                id=cid,
                author=c.get(w("author"), ""),
                text=text,
                paragraphs=anchored,
                anchored="".join(reader.comment_text.get(cid, [])),
            )
        )
    if extended is not None:
        parents: dict[str, str] = {}
        for ex in extended.iter(f"{{{W15}}}commentEx"):
            child = by_para_id.get(ex.get(f"{{{W15}}}paraId", ""))
            parent = by_para_id.get(ex.get(f"{{{W15}}}paraIdParent", ""))
            if child and parent:
                parents[child] = parent
        by_id = {c.id: c for c in out}
        for c in out:
            c.parent = parents.get(c.id)
            if c.parent in by_id and not c.paragraphs:
                c.paragraphs = by_id[c.parent].paragraphs
                c.anchored = c.anchored or by_id[c.parent].anchored
    return out
