"""`bulletin watch`: an edit gives a new PDF on the page; a broken edit keeps the last good PDF and says why."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from bulletin_kit import watch

ROOT = Path(__file__).resolve().parent.parent

ISSUE = """issue_no: 5
total_no: 623
date: 2019-02-01
articles:
  - title: 春耕备耕工作有序推进
    source: 农业农村局
    body: |
      全区春耕备耕工作有序推进，各街道落实责任，确保不误农时。

      一、早谋划早部署

      农业农村局提前制定工作方案，组织技术人员深入田间地头指导生产。
  - title: 优化营商环境
    source: 经济发展局
    body: |
      经济发展局推出十项举措，进一步优化营商环境。
"""


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(ROOT / "issues" / "series.yaml", folder / "series.yaml")
    path = folder / "2019-5.yaml"
    path.write_text(ISSUE, encoding="utf-8")
    return path


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def status(url: str) -> dict:
    return json.loads(get(url + "status.json"))


def wait_for(url: str, version: int, timeout: float = 60) -> dict:
    """Return the status once its version reaches ``version``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            now = status(url)
        except (urllib.error.URLError, ConnectionError):
            now = {"version": -1}
        if now["version"] >= version:
            return now
        time.sleep(0.05)
    raise AssertionError(f"no build {version} within {timeout} s")


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "page.pdf"
    path.write_bytes(data)
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def edit(path: Path, old: str, new: str, then: tuple[str, str] | None = None) -> None:
    """Replace ``old`` by ``new`` (and ``then``'s pair too) in one write of the file."""
    text = path.read_text(encoding="utf-8")
    for a, b in [(old, new), *([then] if then else [])]:
        assert a in text
        text = text.replace(a, b)
    path.write_text(text, encoding="utf-8")


def test_watch_loop_rebuilds_and_keeps_last_good_pdf(issue: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    ready: list[str] = []
    lines: list[str] = []
    out = tmp_path / "output"
    thread = threading.Thread(
        target=watch.run,
        args=(issue, out, 0),
        kwargs={"echo": lines.append, "stop": stop, "ready": ready.append},
    )
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not ready and time.monotonic() < deadline:
            time.sleep(0.05)
        url = ready[0]
        assert url.startswith("http://127.0.0.1:")
        first = wait_for(url, 1)
        assert first["ok"] and first["has_pdf"] and first["problems"] == []
        assert first["pages"] >= 1
        assert "春耕备耕工作有序推进" in pdf_text(get(url + "issue.pdf"), tmp_path)
        assert "<html" in get(url).decode("utf-8")
        assert get(url + "page/1.png").startswith(b"\x89PNG")

        time.sleep(0.2)  # the watcher is watching by now: it starts right after the first build
        # one save: a new title, and three half-width commas (warnings of the content checks)
        edit(
            issue,
            "各街道落实责任，确保不误农时。",
            "各街道落实责任,层层压实,确保不误农时,抓好落实。",
            then=("春耕备耕工作有序推进", "春耕生产全面展开"),
        )
        second = wait_for(url, 2)
        assert second["ok"] and second["pdf_version"] == 2
        deadline = time.monotonic() + 30  # the checks' problems arrive just after the new PDF
        while not status(url)["problems"] and time.monotonic() < deadline:
            time.sleep(0.05)
        # grouped as `bulletin check` shows them: one line with the count, not three
        halfwidth = [p for p in status(url)["problems"] if "半角标点" in p and p.endswith("[警告]")]
        assert len(halfwidth) == 1 and "共 3 处" in halfwidth[0], halfwidth
        good = get(url + "issue.pdf")
        text = pdf_text(good, tmp_path)
        assert "春耕生产全面展开" in text and "春耕备耕工作有序推进" not in text
        assert (out / "2019-5.pdf").read_bytes() == good

        edit(issue, "issue_no: 5", "issue_no: [5")
        third = wait_for(url, 3)
        assert not third["ok"] and third["pdf_version"] == 2 and third["has_pdf"]
        assert any(re.search(r"2019-5\.yaml:\d+:\d+: YAML 格式错误", p) for p in third["problems"])
        assert "未生成新的 PDF" in third["message"]
        assert get(url + "issue.pdf") == good  # the page keeps showing the last good PDF
        assert (out / "2019-5.pdf").read_bytes() == good  # and the output is not touched
        assert any("YAML 格式错误" in line for line in lines)  # the terminal says it too
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert lines[-1] == "已停止预览。"
    assert list(out.glob(".*.tmp")) == []


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1000,900",
    "--virtual-time-budget=4000",
]


def screenshot(url: str, dest: Path, profile: Path) -> PILImage.Image:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is installed by scripts/setup.sh --dev"
    args = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={dest}", url]
    subprocess.run(args, capture_output=True, timeout=120, check=True)
    with PILImage.open(dest) as picture:
        return picture.convert("RGB")


def test_watch_page_in_chromium(issue: Path, tmp_path: Path) -> None:
    """Headless Chromium shows the page before and after an edit, and after a broken one."""
    bulletin = Path(sys.executable).with_name("bulletin")
    server = subprocess.Popen(
        [str(bulletin), "watch", str(issue), "-o", str(tmp_path / "output"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        first_line = server.stdout.readline()
        url = first_line.split("预览：", 1)[1].split("（", 1)[0]
        wait_for(url, 1)
        profile = tmp_path / "chromium"
        before = screenshot(url, tmp_path / "before.png", profile)

        edit(issue, "春耕备耕工作有序推进", "春耕生产全面展开　确保不误农时")
        assert wait_for(url, 2)["ok"]
        after = screenshot(url, tmp_path / "after.png", profile)

        edit(issue, "issue_no: 5", "issue_no: [5")
        assert not wait_for(url, 3)["ok"]
        broken = screenshot(url, tmp_path / "broken.png", profile)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert output.rstrip().endswith("已停止预览。")

    # The page shows the first PDF page as a picture: white paper, the red masthead on it.
    assert _has_red(before) and _has_red(after)
    # The masthead is the same before and after the edit; the 要目 (first title) changed.
    masthead = (100, 200, 900, 380)
    toc = (100, 520, 900, 620)
    assert before.crop(masthead).tobytes() == after.crop(masthead).tobytes()
    assert before.crop(toc).tobytes() != after.crop(toc).tobytes()
    # A broken edit: the bar turns red with the problem, and the last good page stays below it.
    assert broken.getpixel((500, 5)) == (0xFD, 0xE8, 0xE8)
    assert before.getpixel((500, 5)) != broken.getpixel((500, 5))
    assert _has_red(broken)


def _has_red(picture: PILImage.Image) -> bool:
    """Return True when the picture shows the red masthead (many pure-red pixels)."""
    data = picture.resize((250, 225)).tobytes()
    reds = sum(1 for i in range(0, len(data), 3) if data[i] > 200 and data[i + 1] < 60 and data[i + 2] < 60)
    return reds > 50


def test_busy_port_is_a_clear_message(issue: Path, tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from bulletin_kit.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["watch", str(issue), "-o", str(tmp_path / "out"), "--port", str(port)]
        )
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"无法在端口 {port} 上打开预览（可能已被占用）；请用 --port 换一个端口（0 为任选）"
    )
    assert not (tmp_path / "out").exists()
