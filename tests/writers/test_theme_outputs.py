"""The theme is the one source of the layout: both outputs print every element as the theme says.

One issue with every paragraph element (要目, 编者按, title, headings 1-4, body, 引文, 落款, 【看点】,
picture caption, source, 版记) is built once. For each element the Word file's paragraph style (read
with python-docx: size, alignment, indents, line spacing, keep-with-next) and the PDF's lines of that
element (read with pdfplumber: size, x of the first line, alignment, line pitch) are compared with the
element's ``TextStyle`` and ``Block`` in :mod:`bulletin_kit.theme`. The Word template itself is checked
style by style against the theme too, so neither writer can drift from it.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from bulletin_kit import pipeline
from bulletin_kit.theme import Block, TextStyle, Theme
from bulletin_kit.units import mm

from .pdf_lines import Line, lines

ROOT = Path(__file__).resolve().parents[2]
THEME = Theme()
LEFT = mm(THEME.margin_left_mm)
RIGHT = mm(THEME.page_width_mm - THEME.margin_right_mm)

LONG = (
    "今年以来，街道坚持问题导向和目标导向，聚焦群众急难愁盼，统筹推进基层治理各项工作，"
    "建立健全网格化管理、精细化服务、信息化支撑的基层治理平台，群众满意度持续提升。"
)
CAPTION = "图注文字说明，" * 6 + "图注文字说明"
TOC_FULL = "星海街道以三廉齐抓育典型持续深化清廉村居建设推进基层"
"""A 要目 line of 26 字: exactly what fits after the 2-字 indent (html.balanced_toc_lines, Word)."""
ISSUE = f"""\
issue_no: 3
total_no: 650
date: 2019-01-20
editor_note: 本期按语{LONG}
distribution:
  report_to: [市委办公室, 市政府办公室]
  send_to: [各区县]
  copies: 120
articles:
  - title: 沙城街道“四化”引领　倾力打造基层治理现代化新样板
    editor_note: 文章编者按{LONG}
    source: 沙城街道
    body: |
      正文段落{LONG}

      一、一级标题文字。

      （一）二级标题文字

      1.三级标题文字

      （1）四级标题文字

      > 引文段落{LONG}

      --> 落款单位　2019年1月

      ::: 【看点】
      看点正文{LONG}
      :::

      ![{CAPTION}](photo.jpg)

      结尾段落{LONG}
  - title: 星海街道：“三廉”齐抓育典型
    toc: {TOC_FULL}
    source: 星海街道
    body: |
      第二篇正文{LONG}

      > 第二篇的引文，来源因此单独成段。
