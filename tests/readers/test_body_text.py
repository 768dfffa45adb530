"""The body text format: headings by numbering, run-in headings, labels, images, tables, literal text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from bulletin_kit.model import Heading, Image, Paragraph, Span, Table, plain
from bulletin_kit.readers.body_text import BodySource, parse


def blocks(text: str, base: Path | None = None):
    result, problems = parse(text, BodySource(Path("x.yaml"), 10, "articles[0].body", base))
    return result, problems


@pytest.mark.parametrize(
    ("text", "level", "number"),
    [
        ("一、加强排摸梳理，促进督查工作规范有序", 1, "一、"),
        ("十二、第十二部分", 1, "十二、"),
        ("（一）升级“私人定制”审批流程图", 2, "（一）"),
        ("(三)半角括号也认", 2, "(三)"),
        ("1.实地调研", 3, "1."),
        ("2．全角点", 3, "2．"),
        ("3、顿号", 3, "3、"),
        ("（1）第四级", 4, "（1）"),
    ],
)
def test_numbered_headings(text: str, level: int, number: str) -> None:
    (block,), _ = blocks(text)
    assert isinstance(block, Heading)
    assert (block.level, block.number, plain(block.spans)) == (level, number, text)
    assert block.run_in == ()


@pytest.mark.parametrize(
    "text",
    [
        "一是加强组织领导。为推进攻坚行动取得实效。",  # 一是… stays in the paragraph
        "2018年以来，行政审批局围绕改革试点。",
        "68.44亿元的投资。",
        "1.5万名流动人口。",
    ],
)
def test_not_headings(text: str) -> None:
    (block,), _ = blocks(text)
    assert isinstance(block, Paragraph)
    assert plain(block.spans) == text


def test_run_in_heading_splits_after_first_sentence() -> None:
    (block,), _ = blocks("一、加强领导。一是加强组织领导。二是落实责任。")
    assert isinstance(block, Heading)
    assert plain(block.spans) == "一、加强领导。"
    assert plain(block.run_in) == "一是加强组织领导。二是落实责任。"


def test_heading_ending_in_full_stop_is_not_run_in() -> None:
    (block,), _ = blocks("（一）强化组织领导。")
    assert isinstance(block, Heading) and block.run_in == ()


def test_explicit_headings_and_escape() -> None:
    result, _ = blocks("# 星海街道：“三廉”齐抓育典型\n\n## **二级**\n\n\\一、这句不是标题")
    assert isinstance(result[0], Heading) and result[0].level == 1 and result[0].number is None
    assert plain(result[0].spans) == "星海街道：“三廉”齐抓育典型"
    assert isinstance(result[1], Heading) and result[1].level == 2 and result[1].spans == (Span(text="二级"),)
    assert isinstance(result[2], Paragraph) and plain(result[2].spans) == "一、这句不是标题"


def test_lines_join_without_space_and_indents_are_dropped() -> None:
    (block,), _ = blocks("　　保障市委市政府重大决策部署落\n到实处，推进 Word\ndocument 处理。")
    assert plain(block.spans) == "保障市委市政府重大决策部署落到实处，推进 Word document 处理。"


def test_bold_and_label() -> None:
    result, _ = blocks("【看点】**五心代办**助推改革。\n\n【盘点】")
    first, second = result
    assert isinstance(first, Paragraph) and first.label == "看点"
    assert first.spans == (Span(text="五心代办", bold=True), Span(text="助推改革。"))
    assert isinstance(second, Paragraph) and second.label == "盘点" and second.spans == ()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "</p><h1>大标题</h1>",
        "{{ 7*7 }} {% if x %}",
        "url(file:///etc/passwd) &amp; & <w:p>",
        "[链接](http://example.com) `代码`",
    ],
)
def test_markup_is_literal_text(hostile: str) -> None:
    (block,), _ = blocks(f"正文{hostile}结束。")
    assert isinstance(block, Paragraph)
    assert plain(block.spans) == f"正文{hostile}结束。"


def test_lists_and_indented_code_are_plain_paragraphs_quotes_are_quotes() -> None:
    result, _ = blocks("- 不是列表\n\n> 是引用\n\n    不是代码\n\n1) 也不是列表")
    assert [plain(b.spans) for b in result] == ["- 不是列表", "是引用", "不是代码", "1) 也不是列表"]  # type: ignore[union-attr]
    assert [b.role for b in result] == [None, "quote", None, None]  # type: ignore[union-attr]


def test_image_inside_folder(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    PILImage.new("RGB", (40, 30), "red").save(tmp_path / "img" / "p1.png")
    (block,), problems = blocks('![俯瞰安吉余村](img/p1.png "夏鹏飞 摄")', tmp_path)
    assert problems == []
    assert isinstance(block, Image)
    assert (block.caption, block.credit, block.path) == (
        "俯瞰安吉余村",
        "夏鹏飞",
        (tmp_path / "img/p1.png").resolve(),
    )


@pytest.mark.parametrize(
    "src", ["../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "http://x.cn/a.png"]
)
def test_image_outside_folder_is_refused(tmp_path: Path, src: str) -> None:
    result, problems = blocks(f"段落。\n\n![图]({src})", tmp_path)
    assert [p.code for p in problems] == ["path.outside"]
    assert (problems[0].line, problems[0].path) == (12, "articles[0].body")
    assert len(result) == 1


def test_symlink_out_of_folder_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "issue"
    inside.mkdir()
    (inside / "link.png").symlink_to("/etc/hostname")
    _, problems = blocks("![图](link.png)", inside)
    assert [p.code for p in problems] == ["path.outside"]


def test_missing_image(tmp_path: Path) -> None:
    _, problems = blocks("![图](nope.png)", tmp_path)
    assert [p.code for p in problems] == ["path.not_found"]


def test_pipe_table() -> None:
    (table,), _ = blocks("| 项目 | 数量 |\n| --- | --- |\n| 重点工程 | 13 |\n| 坟墓 |")
    assert isinstance(table, Table)
    assert table.rows == (("项目", "数量"), ("重点工程", "13"), ("坟墓", ""))


def test_image_path_with_spaces_and_chinese(tmp_path: Path) -> None:
    (tmp_path / "图片 目录").mkdir()
    PILImage.new("RGB", (40, 30), "red").save(tmp_path / "图片 目录" / "现场 照片.png")
    (block,), problems = blocks('![现场照片](图片 目录/现场 照片.png "张三")', tmp_path)
    assert problems == []
    assert isinstance(block, Image) and block.path.name == "现场 照片.png" and block.credit == "张三"


def test_unreadable_image_is_an_error_at_check_time(tmp_path: Path) -> None:
    (tmp_path / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\nabcd")
    _, problems = blocks("正文。\n\n![坏图](corrupt.png)", tmp_path)
    assert [(p.code, p.line) for p in problems] == [("path.not_image", 12)]


def test_image_inside_a_sentence_is_an_error(tmp_path: Path) -> None:
    PILImage.new("RGB", (40, 30), "red").save(tmp_path / "a.png")
    (block,), problems = blocks("前文![图](a.png)后文。", tmp_path)
    assert [p.code for p in problems] == ["body.inline_image"]
    assert isinstance(block, Paragraph) and plain(block.spans) == "前文![图](a.png)后文。"


def test_single_asterisks_stay_and_backslash_escapes_work() -> None:
    (block,), _ = blocks("*强调*和文字，**加粗**，\\*\\*两个星号\\*\\*。")
    assert block.spans == (  # type: ignore[union-attr]
        Span(text="*强调*和文字，"),
        Span(text="加粗", bold=True),
        Span(text="，**两个星号**。"),
    )
    (heading_like,), _ = blocks("\\# 不是标题")
    assert isinstance(heading_like, Paragraph) and plain(heading_like.spans) == "# 不是标题"
