"""``bulletin merge`` of reviews made in LibreOffice itself (not written with lxml).

The files in tests/fixtures/review/ were made by LibreOffice 7.4 through its Python-UNO API
(tests/fixtures/review/lo_review.py) from the small issue of tests/review_word.py, saved with the
"MS Word 2007 XML" filter:

- ``lo-tracked.docx``: track changes on — a sentence changed, a word deleted, a paragraph added,
  a paragraph split, a title, a 要目 line and a 版记 line edited, a word made bold (a formatting
  revision), a comment and a second comment at the same place (LibreOffice 7.4's reply);
- ``lo-format.docx``: direct edits — a word made bold, a body paragraph given the 一级标题 style,
  a heading given the body style, a number changed, a word underlined and one made italic.
- ``lo-misc.docx``: track changes on — a table cell, a caption and an 编者按 edited, two
  paragraphs joined, a paragraph deleted whole (LibreOffice gives the next one its style).
- ``lo-tracked-ooxml.docx``: the review of ``lo-tracked.docx`` saved with LibreOffice's other
  Word filter, "Office Open XML Text" (it writes the style's font size as the old formatting).

The state recorded in a fixture is set to the issue as built now (the Word writer and the model
may change; what is tested is how LibreOffice writes the edits).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_kit import identity, merge, pipeline, transforms
from bulletin_kit.cli import cli
from bulletin_kit.model import Paragraph
from bulletin_kit.readers import issue_yaml

from .review_word import Word, build_small
from .test_merge import assert_prints

FIXTURES = Path(__file__).parent / "fixtures" / "review"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def built_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("office"))


@pytest.fixture
def work(built_office: Path, tmp_path: Path) -> Path:
    shutil.copytree(built_office, tmp_path / "w")
    return tmp_path / "w"


def issue_of(work: Path):
    raw, _ = issue_yaml.load(work / "issues" / "2019-5.yaml")
    return transforms.apply(raw)[0]


def place(work: Path, fixture: str) -> Path:
    """Put the LibreOffice review where the built file was, stamped with the issue's state."""
    dest = work / "output" / "2019-5.docx"
    props = identity.read(FIXTURES / fixture)
    assert props[identity.PROPERTY_ISSUE] == "2019-5.yaml"  # LibreOffice kept the custom properties
    props[identity.PROPERTY_STATE] = identity.state(issue_of(work))
    props[identity.PROPERTY_PATH] = (work / "issues" / "2019-5.yaml").as_posix()
    with zipfile.ZipFile(FIXTURES / fixture) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/custom.xml":
                data = identity.custom_xml(props)
            out.writestr(info, data)
    shutil.copy(dest, work / "reviewed.docx")
    return dest


