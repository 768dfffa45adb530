"""A series' reference .docx (``layout.reference_docx``) restyles the Word file, like pandoc's
``--reference-doc``: its styles win by name, the paragraphs keep pointing at them."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from bulletin_kit import pipeline
from bulletin_kit.writers import docx as docx_writer

ROOT = Path(__file__).resolve().parents[2]
ISSUE = """\
issue_no: 5
total_no: 650
date: 2019-01-20
articles:
  - title: 标题
    body: |
      正文第一段。
"""


def make_reference(dest: Path) -> Path:
    """Copy the project's template as an office would edit it in Word: 简报正文 in 方正仿宋_GBK under a
    Word-style id, plus a style of the office's own."""
    with zipfile.ZipFile(docx_writer.DEFAULT_TEMPLATE) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":
                xml = data.decode("utf-8")
                body = re.search(
                    r'<w:style w:type="paragraph"[^>]*w:styleId="BkBody">.*?</w:style>', xml
                ).group(0)
                edited = body.replace('w:styleId="BkBody"', 'w:styleId="a5"').replace(
                    'w:eastAsia="仿宋_GB2312"', 'w:eastAsia="方正仿宋_GBK"'
                )
                own = '<w:style w:type="paragraph" w:customStyle="1" w:styleId="a9"><w:name w:val="单位自定义"/><w:basedOn w:val="a5"/></w:style>'
                xml = xml.replace(body, edited).replace("</w:styles>", own + "</w:styles>")
                xml = xml.replace('w:val="BkBody"', 'w:val="a5"')  # links and next styles follow the new id
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return dest


def build(tmp_path: Path, reference: str) -> tuple[pipeline.BuildResult, Path]:
    folder = tmp_path / "issues"
    folder.mkdir()
    series = (ROOT / "issues" / "series.yaml").read_text(encoding="utf-8")
    series = series.replace("  theme: default", f"  theme: default\n  reference_docx: {reference}")
    (folder / "series.yaml").write_text(series, encoding="utf-8")
    make_reference(folder / "参考.docx")
    (folder / "5.yaml").write_text(ISSUE, encoding="utf-8")
    out = tmp_path / "out"
    return pipeline.build(folder / "5.yaml", out, formats=("docx",)), out / "5.docx"


def styles_of(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/styles.xml").decode("utf-8")


def test_reference_styles_win_by_name(tmp_path: Path) -> None:
    result, docx = build(tmp_path, "参考.docx")
    assert result.ok, [p.render() for p in result.problems]
    styles = styles_of(docx)
    body = re.search(r'<w:style [^>]*w:styleId="BkBody">.*?</w:style>', styles).group(0)
    assert "简报正文" in body and 'w:eastAsia="方正仿宋_GBK"' in body
    assert 'w:styleId="a5"' not in styles  # the document's id is kept
    own = re.search(r'<w:style [^>]*w:styleId="a9">.*?</w:style>', styles).group(0)
    assert '<w:basedOn w:val="BkBody"/>' in own  # mapped to the document's id by name
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert '<w:pStyle w:val="BkBody"/>' in document
    # the body runs name no font of their own: the reference's 方正仿宋_GBK is what Word shows
    assert "仿宋_GB2312" not in document


def test_broken_reference_is_a_located_error_and_writes_nothing(tmp_path: Path) -> None:
    result, _docx = build(tmp_path, "参考.docx")
    assert result.ok
    (tmp_path / "issues" / "参考.docx").write_bytes(b"not a zip")
    shutil.rmtree(tmp_path / "out")
    result = pipeline.build(tmp_path / "issues" / "5.yaml", tmp_path / "out", formats=("docx",))
    assert not result.ok
    (problem,) = [p for p in result.problems if p.code == "docx.reference_bad"]
    assert problem.path == "layout.reference_docx"
    assert "参考.docx" in problem.render()
    assert not (tmp_path / "out" / "5.docx").exists()


def test_reference_outside_the_series_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.docx").write_bytes(b"")
    result, docx = build(tmp_path, "../elsewhere.docx")
    assert not result.ok
    assert any(p.code == "path.outside" for p in result.problems), [p.code for p in result.problems]
    assert not docx.exists()
