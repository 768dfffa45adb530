"""``bulletin list``: the issues of a folder as a table (or JSON).

Input: a folder, ``--json``. Output: one row per issue file on stdout.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import click


def run(folder: Path, as_json: bool) -> None:
    """Print file, 期号, 总期号, date, article count and titles of every issue in ``folder``."""
    from .. import series
    from ..numerals import chinese_number

    rows = series.entries(folder)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    table = [["文件", "期号", "总期号", "日期", "文章", "标题"]]
    for r in rows:
        if r.issue is None:
            table.append([r.path.name, "（有错误，请运行 bulletin check）", "", "", "", ""])
            continue
        m = r.issue.masthead
        all_titles = ["　".join(a.title) for a in r.issue.articles]
        titles = "；".join(all_titles[:2]) + ("……" if len(all_titles) > 2 else "")
        no = f"{m.special or ''}第{chinese_number(m.issue_no)}期"
        table.append(
            [r.path.name, no, str(m.total_no or ""), m.date.isoformat(), str(len(all_titles)), titles]
        )
    widths = [max(_width(row[i]) for row in table) for i in range(5)]
    for row in table:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(5)]
        click.echo("  ".join([*cells, row[5]]).rstrip())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
