"""``bulletin fonts``: the font each role uses here, and the characters of an issue no font can show.

Input: an issue file. Output: the report on stdout, exit 1 when a character or a font is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import pipeline
from .console import fail


def run(path: Path) -> None:
    """Print the font report of the issue at ``path``."""
    issue, problems = pipeline.read(path)
    if issue is None:
        fail(problems)
    from .. import fonts
    from ..theme import get_theme

    report = fonts.report(issue, get_theme(issue.layout.theme))
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        click.echo(
            "有缺字或缺少字体：印出来会是空白方框，请换字或安装字体（见 README“字体”一节）。", err=True
        )
        sys.exit(1)
    click.echo("所有字都有字体可用。")
