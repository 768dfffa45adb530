"""The shape of the YAML files (what an editor types), as pydantic classes.

Input: plain data from :mod:`.yaml_source`. Output: validated input objects that
:mod:`.issue_yaml` turns into the document model, and the JSON Schema for editors
(``bulletin schema``). This is the *file* format; :mod:`bulletin_kit.model` is the *document*.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Lines = str | list[str]


class MastheadIn(_In):
    """报头（整套刊物通用，写在 series.yaml）。"""

    name: str | None = Field(None, title="刊名", description="刊名，例如 温州开发区信息（红色大字）")
    publisher: str | None = Field(None, title="编印单位", description="编印单位，印在期号下方左侧")
    marks: list[str] = Field(
        default_factory=list, title="标志", description="左上角标志，每项一行，如 内部刊物、请勿外传"
    )
    copy_no: str | None = Field(None, title="编号", description="右上角编号（受控发放时使用）")


class DistributionIn(_In):
    """版记：报/送/发、编辑、签发、共印份数。"""

    report_to: Lines | None = Field(None, title="报", description="报：上级领导或机关")
    send_to: Lines | None = Field(None, title="送", description="送：平级单位")
    distribute_to: Lines | None = Field(None, title="发", description="发：下级单位")
    extra: Lines | None = Field(None, title="本期增发", description="本期增发：")
    editor: str | None = Field(None, title="编辑", description="编辑姓名")
    reviewer: str | None = Field(None, title="审核", description="审核姓名")
    approver: str | None = Field(None, title="签发", description="签发人姓名")
    copies: StrictInt | None = Field(None, gt=0, title="共印份数", description="共印N份")


class LayoutIn(_In):
    """版式选择。"""

    theme: Literal["default"] = Field("default", title="主题")
    page_numbers: Literal["outside", "center"] = Field(
        "outside", title="页码位置", description="outside：单页居右、双页居左；center：居中"
    )
    toc_page_numbers: bool = Field(False, title="要目页码", description="本期要目是否印页码（PDF）")
    docx_template: str | None = Field(
        None, title="Word 模板", description="本系列的 Word 模板，相对于 series.yaml"
    )
    extra_css: str | None = Field(None, title="附加样式", description="本系列附加的 CSS，相对于 series.yaml")
    reference_docx: str | None = Field(
        None,
        title="Word 参考样式",
        description="本系列的参考 .docx：其中与模板同名的样式定义覆盖模板中的（如 pandoc --reference-doc），"
        "相对于 series.yaml",
    )


class NumberingIn(_In):
    """编号规则（bulletin new 使用）。"""

    yearly_restart: bool = Field(True, title="每年重新编号", description="新的一年期号从 1 开始，总期号连续")


class ChecksIn(_In):
    """内容检查的系列设置（bulletin check 使用）。"""

    require_source: bool = Field(False, title="要求来源", description="每篇文章都应注明来源单位")


class ArticleIn(_In):
    """一篇文章。"""

    title: Lines = Field(title="标题", description="文章标题；两行标题写成列表")
    kicker: str | None = Field(None, title="引题", description="标题上方的引题")
    subtitle: str | None = Field(None, title="副题", description="标题下方的副题")
    column: str | None = Field(None, title="专栏", description="专栏名称")
    editor_note: str | None = Field(None, title="编者按", description="本文的编者按（不含“编者按：”）")
    byline: str | None = Field(None, title="署名", description="如 记者　张三　通讯员　李四")
    source: str | None = Field(None, title="来源", description="来源单位，文末印成（派驻纪检监察组）")
    toc: Lines | None = Field(None, title="要目文字", description="本文在“本期要目”中的文字，默认用标题")
    body: str = Field("", title="正文", description="正文：空行分段；一、（一）1.（1）开头的段落自动成为标题")


class SeriesFile(_In):
    """series.yaml：整套刊物的默认设置，每期都可以覆盖。"""

    masthead: MastheadIn = Field(default_factory=MastheadIn, title="报头")
    distribution: DistributionIn = Field(default_factory=DistributionIn, title="版记")
    layout: LayoutIn = Field(default_factory=LayoutIn, title="版式")
    numbering: NumberingIn = Field(default_factory=NumberingIn, title="编号规则")
    checks: ChecksIn = Field(default_factory=ChecksIn, title="检查设置")


class IssueFile(SeriesFile):
    """一期简报（与 series.yaml 合并后）。"""

    issue_no: StrictInt = Field(gt=0, le=9999, title="期号", description="期号，写数字，印成“第二十八期”")
    total_no: StrictInt | None = Field(None, gt=0, title="总期号", description="总期号，印成“（总第646期）”")
    date: dt.date = Field(title="日期", description="出刊日期，写成 2018-12-20", strict=True)
    marker: str | None = Field(None, title="刊物标记", description="如 领导参阅，印成“（领导参阅）”")
    special: Literal["增刊", "专刊"] | None = Field(
        None, title="增刊/专刊", description="增刊或专刊，单独编号"
    )
    editor_note: str | None = Field(None, title="编者按", description="整期的编者按")
    toc: list[str] | None = Field(None, title="本期要目", description="手工指定的要目（每项一行）")
    articles: list[ArticleIn] = Field(default_factory=list, title="文章")


FIELD_TITLES: dict[str, str] = {}
"""Chinese title of every field name, for messages (filled below)."""

for _cls in (MastheadIn, DistributionIn, LayoutIn, NumberingIn, ChecksIn, ArticleIn, IssueFile):
    for _name, _info in _cls.model_fields.items():
        if _info.title:
            FIELD_TITLES.setdefault(_name, _info.title)


def issue_json_schema() -> dict[str, object]:
    """Return the JSON Schema of an issue file (series.yaml validates against it too)."""
    schema = IssueFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "bulletin-kit 期刊文件"
    # An issue inherits from series.yaml, so nothing is required in one file alone.
    schema.pop("required", None)
    return schema
