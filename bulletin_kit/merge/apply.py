"""Applying the changes: new field values from the aligned paragraphs; the issue file edited and read back.

Input: the issue (raw and transformed), the aligned paragraphs. Output: the changes in the
:class:`~.report.MergeResult`, the edited issue text (:mod:`bulletin_kit.yaml_edit`), and the file
written only when it reads back as the reviewed text (:func:`write_checked`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import outputs, transforms
from ..messages import Code
from ..model import (
    Article,
    Block,
    Distribution,
    DistributionLine,
    Heading,
    Image,
    Issue,
    Paragraph,
    Span,
    Table,
)
from ..problems import Level, Problem, errors
from ..readers import body_text, issue_yaml
from ..readers.yaml_source import read_text
from ..theme import Theme
from ..writers import issue_yaml as yaml_writer
from ..writers import printed
from ..yaml_edit import EditError, Editor, Value
from .paragraphs import EDITOR_NOTE_LABEL, Para, Ref
from .report import Change, MergeResult

_LINE_FIELDS = {"报": "report_to", "送": "send_to", "发": "distribute_to", "本期增发": "extra"}


class Plan:
    """The new values of the issue file's fields, built from the aligned paragraphs."""

    def __init__(self, raw: Issue, issue: Issue, theme: Theme, reviewed: Path, result: MergeResult) -> None:
        self.raw = raw
        self.issue = issue
        self.theme = theme
        self.reviewed = reviewed
        self.result = result
        self.fields: dict[tuple[int, str], Value] = {}
        self.slots: dict[int, list[_Slot]] = {}
        self.folder = raw.source_path.parent if raw.source_path else Path(".")
        self.toc: dict[int, list[str]] = {}
        self.notes: dict[int, list[str]] = {}
        self.issue_note: list[str] | None = None
        self.distribution: dict[str, Value] = {}

    # -- problems

    def problem(self, code: Code, para: Para, level: Level = Level.ERROR, **args: object) -> None:
        """Record a problem about reviewed paragraph ``para`` (its number in the reviewed file, 0 if none)."""
        number = para.numbers[0] if para.numbers else 0
        self.result.problems.append(
            Problem(code, file=self.reviewed, level=level, args={"number": number, **args})
        )

    def unmapped(self, para: Para, what: str, where: str = "") -> None:
        self.problem(Code.MERGE_UNMAPPED, para, what=what, where=where)

    def format_ignored(self, para: Para, where: str, marks: list[tuple[str, str]]) -> None:
        """Note direct formatting the body text cannot hold (italic, underline, …): not written back."""
        what = "、".join(dict.fromkeys(m for m, _ in marks))
        self.problem(
            Code.MERGE_FORMAT_IGNORED, para, Level.WARNING, where=where, what=what, text=marks[0][1][:10]
        )

    def change(self, article: int | None, where: str, old: str, new: str) -> None:
        self.result.changes.append(Change(article, where, old, new))

    # -- the blocks of an article's body, in their new order

    def _slots(self, a: int) -> list[_Slot]:
        if a not in self.slots:
            self.slots[a] = [_Slot(b) for b in range(len(self.raw.articles[a].blocks))]
        return self.slots[a]

    def _slot_index(self, a: int, b: int) -> int:
        return next(k for k, s in enumerate(self._slots(a)) if s.original == b)

    def _replace(self, a: int, b: int, block: Block) -> None:
        slot = self._slots(a)[self._slot_index(a, b)]
        slot.block = block
        slot.chunk = yaml_writer.body_text([block], self.folder)

    def collect(
        self,
        old: list[Para],
        new: list[Para],
        pairs: list[tuple[int, int]],
        deleted: list[int],
        inserted: list[int],
    ) -> None:
        for i, j in pairs:
            self.edited(old[i], new[j])
        for i in deleted:
            self.deleted(old[i])
        # an inserted paragraph goes after the last mapped paragraph before it, in its article
        old_of_new = {j: i for i, j in pairs}
        added = set(inserted)
        position: tuple[int, int] | None = None  # (article, body slot to insert before)
        for j, para in enumerate(new):
            if j in old_of_new:
                position = self._position_after(old[old_of_new[j]].ref)
            elif j in added:
                position = self.inserted(para, position)

    def _position_after(self, ref: Ref | None) -> tuple[int, int] | None:
        if ref is None or ref.article is None:
            return None
        a = ref.article
        if ref.kind in ("block", "image", "caption", "cell", "news"):
            try:
                return a, self._slot_index(a, ref.index) + 1
            except StopIteration:
                return a, len(self._slots(a))
        if ref.kind == "source":
            return a, len(self._slots(a))
        return a, 0

    # -- one paragraph edited

    def edited(self, old: Para, new: Para) -> None:
        ref = old.ref
        assert ref is not None
        if new.pictures > old.pictures:
            self.unmapped(new, "粘贴的图片", ref.describe(self.issue))
        added_marks = [m for m in new.marked if m not in old.marked]
        if added_marks:
            self.format_ignored(new, ref.describe(self.issue), added_marks)
        added_colour = [t for t in new.coloured if t not in old.coloured]
        if added_colour:
            self.unmapped(new, f"改了字的颜色或底色（“{added_colour[0][:10]}”）", ref.describe(self.issue))
        if new.table and not old.table:
            self.unmapped(new, "新表格", ref.describe(self.issue))
        same_bold = _bold_of(old.spans) == _bold_of(new.spans)
        # a paragraph joined by a tracked mark has no one style (LibreOffice gives the next one the
        # deleted paragraph's style): only a paragraph of its own counts as restyled
        restyled = len(new.numbers) == 1 and self._key_of_style(new.style) != self._key_of_style(old.style)
        if new.text == old.text and (same_bold or ref.kind != "block"):
            where = ref.describe(self.issue)
            if restyled and not (
                ref.kind == "block" and self.block(_article_of(ref), ref.index, new, where, old.text)
            ):
                self.problem(
                    Code.MERGE_RESTYLED, new, Level.WARNING, where=where, old=old.style, new=new.style
                )
            return
        where = ref.describe(self.issue)
        a = ref.article
        kind = ref.kind
        if kind == "fixed":
            self.unmapped(new, "报头等模板文字（来自 series.yaml 或 Word 模板，不能写回本期文件）", where)
        elif kind == "title":
            self.title(_article_of(ref), new, where, old.text)
        elif kind in ("subtitle", "source", "kicker", "byline", "column"):
            self.scalar(_article_of(ref), kind, new.text, where, old.text)
        elif kind == "editor_note":
            self.note(a, ref.index, new.text, where, old.text)
        elif kind == "issue_note":
            self.note(None, ref.index, new.text, where, old.text)
        elif kind == "toc":
            self.toc_line(ref.index, new, where, old.text)
        elif kind == "block":
            self.block(_article_of(ref), ref.index, new, where, old.text)
        elif kind == "caption":
            self.caption(_article_of(ref), ref.index, new.text, where, old.text)
        elif kind == "cell":
            self.cell(_article_of(ref), ref, new.text, where, old.text)
        elif kind == "imprint":
            self.imprint(ref.field, new, where, old.text)
        else:
            self.unmapped(new, "这一段", where)

    def deleted(self, old: Para) -> None:
        ref = old.ref
        assert ref is not None
        where = ref.describe(self.issue)
        a = ref.article
        gone = Para(text="", style=old.style, numbers=())
        if ref.kind == "fixed" and not old.text.strip() and not old.pictures and not old.table:
            return  # an empty paragraph of the template (a spacer): nothing of the issue is lost
        if ref.kind in ("block", "image"):
            self._slots(_article_of(ref))[self._slot_index(_article_of(ref), ref.index)].deleted = True
            self.change(a, where, old.text or "（图片）", "（删除）")
        elif ref.kind == "caption":
            self.caption(_article_of(ref), ref.index, "", where, old.text)
        elif ref.kind in ("subtitle", "source", "kicker", "byline", "column"):
            self.fields[(_article_of(ref), ref.kind)] = None
            self.change(a, where, old.text, "（删除）")
        elif ref.kind in ("editor_note", "issue_note"):
            self.note(a, ref.index, "", where, old.text)
        elif ref.kind == "imprint" and ref.field in _LINE_FIELDS:
            self.distribution[_LINE_FIELDS[ref.field]] = ()
            self.change(None, where, old.text, "（删除）")
        else:
            self.unmapped(gone, f"删除了{where}“{old.text[:20]}”")

    def inserted(self, para: Para, position: tuple[int, int] | None) -> tuple[int, int] | None:
        if position is None:
            self.unmapped(para, f"新增的段落“{para.text[:20]}”不在任何文章中")
            return position
        if para.table:
            self.unmapped(para, "新表格或表格中新增的行", f"第{position[0] + 1}篇")
            return position
        if para.pictures:
            self.unmapped(para, "粘贴的图片", f"第{position[0] + 1}篇")
            return position
        if para.coloured:
            self.unmapped(para, f"改了字的颜色或底色（“{para.coloured[0][:10]}”）", f"第{position[0] + 1}篇")
        if para.marked:
            self.format_ignored(para, f"第{position[0] + 1}篇 新增段落", list(para.marked))
        key = self._key_of_style(para.style)
        if key in ("title", "kicker", "subtitle", "source", "byline", "column", "toc", "imprint"):
            self.unmapped(
                para, f"新增的{para.style}段落（新文章请在期刊文件中添加）", f"第{position[0] + 1}篇"
            )
            return position
        if not para.text.strip():
            return position
        a, k = position
        block = self._new_block(para, key)
        self._slots(a).insert(k, _Slot(None, block, yaml_writer.body_text([block], self.folder)))
        self.change(a, f"第{a + 1}篇 新增段落", "", para.text)
        return a, k + 1

    def _key_of_style(self, style: str) -> str:
        for key, s in self.theme.styles.items():
            if s.name == style:
                return key
        return "body"

    def _new_block(self, para: Para, key: str) -> Paragraph | Heading:
        spans = tuple(Span(text=t, bold=b) for t, b in para.spans if t) or (Span(text=para.text),)
        if key.startswith("heading") and key[-1].isdigit():
            level = int(key[-1])
            number = next(
                (
                    m.group(0)
                    for lvl, p in body_text.HEADING_PATTERNS
                    if lvl == level and (m := p.match(para.text))
                ),
                None,
            )
            return Heading(level=level, number=number, spans=(Span(text=para.text),))
        role = key if key in ("quote", "signature") else None  # 引文 / 落款 paragraphs keep their style
        label = body_text.LABEL.match(para.text)
        if label:
            rest = para.text[label.end() :]
            return Paragraph(spans=(Span(text=rest),), label=label.group(1), role=role)
        return Paragraph(spans=spans, role=role)

    # -- the kinds of element

    def title(self, a: int, new: Para, where: str, old_text: str) -> None:
        raw = self.raw.articles[a]
        printed_lines = printed.title_lines(self.issue.articles[a], self.theme)
        lines = [line for line in new.text.split("\n") if line.strip()]
        if not lines:
            self.unmapped(new, "标题被清空", where)
            return
        if len(raw.title) == 1 and len(printed_lines) == 2 and len(lines) == 2:
            value: tuple[str, ...] = ("\u3000".join(lines),)
        elif len(lines) > 2:
            self.unmapped(new, "标题超过两行", where)
            return
        else:
            value = tuple(lines)
        self.fields[(a, "title")] = value
        self.change(a, where, old_text.replace("\n", " / "), new.text.replace("\n", " / "))

    def scalar(self, a: int, key: str, text: str, where: str, old_text: str) -> None:
        value: str | None = text.strip()
        if key == "subtitle" and value and value.startswith("——"):
            raw = self.raw.articles[a].subtitle or ""
            value = value if raw.startswith("——") else value[2:]
        if key == "source" and value:
            value = value.strip("（）() \u3000")
        self.fields[(a, key)] = value or None
        self.change(a, where, old_text, text or "（删除）")

    def note(self, a: int | None, index: int, text: str, where: str, old_text: str) -> None:
        """An 编者按 paragraph of article ``a`` (None: the issue's own) edited or deleted."""
        if a is None:
            if self.issue_note is None:
                self.issue_note = printed.editor_note_paragraphs(self.issue.editor_note)
            paragraphs = self.issue_note
        else:
            paragraphs = self.notes.setdefault(
                a, printed.editor_note_paragraphs(self.issue.articles[a].editor_note)
            )
        if index == 0:
            text = text.removeprefix(EDITOR_NOTE_LABEL)
        paragraphs[index] = text
        if a is not None:
            self.fields[(a, "editor_note")] = _note_text(paragraphs)
        self.change(a, where, old_text, text or "（删除）")

    def toc_line(self, index: int, new: Para, where: str, old_text: str) -> None:
        if self.raw.toc:
            self.unmapped(new, "本期要目是在期刊文件的 toc 中整体写的，请直接修改那里", where)
            return
        k = index
        for a, art in enumerate(self.issue.articles):
            if k < len(art.toc):
                lines = self.toc.setdefault(a, list(art.toc))
                lines[k] = new.text.strip()
                self.change(a, where, old_text, new.text)
                return
            k -= len(art.toc)
        self.unmapped(new, "要目行", where)

    def block(self, a: int, b: int, new: Para, where: str, old_text: str) -> bool:
        """Write the edited body paragraph; return False when it comes out as it was (a change of
        style or weight that the body text cannot hold)."""
        original = self.raw.articles[a].blocks[b]
        key = self._key_of_style(new.style)
        if isinstance(original, Heading) and not key.startswith("heading"):
            key = f"heading{original.level}"
        block = self._new_block(new, key)
        if isinstance(original, Heading) and isinstance(block, Heading) and original.number is None:
            block = block.model_copy(update={"number": None})
        if new.text == old_text and yaml_writer.body_text([block], self.folder) == yaml_writer.body_text(
            [original], self.folder
        ):
            return False
        self._replace(a, b, block)
        self.change(a, where, old_text, new.text + _how(original, block))
        return True

    def caption(self, a: int, b: int, text: str, where: str, old_text: str) -> None:
        image = self.raw.articles[a].blocks[b]
        assert isinstance(image, Image)
        caption, credit = text, ""
        m = re.match(r"^(.*?)\u3000(\S+)\u3000摄$", text)
        if m:
            caption, credit = m.group(1), m.group(2)
        elif text.endswith("\u3000摄") or (text.endswith("摄") and image.credit and not image.caption):
            caption, credit = "", text.removesuffix("摄").strip("\u3000 ")
        block = image.model_copy(update={"caption": caption, "credit": credit})
        self._replace(a, b, block)
        self.change(a, where, old_text, text or "（删除）")

    def cell(self, a: int, ref: Ref, text: str, where: str, old_text: str) -> None:
        table = self.raw.articles[a].blocks[ref.index]
        assert isinstance(table, Table)
        slot = self._slots(a)[self._slot_index(a, ref.index)]
        current = slot.block if isinstance(slot.block, Table) else table
        width = max(len(r) for r in current.rows)
        rows = [list(r) + [""] * (width - len(r)) for r in current.rows]
        rows[ref.cell[0]][ref.cell[1]] = text
        block = current.model_copy(update={"rows": tuple(tuple(r) for r in rows)})
        self._replace(a, ref.index, block)
        self.change(a, where, old_text, text)

    def imprint(self, field_name: str, new: Para, where: str, old_text: str) -> None:
        text = new.text.strip()
        if field_name in _LINE_FIELDS:
            label = f"{field_name}："
            if not text.startswith(label):
                self.unmapped(new, f"版记行应以“{label}”开头", where)
                return
            names = tuple(n.strip() for n in re.split(r"[，、,]", text[len(label) :]) if n.strip())
            self.distribution[_LINE_FIELDS[field_name]] = names
        else:
            head, _, copies = text.partition("\t")
            found = dict(re.findall(r"(编辑|审核|签发)：\s*(.+?)(?=\s*(?:编辑|审核|签发)：|$)", head.strip()))
            for label, key in (("编辑", "editor"), ("审核", "reviewer"), ("签发", "approver")):
                name = found.get(label)
                old_name = getattr(self.issue.distribution, key)
                if (name or None) != (old_name or None):
                    if name is None:
                        self.unmapped(new, f"删除了版记中的“{label}”", where)
                        return
                    compact = re.sub(r"[\s\u3000]+", "", name)
                    self.distribution[key] = (
                        compact if transforms.pad_name(compact) == name.strip() else name.strip()
                    )
            m = re.search(r"共印\s*(\d+)\s*份", copies or head)
            new_copies = int(m.group(1)) if m else None
            if new_copies != self.issue.distribution.copies:
                if new_copies is None:
                    self.unmapped(new, "删除了版记中的“共印N份”", where)
                    return
                self.distribution["copies"] = str(new_copies)
        self.change(None, where, old_text.replace("\t", " "), new.text.replace("\t", " "))

    # -- writing

    def expected(self) -> _Expected:
        """Return what the edited file must read back as."""
        articles = list(self.raw.articles)
        for (a, key), value in self.fields.items():
            articles[a] = articles[a].model_copy(update={key: value})
        for a in self.toc:
            articles[a] = articles[a].model_copy(update={"toc": self.toc_value(a) or ()})
        for a in self.slots:
            articles[a] = articles[a].model_copy(update={"blocks": self._expected_blocks(a)})
        d = self.raw.distribution
        lines = {line.label: line.recipients for line in d.lines}
        scalars: dict[str, object] = {}
        for key, value in self.distribution.items():
            label = next((k for k, v in _LINE_FIELDS.items() if v == key), None)
            if label is not None:
                assert isinstance(value, tuple)  # a 报/送/发 line's names
                lines[label] = value
            else:
                scalars[key] = int(str(value)) if key == "copies" else value
        ordered = tuple(
            DistributionLine(label=label, recipients=lines[label])
            for label in _LINE_FIELDS
            if lines.get(label)
        )
        note = self.raw.editor_note if self.issue_note is None else _note_text(self.issue_note)
        return _Expected(articles, d.model_copy(update={"lines": ordered, **scalars}), note)

    def _expected_blocks(self, a: int) -> tuple[Block, ...]:
        out: list[Block] = []
        for slot in self._slots(a):
            if slot.deleted:
                continue
            if slot.block is None:
                assert slot.original is not None
                out.append(self.raw.articles[a].blocks[slot.original])
            else:
                out.extend(_parse_chunk(slot.chunk, self.raw))
        return tuple(out)

    def toc_value(self, a: int) -> tuple[str, ...] | None:
        """Return the article's new ``toc:`` (None when it is what the title gives anyway)."""
        lines = tuple(self.toc[a])
        raw = self.raw.articles[a]
        title = self.fields.get((a, "title"), raw.title)
        assert isinstance(title, tuple)
        if not raw.toc and lines == ("\u3000".join(title),):
            return None
        return lines

    def edit(self, into: Path) -> tuple[str | None, _Expected]:
        """Return the issue file's new text (None with a problem when it cannot be edited as text)
        and what it must read back as."""
        expected = self.expected()
        text, problems = read_text(into)
        if text is None:
            self.result.problems.extend(problems)
            return None, expected
        crlf = "\r\n" in text
        try:
            editor = Editor(text.replace("\r\n", "\n"))
            for (a, key), value in self.fields.items():
                if key == "title" and isinstance(value, tuple) and len(value) == 1:
                    editor.set_field(a, key, value[0])
                elif key == "editor_note":
                    long = isinstance(value, str) and ("\n" in value or len(value) > 40)
                    editor.set_field(a, key, value, block=long)
                else:
                    editor.set_field(a, key, value)
            for a in self.toc:
                editor.set_field(a, "toc", self.toc_value(a))
            for a in self.slots:
                editor.set_body(a, self.body(a))
            for key, value in self.distribution.items():
                editor.set_distribution(key, value)
            if self.issue_note is not None:
                note = _note_text(self.issue_note)
                long_note = note is not None and ("\n" in note or len(note) > 40)
                editor.set_top("editor_note", note, block=long_note)
            new_text = editor.result()
        except EditError as exc:
            self.result.problems.append(Problem(Code.MERGE_EDIT_FAILED, file=into, args={"detail": str(exc)}))
            return None, expected
        return (new_text.replace("\n", "\r\n") if crlf else new_text), expected

    def body(self, a: int) -> str:
        """Return the new body of article ``a``: untouched blocks as typed, changed ones as written."""
        typed = _typed_chunks(self.raw, a)
        parts: list[str] = []
        for slot in self._slots(a):
            if slot.deleted:
                continue
            if slot.block is not None:
                parts.append(slot.chunk)
                continue
            assert slot.original is not None
            block = self.raw.articles[a].blocks[slot.original]
            parts.append(typed[slot.original] if typed else yaml_writer.body_text([block], self.folder))
        return "\n\n".join(parts) + "\n"


