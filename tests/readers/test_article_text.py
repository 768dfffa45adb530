"""The text importer on the real contributions in tests/fixtures/reference, and its structuring rules."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from bulletin_kit.model import Article, Heading, Image, Paragraph, Table, plain
from bulletin_kit.readers import article_text, issue_yaml
from bulletin_kit.readers.contrib import Imported

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "fixtures" / "reference"
SAMPLE = ROOT / "issues" / "2018-28.yaml"


def reference(name: str) -> str:
    """Return the text of the reference file starting with ``name`` (skip when the folder is missing)."""
    (path,) = REFERENCE.glob(f"{name}_*.txt")
    return path.read_text(encoding="utf-8")


def articles_of_001() -> str:
    """Return the eight articles of the reference issue 001 (without its masthead, 要目 and 版记)."""
    text = reference("001")
    _head, rest = text.split("---", 1)
    return "## " + rest.split("\n## ", 1)[1].split("\n---", 1)[0]


def content(text: str) -> str:
    """Return the Chinese characters and digits of ``text``."""
    return "".join(re.findall(r"[\u3400-\u9fff0-9]", text))


def text_in_input_order(articles: list[Article]) -> str:
    """Return the articles' text with header lines in the order contributions write them."""
    parts: list[str] = []
    for a in articles:
        note = f"编者按：{a.editor_note}" if a.editor_note else ""  # the label is printed by the writers
        parts += [a.column or "", note, a.kicker or "", a.byline or "", *a.title, a.subtitle or ""]
        for b in a.blocks:
            if isinstance(b, Heading):
                parts += [plain(b.spans), plain(b.run_in)]
            elif isinstance(b, Paragraph):
                parts += [b.label or "", plain(b.spans)]
            elif isinstance(b, Image):
                parts += [b.caption, f"{b.credit}摄" if b.credit else ""]  # printed 图注　摄影者　摄
            elif isinstance(b, Table):
                parts += [c for row in b.rows for c in row]
        parts.append(a.source or "")
    return "\n".join(parts)


def assert_nothing_lost(source: str, articles: list[Article]) -> None:
    """Every Chinese character and digit of ``source`` appears in ``articles``, in order."""
    want, got = content(source), content(text_in_input_order(articles))
    it = iter(got)
    for index, char in enumerate(want):
        if char not in it:
            pytest.fail(f"lost {char!r} at {index}: …{want[max(0, index - 15) : index + 15]}…")


def headings(article: Article) -> list[tuple[int, str | None]]:
    return [(b.level, b.number) for b in article.blocks if isinstance(b, Heading)]


def read(path: Path, image_dir: Path | None = None) -> Imported:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = article_text.read(path, image_dir)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "the input file was changed"
    return result


def codes(result: Imported) -> list[str]:
    return [p.code for p in result.problems]


# ---------------------------------------------------------------- 001: eight articles, rough Markdown


@pytest.fixture(scope="module")
def sample_articles() -> tuple[Article, ...]:
    issue, problems = issue_yaml.load(SAMPLE)
    assert issue is not None, problems
    return issue.articles


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_001_titles_sections_sources_match_the_sample_issue(
    tmp_path: Path, suffix: str, sample_articles: tuple[Article, ...]
) -> None:
    source = articles_of_001()
    path = tmp_path / f"001{suffix}"
    path.write_text(source, encoding="utf-8")
    result = read(path)
    got = result.articles
    assert [a.title for a in got] == [a.title for a in sample_articles]
    assert [a.subtitle for a in got] == [a.subtitle for a in sample_articles]
    assert [a.source for a in got] == [a.source for a in sample_articles]
    for mine, theirs in zip(got, sample_articles, strict=True):
        mine_h = [(b.level, b.number, plain(b.spans)) for b in mine.blocks if isinstance(b, Heading)]
        their_h = [(b.level, b.number, plain(b.spans)) for b in theirs.blocks if isinstance(b, Heading)]
        assert mine_h == their_h
    assert_nothing_lost(source, got)
    assert "import.lost" not in codes(result)


