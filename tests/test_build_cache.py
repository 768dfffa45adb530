"""`bulletin build` skips an issue whose inputs and outputs are unchanged, and builds the rest in a pool.

Real builds of small issues to .docx (the fast writer); the PDF path is the same code.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from bulletin_kit import build_cache, outputs
from bulletin_kit.cli import cli

ISSUE = """issue_no: {n}
date: 2019-01-{n:02d}
masthead: {{name: 测试信息, publisher: 办公室}}
articles:
  - title: 第{n}期的标题
    body: |
      第{n}期的正文。

      ![现场照片](photo.png)
"""


def write_issue(folder: Path, n: int) -> Path:
    path = folder / f"2019-{n}.yaml"
    path.write_text(ISSUE.format(n=n), encoding="utf-8")
    return path


def write_photo(folder: Path, color: str) -> None:
    PILImage.new("RGB", (40, 30), color).save(folder / "photo.png")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    issues = tmp_path / "issues"
    issues.mkdir()
    write_photo(issues, "red")
    for n in (1, 2, 3):
        write_issue(issues, n)
    return issues


def build(*args: str):
    return CliRunner().invoke(cli, ["build", "--to", "docx", *args])


def said(result) -> list[str]:
    """Return stdout's lines with the temporary folder's name cut off."""
    return [re.sub(r"^.*/", "", line) for line in result.stdout.splitlines()]


SKIPPED = "未改动，跳过（加 --force 重新生成）"


def test_unchanged_issues_are_skipped(folder: Path) -> None:
    out = folder.parent / "output"
    first = build(str(folder), "-o", str(out), "-j", "2")
    assert first.exit_code == 0, first.output
    assert said(first) == [f"2019-{n}.docx" for n in (1, 2, 3)]  # in file order, whatever finished first
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}

    again = build(str(folder), "-o", str(out))
    assert again.exit_code == 0, again.output
    assert said(again) == [f"2019-{n}.yaml {SKIPPED}" for n in (1, 2, 3)]
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")} == stamps

    forced = build(str(folder), "-o", str(out), "--force", "-j", "1")
    assert said(forced) == [f"2019-{n}.docx" for n in (1, 2, 3)]


def test_edited_issue_image_or_output_is_rebuilt(folder: Path) -> None:
    out = folder.parent / "output"
    assert build(str(folder), "-o", str(out)).exit_code == 0

    issue = folder / "2019-2.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("正文。", "新的正文。"), encoding="utf-8")
    result = build(str(folder), "-o", str(out))
    assert said(result) == [f"2019-1.yaml {SKIPPED}", "2019-2.docx", f"2019-3.yaml {SKIPPED}"]
    with zipfile.ZipFile(out / "2019-2.docx") as docx:
        assert "第2期的新的正文。" in docx.read("word/document.xml").decode("utf-8")

    write_photo(folder, "blue")  # every issue shows the photo
    result = build(str(folder), "-o", str(out))
    assert said(result) == [f"2019-{n}.docx" for n in (1, 2, 3)]
    with zipfile.ZipFile(out / "2019-3.docx") as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        with docx.open(media[0]) as fh, PILImage.open(fh) as picture:
            assert picture.convert("RGB").getpixel((5, 5)) == (0, 0, 255)

    (out / "2019-1.docx").unlink()
    result = build(str(folder), "-o", str(out))
    assert said(result) == ["2019-1.docx", f"2019-2.yaml {SKIPPED}", f"2019-3.yaml {SKIPPED}"]
    assert (out / "2019-1.docx").is_file()

    series = folder / "series.yaml"
    series.write_text("layout: {page_numbers: center}\n", encoding="utf-8")
    result = build(str(folder), "-o", str(out))
    assert said(result) == [f"2019-{n}.docx" for n in (1, 2, 3)]


def test_edited_output_is_not_skipped_nor_overwritten(folder: Path) -> None:
    out = folder.parent / "output"
    issue = folder / "2019-1.yaml"
    assert build(str(issue), "-o", str(out)).exit_code == 0
    (out / "2019-1.docx").write_bytes(b"reviewed in Word")
    result = build(str(issue), "-o", str(out))
    assert result.exit_code == 1
    assert "在上次生成之后被修改过" in result.stderr
    assert (out / "2019-1.docx").read_bytes() == b"reviewed in Word"


def test_manifest_keeps_checksums_and_records_inputs(folder: Path) -> None:
    out = folder.parent / "output"
    assert build(str(folder / "2019-1.yaml"), "-o", str(out)).exit_code == 0
    docx = out / "2019-1.docx"
    assert outputs.read_manifest(out) == {"2019-1.docx": outputs.sha256(docx)}
    entry = json.loads((out / outputs.MANIFEST).read_text(encoding="utf-8"))["builds"]["2019-1"]
    assert sorted(Path(p).name for p in entry["inputs"]) == ["2019-1.yaml", "photo.png", "series.yaml"]
    assert entry["inputs"][str(folder / "series.yaml")] is None  # none yet: adding one is a change
    assert entry["outputs"] == {"2019-1.docx": outputs.sha256(docx)}
    assert build_cache.is_fresh(folder / "2019-1.yaml", out, ("docx",))
    assert not build_cache.is_fresh(folder / "2019-1.yaml", out, ("docx", "pdf"))  # other formats
    assert not build_cache.is_fresh(folder / "2019-2.yaml", out, ("docx",))  # never built


def test_failed_issue_is_reported_in_order_and_built_after_fix(folder: Path) -> None:
    out = folder.parent / "output"
    bad = folder / "2019-2.yaml"
    bad.write_text(ISSUE.format(n=2).replace("issue_no: 2", "issue_no: 0"), encoding="utf-8")
    result = build(str(folder), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert said(result) == ["2019-1.docx", "2019-3.docx"]
    assert "2019-2.yaml" in result.stderr
    write_issue(folder, 2)
    result = build(str(folder), "-o", str(out), "-j", "2")
    assert result.exit_code == 0
    assert said(result) == [f"2019-1.yaml {SKIPPED}", "2019-2.docx", f"2019-3.yaml {SKIPPED}"]
