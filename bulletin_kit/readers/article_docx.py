"""Reader: a contributed Word file (.docx) -> articles of the document model.

Input: the path of a ``.docx``. Output: :class:`~.contrib.Imported` (articles, pictures to save
beside the issue file, problems).

Two stages, as pandoc's Docx reader (``Readers/Docx/Parse.hs`` then ``Readers/Docx.hs``):
:func:`parse` opens the package with python-docx and walks ``word/document.xml`` in order into
the records of :mod:`.contrib` — :class:`~.contrib.RawParagraph` (runs with their effective
bold; the style, outline level, alignment and font size as hints), :class:`~.contrib.RawImage`
(the picture's bytes) and :class:`~.contrib.RawTable`; then :func:`.contrib.structure` turns
them into articles, exactly as for a text file. Messages give the paragraph number as the line.

Supported: runs bold by direct formatting or by style; line breaks (a break in a title makes a
two-line title); tabs; hyperlinks, fields (their shown result), content controls; tracked
insertions (deletions are skipped); text boxes; Word's automatic numbering (一、 （一） 1. …,
written out as text); inline, floating and VML pictures; tables (a merged cell once); the styles
Title, Subtitle, Heading 1–4, Caption and their Chinese names (标题, 副标题, 标题 1, 题注, 一级标题).
Not read: headers and footers, footnotes, comments, charts, SmartArt, equations.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from .. import safe_io
from ..messages import Code
from ..model import Span
from ..numerals import chinese_number
from ..problems import Level, Problem
from .contrib import Hint, Imported, RawBlock, RawImage, RawParagraph, RawTable, read_with

MAX_BYTES = 50 * 1024 * 1024
"""A contribution with pictures can be large, but not larger than this."""

MAX_MEMBER_BYTES = 100 * 1024 * 1024
"""Uncompressed size of one part (document.xml of a 300-page report: ~10 MB; a photo: ~20 MB)."""
MAX_TOTAL_BYTES = 300 * 1024 * 1024
"""Uncompressed size of all parts together."""
MAX_RATIO = 200
"""Compression ratio of a part larger than 1 MB (Word's XML compresses ~10:1, photos ~1:1)."""


def _zip_bomb(path: Path) -> Problem | None:
    """Return a problem when a part of the .docx would inflate too far (read from the zip directory,
    before anything is decompressed), or None. Not a zip: None, python-docx says so."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES
        if too_big or (info.file_size > 1 << 20 and ratio > MAX_RATIO):
            return Problem(
                Code.IMPORT_ZIP_BOMB,
                file=path,
                args={
                    "member": info.filename,
                    "size_mb": info.file_size / 1048576,
                    "ratio": ratio,
                    "limit_mb": MAX_MEMBER_BYTES >> 20,
                    "total_mb": MAX_TOTAL_BYTES >> 20,
                    "limit_ratio": MAX_RATIO,
                },
            )
    return None


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VML_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_NOT_OWN = {qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK, qn("w:txbxContent"), qn("w:p")}
"""Ancestors (below the paragraph) whose runs are not the paragraph's own text."""
_OFF = {"0", "false", "off", "none"}
_EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/bmp": ".bmp"}


def read(path: Path, image_dir: Path | None = None) -> Imported:
    """Read ``path`` and structure it into articles; pictures go to ``image_dir`` (the issue folder)."""
    return read_with(parse, path, image_dir)


def parse(path: Path) -> tuple[list[RawBlock] | None, list[Problem]]:
    """Return the raw blocks of the Word file ``path`` (None when it cannot be read) and the problems."""
    try:
        size = safe_io.check_regular(path).st_size
    except safe_io.NotRegular as exc:
        return None, [Problem(Code.FILE_NOT_REGULAR, file=path, args={"kind": exc.kind})]
    except OSError:
        return None, [Problem(Code.FILE_MISSING, file=path)]
    if size > MAX_BYTES:
        return None, [
            Problem(Code.IMPORT_TOO_LARGE, file=path, args={"size_mb": size / 1048576, "limit_mb": 50})
        ]
    bomb = _zip_bomb(path)
    if bomb is not None:
        return None, [bomb]
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return None, [Problem(Code.IMPORT_READ_FAILED, file=path, args={"detail": type(exc).__name__})]
    walker = _Walker(document, path)
    walker.container(document.element.body)
    return walker.blocks, walker.problems


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    ppr: etree._Element | None
    rpr: etree._Element | None


def _on(element: etree._Element | None) -> bool | None:
    """Return the value of a toggle property such as ``<w:b/>`` (None when absent)."""
    if element is None:
        return None
    return element.get(qn("w:val"), "true").lower() not in _OFF


class _Styles:
    """The paragraph and character styles of a document, looked up by id along ``basedOn``."""

    def __init__(self, document: DocxDocument) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        root = document.styles.element
        for style in root.findall(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            name = style.find(qn("w:name"))
            based = style.find(qn("w:basedOn"))
            self.by_id[sid] = _Style(
                name=(name.get(qn("w:val")) if name is not None else sid) or "",
                based_on=based.get(qn("w:val")) if based is not None else None,
                ppr=style.find(qn("w:pPr")),
                rpr=style.find(qn("w:rPr")),
            )
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_para = sid

    def chain(self, sid: str | None) -> list[_Style]:
        """Return the style ``sid`` and the styles it is based on, nearest first."""
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            out.append(self.by_id[sid])
            sid = self.by_id[sid].based_on
        return out

    def rpr_value(self, sid: str | None, tag: str) -> etree._Element | None:
        """Return the run property ``tag`` set by the style ``sid`` or a style it is based on."""
        for style in self.chain(sid):
            if style.rpr is not None and (found := style.rpr.find(tag)) is not None:
                return found
        return None

    def ppr_value(self, sid: str | None, tag: str) -> etree._Element | None:
        """Return the paragraph property ``tag`` set by the style ``sid`` or a style it is based on."""
        for style in self.chain(sid):
            if style.ppr is not None and (found := style.ppr.find(tag)) is not None:
                return found
        return None


_HEADING_NAME = re.compile(r"(?:heading|标题)\s*(\d)")
_LEVEL_NAME = re.compile(r"([一二三四])级标题")


def style_hint(name: str) -> tuple[Hint | None, int | None]:
    """Return what a paragraph style name marks (title, heading level …), e.g. ``heading 2`` -> heading 2."""
    n = name.strip().lower()
    if m := _HEADING_NAME.fullmatch(n):
        return "heading", int(m.group(1))
    if m := _LEVEL_NAME.fullmatch(n):
        return "heading", "一二三四".index(m.group(1)) + 1
    if n in ("title", "标题", "大标题", "主标题", "文章标题"):
        return "title", None
    if n in ("subtitle", "副标题", "副题"):
        return "subtitle", None
    if n in ("caption", "题注", "图注", "图片说明"):
        return "caption", None
    return None, None


# ---------------------------------------------------------------- automatic numbering

_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def format_number(n: int, fmt: str) -> str:
    """Return counter ``n`` in the Word number format ``fmt`` (``chineseCounting`` -> 一)."""
    if (
        fmt
        in (
            "chineseCounting",
            "chineseCountingThousand",
            "ideographDigital",
            "japaneseCounting",
            "taiwaneseCounting",
            "chineseLegalSimplified",
        )
        and 0 < n < 10000
    ):
        return chinese_number(n)
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 40:
        roman = "".join(r * c for r, c in zip(("x", "ix", "v", "iv", "i"), _roman_counts(n), strict=True))
        return roman if fmt == "lowerRoman" else roman.upper()
    return str(n)


def _roman_counts(n: int) -> tuple[int, ...]:
    counts = []
    for value in (10, 9, 5, 4, 1):
        counts.append(n // value)
        n %= value
    return tuple(counts)


class _Numbering:
    """Word's list numbering: renders the number a numbered paragraph shows (``%1、`` -> 一、)."""

    def __init__(self, document: DocxDocument) -> None:
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                self.levels[(aid, ilvl)] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    int(start.get(qn("w:val"), "1")) if start is not None else 1,
                )
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[num.get(qn("w:numId"))] = ref.get(qn("w:val"))

    def next(self, num_id: str, ilvl: int) -> str | None:
        """Return the number text of the next paragraph in list ``num_id`` at level ``ilvl``."""
        aid = self.abstract_of.get(num_id)
        if aid is None or (aid, ilvl) not in self.levels:
            return None
        fmt, text, _ = self.levels[(aid, ilvl)]
        if fmt in ("bullet", "none") or not text:
            return None
        counters = self.counters.setdefault(aid, [0] * 9)
        starts = [self.levels.get((aid, k), ("", "", 1))[2] for k in range(9)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else starts[ilvl]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        return re.sub(
            r"%([1-9])",
            lambda m: format_number(
                counters[int(m.group(1)) - 1] or starts[int(m.group(1)) - 1],
                self.levels.get((aid, int(m.group(1)) - 1), ("decimal", "", 1))[0],
            ),
            text,
        )


# ---------------------------------------------------------------- the walk


class _Walker:
    """Walks the body of a document, collecting raw blocks in order."""

    def __init__(self, document: DocxDocument, path: Path) -> None:
        self.document = document
        self.path = path
        self.styles = _Styles(document)
        self.numbering = _Numbering(document)
        self.blocks: list[RawBlock] = []
        self.problems: list[Problem] = []
        self.count = 0

    def container(self, element: etree._Element) -> None:
        """Walk the block children of ``element`` (the body, a content control, a text box)."""
        for child in element:
            if child.tag == qn("w:p"):
                self.count += 1
                self.paragraph(child, self.count)
            elif child.tag == qn("w:tbl"):
                self.count += 1
                self.table(child, self.count)
            elif child.tag in (qn("w:sdt"), qn("w:customXml")):
                content = child.find(qn("w:sdtContent"))
                self.container(content if content is not None else child)

    def paragraph(self, p: etree._Element, line: int) -> None:
        ppr = p.find(qn("w:pPr"))
        sid = _val(ppr, "w:pStyle") if ppr is not None else None
        sid = sid or self.styles.default_para
        hint, level = None, None
        for style in self.styles.chain(sid):
            hint, level = style_hint(style.name)
            if hint:
                break
        outline = _val(ppr, "w:outlineLvl") if ppr is not None else None
        if outline is None and (found := self.styles.ppr_value(sid, qn("w:outlineLvl"))) is not None:
            outline = found.get(qn("w:val"))
        if hint is None and outline is not None and outline.isdigit() and int(outline) < 4:
            hint, level = "heading", int(outline) + 1
        jc = _val(ppr, "w:jc") if ppr is not None else None
        if jc is None and (found := self.styles.ppr_value(sid, qn("w:jc"))) is not None:
            jc = found.get(qn("w:val"))
        number = self._number(ppr, sid, line)
        pieces = self._pieces(p, sid)
        if number:
            first_bold = next((s.bold for s in pieces if isinstance(s, Span) and s.text.strip()), False)
            pieces.insert(0, Span(text=number, bold=first_bold))
        sizes = [s for s in (self._size(r, sid) for r in self._own_runs(p)) if s]
        template = RawParagraph(
            (), line, hint=hint, level=level, rank=-max(sizes) if sizes else None, centered=jc == "center"
        )
        self._emit(pieces, template)
        for box in _text_boxes(p):
            self.container(box)

    def _emit(self, pieces: list[Span | RawImage], template: RawParagraph) -> None:
        """Add one paragraph: its text lines (the second and later ones soft) with pictures between."""
        spans: list[Span] = []
        text_out = False
        emitted = False

        def flush() -> None:
            nonlocal spans, text_out, emitted
            for part in _split_lines(spans):
                if part:
                    self.blocks.append(dataclasses.replace(template, spans=tuple(part), soft=text_out))
                    text_out = emitted = True
            spans = []

        for piece in pieces:
            if isinstance(piece, RawImage):
                flush()
                self.blocks.append(piece)
                text_out, emitted = False, True
            else:
                spans.append(piece)
        flush()
        if not emitted:  # an empty paragraph: kept so that the clean-up reports dropping it
            self.blocks.append(template)

    def _number(self, ppr: etree._Element | None, sid: str | None, line: int) -> str | None:
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            num_pr = self.styles.ppr_value(sid, qn("w:numPr"))
        if num_pr is None:
            return None
        num_id = _val(num_pr, "w:numId")
        ilvl = _val(num_pr, "w:ilvl") or "0"
        if not num_id or num_id == "0" or not ilvl.isdigit():
            return None
        number = self.numbering.next(num_id, int(ilvl))
        if number:
            self.problems.append(
                Problem(
                    Code.IMPORT_NUMBERING,
                    file=self.path,
                    line=line,
                    col=1,
                    level=Level.WARNING,
                    args={"number": number},
                )
            )
        return number

    def _own_runs(self, p: etree._Element) -> list[etree._Element]:
        return [r for r in p.iter(qn("w:r")) if _owned(r, p)]

    def _pieces(self, p: etree._Element, sid: str | None) -> list[Span | RawImage]:
        out: list[Span | RawImage] = []
        for r in self._own_runs(p):
            bold = self._bold(r, sid)
            for child in r:
                text = _run_child_text(child)
                if text:
                    out.append(Span(text=text, bold=bold))
                elif child.tag in (qn("w:drawing"), qn("w:pict"), qn("w:object")) or child.tag.endswith(
                    "}AlternateContent"
                ):
                    out.extend(self._pictures(child))
        return out

    def _bold(self, r: etree._Element, sid: str | None) -> bool:
        rpr = r.find(qn("w:rPr"))
        if rpr is not None:
            direct = _on(rpr.find(qn("w:b")))
            if direct is not None:
                return direct
            rstyle = _val(rpr, "w:rStyle")
            if rstyle and (found := _on(self.styles.rpr_value(rstyle, qn("w:b")))) is not None:
                return found
        return bool(_on(self.styles.rpr_value(sid, qn("w:b"))))

    def _size(self, r: etree._Element, sid: str | None) -> float | None:
        if not "".join(t.text or "" for t in r.findall(qn("w:t"))).strip():
            return None
        rpr = r.find(qn("w:rPr"))
        found = rpr.find(qn("w:sz")) if rpr is not None else None
        if found is None:
            found = self.styles.rpr_value(sid, qn("w:sz"))
        value = found.get(qn("w:val")) if found is not None else None
        return int(value) / 2 if value and value.isdigit() else None

    def _pictures(self, element: etree._Element) -> list[RawImage]:
        """Return the pictures under a run child (DrawingML blips, VML image data), Fallbacks skipped."""
        ids = [e.get(_R_EMBED) for e in element.iter(_BLIP) if _owned(e, element, {_MC_FALLBACK})]
        ids += [e.get(_R_ID) for e in element.iter(_VML_IMAGEDATA) if _owned(e, element, {_MC_FALLBACK})]
        out = []
        related = self.document.part.related_parts
        for rid in ids:
            part = related.get(rid) if rid else None
            if part is None:
                self.problems.append(
                    Problem(
                        Code.IMPORT_IMAGE_LINKED, file=self.path, line=self.count, col=1, level=Level.WARNING
                    )
                )
                continue
            ext = _EXT.get(part.content_type) or Path(str(part.partname)).suffix.lower() or ".bin"
            out.append(RawImage(data=part.blob, ext=ext, line=self.count))
        return out

    def table(self, tbl: etree._Element, line: int) -> None:
        rows: list[tuple[str, ...]] = []
        pictures: list[RawImage] = []
        for tr in tbl.iter(qn("w:tr")):
            if _nearest(tr, qn("w:tbl")) is not tbl:
                continue
            cells: list[str] = []
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span = int(_val(tcpr, "w:gridSpan") or "1") if tcpr is not None else 1
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                    cells += [""] * span
                    continue
                texts = []
                for p in tc.iter(qn("w:p")):
                    pieces = self._pieces(p, None)
                    texts.append("".join(s.text for s in pieces if isinstance(s, Span)))
                    pictures += [s for s in pieces if isinstance(s, RawImage)]
                cells.append("\n".join(t for t in texts if t.strip()))
                cells += [""] * (span - 1)
            rows.append(tuple(cells))
        if rows:
            self.blocks.append(RawTable(rows=tuple(rows), line=line))
        self.blocks.extend(pictures)


def _val(element: etree._Element | None, tag: str) -> str | None:
    if element is None:
        return None
    found = element.find(qn(tag))
    return found.get(qn("w:val")) if found is not None else None


def _owned(element: etree._Element, top: etree._Element, stop: set[str] = _NOT_OWN) -> bool:
    """Return True when no ancestor of ``element`` below ``top`` has a tag in ``stop``."""
    parent = element.getparent()
    while parent is not None and parent is not top:
        if parent.tag in stop:
            return False
        parent = parent.getparent()
    return True


def _nearest(element: etree._Element, tag: str) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def document_text(path: Path) -> str:
    """Return every ``w:t`` text of ``word/document.xml`` straight from the package (tracked
    deletions and compatibility fallbacks excepted, as the reader skips them), for the importer's
    check that nothing was lost: it must not rely on the reader's own walk."""
    skip = {qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"), parser)
    texts = []
    for t in root.iter(qn("w:t")):
        if not any(a.tag in skip for a in t.iterancestors()):
            texts.append("".join(t.itertext()))
    return "\n".join(texts)


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """Return the text boxes anchored in ``p`` (not those of a Fallback or of a nested text box)."""
    return [
        box
        for box in p.iter(qn("w:txbxContent"))
        if _owned(box, p, {_MC_FALLBACK, qn("w:txbxContent"), qn("w:del")})
    ]


def _run_child_text(child: etree._Element) -> str:
    """Return the text a run child stands for (``w:t``, tab, line break …)."""
    tag = child.tag
    if tag == qn("w:t"):
        return "".join(child.itertext())  # an entity reference (&x;) is kept as written, with what follows
    if tag in (qn("w:tab"), qn("w:ptab")):
        return "\t"
    if tag in (qn("w:br"), qn("w:cr")):
        return "" if child.get(qn("w:type")) in ("page", "column") else "\n"
    if tag == qn("w:noBreakHyphen"):
        return "-"
    if tag == qn("w:sym"):
        code = child.get(qn("w:char"), "")
        try:
            value = int(code, 16)
        except ValueError:
            return ""
        return "" if 0xF000 <= value <= 0xF0FF else chr(value)
    return ""


def _split_lines(spans: list[Span]) -> list[list[Span]]:
    """Return ``spans`` split at line breaks (``\\n``), one list of spans per line."""
    lines: list[list[Span]] = [[]]
    for span in spans:
        parts = span.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append(Span(text=part, bold=span.bold))
    return lines