def test_001_page_breaks_are_joined_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "001.md"
    path.write_text(articles_of_001(), encoding="utf-8")
    result = read(path)
    joined = [p for p in result.problems if p.code == "import.joined"]
    assert len(joined) == 16
    first = joined[0]
    assert (first.line, first.args["prev"]) == (5, 3)
    assert first.render(tmp_path) == (
        "001.md:5:1: 与上一段（第 3 行）合并：上一段以“府重大决策部署落”结尾，这一段以“到实处，优化营商”开头"
        "（原文在换页或复制时从句子中间断开了；如果确是两段，请在导入后拆开） [警告]"
    )
    body = plain(result.articles[0].blocks[0].spans)  # type: ignore[union-attr]
    assert body.startswith("为助推重点工程项目建设，保障市委市政府重大决策部署落到实处，优化营商环境")
    spaced = [p for p in result.problems if p.code == "import.cleaned" and "“9 个”" in p.message]
    assert spaced and spaced[0].line == 15


def test_001_lead_phrases_stay_in_their_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "001.md"
    path.write_text(articles_of_001(), encoding="utf-8")
    second = read(path).articles[1]
    texts = [plain(b.spans) for b in second.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("一是加强组织领导。为推进攻坚行动取得实效") for t in texts)
    assert all(not (isinstance(b, Heading) and plain(b.spans).startswith("一是")) for b in second.blocks)


# ---------------------------------------------------------------- 000: a column with 编者按


def test_000_column_editor_note_and_four_pieces(tmp_path: Path) -> None:
    source = reference("000")
    path = tmp_path / "000.txt"
    path.write_text(source, encoding="utf-8")
    result = read(path)
    first, *rest = result.articles
    assert first.column == "《三争三强·机关效能建设典型案例》专栏《二》"
    assert first.editor_note is not None
    assert first.editor_note.startswith("今年以来，我县深入学习贯彻")
    assert "重要论述精神，全面落实省委" in first.editor_note  # a page break inside the 编者按, joined
    assert first.kicker == "大力弘扬“六干”作风，全面开展“三争三强”活动"
    assert [a.title for a in result.articles] == [
        ("全链条发力\u3000高效化解行政争议",),
        ("强城筑基绘宏图\u3000民生筑梦谱新篇\u3000擘画平阳县城市建设高质量发展新画卷",),
        ("争要素、精管理、强服务、深改革，奋力打造平阳城市品质展示主窗口",),
        ("国企引擎聚力攻坚\u3000赋能县域发展新篇",),
    ]
    assert [a.byline for a in result.articles] == [
        "平阳县司法局",
        "平阳县住建局",
        "平阳县综合行政执法局",
        "平阳县城投公司",
    ]
    assert all(a.source is None and a.column is None and a.editor_note is None for a in rest)
    assert [headings(a) for a in result.articles] == [
        [(1, "一、"), (1, "二、"), (1, "三、")],
        [(1, "一、"), (1, "二、"), (1, "三、")],
        [(1, "一、"), (1, "二、")],
        [(1, "一、"), (1, "二、"), (1, "三、")],
    ]
    run_in = first.blocks[1]
    assert isinstance(run_in, Heading)
    assert plain(run_in.spans) == "一、“前端”筑牢预防壁垒，多维施策控争源头。"
    assert plain(run_in.run_in).startswith("一是找准诉前赔偿关口。")
    assert_nothing_lost(source, result.articles)
    # the two headings that lack the 。 after their heading phrase are pointed out
    assert [p.line for p in result.problems if p.code == "import.long_heading"] == [53, 59]


# ---------------------------------------------------------------- 002: GBK, half-width punctuation


@pytest.fixture
def gbk_002(tmp_path: Path) -> tuple[str, Path]:
    source = reference("002")
    path = tmp_path / "三门局2023年度工作总结.txt"
    path.write_bytes(source.encode("gbk"))
    return source, path


