"""``bulletin import``: departments' contributions (.docx, .txt, .md) as articles of an issue file.

Input: contribution files, ``--into`` an issue file or ``--stdout``, ``--strict``.
Output: the articles appended to the issue file (or their YAML on stdout) and every change listed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..problems import errors, summary
from .console import echo_problems


def run(files: tuple[Path, ...], into: Path | None, to_stdout: bool, strict: bool) -> None:
    """Import ``files`` into ``into``, or print their YAML when ``to_stdout``."""
    if (into is None) == (not to_stdout):
        raise click.UsageError("请指定 --into 期刊文件，或 --stdout（二者选一）")
    from .. import importing  # python-docx loads only when importing

    articles, text, problems = importing.import_files(files, into, strict=strict)
    echo_problems(problems)
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
