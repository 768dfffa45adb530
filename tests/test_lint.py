"""Content lint rules (each with a failing and a passing real example) and ``check --fix``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from bulletin_kit import cjk, lint, pipeline
from bulletin_kit.cli import cli
from bulletin_kit.model import Heading, Image

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "fixtures" / "reference"

# (rule, failing text, passing text): taken from the reference issues 000/001/002
TEXT_RULES = [
    ("punct.halfwidth", "今年以来,三门局聚焦“大综合一体化”", "今年以来，三门局聚焦“大综合一体化”"),
    ("punct.halfwidth", "建立乡镇(街道)综合行政执法队", "建立乡镇（街道）综合行政执法队"),
    ("punct.halfwidth", "(一)深化“大综合一体化”行政执法改革。", "（一）深化“大综合一体化”行政执法改革。"),
    ("punct.halfwidth", "报:委领导", "报：委领导"),
    ("punct.doubled", "助推营商环境优化。。", "助推营商环境优化。"),
    ("space.cjk_ascii", "整体工程延期 9 个月", "整体工程延期9个月"),
    ("space.cjk_ascii", "温州市域铁路 S2 线沿线", "温州市域铁路S2线沿线"),
    ("quote.ascii", '开展"大综合一体化"行政执法改革', "开展“大综合一体化”行政执法改革"),
    ("ellipsis", "执法、监管、服务...都要加强", "执法、监管、服务……都要加强"),
    ("width.fullwidth_alnum", "共检查户数７２８２次", "共检查户数7282次"),
    ("space.before_fullwidth", "行政审批局 ，共为81家企业", "行政审批局，共为81家企业"),
    ("dash.hyphen", "构建“前端预防-中端化解-末端治理”全链条", "形成“网格上报—指挥中心交办—分平台处置”"),
    ("pair.unmatched", "借力“互联网+政务的持续推进", "借力“互联网+政务”的持续推进"),
    ("punct.dot", "深化“和合.物业共享法庭”", "深化“和合·物业共享法庭”"),
    (
        "punct.halfwidth",
        "通过编制“优秀案卷集锦”“错案集”,以案为鉴",
        "通过编制“优秀案卷集锦”“错案集”，以案为鉴",
    ),
    ("punct.halfwidth", "调解成功率80%,物业费收缴率", "调解成功率80%，物业费收缴率"),
]


@pytest.mark.parametrize(("rule", "bad", "good"), TEXT_RULES)
def test_text_rule(rule: str, bad: str, good: str) -> None:
    fixed, findings = cjk.fix_line(bad)
    assert rule in {f.code for f in findings}
    if any(f.fixable for f in findings if f.code == rule):
        assert fixed == good
    assert cjk.fix_line(good) == (good, [])


@pytest.mark.parametrize(
    "keep", ["按照7:3的资金投入比例", "累计投资额68.44亿元", "“互联网+政务”", "凝心聚力　百日攻坚", "1-9月"]
)
def test_text_rules_keep_meaningful_text(keep: str) -> None:
    assert cjk.fix_line(keep) == (keep, [])


def issue(tmp_path: Path, body: str, extra: str = "", series: str = "") -> Path:
    folder = tmp_path / "issues"
    folder.mkdir(exist_ok=True)
    (folder / "series.yaml").write_text(
        "masthead: {name: 测试信息, publisher: 办公室}\n" + series, encoding="utf-8"
    )
    path = folder / "2019-1.yaml"
    indented = "\n".join(("      " + line) if line else "" for line in body.splitlines())
    path.write_text(
        f"issue_no: 1\ndate: 2019-01-05\n{extra}articles:\n  - title: 测试文章\n    source: 办公室\n    body: |\n{indented}\n",
        encoding="utf-8",
    )
    return path


def codes(path: Path) -> list[str]:
    return [p.code for p in lint.lint_file(path)]


def test_positions_point_at_the_character(tmp_path: Path) -> None:
    path = issue(tmp_path, "第一段。\n\n今年以来,三门局聚焦")
    (problem,) = lint.lint_file(path)
    assert problem.render(tmp_path) == (
        "issues/2019-1.yaml:9:11: articles[0].body: 中文里用了半角标点“,”，应为“，”"
        "（可用 bulletin check --fix 自动修正） [警告]"
    )


@pytest.mark.parametrize(
    ("code", "bad", "good"),
    [
        (
            "lint.heading_sequence",
            "一、加强领导\n\n二、活用政策\n\n四、持续作战",
            "一、加强领导\n\n二、活用政策\n\n三、持续作战",
        ),
        (
            "lint.heading_sequence",
            "一、甲\n\n（一）乙\n\n（三）丙",
            "一、甲\n\n（一）乙\n\n（二）丙\n\n二、丁\n\n（一）戊",
        ),
        ("lint.heading_skipped", "（一）深化改革。\n\n（二）聚焦管理。", "一、工作总结\n\n（一）深化改革。"),
        ("lint.number_spacing", "2018 年以来\n\n2018年9月30日", "2018年以来\n\n2018年9月30日"),
    ],
)
def test_structure_rule(tmp_path: Path, code: str, bad: str, good: str) -> None:
    assert code in codes(issue(tmp_path, bad))
    assert code not in codes(issue(tmp_path, good))


def test_empty_article_and_required_source(tmp_path: Path) -> None:
    path = issue(tmp_path, "", series="checks:\n  require_source: true\n")
    assert "lint.empty_article" in codes(path)
    text = path.read_text(encoding="utf-8").replace("    source: 办公室\n", "")
    path.write_text(text.replace("body: |\n", "body: 正文。\n"), encoding="utf-8")
    assert codes(path) == ["lint.no_source"]


def test_title_longer_than_two_lines(tmp_path: Path) -> None:
    path = issue(tmp_path, "正文。")
    long_title = "沙城街道“四化”引领倾力打造基层治理现代化新样板" * 2
    path.write_text(path.read_text(encoding="utf-8").replace("测试文章", long_title), encoding="utf-8")
    assert "lint.title_too_long" in codes(path)
    path.write_text(path.read_text(encoding="utf-8").replace(long_title, long_title[:30]), encoding="utf-8")
    assert "lint.title_too_long" not in codes(path)


def test_stale_toc_override(tmp_path: Path) -> None:
    path = issue(tmp_path, "正文。", extra="toc: [测试文章, 已经删掉的文章]\n")
    assert codes(path) == ["lint.toc_count", "lint.toc_stale"]
    path = issue(tmp_path, "正文。", extra="toc: [测试文章]\n")
    assert codes(path) == []


def test_sample_is_clean() -> None:
    assert lint.lint_file(ROOT / "issues" / "2018-28.yaml") == []


def _report_002() -> str:
    path = REFERENCE / "002_5dacd689057b90c0.txt"
    return path.read_text(encoding="utf-8")


def _content(text: str) -> str:
    """Every Chinese character and digit, in order."""
    return "".join(re.findall(rf"[{cjk.HAN}0-9]", text))


def test_fix_on_a_real_report_keeps_content_and_comments(tmp_path: Path) -> None:
    report = _report_002()
    paragraphs = [p.strip() for p in report.splitlines() if p.strip()]
    path = issue(tmp_path, "\n\n".join(paragraphs))
    text = path.read_text(encoding="utf-8")
    text = "# 三门县综合行政执法局 2023 年工作总结（导入稿）\n" + text.replace(
        "    source: 办公室\n", "    source: 办公室   # 来源单位\n"
    )
    path.write_text(text, encoding="utf-8")
    before_issue, _ = pipeline.read(path)
    assert before_issue is not None
    assert any(p.code == "lint.punct.halfwidth" for p in lint.lint_file(path))

    result = CliRunner().invoke(cli, ["check", "--fix", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "已修正" in result.output
        and "-      今年以来,三门局" in result.output
        and "+      今年以来，三门局" in result.output
    )

    after = path.read_text(encoding="utf-8")
    assert after.startswith("# 三门县综合行政执法局 2023 年工作总结（导入稿）\n")  # comments are kept
    assert "    source: 办公室   # 来源单位\n" in after
    assert _content(after) == _content(text)  # not a character of content lost
    assert "。。" not in after and "," not in after.split("body: |", 1)[1].replace("7:3", "")
    after_issue, _ = pipeline.read(path)
    assert after_issue is not None
    assert len(after_issue.articles[0].blocks) == len(before_issue.articles[0].blocks)
    levels = [b.level for b in after_issue.articles[0].blocks if isinstance(b, Heading)]
    assert levels == [b.level for b in before_issue.articles[0].blocks if isinstance(b, Heading)]
    assert not [p for p in lint.lint_file(path) if p.args.get("hint")]  # nothing fixable is left
    # only punctuation and spaces changed: removing them from both sides gives the same text
    strip = re.compile(r"[\s,，.。:：;；?？!！()（）\"“”]")
    assert strip.sub("", after) == strip.sub("", text)


def test_fix_leaves_unsure_values_alone(tmp_path: Path) -> None:
    path = issue(tmp_path, "正文。")
    folded = path.read_text(encoding="utf-8").replace("title: 测试文章", 'title: "测试\\u6587章,标题"')
    path.write_text(folded, encoding="utf-8")
    new_text, changes, _ = lint.fix_file(path)
    assert (new_text, changes) == (None, [])


def test_fix_on_the_sample_copy_changes_nothing(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "issues", tmp_path / "issues")
    before = (tmp_path / "issues" / "2018-28.yaml").read_bytes()
    result = CliRunner().invoke(cli, ["check", "--fix", str(tmp_path / "issues")])
    assert result.exit_code == 0
    assert (tmp_path / "issues" / "2018-28.yaml").read_bytes() == before


def test_image_lines_are_not_prose(tmp_path: Path) -> None:
    (tmp_path / "issues").mkdir()
    PILImage.new("RGB", (40, 30), "red").save(tmp_path / "issues" / "图1.png")
    path = issue(tmp_path, '正文。\n\n![俯瞰安吉余村(局部)](图1.png "夏鹏飞 摄")')
    assert codes(path) == []
    issue_, problems = pipeline.read(path)
    assert issue_ is not None, [p.render() for p in problems]
    (image,) = [b for b in issue_.articles[0].blocks if isinstance(b, Image)]
    assert (image.caption, image.credit, image.path.name) == ("俯瞰安吉余村(局部)", "夏鹏飞", "图1.png")
    assert lint.fix_file(path)[0] is None


def test_every_text_rule_has_a_message() -> None:
    from bulletin_kit.messages import MESSAGES

    assert {f"lint.{code}" for code in cjk.RULES} <= set(MESSAGES)


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ('单行 "引号" 和。', "单行“引号”和。"),
        ("凝心聚力 百日攻坚", "凝心聚力　百日攻坚"),
        ("读廉 “树廉” 做廉洁先锋", "读廉“树廉”做廉洁先锋"),
    ],
)
def test_spaces_around_quotes_are_removed_not_widened(typed: str, fixed: str) -> None:
    assert cjk.fix_line(typed)[0] == fixed