def test_002_gbk_sections_and_clean_up(gbk_002: tuple[str, Path]) -> None:
    source, path = gbk_002
    result = read(path)
    (article,) = result.articles
    assert "import.gbk" in codes(result)
    assert article.title == ("三门局2023年度工作总结",)  # no title line: the file name, with a warning
    assert "import.no_title" in codes(result)
    assert headings(article) == [
        (1, "一、"),
        *[(2, f"（{n}）") for n in "一二三四五六"],
        (1, "二、"),
        *[(2, f"（{n}）") for n in "一二三"],
        (1, "三、"),
        *[(2, f"（{n}）") for n in "一二三四"],
    ]
    text = text_in_input_order(result.articles)
    assert "," not in text and "(" not in text and ";" not in text
    assert "优化。。" not in text and "助推营商环境优化。" in text
    assert "金麟府璟园" in text  # 璟 is outside GB2312
    cleaned = {p.line: p.message for p in result.problems if p.code == "import.cleaned"}
    assert "标点重复“。。”" in cleaned[5]
    assert "中文里用了半角标点“(三)”，应为“（三）”" in cleaned[5]
    checks = [p for p in result.problems if p.code == "import.check"]
    assert [(p.line, p.col) for p in checks] == [(6, 1)]  # 和合.物业: 间隔号 or 句号? left for the editor
    assert_nothing_lost(source, result.articles)


def test_decode_tries_utf8_then_gb18030() -> None:
    assert article_text.decode("\ufeff简报".encode()) == ("简报", "utf-8")
    assert article_text.decode("金麟府璟园".encode("gbk")) == ("金麟府璟园", "gb18030")
    assert article_text.decode(b"\xff\xfe\x00") is None


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x81\x30")
    assert codes(read(path)) == ["file.encoding"]


# ---------------------------------------------------------------- structuring rules, small cases


def structure_of(tmp_path: Path, text: str, name: str = "来稿.txt") -> Imported:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read(path)


def test_title_byline_subtitle_and_source(tmp_path: Path) -> None:
    result = structure_of(
        tmp_path,
        "  “红色代办”助力营商环境提升\n——行政审批局打造五心代办\n记者 张三 通讯员 李四\n\n"
        "2018年以来，行政审批局围绕改革试点。\n（行政审批局）\n",
    )
    (a,) = result.articles
    assert a.title == ("“红色代办”助力营商环境提升",)
    assert a.subtitle == "行政审批局打造五心代办"
    assert a.byline == "记者\u3000张三\u3000通讯员\u3000李四"
    assert a.source == "行政审批局"
    assert [plain(b.spans) for b in a.blocks] == ["2018年以来，行政审批局围绕改革试点。"]  # type: ignore[union-attr]
    indent = [p for p in result.problems if p.code == "import.cleaned" and p.line == 1]
    assert indent and "删除行首缩进" in indent[0].message


def test_source_written_after_the_last_sentence(tmp_path: Path) -> None:
    (a,) = structure_of(tmp_path, "标题\n\n正文第一段。\n\n正文最后一段。（派驻纪检监察组）\n").articles
    assert a.source == "派驻纪检监察组"
    assert plain(a.blocks[-1].spans) == "正文最后一段。"  # type: ignore[union-attr]


def test_labels_and_unclassified_lines(tmp_path: Path) -> None:
    result = structure_of(
        tmp_path,
        "标题\n\n【看点】五心代办助推改革。\n\n星海街道三廉齐抓\n\n正文。\n",
    )
    (a,) = result.articles
    label, stray, _body = a.blocks
    assert (
        isinstance(label, Paragraph) and label.label == "看点" and plain(label.spans) == "五心代办助推改革。"
    )
    assert isinstance(stray, Paragraph) and plain(stray.spans) == "星海街道三廉齐抓"
    (warning,) = [p for p in result.problems if p.code == "import.unclassified"]
    assert warning.line == 5 and "第 5 行“星海街道三廉齐抓”" in warning.message


