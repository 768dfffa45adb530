"""Full garbage collections are held off while a build runs, and come back after it (issue 14)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from bulletin_kit import pipeline

ROOT = Path(__file__).resolve().parent.parent


def test_held_off_during_a_build_and_restored_after(tmp_path: Path, monkeypatch) -> None:
    seen: list[tuple[int, int, int]] = []
    real = pipeline.writer_for

    def spying(fmt: str):
        write = real(fmt)

        def spy(issue, theme, dest):
            seen.append(gc.get_threshold())
            return write(issue, theme, dest)

        return spy

    before = gc.get_threshold()
    monkeypatch.setattr(pipeline, "writer_for", spying)
    result = pipeline.build(ROOT / "issues" / "2018-28.yaml", tmp_path, ("docx",))
    assert result.ok, result.problems
    assert (tmp_path / "2018-28.docx").stat().st_size > 0
    assert seen == [(before[0], before[1], pipeline.FULL_COLLECTION_THRESHOLD)]
    assert gc.get_threshold() == before


def test_restored_after_an_error_and_after_the_last_concurrent_build() -> None:
    before = gc.get_threshold()
    inner_started, release = threading.Event(), threading.Event()

    @pipeline.without_full_collections
    def slow() -> int:
        inner_started.set()
        release.wait(5)
        return gc.get_threshold()[2]

    @pipeline.without_full_collections
    def failing() -> None:
        raise ValueError("boom")

    results: list[int] = []
    other = threading.Thread(target=lambda: results.append(slow()))
    other.start()
    assert inner_started.wait(5)
    with pytest.raises(ValueError, match="boom"):
        failing()
    # the other build still runs: its collections stay held off
    assert gc.get_threshold()[2] == pipeline.FULL_COLLECTION_THRESHOLD
    release.set()
    other.join(5)
    assert results == [pipeline.FULL_COLLECTION_THRESHOLD]
    assert gc.get_threshold() == before


def _objects_after_each_build(builds: int, tmp_path: Path, *, collect_between: bool) -> list[int]:
    """Build the sample ``builds`` times in this process; return the gc objects tracked after each."""
    counts = []
    for _ in range(builds):
        result = pipeline.build(ROOT / "issues" / "2018-28.yaml", tmp_path, ("pdf",), overlap="none")
        assert result.ok, result.problems
        if collect_between:
            pipeline.collect_garbage()
        counts.append(len(gc.get_objects()))
    return counts


def test_a_process_that_builds_again_does_not_keep_the_previous_builds_garbage(tmp_path: Path) -> None:
    # Each build of the sample leaves ~23,000 objects in reference cycles; without a full collection
    # before the next build a process grew by one build's garbage per build (478 MB after 50 issues).
    pipeline.collect_garbage()
    counts = _objects_after_each_build(4, tmp_path, collect_between=False)
    growth = counts[-1] - counts[1]
    assert growth < 5_000, counts  # builds 2..4 start by freeing the previous build's cycles


def test_collect_garbage_frees_what_the_last_build_left(tmp_path: Path) -> None:
    result = pipeline.build(ROOT / "issues" / "2018-28.yaml", tmp_path, ("pdf",), overlap="none")
    assert result.ok, result.problems
    before = len(gc.get_objects())
    pipeline.collect_garbage()
    after = len(gc.get_objects())
    assert before - after > 10_000, (before, after)
    pipeline.collect_garbage()  # nothing owed now: no second full collection
    assert len(gc.get_objects()) >= after - 100
