"""The Word file and the PDF print the same bulletin: the same texts, in the same order."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from bulletin_kit import pipeline

ROOT = Path(__file__).resolve().parents[2]

RICH = """\
issue_no: 3
total_no: 650
date: 2019-01-20
marker: 领导参阅
editor_note: 本期集中刊发各地经验。
distribution:
  report_to: [市委办公室, 市政府办公室]
  send_to: [各区县]
  copies: 120
articles:
  - title: 沙城街道“四化”引领　倾力打造基层治理现代化新样板
    subtitle: 副题文字
    kicker: 引题文字
    column: 《三争三强》专栏
    byline: 记者　张三　通讯员　李四
    editor_note: 这是编者按。
    source: 沙城街道
    body: |
      正文第一段，**加粗的一句**。

      一、智能化管理打造“平安数字沙城”。依托“基层治理四平台”和全科网格。

      （一）二级标题

      1.三级标题

      （1）四级标题

      # 星海街道：“三廉”齐抓育典型

      【看点】看点文字。

      | 项目 | 数量 |
      | --- | --- |
      | 生态停车场 | 25 |
"""


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u200b\u2060\ufeff]", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("same") / "issues"
    folder.mkdir()
    shutil.copy(ROOT / "issues" / "series.yaml", folder / "series.yaml")
    (folder / "rich.yaml").write_text(RICH, encoding="utf-8")
    result = pipeline.build(folder / "rich.yaml", folder.parent / "out")
    assert result.ok, [p.render() for p in result.problems]
    return folder.parent / "out" / "rich.docx", folder.parent / "out" / "rich.pdf"


@pytest.mark.parametrize("sample", ["rich", "2018-28"])
def test_word_paragraphs_appear_in_the_pdf_in_order(
    built: tuple[Path, Path], sample: str, tmp_path: Path
) -> None:
    if sample == "rich":
        docx_path, pdf_path = built
    else:
        result = pipeline.build(ROOT / "issues" / "2018-28.yaml", tmp_path)
        assert result.ok
        docx_path, pdf_path = tmp_path / "2018-28.docx", tmp_path / "2018-28.pdf"
    paragraphs = [_norm(p.text) for p in docx.Document(str(docx_path)).paragraphs if _norm(p.text)]
    table_cells = [_norm(c.text) for t in docx.Document(str(docx_path)).tables for c in t._cells]
    layout = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    )
    text = re.sub(r"—\d+—", "", _norm(layout.stdout))  # page numbers interrupt paragraphs across pages
    position = 0
    for para in paragraphs:
        found = text.find(para, position)
        assert found >= 0, f"Word paragraph not in the PDF (in order): {para[:40]}"
        position = found + len(para)
    for cell in table_cells:
        assert cell in text