def _article_of(ref: Ref) -> int:
    """Return the article of an element that belongs to one (title, body block, caption, cell …)."""
    assert ref.article is not None, ref
    return ref.article


def _note_text(paragraphs: list[str]) -> str | None:
    return "\n\n".join(p for p in paragraphs if p.strip()) or None


@dataclass
class _Expected:
    """What the edited issue file must read back as."""

    articles: list[Article]
    distribution: Distribution
    editor_note: str | None


@dataclass
class _Slot:
    """A block of an article's new body: an original one (``original``), changed when ``block`` is
    set (written as ``chunk``), or a new one (``original`` None)."""

    original: int | None
    block: Block | None = None
    chunk: str = ""
    deleted: bool = False


def _how(original: Block, block: Block) -> str:
    """Return what changed besides the text, for the change list: （改为小标题）, （加粗“……”）."""
    if isinstance(block, Heading) and not isinstance(original, Heading):
        return "（改为小标题）"
    if isinstance(block, Heading) and isinstance(original, Heading) and block.level != original.level:
        return f"（改为{block.level}级小标题）"
    if isinstance(block, Paragraph) and isinstance(original, Paragraph):
        bold = [sp.text for sp in block.spans if sp.bold and sp.text.strip()]
        before = [sp.text for sp in original.spans if sp.bold and sp.text.strip()]
        if bold != before:
            return "（加粗" + "、".join(f"“{t}”" for t in bold) + "）" if bold else "（取消加粗）"
    return ""


