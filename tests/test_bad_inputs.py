"""The bad-input corpus: each file gives its exact, positioned Chinese message and exit code 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_kit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("tests/bad_inputs")

CASES = {
    "missing_issue_no.yaml": "1:1: issue_no: 缺少必填字段（issue_no，期号）（请添加这一项）",
    "issue_no_zero.yaml": "1:11: issue_no: 应为大于 0 的整数，实际为 0（期号从 1 开始，例如 28）",
    "issue_no_negative.yaml": "1:11: issue_no: 应为大于 0 的整数，实际为 -3（期号从 1 开始，例如 28）",
    "issue_no_text.yaml": "1:11: issue_no: 应为整数，实际为 '第七期'（例如 28；模板会自动排成“第二十八期”）",
    "bad_date.yaml": "2:7: date: 日期 '2018-02-30' 不存在（请写成 年-月-日，例如 2018-12-20，并检查月份和日期）",
    "unknown_key.yaml": "2:1: totl_no: 未知字段 'totl_no'（是否应为 'total_no'？）",
    "unknown_nested_key.yaml": "4:3: distribution.copys: 未知字段 'copys'（是否应为 'copies'？）",
    "duplicate_key.yaml": "3:1: issue_no: 字段 'issue_no' 重复出现（第一次在第 1 行）（同一层级的字段只能写一次，请删除或合并其中一个）",
    "tab_indent.yaml": "4:1: 使用了制表符（Tab）缩进（YAML 只能用空格缩进，请把 Tab 换成空格）",
    "empty.yaml": ": 文件是空的（请先用 bulletin new 生成一期，或参照 issues/2018-28.yaml 填写）",
    "alias_bomb.yaml": "6:4: YAML 别名（*引用）展开后内容过多（597871 项、1.5 MB 文字，上限 100000 项、8 MB）（请不要用 & 和 * 反复引用；直接写出内容）",
    "python_tag.yaml": "3:9: marker: 不允许的 YAML 标签 '!!python/object/apply:os.system'"
    "（期刊文件只能包含文字、数字、日期、列表和字段，请删除这个标签）",
    "image_outside.yaml": "8:1: articles[0].body: 路径 '../../etc/passwd' 指向本期文件夹之外"
    "（为安全起见只能引用与期刊文件在同一文件夹（或其子文件夹）中的文件）",
    "issue_no_too_large.yaml": "1:11: issue_no: 应不大于 9999，实际为 10000（请检查是否多写了数字）",
    "issue_no_bool.yaml": "1:11: issue_no: 应为整数，实际为 true（例如 28；模板会自动排成“第二十八期”）",
    "image_corrupt.yaml": "8:1: articles[0].body: 'corrupt.png' 不是可用的图片（文件不完整、已损坏，或不是图片）（请使用 JPG 或 PNG 图片）",
    "no_title.yaml": "4:5: articles[0].title: 缺少必填字段（title，标题）（请添加这一项）",
    "bad_choice.yaml": "4:17: layout.page_numbers: 应为 'outside'、'center' 之一，实际为 'left'",
    "not_mapping.yaml": "1:1: 文件顶层应为“字段: 值”的形式，实际为列表（请参照 issues/2018-28.yaml 的写法）",
    "unclosed_quote.yaml": "5:1: YAML 格式错误：文件意外结束（可能缺少引号或括号）（请检查这一行及上一行的缩进、冒号和引号）",
}


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in (ROOT / CORPUS).glob("*.yaml")} - {"series.yaml", "gbk.yaml"}
    assert on_disk == set(CASES)


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_bad_input_message(name: str, expected: str, in_repo: None) -> None:
    result = CliRunner().invoke(cli, ["check", str(CORPUS / name)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert f"{CORPUS / name}:{expected}".replace(":: ", ": ") in lines, result.stderr
    assert lines[-1].endswith("未生成任何文件。")
    assert "Traceback" not in result.output


def test_gbk_file_is_read_with_a_warning(in_repo: None) -> None:
    """An old Windows editor's GBK file is read correctly; the warning says how to convert it."""
    result = CliRunner().invoke(cli, ["check", str(CORPUS / "gbk.yaml")])
    assert result.exit_code == 0
    assert "gbk.yaml: 文件是 GBK/GB18030 编码，已按 GBK 读取" in result.stderr
    assert "另存为 UTF-8" in result.stderr
    strict = CliRunner().invoke(cli, ["check", "--strict", str(CORPUS / "gbk.yaml")])
    assert strict.exit_code == 1

    from bulletin_kit.readers.issue_yaml import load

    issue, _ = load(ROOT / CORPUS / "gbk.yaml")
    assert issue is not None
    assert issue.articles[0].title == ("编码测试",)


def test_ten_megabyte_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    line = "# " + "很长的注释" * 20 + "\n"
    big.write_text("issue_no: 1\n" + line * (10 * 1024 * 1024 // len(line.encode())), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(big)])
    assert result.exit_code == 1
    assert "文件过大（10.0 MB），超过上限 2 MB" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "nope.yaml: 找不到文件（请检查文件名和路径）" in result.stderr


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    """check lists all problems of a file, sorted by line, not just the first."""
    f = tmp_path / "many.yaml"
    f.write_text(
        "issue_no: 0\ntotl_no: 3\ndate: 2018-12-20\n"
        "masthead: {name: 刊, publisher: 办}\narticles:\n  - body: 无标题\n  - title: 好\n    sorce: 办\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", str(f)])
    assert result.exit_code == 1
    lines = [x.split(": ", 1)[0].rsplit(":", 2)[1] for x in result.stderr.splitlines()[:-1]]
    assert lines == ["1", "2", "6", "7", "8"]
    assert "是否应为 'source'" in result.stderr
    assert "articles[1]: 文章没有正文" in result.stderr
    assert result.stderr.splitlines()[-1] == "4 个错误，1 个警告；未生成任何文件。"


def test_console_script_usage_error_exits_2() -> None:
    exe = Path(sys.executable).with_name("bulletin")
    proc = subprocess.run(
        [str(exe), "build"], capture_output=True, text=True, env={**os.environ}, check=False
    )
    assert proc.returncode == 2
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "bulletin-kit" in proc.stdout
