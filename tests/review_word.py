"""Test helper: edit a built .docx the way a reviewer's Word does (lxml on the package parts).

Direct edits, tracked insertions / deletions / moves (``w:ins``, ``w:del`` + ``w:delText``,
``w:moveFrom`` / ``w:moveTo``), tracked paragraph marks, formatting revisions (``w:rPrChange``),
coloured words, pasted pictures, and comments with replies (``word/comments.xml`` with
``w14:paraId``, ``word/commentsExtended.xml`` with ``w15:paraIdParent``, the content types and
relationships Word writes for them).
"""

from __future__ import annotations

import copy
import itertools
import re
import zipfile
from pathlib import Path

from lxml import etree

SMALL_SERIES = """\
masthead:
  name: 测试开发区信息
  publisher: 测试开发区党政办公室
  marks: [内部刊物]
distribution:
  report_to: [委领导]
  distribute_to: [各有关部门, 各街道]
  editor: 张三
  approver: 李四
"""

SMALL_ISSUE = """\
# 第五期：三篇文章
issue_no: 5
total_no: 105
date: 2019-02-01

articles:

  # ---- 第1篇 ----
  - title: 春季植树活动圆满完成
    source: 农业农村局
    body: |
      三月以来，全区组织开展春季植树活动，共植树一万二千株。

      一、精心组织

      活动由各街道牵头，机关干部参加义务植树。

      二、强化管护

      植树完成后，各街道落实专人管护，确保成活率。

  # ---- 第2篇 ----
  - title: 优化营商环境　提升服务效能
    subtitle: 行政审批局推行“一窗受理”
    toc: 行政审批局推行“一窗受理”   # 要目中的写法
    source: 行政审批局
    body: |
      今年以来，行政审批局全面推行“一窗受理”，群众办事更加便捷。

      窗口平均等候时间由二十分钟缩短到八分钟。

  # ---- 第3篇 ----
  - title: 星海街道开展安全生产大检查
    source: 星海街道
    body: |
      近日，星海街道组织开展安全生产大检查，共排查企业四十家。

      对发现的隐患，街道当场督促整改。

  # ---- 第4篇 ----
  - title: 图说开发区
    editor_note: 本期选登一组数据。
    body: |
      ![滨海大道绿波带](photo.png "王五")

      | 项目 | 数量 |
      | --- | --- |
      | 路口 | 52 |

      # 滨海街道：绿波通行

      绿波带建成后，通行时间缩短**三成**。
"""


