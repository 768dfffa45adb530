"""The pipeline shared by the CLI and the Python API: read -> transform -> write.

Input: issue file paths and output choices. Output: written files and all problems. Nothing is
written unless the issue reads without errors; each output is written atomically.
"""

from __future__ import annotations

import importlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import outputs, transforms
from .model import Issue
from .problems import Level, Problem, errors
from .readers import issue_yaml
from .safe_io import os_reason
from .theme import Theme, get_theme

FORMATS: dict[str, str] = {"docx": "bulletin_kit.writers.docx", "pdf": "bulletin_kit.writers.pdf"}
"""Output format -> writer module (each has ``write(issue, theme, dest) -> list[Problem]``)."""

Writer = Callable[[Issue, Theme, Path], list[Problem]]


def writer_for(fmt: str) -> Writer:
    """Return the ``write`` function of the writer for ``fmt``."""
    module = importlib.import_module(FORMATS[fmt])
    return module.write  # type: ignore[no-any-return]


def read(path: Path) -> tuple[Issue | None, list[Problem]]:
    """Read an issue file and run the transforms; return (issue or None, problems)."""
    issue, problems = issue_yaml.load(path)
    if issue is None:
        return None, problems
    issue, more = transforms.apply(issue)
    return issue, problems + more


@dataclass
class BuildResult:
    """What one ``build`` did."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return True when there was no error."""
        return not errors(self.problems)


def build(
    path: Path,
    out_dir: Path,
    formats: tuple[str, ...] = ("docx", "pdf"),
    *,
    force: bool = False,
    strict: bool = False,
) -> BuildResult:
    """Build ``path`` into ``out_dir/<stem>.<fmt>`` for each format."""
    result = BuildResult()
    started = time.perf_counter()
    issue, problems = read(path)
    result.problems.extend(problems)
    result.seconds["read"] = time.perf_counter() - started
    if issue is None or errors(problems) or (strict and problems):
        return result
    theme = get_theme(issue.layout.theme)
    for fmt in formats:
        dest = out_dir / f"{path.stem}.{fmt}"
        in_the_way = outputs.blocked(dest)
        if in_the_way:
            result.problems.append(Problem("build.blocked", file=path, args={"detail": in_the_way}))
            continue
        outputs.remove_stale(dest)
        if outputs.was_edited(dest):
            backup = outputs.backup_name(dest)
            if not force:
                pattern = f"{dest.stem}.修改稿-日期时间{dest.suffix}"
                result.problems.append(
                    Problem("build.edited", file=path, args={"file": str(dest), "backup": pattern})
                )
                continue
            shutil.copy2(dest, backup)
            result.problems.append(
                Problem(
                    "build.backup",
                    file=path,
                    level=Level.WARNING,
                    args={"file": str(dest), "backup": str(backup)},
                )
            )
        t0 = time.perf_counter()
        try:
            write = writer_for(fmt)
            found: list[Problem] = []

            def run(tmp: Path, write: Writer = write, found: list[Problem] = found) -> None:
                found.extend(write(issue, theme, tmp))
                if errors(found):
                    raise _WriterError

            outputs.atomic_write(dest, run)
            outputs.record(dest)
        except _WriterError:
            result.problems.extend(found)
            continue
        except OSError as exc:  # full disk, read-only folder…: the user's environment, not a bug
            result.problems.append(
                Problem("build.os_error", file=path, args={"folder": str(out_dir), "detail": os_reason(exc)})
            )
            continue
        except Exception as exc:  # a writer bug must not leave a half file nor a traceback
            result.problems.append(
                Problem(
                    "build.failed", file=path, args={"fmt": fmt, "detail": f"{type(exc).__name__}: {exc}"}
                )
            )
            continue
        result.problems.extend(found)
        result.written.append(dest)
        result.seconds[fmt] = time.perf_counter() - t0
    return result


class _WriterError(Exception):
    """A writer returned errors: discard its temporary file."""


def check(path: Path) -> list[Problem]:
    """Return every problem of ``path`` (an issue or a series.yaml) without writing anything."""
    return check_issue(path)[1]


def check_issue(path: Path) -> tuple[Issue | None, list[Problem]]:
    """Return :func:`check`'s problems and the issue read on the way (None for series.yaml or errors)."""
    if path.name == issue_yaml.SERIES_FILE:
        return None, issue_yaml.load_series(path)
    from . import lint

    issue, problems = read(path)
    return issue, sorted(problems + lint.lint_file(path), key=Problem.sort_key)


__all__ = ["FORMATS", "BuildResult", "Level", "build", "check", "check_issue", "read", "writer_for"]
