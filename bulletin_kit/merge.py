"""``bulletin merge``: what reviewers changed in the Word file goes back into the issue file.

Input: a reviewed .docx built by bulletin-kit, the issue file (found from the file's custom
properties, :mod:`bulletin_kit.identity`, or given) and how to decide pending tracked changes.
Output: a :class:`MergeResult` — the changes per article (old -> new), the comments, the pending
revisions, the problems — and, unless something cannot be mapped, the issue file edited as text
(:mod:`bulletin_kit.yaml_edit`) and read back before it is written.

How paragraphs are mapped: the issue file as it is now is built again into a Word file in a
temporary folder (the state recorded in the reviewed file says whether that is the state it was
built from); each paragraph of that file is labelled with the element it came from (title, 副题,
body block, caption, table cell, 来源, 要目 line, 版记 line; the rest is template text such as
the 报头). The reviewed paragraphs are aligned to those with :class:`difflib.SequenceMatcher`
on their text; within a changed stretch, paragraphs are paired by similarity, so an edited
paragraph keeps its element, a split one becomes the edited paragraph plus an inserted one, and
joined ones an edited paragraph plus a deleted one. An inserted paragraph belongs to the article
it sits in.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import identity, outputs, transforms
from .messages import Code
from .model import (
    Article,
    Block,
    Box,
    Distribution,
    DistributionLine,
    Heading,
    Image,
    ImageGroup,
    Issue,
    Paragraph,
    Span,
    Table,
    plain,
)
from .problems import Level, Problem, errors
from .readers import body_text, issue_yaml, review_docx
from .readers.review_docx import Review, ReviewParagraph
from .readers.yaml_source import read_text
from .theme import Theme, get_theme
from .writers import issue_yaml as yaml_writer
from .writers import printed
from .yaml_edit import EditError, Editor

EDITOR_NOTE_LABEL = "编者按："  # as writers.docx prints it (not imported: that loads python-docx)
SIMILAR = 0.4
"""Least :meth:`difflib.SequenceMatcher.ratio` for a changed paragraph to keep its element."""
PAIR_WINDOW = 12
"""How many old paragraphs a changed one is compared with (keeps a rewritten issue fast)."""
SOURCE_SEPARATOR = "\n\t"
"""Between an article's last paragraph and its （来源） line in the Word file (a line break, a tab)."""
_LINE_FIELDS = {"报": "report_to", "送": "send_to", "发": "distribute_to", "本期增发": "extra"}


# --------------------------------------------------------------------------- elements


@dataclass(frozen=True)
class Ref:
    """The element a paragraph of the built file came from."""

    kind: str
    """fixed (template text), toc, issue_note, column, editor_note, kicker, title, subtitle, byline,
    block, image, caption, cell, source, imprint."""
    article: int | None = None
    index: int = 0
    cell: tuple[int, int] = (0, 0)
    field: str = ""

    def describe(self, issue: Issue) -> str:
        """Return where this is, in Chinese: 第2篇 标题, 第1篇 正文第3段, 本期要目第4行, 版记……"""
        names = {
            "fixed": "报头或模板文字",
            "issue_note": "本期编者按",
            "column": "专栏",
            "editor_note": "编者按",
            "kicker": "引题",
            "title": "标题",
            "subtitle": "副题",
            "byline": "署名",
            "source": "来源",
            "image": "图片",
            "caption": "图注",
            "news": "看点框或并排图片",
        }
        if self.kind == "toc":
            return f"本期要目第{self.index + 1}行"
        if self.kind == "imprint":
            return "版记"
        head = f"第{self.article + 1}篇 " if self.article is not None else ""
        if self.kind == "block":
            return f"{head}正文第{self.index + 1}段"
        if self.kind == "cell":
            return f"{head}正文第{self.index + 1}段（表格第{self.cell[0] + 1}行第{self.cell[1] + 1}列）"
        return head + names.get(self.kind, self.kind)