def saved_by(path: Path, program: str) -> None:
    """Name ``program`` in docProps/app.xml, as an office program does when it saves."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/app.xml":
                data = re.sub(
                    rb"<Application>[^<]*</Application>",
                    f"<Application>{program}</Application>".encode(),
                    data,
                )
            out.writestr(info, data)
    tmp.replace(path)


def run(work: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    res = runner.invoke(cli, ["merge", str(work / "output" / "2019-5.docx"), *args])
    return res.exit_code, res.stdout, res.stderr


def body_lines(work: Path) -> list[str]:
    return [
        line.strip() for line in (work / "issues" / "2019-5.yaml").read_text(encoding="utf-8").splitlines()
    ]


def test_libreoffice_tracked_review_pending_then_accepted(work: Path) -> None:
    place(work, "lo-tracked.docx")
    path = work / "issues" / "2019-5.yaml"
    before = path.read_bytes()
    code, out, err = run(work)
    assert code == 1 and path.read_bytes() == before
    assert "王审阅 删除“一万二千株”" in out and "王审阅 插入“一万三千株”" in out
    assert "王审阅 删除“义务”" in out and "插入段落标记（分段）" in out

    code, out, err = run(work, "--accept-all")
    assert code == 0, out + err
    assert "请核实数据来源" in out and "已核实" in out
    assert "忽略了 1 处只改格式的修订" in err
    after = path.read_text(encoding="utf-8")
    lines = body_lines(work)
    assert "三月以来，全区组织开展春季植树活动，共植树一万三千株。" in lines
    assert "活动由各街道牵头，机关干部参加植树。" in lines
    assert "各街道共补植苗木三百株。" in lines
    assert "今年以来，行政审批局全面推行“一窗受理”，" in lines and "群众办事更加便捷。" in lines
    assert "- title: 星海街道开展安全生产专项检查" in lines
    assert "toc: 春季植树活动顺利完成" in lines
    assert "distribute_to: [各有关部门, 各街道, 各园区]" in lines
    # the bold made with track changes on is a formatting revision: ignored, as the note says
    assert "近日，星海街道组织开展安全生产大检查，共排查企业四十家。" in lines and "**四十家**" not in after
    assert_prints(work, work / "reviewed.docx")


def test_libreoffice_other_word_filter_gives_the_same_merge(work: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(work, other)
    place(work, "lo-tracked.docx")
    place(other, "lo-tracked-ooxml.docx")
    assert run(work, "--accept-all")[0] == 0
    code, out, err = run(other, "--accept-all")
    assert code == 0, out + err
    assert "字号" not in err  # the size in the old formatting is the style's, not the reviewer's
    one, two = (w / "issues" / "2019-5.yaml" for w in (work, other))
    assert one.read_bytes() == two.read_bytes()


def test_libreoffice_tracked_review_rejected_changes_nothing(work: Path) -> None:
    place(work, "lo-tracked.docx")
    path = work / "issues" / "2019-5.yaml"
    before = path.read_bytes()
    code, out, err = run(work, "--reject-all")
    assert code == 0, out + err
    # the formatting revision is not taken either (it used to make 四十家 bold)
    assert path.read_bytes() == before
    assert "没有需要写回的修改" in err and "请核实数据来源" in out


def test_libreoffice_direct_formatting(work: Path) -> None:
    place(work, "lo-format.docx")
    code, out, err = run(work)
    assert code == 0, out + err
    lines = body_lines(work)
    assert "三月以来，全区组织开展**春季植树活动**，共植树一万二千株。" in lines
    assert "近日，星海街道组织开展安全生产大检查，共排查企业四十五家。" in lines
    # a body paragraph given a heading style becomes a heading (it was dropped without a word)
    assert "# 活动由各街道牵头，机关干部参加义务植树。" in lines
    assert "（改为小标题）" in out and "（加粗“春季植树活动”）" in out
    # a heading given the body style stays a heading, and merge says so
    assert "二、强化管护" in lines
    assert "第1篇 正文第4段 的段落样式改成了“简报正文”（原为“一级标题”），未写回" in err
    # underline and italic cannot be written: said, not dropped silently
    assert "第2篇 正文第2段 中设了下划线的字（“八分钟”），未写回" in err
    assert "第1篇 正文第5段 中设了斜体的字（“专人管护”），未写回" in err
    assert (
        "窗口平均等候时间由二十分钟缩短到八分钟。" in lines
        and "植树完成后，各街道落实专人管护，确保成活率。" in lines
    )
    assert_prints(work, work / "reviewed.docx")


def test_libreoffice_cell_caption_note_join_and_deleted_paragraph(work: Path) -> None:
    place(work, "lo-misc.docx")
    code, out, err = run(work, "--accept-all")
    assert code == 0, out + err
    lines = body_lines(work)
    assert "| 路口 | 53 |" in lines
    assert '![滨海大道智慧绿波带](photo.png "王五")' in lines
    assert "editor_note: 本期选登一组统计数据。" in lines
    assert "近日，星海街道组织开展安全生产大检查，共排查企业四十家。对发现的隐患，街道当场督促整改。" in lines
    assert "植树完成后，各街道落实专人管护，确保成活率。" not in lines
    assert "- title: 春季植树活动圆满完成" in lines and "source: 农业农村局" in lines
    # the 来源 line took the deleted paragraph's style in LibreOffice: not a change of style
    assert "样式" not in err
    assert_prints(work, work / "reviewed.docx")


def test_review_of_another_issue_is_named(work: Path) -> None:
    place(work, "lo-format.docx")
    other = work / "issues" / "2019-6.yaml"
    text = (work / "issues" / "2019-5.yaml").read_text(encoding="utf-8")
    other.write_text(text.replace("issue_no: 5", "issue_no: 6"), encoding="utf-8")
    before = other.read_bytes()
    code, _, err = run(work, "--into", str(other))
    assert code == 1 and other.read_bytes() == before
    assert "2019-5.docx 是由 2019-5.yaml 生成的，不是 2019-6.yaml" in err
    assert "之后改过" not in err


def test_state_survives_a_new_field_with_a_default(work: Path) -> None:
    """A Word file out for review stays mergeable after bulletin-kit adds a field with a default."""
    issue = issue_of(work)

    class NewerParagraph(Paragraph):
        indent: int = 0

    first = issue.articles[0]
    newer = NewerParagraph(**dict(first.blocks[0]))
    article = first.model_copy(update={"blocks": (newer, *first.blocks[1:])})
    later = issue.model_copy(update={"articles": (article, *issue.articles[1:])})
    assert identity.state(later) == identity.state(issue)
    changed = issue.model_copy(update={"editor_note": "本期编者按。"})
    assert identity.state(changed) != identity.state(issue)
    assert merge  # the module under test is importable without LibreOffice


def test_review_saved_under_another_name_stops_the_pdf_until_merged(work: Path) -> None:
    out = work / "output"
    shutil.copy(out / "2019-5.docx", out / "2019-5 送审.docx")  # a copy as sent: not a review
    result = pipeline.build(work / "issues" / "2019-5.yaml", out, ("pdf",))
    assert result.ok, [p.render() for p in result.problems]
    word = Word(out / "2019-5.docx")
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")
    word.save(out / "2019-5 王主任改.docx")  # the reviewer's "save as" in the output folder
    saved_by(out / "2019-5 王主任改.docx", "Microsoft Office Word")
    (out / "2019-5.pdf").unlink()
    # the built file made again (other bytes): the copy as sent is still not a review
    assert identity.application(out / "2019-5 送审.docx") == identity.APPLICATION
    assert pipeline.build(work / "issues" / "2019-5.yaml", out, ("docx",), force=True).ok
    result = pipeline.build(work / "issues" / "2019-5.yaml", out, ("pdf",))
    assert not result.ok and not (out / "2019-5.pdf").exists()
    assert [p.args["docx"] for p in result.problems if p.code == "build.unmerged"] == [
        str(out / "2019-5 王主任改.docx")
    ]
    res = CliRunner().invoke(cli, ["merge", str(out / "2019-5 王主任改.docx")])
    assert res.exit_code == 0, res.output
    assert not (out / "2019-5 王主任改.docx").exists()
    assert len(list(out.glob("2019-5 王主任改.修改稿-*.docx"))) == 1
    result = pipeline.build(work / "issues" / "2019-5.yaml", out, ("pdf",))
    assert result.ok, [p.render() for p in result.problems]
    assert "一万三千株" in "".join(body_lines(work))


def test_unchanged_issue_is_not_skipped_while_a_review_copy_is_beside_it(work: Path) -> None:
    out = work / "output"
    args = ["build", str(work / "issues" / "2019-5.yaml"), "-o", str(out), "--force"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    res = CliRunner().invoke(cli, args[:-1])
    assert res.exit_code == 0 and "未改动" in res.output  # the build cache skips it
    word = Word(out / "2019-5.docx")
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")
    word.save(out / "2019-5（王主任改）.docx")
    saved_by(out / "2019-5（王主任改）.docx", "WPS Office")
    res = CliRunner().invoke(cli, args[:-1])
    assert res.exit_code == 1, res.output
    assert "2019-5（王主任改）.docx 在生成之后被修改过" in res.stderr


def test_deleting_an_empty_template_paragraph_loses_nothing(work: Path) -> None:
    """Reviewers delete empty paragraphs (the spacer before the 版记): not a change to refuse."""
    word = Word(work / "output" / "2019-5.docx")
    body = word.doc.find(f"{{{W}}}body")
    empty = [
        p
        for p in body.iterchildren(f"{{{W}}}p")
        if not Word.text(p).strip() and next(p.iter(f"{{{W}}}drawing"), None) is None
    ]
    assert empty, "the built file has an empty paragraph of its own"
    for p in empty:
        word.delete(p)
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")
    word.save(work / "output" / "2019-5.docx")
    code, out, err = run(work)
    assert code == 0, out + err
    assert "三月以来，全区组织开展春季植树活动，共植树一万三千株。" in body_lines(work)


def test_second_reviewers_file_still_stops_the_pdf_after_the_first_is_merged(work: Path) -> None:
    out = work / "output"
    for name, old, new in (("王", "一万二千株", "一万三千株"), ("李", "四十家", "四十二家")):
        word = Word(out / "2019-5.docx")
        start = "三月以来" if name == "王" else "近日，星海街道"
        word.replace(word.find(start), old, new)
        word.save(out / f"2019-5 {name}改.docx")
        saved_by(out / f"2019-5 {name}改.docx", "Microsoft Office Word")
    res = CliRunner().invoke(cli, ["merge", str(out / "2019-5 王改.docx")])
    assert res.exit_code == 0, res.output
    # 李's file was built from the issue before 王's edits were merged: the PDF must still wait
    result = pipeline.build(work / "issues" / "2019-5.yaml", out, ("pdf",))
    assert not result.ok and not (out / "2019-5.pdf").exists()
    assert [p.args["docx"] for p in result.problems if p.code == "build.unmerged"] == [
        str(out / "2019-5 李改.docx")
    ]
