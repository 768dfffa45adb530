"""``bulletin merge``: a reviewed Word file's changes written back into its issue file.

Input: the reviewed .docx, ``--into``, ``--accept-all``/``--reject-all``, ``--dry-run``, ``--force``.
Output: the changes listed, the issue file edited in place, exit 1 when nothing could be merged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..problems import summary
from .console import echo_problems


def run(
    reviewed: Path, into: Path | None, accept_all: bool, reject_all: bool, dry_run: bool, force: bool
) -> None:
    """Merge ``reviewed`` into ``into`` (or the issue file recorded in it)."""
    if accept_all and reject_all:
        raise click.UsageError("--accept-all 和 --reject-all 只能选一个")
    from .. import merge

    result = merge.merge(
        reviewed, into, accept_all=accept_all, reject_all=reject_all, dry_run=dry_run, force=force
    )
    for line in merge.report(result):
        click.echo(line)
    echo_problems(result.problems)
    if not result.ok:
        click.echo(summary(result.problems, built=False), err=True)
        sys.exit(1)
