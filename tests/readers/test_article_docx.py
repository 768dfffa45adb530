"""The Word importer on .docx files built from the reference texts, as departments send them.

Three inputs are built with python-docx: 001's eight articles marking titles and headings only by
bold (and size, centring), 000's column with Word's Title and Heading styles, and 002 with a
two-line Title, a picture with a caption paragraph, a table, empty and indented paragraphs.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

from bulletin_kit.model import Heading, Image, Table, plain
from bulletin_kit.readers import article_docx, issue_yaml
from bulletin_kit.readers.contrib import Imported
from tests.readers.test_article_text import (
    SAMPLE,
    articles_of_001,
    assert_nothing_lost,
    headings,
    reference,
)

CAPTION = "三门县城市管理指挥中心\u3000陈明\u3000摄"
TABLE = (("项目", "数量", "完成率"), ("检查户数", "7282", "100%"), ("处置事件", "1138", "100%"))
TITLE_002 = ("三门县综合行政执法局", "2023年工作总结和2024年工作思路")


def png(width: int = 4, height: int = 3) -> bytes:
    """Return a small valid PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _run(paragraph, text: str, *, bold: bool = False, size: float = 16):
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return run


def _markdown_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def build_001_bold(path: Path) -> str:
    """Write 001's articles marking titles and headings only by bold; return the text written."""
    doc = Document()
    written: list[str] = []
    previous = "source"
    for para in _markdown_paragraphs(articles_of_001()):
        marks = re.match(r"^(#+)\s*", para)
        text = re.sub(r"\*\*", "", para[marks.end() :] if marks else para)
        p = doc.add_paragraph()
        if marks and previous in ("source", "title"):
            is_sub = previous == "title"
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, text, bold=True, size=16 if is_sub else 22)
            previous = "subtitle" if is_sub else "title"
        elif marks:
            _run(p, text, bold=True)
            previous = "heading"
        else:
            _run(p, text)
            previous = "source" if re.fullmatch(r"[（(].*[）)]", text) else "body"
        written.append(text)
    doc.save(str(path))
    return "\n".join(written)


UNITS = ("平阳县司法局", "平阳县住建局", "平阳县综合行政执法局", "平阳县城投公司")


def build_000_styles(path: Path) -> str:
    """Write 000 with Word styles: Title for the column's title, Heading 1 for each piece's title."""
    doc = Document()
    written: list[str] = []
    paragraphs = _markdown_paragraphs(reference("000"))
    after_unit = False
    for index, text in enumerate(paragraphs):
        if index == 0:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, text, bold=True)
        elif text.startswith("大力弘扬"):
            doc.add_paragraph(text, style="Title")
        elif text in UNITS:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, text)
        elif after_unit:
            doc.add_paragraph(text, style="Heading 1")
        elif m := re.match(r"^[一二三]、.*?。", text):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _run(p, m.group(0), bold=True)  # the heading sentence in bold, run-in
            _run(p, text[m.end() :])
        else:
            doc.add_paragraph().add_run(text)
        after_unit = text in UNITS
        written.append(text)
    doc.save(str(path))
    return "\n".join(written)


def build_002_picture_table(path: Path) -> str:
    """Write 002 with a two-line Title, Heading 1 sections, a picture with caption and a table."""
    doc = Document()
    title = doc.add_paragraph(style="Title")
    title.add_run(TITLE_002[0]).add_break(WD_BREAK.LINE)
    title.add_run(TITLE_002[1])
    written = ["\n".join(TITLE_002)]
    lines = [line for line in reference("002").splitlines() if line.strip()]
    for index, text in enumerate(lines):
        if re.match(r"^[一二三]、", text):
            doc.add_paragraph(text, style="Heading 1")
        elif index == 2:
            doc.add_paragraph("　　" + text)  # a manual indent
        else:
            doc.add_paragraph(text)
        written.append(text)
        if index == 0:
            doc.add_picture(BytesIO(png()), width=Mm(60))
            doc.add_paragraph(CAPTION).alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.add_paragraph("")
            doc.add_paragraph("   ")
            written.append(CAPTION)
        if text.startswith("二、"):
            table = doc.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for row, cells in zip(table.rows, TABLE, strict=True):
                for cell, value in zip(row.cells, cells, strict=True):
                    cell.text = value
            written += [c for row in TABLE for c in row]
    doc.save(str(path))
    return "\n".join(written)


def read(path: Path, image_dir: Path | None = None) -> Imported:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = article_docx.read(path, image_dir)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "the input file was changed"
    return result


