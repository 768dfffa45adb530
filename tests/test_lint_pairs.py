"""check: unpaired quotes and brackets, joined paragraphs, grouped findings, no problem hidden."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bulletin_kit import lint
from bulletin_kit.cli import cli
from bulletin_kit.lint_pairs import group
from bulletin_kit.problems import Level, Problem

from .test_lint import issue


def found(path: Path, code: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.message) for p in lint.lint_file(path) if p.code == code]


def test_single_quotes_are_paired_within_the_paragraph(tmp_path: Path) -> None:
    path = issue(tmp_path, "他说：“要坚持‘三个不’原则。”\n\n他说：“坚持‘枫桥经验，\n推进工作。”")
    # body lines start at line 7 of the file, indented six spaces
    assert found(path, "lint.unpaired") == [
        (9, 13, "“‘”没有对应的“’”（引号和括号应在同一段内成对出现，请补上或删去）")
    ]


def test_a_quote_across_lines_of_one_paragraph_is_paired(tmp_path: Path) -> None:
    path = issue(tmp_path, "他说：“坚持‘枫桥\n经验’。”")
    assert found(path, "lint.unpaired") == []


def test_two_paragraphs_without_a_blank_line(tmp_path: Path) -> None:
    path = issue(tmp_path, "第一段结束。\n一、这是标题\n\n正文接着写，\n折行不算。\n　　缩进的新段。")
    assert [(line, col) for line, col, _ in found(path, "lint.joined_paragraphs")] == [(8, 7), (12, 7)]


def test_the_sample_and_the_news_sample_have_none_of_these(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    for path in (root / "issues" / "2018-28.yaml", root / "tests" / "fixtures" / "news" / "news.yaml"):
        codes = {p.code for p in lint.lint_file(path)}
        assert not codes & {"lint.unpaired", "lint.joined_paragraphs"}


def test_identical_findings_are_one_line_per_rule_and_article(tmp_path: Path) -> None:
    commas = "，".join(["正文,正文"] * 40)
    path = issue(tmp_path, f"{commas}。\n\n另一段,也有。")
    result = CliRunner().invoke(cli, ["check", str(path)])
    lines = [line for line in result.output.splitlines() if "半角标点" in line]
    assert len(lines) == 1
    assert "本篇同类问题共 41 处，这里是第一处" in lines[0]
    assert lines[0].split(": ")[0].endswith("2019-1.yaml:7:9")


def test_grouping_keeps_errors_and_small_counts() -> None:
    def warn(code: str, path: str, line: int) -> Problem:
        return Problem(
            code,
            file=Path("a.yaml"),
            line=line,
            path=path,
            level=Level.WARNING,
            args={"desc": "d", "hint": ""},
        )

    error = Problem("schema.missing", file=Path("a.yaml"), line=1, args={"what": "x"})
    problems = [
        error,
        *(warn("lint.punct.halfwidth", "articles[0].body", n) for n in (3, 4, 5)),
        *(warn("lint.punct.halfwidth", "articles[1].body", n) for n in (8, 9)),
    ]
    grouped = group(problems)
    assert [(p.code, p.line) for p in grouped] == [
        ("schema.missing", 1),
        ("check.grouped", 3),
        ("lint.punct.halfwidth", 8),
        ("lint.punct.halfwidth", 9),
    ]
    assert grouped[1].args["n"] == 3


def test_a_misspelled_field_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    path = issue(tmp_path, "正文。\n\n![图](不存在.jpg)", extra="totl_no: 5\n")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "未知字段 'totl_no'" in result.output
    assert "找不到文件 '不存在.jpg'" in result.output
