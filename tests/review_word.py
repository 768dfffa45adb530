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
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DATE = "2026-11-28T09:30:00Z"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(text: str, *, deleted: bool = False, rpr: etree._Element | None = None) -> etree._Element:
    r = etree.Element(w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = etree.SubElement(r, w("delText") if deleted else w("t"))
    t.text = text
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
        return "".join(t.text or "" for t in p.iter(w("t")))

    def find(self, start: str, nth: int = 0) -> etree._Element:
        found = [p for p in self.paragraphs() if self.text(p).startswith(start)]
        assert len(found) > nth, f"no paragraph starting {start!r}"
        return found[nth]

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
        ppr = new.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            new.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._mark("ins", author))

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
