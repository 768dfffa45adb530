"""Running the real ``bulletin`` command under a time cap and a memory cap.

Every hostile case starts the installed console script in a fresh process (as an editor would),
limits its address space with ``RLIMIT_AS`` and its run time with a deadline, and records the exit
code, the output, the time taken and the peak resident memory (``wait4``'s rusage).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BULLETIN = Path(sys.executable).with_name("bulletin")
MEMORY_CAP_MB = 1024
"""Address-space cap of every case: a normal build needs < 600 MB of address space."""
TIME_CAP_S = 30.0

SERIES = (ROOT / "issues" / "series.yaml").read_text(encoding="utf-8")
SMALL = """issue_no: 1
total_no: 1
date: 2018-12-20
articles:
  - title: 关于开展安全检查的通知
    source: 安监局
    body: |
      为做好安全生产工作，现开展检查。
"""


def issue_text(
    body: str, *, articles: int = 1, head: str = "issue_no: 2\ntotal_no: 2\ndate: 2018-12-27\n"
) -> str:
    """Return an issue file whose ``articles`` articles all have ``body``."""
    indented = "".join(f"      {line}\n" if line else "\n" for line in body.split("\n"))
    one = "  - title: 标题\n    source: 单位\n    body: |\n" + indented
    return head + "articles:\n" + one * articles


@dataclass
class Ran:
    """What one run of the command did."""

    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float

    @property
    def text(self) -> str:
        return self.out + self.err


RUNS: list[tuple[str, Ran]] = []
"""Every run of the session, for the slowest-case and peak-memory summary."""


def run(
    args: list[str],
    cwd: Path,
    *,
    timeout: float = TIME_CAP_S,
    memory_mb: int = MEMORY_CAP_MB,
    signal_after: float | None = None,
    signal_when: Callable[[], bool] | None = None,
    signum: int = signal.SIGTERM,
    file_size: int | None = None,
    expect_hang: bool = False,
) -> Ran:
    """Run ``bulletin *args`` in ``cwd`` under the caps; fail the test on a hang (unless expected).

    ``signum`` is sent after ``signal_after`` seconds, or as soon as ``signal_when()`` is true.
    """

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("BULLETIN_DEBUG", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(BULLETIN), *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            preexec_fn=limits,
            env=env,
        )
        sent = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            elapsed = time.monotonic() - started
            if pid:
                break
            due = signal_after is not None and elapsed >= signal_after
            if not sent and (due or (signal_when is not None and signal_when())):
                proc.send_signal(signum)
                sent = True
            if elapsed > timeout:
                proc.kill()
                _pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                if expect_hang:
                    break
                pytest.fail(f"bulletin {' '.join(args)} did not finish within {timeout} s")
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        ran = Ran(
            code=proc.returncode,
            out=out.read().decode("utf-8", "replace"),
            err=err.read().decode("utf-8", "replace"),
            seconds=elapsed,
            peak_mb=usage.ru_maxrss / 1024,
        )
    RUNS.append((" ".join(args)[:80], ran))
    return ran


def assert_clean_exit(ran: Ran) -> None:
    """No traceback, no "internal error", no raw library warning."""
    assert "Traceback" not in ran.text, ran.text
    assert "内部错误" not in ran.text, ran.text
    assert "Warning" not in ran.text, ran.text


def leftovers(folder: Path) -> list[str]:
    """Return temporary files under ``folder`` (there must be none after any run)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A fresh series folder holding series.yaml and one small issue (2018-1.yaml)."""
    folder = tmp_path / "issues"
    folder.mkdir()
    (folder / "series.yaml").write_text(SERIES, encoding="utf-8")
    (folder / "2018-1.yaml").write_text(SMALL, encoding="utf-8")
    return folder


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Report the slowest hostile case and the largest peak memory (numbers for the issue)."""
    if not RUNS:
        return
    slow_args, slow = max(RUNS, key=lambda r: r[1].seconds)
    big_args, big = max(RUNS, key=lambda r: r[1].peak_mb)
    terminalreporter.write_line(
        f"hostile: {len(RUNS)} runs; slowest {slow.seconds:.2f} s ({slow_args}); "
        f"peak memory {big.peak_mb:.0f} MB ({big_args})"
    )


def copy_sample(folder: Path) -> Path:
    """Copy the sample issue into ``folder``; return its path."""
    shutil.copy(ROOT / "issues" / "2018-28.yaml", folder / "2018-28.yaml")
    return folder / "2018-28.yaml"