def build_small(root: Path) -> Path:
    """Write issues/ (series and 2019-5.yaml with a picture) under ``root`` and build output/2019-5.docx."""
    from PIL import Image as PILImage

    from bulletin_kit import pipeline

    (root / "issues").mkdir()
    (root / "issues" / "series.yaml").write_text(SMALL_SERIES, encoding="utf-8")
    (root / "issues" / "2019-5.yaml").write_text(SMALL_ISSUE, encoding="utf-8")
    PILImage.new("RGB", (300, 150), (0, 90, 200)).save(root / "issues" / "photo.png")
    result = pipeline.build(root / "issues" / "2019-5.yaml", root / "output", ("docx",))
    assert result.ok, [p.render() for p in result.problems]
    return root


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DATE = "2026-11-28T09:30:00Z"
SOURCE = "\n\t"
"""Before the （来源） line at the end of an article's last paragraph (bulletin_kit.merge.SOURCE_SEPARATOR)."""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(text: str, *, deleted: bool = False, rpr: etree._Element | None = None) -> etree._Element:
    r = etree.Element(w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    # line breaks and tabs as Word writes them (the source line ends its article's last paragraph)
    for k, piece in enumerate(re.split(r"([\n\t])", text)):
        if k % 2:
            etree.SubElement(r, w("br") if piece == "\n" else w("tab"))
        elif piece:
            t = etree.SubElement(r, w("delText") if deleted else w("t"))
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


class Word:
    """A .docx opened for editing; :meth:`save` writes it back (all other parts byte-identical)."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as zf:
            self.parts = {name: zf.read(name) for name in zf.namelist()}
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.ids = itertools.count(100)
        self.comments: list[etree._Element] = []
        self.replies: list[tuple[str, str | None]] = []

    # -- finding

    def paragraphs(self) -> list[etree._Element]:
        return list(self.doc.iter(w("p")))

    @staticmethod
    def text(p: etree._Element) -> str:
        marks = {w("br"): "\n", w("tab"): "\t"}
        found = (e for e in p.iter(w("t"), *marks) if e.getparent().tag == w("r"))  # not w:tabs/w:tab
        return "".join(e.text or "" if e.tag == w("t") else marks[e.tag] for e in found)

    def find(self, start: str, nth: int = 0) -> etree._Element:
        """Return the ``nth`` paragraph starting with ``start``, or whose source line does."""
        found = [
            p for p in self.paragraphs() if self.text(p).startswith(start) or SOURCE + start in self.text(p)
        ]
        assert len(found) > nth, f"no paragraph starting {start!r}"
        return found[nth]

    @staticmethod
    def _source_run(p: etree._Element) -> etree._Element | None:
        """Return the run of the source line (a break, a tab, the text) that ends an article's last
        paragraph as built, if ``p`` has one."""
        for r in p.iterchildren(w("r")):
            if r.find(w("br")) is not None and r.find(w("tab")) is not None:
                return r
        return None

    def _flatten(self, p: etree._Element) -> tuple[str, etree._Element | None]:
        """Return the paragraph's text and first run properties; remove its runs."""
        text = self.text(p)
        runs = [r for r in p if r.tag == w("r")]
        rpr = runs[0].find(w("rPr")) if runs else None
        rpr = copy.deepcopy(rpr) if rpr is not None else None
        for r in runs:
            p.remove(r)
        return text, rpr

    # -- direct edits (Track Changes off)

    def replace(self, p: etree._Element, old: str, new: str) -> None:
        text, rpr = self._flatten(p)
        assert old in text, (old, text)
        p.append(_run(text.replace(old, new, 1), rpr=rpr))

    def set_text(self, p: etree._Element, new: str) -> None:
        _text, rpr = self._flatten(p)
        p.append(_run(new, rpr=rpr))

    def delete(self, p: etree._Element) -> None:
        """Delete the paragraph; an article's last one loses its text, not its source line."""
        text = self.text(p)
        if SOURCE in text:
            self.set_text(p, SOURCE + text.rpartition(SOURCE)[2])
        else:
            p.getparent().remove(p)

    def insert_after(self, p: etree._Element, text: str) -> etree._Element:
        new = etree.Element(w("p"))
        ppr = p.find(w("pPr"))
        if ppr is not None:
            new.append(copy.deepcopy(ppr))
        runs = [r for r in p if r.tag == w("r")]
        rpr = runs[0].find(w("rPr")) if runs else None
        new.append(_run(text, rpr=rpr))
        p.addnext(new)
        return new

    def colour(self, p: etree._Element, word: str, val: str = "FF0000") -> None:
        text, rpr = self._flatten(p)
        before, _, after = text.partition(word)
        red = copy.deepcopy(rpr) if rpr is not None else etree.Element(w("rPr"))
        etree.SubElement(red, w("color")).set(w("val"), val)
        for piece, props in ((before, rpr), (word, red), (after, rpr)):
            if piece:
                p.append(_run(piece, rpr=props))

    # -- tracked changes

    def _mark(self, tag: str, author: str) -> etree._Element:
        el = etree.Element(w(tag))
        el.set(w("id"), str(next(self.ids)))
        el.set(w("author"), author)
        el.set(w("date"), DATE)
        return el

    def track(self, p: etree._Element, old: str, new: str, author: str = "审阅人") -> None:
        """Replace ``old`` by ``new`` as tracked changes (a deletion then an insertion)."""
        text, rpr = self._flatten(p)
        before, found, after = text.partition(old)
        assert found, (old, text)
        if before:
            p.append(_run(before, rpr=rpr))
        if old:
            d = self._mark("del", author)
            d.append(_run(old, deleted=True, rpr=rpr))
            p.append(d)
        if new:
            i = self._mark("ins", author)
            i.append(_run(new, rpr=rpr))
            p.append(i)
        if after:
            p.append(_run(after, rpr=rpr))

    def track_insert_paragraph(self, p: etree._Element, text: str, author: str = "审阅人") -> None:
        """A whole new paragraph after ``p``, typed with Track Changes on."""
        new = self.insert_after(p, text)
        run = new.find(w("r"))
        ins = self._mark("ins", author)
        run.addprevious(ins)
        ins.append(run)
        self._mark_paragraph(new, "ins", author)

    def _mark_paragraph(self, p: etree._Element, tag: str, author: str) -> None:
        """Mark the paragraph mark of ``p`` as a tracked insertion or deletion (w:pPr/w:rPr/w:ins|w:del)."""
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._mark(tag, author))

    def track_move(
        self, source: etree._Element, text: str, target: etree._Element, author: str = "审阅人"
    ) -> None:
        """Move ``text`` from the end of ``source`` to the end of ``target`` with Track Changes on."""
        full, rpr = self._flatten(source)
        assert full.endswith(text), (text, full)
        source.append(_run(full[: -len(text)], rpr=rpr))
        moved = self._mark("moveFrom", author)
        moved.append(_run(text, deleted=True, rpr=rpr))
        source.append(moved)
        to = self._mark("moveTo", author)
        to.append(_run(text, rpr=rpr))
        line = self._source_run(target)  # at the end of the text, before the source line
        if line is not None:
            line.addprevious(to)
        else:
            target.append(to)

    def track_join(self, p: etree._Element, author: str = "审阅人") -> None:
        """Delete the paragraph mark of ``p`` with Track Changes on (joins it with the next one)."""
        self._mark_paragraph(p, "del", author)

    def split(self, p: etree._Element, at: str) -> etree._Element:
        """Press Enter before ``at`` (Track Changes off): the rest becomes a new paragraph."""
        text = self.text(p)
        cut = text.index(at)
        self.set_text(p, text[:cut])
        return self.insert_after(p, text[cut:])

    def join(self, p: etree._Element) -> None:
        """Press Delete at the end of ``p`` (Track Changes off): the next paragraph joins it."""
        nxt = p.getnext()
        self.set_text(p, self.text(p) + self.text(nxt))
        nxt.getparent().remove(nxt)

    def paste_picture(self, p: etree._Element) -> None:
        """Paste a picture into ``p`` (an inline w:drawing run)."""
        run = etree.SubElement(p, w("r"))
        drawing = etree.SubElement(run, w("drawing"))
        etree.SubElement(
            drawing, "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"
        )

    def paste_table(self, p: etree._Element, rows: list[list[str]]) -> None:
        """Paste a new table after ``p``."""
        tbl = etree.Element(w("tbl"))
        etree.SubElement(tbl, w("tblPr"))
        etree.SubElement(tbl, w("tblGrid"))
        for row in rows:
            tr = etree.SubElement(tbl, w("tr"))
            for cell in row:
                tc = etree.SubElement(tr, w("tc"))
                etree.SubElement(tc, w("p")).append(_run(cell))
        p.addnext(tbl)

    def bold(self, p: etree._Element, word: str) -> None:
        """Make ``word`` bold with direct formatting."""
        text, rpr = self._flatten(p)
        before, _, after = text.partition(word)
        strong = copy.deepcopy(rpr) if rpr is not None else etree.Element(w("rPr"))
        etree.SubElement(strong, w("b"))
        for piece, props in ((before, rpr), (word, strong), (after, rpr)):
            if piece:
                p.append(_run(piece, rpr=props))

    def format_change(self, p: etree._Element, author: str = "审阅人") -> None:
        """Make the first run bold as a tracked formatting change (w:rPrChange)."""
        run = next(r for r in p.iter(w("r")))
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        old = copy.deepcopy(rpr)
        change = self._mark("rPrChange", author)
        change.append(old)
        etree.SubElement(rpr, w("b"))
        rpr.append(change)

    # -- comments

    def comment(self, p: etree._Element, text: str, author: str = "李主任", reply: str | None = None) -> None:
        """Anchor a comment on the whole paragraph ``p``; ``reply`` adds a reply by 编辑."""
        cid = str(len(self.comments))
        runs = [r for r in p if r.tag in (w("r"), w("ins"), w("del"))]
        line = self._source_run(p)  # the text, not the source line that ends an article
        if line is not None and runs.index(line) > 0:
            runs = runs[: runs.index(line)]
        start = etree.Element(w("commentRangeStart"))
        start.set(w("id"), cid)
        runs[0].addprevious(start)
        end = etree.Element(w("commentRangeEnd"))
        end.set(w("id"), cid)
        runs[-1].addnext(end)
        ref_run = etree.Element(w("r"))
        etree.SubElement(ref_run, w("commentReference")).set(w("id"), cid)
        end.addnext(ref_run)
        para_id = f"{int(cid) + 0x10:08X}"
        self.comments.append(self._comment_el(cid, author, text, para_id))
        self.replies.append((para_id, None))
        if reply is not None:
            rid = str(len(self.comments))
            rpara = f"{int(rid) + 0x10:08X}"
            self.comments.append(self._comment_el(rid, "编辑", reply, rpara))
            self.replies.append((rpara, para_id))
            for tag in ("commentRangeStart", "commentRangeEnd"):
                mark = etree.Element(w(tag))
                mark.set(w("id"), rid)
                (start if tag == "commentRangeStart" else end).addnext(mark)
            rr = etree.Element(w("r"))
            etree.SubElement(rr, w("commentReference")).set(w("id"), rid)
            ref_run.addnext(rr)

    def _comment_el(self, cid: str, author: str, text: str, para_id: str) -> etree._Element:
        c = etree.Element(w("comment"), nsmap={"w": W, "w14": W14})
        c.set(w("id"), cid)
        c.set(w("author"), author)
        c.set(w("date"), DATE)
        c.set(w("initials"), author[:1])
        cp = etree.SubElement(c, w("p"))
        cp.set(f"{{{W14}}}paraId", para_id)
        cp.append(_run(text))
        return c

    # -- saving

    def save(self, dest: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(
            self.doc, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if self.comments:
            root = etree.Element(w("comments"), nsmap={"w": W, "w14": W14})
            root.extend(self.comments)
            parts["word/comments.xml"] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            ext = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
            for para_id, parent in self.replies:
                ex = etree.SubElement(ext, f"{{{W15}}}commentEx")
                ex.set(f"{{{W15}}}paraId", para_id)
                if parent:
                    ex.set(f"{{{W15}}}paraIdParent", parent)
                ex.set(f"{{{W15}}}done", "0")
            parts["word/commentsExtended.xml"] = etree.tostring(
                ext, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            parts["[Content_Types].xml"] = self._content_types(parts["[Content_Types].xml"])
            parts["word/_rels/document.xml.rels"] = self._rels(parts["word/_rels/document.xml.rels"])
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
        return dest

    @staticmethod
    def _content_types(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for part, ct in (
            (
                "/word/comments.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
            ),
            (
                "/word/commentsExtended.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
            ),
        ):
            if not any(o.get("PartName") == part for o in root):
                etree.SubElement(root, f"{{{CT}}}Override", PartName=part, ContentType=ct)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @staticmethod
    def _rels(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for rid, target, kind in (
            (
                "rIdC1",
                "comments.xml",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
            ),
            (
                "rIdC2",
                "commentsExtended.xml",
                "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
            ),
        ):
            if not any(r.get("Target") == target for r in root):
                etree.SubElement(root, f"{{{PR}}}Relationship", Id=rid, Type=kind, Target=target)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
