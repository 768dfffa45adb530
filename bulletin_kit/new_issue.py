"""The text of a new issue file for ``bulletin new``.

Input: the :class:`~bulletin_kit.series.NextIssue` numbers. Output: YAML text with the numbers
filled in, no articles yet, and a commented example of every kind of block, so that the file
builds at once (masthead, empty 要目, 版记) and the editor copies what they need.
"""

from __future__ import annotations

from .numerals import chinese_date, issue_line
from .series import NextIssue

EXAMPLE = """\
articles: []
# 添加文章：上面如果还是 “articles: []”，先改成 “articles:”，再照下面的示例写（去掉每行开头的 “# ”）。
# 也可以用 bulletin import 部门来稿.docx --into {file} 导入 Word 或文本稿件。
# articles:
#   - title: 文章标题                # 两行标题写成 [第一行, 第二行]
#     kicker: 引题（可选）
#     subtitle: 副题（可选）
#     column: 专栏名（可选）
#     editor_note: 编者按的内容（可选，不写“编者按：”）
#     byline: 记者　张三　通讯员　李四（可选）
#     source: 来源单位               # 文末印成（来源单位）
#     toc: 本期要目里的文字（可选，默认用标题）
#     body: |
#       第一段正文。空一行就是新的一段。
#
#       一、一级标题
#
#       （一）二级标题。标题后面接着写正文，就排在同一段里。
#
#       1.三级标题
#
#       （1）四级标题
#
#       # 没有编号的小标题（如 星海街道：……）
#
#       【看点】带标签的段落，**加粗的文字**。
#
#       ![图片说明](images/photo.jpg "摄影者姓名")
#
#       | 项目 | 数量 |
#       | --- | --- |
#       | 重点工程 | 13 |
"""


def render(next_issue: NextIssue, series_name: str = "") -> str:
    """Return the YAML text of the new issue file."""
    label = issue_line(next_issue.issue_no, next_issue.total_no, next_issue.special)
    origin = next_issue.template.path.name if next_issue.template else "（无上一期）"
    lines = [
        "# yaml-language-server: $schema=../schema/issue.schema.json",
        f"# {series_name + '　' if series_name else ''}{label}　{chinese_date(next_issue.date)}",
        f"# 由 bulletin new 在 {origin} 之后生成；刊名、编印单位、版记等通用内容在 series.yaml。",
        f"issue_no: {next_issue.issue_no}",
    ]
    if next_issue.total_no is not None:
        lines.append(f"total_no: {next_issue.total_no}")
    lines.append(f"date: {next_issue.date.isoformat()}")
    if next_issue.special:
        lines.append(f"special: {next_issue.special}")
    lines += [
        "# marker: 领导参阅              # 需要时去掉 # 号：印成（领导参阅）",
        "# editor_note: 整期的编者按（可选）",
    ]
    return "\n".join(lines) + "\n" + EXAMPLE.format(file=next_issue.path.as_posix())
