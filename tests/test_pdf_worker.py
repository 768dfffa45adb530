"""The PDF worker of a single-issue ``bulletin build``: same file, failures reported, never left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bulletin_kit import pdf_worker, pipeline
from bulletin_kit.messages import Code

ISSUE = "issue_no: 3\ndate: 2019-01-05\nmasthead: {name: 测试信息, publisher: 办公室}\narticles:\n  - title: 标题\n    body: 正文。\n"
BULLETIN = Path(sys.executable).with_name("bulletin")


@pytest.fixture
def issue_file(tmp_path: Path) -> Path:
    path = tmp_path / "issues" / "2019-3.yaml"
    path.parent.mkdir()
    path.write_text(ISSUE, encoding="utf-8")
    return path


def started() -> pdf_worker.PdfWorker:
    worker = pdf_worker.start()
    if worker is None:  # pragma: no cover - a thread left running by another test
        pytest.skip("a thread is running: no fork")
    return worker


def gone(pid: int) -> bool:
    """Return True when ``pid`` no longer runs (ended, or a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_cli_build_writes_the_same_pdf_as_in_process(issue_file: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(BULLETIN), "build", str(issue_file), "-o", str(tmp_path / "cli")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = pipeline.build(issue_file, tmp_path / "api")
    assert result.ok, [p.render() for p in result.problems]
    pdf = "2019-3.pdf"
    assert (tmp_path / "cli" / pdf).read_bytes() == (tmp_path / "api" / pdf).read_bytes()
    assert sorted(p.name for p in (tmp_path / "cli").iterdir()) == [
        ".bulletin-kit.json",
        "2019-3.docx",
        "2019-3.pdf",
    ]


def test_a_worker_that_dies_is_reported_and_leaves_no_pdf(issue_file: Path, tmp_path: Path) -> None:
    worker = started()
    os.kill(worker.pid, signal.SIGKILL)
    out = tmp_path / "out"
    result = pipeline.build(issue_file, out, pdf_worker=worker)
    assert [(p.code, p.args["detail"]) for p in result.problems] == [
        (Code.BUILD_WORKER_DIED, "被信号 SIGKILL 终止")
    ]
    assert "生成 pdf 的子进程意外结束" in result.problems[0].render()
    assert result.written == [out / "2019-3.docx"]  # the .docx does not depend on the worker
    assert sorted(p.name for p in out.iterdir()) == [".bulletin-kit.json", "2019-3.docx"]
    assert gone(worker.pid)


def test_an_exception_in_the_worker_is_reported_as_in_process(
    issue_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletin_kit.writers import pdf

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pdf, "write", boom)  # before the fork: the worker has it too
    worker = started()
    out = tmp_path / "out"
    result = pipeline.build(issue_file, out, ("pdf",), pdf_worker=worker)
    assert [(p.code, p.args) for p in result.problems] == [
        (Code.BUILD_FAILED, {"fmt": "pdf", "detail": "RuntimeError: boom"})
    ]
    assert list(out.iterdir()) == []
    assert gone(worker.pid)


def test_an_unused_worker_is_stopped_and_reaped() -> None:
    worker = started()
    worker.stop()
    worker.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)


def test_the_worker_dies_with_its_parent() -> None:
    code = "import os; from bulletin_kit import pdf_worker; w = pdf_worker.start(); print(w.pid, flush=True)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pid = int(done.stdout)
    deadline = time.monotonic() + 20
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(pid)


def test_worker_only_for_one_issue_file_with_a_pdf(issue_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_worker, "_single_threaded", lambda: True)
    assert pdf_worker.wanted((issue_file,), "docx,pdf")
    assert pdf_worker.wanted((issue_file,), " PDF ")
    assert not pdf_worker.wanted((issue_file,), "docx")
    assert not pdf_worker.wanted((issue_file.parent,), "pdf")  # a folder: -j builds its issues
    assert not pdf_worker.wanted((issue_file, issue_file), "pdf")
    monkeypatch.setattr(pdf_worker, "_single_threaded", lambda: False)
    assert not pdf_worker.wanted((issue_file,), "pdf")  # no fork beside a running thread
    assert pdf_worker.start() is None


def test_a_running_thread_is_seen() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not pdf_worker._single_threaded()
    finally:
        stop.set()
        thread.join()


def test_command_line_read_before_click(tmp_path: Path) -> None:
    read = pdf_worker.command_line_request
    assert read(["build", "a.yaml"]) == ((Path("a.yaml"),), pdf_worker.DEFAULT_FORMATS)
    assert read(["build", "-o", "out", "--force", "a.yaml", "--to=pdf", "--strict"]) == (
        (Path("a.yaml"),),
        "pdf",
    )
    assert read(["build", "--out=o", "-j", "2", "a.yaml", "b.yaml", "--to", "docx"]) == (
        (Path("a.yaml"), Path("b.yaml")),
        "docx",
    )
    assert read(["build", "--", "-a.yaml"]) == ((Path("-a.yaml"),), pdf_worker.DEFAULT_FORMATS)
    assert read(["build", "a.yaml", "--help"]) is None  # an option it does not know: click decides
    assert read(["build", "a.yaml", "-j4"]) is None
    assert read(["build", "a.yaml", "--to"]) is None
    assert read(["check", "a.yaml"]) is None
    assert read([]) is None


def test_build_default_formats_are_the_workers() -> None:
    from bulletin_kit.cli import build

    assert next(p.default for p in build.params if p.name == "formats") == pdf_worker.DEFAULT_FORMATS


def test_a_worker_started_early_is_claimed_only_by_a_build_that_wants_one(
    issue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_worker, "_single_threaded", lambda: True)
    pdf_worker.start_early(["build", str(issue_file)])
    assert len(pdf_worker._early) == 1
    early = pdf_worker._early[0]
    assert pdf_worker.claim((issue_file,), "docx") is None  # click read --to docx: stopped
    assert gone(early.pid) and not pdf_worker._early

    pdf_worker.start_early(["build", str(issue_file)])
    early = pdf_worker._early[0]
    try:
        assert pdf_worker.claim((issue_file,), "pdf") is early
        assert not pdf_worker._early
    finally:
        early.stop()

    pdf_worker.start_early(["build", "--to", "docx", str(issue_file)])
    pdf_worker.start_early(["build", str(issue_file.parent)])
    assert not pdf_worker._early  # nothing to do for a PDF worker: none started
    pdf_worker.start_early(["build", str(issue_file)])
    early = pdf_worker._early[0]
    pdf_worker.stop_early()  # a usage error, --help: nobody claimed it
    pdf_worker.stop_early()
    assert gone(early.pid) and not pdf_worker._early


def test_the_console_script_forks_before_click(issue_file: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bulletin_kit import launch, pdf_worker\n"
        "start = pdf_worker.start\n"
        "def logged():\n"
        "    print('fork, click imported:', 'click' in sys.modules, flush=True)\n"
        "    return start()\n"
        "pdf_worker.start = logged\n"
        f"sys.argv = ['bulletin', 'build', {str(issue_file)!r}, '-o', {str(tmp_path / 'out')!r}]\n"
        "launch.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "fork, click imported: False"
    assert (tmp_path / "out" / "2019-3.pdf").is_file()
    with open(Path(sys.executable).with_name("bulletin"), encoding="utf-8") as script:
        assert "from bulletin_kit.launch import main" in script.read()  # pip install -e . after a pull
