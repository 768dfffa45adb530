"""The PDF writer: the real PDF, read back with pdfplumber/pypdf and rendered with pdftoppm.

Two PDFs are built once per module: the sample issue through the real reader and transforms, and
a "rich" issue (hand-made) that uses every element of the model, hostile text that looks like HTML,
CSS and template code, the 本期要目 page numbers and centred page numbers. Building one returns the
writer's problems; any WeasyPrint warning would be among them, and fails the test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from bulletin_kit import pipeline, transforms
from bulletin_kit.model import (
    Article,
    Distribution,
    DistributionLine,
    Heading,
    Image,
    Issue,
    Layout,
    Masthead,
    Paragraph,
    Span,
    Table,
)
from bulletin_kit.problems import Level
from bulletin_kit.theme import get_theme
from bulletin_kit.units import mm
from bulletin_kit.writers import html, pdf

from .pdf_lines import FORBIDDEN_AT_END, FORBIDDEN_AT_START, flush_right_share, in_text_area, lines

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "2018-28.yaml"
THEME = get_theme("default")
HOSTILE = (
    "<script>alert(1)</script>",
    "</p><h1>注入的标题</h1>",
    "{{ 7*7 }}",
    "url(file:///etc/passwd)",
    "{% raw %}&amp;&lt;",
)


def page_numbers(all_lines: list) -> list:
    return [line for line in all_lines if re.fullmatch(r"— \d+ —", line.text)]


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Issue, Path]:
    issue, problems = pipeline.read(SAMPLE)
    assert issue is not None, [p.render() for p in problems]
    dest = tmp_path_factory.mktemp("sample") / "2018-28.pdf"
    problems = pdf.write(issue, THEME, dest)
    assert problems == [], [p.render() for p in problems]
    return issue, dest


@pytest.fixture(scope="module")
def sample_all_lines(sample: tuple[Issue, Path]) -> list:
    """Every line of the sample PDF, page numbers included."""
    return lines(sample[1], THEME, text_area_only=False)


@pytest.fixture(scope="module")
def sample_lines(sample_all_lines: list) -> list:
    """The lines inside the 版心."""
    return [line for line in sample_all_lines if in_text_area(line, THEME)]


def make_issue(folder: Path, *articles: Article, **fields: object) -> Issue:
    """Return a small transformed issue whose source file is ``folder/issue.yaml``."""
    masthead = Masthead(
        name="测试信息",
        publisher="测试办公室",
        marks=("内部资料",),
        issue_no=3,
        total_no=12,
        date=dt.date(2019, 1, 5),
    )
    issue = Issue(
        masthead=masthead,
        articles=articles or (Article(title=("标题",), blocks=(Paragraph(spans=(Span(text="正文。"),)),)),),
        source_path=folder / "issue.yaml",
        **fields,  # type: ignore[arg-type]
    )
    issue, _ = transforms.apply(issue)
    return issue


def long_paragraph(n: int) -> Paragraph:
    text = "为加快推进园区重点基础设施项目建设，今年以来，集聚区以“清零”作战图式深入推进攻坚行动，完成拆迁117户。"
    return Paragraph(spans=(Span(text=text * n),))


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> tuple[Issue, Path, str]:
    folder = tmp_path_factory.mktemp("rich")
    PILImage.new("RGB", (400, 200), (0, 90, 200)).save(folder / "photo.png")
    first = Article(
        column="《三争三强》专栏",
        kicker="引题文字",
        title=("第一行标题", "第二行标题<b>"),
        subtitle="副题文字",
        byline="记者　张三",
        editor_note="本文编者按的内容。",
        source="派驻纪检监察组",
        blocks=(
            Paragraph(
                spans=(Span(text="开头一句，"), Span(text="加粗的话", bold=True), Span(text="，结尾。"))
            ),
            Paragraph(label="看点", spans=(Span(text="带标签的段落。"),)),
            Heading(
                level=1,
                number="一、",
                spans=(Span(text="一、加强领导。"),),
                run_in=(Span(text="接排的正文。"),),
            ),
            Heading(level=2, number="（一）", spans=(Span(text="（一）二级标题"),)),
            Heading(level=3, number="1.", spans=(Span(text="1.三级标题"),)),
            Heading(level=4, number="（1）", spans=(Span(text="（1）四级标题"),)),
            Image(path=folder / "photo.png", caption="俯瞰安吉余村", credit="夏鹏飞"),
            Table(rows=(("项目", "数量"), ("重点工程", "13"))),
            *(Paragraph(spans=(Span(text=h),)) for h in HOSTILE),
        ),
    )
    second = Article(title=("第二篇文章",), blocks=tuple(long_paragraph(6) for _ in range(4)))
    issue = make_issue(
        folder,
        first,
        second,
        editor_note="本期编者按。",
        distribution=Distribution(
            lines=(
                DistributionLine(label="报", recipients=("委领导",)),
                DistributionLine(label="本期增发", recipients=("各街道", "各部门") * 6),
            ),
            editor="戚成铁",
            reviewer="王五",
            approver="项忠",
            copies=120,
        ),
        layout=Layout(toc_page_numbers=True, page_numbers="center"),
    )
    issue = issue.model_copy(
        update={"masthead": issue.masthead.model_copy(update={"copy_no": "000123", "marker": "领导参阅"})}
    )
    dest = folder / "rich.pdf"
    problems = pdf.write(issue, THEME, dest)
    assert problems == [], [p.render() for p in problems]
    return issue, dest, html.render(issue, THEME)


# --- the sample ---------------------------------------------------------------------------------


def test_text_in_order(sample: tuple[Issue, Path], sample_lines: list) -> None:
    """Masthead, every TOC entry, every title and paragraph appear, in order, without added spaces."""
    issue, _ = sample
    text = "".join(line.text for line in sample_lines)
    m = issue.masthead
    expected = [*m.marks, m.name, html.issue_line_text(m), m.publisher, "本期要目", *issue.toc]
    for article in issue.articles:
        expected += html.title_lines(article, THEME)
        if article.subtitle:
            expected.append(html.subtitle_text(article))
        expected += [_block_text(b) for b in article.blocks]
        expected.append(html.source_text(article))
    position = 0
    for item in expected:
        found = text.find(item, position)
        assert found >= 0, f"not found in order: {item[:30]}"
        position = found + len(item)


def test_imprint_on_last_page_at_the_bottom(sample_lines: list) -> None:
    all_lines = sample_lines
    last_page = all_lines[-1].page
    last = [line.text for line in all_lines if line.page == last_page]
    assert "报：委领导" in last
    assert "发：各有关部门" in last
    assert "编辑：戚成铁\u3000\u3000签发：项\u3000忠" in last
    # the 版记's last line sits in the last line slot of the 版心 (GB/T 9704 §7.4.1)
    bottom = mm(THEME.page_height_mm - THEME.margin_bottom_mm)
    assert bottom - THEME.line_pitch_pt < all_lines[-1].baseline < bottom


def test_a4_and_metadata(sample: tuple[Issue, Path]) -> None:
    _, path = sample
    reader = PdfReader(path)
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1
    info = reader.metadata
    assert info.title == "温州开发区信息 第二十八期"
    assert info.author == "温州浙南产业集聚区（经开区、瓯飞）党政办公室"
    assert info["/CreationDate"].startswith("D:20181220")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_fonts_embedded_as_subsets(sample: tuple[Issue, Path]) -> None:
    _, path = sample
    reader = PdfReader(path)
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
            assert name[7] == "+", f"{name} is not a subset"
            seen.add(name[8:])
    assert {"FandolFang", "FandolHei", "FandolKai", "bulletin-kit-latin"} <= seen


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_red_masthead_name(sample: tuple[Issue, Path], tmp_path: Path) -> None:
    _, path = sample
    dpi = 30
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", path, tmp_path / "p"], check=True
    )
    image = PILImage.open(next(tmp_path.glob("p*.png"))).convert("RGB")

    def px(millimetres: float) -> int:
        return round(millimetres / 25.4 * dpi)

    def red_in(top_mm: float, bottom_mm: float) -> int:
        box = (
            px(THEME.margin_left_mm),
            px(top_mm),
            px(THEME.page_width_mm - THEME.margin_right_mm),
            px(bottom_mm),
        )
        return sum(1 for r, g, b in image.crop(box).get_flattened_data() if r > 200 and g < 90 and b < 90)

    top = THEME.margin_top_mm
    assert red_in(top + 15, top + 45) > 200  # the 刊名
    assert red_in(top + 100, THEME.page_height_mm - THEME.margin_bottom_mm) == 0  # nothing else is red


def test_every_page_numbered(sample: tuple[Issue, Path], sample_all_lines: list) -> None:
    _, path = sample
    numbers = page_numbers(sample_all_lines)
    assert [n.text for n in numbers] == [f"— {i} —" for i in range(1, len(PdfReader(path).pages) + 1)]
    right = mm(THEME.page_width_mm - THEME.margin_right_mm)
    left = mm(THEME.margin_left_mm)
    for n in numbers:  # odd pages right, even pages left, 1 字 in (§7.5)
        if n.page % 2:
            assert right - 16 < n.x1 < right - 12
        else:
            assert left + 12 < n.x0 < left + 16


def test_outline_one_entry_per_article(sample: tuple[Issue, Path]) -> None:
    issue, path = sample
    outline = PdfReader(path).outline
    top = [entry.title for entry in outline if not isinstance(entry, list)]
    assert top == [html.bookmark_label(a) for a in issue.articles]


def test_no_forbidden_line_starts(sample: tuple[Issue, Path], sample_lines: list) -> None:
    issue, _ = sample
    subtitles = {html.subtitle_text(a) for a in issue.articles}
    bad = [
        line.text
        for line in sample_lines
        if (line.text.startswith(FORBIDDEN_AT_START) and line.text not in subtitles)
        or line.text.endswith(FORBIDDEN_AT_END)
    ]
    assert bad == []


def test_flush_right_edge(sample_lines: list) -> None:
    """≥ 95 % of the lines that reach within two characters of the right edge end within 1 pt of it."""
    reaching, flush = flush_right_share(sample_lines, THEME)
    assert reaching > 300
    assert flush / reaching >= 0.95, f"{flush}/{reaching}"


def test_grid_22_lines_per_full_page(sample_lines: list) -> None:
    """Body pages carry 22 lines at the exact 28.95 pt pitch (GB/T 9704 §5.2.3)."""
    pages = {line.page for line in sample_lines}
    counts = {p: sum(1 for line in sample_lines if line.page == p) for p in pages}
    full = [p for p in pages if counts[p] == 22]
    # pages that end before a title, a kept heading or an article's source line carry fewer
    assert max(counts.values()) == 22 and len(full) >= len(pages) // 3
    page = [line for line in sample_lines if line.page == full[0]]
    steps = {round(b.baseline - a.baseline, 2) for a, b in itertools.pairwise(page)}
    assert steps == {THEME.line_pitch_pt}


# --- every element, hostile text ----------------------------------------------------------------


def test_rich_issue_prints_every_element(rich: tuple[Issue, Path, str]) -> None:
    _, path, _ = rich
    text = "".join(line.text for line in lines(path, THEME))
    for item in (
        "000123",
        "内部资料",
        "（领导参阅）",
        "第三期（总第12期）",
        "编者按：本期编者按。",
        "《三争三强》专栏",
        "编者按：本文编者按的内容。",
        "引题文字",
        "第一行标题",
        "第二行标题<b>",
        "——副题文字",
        "记者　张三",
        "开头一句，加粗的话，结尾。",
        "【看点】带标签的段落。",
        "一、加强领导。接排的正文。",
        "（一）二级标题",
        "1.三级标题",
        "（1）四级标题",
        "俯瞰安吉余村　夏鹏飞　摄",
        "项目数量",
        "重点工程13",
        "（派驻纪检监察组）",
        "编辑：戚成铁　　审核：王　五　　签发：项　忠",
        "共印120份",
    ):
        assert item in text, item
    position = 0
    for item in (
        "第一行标题",
        "（一）二级标题",
        "俯瞰安吉余村",
        "重点工程13",
        "（派驻纪检监察组）",
        "第二篇文章",
    ):
        position = text.index(item, position)


def test_hostile_text_is_printed_literally(rich: tuple[Issue, Path, str]) -> None:
    _, path, document = rich
    text = "".join(line.text for line in lines(path, THEME))
    for item in HOSTILE:
        assert item in text
    assert "49" not in text
    assert "<script>" not in document and "&lt;script&gt;" in document
    assert "<h1>注入" not in document
    assert "第二行标题&lt;b&gt;" in document


def test_toc_page_numbers_and_centred_numbers(rich: tuple[Issue, Path, str]) -> None:
    _, path, _ = rich
    all_lines = lines(path, THEME)
    title_page = next(line.page for line in all_lines if line.text == "第二篇文章" and line.page > 1)
    toc_line = next(line for line in all_lines if line.text.startswith("第二篇文章") and line.page == 1)
    assert toc_line.text.rstrip().endswith(str(title_page))
    numbers = page_numbers(lines(path, THEME, text_area_only=False))
    centre = mm(THEME.margin_left_mm + THEME.text_width_mm / 2)
    assert len(numbers) == len(PdfReader(path).pages) >= 2
    assert all(abs((n.x0 + n.x1) / 2 - centre) < 2 for n in numbers)


def test_imprint_hanging_indent(rich: tuple[Issue, Path, str]) -> None:
    """Wrapped 报/送/发 lines align after the colon."""
    _, path, _ = rich
    all_lines = lines(path, THEME)
    first = next(i for i, line in enumerate(all_lines) if line.text.startswith("本期增发："))
    label_end = all_lines[first].x0 + 5 * 14  # 本期增发： is five 四号 characters
    assert abs(all_lines[first + 1].x0 - label_end) < 1


# --- what the writer refuses ------------------------------------------------------------------


def test_image_outside_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    PILImage.new("RGB", (10, 10)).save(outside)
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "link.png").symlink_to(outside)
    for path in (outside, folder / ".." / "elsewhere.png", folder / "link.png", Path("/etc/passwd")):
        article = Article(title=("标题",), blocks=(Image(path=path, caption="图"),))
        dest = tmp_path / "out.pdf"
        problems = pdf.write(make_issue(folder, article), THEME, dest)
        assert [(p.code, p.level) for p in problems] == [("path.outside", Level.ERROR)]
        assert "指向本期文件夹之外" in problems[0].message
        assert not dest.exists()


def test_series_css_cannot_reach_outside(tmp_path: Path) -> None:
    css = tmp_path / "series.css"
    css.write_text(
        '@import url("file:///etc/passwd");\n'
        'body { background: url("https://example.com/x.png"); }\n'
        ".s-body { color: #333; }\n",
        encoding="utf-8",
    )
    issue = make_issue(tmp_path, layout=Layout(extra_css=css))
    problems = pdf.write(issue, THEME, tmp_path / "out.pdf")
    refused = sorted(p.args["url"] for p in problems if p.code == "pdf.refused_url")
    assert refused == ["file:///etc/passwd", "https://example.com/x.png"]
    assert all(p.level is Level.ERROR for p in problems if p.code == "pdf.refused_url")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.com/a.png",
        "data:image/png;base64,AAAA",
        "ftp://example.com/a",
        "file://otherhost/issue/a.png",
    ],
)
def test_folder_fetcher_refuses(tmp_path: Path, url: str) -> None:
    fetcher = pdf.FolderFetcher([tmp_path])
    with pytest.raises(pdf.RefusedURL):
        fetcher(url)
    assert fetcher.refused == [url]


def test_folder_fetcher_serves_only_inside(tmp_path: Path) -> None:
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "a.css").write_text("p {}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (inside / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = pdf.FolderFetcher([inside])
    assert fetcher((inside / "a.css").as_uri()).read() == b"p {}"
    for url in ((inside / ".." / "secret.txt").as_uri(), (inside / "link.txt").as_uri(), inside.as_uri()):
        with pytest.raises(pdf.RefusedURL):
            fetcher(url)


def test_font_fetcher_serves_only_font_files(tmp_path: Path) -> None:
    font = tmp_path / "a.ttf"
    font.write_bytes(b"\0\1\0\0")
    fetcher = pdf.FontFileFetcher([font])
    assert fetcher(font.as_uri()).read() == b"\0\1\0\0"
    with pytest.raises(pdf.RefusedURL):
        fetcher("file:///etc/passwd")


def test_missing_glyph_is_a_warning(tmp_path: Path) -> None:
    """A character no font of its role has is reported before printing (and the PDF is still written)."""
    article = Article(title=("标题",), blocks=(Paragraph(spans=(Span(text="笑脸😀。"),)),))
    problems = pdf.write(make_issue(tmp_path, article), THEME, tmp_path / "out.pdf")
    missing = [p for p in problems if p.code == "pdf.missing_glyphs"]
    assert [(p.level, p.args["role"], p.args["chars"]) for p in missing] == [
        (Level.WARNING, "fangsong", "😀")
    ]
    assert (tmp_path / "out.pdf").exists()


def test_series_css_outside_the_folder_is_refused(tmp_path: Path) -> None:
    css = tmp_path / "series.css"
    css.write_text("p {}", encoding="utf-8")
    folder = tmp_path / "issues"
    folder.mkdir()
    problems = pdf.write(make_issue(folder, layout=Layout(extra_css=css)), THEME, tmp_path / "out.pdf")
    assert [(p.code, p.path) for p in problems] == [("path.outside", "layout.extra_css")]


def test_an_empty_issue_builds_cleanly(tmp_path: Path) -> None:
    """No articles, no 版记: still a one-page PDF with its masthead and no warning."""
    issue = make_issue(tmp_path).model_copy(
        update={"articles": (), "toc": (), "distribution": Distribution()}
    )
    dest = tmp_path / "out.pdf"
    assert pdf.write(issue, THEME, dest) == []
    assert len(PdfReader(dest).pages) == 1
    assert "测试信息" in "".join(line.text for line in lines(dest, THEME))


def _block_text(block: Paragraph | Heading | Image | Table) -> str:
    """Return a block's text as printed (label, heading with its run-in text, cells, caption)."""
    if isinstance(block, Paragraph):
        label = f"【{block.label}】" if block.label else ""
        return label + "".join(s.text for s in block.spans)
    if isinstance(block, Heading):
        return "".join(s.text for s in block.spans + block.run_in)
    if isinstance(block, Table):
        return "".join("".join(row) for row in block.rows)
    return html.caption_text(block)


def test_no_page_starts_with_a_source_line(sample: tuple[Issue, Path]) -> None:
    """（派驻纪检监察组） stays with the end of its article (break-before: avoid)."""
    issue, pdf_path = sample
    sources = {f"（{a.source}）" for a in issue.articles if a.source}
    for number, page in enumerate(PdfReader(str(pdf_path)).pages, start=1):
        first = next((line.strip() for line in page.extract_text().splitlines() if line.strip()), "")
        assert first not in sources, f"page {number} starts with {first}"