def codes(result: Imported) -> list[str]:
    return [p.code for p in result.problems]


# ---------------------------------------------------------------- 001, bold only


def test_001_bold_only_matches_the_sample_issue(tmp_path: Path) -> None:
    path = tmp_path / "001.docx"
    written = build_001_bold(path)
    result = read(path)
    issue, _ = issue_yaml.load(SAMPLE)
    assert issue is not None
    sample = issue.articles
    assert [(a.title, a.subtitle, a.source) for a in result.articles] == [
        (a.title, a.subtitle, a.source) for a in sample
    ]
    for mine, theirs in zip(result.articles, sample, strict=True):
        assert [(b.level, b.number, plain(b.spans)) for b in mine.blocks if isinstance(b, Heading)] == [
            (b.level, b.number, plain(b.spans)) for b in theirs.blocks if isinstance(b, Heading)
        ]
    assert codes(result).count("import.joined") == 16
    assert_nothing_lost(written, result.articles)


# ---------------------------------------------------------------- 000, Title and Heading styles


def test_000_styles_column_pieces_and_bold_run_in_headings(tmp_path: Path) -> None:
    path = tmp_path / "000.docx"
    written = build_000_styles(path)
    result = read(path)
    assert [a.byline for a in result.articles] == list(UNITS)
    first = result.articles[0]
    assert first.column == "《三争三强·机关效能建设典型案例》专栏《二》"
    assert first.kicker == "大力弘扬“六干”作风，全面开展“三争三强”活动"
    assert first.title == ("全链条发力\u3000高效化解行政争议",)
    assert first.editor_note and first.editor_note.endswith("筑牢坚实保障。")
    assert [len(headings(a)) for a in result.articles] == [3, 3, 2, 3]
    heading = first.blocks[1]
    assert isinstance(heading, Heading) and heading.number == "一、"
    assert plain(heading.spans) == "一、“前端”筑牢预防壁垒，多维施策控争源头。"
    assert heading.run_in[0].bold is False and plain(heading.run_in).startswith("一是找准")
    assert_nothing_lost(written, result.articles)


# ---------------------------------------------------------------- 002, picture, caption, table


def test_002_two_line_title_picture_caption_and_table(tmp_path: Path) -> None:
    path = tmp_path / "002.docx"
    written = build_002_picture_table(path)
    issue_dir = tmp_path / "issues"
    issue_dir.mkdir()
    result = read(path, issue_dir)
    (article,) = result.articles
    assert article.title == TITLE_002
    picture = article.blocks[1]
    assert isinstance(picture, Image)
    assert (picture.caption, picture.credit) == ("三门县城市管理指挥中心", "陈明")
    assert result.images == [(picture.path, png())]
    assert picture.path.parent == issue_dir.resolve() and picture.path.name == "002-1.png"
    (table,) = [b for b in article.blocks if isinstance(b, Table)]
    assert table.rows == TABLE
    assert [level for level, _ in headings(article)] == [1, *[2] * 6, 1, *[2] * 3, 1, *[2] * 4]
    (empty,) = [p for p in result.problems if p.code == "import.empty_dropped"]
    assert (empty.line, empty.message) == (5, "删除了 2 个空段落（第 5、6 行）")
    indent = [p for p in result.problems if p.code == "import.cleaned" and "删除行首缩进" in p.message]
    assert [p.line for p in indent] == [8]  # the paragraph number in the Word file
    assert_nothing_lost(written, result.articles)


def test_picture_without_issue_folder_keeps_its_caption(tmp_path: Path) -> None:
    path = tmp_path / "002.docx"
    build_002_picture_table(path)
    result = read(path, None)
    (article,) = result.articles
    assert not any(isinstance(b, Image) for b in article.blocks)
    assert plain(article.blocks[1].spans) == CAPTION  # type: ignore[union-attr]
    assert "import.image_skipped" in codes(result)


# ---------------------------------------------------------------- Word features


def test_automatic_numbering_is_written_out(tmp_path: Path) -> None:
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    doc.add_paragraph("标题", style="Title")
    numbered("加强领导", 0)
    numbered("压实责任", 1)
    numbered("强化督导", 1)
    numbered("活用政策", 0)
    numbered("凝聚合力", 1)
    path = tmp_path / "n.docx"
    doc.save(str(path))
    (article,) = read(path).articles
    assert [(b.level, plain(b.spans)) for b in article.blocks] == [  # type: ignore[union-attr]
        (1, "一、加强领导"),
        (2, "（一）压实责任"),
        (2, "（二）强化督导"),
        (1, "二、活用政策"),
        (2, "（一）凝聚合力"),
    ]


