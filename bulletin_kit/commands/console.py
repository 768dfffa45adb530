"""What every command prints the same way: problems on stderr, sorted by file and position.

Input: problems. Output: lines on stderr; :func:`fail` also exits with status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from ..problems import Problem
from ..readers.issue_yaml import SERIES_FILE


def echo_problems(problems: list[Problem]) -> None:
    """Print ``problems`` on stderr, ordered by file and position."""
    for p in sorted(problems, key=Problem.sort_key):
        click.echo(p.render(), err=True)


def fail(problems: list[Problem]) -> NoReturn:
    """Print ``problems`` and exit with status 1."""
    echo_problems(problems)
    sys.exit(1)


def issue_files(paths: tuple[Path, ...]) -> list[Path]:
    """Return the issue files named by ``paths``: files as given, folders as their ``*.yaml`` files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.yaml") if p.name != SERIES_FILE))
        else:
            files.append(path)
    return files
