"""The importer on whole inputs, compared as text with committed snapshots of the YAML it writes.

Each input (the three reference texts, a news page copied from a PDF, a Markdown contribution) is
imported and its articles written as the issue-file YAML, followed by every problem the import
reported, as comment lines. The result must equal tests/fixtures/import/snapshots/<input>.yaml;
a heuristic change therefore shows its whole effect in review. Refresh the snapshots only on
purpose: ``bash scripts/test.sh tests/test_import_snapshots.py --update-snapshots``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from bulletin_kit import importing
from bulletin_kit.model import Article, Heading, Image, Paragraph, plain
from bulletin_kit.problems import Level, errors
from bulletin_kit.readers import issue_yaml, news
from bulletin_kit.writers import issue_yaml as yaml_writer
from tests.readers.test_article_text import articles_of_001, reference
from tests.test_importing import make_issue

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SNAPSHOTS = FIXTURES / "snapshots"


def _fixture(name: str) -> Callable[[], str]:
    return lambda: (FIXTURES / name).read_text(encoding="utf-8")


INPUTS: dict[str, Callable[[], str]] = {
    "000.txt": lambda: reference("000"),
    "001.md": articles_of_001,
    "002.txt": lambda: reference("002"),
    "news-page.txt": _fixture("news-page.txt"),
    "contribution.md": _fixture("contribution.md"),
}


def snapshot_text(result: importing.FileImport, issue_dir: Path) -> str:
    """Return the YAML of ``result``'s articles and its problems as comment lines."""
    notes = [f"导入自 {result.path.name}"] * len(result.articles)
    text = yaml_writer.articles_to_yaml(result.articles, issue_dir, notes, indent="")
    report = [f"# {p.render(result.path.parent)}" for p in result.problems]
    return text + "\n# ---- 导入时报告的问题 ----\n" + "\n".join(report) + "\n"


def counts(result: importing.FileImport) -> dict[str, int]:
    """Return what the issue counts per input: stories, titles, bylines, subheads, captions, joins."""
    articles = result.articles
    return {
        "stories": len(articles),
        "titles": sum(a.title != (result.path.stem,) for a in articles),
        "bylines": sum(a.byline is not None for a in articles),
        "subheads": sum(isinstance(b, Heading) and b.number is None for a in articles for b in a.blocks),
        "captions": sum(isinstance(b, Image) for a in articles for b in a.blocks),
        "joins": sum(p.code == "import.joined" for p in result.problems),
    }


@pytest.fixture(scope="module")
def imports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[importing.FileImport, str, Path]]:
    """Every input imported once: name -> (result, the input text, the issue folder)."""
    folder = tmp_path_factory.mktemp("来稿")
    issue_dir = folder / "issue"
    issue_dir.mkdir()
    out = {}
    for name, text_of in INPUTS.items():
        text = text_of()
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out[name] = (importing.import_file(path, issue_dir), text, issue_dir)
    return out


