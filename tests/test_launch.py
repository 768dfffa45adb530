"""The console script ends the process quickly, with the command's status and all its output."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bulletin_kit import launch

ROOT = Path(__file__).resolve().parent.parent


def _end(status: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import atexit, sys\n"
        "from bulletin_kit import launch\n"
        f"atexit.register(lambda: open({str(tmp_path / 'atexit')!r}, 'w').write('ran'))\n"
        "for _ in range(999): sys.stdout.write('xyz')\n"  # buffered: lost unless flushed before os._exit
        f"launch.end({status})\n"
        "print('not reached')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)


@pytest.mark.parametrize(
    ("status", "code", "err"), [("0", 0, ""), ("None", 0, ""), ("7", 7, ""), ("'坏了'", 1, "坏了\n")]
)
def test_end_keeps_status_output_and_atexit(tmp_path: Path, status: str, code: int, err: str) -> None:
    done = _end(status, tmp_path)
    assert done.returncode == code
    assert done.stdout == "xyz" * 999
    assert done.stderr == err
    assert (tmp_path / "atexit").read_text() == "ran"


def test_end_with_another_thread_running_is_an_ordinary_exit() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with pytest.raises(SystemExit) as raised:
            launch.end(3)
        assert raised.value.code == 3
    finally:
        stop.set()
        other.join()


def test_the_console_script_reports_through_a_pipe(tmp_path: Path) -> None:
    bulletin = Path(sys.executable).with_name("bulletin")
    ok = subprocess.run(
        [str(bulletin), "check", str(ROOT / "issues" / "2018-28.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and "检查通过" in ok.stdout, ok
    bad = tmp_path / "bad.yaml"
    bad.write_text("x: [\n", encoding="utf-8")
    failed = subprocess.run(
        [str(bulletin), "build", str(bad), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert "YAML" in failed.stderr and "未生成任何文件" in failed.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_build_leaves_no_font_files_in_the_temporary_folder(tmp_path: Path) -> None:
    # WeasyPrint removes its ``weasyprint-*`` folder of font files only in ``__del__``, which never
    # runs when a process ends with os._exit (the console script, the PDF worker, a pool's worker).
    bulletin = Path(sys.executable).with_name("bulletin")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), XDG_CACHE_HOME=str(tmp_path / "cache"))
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_bytes((ROOT / "issues" / "2018-28.yaml").read_bytes())
    (tmp_path / "series.yaml").write_bytes((ROOT / "issues" / "series.yaml").read_bytes())
    for files in (["one.yaml"], ["one.yaml", "two.yaml"]):  # the PDF worker; a pool
        built = subprocess.run(
            [str(bulletin), "build", "--to", "pdf", "--force", "-o", str(tmp_path / "out")]
            + [str(tmp_path / name) for name in files],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        assert built.returncode == 0, built
        assert [p.name for p in scratch.iterdir()] == [], files


def test_remove_font_folder_checks_the_shape() -> None:
    from bulletin_kit.writers import weasyprint_hook

    class Config:
        _folder = ROOT  # not a ``weasyprint-*`` folder: left alone

    weasyprint_hook.remove_font_folder(Config())
    weasyprint_hook.remove_font_folder(object())
    assert ROOT.is_dir()


def test_an_interrupted_build_leaves_no_font_files(tmp_path: Path) -> None:
    # The main process stops the PDF worker with SIGTERM first: it removes its font files and ends.
    import signal
    import time

    bulletin = Path(sys.executable).with_name("bulletin")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for name in ("2018-28.yaml", "series.yaml"):
        (tmp_path / name).write_bytes((ROOT / "issues" / name).read_bytes())
    env = dict(os.environ, TMPDIR=str(scratch), XDG_CACHE_HOME=str(tmp_path / "cache"))
    build = subprocess.Popen(
        [str(bulletin), "build", "2018-28.yaml"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    fonts = "weasyprint-*"
    while not any(scratch.glob(fonts)) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # until the worker has made its font folder
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    if build.returncode == 143:
        assert "已中断" in err.decode()
    else:  # pragma: no cover - the build finished first
        assert build.returncode == 0
    assert [p.name for p in scratch.glob(fonts)] == []
