"""``bulletin merge``: reviewed Word file -> issue file -> the PDF prints the reviewed text.

A small three-article issue is built once per session; each test edits a copy of its .docx the
way Word writes edits (tests/review_word.py), merges it and checks the issue file byte by byte
and, where the text changes, the rebuilt PDF's text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from bulletin_kit import merge, outputs, pipeline
from bulletin_kit.cli import cli
from bulletin_kit.readers import review_docx

from .review_word import Word, build_small


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with issues/ (series + issue 5) and output/2019-5.docx built from them."""
    return build_small(tmp_path_factory.mktemp("merge"))


@pytest.fixture
def work(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built folder."""
    shutil.copytree(built, tmp_path / "w")
    return tmp_path / "w"


def issue_file(work: Path) -> Path:
    return work / "issues" / "2019-5.yaml"


def docx_file(work: Path) -> Path:
    return work / "output" / "2019-5.docx"


def review(work: Path) -> Word:
    return Word(docx_file(work))


def merged(work: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    with _cwd(work):
        res = runner.invoke(cli, ["merge", "output/2019-5.docx", *args])
    return res.exit_code, res.stdout, res.stderr


class _cwd:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        import os

        self.old = Path.cwd()
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        import os

        os.chdir(self.old)


def pdf_text(work: Path) -> str:
    """Build the PDF from the (merged) issue file; return its text without any whitespace."""
    result = pipeline.build(issue_file(work), work / "pdf", ("pdf",))
    assert result.ok, [p.render() for p in result.problems]
    with pdfplumber.open(work / "pdf" / "2019-5.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    return re.sub(r"\s+", "", text)


def reviewed_text(path: Path, accept: bool = True) -> list[str]:
    """The paragraphs of a reviewed file as a reader sees them (tracked changes decided), but the
    本期要目 lines, which follow the titles (checked on their own)."""
    paras = merge.reviewed_paragraphs(review_docx.read(path), accept)
    return [re.sub(r"\s+", "", p.text) for p in paras if p.text.strip() and p.style != "目录"]


def assert_prints(work: Path, reviewed: Path, accept: bool = True) -> None:
    """The rebuilt PDF holds every paragraph of the reviewed file, in order."""
    text = pdf_text(work)
    at = 0
    for para in reviewed_text(reviewed, accept):
        found = text.find(para, at)
        assert found >= 0, f"not printed (in order): {para}"
        at = found + len(para)


# --------------------------------------------------------------------------- direct edits


def test_combined_direct_review_reaches_yaml_and_pdf(work: Path) -> None:
    word = review(work)
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")  # a sentence edit
    word.delete(word.find("植树完成后"))  # a paragraph deleted
    word.insert_after(word.find("活动由各街道"), "各单位共出动干部八百人次。")  # a paragraph inserted
    word.set_text(word.find("星海街道开展", 1), "星海街道开展安全生产专项检查")  # title (not the 要目 line)
    word.set_text(word.find("行政审批局推行", 0), "行政审批局推行“一窗受理”改革")  # the 要目 line
    word.replace(word.find("发："), "各街道", "各街道，各村社")  # a 版记 field
    word.comment(word.find("窗口平均"), "请核实数据来源", reply="已核实")
    word.save(docx_file(work))
    before = issue_file(work).read_text(encoding="utf-8")

    code, out, err = merged(work)
    assert code == 0, out + err
    after = issue_file(work).read_text(encoding="utf-8")
    expected = (
        before.replace("一万二千株", "一万三千株")
        .replace("      植树完成后，各街道落实专人管护，确保成活率。\n\n", "")
        .replace(
            "      活动由各街道牵头，机关干部参加义务植树。\n",
            "      活动由各街道牵头，机关干部参加义务植树。\n\n      各单位共出动干部八百人次。\n",
        )
        .replace("title: 星海街道开展安全生产大检查", "title: 星海街道开展安全生产专项检查")
        .replace("toc: 行政审批局推行“一窗受理”   #", "toc: 行政审批局推行“一窗受理”改革   #")
    )
    expected += (
        "\n# 版记：审阅稿中的修改（bulletin merge 写入，覆盖 series.yaml 的同名项）\n"
        "distribution:\n  distribute_to: [各有关部门, 各街道, 各村社]\n"
    )
    assert after == expected
    # the change list, per article, old -> new; the comment and its reply with author and anchor
    assert "第1篇《春季植树活动圆满完成》：" in out
    assert "一万二千株" in out and "一万三千株" in out
    assert "第3篇 标题：星海街道开展安全生产大检查 → 星海街道开展安全生产专项检查" in out
    assert "批注（李主任）第2篇 正文第2段 “窗口平均等候时间由二十分钟缩短到八分钟。”：请核实数据来源" in out
    assert "回复（编辑）：已核实" in out
    # the reviewed file is kept under another name and no longer blocks the build
    assert not docx_file(work).exists()
    kept = list((work / "output").glob("2019-5.修改稿-*.docx"))
    assert len(kept) == 1
    # the 要目 follows the edited title, the edited 要目 line stays as written
    text = pdf_text(work)
    assert text.count("星海街道开展安全生产专项检查") == 2 and "星海街道开展安全生产大检查" not in text
    assert text.count("行政审批局推行“一窗受理”改革") == 1  # 要目 line only (the 副题 is unchanged)
    assert "发：各有关部门，各街道，各村社" in text
    assert_prints(work, kept[0])


def test_title_edit_moves_its_toc_line_and_body_title(work: Path) -> None:
    word = review(work)
    word.set_text(word.find("春季植树活动", 1), "春季义务植树活动圆满完成")
    reviewed = word.save(docx_file(work))
    code, out, err = merged(work)
    assert code == 0, out + err
    text = pdf_text(work)
    assert text.count("春季义务植树活动圆满完成") == 2  # 要目 and title
    assert "toc" not in issue_file(work).read_text(encoding="utf-8").split("# ---- 第2篇")[0]
    assert_prints(work, reviewed_copy(work, reviewed))


def reviewed_copy(work: Path, reviewed: Path) -> Path:
    kept = list((work / "output").glob("2019-5.修改稿-*.docx"))
    return kept[0] if kept else reviewed


def test_nothing_changed_writes_nothing(work: Path) -> None:
    before = issue_file(work).read_bytes()
    code, _, err = merged(work)
    assert code == 0
    assert "没有需要写回的修改" in err
    assert issue_file(work).read_bytes() == before
    assert docx_file(work).exists()


# --------------------------------------------------------------------------- tracked changes


def _tracked(work: Path) -> Path:
    word = review(work)
    word.track(word.find("今年以来，行政审批局"), "更加便捷", "更加方便快捷", author="王处长")
    word.track(word.find("对发现的隐患"), "当场", "", author="王处长")
    word.track_insert_paragraph(word.find("近日，星海街道"), "检查中发现隐患十二处。", author="王处长")
    return word.save(docx_file(work))


def test_pending_revisions_are_listed_and_nothing_is_written(work: Path) -> None:
    _tracked(work)
    before = issue_file(work).read_bytes()
    code, out, err = merged(work)
    assert code == 1
    assert issue_file(work).read_bytes() == before
    assert docx_file(work).exists()
    assert "第2篇 正文第1段：王处长 删除“更加便捷”" in out
    assert "第2篇 正文第1段：王处长 插入“更加方便快捷”" in out
    assert "第3篇 正文第2段：王处长 删除“当场”" in out
    assert "王处长 插入“检查中发现隐患十二处。”" in out
    assert "有 5 处尚未处理的修订" in err  # 4 texts and one inserted paragraph mark


def test_accept_all(work: Path) -> None:
    reviewed = _tracked(work)
    shutil.copy(reviewed, work / "reviewed.docx")
    code, out, err = merged(work, "--accept-all")
    assert code == 0, out + err
    text = issue_file(work).read_text(encoding="utf-8")
    assert "群众办事更加方便快捷。" in text
    assert "街道督促整改。" in text
    assert (
        "      近日，星海街道组织开展安全生产大检查，共排查企业四十家。\n\n      检查中发现隐患十二处。\n"
        in text
    )
    assert_prints(work, work / "reviewed.docx", accept=True)


def test_reject_all(work: Path) -> None:
    reviewed = _tracked(work)
    shutil.copy(reviewed, work / "reviewed.docx")
    before = issue_file(work).read_bytes()
    code, out, err = merged(work, "--reject-all")
    assert code == 0, out + err
    assert issue_file(work).read_bytes() == before  # rejecting every revision leaves the text as built
    assert "没有需要写回的修改" in err
    # the decided review is kept under another name and no longer stops the PDF
    assert "审阅稿已保存为" in out and not docx_file(work).exists()
    assert_prints(work, work / "reviewed.docx", accept=False)


def test_formatting_revisions_are_ignored_with_a_note(work: Path) -> None:
    word = review(work)
    word.format_change(word.find("窗口平均"))
    word.save(docx_file(work))
    code, _, err = merged(work, "--accept-all")
    assert code == 0
    assert "忽略了 1 处只改格式的修订" in err


# --------------------------------------------------------------------------- what cannot be mapped


def test_unmappable_edits_are_located_and_nothing_is_written(work: Path) -> None:
    word = review(work)
    word.set_text(word.find("测试开发区信息"), "测试开发区简报")  # 刊名 comes from series.yaml
    word.colour(word.find("窗口平均"), "八分钟")  # a word made red
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")  # this one would map
    word.save(docx_file(work))
    before = issue_file(work).read_bytes()
    code, out, err = merged(work)
    assert code == 1
    assert issue_file(work).read_bytes() == before
    assert "第 1 段" not in err  # positions are of the reviewed file's paragraphs, not invented
    assert "报头等模板文字" in err and "无法写回期刊文件" in err
    assert "第2篇 正文第2段 改了字的颜色或底色（“八分钟”）" in err
    # --force takes what maps and lists the rest
    code, out, err = merged(work, "--force")
    assert code == 0, out + err
    assert "一万三千株" in issue_file(work).read_text(encoding="utf-8")
    assert "报头等模板文字" in err and "[警告]" in err


def test_stale_issue_file_is_refused(work: Path) -> None:
    word = review(work)
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")
    word.save(docx_file(work))
    path = issue_file(work)
    path.write_text(path.read_text(encoding="utf-8").replace("四十家", "四十一家"), encoding="utf-8")
    before = path.read_bytes()
    code, _, err = merged(work)
    assert code == 1
    assert "在生成 2019-5.docx 之后改过" in err
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- the build guard


def test_build_refuses_pdf_while_a_reviewed_docx_is_unmerged(work: Path) -> None:
    word = review(work)
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")
    word.save(docx_file(work))
    for formats in (("pdf",), ("docx", "pdf")):
        result = pipeline.build(issue_file(work), work / "output", formats)
        assert not result.ok
        assert not (work / "output" / "2019-5.pdf").exists()
        assert any(p.code == "build.unmerged" and "bulletin merge" in p.message for p in result.problems)
    code, _, err = merged(work)
    assert code == 0, err
    result = pipeline.build(issue_file(work), work / "output", ("docx", "pdf"))
    assert result.ok, [p.render() for p in result.problems]
    assert not outputs.was_edited(docx_file(work))


def test_import_of_a_built_file_points_to_merge(work: Path) -> None:
    runner = CliRunner()
    with _cwd(work):
        res = runner.invoke(cli, ["import", "output/2019-5.docx", "--into", "issues/2019-5.yaml"])
    assert res.exit_code == 1
    assert "这是 bulletin-kit 生成的简报（2019-5.yaml）" in res.stderr and "bulletin merge" in res.stderr


# --------------------------------------------------------------------------- LibreOffice


def test_same_review_after_libreoffice_resave(work: Path, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice is installed by scripts/setup.sh --dev"
    word = review(work)
    word.replace(word.find("三月以来"), "一万二千株", "一万三千株")
    word.delete(word.find("植树完成后"))
    word.insert_after(word.find("活动由各街道"), "各单位共出动干部八百人次。")
    word.set_text(word.find("星海街道开展", 1), "星海街道开展安全生产专项检查")
    word.track(word.find("今年以来，行政审批局"), "更加便捷", "更加方便快捷", author="王处长")
    word.comment(word.find("窗口平均"), "请核实数据来源")
    word.save(docx_file(work))
    # merged as Word wrote it
    direct = tmp_path / "direct"
    shutil.copytree(work, direct)
    code, _, err = merged(direct, "--accept-all")
    assert code == 0, err
    # re-saved by LibreOffice, then merged
    resaved_dir = tmp_path / "lo"
    resaved_dir.mkdir()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(resaved_dir),
            str(docx_file(work)),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.copy(resaved_dir / "2019-5.docx", docx_file(work))
    code, out, err = merged(work, "--accept-all")
    assert code == 0, out + err
    assert issue_file(work).read_bytes() == issue_file(direct).read_bytes()
    assert "请核实数据来源" in out
    assert_prints(work, resaved_dir / "2019-5.docx")


# --------------------------------------------------------------------------- speed


SAMPLE = Path(__file__).resolve().parents[1] / "issues"


def test_sample_with_twenty_edits_in_under_a_second(tmp_path: Path) -> None:
    """The sample issue: 20 edits in 8 articles (a two-line title, a 要目 given as a list, # headings);
    only the edited lines of the issue file change, and the merge takes under a second."""
    shutil.copytree(SAMPLE, tmp_path / "issues")
    issue = tmp_path / "issues" / "2018-28.yaml"
    result = pipeline.build(issue, tmp_path / "output", ("docx",))
    assert result.ok
    docx = tmp_path / "output" / "2018-28.docx"
    word = Word(docx)
    edits = [
        ("为助推重点工程", "优化营商环境", "持续优化营商环境"),
        ("根据市委市政府《", "高度重视", "十分重视"),
        ("联合督查组坚持", "深入督查", "深入细致督查"),
        ("根据督查发现的问题", "7份", "七份"),
        ("征地拆迁政策处理", "取得显著成效", "取得明显成效"),
        ("一是加强组织领导", "着力攻坚", "全力攻坚"),
        ("坚持抓住主要矛盾", "扬长补短", "取长补短"),
        ("2018年以来，行政审批局", "五心代办", "“五心”代办"),
        ("以党建为引领", "100天", "一百天"),
        ("星海街道以", "清廉典型", "清廉先进典型"),
        ("海城街道：", "挖掘本土家风家训", "挖掘本土家风家训资源"),
        ("教育“管办评”", "注入新的", "注入全新的"),
        ("“管”是关键", "刘宾宾", "刘某某"),
        ("近年来，沙城街道", "蝶变之路", "蜕变之路"),
        ("依托“基层治理四平台”", "13982条", "13982件"),
        ("今年来，瓯飞集团", "多措并举", "多措并举、综合施策"),
        ("（交警五大队）", "交警五大队", "温州交警五大队"),
    ]
    for start, old, new in edits:
        word.replace(word.find(start), old, new)
    word.set_text(word.find("瓯飞集团五项举措", 1), "瓯飞集团五项举措推进清廉国企建设")  # title
    word.set_text(
        word.find("交警五大队依托", 1), "交警五大队依托“一二三”工作法\n营商环境持续优化"
    )  # 2nd line
    word.set_text(word.find("“清廉浙南产业集聚区”建设取得新成效", 0), "“清廉浙南”建设取得新成效")  # 要目 list
    word.save(docx)
    before = issue.read_text(encoding="utf-8").splitlines()
    started = time.perf_counter()
    merged_result = merge.merge(docx, issue)
    elapsed = time.perf_counter() - started
    assert merged_result.ok and merged_result.written, [p.render() for p in merged_result.problems]
    assert len(merged_result.changes) == 20
    assert elapsed < 1.0
    after = issue.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert (
        len(changed) == 20
    )  # one line per edit: 16 body paragraphs and headings, a source, 2 titles, a 要目
    text = "\n".join(after)
    assert "  - title: 交警五大队依托“一二三”工作法　营商环境持续优化" in text
    assert "toc: [触角再延伸　村居添活力, “清廉浙南”建设取得新成效]" in text
    assert "    source: 温州交警五大队" in text


# --------------------------------------------------------------------------- more elements


def test_split_and_joined_paragraphs(work: Path) -> None:
    word = review(work)
    word.split(word.find("今年以来，行政审批局"), "群众办事")
    word.join(word.find("近日，星海街道"))
    reviewed = word.save(work / "reviewed.docx")
    shutil.copy(reviewed, docx_file(work))
    code, out, err = merged(work)
    assert code == 0, out + err
    text = issue_file(work).read_text(encoding="utf-8")
    assert "      今年以来，行政审批局全面推行“一窗受理”，\n\n      群众办事更加便捷。\n" in text
    assert (
        "      近日，星海街道组织开展安全生产大检查，共排查企业四十家。对发现的隐患，街道当场督促整改。\n"
        in text
    )
    assert_prints(work, reviewed)


def test_tracked_join_accepted(work: Path) -> None:
    word = review(work)
    word.track_join(word.find("今年以来，行政审批局"))
    reviewed = word.save(work / "reviewed.docx")
    shutil.copy(reviewed, docx_file(work))
    code, out, err = merged(work, "--accept-all")
    assert code == 0, out + err
    text = issue_file(work).read_text(encoding="utf-8")
    assert "群众办事更加便捷。窗口平均等候时间由二十分钟缩短到八分钟。\n" in text


def test_headings_note_caption_cell_bold_subtitle(work: Path) -> None:
    word = review(work)
    word.set_text(word.find("一、精心组织"), "一、精心组织实施")
    word.set_text(word.find("滨海街道：绿波通行"), "滨海街道：绿波通行更顺畅")
    word.replace(word.find("编者按："), "一组数据", "两组数据")
    word.set_text(word.find("滨海大道绿波带"), "滨海大道绿波带夜景\u3000王五\u3000摄")
    word.set_text(word.find("52"), "56")
    word.bold(word.find("窗口平均"), "八分钟")
    word.replace(word.find("——行政审批局"), "一窗受理", "一窗通办")
    reviewed = word.save(work / "reviewed.docx")
    shutil.copy(reviewed, docx_file(work))
    before = issue_file(work).read_text(encoding="utf-8")
    code, out, err = merged(work)
    assert code == 0, out + err
    after = issue_file(work).read_text(encoding="utf-8")
    expected = (
        before.replace("      一、精心组织\n", "      一、精心组织实施\n")
        .replace("# 滨海街道：绿波通行\n", "# 滨海街道：绿波通行更顺畅\n")
        .replace("editor_note: 本期选登一组数据。", "editor_note: 本期选登两组数据。")
        .replace('![滨海大道绿波带](photo.png "王五")', '![滨海大道绿波带夜景](photo.png "王五")')
        .replace("| 路口 | 52 |", "| 路口 | 56 |")
        .replace("缩短到八分钟。", "缩短到**八分钟**。")
        .replace("subtitle: 行政审批局推行“一窗受理”", "subtitle: 行政审批局推行“一窗通办”")
    )
    assert after == expected
    assert_prints(work, reviewed)


def test_pasted_picture_and_text_outside_articles_are_unmapped(work: Path) -> None:
    word = review(work)
    word.paste_picture(word.find("对发现的隐患"))
    word.insert_after(word.find("测试开发区信息"), "（特刊）")
    word.save(docx_file(work))
    before = issue_file(work).read_bytes()
    code, _, err = merged(work)
    assert code == 1
    assert "第3篇 正文第2段 粘贴的图片" in err
    assert "新增的段落“（特刊）”不在任何文章中" in err
    assert issue_file(work).read_bytes() == before


def test_own_toc_stays_and_issue_note_is_written(work: Path) -> None:
    path = issue_file(work)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "date: 2019-02-01\n", "date: 2019-02-01\neditor_note: 本期聚焦春季工作。\n"
        ),
        encoding="utf-8",
    )
    assert pipeline.build(path, work / "output", ("docx",)).ok
    word = review(work)
    word.set_text(word.find("优化营商环境"), "优化营商环境\u3000提升服务质效")  # has its own toc:
    word.replace(word.find("编者按：本期聚焦"), "春季工作", "春季重点工作")
    reviewed = word.save(work / "reviewed.docx")
    shutil.copy(reviewed, docx_file(work))
    code, out, err = merged(work)
    assert code == 0, out + err
    text = path.read_text(encoding="utf-8")
    assert "editor_note: 本期聚焦春季重点工作。\n" in text
    assert "  - title: 优化营商环境　提升服务质效\n" in text
    assert "toc: 行政审批局推行“一窗受理”   # 要目中的写法" in text
    printed_text = pdf_text(work)
    assert "编者按：本期聚焦春季重点工作。" in printed_text
    assert printed_text.count("行政审批局推行“一窗受理”") == 2  # the own 要目 line and the 副题
    assert_prints(work, reviewed)


def test_new_table_is_unmapped_and_dry_run_writes_nothing(work: Path) -> None:
    word = review(work)
    word.paste_table(word.find("窗口平均"), [["窗口", "等候"], ["一号", "八分钟"]])
    word.save(docx_file(work))
    code, _, err = merged(work)
    assert code == 1
    assert "第2篇 新表格或表格中新增的行：无法写回期刊文件" in err
    word = review(work)
    word.delete(next(t for t in word.doc.iter("{*}tbl") if "一号" in "".join(t.itertext())))
    word.replace(word.find("窗口平均"), "八分钟", "七分钟")
    word.save(docx_file(work))
    before = issue_file(work).read_bytes()
    code, out, err = merged(work, "--dry-run")
    assert code == 0, err
    assert (
        "第2篇 正文第2段：窗口平均等候时间由二十分钟缩短到八分钟。 → 窗口平均等候时间由二十分钟缩短到七分钟。"
        in out
    )
    assert "--dry-run：未写入任何文件" in out
    assert issue_file(work).read_bytes() == before
    assert docx_file(work).exists()


def test_text_that_reads_as_markup_is_escaped(work: Path) -> None:
    word = review(work)
    typed = "二、这一段是正文，不是标题：**原样**印出 {{ x }} <b>"
    word.insert_after(word.find("窗口平均"), typed)
    reviewed = word.save(work / "reviewed.docx")
    shutil.copy(reviewed, docx_file(work))
    code, out, err = merged(work)
    assert code == 0, out + err
    issue, problems = pipeline.read(issue_file(work))
    assert issue is not None, problems
    last = issue.articles[1].blocks[-1]
    assert last.kind == "paragraph" and "".join(s.text for s in last.spans) == typed
    assert re.sub(r"\s+", "", typed) in pdf_text(work)


def test_signature_line_of_the_imprint(work: Path) -> None:
    word = review(work)
    word.replace(word.find("编辑："), "李\u3000四", "王\u3000五")
    word.save(docx_file(work))
    code, out, err = merged(work)
    assert code == 0, out + err
    text = issue_file(work).read_text(encoding="utf-8")
    assert text.endswith("distribution:\n  approver: 王五\n")
    issue, _ = pipeline.read(issue_file(work))
    assert issue is not None
    assert issue.distribution.approver == "王\u3000五" and issue.distribution.editor == "张\u3000三"
    assert (work / "issues" / "series.yaml").read_text(encoding="utf-8").count("approver: 李四") == 1
