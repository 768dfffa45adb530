"""Hostile inputs against the real command: each case has a time cap and a memory cap and asserts
the exit code, the Chinese message, no traceback, and no partial or temporary file left behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image as PILImage

from bulletin_kit import limits
from bulletin_kit.readers import yaml_source

from .conftest import ROOT, SERIES, SMALL, assert_clean_exit, copy_sample, issue_text, leftovers, run

# --- templates are data ------------------------------------------------------------------------

HOSTILE_TAGS = {
    "globals": "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "class": "{{ name.__class__.__mro__[1].__subclasses__() }}",
    "attr_filter": "{{ name|attr('__class__') }}",
    "format_filter": "{{ '%s'|format(name) }}",
    "format_method": "{{ '{0.__class__}'.format(name) }}",
    "getitem": "{{ name['__class__'] }}",
    "set": "{% set x = name %}{{ x }}",
    "power": "{{ 9**9**9 }}",
    "lipsum": "{{ lipsum(1000000) }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import 'os' as os %}",
    "self": "{{ self._TemplateReference__context }}",
    "joiner": "{{ joiner.__init__.__globals__ }}",
    "macro": "{% macro m() %}{% endmacro %}{{ m() }}",
}


def _template(folder: Path, text: str) -> None:
    document = docx.Document(str(ROOT / "templates" / "bulletin.docx"))
    document.add_paragraph(text)
    document.save(str(folder / "tpl.docx"))
    series = SERIES.replace("layout:", "layout:\n  docx_template: tpl.docx", 1)
    (folder / "series.yaml").write_text(series, encoding="utf-8")


@pytest.mark.parametrize("tag", HOSTILE_TAGS.values(), ids=HOSTILE_TAGS.keys())
def test_template_code_is_refused(work: Path, tag: str) -> None:
    _template(work, tag)
    ran = run(["build", "2018-1.yaml", "--to", "docx", "-o", "out"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert "Word 模板 'tpl.docx' 中的占位符" in ran.err and "被拒绝" in ran.err, ran.err
    assert "layout.docx_template" in ran.err
    assert not (work / "PWNED").exists()
    assert not (work / "out").exists() or list((work / "out").iterdir()) == []


def test_template_with_documented_tags_builds(work: Path) -> None:
    _template(
        work, "{{ name|upper }}{% for m in marks %}{{ loop.index }}{{ m }}{% endfor %}{{ date|default('') }}"
    )
    ran = run(["build", "2018-1.yaml", "--to", "docx", "-o", "out"], work)
    assert ran.code == 0, ran.err
    text = "\n".join(p.text for p in docx.Document(str(work / "out" / "2018-1.docx")).paragraphs)
    assert "温州开发区信息1内部刊物2请勿外传2018年12月20日" in text


# --- YAML ------------------------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def _wide_alias() -> str:
    body = "正文" * 230_000  # 0.46 MB, referenced by 999 articles: ~460 MB expanded
    rows = "".join(f"  - {{title: t{i}, source: s, body: *b}}\n" for i in range(999))
    return f"issue_no: 1\ndate: 2018-12-20\nx: &b {body}\narticles:\n{rows}"


YAML_CASES = {
    "deep_lists": ("a: " + "[" * 500 + "]" * 500 + "\n", "嵌套超过 64 层"),
    "deep_maps": ("a: " + "{x: " * 500 + "1" + "}" * 500 + "\n", "嵌套超过 64 层"),
    "deep_block": ("".join("  " * i + "- \n" for i in range(300)), "嵌套超过 64 层"),
    "billion_laughs": (BILLION_LAUGHS, "YAML 别名（*引用）展开后内容过多"),
    "alias_bytes": (_wide_alias(), "MB 文字"),
    "merge_key": ("base: &b {issue_no: 1}\n<<: *b\ndate: 2018-12-20\n", "不支持合并字段“<<”"),
    "date_as_number": ("issue_no: 1\ndate: 20181220\n", "date: 应为日期，实际为 20181220"),
    "date_impossible": ("issue_no: 1\ndate: 2018-13-45\n", "日期 '2018-13-45' 不存在"),
    "python_tag": ("issue_no: !!python/object/apply:os.system ['touch PWNED']\n", "不允许的 YAML 标签"),
    "custom_tag": ("issue_no: !ruby/object 1\n", "不允许的 YAML 标签"),
    "set_tag": ("marker: !!set {a, b}\n", "不允许的 YAML 标签"),
    "binary_tag": ("marker: !!binary aGVsbG8=\n", "不允许的 YAML 标签"),
    "tab": ("issue_no: 1\narticles:\n\t- title: x\n", "制表符"),
    "list_top": ("- a\n- b\n", "文件顶层应为“字段: 值”的形式"),
    "scalar_top": ("就一句话\n", "文件顶层应为“字段: 值”的形式"),
    "comment_only": ("# 只有注释\n", "文件是空的"),
    "unclosed": ('issue_no: 1\nmarker: "未闭合\n', "YAML 格式错误"),
    "key_is_list": ("[a]: 1\n", "字段名应为文字"),
    "huge_int": ("issue_no: " + "9" * 5000 + "\ndate: 2018-12-20\n", "issue_no"),
    "nan_issue": ("issue_no: .nan\ndate: 2018-12-20\n", "issue_no: 应为整数"),
    "pydantic_words": ("issue_no: 1\ndate: 2018-12-20\narticles: {a: 1}\n", "articles: 应为列表"),
}


@pytest.mark.parametrize(("text", "message"), YAML_CASES.values(), ids=YAML_CASES.keys())
def test_bad_yaml_is_a_located_chinese_problem(work: Path, text: str, message: str) -> None:
    (work / "2018-2.yaml").write_text(text, encoding="utf-8")
    ran = run(["check", "2018-2.yaml"], work)
    assert ran.code == 1, ran.text
    assert_clean_exit(ran)
    assert message in ran.err, ran.err
    assert re.search(r"^2018-2\.yaml(:\d+:\d+)?: ", ran.err, re.M), ran.err
    for english in ("Input should", "validation error", "ScalarNode", "constrained", "pydantic"):
        assert english not in ran.err
    assert not (work / "PWNED").exists()


def test_deep_nesting_in_a_neighbour_is_named(work: Path) -> None:
    (work / "2018-2.yaml").write_text("a: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    for args in (["check", "."], ["list", "."], ["new", ".", "--date", "2018-12-27"]):
        ran = run(args, work)
        assert_clean_exit(ran)
        if args[0] == "check":
            assert ran.code == 1 and "2018-2.yaml:1:" in ran.err and "嵌套超过" in ran.err, ran.err
        if args[0] == "list":
            assert ran.code == 0 and "2018-2.yaml" in ran.out


def test_deep_nesting_in_series_yaml_is_named(work: Path) -> None:
    (work / "series.yaml").write_text("masthead: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    ran = run(["build", "2018-1.yaml", "-o", "out"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert "series.yaml:1:" in ran.err and "嵌套超过" in ran.err, ran.err


ENCODINGS = {
    "big5": (
        "中華民國教育部公告：本年度各級學校招生簡章已經發布，請各單位依照規定辦理。".encode("big5"),
        "Big5",
    ),
    "utf16": (SMALL.encode("utf-16"), "UTF-16"),
    "binary": (bytes(range(256)) * 4, "无法识别文件编码"),
}


@pytest.mark.parametrize(("data", "name"), ENCODINGS.values(), ids=ENCODINGS.keys())
def test_undecodable_text_names_the_likely_encoding(work: Path, data: bytes, name: str) -> None:
    (work / "2018-2.yaml").write_bytes(b"issue_no: 1\nmarker: " + data + b"\n" if name == "Big5" else data)
    ran = run(["check", "2018-2.yaml"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert name in ran.err, ran.err


def test_gbk_is_read_with_a_warning(work: Path) -> None:
    text = SMALL.replace("issue_no: 1\ntotal_no: 1", "issue_no: 2\ntotal_no: 2")
    (work / "2018-2.yaml").write_bytes(text.encode("gbk"))
    ran = run(["check", "2018-2.yaml"], work)
    assert ran.code == 0, ran.err
    assert "GBK" in ran.err


def test_file_over_the_size_limit(work: Path) -> None:
    (work / "2018-2.yaml").write_text("# x\n" * (yaml_source.MAX_BYTES // 4 + 10), encoding="utf-8")
    ran = run(["check", "2018-2.yaml"], work)
    assert ran.code == 1 and "文件过大" in ran.err


# --- pathological text: linear time ---------------------------------------------------------------

N = limits.MAX_PARAGRAPH_CHARS - 100
LINEAR_CASES = {
    "image_openers": "![" * (N // 2),
    "table_image_openers": "|![" * (N // 3),
    "ideographic_stops": "汉" + "。" * N,
    "dots": "汉" + "." * N,
    "stars": "*`" * (N // 2),
    "brackets": "[_" * (N // 2),
    "spaces_in_image": "![a](b " + " " * N,
    "parens": "(汉" * (N // 2),
    "quotes": '"汉' * (N // 2),
}


@pytest.mark.parametrize("body", LINEAR_CASES.values(), ids=LINEAR_CASES.keys())
def test_pathological_paragraph_is_checked_quickly(work: Path, body: str) -> None:
    (work / "2018-2.yaml").write_text(issue_text(body), encoding="utf-8")
    ran = run(["check", "2018-2.yaml"], work, timeout=10)
    assert ran.code in (0, 1)
    assert_clean_exit(ran)
    assert ran.seconds < 5, ran.seconds


LIMIT_CASES = {
    "paragraph_chars": (issue_text("字" * (limits.MAX_PARAGRAPH_CHARS + 1)), "超过上限 20000 字"),
    "paragraphs": (issue_text("\n".join(["段。", ""] * (limits.MAX_PARAGRAPHS + 1))), "超过上限 3000 段"),
    "articles": (issue_text("正文。", articles=limits.MAX_ARTICLES + 1), "超过上限 1000 篇"),
    "table_columns": (
        issue_text(
            "| " + " | ".join("列" * 30) + " |\n|" + "---|" * 30 + "\n| " + " | ".join("x" * 30) + " |"
        ),
        "超过上限 1000 行、18 列",
    ),
}


@pytest.mark.parametrize(("text", "message"), LIMIT_CASES.values(), ids=LIMIT_CASES.keys())
def test_limits_are_located_problems(work: Path, text: str, message: str) -> None:
    (work / "2018-2.yaml").write_text(text, encoding="utf-8")
    ran = run(["build", "2018-2.yaml", "-o", "out"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert message in ran.err and "2018-2.yaml:" in ran.err, ran.err
    assert not (work / "out").exists() or list((work / "out").iterdir()) == []


def test_largest_accepted_issue_is_checked_within_the_caps(work: Path) -> None:
    # just under the file limit, every paragraph just under its limit
    paragraph = "为助推重点工程项目建设，保障决策部署落到实处。" * 400
    body = "\n\n".join([paragraph] * 9)
    text = issue_text(body, articles=7)
    assert len(text.encode()) < yaml_source.MAX_BYTES
    (work / "2018-2.yaml").write_text(text, encoding="utf-8")
    ran = run(["check", "2018-2.yaml"], work)
    assert ran.code == 0, ran.err[-500:]
    assert ran.seconds < 20 and ran.peak_mb < 600, (ran.seconds, ran.peak_mb)


# --- pictures ------------------------------------------------------------------------------------------


def _picture_issue(folder: Path, name: str) -> None:
    (folder / "2018-2.yaml").write_text(issue_text(f"正文。\n\n![图注]({name})"), encoding="utf-8")


def test_decompression_bomb_picture_is_refused(work: Path) -> None:
    PILImage.new("1", (12_000, 12_000)).save(work / "big.png")  # 144 MP, a few KB
    assert (work / "big.png").stat().st_size < 100_000
    _picture_issue(work, "big.png")
    ran = run(["build", "2018-2.yaml", "-o", "out"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert "12000×12000 像素，超过上限 120 百万像素" in ran.err, ran.err
    assert "DecompressionBomb" not in ran.err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: (d / "p.png").symlink_to("/etc/passwd"), "指向本期文件夹之外"),
        (lambda d: os.mkfifo(d / "p.png"), "找不到文件"),
        (lambda d: (d / "p.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 50), "不是可用的图片"),
        (lambda d: (d / "p.png").mkdir(), "找不到文件"),
    ],
    ids=["link_outside", "fifo", "corrupt", "folder"],
)
def test_bad_picture_files(work: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    make(work)
    _picture_issue(work, "p.png")
    ran = run(["check", "2018-2.yaml"], work, timeout=10)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert message in ran.err, ran.err


# --- special files ------------------------------------------------------------------------------------

SPECIAL = {
    "fifo_issue": (
        lambda d: os.mkfifo(d / "2018-2.yaml"),
        ["check", "2018-2.yaml"],
        "2018-2.yaml: 这是一个命名管道",
    ),
    "fifo_issue_build": (
        lambda d: os.mkfifo(d / "2018-2.yaml"),
        ["build", "2018-2.yaml", "-o", "out"],
        "2018-2.yaml: 这是一个命名管道",
    ),
    "fifo_among_issues": (
        lambda d: os.mkfifo(d / "2018-2.yaml"),
        ["check", "."],
        "2018-2.yaml: 这是一个命名管道",
    ),
    "fifo_series": (
        lambda d: ((d / "series.yaml").unlink(), os.mkfifo(d / "series.yaml")),
        ["check", "2018-1.yaml"],
        "series.yaml: 这是一个命名管道",
    ),
    "dev_zero": (
        lambda d: (d / "2018-2.yaml").symlink_to("/dev/zero"),
        ["check", "2018-2.yaml"],
        "这是一个设备",
    ),
    "dev_zero_fonts": (
        lambda d: (d / "2018-2.yaml").symlink_to("/dev/zero"),
        ["fonts", "2018-2.yaml"],
        "这是一个设备",
    ),
    "folder_series": (
        lambda d: ((d / "series.yaml").unlink(), (d / "series.yaml").mkdir()),
        ["build", "2018-1.yaml", "-o", "out"],
        "series.yaml: 这是一个文件夹",
    ),
    "folder_output_docx": (
        lambda d: (d / "out" / "2018-1.docx").mkdir(parents=True),
        ["build", "2018-1.yaml", "-o", "out", "--to", "docx"],
        "out/2018-1.docx 是文件夹",
    ),
    "folder_manifest": (
        lambda d: (d / "out" / ".bulletin-kit.json").mkdir(parents=True),
        ["build", "2018-1.yaml", "-o", "out", "--to", "docx"],
        ".bulletin-kit.json 是文件夹",
    ),
    "fifo_import": (lambda d: os.mkfifo(d / "稿.txt"), ["import", "稿.txt", "--stdout"], "这是一个命名管道"),
    "schema_into_fifo": (lambda d: os.mkfifo(d / "s.json"), ["schema", "-o", "s.json"], "s.json 是命名管道"),
    "empty_folder_build": (
        lambda d: [p.unlink() for p in d.glob("*.yaml")],
        ["build", "."],
        "中没有期刊文件",
    ),
    "new_after_9999": (
        lambda d: (d / "2018-1.yaml").write_text(
            SMALL.replace("issue_no: 1", "issue_no: 9999"), encoding="utf-8"
        ),
        ["new", ".", "--date", "2018-12-27"],
        "下一期的期号会超过 9999",
    ),
}


@pytest.mark.parametrize(("make", "args", "message"), SPECIAL.values(), ids=SPECIAL.keys())
def test_special_files_are_named_and_refused_at_once(work: Path, make, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    make(work)
    ran = run(args, work, timeout=10)
    assert ran.code == 1, ran.text
    assert_clean_exit(ran)
    assert message in ran.err, ran.err
    assert leftovers(work) == []


def test_output_folder_that_is_a_file_is_a_usage_error(work: Path) -> None:
    (work / "out").write_text("x", encoding="utf-8")
    ran = run(["build", "2018-1.yaml", "-o", "out"], work)
    assert ran.code == 2
    assert_clean_exit(ran)
    assert "文件夹 'out' 是文件，应为文件夹" in ran.err


def test_check_fix_writes_through_a_symlink(work: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(SMALL.replace("现开展检查。", "现开展检查,共 13 个单位。"), encoding="utf-8")
    (work / "2018-1.yaml").unlink()
    (work / "2018-1.yaml").symlink_to(real)
    ran = run(["check", "--fix", "2018-1.yaml"], work)
    assert_clean_exit(ran)
    assert (work / "2018-1.yaml").is_symlink()
    assert "检查，共13个单位。" in real.read_text(encoding="utf-8")


def test_schema_writes_through_a_symlink(work: Path, tmp_path: Path) -> None:
    (tmp_path / "target.json").write_text("{}", encoding="utf-8")
    (work / "s.json").symlink_to(tmp_path / "target.json")
    ran = run(["schema", "-o", "s.json"], work)
    assert ran.code == 0
    assert (work / "s.json").is_symlink()
    assert "ArticleIn" in json.loads((tmp_path / "target.json").read_text(encoding="utf-8"))["$defs"]


# --- import -----------------------------------------------------------------------------------------------


def _docx_with(path: Path, member: str, data_chunks, *, base: Path) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info, src.read(info))
        with out.open(member, "w", force_zip64=True) as fh:
            for chunk in data_chunks:
                fh.write(chunk)


@pytest.fixture(scope="module")
def plain_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "稿.docx"
    document = docx.Document()
    document.add_paragraph("关于开展安全检查的通知")
    document.add_paragraph("前文ENTX后面的文字还在这里。第二句话也在。")
    document.save(str(path))
    return path


def test_import_zip_bomb_part_is_refused(work: Path, plain_docx: Path) -> None:
    with zipfile.ZipFile(plain_docx) as z:
        xml = z.read("word/document.xml")
    chunks = [xml[:200], *([b" " * (1 << 20)] * 110), xml[200:]]
    _docx_with(work / "bomb.docx", "word/document.xml", chunks, base=plain_docx)
    assert (work / "bomb.docx").stat().st_size < 1_000_000
    ran = run(["import", "bomb.docx", "--into", "2018-1.yaml"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert "“word/document.xml”解压后有" in ran.err, ran.err
    assert ran.peak_mb < 200


def test_import_compressed_picture_is_refused(work: Path, plain_docx: Path) -> None:
    _docx_with(work / "pic.docx", "word/media/image1.png", [b"\0" * (8 << 20)], base=plain_docx)
    ran = run(["import", "pic.docx", "--into", "2018-1.yaml"], work)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert "“word/media/image1.png”解压后有 8 MB" in ran.err, ran.err
    assert sorted(p.name for p in work.iterdir()) == ["2018-1.yaml", "pic.docx", "series.yaml"]


def test_import_keeps_text_after_an_entity_reference(work: Path, plain_docx: Path) -> None:
    with zipfile.ZipFile(plain_docx) as z:
        xml = z.read("word/document.xml")
    head, rest = xml.split(b"?>", 1)
    patched = head + b'?><!DOCTYPE w:document [<!ENTITY ent "XX">]>' + rest.replace(b"ENTX", b"&ent;")
    _docx_with(work / "ent.docx", "word/document.xml", [patched], base=plain_docx)
    ran = run(["import", "ent.docx", "--stdout"], work)
    assert ran.code == 0, ran.err
    assert_clean_exit(ran)
    assert "后面的文字还在这里。第二句话也在。" in ran.out


def test_import_big5_text_is_refused_by_name(work: Path) -> None:
    (work / "稿.txt").write_bytes(
        "標題\n\n中華民國教育部公告：本年度各級學校招生簡章已經發布。".encode("big5")
    )
    ran = run(["import", "稿.txt", "--stdout"], work)
    assert ran.code == 1
    assert "Big5" in ran.err, ran.err


# --- nothing silently dropped ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dropped(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("dropped")
    (folder / "series.yaml").write_text(SERIES, encoding="utf-8")
    token = "a" * 500
    table = "| 甲 | 乙 |\n|---|---|\n| 1 | 2 | 多出来的格 |\n| 只有一格 |"
    (folder / "2018-2.yaml").write_text(issue_text(f"长串：{token}。\n\n{table}"), encoding="utf-8")
    return folder, token, run(["build", "2018-2.yaml", "-o", "out"], folder, timeout=60)


def test_ragged_table_is_warned_and_cells_kept(dropped) -> None:  # type: ignore[no-untyped-def]
    folder, _token, ran = dropped
    assert ran.code == 0, ran.err
    assert_clean_exit(ran)
    assert "表格第 2 行有 3 格，表头有 2 格" in ran.err and "表格第 3 行有 1 格" in ran.err
    cells = [c.text for t in docx.Document(str(folder / "out" / "2018-2.docx")).tables for c in t._cells]
    assert "多出来的格" in cells and "只有一格" in cells
    pdf = subprocess.run(
        ["pdftotext", str(folder / "out" / "2018-2.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "多出来的格" in pdf


def test_unbreakable_run_is_not_clipped_in_the_pdf(dropped) -> None:  # type: ignore[no-untyped-def]
    folder, token, _ran = dropped
    pdf = subprocess.run(
        ["pdftotext", str(folder / "out" / "2018-2.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert token in re.sub(r"\s", "", pdf)
    assert leftovers(folder) == []


# --- clean exits ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["term", "int"]
)
def test_signal_during_build_leaves_nothing(work: Path, signum: int, code: int) -> None:
    copy_sample(work)

    def writing() -> bool:  # the outputs' temporary files exist: the build is writing them
        return any((work / "out").glob(".2018-28.*.tmp"))

    ran = run(["build", "2018-28.yaml", "-o", "out"], work, signal_when=writing, signum=signum)
    assert ran.code == code, ran.text
    assert "已中断" in ran.err and "Traceback" not in ran.err
    assert leftovers(work) == []


def test_stale_temporary_files_are_removed(work: Path) -> None:
    out = work / "out"
    out.mkdir()
    for name in (".2018-1.docx.k9x.tmp", ".2018-1.pdf.k9y.tmp"):
        (out / name).write_bytes(b"half a file")
    (out / ".other.pdf.keep.tmp").write_bytes(b"not ours")
    ran = run(["build", "2018-1.yaml", "-o", "out"], work, timeout=60)
    assert ran.code == 0, ran.err
    assert sorted(p.name for p in out.iterdir()) == [
        ".bulletin-kit.json",
        ".other.pdf.keep.tmp",
        "2018-1.docx",
        "2018-1.pdf",
    ]


def test_full_disk_is_one_chinese_message(work: Path) -> None:
    ran = run(["build", "2018-1.yaml", "-o", "out", "--to", "docx"], work, file_size=4096)
    assert ran.code == 1
    assert_clean_exit(ran)
    assert "无法写入输出文件夹 out：文件超过系统允许的大小" in ran.err, ran.err
    assert "维护者" not in ran.err
    assert leftovers(work) == [] and not (work / "out" / "2018-1.docx").exists()


def test_concurrent_builds_keep_every_manifest_entry(work: Path) -> None:
    for i in range(2, 6):
        (work / f"2018-{i}.yaml").write_text(SMALL.replace("issue_no: 1", f"issue_no: {i}"), encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    from .conftest import BULLETIN

    procs = [
        subprocess.Popen(
            [str(BULLETIN), "build", f"2018-{i}.yaml", "-o", "out", "--to", "docx"],
            cwd=work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(1, 6)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()
    manifest = json.loads((work / "out" / ".bulletin-kit.json").read_text(encoding="utf-8"))
    assert sorted(k for k in manifest if k.endswith(".docx")) == [f"2018-{i}.docx" for i in range(1, 6)]
    again = run(["build", "2018-3.yaml", "-o", "out", "--to", "docx"], work)
    assert again.code == 0, again.err  # no false "edited in Word" refusal


def test_broken_manifest_is_rebuilt_and_guards_stay_safe(work: Path) -> None:
    out = work / "out"
    out.mkdir()
    (out / ".bulletin-kit.json").write_text("{not json", encoding="utf-8")
    ran = run(["build", "2018-1.yaml", "-o", "out", "--to", "docx"], work)
    assert ran.code == 0, ran.err
    manifest = json.loads((out / ".bulletin-kit.json").read_text(encoding="utf-8"))
    assert [k for k in manifest if k.endswith(".docx")] == ["2018-1.docx"]
    shutil.copy(out / "2018-1.docx", out / "2018-9.docx")  # a .docx the manifest does not know
    (work / "2018-9.yaml").write_text(SMALL.replace("issue_no: 1", "issue_no: 9"), encoding="utf-8")
    ran = run(["build", "2018-9.yaml", "-o", "out", "--to", "docx"], work)
    assert ran.code == 1 and "被修改过" in ran.err  # unknown: never overwritten
