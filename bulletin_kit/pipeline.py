"""The pipeline shared by the CLI and the Python API: read -> transform -> write.

Input: issue file paths and output choices. Output: written files and all problems. Nothing is
written unless the issue reads without errors; each output is written atomically.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gc
import importlib
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from pydantic import BaseModel

from . import outputs, transforms
from .messages import Code
from .model import Issue
from .pdf_worker import WorkerDied
from .problems import Level, Problem, errors
from .readers import issue_yaml
from .safe_io import os_reason
from .theme import Theme, get_theme

if TYPE_CHECKING:
    from .pdf_worker import PdfWorker

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
    inputs: list[Path] = field(default_factory=list)
    """Every file the build read (see :func:`input_files`); empty when the issue did not read."""

    @property
    def ok(self) -> bool:
        """Return True when there was no error."""
        return not errors(self.problems)


P = ParamSpec("P")
R = TypeVar("R")

FULL_COLLECTION_THRESHOLD = 1_000_000
"""``gc`` threshold of the oldest generation while a build runs: no full collection (see below)."""
_gc_lock = threading.Lock()
_gc_state = {"builds": 0, "threshold": 0, "owed": 0}
"""Builds running now, the oldest generation's threshold to restore after the last one, and whether
a finished build's garbage is still waiting for a full collection (``owed``)."""


