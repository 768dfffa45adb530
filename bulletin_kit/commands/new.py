"""``bulletin new``: the next issue's file, numbered and dated from the latest one in the folder.

Input: the folder (or ``--from`` an issue), ``--date``, ``--special``. Output: a new issue file,
never overwriting one that exists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..messages import Code
from ..numerals import chinese_date, issue_line
from ..problems import Problem
from .console import fail

MAX_ISSUE_NO = 9999
"""Largest 期号 / 总期号 that can be written in Chinese numerals (第九千九百九十九期)."""


def run(folder: Path, start: Path | None, date: dt.datetime | None, special: str | None) -> None:
    """Create the issue that follows ``start`` (or the latest issue of ``folder``)."""
    from .. import new_issue, series

    if start is not None:
        folder = start.parent
    if not folder.is_dir():
        fail([Problem(Code.NEW_NO_FOLDER, args={"folder": str(folder)})])
    day = date.date() if date else dt.date.today()
    nxt = series.next_issue(folder, date=day, special=special, start=start)
    if nxt.issue_no > MAX_ISSUE_NO:
        fail([Problem(Code.NEW_TOO_LARGE, args={"limit": MAX_ISSUE_NO})])
    if nxt.path.exists():
        fail([Problem(Code.NEW_EXISTS, file=nxt.path, args={"file": str(nxt.path)})])
    name = ""
    if nxt.template and nxt.template.issue:
        name = nxt.template.issue.masthead.name
    text = new_issue.render(nxt, name)
    try:
        with nxt.path.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
            fh.write(text)
    except FileExistsError:
        fail([Problem(Code.NEW_EXISTS, file=nxt.path, args={"file": str(nxt.path)})])
    label = issue_line(nxt.issue_no, nxt.total_no, nxt.special)
    click.echo(f"已创建 {nxt.path}：{label}，{chinese_date(nxt.date)}")
    if nxt.template and nxt.template.issue and (nxt.date - nxt.template.issue.masthead.date).days > 92:
        before = chinese_date(nxt.template.issue.masthead.date)
        click.echo(
            f"注意：上一期 {nxt.template.path.name} 的日期是 {before}；"
            "如果日期不对，请删除新文件后用 --date 指定。"
        )
