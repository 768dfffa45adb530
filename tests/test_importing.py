"""``bulletin import``: every reference sample in every input form, the YAML round trip, appending."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from bulletin_kit import cjk, importing, pipeline
from bulletin_kit.cli_import import import_command
from bulletin_kit.model import Article, Heading, Image, Paragraph, Span, Table
from bulletin_kit.problems import errors
from bulletin_kit.readers import issue_yaml
from bulletin_kit.writers import issue_yaml as yaml_writer
from tests.readers.test_article_docx import build_000_styles, build_001_bold, build_002_picture_table
from tests.readers.test_article_text import articles_of_001, assert_nothing_lost, reference

ROOT = Path(__file__).resolve().parents[1]
ISSUES = ROOT / "issues"

ISSUE_HEAD = """\
# 《温州开发区信息》第二十九期
issue_no: 29          # 期号
date: 2018-12-27
articles:

  # ---- 第1篇 ----
  - title: 已有的文章
    source: 办公室
    body: |
      第一段。

# 版记沿用 series.yaml
distribution:
  copies: 150
"""


def make_issue(folder: Path, text: str = ISSUE_HEAD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ISSUES / "series.yaml", folder / "series.yaml")
    path = folder / "2018-29.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Every reference sample in the forms departments send: name -> (file, the text it holds)."""
    folder = tmp_path_factory.mktemp("来稿")
    out: dict[str, tuple[Path, str]] = {}
    for name, text in (("000.txt", reference("000")), ("001.md", articles_of_001())):
        (folder / name).write_text(text, encoding="utf-8")
        out[name] = (folder / name, text)
    gbk = folder / "三门局2023年度工作总结.txt"
    gbk.write_bytes(reference("002").encode("gbk"))
    out["002-gbk.txt"] = (gbk, reference("002"))
    for name, build in (
        ("000-styles.docx", build_000_styles),
        ("001-bold.docx", build_001_bold),
        ("002-picture.docx", build_002_picture_table),
    ):
        out[name] = (folder / name, build(folder / name))
    return out


@pytest.fixture(scope="module")
def imported(inputs: dict[str, tuple[Path, str]], tmp_path_factory: pytest.TempPathFactory):
    """All samples imported into one issue file: (issue path, articles, yaml text, problems, input hashes)."""
    path = make_issue(tmp_path_factory.mktemp("issues"))
    files = [p for p, _ in inputs.values()]
    before = {p: sha(p) for p in files}
    articles, text, problems = importing.import_files(files, path)
    return path, articles, text, problems, before


SAMPLES = ["000.txt", "001.md", "002-gbk.txt", "000-styles.docx", "001-bold.docx", "002-picture.docx"]
EXPECTED = {  # (articles, headings, sources) per sample
    "000.txt": (4, 11, 0),
    "000-styles.docx": (4, 11, 0),
    "001.md": (8, 29, 8),
    "001-bold.docx": (8, 29, 8),
    "002-gbk.txt": (1, 16, 0),
    "002-picture.docx": (1, 16, 0),
}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_imports_without_losing_a_character(inputs, name: str) -> None:
    path, text = inputs[name]
    result = importing.import_file(path, path.parent / "issue")
    assert not errors(result.problems), [p.render() for p in errors(result.problems)]
    assert_nothing_lost(text, result.articles)
    n_articles, n_headings, n_sources = EXPECTED[name]
    counts = [importing.stats(a) for a in result.articles]
    assert (len(result.articles), sum(c["headings"] for c in counts), sum(c["source"] for c in counts)) == (
        n_articles,
        n_headings,
        n_sources,
    )


def test_import_appends_keeps_the_file_and_never_touches_inputs(imported, inputs) -> None:
    path, articles, text, problems, before = imported
    assert not errors(problems), [p.render() for p in errors(problems)]
    assert {p: sha(p) for p in before} == before
    new = path.read_text(encoding="utf-8")
    head, tail = ISSUE_HEAD.split("\n# 版记", 1)
    assert new.startswith(
        head.rstrip("\n") + "\n\n  # 导入自 000.txt\n  - title: 全链条发力　高效化解行政争议\n"
    )
    assert new.endswith("\n# 版记" + tail)
    assert text in new
    issue, found = issue_yaml.load(path)
    assert issue is not None and not errors(found)
    assert issue.articles[1:] == tuple(articles)
    assert len(articles) == 26
    (picture,) = [b for a in issue.articles for b in a.blocks if isinstance(b, Image)]
    assert picture.path == path.parent.resolve() / "002-picture-1.png" and picture.path.is_file()


