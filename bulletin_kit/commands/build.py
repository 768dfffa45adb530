"""``bulletin build``: the Word and PDF files of the given issues, skipping those already up to date.

Input: issue files or folders, output folder, formats, ``--force``, ``--strict``, ``-j``.
Output: the files written, problems on stderr, exit 1 when any issue failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import pipeline
from ..messages import Code
from ..problems import Problem, summary
from .console import echo_problems, fail, issue_files

if TYPE_CHECKING:
    from ..pdf_worker import PdfWorker


def run(
    paths: tuple[Path, ...],
    out_dir: Path,
    formats: str,
    force: bool,
    strict: bool,
    jobs: int | None,
    *,
    pdf_worker: PdfWorker | None = None,
) -> None:
    """Build ``paths`` into ``out_dir`` in the comma-separated ``formats`` (the PDF of a single
    issue in ``pdf_worker`` when given, see :mod:`bulletin_kit.pdf_worker`)."""
    from .. import batch

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in pipeline.FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(
            f"未知的输出格式 {', '.join(unknown) or '（空）'}；可选：docx、pdf", param_hint="--to"
        )
    files = issue_files(paths)
    if not files:
        fail([Problem(Code.BUILD_NO_FILES, args={"folder": "、".join(str(p) for p in paths)})])
    stems = [f.stem for f in files]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise click.UsageError(
            f"多个文件会生成同名输出：{', '.join(dupes)}；请分开生成或用 -o 指定不同文件夹"
        )
    all_problems: list[Problem] = []
    failed = False
    written = 0
    for outcome in batch.build_many(
        files, out_dir, wanted, force=force, strict=strict, jobs=jobs, pdf_worker=pdf_worker
    ):
        if outcome.result is None:
            click.echo(Code.BUILD_SKIPPED.text.format(file=outcome.path))
            continue
        result = outcome.result
        all_problems.extend(result.problems)
        echo_problems(result.problems)
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