def _bold_of(spans: tuple[tuple[str, bool], ...]) -> tuple[str, ...]:
    return tuple(t for t, b in spans if b and t.strip())


def _parse_chunk(chunk: str, raw: Issue) -> list[Block]:
    folder = raw.source_path.parent if raw.source_path else None
    source = body_text.BodySource(file=raw.source_path, first_line=1, field="body", base_dir=folder)
    blocks, _ = body_text.parse(chunk, source)
    return list(blocks)


def _typed_chunks(raw: Issue, a: int) -> list[str] | None:
    """Return the body of article ``a`` as typed, cut into one piece per block (None when the
    blocks do not start on lines of their own)."""
    path = raw.source_path
    if path is None:
        return None
    from ..readers.yaml_source import load

    doc, _ = load(path)
    if doc is None:
        return None
    articles = doc.data.get("articles") if isinstance(doc.data, dict) else None
    if not isinstance(articles, list) or a >= len(articles) or not isinstance(articles[a], dict):
        return None
    body = articles[a].get("body")
    if not isinstance(body, str):
        return None
    source = body_text.BodySource(file=path, first_line=1, field="body", base_dir=path.parent)
    located, _ = body_text.parse_located(body, source)
    starts = [line for _, line in located]
    if len(set(starts)) != len(starts) or len(located) != len(raw.articles[a].blocks):
        return None
    lines = body.split("\n")
    chunks = []
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(lines)
        chunks.append("\n".join(lines[start - 1 : end]).strip("\n"))
    return chunks


