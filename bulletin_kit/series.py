"""A series folder: the issues in it, their numbering checks, and the next issue's numbers.

Input: a folder of issue files (``issues/``). Output: :class:`Entry` rows (for ``bulletin list``),
numbering problems across files (gaps, duplicates, going backwards), and :class:`NextIssue`
for ``bulletin new``. 增刊/专刊 are numbered in their own sequence per year.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .messages import Code
from .model import Issue, Masthead
from .numerals import issue_line
from .problems import Level, Problem
from .readers import issue_yaml
from .readers.issue_schema import SeriesFile
from .readers.yaml_source import load as load_yaml


@dataclass(frozen=True)
class Entry:
    """One issue file of a series, as ``bulletin list`` shows it."""

    path: Path
    issue: Issue | None
    """None when the file has errors (``bulletin check`` shows them)."""

    @property
    def masthead(self) -> Masthead:
        """Return the issue's masthead (of a file without errors)."""
        assert self.issue is not None
        return self.issue.masthead

    @property
    def key(self) -> tuple[str, int]:
        """Return the numbering sequence this issue belongs to: ('', year) or ('增刊', year)."""
        assert self.issue is not None
        m = self.issue.masthead
        return (m.special or "", m.date.year)

    def as_json(self) -> dict[str, object]:
        """Return the row as plain data for ``bulletin list --json``."""
        if self.issue is None:
            return {"file": self.path.name, "ok": False}
        m = self.issue.masthead
        return {
            "file": self.path.name,
            "ok": True,
            "issue_no": m.issue_no,
            "total_no": m.total_no,
            "special": m.special,
            "date": m.date.isoformat(),
            "label": issue_line(m.issue_no, m.total_no, m.special),
            "articles": len(self.issue.articles),
            "titles": ["　".join(a.title) for a in self.issue.articles],
        }