"""

# element key -> the whole text of its first paragraph in ISSUE as printed (whitespace removed)
ELEMENTS = {
    "toc": "沙城街道“四化”引领倾力打造基层治理现代化新样板",
    "issue_note": "编者按：本期按语" + LONG,
    "editor_note": "编者按：文章编者按" + LONG,
    "title": "沙城街道“四化”引领倾力打造基层治理现代化新样板",
    "heading1": "一、一级标题文字。",
    "heading2": "（一）二级标题文字",
    "heading3": "1.三级标题文字",
    "heading4": "（1）四级标题文字",
    "body": "正文段落" + LONG,
    "quote": "引文段落" + LONG,
    "signature": "落款单位2019年1月",
    "box": "看点正文" + LONG,
    "caption": CAPTION,
    "source": "（星海街道）",  # after a quote: a paragraph of its own in Word too
    "imprint": "报：市委办公室，市政府办公室",
}
MULTI_LINE = ("title", "caption", "body", "quote", "box", "editor_note", "issue_note")
"""Elements whose paragraph in the fixture runs over two lines or more: their line pitch is measured."""


@dataclass(frozen=True)
class Built:
    docx: Path
    pdf: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("theme") / "issues"
    folder.mkdir()
    shutil.copy(ROOT / "issues" / "series.yaml", folder / "series.yaml")
    shutil.copy(ROOT / "tests" / "fixtures" / "news" / "photos" / "street.jpg", folder / "photo.jpg")
    (folder / "all.yaml").write_text(ISSUE, encoding="utf-8")
    out = folder.parent / "out"
    result = pipeline.build(folder / "all.yaml", out)
    assert result.ok, [p.render() for p in result.problems]
    return Built(out / "all.docx", out / "all.pdf")


def _block(key: str) -> tuple[TextStyle, Block]:
    style = THEME.styles[key]
    assert style.block is not None
    return style, style.block


def _norm(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and c not in "\u200b\u2060\ufeff")


# --- the Word side ------------------------------------------------------------------------------

_DOCX_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _effective(paragraph, name: str):
    """Return a paragraph format property as Word applies it: direct formatting, else the style chain."""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return value


def _font_size(paragraph) -> float:
    style = paragraph.style
    while style is not None and style.font.size is None:
        style = style.base_style
    assert style is not None
    return style.font.size.pt


def _expected_line(style: TextStyle, block: Block):
    if block.line == "grid":
        return Pt(THEME.line_pitch_pt)
    if block.line == "single":
        return 1.0
    return Pt(round(style.size_pt * float(block.line), 2))


def _check_docx_paragraph(paragraph, key: str) -> None:
    style, block = _block(key)
    assert paragraph.style.name == style.name, key
    assert _font_size(paragraph) == style.size_pt, key
    assert _effective(paragraph, "alignment") == _DOCX_ALIGN[block.align], key
    first_line = _effective(paragraph, "first_line_indent") or 0
    left = _effective(paragraph, "left_indent") or 0
    if key == "imprint":  # its lines hang after their label (报：…): the first line starts at 0
        assert left > 0 and first_line == -left, key
    else:
        assert first_line == Pt(style.size_pt * block.first_line), key
        assert left == Pt(style.size_pt * block.left), key
    assert (_effective(paragraph, "right_indent") or 0) == Pt(style.size_pt * block.right), key
    assert _effective(paragraph, "line_spacing") == _expected_line(style, block), key
    assert bool(_effective(paragraph, "keep_with_next")) == block.keep_next, key


def _docx_paragraphs(path: Path):
    document = docx.Document(str(path))
    yield from document.paragraphs
    for table in document.tables:
        for cell in table._cells:
            yield from cell.paragraphs


@pytest.mark.parametrize("key", sorted(ELEMENTS))
def test_word_paragraph_styles_are_the_theme(built: Built, key: str) -> None:
    start = ELEMENTS[key][:6]
    found = [p for p in _docx_paragraphs(built.docx) if _norm(p.text).startswith(start)]
    assert found, f"no Word paragraph starts with {start}"
    for paragraph in found:
        if paragraph.style.name == THEME.styles[key].name:
            _check_docx_paragraph(paragraph, key)
            return
    pytest.fail(f"{key}: {start} is set in {[p.style.name for p in found]}, not {THEME.styles[key].name}")


def test_template_styles_are_the_theme() -> None:
    """Every element's style in templates/bulletin.docx, paragraph or character, has the theme's figures."""
    document = docx.Document(str(ROOT / "templates" / "bulletin.docx"))
    for key, style in THEME.styles.items():
        word = document.styles[style.name]
        assert word.font.size.pt == style.size_pt, key
        if style.block is None:
            assert word.type == WD_STYLE_TYPE.CHARACTER, key
            continue
        block = style.block
        fmt = word.paragraph_format
        assert fmt.alignment == _DOCX_ALIGN[block.align], key
        assert (fmt.first_line_indent or 0) == Pt(style.size_pt * block.first_line), key
        assert (fmt.left_indent or 0) == Pt(style.size_pt * block.left), key
        assert (fmt.right_indent or 0) == Pt(style.size_pt * block.right), key
        assert fmt.line_spacing == _expected_line(style, block), key
        assert bool(fmt.keep_with_next) == block.keep_next, key
        outline = word.element.pPr.find(qn("w:outlineLvl"))
        level = None if outline is None else int(outline.get(qn("w:val")))
        assert level == block.outline, key
        assert (word.element.pPr.find(qn("w:shd")) is not None) == block.boxed, key
        if block.boxed:  # the rule lies box_padding_pt outside the text, as in the PDF
            left_rule = word.element.pPr.find(f"{qn('w:pBdr')}/{qn('w:left')}")
            assert int(left_rule.get(qn("w:space"))) == THEME.box_padding_pt, key
            assert int(left_rule.get(qn("w:sz"))) == THEME.box_rule_eighths, key


# --- the PDF side -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_lines(built: Built) -> list[Line]:
    return lines(built.pdf, THEME)


def _paragraph_lines(all_lines: list[Line], key: str) -> list[Line]:
    """Return the PDF lines of the first paragraph of element ``key`` (set in its size): the line
    its text starts on and the following lines, until they hold the paragraph's whole text."""
    style, _ = _block(key)
    text = _norm(ELEMENTS[key])
    for index, line in enumerate(all_lines):
        if line.size != pytest.approx(style.size_pt, abs=0.01) or not text.startswith(_norm(line.text)):
            continue
        out, printed = [line], _norm(line.text)
        for following in all_lines[index + 1 :]:
            if printed == text:
                break
            printed += _norm(following.text)
            out.append(following)
        if printed == text:
            return out
    raise AssertionError(f"{key}: no lines print {text}")


