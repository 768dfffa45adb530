"""``bulletin check``: every problem of the given issues, their lint, and the series numbering.

Input: issue files or folders, ``--strict``, ``--fix``. Output: problems on stderr, exit 1 on errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import pipeline
from ..model import Issue
from ..outputs import atomic_write_bytes
from ..problems import Problem, errors, summary
from .console import echo_problems, issue_files


def run(paths: tuple[Path, ...], strict: bool, fix: bool) -> None:
    """Check ``paths``; with ``fix``, first rewrite each file's safe punctuation fixes in place."""
    files = issue_files(paths)
    problems: list[Problem] = []
    if fix:
        for path in files:
            problems.extend(_fix(path))
    known: dict[Path, Issue | None] = {}
    for path in files:
        known[path.resolve()], found = pipeline.check_issue(path)
        problems.extend(found)
    problems.extend(_series_problems(paths, files, known))
    from ..lint_pairs import group

    problems = group(problems)  # one line per rule and article, with the count
    echo_problems(problems)
    bad = errors(problems) or (strict and problems)
    if bad:
        click.echo(summary(problems, built=False), err=True)
        sys.exit(1)
    note = f"{len(files)} 个文件检查通过"
    if problems:
        note += f"（{len(problems)} 个警告）"
    click.echo(note + "。")


def _series_problems(
    paths: tuple[Path, ...], files: list[Path], known: dict[Path, Issue | None]
) -> list[Problem]:
    """Return the numbering problems of the folders involved; for a file, only those that concern it."""
    from .. import series

    found: list[Problem] = []
    folders = {p.resolve(): p for p in paths if p.is_dir()}
    singles = {
        f.parent.resolve(): f.parent for f in files if f.parent.resolve() not in folders and f.exists()
    }
    for folder in folders.values():
        found.extend(series.check(folder, known))
    names = {f.resolve() for f in files}
    for folder in singles.values():
        for p in series.check(folder, known):
            if p.file is not None and (
                p.file.resolve() in names or folder / str(p.args.get("other")) in names
            ):
                found.append(p)
    return found


def _fix(path: Path) -> list[Problem]:
    from .. import lint

    new_text, changes, problems = lint.fix_file(path)
    if new_text is None:
        return problems
    for line_no, old, new in changes:
        click.echo(f"--- {path}:{line_no}")
        click.echo(f"-{old}")
        click.echo(f"+{new}")
    atomic_write_bytes(path, new_text.encode("utf-8"))
    click.echo(f"已修正 {path}：{len(changes)} 行。")
    return problems
