"""Problems (errors and warnings) found in user input, with where they are and what to do.

Input: codes and positions from readers, validators, transforms and writers.
Output: :class:`Problem` objects and their one-line Chinese rendering
``FILE:LINE:COL: field.path: message（hint）``. The wording lives with each
:class:`~bulletin_kit.messages.Code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypedDict

from .messages import Code


class Level(StrEnum):
    """How bad a problem is: an error stops the build, a warning does not (unless --strict)."""

    ERROR = "error"
    WARNING = "warning"


class Where(TypedDict, total=False):
    """Where problems are, given once for several: ``Problem(code, args=…, **where)``."""

    file: Path | None
    line: int
    col: int
    path: str
    level: Level


@dataclass(frozen=True)
class Problem:
    """One problem. ``line`` and ``col`` are 1-based; 0 means unknown."""

    code: Code
    file: Path | None = None
    line: int = 0
    col: int = 0
    path: str = ""
    level: Level = Level.ERROR
    args: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Code(member) is the member; a string (a caller without type checking) becomes its member,
        # and an unknown code fails here, where the problem is made, not when it is shown.
        object.__setattr__(self, "code", Code(self.code))

    @property
    def message(self) -> str:
        """Return the Chinese message with its hint, from the code's table entry."""
        msg = self.code.text.format(**self.args)
        hint_text = self.code.hint.format(**self.args) if self.code.hint else ""
        if hint_text:
            msg += f"（{hint_text}）"
        return msg

    def render(self, cwd: Path | None = None) -> str:
        """Return ``FILE:LINE:COL: path: message`` with ``[警告]`` on warnings."""
        where = ""
        if self.file is not None:
            where = _display_path(self.file, cwd)
            if self.line:
                where += f":{self.line}:{self.col or 1}"
            where += ": "
        fieldpath = f"{self.path}: " if self.path else ""
        tail = " [警告]" if self.level is Level.WARNING else ""
        return f"{where}{fieldpath}{self.message}{tail}"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Return a key that orders problems by file and position."""
        return (str(self.file or ""), self.line, self.col, self.code)


def _display_path(path: Path, cwd: Path | None) -> str:
    cwd = cwd or Path.cwd()
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def errors(problems: list[Problem]) -> list[Problem]:
    """Return only the errors of ``problems``."""
    return [p for p in problems if p.level is Level.ERROR]


def summary(problems: list[Problem], *, built: bool) -> str:
    """Return the closing line, e.g. ``2 个错误，1 个警告；未生成任何文件。``."""
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    parts = []
    if n_err:
        parts.append(f"{n_err} 个错误")
    if n_warn:
        parts.append(f"{n_warn} 个警告")
    head = "，".join(parts) if parts else "没有发现问题"
    if not built:
        return f"{head}；未生成任何文件。"
    return f"{head}。"