def issue_files(folder: Path) -> list[Path]:
    """Return the issue files of ``folder`` (every ``*.yaml`` but series.yaml), sorted by name."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != issue_yaml.SERIES_FILE)


def entries(folder: Path, known: Mapping[Path, Issue | None] | None = None) -> list[Entry]:
    """Return every issue of ``folder`` in numbering order: regular issues by 总期号 (or year and 期号),
    then 增刊/专刊 by year and number, then files with errors.

    Numbers, not dates, decide the order, so one wrong date is reported as that file's date going
    backwards instead of making its neighbours look out of sequence. ``known`` holds issues already
    read (by resolved path), so ``check`` does not read a file twice.
    """
    known = known or {}
    rows = [
        Entry(path, known[path.resolve()] if path.resolve() in known else issue_yaml.load(path)[0])
        for path in issue_files(folder)
    ]
    return sorted(rows, key=_order)


def _order(entry: Entry) -> tuple[object, ...]:
    if entry.issue is None:
        return (2, "", 0, 0, 0, entry.path.name)
    m = entry.issue.masthead
    return (1 if m.special else 0, m.special or "", m.total_no or 0, m.date.year, m.issue_no, entry.path.name)


def yearly_restart(folder: Path) -> bool:
    """Return the series setting ``numbering.yearly_restart`` (default True)."""
    path = folder / issue_yaml.SERIES_FILE
    if not path.exists():
        return True
    doc, _ = load_yaml(path)
    if doc is None or not isinstance(doc.data, dict):
        return True
    try:
        return SeriesFile.model_validate(doc.data).numbering.yearly_restart
    except ValueError:
        return True


def check(folder: Path, known: Mapping[Path, Issue | None] | None = None) -> list[Problem]:
    """Return the numbering problems across the issues of ``folder``, each naming both files."""
    rows = [e for e in entries(folder, known) if e.issue is not None]
    restart = yearly_restart(folder)
    problems: list[Problem] = []

    def warn(code: Code, entry: Entry, other: Entry, level: Level = Level.WARNING, **args: object) -> None:
        problems.append(
            Problem(
                code, file=entry.path, line=1, col=1, level=level, args={"other": other.path.name, **args}
            )
        )

    # two files claiming the same issue
    seen_total: dict[int, Entry] = {}
    seen_no: dict[tuple[str, int, int], Entry] = {}
    for e in rows:
        m = e.masthead
        if m.total_no is not None:
            if m.total_no in seen_total:
                warn(Code.SERIES_DUPLICATE_TOTAL, e, seen_total[m.total_no], Level.ERROR, total=m.total_no)
            seen_total.setdefault(m.total_no, e)
        seq = (m.special or "", m.date.year if (restart or m.special) else 0, m.issue_no)
        if seq in seen_no:
            label = issue_line(m.issue_no, None, m.special)
            warn(Code.SERIES_DUPLICATE_NO, e, seen_no[seq], Level.ERROR, label=label)
        seen_no.setdefault(seq, e)

    # gaps and going backwards, each sequence on its own
    regular = [e for e in rows if not e.masthead.special]
    for prev, cur in itertools.pairwise(regular):
        p, c = prev.masthead, cur.masthead
        if p.total_no and c.total_no:
            if c.total_no > p.total_no + 1:
                warn(Code.SERIES_GAP_TOTAL, cur, prev, missing=_span(p.total_no + 1, c.total_no - 1))
            elif c.total_no < p.total_no:
                warn(Code.SERIES_BACKWARDS_TOTAL, cur, prev, total=c.total_no, prev_total=p.total_no)
        new_year = restart and c.date.year > p.date.year
        expected = 1 if new_year else p.issue_no + 1
        if c.issue_no > expected and c.total_no != p.total_no:
            warn(Code.SERIES_GAP_NO, cur, prev, missing=_span(expected, c.issue_no - 1))
        elif c.issue_no < expected and not new_year and c.issue_no != p.issue_no:
            warn(Code.SERIES_BACKWARDS_NO, cur, prev, no=c.issue_no, prev_no=p.issue_no)
    by_total = sorted((e for e in regular if e.masthead.total_no), key=lambda e: e.masthead.total_no or 0)
    for prev, cur in itertools.pairwise(by_total):
        if cur.masthead.date < prev.masthead.date:
            warn(Code.SERIES_DATE_BACKWARDS, cur, prev)
    return problems


_FIELDS = {"total": "total_no", "no": "issue_no", "backwards": "date"}
"""The field a series problem is about, from the last part of its code."""


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class NextIssue:
    """The numbers of the issue that ``bulletin new`` creates."""

    path: Path
    issue_no: int
    total_no: int | None
    date: dt.date
    special: str | None
    template: Entry | None


_STEM = re.compile(r"^(\d{4})-(\d+)$")


def next_issue(
    folder: Path, *, date: dt.date, special: str | None = None, start: Path | None = None
) -> NextIssue:
    """Return the next issue after the latest of ``folder`` (or after ``start``)."""
    rows = [e for e in entries(folder) if e.issue is not None]
    restart = yearly_restart(folder)
    regular = [e for e in rows if not e.masthead.special]
    if start is not None:
        base = next((e for e in rows if e.path.resolve() == start.resolve()), None)
        if base is None:
            base = Entry(start, issue_yaml.load(start)[0])
    else:
        base = regular[-1] if regular else None
    base_issue = base.issue if base else None
    if special:
        same = [e for e in rows if e.masthead.special == special and e.masthead.date.year == date.year]
        number = max((e.masthead.issue_no for e in same), default=0) + 1
        name = f"{date.year}-{special}{number}.yaml"
        return NextIssue(folder / name, number, None, date, special, base)
    if base_issue is None:
        return NextIssue(folder / f"{date.year}-1.yaml", 1, None, date, None, None)
    m = base_issue.masthead
    new_year = restart and date.year > m.date.year
    number = 1 if new_year else m.issue_no + 1
    total = m.total_no + 1 if m.total_no else None
    return NextIssue(folder / f"{date.year}-{number}.yaml", number, total, date, None, base)
