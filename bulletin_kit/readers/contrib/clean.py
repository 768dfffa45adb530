"""Step 2, clean: control characters, indents, tabs and runs of spaces, then the punctuation and
spacing rules of :mod:`bulletin_kit.cjk`; every change is counted per input line and reported.

Input: working paragraphs and tables. Output: the same, cleaned, and the change problems.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ... import cjk
from ...messages import Code
from ...problems import Level, Problem
from .assemble import Para
from .raw import RawTable
from .rules import _CONTROL, _ODD_SPACE, _SPACE_RUN

# ---------------------------------------------------------------- clean


class Changes:
    """Clean-up changes collected per input line, reported as one warning per line."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.fixed: dict[int, Counter[str]] = {}
        self.check: dict[int, Counter[str]] = {}
        self.col: dict[int, int] = {}

    def add(self, where: tuple[int, int], what: str, *, fixed: bool = True) -> None:
        line, col = where
        table = self.fixed if fixed else self.check
        table.setdefault(line, Counter())[what] += 1
        self.col[line] = min(self.col.get(line, col), col)

    def problems(self) -> list[Problem]:
        out = []
        for code, table in ((Code.IMPORT_CLEANED, self.fixed), (Code.IMPORT_CHECK, self.check)):
            for line, counter in table.items():
                changes = "；".join(what if n == 1 else f"{what}（{n} 处）" for what, n in counter.items())
                out.append(
                    Problem(
                        code,
                        file=self.file,
                        line=line,
                        col=self.col.get(line, 1),
                        level=Level.WARNING,
                        args={"changes": changes},
                    )
                )
        return out


def _clean(para: Para, changes: Changes) -> None:
    """Apply the whitespace clean-up and the :mod:`bulletin_kit.cjk` fixes, recording each change."""
    found = [m.start() for m in _CONTROL.finditer(para.text)]
    if found:
        for i in found:
            changes.add(para.at(i), "删除不可见的控制字符")
        para.edit(_CONTROL.sub("", para.text))
    tabs = [m.start() for m in _ODD_SPACE.finditer(para.text)]
    for i in tabs:
        changes.add(para.at(i), "制表符或特殊空格改为普通空格" if para.text[i] != "\t" else "删除制表符")
    if tabs:
        para.edit(_ODD_SPACE.sub(" ", para.text))
    lines = para.text.split("\n")
    offset = 0
    new_lines = []
    for line in lines:
        stripped = line.strip(" \u3000")
        lead = len(line) - len(line.lstrip(" \u3000"))
        if lead and stripped:
            changes.add(para.at(offset), "删除行首缩进")
        trail = len(line) - len(line.rstrip(" \u3000"))
        if trail and stripped:
            changes.add(para.at(offset + len(line) - trail), "删除行尾空格")
        for m in _SPACE_RUN.finditer(line):
            if not _between_han(line, m.start(), m.end()):
                changes.add(para.at(offset + m.start()), "连续空格合并为一个")

        def keep_between_han(m: re.Match[str], text: str = stripped) -> str:
            return m.group(0) if _between_han(text, m.start(), m.end()) else " "

        tidy = _SPACE_RUN.sub(keep_between_han, stripped)
        new_lines.append(tidy)
        offset += len(line) + 1
    para.edit("\n".join(new_lines))
    offset = 0
    fixed_lines = []
    for line in para.text.split("\n"):
        fixed, findings = cjk.fix_line(line)
        for f in _one_per_place(findings):
            changes.add(para.at(offset + f.col), cjk.describe(f), fixed=f.fixable)
        fixed_lines.append(fixed)
        offset += len(line) + 1
    para.edit("\n".join(fixed_lines))
    # drop empty soft lines left after the clean-up
    para.edit(re.sub(r"\n{2,}", "\n", para.text).strip("\n"))


def _one_per_place(findings: list[cjk.Finding]) -> list[cjk.Finding]:
    """Return ``findings`` with one per rule and column: two rules may see the same mark (“:” and “: ”)."""
    seen: dict[tuple[int, str], cjk.Finding] = {}
    for f in findings:
        seen.setdefault((f.col, f.code), f)
    return list(seen.values())


def _between_han(line: str, start: int, end: int) -> bool:
    before, after = line[start - 1 : start], line[end : end + 1]
    return bool(re.match(rf"[{cjk.HAN}]", before) and re.match(rf"[{cjk.HAN}]", after))


def _clean_table(table: RawTable, changes: Changes) -> RawTable:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            text = _ODD_SPACE.sub(" ", _CONTROL.sub("", cell)).replace("\n", " ").strip(" \u3000")
            text = re.sub(r" {2,}", " ", text)
            fixed, findings = cjk.fix_line(text)
            for f in _one_per_place(findings):
                changes.add((table.line, 1), cjk.describe(f), fixed=f.fixable)
            if "|" in fixed:
                changes.add((table.line, 1), "表格中的“|”改为“｜”")
                fixed = fixed.replace("|", "｜")
            cells.append(fixed)
        rows.append(tuple(cells))
    return RawTable(rows=tuple(rows), line=table.line)
