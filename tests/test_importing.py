"""``bulletin import``: every reference sample in every input form, the YAML round trip, appending."""

from __future__ import annotations

import hashlib
import importlib.util
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from bulletin_kit import cjk, importing, issue_append, pipeline
from bulletin_kit.cli import import_command
from bulletin_kit.model import Article, Heading, Image, Paragraph, Span, Table, plain
from bulletin_kit.problems import errors
from bulletin_kit.readers import issue_yaml
from bulletin_kit.readers.body_text import HEADING_PATTERNS
from bulletin_kit.writers import issue_yaml as yaml_writer
from tests.readers.test_article_docx import build_000_styles, build_001_bold, build_002_picture_table, png
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
    (tmp_path / "p-1.png").write_bytes(png())
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


TRICKY = (
    "*强调*和文字。", "*", "**", "***", "**x**", "__x__", "_x_", "a_b_c", "__init__", "5*3*2", "x * y",
    "*a **b** c*", "**a *b**", "_a **b_ c**", "#", "# 标题", "### x ###", "#话题#", "C#", "a #",
    "![a](b)", "![图](a b.png)", "看![a](b)图", "![", "[a](http://x)", "<http://x.y>", "| a | b |", "a | b",
    "\\", "\\\\", "\\*", "a\\", "C:\\Users\\新建", "\\一、不是", "\\#", "<script>alert(1)</script>",
    "{{ x }}", "{% if x %}", "&amp;", "&#42;", "`code`", "~~删~~", "> 引用", "- 列表", "1) 列表", "---",
    "一、不是标题", "（一）不是", "(1)不是", "1.不是", "【标签】不是", "a: b", "null", "2019-01-05",
)  # fmt: skip
ATOMS = (
    "*", "_", "**", "\\", "#", "!", "[", "]", "(", ")", "|", "<", ">", "&", "`", "~", "{{", "}}", "一、",
    "（1）", "(1)", "【", "】", "字", "a", " ", "。", "1.", "-", '"', "'", ":", "![", "](", "&amp;", "\u3000",
)  # fmt: skip


def tricky_strings() -> list[str]:
    """Return the tricky strings and random strings of markup characters (seeded: the same every run)."""
    rng = random.Random(20181227)
    made = ("".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 8))) for _ in range(400))
    return [*TRICKY, *(s for s in (m.strip(" \u3000") for m in made) if s)]


def tricky_article(s: str) -> Article:
    """Return an article with ``s`` in every field and kind of body text an import can produce."""
    blocks = [
        Paragraph(spans=(Span(text=s),)),
        Paragraph(spans=(Span(text=s), Span(text="粗体", bold=True), Span(text=s))),
        Paragraph(spans=(Span(text=f"粗{s}体", bold=True),)),
        Paragraph(label="看点", spans=(Span(text=s),)),
        Heading(level=1, number="一、", spans=(Span(text="一、标题。"),), run_in=(Span(text=f"正文{s}"),)),
        Table(rows=((s, "b"), ("c", s))),
    ]
    if not any(p.match(s) for _, p in HEADING_PATTERNS):  # a numbered # heading gets its number
        blocks.append(Heading(level=2, spans=(Span(text=s),)))
    return Article(title=(s,), kicker=s, subtitle=s, column=s, byline=s, editor_note=s, blocks=tuple(blocks))


def test_any_text_round_trips(tmp_path: Path) -> None:
    strings = tricky_strings()
    articles = [tricky_article(s) for s in strings]
    back = roundtrip(tmp_path, articles)
    wrong = [s for s, a, b in zip(strings, articles, back, strict=True) if b != yaml_writer.canonical(a)]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("*强调*和文字。", "*强调*和文字。"),  # a single * is text in the body format
        ("**x**和__y__", r"\*\*x\*\*和\_\_y\_\_"),
        ("#话题", r"\#话题"),
        ("| a | b |", r"\| a | b |"),
        ("看![图](a.png)", r"看!\[图](a.png)"),
        ("C:\\新建\\*", r"C:\新建\\*"),
        ("一、不是标题", r"\一、不是标题"),
        ("(1)不是标题", r"\\(1)不是标题"),
        ("<script>{{ x }}&amp;", "<script>{{ x }}&amp;"),
    ],
)
def test_plain_text_is_escaped_only_where_it_would_be_markup(tmp_path: Path, text: str, written: str) -> None:
    assert yaml_writer.body_text((Paragraph(spans=(Span(text=text),)),), tmp_path) == written


