"""The ``bulletin import`` command: contributed .docx/.txt/.md files -> articles of an issue file.

Input: command-line arguments. Output: problems on stderr, the YAML (``--stdout``) or a note of
what was appended, and the exit code: 0 success, 1 bad input (nothing written), 2 bad usage.
Holds no document logic (see :mod:`bulletin_kit.importing`). Registered in :mod:`bulletin_kit.cli`
with ``cli.add_command(import_command, "import")``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .problems import Problem, errors, summary

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("import", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    "into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="追加到这个期刊文件（articles 列表的末尾），图片保存在它旁边。",
)
@click.option("--stdout", "to_stdout", is_flag=True, help="只把文章的 YAML 输出到屏幕，不改动任何文件。")
@click.option("--strict", is_flag=True, help="有警告时不写入。")
def import_command(files: tuple[Path, ...], into: Path | None, to_stdout: bool, strict: bool) -> None:
    """导入部门来稿（.docx、.txt、.md），每篇整理成期刊文件中的一篇文章。

    \b
    例如：
      bulletin import 来稿/司法局.docx --into issues/2018-29.yaml
      bulletin import 来稿/*.txt --stdout > 草稿.yaml

    导入时会整理标点、空格和断开的段落，每一处改动都会列出（文件:行: 改了什么），
    请对照原文核对。原文件不会被修改。
    """
    if (into is None) == (not to_stdout):
        raise click.UsageError("请指定 --into 期刊文件，或 --stdout（二者选一）")
    from . import importing  # python-docx loads only when importing

    articles, text, problems = importing.import_files(files, into, strict=strict)
    _report(problems)
    if errors(problems) or (strict and problems):
        click.echo(summary(problems, built=False), err=True)
        sys.exit(1)
    if into is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"已向 {into} 追加 {len(articles)} 篇文章：")
        for article in articles:
            counts = importing.stats(article)
            parts = [f"{counts['paragraphs']} 段", f"{counts['headings']} 个小标题"]
            extra = (("images", "张图片"), ("tables", "个表格"))
            parts += [f"{counts[k]} {word}" for k, word in extra if counts[k]]
            source = f"（{article.source}）" if article.source else "（没有来源单位）"
            click.echo(f"  {'　'.join(article.title)}{source}：{'，'.join(parts)}")
    if problems:
        click.echo(summary(problems, built=True), err=True)


def _report(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=Problem.sort_key):
        click.echo(problem.render(), err=True)


__all__ = ["import_command"]