def test_imported_issue_builds(imported, tmp_path: Path) -> None:
    for module in ("docx", "pdf"):
        if importlib.util.find_spec(f"bulletin_kit.writers.{module}") is None:
            pytest.skip(f"bulletin_kit.writers.{module} is not written yet")
    path, articles, *_ = imported
    result = pipeline.build(path, tmp_path, ("docx", "pdf"))
    assert [p.render() for p in errors(result.problems)] == []
    assert sorted(p.suffix for p in result.written) == [".docx", ".pdf"]
    word = Document(str(tmp_path / "2018-29.docx"))
    text = "\n".join(p.text for p in word.paragraphs)
    for article in articles:
        assert "".join(article.title) in text.replace("\n", "")
    assert len(word.inline_shapes) == 1  # the picture of 002-picture.docx
    pdf = PdfReader(str(tmp_path / "2018-29.pdf"))
    assert len(pdf.pages) > 10


# ---------------------------------------------------------------- the YAML writer


def roundtrip(folder: Path, articles: list[Article] | tuple[Article, ...]) -> tuple[Article, ...]:
    text = "issue_no: 1\ndate: 2019-01-05\narticles:\n" + yaml_writer.articles_to_yaml(articles, folder)
    path = make_issue(folder, text)
    issue, problems = issue_yaml.load(path)
    assert issue is not None, [p.render() for p in problems]
    return issue.articles


def test_sample_issue_round_trips(tmp_path: Path) -> None:
    issue, _ = issue_yaml.load(ISSUES / "2018-28.yaml")
    assert issue is not None
    assert roundtrip(tmp_path, issue.articles) == issue.articles


def test_tricky_articles_round_trip(tmp_path: Path) -> None:
    (tmp_path / "p-1.png").write_bytes(b"png")
    article = Article(
        title=("第一行: 冒号 # 井号", "第二行"),
        kicker="引题",
        subtitle="副题",
        column="专栏",
        editor_note="编者按的内容。\n\n第二段。",
        byline="记者\u3000张三",
        source="派驻纪检监察组",
        blocks=(
            Paragraph(spans=(Span(text="一、这句不是标题"),)),
            Paragraph(spans=(Span(text="【不是标签】"), Span(text="正文。"))),
            Paragraph(spans=(Span(text="# 也不是"),)),
            Paragraph(spans=(Span(text="把"), Span(text="“粗体”。", bold=True), Span(text="后面"))),
            Paragraph(label="看点", spans=(Span(text="五心代办。"),)),
            Heading(
                level=1, number="一、", spans=(Span(text="一、加强领导。"),), run_in=(Span(text="正文。"),)
            ),
            Heading(level=2, spans=(Span(text="星海街道：三廉齐抓"),)),
            Image(path=(tmp_path / "p-1.png").resolve(), caption="图注", credit="夏鹏飞"),
            Table(rows=(("项目", "数|量"), ("重点工程", "13"))),
        ),
    )
    (back,) = roundtrip(tmp_path, [article])
    assert back == yaml_writer.canonical(article)
    bold = back.blocks[3]
    assert isinstance(bold, Paragraph)
    assert bold.spans == (Span(text="把“"), Span(text="粗体", bold=True), Span(text="”。后面"))


def test_every_imported_article_round_trips(imported, tmp_path: Path) -> None:
    path, articles, *_ = imported
    folder = path.parent
    assert roundtrip(folder, articles) == tuple(articles)


# ---------------------------------------------------------------- appending to an issue file

ONE = Article(title=("新文章",), source="办公室", blocks=(Paragraph(spans=(Span(text="正文。"),)),))


def test_articles_key_is_created_when_missing(tmp_path: Path) -> None:
    path = make_issue(tmp_path, "issue_no: 1  # 期号\ndate: 2019-01-05\n")
    assert yaml_writer.append_articles(path, [ONE], ["导入自 x.txt"]) == []
    assert path.read_text(encoding="utf-8") == (
        "issue_no: 1  # 期号\ndate: 2019-01-05\n\narticles:\n"
        "  # 导入自 x.txt\n  - title: 新文章\n    source: 办公室\n    body: |\n      正文。\n"
    )