def test_a_text_file_with_markup_characters_imports(tmp_path: Path) -> None:
    path = make_issue(tmp_path / "issues")
    source = tmp_path / "来稿.txt"
    lines = ["标题", "*强调*和文字。", "文件在C:\\Users\\新建\\*里。", "图a![b](x.png)和<script>、{{ x }}。"]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, text, problems = importing.import_files([source], path)
    assert not errors(problems), [p.render() for p in errors(problems)]
    (article,) = articles
    assert [plain(b.spans) for b in article.blocks] == lines[1:]  # type: ignore[union-attr]
    issue, _ = issue_yaml.load(path)
    assert issue is not None and issue.articles[-1] == article and text in path.read_text(encoding="utf-8")


def test_an_empty_file_is_named(tmp_path: Path) -> None:
    path = make_issue(tmp_path / "issues")
    digest = sha(path)
    empty = tmp_path / "空白.txt"
    empty.write_text("\n\u3000\n", encoding="utf-8")
    good = tmp_path / "来稿.txt"
    good.write_text("标题\n正文。\n", encoding="utf-8")
    _articles, text, problems = importing.import_files([good, empty], path)
    (error,) = errors(problems)
    assert (error.code, error.file) == ("import.nothing", empty)
    assert error.render(tmp_path).startswith("空白.txt: 没有导入任何文章")
    assert text == "" and sha(path) == digest


def test_every_imported_article_round_trips(imported, tmp_path: Path) -> None:
    path, articles, *_ = imported
    folder = path.parent
    assert roundtrip(folder, articles) == tuple(articles)


# ---------------------------------------------------------------- appending to an issue file

ONE = Article(title=("新文章",), source="办公室", blocks=(Paragraph(spans=(Span(text="正文。"),)),))


def test_articles_key_is_created_when_missing(tmp_path: Path) -> None:
    path = make_issue(tmp_path, "issue_no: 1  # 期号\ndate: 2019-01-05\n")
    items, problems = issue_append.append_articles(path, [ONE], ["导入自 x.txt"])
    assert (
        problems == []
        and items == "  # 导入自 x.txt\n  - title: 新文章\n    source: 办公室\n    body: |\n      正文。\n"
    )
    assert path.read_text(encoding="utf-8") == (
        "issue_no: 1  # 期号\ndate: 2019-01-05\n\narticles:\n"
        "  # 导入自 x.txt\n  - title: 新文章\n    source: 办公室\n    body: |\n      正文。\n"
    )


def test_empty_flow_list_and_item_indent_are_followed(tmp_path: Path) -> None:
    path = make_issue(tmp_path, "issue_no: 1\narticles: []  # 待补\ndate: 2019-01-05\n")
    assert issue_append.append_articles(path, [ONE])[1] == []
    text = path.read_text(encoding="utf-8")
    assert text.startswith("issue_no: 1\narticles:  # 待补\n  - title: 新文章\n")
    assert text.endswith("      正文。\ndate: 2019-01-05\n")
    path.write_text("issue_no: 1\ndate: 2019-01-05\narticles:\n- title: 旧\n", encoding="utf-8")
    assert issue_append.append_articles(path, [ONE])[1] == []
    assert "\n- title: 旧\n\n- title: 新文章\n  source: 办公室\n" in path.read_text(encoding="utf-8")


def test_refusals_leave_the_issue_file_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_issue(tmp_path, "issue_no: 1\ndate: 2019-01-05\narticles: [{title: 旧}]\n")
    digest = sha(path)
    assert [p.code for p in issue_append.append_articles(path, [ONE])[1]] == ["import.flow_articles"]
    path.write_text("issue_no: 第一期\ndate: 2019-01-05\n", encoding="utf-8")
    digest = sha(path)
    assert next(p.code for p in issue_append.append_articles(path, [ONE])[1]) == "import.target_invalid"
    assert sha(path) == digest
    path.write_text("issue_no: 1\ndate: 2019-01-05\n", encoding="utf-8")
    digest = sha(path)
    monkeypatch.setattr(yaml_writer, "articles_to_yaml", lambda *a, **k: "  - title: [未闭合\n")
    items, problems = issue_append.append_articles(path, [ONE])
    assert items == "" and problems[0].code == "import.refused" and problems[0].file == path
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
