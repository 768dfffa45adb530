"""The ``bulletin`` command: parses arguments, calls :mod:`bulletin_kit.pipeline`, prints problems.

Input: command-line arguments. Output: messages (problems on stderr) and the exit code:
0 success, 1 bad input or failed build, 2 bad usage. Holds no document logic.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__, pipeline
from .problems import Level, Problem, errors, summary
from .readers.issue_schema import issue_json_schema
from .readers.issue_yaml import SERIES_FILE

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _echo_problems(problems: list[Problem]) -> None:
    for p in sorted(problems, key=Problem.sort_key):
        click.echo(p.render(), err=True)


def _issue_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.yaml") if p.name != SERIES_FILE))
        else:
            files.append(path)
    return files


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="bulletin-kit")
def cli() -> None:
    """bulletin-kit：用一个 YAML 文件排出一期简报（Word + PDF）。

    \b
    常用：
      bulletin check issues/2018-28.yaml     检查，列出全部问题
      bulletin build issues/2018-28.yaml     生成 output/2018-28.docx 和 .pdf
      bulletin schema > issue.schema.json    导出 JSON Schema（VS Code 补全）
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="警告也按错误处理。")
def check(paths: tuple[Path, ...], strict: bool) -> None:
    """检查期刊文件（可给文件夹），一次列出全部错误和警告。"""
    problems: list[Problem] = []
    files = _issue_files(paths)
    for path in files:
        problems.extend(pipeline.check(path))
    _echo_problems(problems)
    bad = errors(problems) or (strict and problems)
    if bad:
        click.echo(summary(problems, built=False), err=True)
        sys.exit(1)
    note = f"{len(files)} 个文件检查通过"
    if problems:
        note += f"（{len(problems)} 个警告）"
    click.echo(note + "。")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default=Path("output"),
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="输出文件夹。",
)
@click.option(
    "--to", "formats", default="docx,pdf", show_default=True, help="输出格式，逗号分隔：docx、pdf。"
)
@click.option("--force", is_flag=True, help="覆盖被修改过的 Word 文件（原文件先备份）。")
@click.option("--strict", is_flag=True, help="有警告时不生成。")
def build(paths: tuple[Path, ...], out_dir: Path, formats: str, force: bool, strict: bool) -> None:
    """生成 Word 和 PDF：output/<文件名>.docx、output/<文件名>.pdf。"""
    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in pipeline.FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(
            f"未知的输出格式 {', '.join(unknown) or '（空）'}；可选：docx、pdf", param_hint="--to"
        )
    files = _issue_files(paths)
    stems = [f.stem for f in files]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise click.UsageError(
            f"多个文件会生成同名输出：{', '.join(dupes)}；请分开生成或用 -o 指定不同文件夹"
        )
    all_problems: list[Problem] = []
    failed = False
    written = 0
    for path in files:
        result = pipeline.build(path, out_dir, wanted, force=force, strict=strict)
        all_problems.extend(result.problems)
        _echo_problems(result.problems)
        for dest in result.written:
            click.echo(f"已生成 {dest}")
        written += len(result.written)
        if not result.ok or (strict and result.problems) or len(result.written) < len(wanted):
            failed = True
    if failed:
        click.echo(summary(all_problems, built=written > 0), err=True)
        sys.exit(1)
    if all_problems:
        click.echo(summary(all_problems, built=True), err=True)


@cli.command()
@click.option(
    "-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="写入文件（默认输出到屏幕）。"
)
def schema(out: Path | None) -> None:
    """导出期刊文件的 JSON Schema，供 VS Code 的 YAML 插件补全和检查。"""
    text = json.dumps(issue_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        from .outputs import atomic_write_bytes

        atomic_write_bytes(out, text.encode("utf-8"))
        click.echo(f"已写入 {out}")


def main() -> None:
    """Entry point of the ``bulletin`` console script."""
    try:
        cli.main(prog_name="bulletin", standalone_mode=True)
    except Exception as exc:  # never show a traceback to an editor
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        click.echo(
            f"内部错误：{type(exc).__name__}: {exc}"
            "（请把这条信息和期刊文件发给维护者；设置 BULLETIN_DEBUG=1 可看详细信息）",
            err=True,
        )
        sys.exit(1)


__all__ = ["Level", "cli", "main"]