def _cell(style: TextStyle) -> float:
    """Return the PDF's 字: a character of ``style`` plus the letter spacing of the 28-character grid
    when the style has the grid's size (Word's ``firstLineChars`` etc. count characters of its grid)."""
    grid = THEME.styles["body"].size_pt
    if style.size_pt != grid:
        return style.size_pt
    width = mm(THEME.text_width_mm)
    spacing = int((width - THEME.chars_per_line * grid) / THEME.chars_per_line * 100) / 100
    return grid + spacing


@pytest.mark.parametrize("key", sorted(ELEMENTS))
def test_pdf_elements_are_the_theme(pdf_lines: list[Line], key: str) -> None:
    style, block = _block(key)
    para = _paragraph_lines(pdf_lines, key)
    first = para[0]
    cell = _cell(style)
    inset = THEME.imprint_inset_chars * style.size_pt if key == "imprint" else 0
    left = LEFT + inset + cell * block.left
    right = RIGHT - inset - cell * block.right
    if block.align in ("left", "justify"):
        assert first.x0 - left == pytest.approx(cell * block.first_line, abs=0.05), key
        for line in para[1:]:
            assert line.x0 == pytest.approx(left, abs=0.05), (key, line.text)
    elif block.align == "center":
        for line in para:
            assert line.x0 - left == pytest.approx(right - line.x1, abs=1), (key, line.text)
    else:
        for line in para:
            assert line.x1 == pytest.approx(right, abs=1), (key, line.text)
    if block.align == "justify":  # every line but the last is flush with both edges (±1 pt: spacing)
        for line in para[:-1]:
            assert line.x1 == pytest.approx(right, abs=1), (key, line.text)
    if block.align == "left" and len(para) > 1:
        assert any(line.x1 < right - 1 for line in para[:-1]), key
    pitch = THEME.line_pitch_pt if block.line == "grid" else style.size_pt * float(block.line)
    for above, below in itertools.pairwise(para):
        assert below.baseline - above.baseline == pytest.approx(pitch, abs=0.05), key
    assert (len(para) > 1) == (key in MULTI_LINE), f"{key}: {len(para)} lines"


def test_full_toc_line_fits_on_one_line(pdf_lines: list[Line]) -> None:
    """A 26-字 要目 line fills the line after its 2-字 indent without wrapping, as in the Word file
    (the indent was 2em = 32 pt in the PDF, wider than two grid cells, and pushed the last 字 over)."""
    assert len(TOC_FULL) == THEME.chars_per_line - _block("toc")[1].left
    printed = [line for line in pdf_lines if line.page == 1 and _norm(line.text).startswith(TOC_FULL[:4])]
    assert [_norm(line.text) for line in printed] == [TOC_FULL]
    assert printed[0].x1 == pytest.approx(RIGHT, abs=1)


def test_page_numbers_sit_as_the_theme_says(built: Built) -> None:
    """— N — in the 页码 size, 1 字 in from the outer edge (odd pages right, even left), under the 版心."""
    style, _ = _block("page_number")
    inset = THEME.page_number_inset_chars * style.size_pt
    numbers = [line for line in lines(built.pdf, THEME, text_area_only=False) if "—" in line.text]
    assert len(numbers) >= 2
    for line in numbers:
        assert line.size == pytest.approx(style.size_pt, abs=0.01)
        assert line.baseline > mm(THEME.page_height_mm - THEME.margin_bottom_mm + THEME.page_number_below_mm)
        if line.page % 2:
            assert line.x1 == pytest.approx(RIGHT - inset, abs=1), line
        else:
            assert line.x0 == pytest.approx(LEFT + inset, abs=0.5), line
