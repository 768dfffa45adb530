"""bulletin new / list and the numbering checks across a series folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_kit import pipeline, series
from bulletin_kit.cli import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "issues"
    dest.mkdir()
    for name in ("series.yaml", "2018-28.yaml"):
        shutil.copy(ROOT / "issues" / name, dest / name)
    return dest


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_new_after_the_sample(folder: Path) -> None:
    result = run("new", str(folder), "--date", "2018-12-27")
    assert result.exit_code == 0, result.output
    assert "已创建" in result.output and "第二十九期（总第647期），2018年12月27日" in result.output
    created = folder / "2018-29.yaml"
    issue, problems = pipeline.read(created)
    assert issue is not None, [p.render() for p in problems]
    m = issue.masthead
    assert (m.issue_no, m.total_no, str(m.date), m.name) == (29, 647, "2018-12-27", "温州开发区信息")
    assert issue.articles == ()
    assert [p.code for p in problems] == ["issue.no_articles"]
    # the warning points at the empty list of `articles: []`, not at the top of the file
    articles_line = created.read_text(encoding="utf-8").splitlines().index("articles: []") + 1
    assert (problems[0].line, problems[0].col) == (articles_line, len("articles: ") + 1)
    # the file carries a commented example of every kind of block
    text = created.read_text(encoding="utf-8")
    for example in (
        "# articles:",
        "一、一级标题",
        "（一）二级标题",
        "【看点】",
        "![图片说明]",
        "| 项目 | 数量 |",
    ):
        assert example in text
    check = run("check", str(created))
    assert check.exit_code == 0
    assert "本期还没有文章" in check.stderr


def test_new_across_a_year_boundary(folder: Path) -> None:
    result = run("new", str(folder), "--date", "2019-01-05")
    assert result.exit_code == 0, result.output
    issue, _ = pipeline.read(folder / "2019-1.yaml")
    assert issue is not None
    assert (issue.masthead.issue_no, issue.masthead.total_no) == (1, 647)


def test_yearly_restart_can_be_turned_off(folder: Path) -> None:
    with (folder / "series.yaml").open("a", encoding="utf-8") as fh:
        fh.write("numbering:\n  yearly_restart: false\n")
    assert run("new", str(folder), "--date", "2019-01-05").exit_code == 0
    issue, _ = pipeline.read(folder / "2019-29.yaml")
    assert issue is not None and (issue.masthead.issue_no, issue.masthead.total_no) == (29, 647)


def test_special_issues_have_their_own_sequence(folder: Path) -> None:
    assert run("new", str(folder), "--date", "2018-12-22", "--special", "增刊").exit_code == 0
    assert run("new", str(folder), "--date", "2018-12-23", "--special", "增刊").exit_code == 0
    first, _ = pipeline.read(folder / "2018-增刊1.yaml")
    second, _ = pipeline.read(folder / "2018-增刊2.yaml")
    assert first is not None and second is not None
    assert (first.masthead.special, first.masthead.issue_no, first.masthead.total_no) == ("增刊", 1, None)
    assert second.masthead.issue_no == 2
    # a regular issue after them still follows 第二十八期
    assert run("new", str(folder), "--date", "2018-12-27").exit_code == 0
    regular, _ = pipeline.read(folder / "2018-29.yaml")
    assert regular is not None and regular.masthead.total_no == 647
    assert series.check(folder) == []


def test_new_never_overwrites(folder: Path) -> None:
    target = folder / "2018-29.yaml"
    target.write_text("# 编辑写了一半的稿子\n", encoding="utf-8")
    result = run("new", "--from", str(folder / "2018-28.yaml"), "--date", "2018-12-27")
    assert result.exit_code == 1
    assert "2018-29.yaml 已存在，未覆盖" in result.stderr
    assert target.read_text(encoding="utf-8") == "# 编辑写了一半的稿子\n"


def write_issue(folder: Path, name: str, no: int, total: int, date: str) -> None:
    (folder / name).write_text(
        f"issue_no: {no}\ntotal_no: {total}\ndate: {date}\narticles:\n  - title: 第{no}期文章\n    body: 正文。\n",
        encoding="utf-8",
    )


def test_series_check_finds_gap_duplicate_and_backwards_date(folder: Path) -> None:
    write_issue(folder, "2018-29.yaml", 29, 647, "2018-12-27")
    write_issue(folder, "2018-31.yaml", 31, 649, "2018-12-29")  # gap: 第三十期 missing
    write_issue(folder, "2018-31b.yaml", 31, 649, "2018-12-29")  # duplicate
    write_issue(folder, "2018-32.yaml", 32, 650, "2018-12-24")  # date goes backwards
    result = run("check", str(folder))
    assert result.exit_code == 1
    err = result.stderr
    assert "2018-31.yaml:1:1: 与上一期 2018-29.yaml 之间缺少总第648期" in err
    assert "2018-31.yaml:1:1: 与上一期 2018-29.yaml 之间缺少第30期" in err
    assert "2018-31b.yaml:1:1: 与 2018-31.yaml 都是总第649期" in err
    assert "2018-31b.yaml:1:1: 与 2018-31.yaml 都是第三十一期" in err
    assert "2018-32.yaml:1:1: 日期早于上一期 2018-31" in err


def test_check_on_one_file_reports_its_series_problems(folder: Path) -> None:
    write_issue(folder, "2018-30.yaml", 30, 648, "2018-12-29")
    result = run("check", str(folder / "2018-30.yaml"))
    assert "2018-30.yaml:1:1: 与上一期 2018-28.yaml 之间缺少总第647期" in result.stderr


def test_list_table_and_json(folder: Path) -> None:
    write_issue(folder, "2018-29.yaml", 29, 647, "2018-12-27")
    table = run("list", str(folder))
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].split() == ["文件", "期号", "总期号", "日期", "文章", "标题"]
    assert lines[1].split()[:5] == ["2018-28.yaml", "第二十八期", "646", "2018-12-20", "8"]
    assert lines[2].split()[:5] == ["2018-29.yaml", "第二十九期", "647", "2018-12-27", "1"]
    data = json.loads(run("list", str(folder), "--json").output)
    assert [(d["file"], d["issue_no"], d["total_no"], d["articles"]) for d in data] == [
        ("2018-28.yaml", 28, 646, 8),
        ("2018-29.yaml", 29, 647, 1),
    ]
    assert data[0]["titles"][0] == "“三力并举”激活“蜗牛工程”"


def test_one_wrong_date_is_blamed_on_its_own_file(folder: Path) -> None:
    """Numbers decide the order: a wrong date does not make the neighbours look out of sequence."""
    (folder / "2018-28.yaml").unlink()
    write_issue(folder, "2018-1.yaml", 1, 1, "2018-01-05")
    write_issue(folder, "2018-2.yaml", 2, 2, "2018-01-12")
    write_issue(folder, "2018-3.yaml", 3, 3, "2018-01-19")
    write_issue(folder, "2018-5.yaml", 5, 5, "2017-12-01")  # typed the wrong year
    err = run("check", str(folder)).stderr
    assert "2018-5.yaml:1:1: 日期早于上一期 2018-3.yaml" in err
    assert "2018-5.yaml:1:1: 与上一期 2018-3.yaml 之间缺少总第4期" in err
    assert "2018-5.yaml:1:1: 与上一期 2018-3.yaml 之间缺少第4期" in err
    assert "2018-1.yaml" not in err
