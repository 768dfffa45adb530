"""The one document model of a bulletin issue (期).

Input: nothing (pure data). Output: frozen pydantic classes that readers produce and writers consume.
No class here knows about YAML, docx or HTML. Every text field is plain data, never markup.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """A run of text; ``bold`` is the only inline emphasis Chinese bulletins use."""

    text: str
    bold: bool = False


def plain(spans: tuple[Span, ...] | list[Span]) -> str:
    """Return the text of ``spans`` without formatting."""
    return "".join(s.text for s in spans)


class Paragraph(_Frozen):
    """A body paragraph (仿宋, first-line indent 2). ``label`` is a lead like 【看点】 (without brackets).

    ``role`` sets a paragraph apart: ``quote`` is a quotation or statement block (``>`` in the body
    text, 楷体, indented both sides), ``signature`` a right-aligned signature or date line (``-->``).
    """

    kind: Literal["paragraph"] = "paragraph"
    spans: tuple[Span, ...] = ()
    label: str | None = None
    role: Literal["quote", "signature"] | None = None


class Heading(_Frozen):
    """A section heading.

    ``level`` 1 = 一、 (黑体), 2 = （一） (楷体), 3 = 1. (仿宋), 4 = （1） (仿宋).
    ``number`` is the numbering as written (``"一、"``), or None for an unnumbered heading
    (a sub-unit line such as 星海街道：…). ``spans`` include the number.
    ``run_in`` is body text that follows the heading in the same paragraph (一、…。body…).
    """

    kind: Literal["heading"] = "heading"
    level: Literal[1, 2, 3, 4]
    number: str | None = None
    spans: tuple[Span, ...]
    run_in: tuple[Span, ...] = ()


class Image(_Frozen):
    """A picture, centred and at most the 版心 width, with a caption under it (图注, no final 。).

    ``path`` is absolute and has been checked to lie inside the issue's folder by the reader.
    ``credit`` is the photographer, printed as ``caption　credit　摄``; ``credit_verb`` is what follows
    the name (摄 or 供图), or empty when ``credit`` is printed as written (图片由市委宣传部提供).
    ``width`` is the share of the 版心 width the picture takes (1 = full, 0.5 = half), or None for
    its natural width (at most the 版心).
    """

    kind: Literal["image"] = "image"
    path: Path
    caption: str = ""
    credit: str = ""
    credit_verb: str = "摄"
    width_mm: float | None = None
    width: float | None = None


class Table(_Frozen):
    """A simple table; the first row is a header row when ``header`` is true."""

    kind: Literal["table"] = "table"
    rows: tuple[tuple[str, ...], ...]
    header: bool = True


class ImageGroup(_Frozen):
    """Two or three pictures side by side, each with its own caption, and an optional shared caption.

    ``caption``/``credit``/``credit_verb`` are the shared line under the row (one credit may cover
    the whole group).
    """

    kind: Literal["image_group"] = "image_group"
    images: tuple[Image, ...]
    caption: str = ""
    credit: str = ""
    credit_verb: str = "摄"


class Box(_Frozen):
    """A boxed, shaded block such as 【看点】 or 【盘点】: its label on a line of its own, then paragraphs."""

    kind: Literal["box"] = "box"
    label: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()


Block = Annotated[Paragraph | Heading | Image | Table | ImageGroup | Box, Field(discriminator="kind")]


class Article(_Frozen):
    """One article of an issue."""

    title: tuple[str, ...]
    """Title lines (1 or 2), each centred; a full-width space U+3000 inside a line is kept."""
    kicker: str | None = None
    """引题, printed above the title."""
    subtitle: str | None = None
    """副题, printed under the title."""
    column: str | None = None
    """专栏 name, printed above the article."""
    editor_note: str | None = None
    """编者按 text (without the label)."""
    byline: str | None = None
    """署名 line such as ``记者　张三　通讯员　李四``."""
    source: str | None = None
    """Source unit without brackets; printed （派驻纪检监察组） at the end."""
    toc: tuple[str, ...] = ()
    """Lines for the 本期要目; empty means the transforms fill them from the title."""
    blocks: tuple[Block, ...] = ()


class Masthead(_Frozen):
    """报头: everything above the red rule on page 1."""

    name: str
    """刊名, e.g. 温州开发区信息."""
    publisher: str
    """编印单位."""
    marks: tuple[str, ...] = ()
    """Lines at the top left, e.g. (内部刊物, 请勿外传)."""
    marker: str | None = None
    """A line under the 刊名 such as 领导参阅, printed （领导参阅）."""
    special: Literal["增刊", "专刊"] | None = None
    """A special issue, numbered in its own sequence."""
    issue_no: int
    """期号, printed 第二十八期."""
    total_no: int | None = None
    """总期号, printed 总第646期."""
    date: dt.date
    copy_no: str | None = None
    """编号 printed at the top right, for controlled issues."""


class DistributionLine(_Frozen):
    """One 报/送/发 line of the 版记: ``label`` is 报, 送, 发 or 本期增发."""

    label: str
    recipients: tuple[str, ...]


class Distribution(_Frozen):
    """版记 at the end of the last page."""

    lines: tuple[DistributionLine, ...] = ()
    editor: str | None = None
    """编辑."""
    reviewer: str | None = None
    """审核."""
    approver: str | None = None
    """签发."""
    copies: int | None = None
    """共印N份."""


class Layout(_Frozen):
    """Series-level layout choices that both writers honour."""

    theme: str = "default"
    page_numbers: Literal["outside", "center"] = "outside"
    """outside: odd pages right, even pages left (GB/T 9704 §7.5); center: centred."""
    toc_page_numbers: bool = False
    docx_template: Path | None = None
    """A series' own Word template (absolute path, inside the series folder)."""
    extra_css: Path | None = None
    """A series' own CSS added after the theme's (absolute path, inside the series folder)."""
    reference_docx: Path | None = None
    """A series' reference .docx whose style definitions win over the template's (absolute path)."""


class Checks(_Frozen):
    """Series settings of ``bulletin check`` (series.yaml ``checks:``, an issue may override them)."""

    require_source: bool = False
    """Every article should name its source unit (lint.no_source)."""


class Issue(_Frozen):
    """One 期 of a bulletin."""

    masthead: Masthead
    editor_note: str | None = None
    """Issue-level 编者按, printed after the 本期要目."""
    toc: tuple[str, ...] = ()
    """本期要目 lines; filled by the transforms from the articles unless overridden."""
    articles: tuple[Article, ...] = ()
    distribution: Distribution = Distribution()
    layout: Layout = Layout()
    source_path: Path | None = None
    """The file this issue was read from (for messages and relative paths), if any."""
    checks: Checks = Checks()