def write_checked(into: Path, new_text: str, expected: _Expected, result: MergeResult) -> bool:
    """Write ``new_text`` to ``into`` only if it reads back as ``expected`` (the articles and the 版记)."""

    class _Refused(Exception):
        pass

    def write(tmp: Path) -> None:
        tmp.write_text(new_text, encoding="utf-8", newline="")
        after, found = issue_yaml.load(tmp)
        if after is None or errors(found):
            raise _Refused("；".join(p.message for p in errors(found))[:200] or "无法读取")
        got = [yaml_writer.canonical(x) for x in after.articles]
        want = [yaml_writer.canonical(x) for x in expected.articles]
        if after.distribution != expected.distribution:
            raise _Refused("版记读回的内容与审阅稿不一致")
        if after.editor_note != expected.editor_note:
            raise _Refused("本期编者按读回的内容与审阅稿不一致")
        if got != want:
            bad = next((k for k, (g, w) in enumerate(zip(got, want, strict=False)) if g != w), len(want))
            raise _Refused(f"第{bad + 1}篇读回的内容与审阅稿不一致")

    try:
        outputs.atomic_write(into, write)
    except _Refused as exc:
        result.problems.append(Problem(Code.MERGE_REFUSED, file=into, args={"detail": str(exc)}))
        return False
    return True
