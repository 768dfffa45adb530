"""A page of news features (tests/fixtures/news): bold next to punctuation, quotes, boxes, photos.

The sample has four features with bylines and run-in subheads, eight photos of mixed orientation
(one alone at full, half and two-thirds width, rows of two and three with their own and shared
captions, credits 摄 / 供图 / 图片由…提供), a statement block, 【看点】 and 【盘点】 boxes and a
signature line. Both outputs are built once for the module.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from bulletin_kit import pipeline
from bulletin_kit.model import Box, Image, ImageGroup, Paragraph
from bulletin_kit.problems import Level
from bulletin_kit.theme import Theme
from bulletin_kit.units import mm
from bulletin_kit.writers import printed

NEWS = Path(__file__).resolve().parents[1] / "fixtures" / "news" / "news.yaml"
THEME = Theme()
BOLD = ("一是找准诉前赔偿关口。", "服务下沉，", "一案双包", "“双下降”", "5个，", "10494套。")
"""Bold runs of the sample: at 。 and ， ends, inside and outside “…”."""


@dataclass(frozen=True)
class News:
    issue: object
    docx: Path
    pdf: Path


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> News:
    out = tmp_path_factory.mktemp("news")
    result = pipeline.build(NEWS, out)
    assert [p.render() for p in result.problems] == []
    issue, _ = pipeline.read(NEWS)
    return News(issue, out / "news.docx", out / "news.pdf")


def page_fill(pdf: Path) -> list[float]:
    """Return, per page, how far down the 版心 its lowest glyph, picture or rule reaches (0-1)."""
    top, bottom = mm(THEME.margin_top_mm), mm(THEME.page_height_mm - THEME.margin_bottom_mm)
    fills = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            ends = [c["bottom"] for c in page.chars if c["top"] >= top - 2 and c["bottom"] <= bottom + 2]
            ends += [i["bottom"] for i in page.images]
            fills.append((max(ends, default=top) - top) / (bottom - top))
    return fills


def test_the_sample_reads_as_news_blocks(news: News) -> None:
    blocks = [b for a in news.issue.articles for b in a.blocks]  # type: ignore[attr-defined]
    images = [b for b in blocks if isinstance(b, Image)]
    groups = [b for b in blocks if isinstance(b, ImageGroup)]
    pictures = images + [i for g in groups for i in g.images]
    assert len(pictures) == 8
    portrait = [p for p in pictures if printed.picture_pixels(p.path)[1] > printed.picture_pixels(p.path)[0]]
    assert 3 <= len(portrait) < len(pictures)
    assert [len(g.images) for g in groups] == [2, 3]
    assert [b.label for b in blocks if isinstance(b, Box)] == ["看点", "盘点"]
    roles = [b.role for b in blocks if isinstance(b, Paragraph) and b.role]
    assert roles == ["quote", "signature"]


def test_no_page_but_the_last_ends_above_three_quarters(news: News) -> None:
    fills = page_fill(news.pdf)
    assert len(fills) >= 8
    assert [round(f, 2) for f in fills[:-1] if f < 0.75] == []


def _pdf_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "".join(c["text"] for page in doc.pages for c in page.chars)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))


def test_no_markup_characters_in_either_output(news: News) -> None:
    for text in (_pdf_text(news.pdf), _docx_text(news.docx)):
        assert "服务下沉" in text and "图片由平阳县司法局提供" in text
        assert [c for c in "*>:" if c in text] == []


def test_bold_runs_are_bold_in_word(news: News) -> None:
    document = docx.Document(str(news.docx))
    chars = [(c, bool(r.bold)) for p in document.paragraphs for r in p.runs for c in r.text]
    text = "".join(c for c, _ in chars)
    for phrase in BOLD:
        start = text.find(phrase)
        assert start >= 0, phrase
        assert all(bold for _, bold in chars[start : start + len(phrase)]), phrase
    after = text.find("攻坚目标")
    assert not any(bold for _, bold in chars[after : after + 4])


def test_bold_runs_are_bold_in_the_pdf(news: News) -> None:
    with pdfplumber.open(news.pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    text_clean = re.sub(r"[\u200b\u2060]", "", text)
    assert len(text_clean) == len(text)  # the index below maps straight onto chars
    for phrase in BOLD:
        start = text.find(phrase)
        assert start >= 0, phrase
        fonts = {chars[i]["fontname"] for i in range(start, start + len(phrase))}
        assert all("Bold" in f for f in fonts), (phrase, fonts)
    after = text.find("攻坚目标")
    assert "Bold" not in chars[after]["fontname"]


def _ink(png: Path, box: tuple[float, float, float, float], scale: float) -> float:
    """Return the share of dark pixels of ``png`` inside ``box`` (PDF points)."""
    from PIL import Image as PILImage

    with PILImage.open(png) as page:
        crop = page.convert("L").crop(tuple(round(v * scale) for v in box))
        dark = crop.point(lambda v: 255 if v < 128 else 0).histogram()[255]
        return dark / (crop.width * crop.height)


def test_bold_is_visibly_bold_in_the_pdf(news: News, tmp_path: Path) -> None:
    """仿宋 has no bold face: the PDF strokes the glyphs, so bold text carries more ink."""
    phrase = "服务下沉，让群众少跑腿"
    with pdfplumber.open(news.pdf) as doc:
        pages = ["".join(c["text"] for c in page.chars) for page in doc.pages]
        number = next(i for i, text in enumerate(pages, start=1) if phrase in text)
        start = pages[number - 1].find(phrase)
        chars = doc.pages[number - 1].chars[start : start + 10]
    dpi = 200
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(number),
            "-l",
            str(number),
            str(news.pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")

    def box(cs: list[dict]) -> tuple[float, float, float, float]:
        return (cs[0]["x0"], min(c["top"] for c in cs), cs[-1]["x1"], max(c["bottom"] for c in cs))

    bold = _ink(png, box(chars[:4]), dpi / 72)  # 服务下沉
    regular = _ink(png, box(chars[5:9]), dpi / 72)  # 让群众少
    assert bold > 1.25 * regular, (bold, regular)


def _docx_picture_widths(path: Path) -> list[float]:
    document = docx.Document(str(path))
    return [round(shape.width.mm, 1) for shape in document.inline_shapes]


def _pdf_pictures(pdf: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(pdf) as doc:
        return [
            (round(i["width"] * 25.4 / 72, 1), round(i["height"] * 25.4 / 72, 1))
            for page in doc.pages
            for i in page.images
        ]


def test_pictures_have_the_widths_asked_for_in_both_outputs(news: News) -> None:
    blocks = [b for a in news.issue.articles for b in a.blocks]  # type: ignore[attr-defined]
    expected: list[float] = []
    for block in blocks:
        if isinstance(block, Image):
            expected.append(round(printed.picture_size_mm(block, THEME)[0], 1))
        elif isinstance(block, ImageGroup):
            expected += [round(w, 1) for w, _ in printed.group_sizes_mm(block, THEME)]
    width = THEME.text_width_mm
    assert round(width, 1) in expected and round(width / 2, 1) in expected  # 全宽 and {1/2}
    assert round(width * 2 / 3, 1) in expected  # {2/3}
    word = _docx_picture_widths(news.docx)
    assert word == pytest.approx(expected, abs=0.2)
    # The PDF prints the same widths in the same order, except where a picture did not fit under
    # the text of its page and was shrunk (to 70 % at least); a row shrinks as a whole.
    pdf = _pdf_pictures(news.pdf)
    assert len(pdf) == len(word)
    scales = [round(w / ww, 2) for (w, _), ww in zip(pdf, word, strict=True)]
    assert all(0.69 <= s <= 1.0 for s in scales), scales
    assert scales.count(1.0) >= 3
    assert max(scales[4:7]) - min(scales[4:7]) <= 0.02  # the row of three


def test_upright_photos_are_at_most_half_the_text_height(news: News) -> None:
    limit = printed.PORTRAIT_MAX_HEIGHT * THEME.text_height_mm + 0.2
    for w, h in _pdf_pictures(news.pdf):
        if h > w:
            assert h <= limit


def test_credits_print_as_written(news: News) -> None:
    text = _pdf_text(news.pdf)
    assert text.count("图片由平阳县司法局提供") == 1
    assert "图片由平阳县司法局提供　摄" not in text
    assert "平阳县住建局　供图" in text and "供图　摄" not in text
    assert text.count("通讯员　周　敏　摄") == 1  # one credit under the row of three


def test_news_blocks_have_their_own_word_styles(news: News) -> None:
    document = docx.Document(str(news.docx))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert [t[:6] for t in by_style["引文"]] == ["县司法局负责"]
    assert by_style["落款"] == ["平阳县城投公司\u30002025年6月"]
    assert by_style["看点标签"] == ["【看点】", "【盘点】"]
    assert len(by_style["看点正文"]) == 5
    box = document.styles["看点正文"].element
    assert box.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:left')}") is not None
    assert box.find(f"{qn('w:pPr')}/{qn('w:shd')}").get(qn("w:fill")) == "F2F2F2"
    # the rows of pictures stand in borderless tables (the last table is the 版记 at the page foot)
    pictures = [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is None]
    assert len(pictures) == 2 and len(document.tables) == 3
    assert [len(t.columns) for t in pictures] == [2, 3]


def test_signature_line_is_right_aligned_in_the_pdf(news: News) -> None:
    right = mm(THEME.page_width_mm - THEME.margin_right_mm)
    with pdfplumber.open(news.pdf) as doc:
        for page in doc.pages:
            for line in page.extract_text_lines():
                if line["text"].replace(" ", "").startswith("平阳县城投公司2025"):
                    assert right - line["x1"] < 2
                    return
    pytest.fail("signature line not found")


def test_no_line_holds_a_single_character(news: News) -> None:
    """孤字: the last line of a paragraph (or caption) keeps at least two characters."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from pdf_lines import lines

    alone = [
        (line.page, line.text) for line in lines(news.pdf, THEME) if len(re.sub(r"[\W_]", "", line.text)) == 1
    ]
    assert alone == []


