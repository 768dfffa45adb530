"""A phone photo whose EXIF orientation says "turn 90°" stands upright in both the PDF and the .docx."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from PIL import Image as PILImage

from bulletin_kit import pipeline

ROOT = Path(__file__).resolve().parents[2]
ISSUE = """\
issue_no: 5
total_no: 650
date: 2019-01-20
articles:
  - title: 手机照片
    body: |
      正文。

      ![现场照片](phone.jpg)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("exif") / "issues"
    folder.mkdir()
    shutil.copy(ROOT / "issues" / "series.yaml", folder / "series.yaml")
    # stored 400 × 200 (landscape pixels), tagged "rotate 90° clockwise to display": upright 200 × 400
    exif = PILImage.Exif()
    exif[0x0112] = 6
    PILImage.new("RGB", (400, 200), (30, 90, 200)).save(folder / "phone.jpg", exif=exif, dpi=(72, 72))
    (folder / "phone.yaml").write_text(ISSUE, encoding="utf-8")
    out = folder.parent / "out"
    result = pipeline.build(folder / "phone.yaml", out)
    assert result.ok, [p.render() for p in result.problems]
    return out / "phone.docx", out / "phone.pdf"


def test_word_picture_is_upright(built: tuple[Path, Path]) -> None:
    docx_path, _pdf = built
    with zipfile.ZipFile(docx_path) as z:
        (media,) = [n for n in z.namelist() if n.startswith("word/media/")]
        with PILImage.open(z.open(media)) as picture:
            assert picture.size == (200, 400)
            assert picture.getexif().get(0x0112, 1) == 1
    (shape,) = docx.Document(str(docx_path)).inline_shapes
    assert shape.height / shape.width == pytest.approx(2, rel=0.01)


def test_pdf_picture_is_upright(built: tuple[Path, Path]) -> None:
    _docx, pdf_path = built
    with pdfplumber.open(pdf_path) as pdf:
        images = [image for page in pdf.pages for image in page.images]
    (image,) = images
    assert image["height"] / image["width"] == pytest.approx(2, rel=0.02)