@dataclass
class Para:
    """A paragraph as compared: from the built file (with its element) or from the reviewed one."""

    text: str
    style: str
    spans: tuple[tuple[str, bool], ...] = ()
    pictures: int = 0
    coloured: tuple[str, ...] = ()
    marked: tuple[tuple[str, str], ...] = ()
    """(斜体/下划线/删除线/字号, text): direct formatting that is not written back."""
    table: bool = False
    numbers: tuple[int, ...] = ()
    """The reviewed file's paragraph numbers (several when tracked changes join paragraphs)."""
    ref: Ref | None = None


def _model_elements(issue: Issue, theme: Theme) -> list[tuple[Ref, str, str]]:
    """Return (element, text, what) in the order the Word writer puts them; ``what`` is
    ``image``/``cell``/``imprint`` for paragraphs that must be a picture / a table cell / a cell of the
    版记 table."""
    out: list[tuple[Ref, str, str]] = [(Ref("toc", index=k), line, "") for k, line in enumerate(issue.toc)]
    for k, text in enumerate(printed.editor_note_paragraphs(issue.editor_note)):
        out.append((Ref("issue_note", index=k), (EDITOR_NOTE_LABEL if k == 0 else "") + text, ""))
    for a, art in enumerate(issue.articles):
        if art.column:
            out.append((Ref("column", a), art.column, ""))
        for k, text in enumerate(printed.editor_note_paragraphs(art.editor_note)):
            out.append((Ref("editor_note", a, k), (EDITOR_NOTE_LABEL if k == 0 else "") + text, ""))
        if art.kicker:
            out.append((Ref("kicker", a), art.kicker, ""))
        out.append((Ref("title", a), "\n".join(printed.title_lines(art, theme)), ""))
        subtitle = printed.subtitle_text(art)
        if subtitle:
            out.append((Ref("subtitle", a), subtitle, ""))
        if art.byline:
            out.append((Ref("byline", a), art.byline, ""))
        for b, block in enumerate(art.blocks):
            if isinstance(block, Image):
                out.append((Ref("image", a, b), "", "image"))
                caption = printed.caption_text(block)
                if caption:
                    out.append((Ref("caption", a, b), caption, ""))
            elif isinstance(block, Table):
                width = max((len(r) for r in block.rows), default=0)
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate((*row, *[""] * (width - len(row)))):
                        out.append((Ref("cell", a, b, (r, c)), cell, "cell"))
            elif isinstance(block, Box | ImageGroup):
                out += _news_elements(Ref("news", a, b), block)
            else:
                out.append((Ref("block", a, b), _block_text(block), ""))
        source = printed.source_text(art)
        if source:
            out.append((Ref("source", a), source, ""))
    d = issue.distribution
    for line in d.lines:
        if line.recipients:
            out.append(
                (
                    Ref("imprint", field=line.label),
                    f"{line.label}：" + printed.distribution_names(line.recipients),
                    "imprint",
                )
            )
    signature, copies = printed.signature_text(d), printed.copies_text(d) or ""
    if signature or copies:
        out.append(
            (Ref("imprint", field="signature"), f"{signature}\t{copies}" if copies else signature, "imprint")
        )
    return out


def _news_elements(ref: Ref, block: Box | ImageGroup) -> list[tuple[Ref, str, str]]:
    """The paragraphs of a 【看点】 box or a row of pictures, as the Word writer puts them: edits to
    them are listed as not written back (edit those in the issue file)."""
    if isinstance(block, Box):
        lines = [f"【{block.label}】"] if block.label else []
        lines += [(f"【{p.label}】" if p.label else "") + plain(p.spans) for p in block.paragraphs]
        return [(ref, line, "") for line in lines]
    out: list[tuple[Ref, str, str]] = []
    for image in block.images:
        out.append((ref, "", "cell"))
        caption = printed.caption_text(image)
        if caption:
            out.append((ref, caption, "cell"))
    shared = printed.caption_text(block)
    return out + ([(ref, shared, "")] if shared else [])