@pytest.mark.parametrize("name", list(INPUTS))
def test_import_matches_its_snapshot(imports, name: str, request: pytest.FixtureRequest) -> None:
    result, text, issue_dir = imports[name]
    assert not errors(result.problems), [p.render() for p in errors(result.problems)]
    # nothing lost: every Chinese character and digit but the page numbers it reported dropping
    dropped = {p.line for p in result.problems if p.code == "import.page_number"}
    lines = text.split("\n")
    assert all(news.page_number(lines[n - 1].strip()) for n in dropped)
    kept = "\n".join(line for n, line in enumerate(lines, 1) if n not in dropped)
    assert importing.lost_content(kept, result.articles) == ""  # the importer's own check
    assert importing.lost_content(text, result.articles) == "".join(
        importing.content(lines[n - 1]) for n in sorted(dropped)
    )
    got = snapshot_text(result, issue_dir)
    snapshot = SNAPSHOTS / (Path(name).stem + ".yaml")
    if request.config.getoption("--update-snapshots"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(got, encoding="utf-8")
    assert snapshot.is_file(), f"{snapshot.name} is missing: run pytest with --update-snapshots and review it"
    assert got == snapshot.read_text(encoding="utf-8"), (
        f"the import of {name} changed: review the difference, then refresh with --update-snapshots"
    )


def paragraphs(article: Article) -> list[str]:
    return [plain(b.spans) for b in article.blocks if isinstance(b, Paragraph)]


def test_news_page_stories_are_separate_well_formed_articles(imports) -> None:
    result, _text, issue_dir = imports["news-page.txt"]
    assert counts(result) == {
        "stories": 5,
        "titles": 5,
        "bylines": 5,
        "subheads": 4,
        "captions": 8,
        "joins": 10,
    }
    red, police, school, shacheng, feature = result.articles
    assert (red.kicker, red.title, red.subtitle, red.byline) == (
        "优化营商环境",
        ("“红色代办”助力营商环境提升",),
        "行政审批局打造“五心”代办服务",
        "记者\u3000张晓东\u3000通讯员\u3000林一鸣",
    )
    assert (school.kicker, school.title, school.byline) == (
        "教育改革",
        ("“管办评”分离促教育新活力",),
        "周明\u3000吴芳\u3000郑海",
    )
    assert police.kicker is None and police.byline == "记者\u3000陈思远\u3000通讯员\u3000王丽"
    assert (shacheng.subtitle, shacheng.byline) == (
        "打造基层治理现代化新样板",
        "通讯员\u3000黄晓\u3000记者\u3000李强",
    )
    assert feature.byline == "记者\u3000孙悦"
    decorations = sorted(p.args["mark"] for p in result.problems if p.code == "import.decoration")
    assert decorations == sorted("■●★")
    subheads = [plain(b.spans) for a in result.articles for b in a.blocks if isinstance(b, Heading)]
    assert subheads == [
        "升级审批流程图",
        "畅通三条服务通道",
        "智能化管理打造平安沙城",
        "社会化治理破解消防难题",
    ]
    assert [p.label for p in feature.blocks if isinstance(p, Paragraph) and p.label] == ["看点"] * 3
    # the caption pasted into a sentence is out of it, and the sentence is whole again
    assert "让企业对照流程图就能知道下一步该办什么、到哪里去办。" in paragraphs(red)[1]
    pictures = [b for a in result.articles for b in a.blocks if isinstance(b, Image)]
    assert pictures[0].caption == "图为代办员在企业现场讲解审批流程图" and pictures[0].credit == "林一鸣"
    assert pictures[1].caption == "（图片由交警五大队提供）" and pictures[1].credit == ""
    assert all(p.path.parent == issue_dir.resolve() and not p.path.exists() for p in pictures)
    assert all(p.path.name.startswith(news.PENDING_PREFIX) for p in pictures)
    body = "\n".join(t for a in result.articles for t in paragraphs(a))
    assert "摄" not in body and "供图" not in body and "图片由" not in body
    assert not any(t.strip("-— ").isdigit() for t in body.split("\n"))
    joins = [(p.args["prev"], p.line) for p in result.problems if p.code == "import.joined"]
    assert joins == [
        (5, 7),
        (9, 11),
        (13, 14),
        (19, 21),
        (22, 24),
        (30, 31),
        (33, 35),
        (41, 42),
        (45, 47),
        (56, 58),
    ]
    assert "透明。" not in paragraphs(feature)
    assert sum(p.code == "import.caption" for p in result.problems) == 7
    # a caption pasted into the middle of a sentence on the same line
    (inline,) = [p for p in result.problems if p.code == "import.caption_inline"]
    assert inline.line == 54 and "夹在句子中间" in inline.message
    assert any("定期开展廉政讲座和廉政文艺演出，让廉洁文化入脑入心。" in t for t in paragraphs(feature))
    assert (pictures[-2].caption, pictures[-2].credit) == ("图为天河街道清廉书屋一角", "孙悦")
    assert [p.line for p in result.problems if p.code == "import.page_number"] == [15, 23, 34, 57]


def test_markdown_heading_levels_are_kept(imports) -> None:
    result, _text, _dir = imports["contribution.md"]
    (a,) = result.articles
    assert a.byline == "星海街道党工委" and a.source == "星海街道"
    assert [(b.level, plain(b.spans)) for b in a.blocks if isinstance(b, Heading)] == [
        (1, "廉洁文化进村居"),
        (2, "文化墙和清廉书屋"),
        (1, "廉洁制度进村务"),
    ]


def test_reference_counts(imports) -> None:
    assert counts(imports["000.txt"][0])["stories"] == 4
    assert counts(imports["001.md"][0]) == {
        "stories": 8,
        "titles": 8,
        "bylines": 0,
        "subheads": 4,
        "captions": 0,
        "joins": 16,
    }


def test_pictures_to_supply_are_warned_until_the_file_exists(tmp_path: Path) -> None:
    path = make_issue(tmp_path / "issues", "issue_no: 29\ndate: 2018-12-27\narticles: []\n")
    articles, _yaml, problems = importing.import_files([FIXTURES / "news-page.txt"], path)
    assert not errors(problems) and len(articles) == 5
    issue, found = issue_yaml.load(path)
    assert issue is not None and not errors(found)
    pending = [p for p in found if p.code == "body.picture_pending"]
    assert len(pending) == 8 and all(p.level is Level.WARNING for p in pending)
    assert "待补图片-news-page-1.jpg" in pending[0].message and "还没有放进本期文件夹" in pending[0].message
    assert sum(isinstance(b, Image) for a in issue.articles for b in a.blocks) == 0
    shutil.copy(
        ROOT / "tests" / "fixtures" / "import" / "photo.png", path.parent / "待补图片-news-page-1.jpg"
    )
    issue, found = issue_yaml.load(path)
    assert issue is not None and sum(p.code == "body.picture_pending" for p in found) == 7
    (picture,) = [b for a in issue.articles for b in a.blocks if isinstance(b, Image)]
    assert (picture.caption, picture.credit) == ("图为代办员在企业现场讲解审批流程图", "林一鸣")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("图为代办员在企业现场讲解审批流程图。 林一鸣 摄", ("图为代办员在企业现场讲解审批流程图", "林一鸣")),
        ("图为代办员讲解流程图。林一鸣\u3000摄", ("图为代办员讲解流程图", "林一鸣")),
        ("区实验中学的学生在上课。社会发展局供图", ("区实验中学的学生在上课。社会发展局供图", "")),
        ("（图片由交警五大队提供）", ("（图片由交警五大队提供）", "")),
        ("民警在园区开展交通安全宣传，要求大家注意拍摄", None),
        ("今年以来共接待参观群众3000余人次。", None),
    ],
)
def test_caption_rule(text: str, found: tuple[str, str] | None) -> None:
    assert news.caption(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("讲座和图为书屋一角。\u3000孙悦\u3000摄廉政演出。", (3, 15, "图为书屋一角", "孙悦")),
        ("实行（图片由交警五大队提供）销号管理。", (2, 14, "（图片由交警五大队提供）", "")),
        ("图为当地群众拍摄的照片。", None),  # no name before 摄
        ("图为当地群众。\u3000拍摄\u3000摄影展。", None),  # 拍 is no surname
        ("图为书屋一角。\u3000孙悦\u3000摄", None),  # the whole line: a caption line, not inline
    ],
)
def test_inline_caption_rule(text: str, found: tuple[int, int, str, str] | None) -> None:
    assert news.inline_caption(text) == found


def test_names_and_page_number_rules() -> None:
    assert news.names_line("周明 吴芳 郑海") and news.names_line("张晓东\u3000林一鸣")
    assert not news.names_line("凝心聚力 百日攻坚") and not news.names_line("周明")
    assert not news.names_line("触角 延伸")  # 触 is no surname
    assert news.page_number("5") and news.page_number("— 12 —") and news.page_number("- 3 -")
    assert not news.page_number("2018") and not news.page_number("18.5%")


def test_news_page_pasted_into_word_reads_the_same(imports) -> None:
    result, text, issue_dir = imports["news-page.txt"]
    word = Document()
    for line in text.split("\n"):
        word.add_paragraph(line)
    path = issue_dir.parent / "word" / "news-page.docx"
    path.parent.mkdir(exist_ok=True)
    word.save(str(path))
    from_word = importing.import_file(path, issue_dir)
    assert not errors(from_word.problems)
    assert from_word.articles == result.articles
