"""The Word writer: the real .docx, reopened with python-docx and converted by LibreOffice.

Three files are built once per module: the sample issue through the real reader and transforms, a
"rich" issue that uses every element of the model (picture, table, 编者按, run-in heading ...), and a
"hostile" issue whose text looks like XML and template code. LibreOffice converts all three in one
call, with fontconfig told which free font stands in for each office font
(:func:`bulletin_kit.fonts.fontconfig_aliases`, which ``scripts/setup.sh`` installs system-wide).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image as PILImage

from bulletin_kit import fonts, pipeline, transforms
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
from bulletin_kit.theme import FONTS, LATIN, Theme, get_theme
from bulletin_kit.units import mm, twips
from bulletin_kit.writers import docx as docx_writer
from bulletin_kit.writers import printed

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "2018-28.yaml"
THEME = get_theme("default")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = {key: style.name for key, style in THEME.styles.items()}
HOSTILE = (
    "<w:p>",
    "</w:t></w:r></w:p><w:p><w:r><w:t>",
    "{{ x }}",
    "{% if %}",
    "{%p if x %}",
    "{{p body }}",
    "{_{ y }_}",
    "100% }}",
    "A & B",
    "a < b",
    "&amp;",
    "{#",
    "🎉😀",
)


# --- issues -------------------------------------------------------------------------------------------


def masthead(**changes: object) -> Masthead:
    base = {
        "name": "测试开发区信息",
        "publisher": "测试办公室",
        "marks": ("内部刊物", "请勿外传"),
        "marker": "领导参阅",
        "issue_no": 7,
        "total_no": 321,
        "date": dt.date(2019, 3, 5),
    }
    return Masthead.model_validate({**base, **changes})


def make_picture(path: Path, size: tuple[int, int]) -> Path:
    PILImage.new("RGB", size, (200, 30, 30)).save(path, dpi=(72, 72))
    return path


def rich_issue(folder: Path) -> Issue:
    """Return an issue that uses every element of the model once."""
    wide = make_picture(folder / "wide.png", (1200, 800))
    tall = make_picture(folder / "tall.png", (300, 2000))
    article = Article(
        column="《清廉建设》专栏",
        kicker="引题在标题上方",
        title=("第一行标题", "第二行标题"),
        subtitle="副题在标题下方",
        byline="记者　张三　通讯员　李四",
        editor_note="这是本文的编者按。\n\n第二段编者按。",
        source="派驻纪检监察组",
        blocks=(
            Paragraph(spans=(Span(text="正文第一段，"), Span(text="加粗的一句。", bold=True))),
            Heading(level=1, number="一、", spans=(Span(text="一、一级标题"),)),
            Heading(level=2, number="（一）", spans=(Span(text="（一）二级标题"),)),
            Heading(
                level=3, number="1.", spans=(Span(text="1.三级标题。"),), run_in=(Span(text="紧跟的正文。"),)
            ),
            Heading(level=4, number="（1）", spans=(Span(text="（1）四级标题"),)),
            Heading(level=1, spans=(Span(text="星海街道：没有编号的小标题"),)),
            Paragraph(label="看点", spans=(Span(text="带标签的段落。"),)),
            Image(path=wide, caption="俯瞰安吉余村", credit="夏鹏飞"),
            Image(path=tall, caption="（图片由某单位提供）", width_mm=80),
            Table(rows=(("项目", "数量"), ("重点工程", "13"), ("短行",))),
        ),
    )
    second = Article(title=("第二篇",), blocks=(Paragraph(spans=(Span(text="第二篇正文。"),)),))
    issue = Issue(
        masthead=masthead(copy_no="000123"),
        editor_note="本期编者按。",
        articles=(article, second),
        distribution=Distribution(
            lines=(
                DistributionLine(label="报", recipients=("委领导",)),
                DistributionLine(label="送", recipients=("市委办", "市府办")),
                DistributionLine(label="发", recipients=("各有关部门",)),
            ),
            editor="戚成铁",
            reviewer="王五",
            approver="项忠",
            copies=120,
        ),
        source_path=folder / "rich.yaml",
    )
    issue, _ = transforms.apply(issue)
    return issue


def hostile_issue() -> Issue:
    """Return an issue whose every text field holds XML and template syntax (and control characters)."""
    text = "｜".join(HOSTILE)
    article = Article(
        title=(f"标题{text}",),
        subtitle=f"——{text}",
        byline=text,
        editor_note=text,
        source=text,
        toc=(f"要目{text}",),
        blocks=(
            Paragraph(spans=(Span(text=f"控制\x01字符\x0b{text}"),)),
            Heading(level=1, spans=(Span(text=f"一、{text}"),), run_in=(Span(text=text),)),
            Table(rows=((text, "x"), ("y", text))),
        ),
    )
    return Issue(
        masthead=masthead(name="A&B<信息>{{ x }}", publisher=f"办公室{text}", marks=(text,), marker=text),
        articles=(article,),
        distribution=Distribution(lines=(DistributionLine(label="报", recipients=(text,)),), editor=text),
    )


# --- building -------------------------------------------------------------------------------------------


class Built:
    """One written .docx with the problems the writer returned."""

    def __init__(self, issue: Issue, path: Path, problems: list) -> None:
        self.issue = issue
        self.path = path
        self.problems = problems
        self.doc = Document(str(path))

    def part(self, name: str) -> etree._Element:
        with zipfile.ZipFile(self.path) as z:
            return etree.fromstring(z.read(name))

    def paragraphs(self) -> list[tuple[str, str]]:
        """Return (style name, text) of every body paragraph, tables included, in order."""
        names = {s.style_id: s.name for s in self.doc.styles}
        out = []
        for block in self.doc.element.body.iterchildren():
            for p in block.iter(qn("w:p")):
                style = p.find(f"{W}pPr/{W}pStyle")
                name = names[style.get(qn("w:val"))] if style is not None else ""
                out.append((name, "".join(t.text or "" for t in p.iter(qn("w:t")))))
        return out


def build(issue: Issue, dest: Path, theme: Theme = THEME) -> Built:
    problems = docx_writer.write(issue, theme, dest)
    return Built(issue, dest, problems)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docx")


@pytest.fixture(scope="module")
def sample(out_dir: Path) -> Built:
    issue, problems = pipeline.read(SAMPLE)
    assert issue is not None, problems
    return build(issue, out_dir / "sample.docx")


@pytest.fixture(scope="module")
def rich(out_dir: Path) -> Built:
    return build(rich_issue(out_dir), out_dir / "rich.docx")


@pytest.fixture(scope="module")
def hostile(out_dir: Path) -> Built:
    issue, warnings = transforms.apply(hostile_issue())
    assert [w.code for w in warnings] == ["body.control_chars"]
    return build(issue, out_dir / "hostile.docx")


# --- LibreOffice ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(out_dir: Path, sample: Built, rich: Built, hostile: Built) -> dict[str, Path]:
    """Convert the three files with one LibreOffice run; return stem -> PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (bash scripts/setup.sh --dev)")
    conf = out_dir / "fonts.conf"
    conf.write_text(fonts.fontconfig_aliases(standalone=True), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    pdf_dir = out_dir / "pdf"
    files = [str(b.path) for b in (sample, rich, hostile)]
    profile = (out_dir / "lo-profile").as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    result = subprocess.run(
        [*cmd, str(pdf_dir), *files], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    found = {p.stem: p for p in pdf_dir.glob("*.pdf")}
    assert set(found) == {"sample", "rich", "hostile"}, result.stdout + result.stderr
    return found


def pdf_text(pdf: Path, *pages: int) -> str:
    args = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


# --- the template ---------------------------------------------------------------------------------------


def test_template_is_regenerated_identically(tmp_path: Path) -> None:
    fresh = tmp_path / "bulletin.docx"
    script = ROOT / "tools" / "make_docx_template.py"
    subprocess.run([sys.executable, str(script), "-o", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == docx_writer.DEFAULT_TEMPLATE.read_bytes(), (
        "templates/bulletin.docx is stale: run python tools/make_docx_template.py"
    )


def test_template_has_every_named_style() -> None:
    doc = Document(str(docx_writer.DEFAULT_TEMPLATE))
    names = {s.name for s in doc.styles}
    assert set(S.values()) <= names
    assert S["body"] + docx_writer.RUN_IN_SUFFIX in names


# --- page, styles, fonts ---------------------------------------------------------------------------------


def test_page_setup_is_a4_with_gbt9704_margins(sample: Built) -> None:
    section = sample.doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    # page numbers sit 7 mm under the 版心: footer distance + one footer line = 35 - 7 mm
    line = THEME.styles["page_number"].size_pt * 1.2
    assert section.footer_distance.pt + line == pytest.approx(mm(35 - 7), abs=0.5)


def test_paragraphs_follow_the_model_in_order_with_their_styles(sample: Built) -> None:
    issue = sample.issue
    m = issue.masthead
    expected = [(S["mark"], mark) for mark in m.marks]
    expected += [
        (S["masthead_name"], m.name),
        (S["marker"], f"（{m.marker}）"),
        (S["issue_line"], "第二十八期（总第646期）"),
        (S["publisher_line"], f"{m.publisher}2018年12月20日"),
        (S["toc_label"], "本期要目"),
    ]
    expected += [(S["toc"], line) for line in issue.toc]
    for article in issue.articles:
        # a title too wide for the 版心 breaks at its full-width space, as in the PDF
        expected.append((S["title"], "".join(printed.title_lines(article, THEME))))
        if article.subtitle:
            expected.append((S["subtitle"], f"——{article.subtitle}"))
        for block in article.blocks:
            if isinstance(block, Heading):
                text = "".join(s.text for s in block.spans + block.run_in)
                expected.append((S[f"heading{block.level}"], text))
            else:
                expected.append((S["body"], "".join(s.text for s in block.spans)))
        if printed.source_joins_last_paragraph(article):  # after a line break and a tab
            expected[-1] = (S["body"], expected[-1][1] + f"（{article.source}）")
        else:
            expected.append((S["source"], f"（{article.source}）"))
    expected += [
        (S["imprint"], "报：委领导"),
        (S["imprint"], "发：各有关部门"),
        (S["imprint"], "编辑：戚成铁　　签发：项　忠"),
        ("", ""),  # the one-point paragraph anchoring the floating 版记 table
    ]
    assert sample.paragraphs() == expected
    assert sample.problems == []


def test_toc_is_plain_paragraphs_not_a_field(sample: Built) -> None:
    # a TOC field would need Word to update it; LibreOffice headless cannot (the 要目 has no page numbers)
    document = sample.part("word/document.xml")
    assert document.find(f".//{W}fldSimple") is None and document.find(f".//{W}sdt") is None
    assert not [t.text for t in document.iter(f"{W}instrText")]
    toc = [text for style, text in sample.paragraphs() if style == S["toc"]]
    assert toc == list(sample.issue.toc)


def test_pipeline_builds_the_sample_docx(tmp_path: Path) -> None:
    result = pipeline.build(SAMPLE, tmp_path, ("docx",))
    assert result.ok and [p.name for p in result.written] == ["2018-28.docx"], result.problems
    assert Document(str(result.written[0])).paragraphs[2].text == "温州开发区信息"


def test_no_empty_paragraphs_and_no_template_tags_left(sample: Built, rich: Built) -> None:
    # the last paragraph anchors the floating 版记 table: unstyled, one point high, no text
    assert all(text for _style, text in sample.paragraphs()[:-1])
    assert sample.paragraphs()[-1] == ("", "")
    # in the rich issue only the picture paragraphs and the padded table cell have no text
    empty = [style for style, text in rich.paragraphs() if not text]
    assert empty == [S["image"], S["image"], S["table"], ""]
    for built in (sample, rich):
        xml = etree.tostring(built.part("word/document.xml"), encoding="unicode")
        assert "{{" not in xml and "{%" not in xml and "bulletin-kit-" not in xml


@pytest.mark.parametrize("key", sorted(THEME.styles))
def test_style_fonts_sizes_and_colours(sample: Built, key: str) -> None:
    spec = THEME.styles[key]
    style = sample.doc.styles[spec.name]
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == FONTS[spec.font].office
    latin = FONTS["songti"].office if key == "page_number" else LATIN.office  # GB/T 9704 §7.5: 宋体 digits
    assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == latin
    if key in ("masthead_name", "publisher_line"):  # shrunk to fit one line
        assert style.font.size.pt <= spec.size_pt
    else:
        assert style.font.size.pt == spec.size_pt
    red = str(style.font.color.rgb) if style.font.color.rgb is not None else None
    assert red == ("FF0000" if spec.color == "red" else None)
    assert bool(style.font.bold) == spec.bold


def test_body_tracking_sets_28_characters_per_line(sample: Built) -> None:
    rpr = sample.doc.styles[S["body"]].element.rPr
    assert rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    line = sample.doc.styles[S["body"]].paragraph_format
    assert line.line_spacing.pt == pytest.approx(THEME.line_pitch_pt)


def test_runs_take_their_fonts_from_the_styles(sample: Built, rich: Built) -> None:
    """Fonts live in the named styles (a unit's template restyles them); a run names fonts only for a
    “ ” ‘ ’ … — · that LibreOffice would otherwise set in the Latin font, and then every slot is the
    East Asian font of its style."""
    office = {role.office for role in FONTS.values()}
    shared = docx_writer.SHARED_PUNCTUATION
    for built in (sample, rich):
        named = 0
        for run in built.part("word/document.xml").iter(f"{W}r"):
            rfonts = run.find(f"{W}rPr/{W}rFonts")
            if rfonts is None:
                continue
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            named += len(text)
            assert set(text) <= shared, text
            east_asia = rfonts.get(qn("w:eastAsia"))
            assert east_asia in office
            assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == east_asia
        chars = sum(len(t.text or "") for t in built.part("word/document.xml").iter(f"{W}t"))
        assert named < 0.01 * chars, (named, chars)  # characters whose run names a font
        for name in ("word/footer1.xml", "word/footer2.xml"):  # “— 1 —” in the 页码 style's 宋体 (§7.5)
            for run in built.part(name).iter(f"{W}r"):
                rfonts = run.find(f"{W}rPr/{W}rFonts")
                assert rfonts is None or rfonts.get(qn("w:eastAsia")) == FONTS["songti"].office
    styles = sample.part("word/styles.xml")
    for style in styles.iter(f"{W}style"):
        style_id = style.get(qn("w:styleId"))
        if style_id.startswith("Bk"):
            rfonts = style.find(f"{W}rPr/{W}rFonts")
            assert rfonts.get(qn("w:eastAsia")) in office
            assert rfonts.get(qn("w:hint")) == "eastAsia"  # Word: shared marks in the East Asian font
            if style_id.startswith(docx_writer.PUNCT_STYLE_ID):  # 全角标点（仿宋）…: one font in every slot
                assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == rfonts.get(qn("w:eastAsia"))
            else:
                assert rfonts.get(qn("w:ascii")) in (LATIN.office, FONTS["songti"].office)
    punct = {s.get(qn("w:styleId")) for s in styles.iter(f"{W}style")} & {
        docx_writer.PUNCT_STYLE_ID + key.capitalize() for key in FONTS
    }
    assert len(punct) == len(FONTS)


def runs_of(paragraph) -> list[tuple[str, str | None]]:
    """Return (text, Latin font) of each run of a python-docx paragraph: its own ``w:ascii``, else its
    character style's, else None (the paragraph style's applies)."""
    out = []
    for r in paragraph.runs:
        rpr = r._r.rPr
        fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
        style = rpr.find(f"{W}rStyle") if rpr is not None else None
        if fonts is None and style is not None:
            char = paragraph.part.document.styles.element.find(
                f"{W}style[@{W}styleId='{style.get(qn('w:val'))}']/{W}rPr/{W}rFonts"
            )
            fonts = char
        out.append((r.text, fonts.get(qn("w:ascii")) if fonts is not None else None))
    return out


def test_chinese_quotes_are_set_in_the_east_asian_font(sample: Built) -> None:
    """LibreOffice ignores w:hint and gives a mark the script of the character before it: a “ opening a
    paragraph was set in Liberation Serif, half-width (FORMAT.md §5). Only such marks get a run of
    their own; after a Chinese character the style's fonts apply."""
    toc = next(p for p in sample.doc.paragraphs if p.style.name == S["toc"])  # from the docxtpl template
    kai = FONTS["kaiti"].office
    assert runs_of(toc) == [("“", kai), ("三力并举”激活", None), ("“", None), ("蜗牛工程”", None)]
    title = next(p for p in sample.doc.paragraphs if p.style.name == S["title"])
    assert runs_of(title)[0] == ("“", FONTS["xiaobiaosong"].office)
    # digits and Latin letters keep the style's Times New Roman, next to a quote in the same paragraph
    mixed = next(
        p for p in sample.doc.paragraphs if p.style.name == S["body"] and "“" in p.text and "+" in p.text
    )
    assert all(font is None for text, font in runs_of(mixed) if "+" in text)


def test_shared_punctuation_split_keeps_run_properties(tmp_path: Path) -> None:
    text = "甲“乙”丙——丁…A·B‘c’"
    article = Article(title=("题",), blocks=(Paragraph(spans=(Span(text=text, bold=True),)),))
    built = build(Issue(masthead=masthead(), articles=(article,)), tmp_path / "quotes.docx")
    body = next(p for p in built.doc.paragraphs if p.style.name == S["body"])
    assert body.text == text
    fang = FONTS["fangsong"].office
    # marks after Chinese stay in the style's fonts; after Latin letters they get the East Asian font
    assert runs_of(body) == [
        ("甲“乙”丙——丁…A", None),
        ("·", fang),
        ("B", None),
        ("‘", fang),
        ("c", None),
        ("’", fang),
    ]
    assert all(run.bold for run in body.runs)


def test_no_theme_font_or_colour_attributes_anywhere(sample: Built) -> None:
    with zipfile.ZipFile(sample.path) as z:
        names = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        for name in names:
            found = re.findall(r'w:\w*[Tt]heme\w*="', z.read(name).decode("utf-8"))
            assert not found, (name, found[:3])
        assert "stylesWithEffects" not in " ".join(z.namelist())


def test_chinese_typography_settings(sample: Built) -> None:
    settings = sample.part("word/settings.xml")
    assert settings.find(f"{W}characterSpacingControl").get(qn("w:val")) == "compressPunctuation"
    assert settings.find(f"{W}themeFontLang").get(qn("w:eastAsia")) == "zh-CN"
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    styles = sample.part("word/styles.xml")
    defaults = styles.find(f"{W}docDefaults")
    assert defaults.find(f".//{W}lang").get(qn("w:eastAsia")) == "zh-CN"
    kinsoku = defaults.find(f".//{W}pPr/{W}kinsoku")
    assert kinsoku is not None and kinsoku.get(qn("w:val")) in (None, "1", "true")


def test_font_table_names_the_fonts_stock_windows_has(sample: Built) -> None:
    table = {}
    for f in sample.part("word/fontTable.xml").iter(f"{W}font"):
        alt = f.find(f"{W}altName")
        table[f.get(qn("w:name"))] = None if alt is None else alt.get(qn("w:val"))
    assert table == {
        "Times New Roman": None,
        "方正小标宋简体": "宋体",
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "黑体": None,
        "宋体": None,
    }


def test_masthead_is_red_with_a_red_rule(sample: Built) -> None:
    style = sample.doc.styles[S["masthead_name"]]
    assert str(style.font.color.rgb) == "FF0000"
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = sample.doc.styles[S["publisher_line"]].element.pPr.find(f"{W}pBdr/{W}bottom")
    assert rule.get(qn("w:color")) == "FF0000"
    assert int(rule.get(qn("w:sz"))) == round(THEME.masthead_rule_pt * 8)
    # 编印单位 flush left, the date flush right on the same line (right tab at the 版心 edge)
    tab = sample.doc.styles[S["publisher_line"]].paragraph_format.tab_stops[0]
    assert round(tab.position.mm) == round(THEME.text_width_mm)
    line = next(p for p in sample.doc.paragraphs if p.style.name == S["publisher_line"])
    assert line._p.find(f".//{W}tab") is not None


def test_masthead_name_fits_the_text_width(sample: Built) -> None:
    size = sample.doc.styles[S["masthead_name"]].font.size.pt
    assert len(sample.issue.masthead.name) * size <= mm(THEME.text_width_mm)
    assert size >= THEME.masthead_name_min_pt


def test_long_masthead_name_shrinks_with_a_warning(tmp_path: Path) -> None:
    issue = Issue(masthead=masthead(name="温州浙南产业集聚区经开区瓯飞信息"))
    built = build(issue, tmp_path / "long.docx")
    size = built.doc.styles[S["masthead_name"]].font.size.pt
    assert size * 16 <= mm(THEME.text_width_mm) and size < THEME.masthead_name_min_pt
    assert [p.code for p in built.problems] == ["docx.masthead_long"]


def test_page_number_footers_outside_on_odd_and_even_pages(sample: Built) -> None:
    section = sample.doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.style.name == S["page_number"]
        assert paragraph.alignment == align
        kinds = [f.get(qn("w:fldCharType")) for f in paragraph._p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert [t.text.strip() for t in paragraph._p.iter(f"{W}instrText")] == ["PAGE"]
        assert paragraph.text == "— 1 —"


def test_centred_page_numbers(tmp_path: Path) -> None:
    issue = Issue(masthead=masthead(), layout=Layout(page_numbers="center"))
    built = build(issue, tmp_path / "center.docx")
    assert built.part("word/settings.xml").find(f"{W}evenAndOddHeaders") is None
    assert built.doc.sections[0].footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_document_properties(sample: Built) -> None:
    props = sample.doc.core_properties
    assert props.title == "温州开发区信息 第二十八期"
    assert props.author == sample.issue.masthead.publisher
    assert props.created.date() == dt.date(2018, 12, 20)
    app = sample.part("docProps/app.xml")
    company = app.find("{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Company")
    assert company.text == sample.issue.masthead.publisher


def test_imprint_is_a_table_at_the_foot_of_the_page_with_rules_and_insets(sample: Built) -> None:
    table = sample.doc.tables[-1]
    imprint = [cell.paragraphs[0] for row in table.rows for cell in row.cells]
    assert [p.text for p in imprint] == ["报：委领导", "发：各有关部门", "编辑：戚成铁　　签发：项　忠"]
    assert all(p.style.name == S["imprint"] for p in imprint)
    tblpr = table._tbl.tblPr
    pos = tblpr.find(f"{W}tblpPr")
    assert pos.get(qn("w:vertAnchor")) == "margin" and pos.get(qn("w:tblpYSpec")) == "bottom"
    assert int(tblpr.find(f"{W}tblW").get(qn("w:w"))) == twips(mm(THEME.text_width_mm))
    # text 1 字 (四号) inside the rules, left and right
    margins = {etree.QName(m).localname: int(m.get(qn("w:w"))) for m in tblpr.find(f"{W}tblCellMar")}
    inset = twips(THEME.styles["imprint"].size_pt)
    assert margins["left"] == margins["right"] == inset

    def rules(element, tag: str) -> dict[str, int]:
        found = element.find(tag)
        return {
            etree.QName(b).localname: int(b.get(qn("w:sz")))
            for b in ([] if found is None else found)
            if b.get(qn("w:val")) == "single"
        }

    thick, thin = round(mm(0.35) * 8), round(mm(0.25) * 8)
    assert rules(tblpr, f"{W}tblBorders") == {"top": thick, "bottom": thick}
    cells = [row.cells[0]._tc for row in table.rows]
    assert [rules(tc, f"{W}tcPr/{W}tcBorders") for tc in cells] == [{}, {"bottom": thin}, {}]
    # 报/发 lines hang after the colon; rows do not split; 共印N份 would sit at the inner right edge
    assert imprint[0].paragraph_format.first_line_indent.pt == pytest.approx(
        -2 * THEME.styles["imprint"].size_pt
    )
    assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)
    body = list(sample.doc.element.body.iterchildren())
    assert body[-3] is table._tbl and body[-2].tag == f"{W}p"  # then the anchor, then sectPr


# --- every element of the model ------------------------------------------------------------------------


def test_rich_issue_elements(rich: Built) -> None:
    paragraphs = rich.paragraphs()
    styles = [s for s, _t in paragraphs]
    assert rich.problems == []
    for key in (
        "column",
        "kicker",
        "title",
        "subtitle",
        "byline",
        "editor_note",
        "issue_note",
        "source",
        "caption",
    ):
        assert S[key] in styles, key
    for level in (1, 2, 3, 4):
        assert S[f"heading{level}"] in styles
    assert (S["title"], "第一行标题第二行标题") in paragraphs  # two lines, one paragraph with a break
    assert (S["caption"], "俯瞰安吉余村　夏鹏飞　摄") in paragraphs
    assert (S["caption"], "（图片由某单位提供）") in paragraphs
    assert (S["subtitle"], "——副题在标题下方") in paragraphs
    assert (S["imprint"], "送：市委办，市府办") in paragraphs
    assert (S["imprint"], "编辑：戚成铁　　审核：王　五　　签发：项　忠共印120份") in paragraphs
    assert (S["mark"], "内部刊物000123") in paragraphs  # 编号 at the top right of the first mark line


def test_labels_are_character_styles_in_their_fonts(rich: Built) -> None:
    runs = {}
    for run in rich.part("word/document.xml").iter(f"{W}r"):
        style = run.find(f"{W}rPr/{W}rStyle")
        if style is not None:
            name = {s.style_id: s.name for s in rich.doc.styles}[style.get(qn("w:val"))]
            runs.setdefault(name, []).append(run)
    runs = {name: found for name, found in runs.items() if not name.startswith("全角标点")}
    assert set(runs) == {S["editor_note_label"], S["label"], S["copy_no"], S["body"] + " 字符"}
    assert ["".join(r.itertext()) for r in runs[S["editor_note_label"]]] == ["编者按：", "编者按："]
    assert ["".join(r.itertext()) for r in runs[S["label"]]] == ["【看点】"]
    assert ["".join(r.itertext()) for r in runs[S["body"] + " 字符"]] == ["紧跟的正文。"]
    for key in ("editor_note_label", "label"):  # the character styles carry 黑体, the runs nothing
        style = rich.doc.styles[S[key]].element
        assert style.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == FONTS["heiti"].office
        assert all(run.find(f"{W}rPr/{W}rFonts") is None for run in runs[S[key]])


def test_pictures_are_centred_and_fit_the_text_area(rich: Built) -> None:
    shapes = rich.doc.inline_shapes
    assert len(shapes) == 2
    wide, tall = shapes
    assert wide.width.mm == pytest.approx(THEME.text_width_mm, abs=0.5)
    assert tall.width.mm <= 80
    assert tall.height.mm <= THEME.text_height_mm
    assert wide.height / wide.width == pytest.approx(800 / 1200, rel=0.01)
    pictures = [p for p in rich.doc.paragraphs if p.style.name == S["image"]]
    assert all(p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in pictures)


def test_tables_are_full_width_with_rules_and_a_header_row(rich: Built) -> None:
    table, _imprint = rich.doc.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["项目", "数量"],
        ["重点工程", "13"],
        ["短行", ""],
    ]
    tblpr = table._tbl.tblPr
    assert (
        tblpr.find(f"{W}tblW").get(qn("w:type")) == "pct" and tblpr.find(f"{W}tblW").get(qn("w:w")) == "5000"
    )
    sides = {etree.QName(b).localname for b in tblpr.find(f"{W}tblBorders")}
    assert sides == {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_missing_picture_is_a_warning_and_keeps_the_caption(tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    article = Article(title=("题",), blocks=(Image(path=broken, caption="图注"),))
    built = build(Issue(masthead=masthead(), articles=(article,)), tmp_path / "broken.docx")
    assert [(p.code, p.level, p.path) for p in built.problems] == [
        ("docx.image_failed", Level.WARNING, "articles[0].blocks[0]")
    ]
    assert (S["caption"], "图注") in built.paragraphs()


def embedded_pictures(built: Built) -> list[tuple[str, PILImage.Image, float]]:
    """Return (content type, decoded picture, width in mm) of each inline picture, in order."""
    out = []
    for shape in built.doc.inline_shapes:
        blip = shape._inline.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = built.doc.part.related_parts[rid]
        picture = PILImage.open(io.BytesIO(part.blob))
        picture.load()
        out.append((part.content_type, picture, shape.width.mm))
    return out


def test_pictures_python_docx_cannot_read_are_reencoded(tmp_path: Path) -> None:
    """A CMYK JPEG saved by Pillow (Adobe header, no JFIF) and a WebP, even renamed .jpg, go into the
    Word file re-encoded in memory, as the PDF shows them; only a file Pillow cannot open is skipped."""
    cmyk = tmp_path / "cmyk.jpg"
    PILImage.new("CMYK", (300, 200), (0, 200, 200, 0)).save(cmyk)  # without dpi=: no JFIF header
    assert cmyk.read_bytes()[:4] == b"\xff\xd8\xff\xee"  # APP14 Adobe
    webp_as_jpg = tmp_path / "photo.jpg"
    PILImage.new("RGB", (300, 200), (20, 120, 40)).save(webp_as_jpg, format="WEBP")
    transparent = tmp_path / "logo.webp"
    PILImage.new("RGBA", (120, 80), (200, 30, 30, 100)).save(transparent, lossless=True)
    turned = tmp_path / "turned.webp"  # taken upright: the camera wrote orientation 6 (rotate 90°)
    exif = PILImage.Exif()
    exif[0x0112] = 6
    PILImage.new("RGB", (160, 90), (90, 90, 200)).save(turned, exif=exif.tobytes())
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    blocks = tuple(Image(path=p, caption=p.stem) for p in (cmyk, webp_as_jpg, transparent, turned, broken))
    article = Article(title=("图",), blocks=blocks)
    built = build(Issue(masthead=masthead(), articles=(article,)), tmp_path / "pictures.docx")

    assert [(p.code, p.path) for p in built.problems] == [("docx.image_failed", "articles[0].blocks[4]")]
    pictures = embedded_pictures(built)
    assert [(kind, picture.mode, picture.size) for kind, picture, _ in pictures] == [
        ("image/jpeg", "RGB", (300, 200)),  # photographs stay JPEG, in RGB
        ("image/jpeg", "RGB", (300, 200)),
        ("image/png", "RGBA", (120, 80)),  # transparency needs PNG
        ("image/jpeg", "RGB", (90, 160)),  # turned upright before the tag is lost
    ]
    assert pictures[0][1].getpixel((10, 10))[0] > 200  # cyan-free red stays red
    assert pictures[0][2] == pytest.approx(300 / 96 * 25.4, abs=0.1)  # natural size at 96 dpi, as in the PDF
    # every caption is there, the broken picture's too
    assert [t for s, t in built.paragraphs() if s == S["caption"]] == [
        "cmyk",
        "photo",
        "logo",
        "turned",
        "broken",
    ]


def test_pictures_python_docx_reads_are_embedded_unchanged(rich: Built) -> None:
    wide = next(b for b in rich.issue.articles[0].blocks if isinstance(b, Image))
    blobs = [p.blob for p in rich.doc.part.related_parts.values() if p.content_type.startswith("image/")]
    assert wide.path.read_bytes() in blobs


# --- the （来源） line stays with the end of its article -------------------------------------------


def keeps(built: Built) -> list[tuple[str, str, bool]]:
    """Return (style, text, keep with next) of the body paragraphs, table cells included."""
    names = {s.style_id: s.name for s in built.doc.styles}
    out = []
    for p in built.doc.element.body.iter(qn("w:p")):
        style = p.find(f"{W}pPr/{W}pStyle")
        keep = p.find(f"{W}pPr/{W}keepNext")
        on = keep is not None and keep.get(qn("w:val")) not in ("0", "false", "off")
        name = names[style.get(qn("w:val"))] if style is not None else ""
        out.append((name, "".join(t.text or "" for t in p.iter(qn("w:t"))), on))
    return out


def test_the_source_line_keeps_the_end_of_its_article(tmp_path: Path) -> None:
    picture = make_picture(tmp_path / "p.png", (400, 300))
    short = "最后一段只有一行。"
    long = "很长的最后一段。" * 20  # 160 characters: six lines
    articles = (
        Article(title=("短段",), source="甲单位", blocks=(Paragraph(spans=(Span(text=short),)),)),
        Article(title=("长段",), source="乙单位", blocks=(Paragraph(spans=(Span(text=long),)),)),
        Article(title=("图",), source="丙单位", blocks=(Image(path=picture, caption="图注"),)),
        Article(title=("表",), source="丁单位", blocks=(Table(rows=(("甲", "乙"), ("一", "二"))),)),
        Article(title=("无来源",), blocks=(Paragraph(spans=(Span(text="没有来源的文章。"),)),)),
    )
    built = build(Issue(masthead=masthead(), articles=articles), tmp_path / "source.docx")
    paragraphs = keeps(built)

    def before(source: str) -> list[tuple[str, str, bool]]:
        index = paragraphs.index((S["source"], f"（{source}）", False))
        return paragraphs[index - 2 : index]

    # a last body paragraph carries the source line itself (a line break, a tab to a right tab stop on
    # the right margin), so widow control keeps a text line with it; no keepNext, which LibreOffice
    # reads as "do not split" (a long paragraph would move whole, leaving a gap)
    assert (S["body"], short + "（甲单位）", False) in paragraphs
    assert (S["body"], long + "（乙单位）", False) in paragraphs
    width = twips(mm(THEME.page_width_mm - THEME.margin_left_mm - THEME.margin_right_mm))
    for text in (short, long):
        p = next(p for p in built.doc.paragraphs if p.text.startswith(text))
        run = p.runs[-1]._r
        assert [etree.QName(c).localname for c in run if c.tag != qn("w:rPr")] == ["br", "tab", "t"]
        stops = p.paragraph_format.tab_stops
        assert [(stop.alignment, abs(stop.position.twips - width) <= 20) for stop in stops] == [
            (WD_TAB_ALIGNMENT.RIGHT, True)
        ]
    settings = built.doc.settings.element
    assert settings.find(f"{W}compat/{W}doNotExpandShiftReturn") is not None  # the text line not stretched
    assert before("丙单位") == [(S["image"], "", True), (S["caption"], "图注", True)]
    assert before("丁单位") == [(S["table"], "一", True), (S["table"], "二", True)]
    assert (S["body"], "没有来源的文章。", False) in paragraphs
    assert [p for p in paragraphs if p[0] == S["table"]][:2] == [
        (S["table"], "甲", False),
        (S["table"], "乙", False),
    ]


# --- bad content is data --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_literally_everywhere(hostile: Built, text: str) -> None:
    paragraphs = hostile.paragraphs()
    by_style: dict[str, str] = {}
    for style, body in paragraphs:
        by_style[style] = by_style.get(style, "") + body
    for key in (
        "mark",
        "marker",
        "publisher_line",
        "toc",
        "title",
        "subtitle",
        "byline",
        "editor_note",
        "body",
        "heading1",
        "source",
        "table",
        "imprint",
    ):
        assert text in by_style[S[key]], key
    assert hostile.doc.core_properties.author.startswith("办公室")


def test_hostile_masthead_name_and_properties(hostile: Built) -> None:
    assert (S["masthead_name"], "A&B<信息>{{ x }}") in hostile.paragraphs()
    assert hostile.doc.core_properties.title == "A&B<信息>{{ x }} 第七期"


def test_control_characters_are_removed_with_a_warning(hostile: Built) -> None:
    xml = zipfile.ZipFile(hostile.path).read("word/document.xml").decode("utf-8")
    assert "\x01" not in xml and "\x0b" not in xml
    assert (S["body"], "控制字符" + "｜".join(HOSTILE)) in hostile.paragraphs()


def test_writer_guards_against_untransformed_control_characters(tmp_path: Path) -> None:
    issue = Issue(masthead=masthead(name="名\x01称"), articles=(Article(title=("题\x0b",)),))
    built = build(issue, tmp_path / "raw.docx")
    assert [p.code for p in built.problems] == ["body.control_chars"]
    assert (S["masthead_name"], "名称") in built.paragraphs()


# --- series templates ------------------------------------------------------------------------------------


def edited_template(tmp_path: Path, edit) -> Path:
    """Return a copy of the default template whose document.xml or styles.xml went through ``edit``."""
    dest = tmp_path / "series.docx"
    with zipfile.ZipFile(docx_writer.DEFAULT_TEMPLATE) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, edit(item.filename, zin.read(item.filename)))
    return dest


def with_template(path: Path | None) -> Issue:
    article = Article(title=("题",), source="来源单位", blocks=(Paragraph(spans=(Span(text="正文。"),)),))
    return Issue(masthead=masthead(), articles=(article,), layout=Layout(docx_template=path))


def test_series_template_without_a_style_warns_and_still_writes(tmp_path: Path) -> None:
    def rename(name: str, data: bytes) -> bytes:
        return (
            data.replace('w:val="文章标题"'.encode(), 'w:val="题目"'.encode())
            if name == "word/styles.xml"
            else data
        )

    built = build(with_template(edited_template(tmp_path, rename)), tmp_path / "out.docx")
    assert [(p.code, p.level, p.args["style"]) for p in built.problems] == [
        ("docx.style_missing", Level.WARNING, "文章标题")
    ]
    assert ("", "题") in built.paragraphs()


def test_series_template_errors(tmp_path: Path) -> None:
    missing = docx_writer.write(with_template(tmp_path / "none.docx"), THEME, tmp_path / "a.docx")
    assert [p.code for p in missing] == ["docx.template_missing"]

    not_docx = tmp_path / "old.doc"
    not_docx.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    assert [p.code for p in docx_writer.write(with_template(not_docx), THEME, tmp_path / "b.docx")] == [
        "docx.template_bad"
    ]

    def no_body(name: str, data: bytes) -> bytes:
        return data.replace(b"{{ body }}", b"body") if name == "word/document.xml" else data

    problems = docx_writer.write(
        with_template(edited_template(tmp_path, no_body)), THEME, tmp_path / "c.docx"
    )
    assert [p.code for p in problems] == ["docx.template_no_body"]
    assert "{{ body }}" in problems[0].message

    def broken(name: str, data: bytes) -> bytes:
        return (
            data.replace(b"{{ name }}", b"{{ name | nosuchfilter }}") if name == "word/document.xml" else data
        )

    problems = docx_writer.write(with_template(edited_template(tmp_path, broken)), THEME, tmp_path / "d.docx")
    assert [(p.code, p.level) for p in problems] == [("docx.template_refused", Level.ERROR)]
    assert "{{ name | nosuchfilter }}" in problems[0].message and "|nosuchfilter" in problems[0].message


# --- cost and reach --------------------------------------------------------------------------------------


def test_sample_builds_fast(sample: Built, tmp_path: Path) -> None:
    best = min(_timed(sample.issue, tmp_path / f"t{i}.docx") for i in range(3))
    assert best < 0.5, f"{best:.3f} s"


def _timed(issue: Issue, dest: Path) -> float:
    started = time.perf_counter()
    docx_writer.write(issue, THEME, dest)
    return time.perf_counter() - started


def test_writer_opens_only_the_template_and_the_pictures(rich: Built, tmp_path: Path) -> None:
    opened: list[str] = []

    python = (sys.prefix, sys.base_prefix)  # lazily imported modules are not the writer's reading

    def hook(event: str, args: tuple) -> None:
        if event == "open" and recording and isinstance(args[0], str | bytes | os.PathLike):
            path = os.fsdecode(args[0])
            if not path.startswith(python):
                opened.append(path)

    recording = False
    sys.addaudithook(hook)
    recording = True
    try:
        dest = tmp_path / "reach.docx"
        docx_writer.write(rich.issue, THEME, dest)
    finally:
        recording = False
    pictures = {str(b.path) for a in rich.issue.articles for b in a.blocks if isinstance(b, Image)}
    allowed = {str(docx_writer.DEFAULT_TEMPLATE), str(dest), *pictures}
    assert set(opened) <= allowed, set(opened) - allowed


# --- LibreOffice -----------------------------------------------------------------------------------------


def test_libreoffice_converts_the_sample(pdfs: dict[str, Path], sample: Built) -> None:
    pdf = pdfs["sample"]
    assert 22 <= pdf_pages(pdf) <= 32
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for needle in (
        "内部刊物",
        "温州开发区信息",
        "（领导参阅）",
        "第二十八期（总第646期）",
        "本期要目",
        "签发：项忠",
    ):
        assert needle in text, needle
    for article in sample.issue.articles:
        assert "".join(article.title).replace("\u3000", "") in text
    first = pdf_text(pdf, 1)
    assert first.index("温州开发区信息") < first.index("本期要目")
    assert re.search(r"—\s*1\s*—", first)


def test_libreoffice_sets_28_characters_per_line(pdfs: dict[str, Path]) -> None:
    # lines of pure Han text and full-width punctuation (no digits, whose width differs)
    lines = [re.sub(r"\s", "", line) for line in pdf_text(pdfs["sample"], 2, 6).splitlines()]
    han = [len(line) for line in lines if line and re.fullmatch(r"[\u3001-\u9fff\uff01-\uff5e“”‘’…—]+", line)]
    assert max(set(han), key=han.count) == 28, han


def test_libreoffice_uses_the_free_substitute_fonts(pdfs: dict[str, Path]) -> None:
    if (
        not shutil.which("fc-list")
        or "FandolFang" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    ):
        pytest.skip("Fandol fonts not installed (bash scripts/setup.sh)")
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["sample"])], capture_output=True, text=True, check=True
    ).stdout
    # 小标宋 -> Noto Serif CJK Bold (LibreOffice names the .ttc face after its first, JP, member)
    for name in ("FandolFang", "FandolKai", "FandolHei", "FandolSong", "NotoSerifCJK"):
        assert name in fonts, fonts


def test_libreoffice_prints_hostile_text_literally(pdfs: dict[str, Path]) -> None:
    text = pdf_text(pdfs["hostile"])
    for needle in ("{{ x }}", "{% if %}", "<w:p>", "A & B", "a < b", "&amp;", "{_{ y }_}"):
        assert needle in text, needle


def test_libreoffice_converts_every_element(pdfs: dict[str, Path]) -> None:
    text = re.sub(r"\s+", "", pdf_text(pdfs["rich"]))
    for needle in (
        "《清廉建设》专栏",
        "编者按：这是本文的编者按。",
        "俯瞰安吉余村夏鹏飞摄",
        "重点工程13",
        "共印120份",
    ):
        assert needle in text, needle


def test_libreoffice_sets_chinese_quotes_full_width(pdfs: dict[str, Path]) -> None:
    """“ at a line start came out in Liberation Serif, 7.1 pt wide at 16 pt (17 in the sample)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    narrow, seen = [], 0
    with pdfplumber.open(pdfs["sample"]) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for char in page.chars:
                if char["text"] in "“”‘’…":
                    seen += 1
                    if char["width"] < 0.9 * char["size"]:
                        narrow.append((number, char["text"], char["fontname"], round(char["width"], 1)))
    assert seen > 300
    assert not narrow, narrow
