"""The README's command table and the CLI agree: every command has a row, every option is in it,
and the usage lines name their arguments in Chinese as the table does."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bulletin_kit.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _rows() -> dict[str, str]:
    """Command name -> the README table row(s) that start with `bulletin NAME`."""
    rows: dict[str, str] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `bulletin "):
            continue
        first_cell = line.split(" | ")[0]
        for name in re.findall(r"`bulletin (\w+)", first_cell):
            rows[name] = rows.get(name, "") + first_cell
    return rows


def _mentions(cell: str, opt: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", cell) is not None


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_in_the_readme_table(name: str) -> None:
    rows = _rows()
    assert name in rows, f"README 命令表缺少 bulletin {name}"
    command = cli.commands[name]
    for param in command.params:
        if not isinstance(param, click.Option) or param.name == "help":
            continue
        assert any(_mentions(rows[name], opt) for opt in param.opts), (name, param.opts, rows[name])


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_usage_names_arguments_in_chinese(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="bulletin")
    assert result.exit_code == 0
    usage = result.output.splitlines()[0]
    assert usage.startswith(f"用法： bulletin {name}")
    assert usage.startswith(f"用法： bulletin {name} [选项]"), usage
    assert not re.search(r"[A-Z]{3,}", usage), usage


def test_group_usage_is_chinese() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="bulletin")
    assert result.output.splitlines()[0] == "用法： bulletin [选项] 命令 [参数]..."


def test_missing_argument_names_the_chinese_placeholder() -> None:
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert "缺少参数 '文件或文件夹…'" in result.stderr