def without_full_collections(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with Python's full (oldest-generation) garbage collections held off.

    A cold build allocates a few hundred thousand objects (modules, pydantic models, WeasyPrint's
    boxes) that live until it ends, and the collector walked all of them three times per build of
    the sample: about 0.17 s of 2 s. The young generations are still collected (they free the
    short-lived cycles), and the previous threshold comes back when the last concurrent build
    ends (``bulletin watch`` keeps its process). Peak memory is unchanged (benchmarks/README.md).

    The price is paid once, later: a build leaves about 23,000 objects in reference cycles
    (WeasyPrint's boxes point to their parents), about 7 MB of the sample, which only a full
    collection frees, and the held-off threshold meant none came, so a process that builds again
    (``watch``, ``build -j 1`` of a folder, the pool's workers) grew by 7 MB per build: 478 MB after
    the 50 issues of the year benchmark. So the first build in a process that already built starts
    with one full collection (50–70 ms, the sample), unless :func:`collect_garbage` ran in between;
    a single ``bulletin build`` never pays it.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _gc_lock:
            if _gc_state["builds"] == 0:
                if _gc_state["owed"]:
                    gc.collect()
                    _gc_state["owed"] = 0
                first, second, _gc_state["threshold"] = gc.get_threshold()
                gc.set_threshold(first, second, FULL_COLLECTION_THRESHOLD)
            _gc_state["builds"] += 1
        try:
            return function(*args, **kwargs)
        finally:
            with _gc_lock:
                _gc_state["builds"] -= 1
                if _gc_state["builds"] == 0:
                    first, second, _ = gc.get_threshold()
                    gc.set_threshold(first, second, _gc_state["threshold"])
                    _gc_state["owed"] = 1

    return wrapper


def collect_garbage() -> None:
    """Free what finished builds left in reference cycles, now rather than at the next build's start.

    For a process that waits between builds (``bulletin watch`` calls it once a new PDF is served),
    so the next build does not begin with a full collection. Does nothing while a build runs.
    """
    with _gc_lock:
        if _gc_state["builds"] == 0 and _gc_state["owed"]:
            gc.collect()
            _gc_state["owed"] = 0


@without_full_collections
def build(
    path: Path,
    out_dir: Path,
    formats: tuple[str, ...] = ("docx", "pdf"),
    *,
    force: bool = False,
    strict: bool = False,
    overlap: str = "thread",
    pdf_worker: PdfWorker | None = None,
) -> BuildResult:
    """Build ``path`` into ``out_dir/<stem>.<fmt>`` for each format (see :data:`OVERLAP`).

    With ``pdf_worker`` (:mod:`bulletin_kit.pdf_worker`), the PDF is written by that process and
    the other formats in this thread meanwhile; ``overlap`` is then unused.
    """
    result = BuildResult()
    started = time.perf_counter()
    issue, problems = read(path)
    result.problems.extend(problems)
    result.seconds["read"] = time.perf_counter() - started
    if issue is None or errors(problems) or (strict and problems):
        return result
    theme = get_theme(issue.layout.theme)
    result.inputs = input_files(path, issue)
    wanted: list[tuple[str, Path]] = []
    for fmt in formats:
        dest = out_dir / f"{path.stem}.{fmt}"
        in_the_way = outputs.blocked(dest)
        if in_the_way:
            result.problems.append(Problem(Code.BUILD_BLOCKED, file=path, args={"detail": in_the_way}))
            continue
        outputs.remove_stale(dest)
        if fmt == "pdf" and not force and _unmerged_review(path, out_dir, result):
            continue
        if outputs.was_edited(dest):
            backup = outputs.backup_name(dest)
            if not force:
                pattern = f"{dest.stem}.修改稿-日期时间{dest.suffix}"
                result.problems.append(
                    Problem(Code.BUILD_EDITED, file=path, args={"file": str(dest), "backup": pattern})
                )
                continue
            shutil.copy2(dest, backup)
            result.problems.append(
                Problem(
                    Code.BUILD_BACKUP,
                    file=path,
                    level=Level.WARNING,
                    args={"file": str(dest), "backup": str(backup)},
                )
            )
        wanted.append((fmt, dest))
    try:
        written = _write_all(issue, theme, wanted, overlap, pdf_worker)
    except OSError as exc:  # full disk, read-only folder…: the user's environment, not a bug
        result.problems.append(_os_problem(path, out_dir, exc))
        return result
    for fmt, dest, found, seconds in written:
        if isinstance(found, OSError):
            result.problems.append(_os_problem(path, out_dir, found))
            continue
        if isinstance(found, WorkerDied):
            result.problems.append(
                Problem(Code.BUILD_WORKER_DIED, file=path, args={"fmt": fmt, "detail": found.detail})
            )
            continue
        if isinstance(found, BaseException):
            result.problems.append(
                Problem(
                    Code.BUILD_FAILED,
                    file=path,
                    args={"fmt": fmt, "detail": f"{type(found).__name__}: {found}"},
                )
            )
            continue
        result.problems.extend(found)
        if errors(found):
            continue
        try:
            outputs.record(dest)
        except OSError as exc:
            result.problems.append(_os_problem(path, out_dir, exc))
            continue
        result.written.append(dest)
        result.seconds[fmt] = seconds
    return result


def _os_problem(path: Path, out_dir: Path, exc: OSError) -> Problem:
    return Problem(Code.BUILD_OS_ERROR, file=path, args={"folder": str(out_dir), "detail": os_reason(exc)})


OVERLAP = ("thread", "process", "none")
"""How :func:`build` runs the writers of one issue: the .docx in a thread or a forked process
beside the PDF (built in the calling thread), or one after the other."""


def _timed_write(write: Writer, issue: Issue, theme: Theme, tmp: Path) -> tuple[list[Problem], float]:
    t0 = time.perf_counter()
    found = write(issue, theme, tmp)
    return found, time.perf_counter() - t0


def _call_writer(fmt: str, issue: Issue, theme: Theme, tmp: Path) -> tuple[list[Problem], float]:
    return _timed_write(writer_for(fmt), issue, theme, tmp)


def _write_all(
    issue: Issue,
    theme: Theme,
    wanted: list[tuple[str, Path]],
    overlap: str,
    pdf_worker: PdfWorker | None = None,
) -> list[tuple[str, Path, list[Problem] | BaseException, float]]:
    """Write each ``(fmt, dest)`` through a temporary file renamed into place only without errors.

    The PDF is laid out in ``pdf_worker`` if given, the other writers one after the other in this
    thread meanwhile; without it, the PDF in this thread, the others beside it as ``overlap`` says.
    A writer that raises gives its exception instead of problems, and leaves no file.
    """
    tmps = {fmt: outputs.temp_for(dest) for fmt, dest in wanted}
    done: dict[str, tuple[list[Problem], float] | BaseException] = {}
    executor = None
    worker = pdf_worker if "pdf" in tmps else None
    try:
        futures = {}
        side = [fmt for fmt, _ in wanted if fmt != "pdf"] if len(wanted) > 1 else []
        if worker is not None:
            try:
                worker.submit(issue, theme, tmps["pdf"])
            except Exception as exc:  # WorkerDied, or an issue that does not pickle (a bug)
                done["pdf"] = exc
        elif side and overlap != "none":
            executor = _executor(overlap)
            for fmt in side:
                futures[fmt] = executor.submit(_call_writer, fmt, issue, theme, tmps[fmt])
        for fmt, _ in wanted:
            if fmt in futures or (worker is not None and fmt == "pdf"):
                continue
            try:
                done[fmt] = _call_writer(fmt, issue, theme, tmps[fmt])
            except Exception as exc:  # a writer bug must not leave a half file nor a traceback
                done[fmt] = exc
        if worker is not None and "pdf" not in done:
            try:
                done["pdf"] = worker.result()
            except Exception as exc:  # WorkerDied, or what the writer raised there
                done["pdf"] = exc
        for fmt, future in futures.items():
            try:
                done[fmt] = future.result()
            except Exception as exc:
                done[fmt] = exc
        out: list[tuple[str, Path, list[Problem] | BaseException, float]] = []
        for fmt, dest in wanted:
            got = done[fmt]
            if isinstance(got, BaseException):
                out.append((fmt, dest, got, 0.0))
                continue
            found, seconds = got
            if not errors(found):
                outputs.commit_temp(tmps.pop(fmt), dest)
            out.append((fmt, dest, found, seconds))
        return out
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if worker is not None:
            worker.stop()  # before its temporary file goes: it may still be writing to it
        for tmp in tmps.values():
            outputs.discard_temp(tmp)


def _executor(overlap: str) -> concurrent.futures.Executor:
    if overlap == "process":
        import multiprocessing  # only here: 8 ms of every cold build otherwise

        context = multiprocessing.get_context("fork")
        return concurrent.futures.ProcessPoolExecutor(1, mp_context=context)
    return concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="bulletin-writer")


def input_files(path: Path, issue: Issue) -> list[Path]:
    """Return every file a build of ``issue`` reads: the issue file, series.yaml and each file it names.

    ``series.yaml`` is listed even when it does not exist: adding one changes the issue.
    """
    found = {Path(path).resolve(), issue_yaml.series_path(Path(path).resolve())}

    def walk(value: object) -> None:
        if isinstance(value, Path):
            found.add(value.resolve())
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)

    walk(issue)
    return sorted(found)


def _unmerged_review(path: Path, out_dir: Path, result: BuildResult) -> bool:
    """Return True (with an error) when the .docx beside the PDF was edited after it was built, or
    a review of it was saved beside it under another name: the PDF would print the text before
    review (``bulletin merge`` takes the edits back)."""
    docx = out_dir / f"{path.stem}.docx"
    found = [docx] if outputs.was_edited(docx) else []
    if out_dir.is_dir():
        from . import identity  # lxml: only when building the PDF

        found += identity.review_copies(path, out_dir, outputs.read_manifest(out_dir))
    for copy in found:
        result.problems.append(Problem(Code.BUILD_UNMERGED, file=path, args={"docx": str(copy)}))
    return bool(found)


def check(path: Path) -> list[Problem]:
    """Return every problem of ``path`` (an issue or a series.yaml) without writing anything."""
    return check_issue(path)[1]


def check_issue(path: Path) -> tuple[Issue | None, list[Problem]]:
    """Return :func:`check`'s problems and the issue read on the way (None for series.yaml or errors)."""
    if path.name == issue_yaml.SERIES_FILE:
        return None, issue_yaml.load_series(path)
    from . import lint

    raw, source_map, problems = issue_yaml.load_mapped(path)
    issue = None
    if raw is not None:  # as read(), and the model before the transforms for the structural lint
        issue, more = transforms.apply(raw)
        problems += more
    return issue, sorted(problems + lint.lint_file(path, raw, source_map), key=Problem.sort_key)


__all__ = ["FORMATS", "BuildResult", "Level", "build", "check", "check_issue", "read", "writer_for"]
