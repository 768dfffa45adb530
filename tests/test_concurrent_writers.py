"""The .docx is written beside the PDF (a thread, a forked process, or one after the other): same files,
and a writer that fails leaves no file of its own and does not stop the other."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from bulletin_kit import pipeline

ISSUE = """issue_no: 7
date: 2019-03-01
masthead: {name: 测试信息, publisher: 办公室}
articles:
  - title: 同时生成两种文件
    body: |
      这是正文的第一段。
"""


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    path = tmp_path / "issues" / "2019-7.yaml"
    path.parent.mkdir()
    path.write_text(ISSUE, encoding="utf-8")
    return path


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("overlap", pipeline.OVERLAP)
def test_both_files_whatever_the_overlap(issue: Path, tmp_path: Path, overlap: str) -> None:
    out = tmp_path / "output"
    result = pipeline.build(issue, out, ("docx", "pdf"), overlap=overlap)
    assert result.ok, [p.render() for p in result.problems]
    assert result.written == [out / "2019-7.docx", out / "2019-7.pdf"]
    assert "同时生成两种文件" in docx_text(out / "2019-7.docx")
    assert "同时生成两种文件" in PdfReader(out / "2019-7.pdf").pages[0].extract_text()
    assert set(result.seconds) >= {"docx", "pdf"}
    assert sorted(p.name for p in out.iterdir()) == [".bulletin-kit.json", "2019-7.docx", "2019-7.pdf"]


@pytest.mark.parametrize("overlap", ["thread", "process"])
def test_failing_side_writer_leaves_nothing(
    issue: Path, tmp_path: Path, overlap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.writer_for

    def broken_docx(issue, theme, dest: Path):
        dest.write_bytes(b"half a file")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "writer_for", lambda fmt: broken_docx if fmt == "docx" else real(fmt))
    out = tmp_path / "output"
    result = pipeline.build(issue, out, ("docx", "pdf"), overlap=overlap)
    assert result.written == [out / "2019-7.pdf"]
    assert [(p.code, p.args["fmt"]) for p in result.problems] == [("build.failed", "docx")]
    assert "disk on fire" in result.problems[0].args["detail"]
    assert sorted(p.name for p in out.iterdir()) == ["2019-7.pdf"]  # no temp file, no docx