def _block_text(block: Paragraph | Heading) -> str:
    if isinstance(block, Paragraph):
        return (f"【{block.label}】" if block.label else "") + plain(block.spans)
    return plain(block.spans) + plain(block.run_in)


def _norm(text: str) -> str:
    return text.replace("\r", "")


def _paras(review: Review, accept: bool, source_style: str = "") -> list[Para]:
    """Return the paragraphs of ``review`` with its tracked changes accepted or rejected: a paragraph
    whose mark is deleted (accepted) or inserted (rejected) is joined with the next one. An article's
    （来源） line written at the end of its last paragraph (see :func:`_split_source`) becomes a
    paragraph of its own in ``source_style``."""
    return [part for para in _joined_paras(review, accept) for part in _split_source(para, source_style)]


def _split_source(para: Para, source_style: str) -> list[Para]:
    """Split the Word writer's source line off ``para``: the text after its last line break and tab
    (``printed.source_joins_last_paragraph``). Files built before kept it as a paragraph of its own."""
    head, sep, tail = para.text.rpartition(SOURCE_SEPARATOR)
    if not sep or not tail.strip() or para.table or para.pictures or "\n" in tail:
        return [para]
    source = Para(text=tail, style=source_style or para.style, spans=((tail, False),), numbers=para.numbers)
    if not head.strip():  # the paragraph's text deleted, its source line kept
        return [source]
    spans: list[tuple[str, bool]] = []
    left = len(head)
    for text, bold in para.spans:
        piece = text[:left]
        if piece:
            spans.append((piece, bold))
        left -= len(piece)
    return [dataclasses.replace(para, text=head, spans=tuple(spans)), source]


def _joined_paras(review: Review, accept: bool) -> list[Para]:
    out: list[Para] = []
    pending: list[ReviewParagraph] = []
    for p in review.paragraphs:
        pending.append(p)
        joins = p.mark_deleted if accept else p.mark_inserted
        if joins and p is not review.paragraphs[-1]:
            continue
        spans: list[tuple[str, bool]] = []
        for q in pending:
            for text, bold in q.spans(accept):
                if spans and spans[-1][1] == bold:
                    spans[-1] = (spans[-1][0] + text, bold)
                else:
                    spans.append((text, bold))
        out.append(
            Para(
                text=_norm("".join(q.text(accept) for q in pending)),
                style=_joined_style(pending, accept),
                spans=tuple(spans),
                pictures=sum(q.pictures for q in pending),
                coloured=tuple(t for q in pending for t in q.coloured(accept)),
                marked=tuple(m for q in pending for m in q.marked(accept)),
                table=any(q.table is not None for q in pending),
                numbers=tuple(q.number for q in pending),
            )
        )
        pending = []
    return out


def _joined_style(pending: list[ReviewParagraph], accept: bool) -> str:
    """Return the style of paragraphs joined by a tracked paragraph mark: the first one that keeps
    some text (a paragraph deleted whole leaves the next one as it was)."""
    return next((q.style for q in pending if q.text(accept).strip()), pending[-1].style)


def built_paragraphs(issue: Issue, theme: Theme) -> tuple[list[Para], list[Problem]]:
    """Build ``issue`` into a Word file in a temporary folder and return its paragraphs, each labelled
    with its element."""
    from .writers import docx as docx_writer

    with tempfile.TemporaryDirectory(prefix="bulletin-merge-") as tmp:
        dest = Path(tmp) / "built.docx"
        problems = docx_writer.write(issue, theme, dest)
        if errors(problems):
            return [], problems
        review = review_docx.read(dest)
    paras = _paras(review, accept=True, source_style=theme.styles["source"].name)
    elements = _model_elements(issue, theme)
    j = 0
    for k, para in enumerate(paras):
        if j < len(elements):
            ref, text, what = elements[j]
            # a picture Word could not take leaves its paragraph empty (with a warning)
            fits = what == "image" and not para.table and (para.pictures > 0 or not para.text)
            fits = fits or (what == "cell" and para.table)
            fits = fits or (what == "imprint" and para.table)  # the 版记 is a table at the page foot
            fits = fits or (not what and not para.table and not para.pictures)
            if fits and para.text == text:
                para.ref = ref
                j += 1
                continue
        para.ref = Ref("fixed", index=k)
    if j < len(elements):
        ref, text, _ = elements[j]
        problems.append(Problem(Code.MERGE_INTERNAL, args={"detail": f"{ref.describe(issue)}：{text[:20]}"}))
    return paras, problems