def test_keep_tail_binds_the_last_two_characters() -> None:
    from bulletin_kit.typography.chars import WORD_JOINER as WJ
    from bulletin_kit.writers.html import keep_tail

    assert keep_tail("取得新成效。") == f"取得新成{WJ}效{WJ}。"
    assert keep_tail("为“零事故”。") == f"为“零事{WJ}故{WJ}”{WJ}。"
    assert keep_tail("a。") == "a。"
    assert keep_tail("2018 年") == "2018 年"  # a space ends the run: nothing to bind across


def test_a_long_toc_line_wraps_into_two_balanced_lines(news: News) -> None:
    from bulletin_kit.writers.html import balanced_toc_lines

    line = "争要素　精管理　强服务　深改革　奋力打造平阳城市品质展示主窗口"
    assert balanced_toc_lines(line, THEME) == [
        "争要素　精管理　强服务　深改革",
        "奋力打造平阳城市品质展示主窗口",
    ]
    assert balanced_toc_lines("国企引擎聚力攻坚　赋能县域发展新篇", THEME) == [
        "国企引擎聚力攻坚　赋能县域发展新篇"
    ]
    with pdfplumber.open(news.pdf) as doc:
        printed_lines = [t["text"].replace(" ", "") for t in doc.pages[0].extract_text_lines()]
    first = next(t for t in printed_lines if t.startswith("争要素"))
    second = next(t for t in printed_lines if t.startswith("奋力打造"))
    assert abs(len(first) - len(second)) <= 3


def test_a_reviewed_news_issue_merges_back(tmp_path: Path) -> None:
    """bulletin merge: quote and body edits go back (the quote stays a quote); an edit inside a
    【看点】 box is listed as not written back instead of breaking the merge."""
    import shutil

    from bulletin_kit import merge

    folder = tmp_path / "news"
    shutil.copytree(NEWS.parent, folder, ignore=shutil.ignore_patterns("*.py"))
    issue_file = folder / "news.yaml"
    result = pipeline.build(issue_file, folder / "out", formats=("docx",))
    (reviewed,) = result.written
    document = docx.Document(str(reviewed))
    for p in document.paragraphs:
        if p.style.name in ("引文", "看点正文"):
            for run in p.runs:
                run.text = run.text.replace("负责人", "主要负责人").replace("全市最多", "全市第一")
    document.save(str(reviewed))
    merged = merge.merge(reviewed, issue_file, force=True)
    assert [p.code for p in merged.problems if p.level is not Level.WARNING] == []
    assert any(p.code == "merge.unmapped" and "看点框" in p.message for p in merged.problems)
    text = issue_file.read_text(encoding="utf-8")
    assert "> 县司法局主要负责人表示" in text
    assert "全市最多" in text  # the box is edited in the issue file, not through Word