def test_empty_flow_list_and_item_indent_are_followed(tmp_path: Path) -> None:
    path = make_issue(tmp_path, "issue_no: 1\narticles: []  # 待补\ndate: 2019-01-05\n")
    assert yaml_writer.append_articles(path, [ONE]) == []
    text = path.read_text(encoding="utf-8")
    assert text.startswith("issue_no: 1\narticles:  # 待补\n  - title: 新文章\n")
    assert text.endswith("      正文。\ndate: 2019-01-05\n")
    path.write_text("issue_no: 1\ndate: 2019-01-05\narticles:\n- title: 旧\n", encoding="utf-8")
    assert yaml_writer.append_articles(path, [ONE]) == []
    assert "\n- title: 旧\n\n- title: 新文章\n  source: 办公室\n" in path.read_text(encoding="utf-8")


def test_refusals_leave_the_issue_file_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_issue(tmp_path, "issue_no: 1\ndate: 2019-01-05\narticles: [{title: 旧}]\n")
    digest = sha(path)
    assert [p.code for p in yaml_writer.append_articles(path, [ONE])] == ["import.flow_articles"]
    path.write_text("issue_no: 第一期\ndate: 2019-01-05\n", encoding="utf-8")
    digest = sha(path)
    assert next(p.code for p in yaml_writer.append_articles(path, [ONE])) == "import.target_invalid"
    assert sha(path) == digest
    path.write_text("issue_no: 1\ndate: 2019-01-05\n", encoding="utf-8")
    digest = sha(path)
    monkeypatch.setattr(yaml_writer, "articles_to_yaml", lambda *a, **k: "  - title: [未闭合\n")
    problems = yaml_writer.append_articles(path, [ONE])
    assert problems[0].code == "import.refused" and problems[0].file == path
    assert sha(path) == digest
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_nothing_is_written_when_a_file_has_an_error(tmp_path: Path, inputs) -> None:
    path = make_issue(tmp_path / "issues")
    digest = sha(path)
    files = [inputs["002-picture.docx"][0], tmp_path / "旧格式.doc"]
    _articles, text, problems = importing.import_files(files, path)
    assert [p.code for p in errors(problems)] == ["import.unsupported"]
    assert text == "" and sha(path) == digest
    assert not list(path.parent.glob("*.png"))


# ---------------------------------------------------------------- the nothing-lost check itself


def test_lost_content_finds_a_dropped_word_but_allows_moved_header_lines() -> None:
    article = Article(
        title=("全链条发力",), byline="平阳县司法局", blocks=(Paragraph(spans=(Span(text="正文"),)),)
    )
    assert importing.lost_content("平阳县司法局\n全链条发力\n正文", [article]) == ""
    assert importing.lost_content("全链条发力\n正文\n丢掉的字", [article]) == "丢掉的字"


def test_cjk_rule_for_a_space_between_chinese_words() -> None:
    # the rule the importer needed, added to the one implementation shared with the lint
    assert cjk.fix_line("凝心聚力 百日攻坚")[0] == "凝心聚力\u3000百日攻坚"
    (finding,) = cjk.fix_line("“读廉  树廉”")[1]
    assert (finding.code, finding.col) == ("space.between_han", 3)
    assert cjk.fix_line("Word document 处理")[0] == "Word document处理"


# ---------------------------------------------------------------- the command


def test_command_stdout_into_and_usage(tmp_path: Path, inputs) -> None:
    runner = CliRunner()
    src = inputs["000.txt"][0]
    result = runner.invoke(import_command, [str(src), "--stdout"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("  # 导入自 000.txt\n  - title: 全链条发力　高效化解行政争议\n")
    assert "000.txt:7:1: 与上一段（第 5 行）合并" in result.stderr
    assert runner.invoke(import_command, [str(src)]).exit_code == 2
    issue = make_issue(tmp_path / "issues")
    assert runner.invoke(import_command, [str(src), "--into", str(issue), "--strict"]).exit_code == 1
    assert "已有的文章" in issue.read_text(encoding="utf-8") and "全链条" not in issue.read_text(
        encoding="utf-8"
    )
    result = runner.invoke(import_command, [str(src), "--into", str(issue)])
    assert result.exit_code == 0, result.output
    assert (
        "已向" in result.stdout
        and "全链条发力　高效化解行政争议（没有来源单位）：1 段，3 个小标题" in result.stdout
    )
    missing = runner.invoke(import_command, [str(tmp_path / "没有.docx"), "--into", str(issue)])
    assert missing.exit_code == 1 and "找不到文件" in missing.stderr