# --------------------------------------------------------------------------- alignment


def align(old: list[Para], new: list[Para]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Return (pairs of old and new paragraph indexes, deleted old indexes, inserted new indexes)."""
    matcher = difflib.SequenceMatcher(None, [p.text for p in old], [p.text for p in new], autojunk=False)
    pairs: list[tuple[int, int]] = []
    deleted: list[int] = []
    inserted: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        start = i1
        used: set[int] = set()
        for j in range(j1, j2):
            best: tuple[int, float] | None = None
            for i in range(start, min(i2, start + PAIR_WINDOW)):
                if (old[i].ref and old[i].ref.kind in ("image",)) != (
                    new[j].pictures > 0 and not new[j].text
                ):
                    continue
                ratio = _similarity(old[i].text, new[j].text)
                if ratio >= SIMILAR and (best is None or ratio > best[1]):
                    best = (i, ratio)
            if best is None:
                inserted.append(j)
                continue
            pairs.append((best[0], j))
            used.add(best[0])
            start = best[0] + 1
        deleted.extend(i for i in range(i1, i2) if i not in used)
    pairs.sort(key=lambda p: p[1])
    return pairs, sorted(deleted), sorted(inserted)


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()


# --------------------------------------------------------------------------- the result


@dataclass
class Change:
    """One change to an element, for the change list."""

    article: int | None
    where: str
    old: str
    new: str


@dataclass
class MergeResult:
    """What a merge found and did."""

    issue_path: Path | None = None
    changes: list[Change] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_text: str | None = None
    written: bool = False
    kept_as: Path | None = None
    titles: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


# --------------------------------------------------------------------------- finding the issue file


def find_issue(reviewed: Path, props: dict[str, str]) -> tuple[Path | None, list[Problem]]:
    """Return the issue file named in ``props``: ``issues/NAME`` in the current folder, beside the
    reviewed file or beside its folder, else the path it was built from (a copied project folder
    finds its own issue file first)."""
    name = props.get(identity.PROPERTY_ISSUE, "")
    if not identity.built_by_us(props) or not name:
        return None, [Problem(Code.MERGE_NOT_OURS, file=reviewed)]
    folder = reviewed.resolve().parent
    recorded = props.get(identity.PROPERTY_PATH)
    candidates = [Path("issues") / name, folder / name, folder.parent / "issues" / name]
    candidates += [Path(recorded)] if recorded else []
    for candidate in candidates:
        if candidate.is_file():
            return candidate, []
    return None, [Problem(Code.MERGE_NO_ISSUE, file=reviewed, args={"name": name})]


# --------------------------------------------------------------------------- merging


def merge(
    reviewed: Path,
    into: Path | None = None,
    *,
    accept_all: bool = False,
    reject_all: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> MergeResult:
    """Merge the reviewed Word file into its issue file (see the module documentation)."""
    result = MergeResult()
    try:
        review = review_docx.read(reviewed)
    except review_docx.ReviewError as exc:
        result.problems.append(Problem(Code.MERGE_UNREADABLE, file=reviewed, args={"detail": str(exc)}))
        return result
    if into is None:
        into, found = find_issue(reviewed, review.properties)
        result.problems.extend(found)
        if into is None:
            return result
    result.issue_path = into
    raw, problems = issue_yaml.load(into)
    if raw is None or errors(problems):
        result.problems.append(Problem(Code.MERGE_ISSUE_INVALID, file=into))
        result.problems.extend(errors(problems))
        return result
    issue, _ = transforms.apply(raw)
    theme = get_theme(issue.layout.theme)
    result.titles = {a: "　".join(art.title) for a, art in enumerate(issue.articles)}
    built_state = review.properties.get(identity.PROPERTY_STATE)
    if built_state is None:
        result.problems.append(Problem(Code.MERGE_NO_IDENTITY, file=reviewed, level=Level.WARNING))
    elif built_state != identity.state(issue):
        built_from = review.properties.get(identity.PROPERTY_ISSUE, "")
        other = bool(built_from) and built_from != into.name
        result.problems.append(
            Problem(
                Code.MERGE_OTHER_ISSUE if other else Code.MERGE_STALE,
                file=into,
                level=Level.WARNING if force else Level.ERROR,
                args={"docx": reviewed.name, "issue": built_from, "into": into.name},
            )
        )
        if not force:
            return result
    old, more = built_paragraphs(issue, theme)
    result.problems.extend(more)
    if errors(more):
        return result
    accept = not reject_all
    new = _paras(review, accept, theme.styles["source"].name)
    pairs, deleted, inserted = align(old, new)
    where_of = _where_of(old, new, pairs, issue)
    _report_comments(review, where_of, result)
    if review.revisions and not (accept_all or reject_all):
        result.revisions = _pending(review, where_of)
        result.problems.append(Problem(Code.MERGE_PENDING, file=reviewed, args={"n": len(review.revisions)}))
        return result
    if review.format_changes:
        result.problems.append(
            Problem(
                Code.MERGE_FORMAT_REVISIONS,
                file=reviewed,
                level=Level.WARNING,
                args={"n": review.format_changes},
            )
        )
    plan = _Plan(raw, issue, theme, reviewed, result)
    plan.collect(old, new, pairs, deleted, inserted)
    if not result.changes:
        result.problems.append(Problem(Code.MERGE_NOTHING, file=reviewed, level=Level.WARNING))
    if errors(result.problems) and not force:
        return result
    if force:
        result.problems = [
            dataclasses.replace(p, level=Level.WARNING) if p.code == Code.MERGE_UNMAPPED else p
            for p in result.problems
        ]
    if errors(result.problems):
        return result
    if result.changes:
        new_text, expected = plan.edit(into)
        if new_text is None:
            return result
        result.new_text = new_text
        if dry_run or not _write(into, new_text, expected, result):
            return result
        result.written = True
    if not dry_run:
        result.kept_as = _keep_reviewed(reviewed, into)
    return result


def _keep_reviewed(reviewed: Path, into: Path) -> Path | None:
    """Rename the reviewed file when it is the built ``output/<issue>.docx`` and was edited, or a
    review saved under another name in that output folder, so that it no longer stops
    ``bulletin build``; return its new name."""
    folder = reviewed.resolve().parent
    own = f"{into.stem}.docx"
    in_output = reviewed.resolve() == folder / own or own in outputs.read_manifest(folder)
    if not in_output or ".修改稿-" in reviewed.name or not outputs.was_edited(reviewed):
        return None
    kept = outputs.backup_name(reviewed)
    reviewed.rename(kept)
    return kept


_REVISION_KINDS = {
    "ins": "插入",
    "moveTo": "移入",
    "del": "删除",
    "moveFrom": "移出",
    "paragraph-ins": "插入段落标记（分段）",
    "paragraph-del": "删除段落标记（合并段落）",
}


def _pending(review: Review, where_of: dict[int, str]) -> list[str]:
    """Return one line per pending revision: where, who, inserted or deleted what."""
    lines = []
    for r in review.revisions:
        text = f"“{r.text}”" if r.text else ""
        who = r.author or "（无名）"
        lines.append(f"{where_of.get(r.paragraph, '')}：{who} {_REVISION_KINDS.get(r.kind, r.kind)}{text}")
    return lines


def _where_of(old: list[Para], new: list[Para], pairs: list[tuple[int, int]], issue: Issue) -> dict[int, str]:
    """Return, for each reviewed paragraph number, where it is (the element, or the article it sits in)."""
    mapped = {j: old[i].ref for i, j in pairs}
    out: dict[int, str] = {}
    article: int | None = None
    for j, para in enumerate(new):
        ref = mapped.get(j)
        if ref is not None and ref.article is not None:
            article = ref.article
        elif ref is not None:
            article = None
        if ref is not None:
            text = ref.describe(issue)
        elif article is not None:
            text = f"第{article + 1}篇 新增段落"
        else:
            text = f"第{para.numbers[0]}段"
        for n in para.numbers:
            out.setdefault(n, text)  # a source line split off its paragraph: where the text is
    return out


def _report_comments(review: Review, where_of: dict[int, str], result: MergeResult) -> None:
    for c in review.comments:
        where = where_of.get(c.paragraphs[0], "") if c.paragraphs else ""
        anchored = f"“{c.anchored}”" if c.anchored else ""
        head = f"  回复（{c.author}）" if c.parent else f"批注（{c.author}）{where} {anchored}"
        result.comments.append(f"{head}：{c.text}")


# --------------------------------------------------------------------------- the plan


class _Plan:
    """The new values of the issue file's fields, built from the aligned paragraphs."""

    def __init__(self, raw: Issue, issue: Issue, theme: Theme, reviewed: Path, result: MergeResult) -> None:
        self.raw = raw
        self.issue = issue
        self.theme = theme
        self.reviewed = reviewed
        self.result = result
        self.fields: dict[tuple[int, str], object] = {}
        self.slots: dict[int, list[_Slot]] = {}
        self.folder = raw.source_path.parent if raw.source_path else Path(".")
        self.toc: dict[int, list[str]] = {}
        self.notes: dict[int, list[str]] = {}
        self.issue_note: list[str] | None = None
        self.distribution: dict[str, object] = {}

    # -- problems

    def unmapped(self, para: Para, what: str, where: str = "") -> None:
        self.result.problems.append(
            Problem(
                Code.MERGE_UNMAPPED,
                file=self.reviewed,
                args={"what": what, "where": where, "number": para.numbers[0] if para.numbers else 0},
            )
        )

    def format_ignored(self, para: Para, where: str, marks: list[tuple[str, str]]) -> None:
        """Note direct formatting the body text cannot hold (italic, underline, …): not written back."""
        what = "、".join(dict.fromkeys(m for m, _ in marks))
        self.result.problems.append(
            Problem(
                Code.MERGE_FORMAT_IGNORED,
                file=self.reviewed,
                level=Level.WARNING,
                args={
                    "number": para.numbers[0] if para.numbers else 0,
                    "where": where,
                    "what": what,
                    "text": marks[0][1][:10],
                },
            )
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
                ref.kind == "block" and self.block(ref.article, ref.index, new, where, old.text)
            ):
                self.result.problems.append(
                    Problem(
                        Code.MERGE_RESTYLED,
                        file=self.reviewed,
                        level=Level.WARNING,
                        args={
                            "number": new.numbers[0] if new.numbers else 0,
                            "where": where,
                            "old": old.style,
                            "new": new.style,
                        },
                    )
                )
            return
        where = ref.describe(self.issue)
        a = ref.article
        kind = ref.kind
        if kind == "fixed":
            self.unmapped(new, "报头等模板文字（来自 series.yaml 或 Word 模板，不能写回本期文件）", where)
        elif kind == "title":
            self.title(a, new, where, old.text)
        elif kind in ("subtitle", "source", "kicker", "byline", "column"):
            self.scalar(a, kind, new.text, where, old.text)
        elif kind == "editor_note":
            self.note(a, ref.index, new.text, where, old.text)
        elif kind == "issue_note":
            self.note(None, ref.index, new.text, where, old.text)
        elif kind == "toc":
            self.toc_line(ref.index, new, where, old.text)
        elif kind == "block":
            self.block(a, ref.index, new, where, old.text)
        elif kind == "caption":
            self.caption(a, ref.index, new.text, where, old.text)
        elif kind == "cell":
            self.cell(a, ref, new.text, where, old.text)
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
            self._slots(a)[self._slot_index(a, ref.index)].deleted = True
            self.change(a, where, old.text or "（图片）", "（删除）")
        elif ref.kind == "caption":
            self.caption(a, ref.index, "", where, old.text)
        elif ref.kind in ("subtitle", "source", "kicker", "byline", "column"):
            self.fields[(a, ref.kind)] = None
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
            return Heading(level=level, number=number, spans=(Span(text=para.text),))  # type: ignore[arg-type]
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
                lines[label] = value  # type: ignore[assignment]
            else:
                scalars[key] = int(value) if key == "copies" else value  # type: ignore[call-overload]
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
        if not raw.toc and lines == ("\u3000".join(title),):  # type: ignore[arg-type]
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
                    long = bool(value) and ("\n" in value or len(value) > 40)  # type: ignore[operator,arg-type]
                    editor.set_field(a, key, value, block=long)  # type: ignore[arg-type]
                else:
                    editor.set_field(a, key, value)  # type: ignore[arg-type]
            for a in self.toc:
                editor.set_field(a, "toc", self.toc_value(a))
            for a in self.slots:
                editor.set_body(a, self.body(a))
            for key, value in self.distribution.items():
                editor.set_distribution(key, value)  # type: ignore[arg-type]
            if self.issue_note is not None:
                note = _note_text(self.issue_note)
                editor.set_top("editor_note", note, block=bool(note) and ("\n" in note or len(note) > 40))  # type: ignore[arg-type,operator]
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


def _parse_chunk(chunk: str, raw: Issue) -> list:
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
    from .readers.yaml_source import load

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


def _write(into: Path, new_text: str, expected: _Expected, result: MergeResult) -> bool:
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


def _short(old: str, new: str, context: int = 12) -> tuple[str, str]:
    """Return ``old`` and ``new`` cut to the changed stretch with some context."""
    if len(old) <= 2 * context + 20 and len(new) <= 2 * context + 20:
        return old, new
    m = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops = [op for op in m.get_opcodes() if op[0] != "equal"]
    if not ops:
        return old, new
    i1, i2 = max(ops[0][1] - context, 0), min(ops[-1][2] + context, len(old))
    j1, j2 = max(ops[0][3] - context, 0), min(ops[-1][4] + context, len(new))

    def cut(text: str, a: int, b: int) -> str:
        return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")

    return cut(old, i1, i2), cut(new, j1, j2)


def report(result: MergeResult) -> list[str]:
    """Return the lines ``bulletin merge`` prints: the changes per article, comments, revisions."""
    lines: list[str] = []
    if result.revisions:
        lines.append("尚未处理的修订：")
        lines += [f"  {r}" for r in result.revisions]
    by_article: dict[int | None, list[Change]] = {}
    for change in result.changes:
        by_article.setdefault(change.article, []).append(change)
    for article, changes in sorted(by_article.items(), key=lambda x: -1 if x[0] is None else x[0]):
        if article is None:
            lines.append("本期（要目、版记）：")
        else:
            lines.append(f"第{article + 1}篇《{result.titles.get(article, '')}》：")
        for c in changes:
            old, new = _short(c.old, c.new)
            if not c.old:
                lines.append(f"  {c.where}：+ {new}")
            else:
                lines.append(f"  {c.where}：{old} → {new}")
    if result.comments:
        lines.append("批注（不写入期刊文件，请逐条处理）：")
        lines += [f"  {c}" for c in result.comments]
    if result.written and result.issue_path is not None:
        lines.append(f"已写入 {result.issue_path}：{len(result.changes)} 处修改。")
    elif result.new_text is not None:
        lines.append("（--dry-run：未写入任何文件）")
    if result.kept_as is not None:
        lines.append(f"审阅稿已保存为 {result.kept_as}，不再阻止生成 PDF。")
    if result.written and result.issue_path is not None:
        lines.append(f"请重新生成：bulletin build {result.issue_path}")
    return lines
