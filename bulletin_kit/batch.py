"""Build many issues: skip the unchanged ones, build the rest in a pool of processes.

Input: issue files, the output folder, the formats, ``jobs`` (worker processes). Output: one
:class:`Outcome` per file, always in the order the files were given, whatever order the workers
finish in, so messages are the same from run to run. An issue is skipped when
:func:`bulletin_kit.build_cache.is_fresh` says its outputs match its inputs (never with ``force``).
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import build_cache, outputs, pipeline

if TYPE_CHECKING:
    from .pdf_worker import PdfWorker


@dataclass
class Outcome:
    """What happened to one issue file: skipped as unchanged, or built with ``result``."""

    path: Path
    result: pipeline.BuildResult | None = None

    @property
    def skipped(self) -> bool:
        """Return True when the outputs were up to date and nothing was built."""
        return self.result is None


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def build_one(
    path: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    *,
    force: bool = False,
    strict: bool = False,
    overlap: str = "thread",
) -> Outcome:
    """Build ``path`` unless it is up to date; record the inputs of a complete build."""
    if not force and build_cache.is_fresh(path, out_dir, formats, strict=strict):
        return Outcome(path)
    return _build(path, out_dir, formats, force=force, strict=strict, overlap=overlap)


def _build(
    path: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    *,
    force: bool,
    strict: bool,
    overlap: str,
    pdf_worker: PdfWorker | None = None,
) -> Outcome:
    try:
        before = outputs.sha256(path)
    except OSError:
        before = None
    result = pipeline.build(
        path, out_dir, formats, force=force, strict=strict, overlap=overlap, pdf_worker=pdf_worker
    )
    complete = result.ok and len(result.written) == len(formats)
    # An incomplete build records nothing: its inputs differ from the recorded ones, or an output
    # does (an edited .docx kept), so the next run builds it again anyway.
    if complete and before is not None and before == _sha(path):
        warnings = len(result.problems)
        entry = build_cache.entry(path, result.inputs, result.written, formats, warnings=warnings)
        build_cache.remember(path, out_dir, entry)
    return Outcome(path, result)


def _sha(path: Path) -> str | None:
    try:
        return outputs.sha256(path)
    except OSError:
        return None


def _worker(args: tuple[Path, Path, tuple[str, ...], bool, bool]) -> Outcome:
    path, out_dir, formats, force, strict = args
    # The pool already keeps every core busy: no second writer process per issue.
    return _build(path, out_dir, formats, force=force, strict=strict, overlap="none")


def build_many(
    files: list[Path],
    out_dir: Path,
    formats: tuple[str, ...],
    *,
    force: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    pdf_worker: PdfWorker | None = None,
) -> Iterator[Outcome]:
    """Yield the :class:`Outcome` of each of ``files`` in order, building up to ``jobs`` at a time.

    ``pdf_worker`` (:mod:`bulletin_kit.pdf_worker`) writes the PDF when a single issue is built.
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    stale = [f for f in files if force or not build_cache.is_fresh(f, out_dir, formats, strict=strict)]
    if len(stale) <= 1 or jobs == 1:
        worker = pdf_worker if len(stale) == 1 else None
        for path in files:
            if path in stale:
                yield _build(
                    path, out_dir, formats, force=force, strict=strict, overlap="thread", pdf_worker=worker
                )
            else:
                yield Outcome(path)
        return
    for fmt in formats:  # import the writers once, before the fork: every worker shares them
        if fmt == "pdf":
            from .writers import weasyprint_loader

            weasyprint_loader.load()
        pipeline.writer_for(fmt)
    import multiprocessing  # only for a pool: a single issue is built without it

    context = multiprocessing.get_context("fork")  # workers inherit the imports: no start-up cost
    workers = min(jobs, len(stale))
    todo = [i for i, path in enumerate(files) if path in stale]
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        # At most one issue per worker is handed over at a time, so that after Ctrl-C (or an
        # error) only the issues being built finish or stop; none is queued behind them.
        running: dict[concurrent.futures.Future[Outcome], int] = {}
        done: dict[int, Outcome] = {}
        for i, path in enumerate(files):
            if path not in stale:
                yield Outcome(path)
                continue
            while i not in done:
                while todo and len(running) < workers:
                    k = todo.pop(0)
                    running[pool.submit(_worker, (files[k], out_dir, formats, force, strict))] = k
                finished, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in finished:
                    done[running.pop(future)] = future.result()
            yield done.pop(i)


__all__ = ["Outcome", "build_many", "build_one", "default_jobs"]