def test_tracked_changes_text_boxes_and_bold_style(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("标题", style="Title")
    p = doc.add_paragraph("正文")
    w = nsdecls("w")
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>插入的字</w:t></w:r></w:ins>'))
    p._p.append(
        parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>删除的字</w:delText></w:r></w:del>')
    )
    p.add_run("。")
    box = doc.add_paragraph()
    box._p.append(
        parse_xml(
            f'<w:r {w}><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>文本框里的话。</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )
    doc.add_paragraph("星海街道：三廉齐抓").runs[0].bold = True  # a heading marked only by bold
    doc.add_paragraph("星海街道以三廉并举为抓手。")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    result = read(path)
    (article,) = result.articles
    texts = [plain(b.spans) for b in article.blocks]  # type: ignore[union-attr]
    assert texts == ["正文插入的字。", "文本框里的话。", "星海街道：三廉齐抓", "星海街道以三廉并举为抓手。"]
    assert isinstance(article.blocks[2], Heading) and article.blocks[2].number is None


def test_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old .doc renamed")
    assert codes(read(path)) == ["import.read_failed"]


def test_style_names() -> None:
    assert article_docx.style_hint("heading 2") == ("heading", 2)
    assert article_docx.style_hint("标题 1") == ("heading", 1)
    assert article_docx.style_hint("二级标题") == ("heading", 2)
    assert article_docx.style_hint("Title") == ("title", None)
    assert article_docx.style_hint("副标题") == ("subtitle", None)
    assert article_docx.style_hint("Body Text") == (None, None)


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (12, "chineseCountingThousand", "十二"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (4, "upperRoman", "IV"),
        (7, "decimal", "7"),
    ],
)
def test_number_formats(n: int, fmt: str, text: str) -> None:
    assert article_docx.format_number(n, fmt) == text


def test_picture_names_are_ascii_inside_the_issue_folder(tmp_path: Path) -> None:
    path = tmp_path / "司法局 来稿.docx"
    build_002_picture_table(path)
    issue_dir = tmp_path / "issues"
    issue_dir.mkdir()
    (issue_dir / "img-0.png").write_bytes(b"other")
    ((picture_path, data),) = read(path, issue_dir).images
    assert re.fullmatch(r"img-[0-9a-f]{6}-1\.png", picture_path.name)
    assert picture_path.parent == issue_dir.resolve() and data == png()


# ---------------------------------------------------------------- a first paragraph split by a page break

NOTE_TEXT = "编者按：今年以来，各部门聚焦重点工程，推出了一批好做法。现选登一篇，供交流。"
SNAIL = "“三力并举”激活“蜗牛工程”"
SPLIT = ("为助推重点工程项目建设，保障市委市政府重大决策部署落", "到实处，优化营商环境。")
SECOND = "派驻纪检监察组牵头组建联合督查组，对13个重点工程项目进行专项督查。"


@pytest.mark.parametrize(
    ("note", "styled", "byline"),
    [
        pytest.param(True, True, None, id="note-title-style"),
        pytest.param(False, False, None, id="no-style"),
        pytest.param(True, True, "派驻纪检监察组", id="note-title-style-byline"),
    ],
)
def test_first_paragraph_split_by_a_page_break_is_joined_not_a_title_line(
    tmp_path: Path, note: bool, styled: bool, byline: str | None
) -> None:
    doc = Document()
    if note:
        doc.add_paragraph(NOTE_TEXT)
    doc.add_paragraph(SNAIL, style="Title" if styled else None)
    if byline:
        doc.add_paragraph(byline)
    for text in (*SPLIT, SECOND):
        doc.add_paragraph(text)
    path = tmp_path / "split.docx"
    doc.save(str(path))
    result = read(path)
    (article,) = result.articles
    assert (article.title, article.kicker, article.subtitle, article.byline) == ((SNAIL,), None, None, byline)
    assert [plain(b.spans) for b in article.blocks] == ["".join(SPLIT), SECOND]  # type: ignore[union-attr]
    (joined,) = [p for p in result.problems if p.code == "import.joined"]
    assert (joined.args["tail"], joined.args["head"]) == ("府重大决策部署落", "到实处，优化营商")
    assert article.editor_note == (NOTE_TEXT.removeprefix("编者按：") if note else None)