def test_markdown_bold_heading_table_and_rules(tmp_path: Path) -> None:
    result = structure_of(
        tmp_path,
        "# 标题\n\n---\n\n**一是加强组织领导。**为推进攻坚行动取得实效。\n\n"
        "## 星海街道：三廉齐抓育典型\n\n| 项目 | 数量 |\n| --- | --- |\n| 重点工程 | 13 |\n",
        name="来稿.md",
    )
    (a,) = result.articles
    lead, sub, table = a.blocks
    assert isinstance(lead, Paragraph) and lead.spans[0].bold and plain(lead.spans).startswith("一是")
    assert isinstance(sub, Heading) and (sub.level, sub.number) == (1, None)
    assert isinstance(table, Table) and table.rows == (("项目", "数量"), ("重点工程", "13"))
    assert "import.rule_dropped" in codes(result)


def test_markdown_picture_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "p.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    issue_dir = tmp_path / "issue"
    issue_dir.mkdir()
    path = tmp_path / "稿.md"
    path.write_text(
        '标题\n\n正文。\n\n![俯瞰安吉余村](p.png "夏鹏飞 摄")\n\n![外面](../x.png)\n', encoding="utf-8"
    )
    result = read(path, issue_dir)
    (a,) = result.articles
    image = a.blocks[1]
    assert isinstance(image, Image) and (image.caption, image.credit) == ("俯瞰安吉余村", "夏鹏飞")
    assert image.path.parent == issue_dir.resolve()
    assert result.images == [(image.path, b"\x89PNG\r\n\x1a\nfake")]
    assert "import.image_missing" in codes(result)


def test_a_date_line_is_not_a_title_line(tmp_path: Path) -> None:
    result = structure_of(tmp_path, "三门局2023年度工作总结\n2023年12月1日\n今年以来，三门局聚焦改革。\n")
    (a,) = result.articles
    assert a.title == ("三门局2023年度工作总结",)
    assert [plain(b.spans) for b in a.blocks] == ["2023年12月1日", "今年以来，三门局聚焦改革。"]  # type: ignore[union-attr]
    assert "第 2 行“2023年12月1日”" in next(
        p.message for p in result.problems if p.code == "import.unclassified"
    )


def test_a_mark_two_rules_see_is_reported_once(tmp_path: Path) -> None:
    result = structure_of(tmp_path, "标题\n\n时间: 2023年，地点: 会议室。另外, 很好.\n")
    (cleaned,) = [p for p in result.problems if p.code == "import.cleaned"]
    assert cleaned.args["changes"] == (
        "中文里用了半角标点“:”，应为“：”（2 处）；中文里用了半角标点“,”，应为“，”；中文里用了半角标点“.”，应为“。”"
    )
    assert plain(result.articles[0].blocks[0].spans) == "时间：2023年，地点：会议室。另外，很好。"  # type: ignore[union-attr]


def test_markdown_is_read_by_the_body_formats_parser(tmp_path: Path) -> None:
    (tmp_path / "照片 1.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    issue_dir = tmp_path / "issue"
    issue_dir.mkdir()
    path = tmp_path / "稿.md"
    path.write_text(
        "# 标题\n\n第一行正文，\n第二行正文, 接着写。\n## 小标题\n正文。\n\n![俯瞰](<照片 1.png> '夏鹏飞 摄')\n",
        encoding="utf-8",
    )
    result = read(path, issue_dir)
    (a,) = result.articles
    para, heading, body, image = a.blocks
    assert isinstance(para, Paragraph) and plain(para.spans) == "第一行正文，第二行正文，接着写。"
    assert isinstance(heading, Heading) and plain(heading.spans) == "小标题"  # a # line ends the paragraph
    assert isinstance(body, Paragraph) and plain(body.spans) == "正文。"
    assert isinstance(image, Image) and (image.caption, image.credit) == ("俯瞰", "夏鹏飞")
    (cleaned,) = [p for p in result.problems if p.code == "import.cleaned"]
    assert (cleaned.line, cleaned.col) == (4, 6)  # the wrapped line keeps its own line number
