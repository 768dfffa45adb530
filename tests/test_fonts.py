"""Which font each role uses on this machine, and the characters no font of a role covers."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from bulletin_kit import fonts
from bulletin_kit.fonts.installed import _number, _parse_face, _split_list
from bulletin_kit.model import Article, Heading, Issue, Masthead, Paragraph, Span
from bulletin_kit.theme import FONTS, LATIN, get_theme

THEME = get_theme("default")
needs_fandol = pytest.mark.skipif(fonts.find_face("FandolFang") is None, reason="Fandol fonts not installed")
needs_noto = pytest.mark.skipif(fonts.find_face("Noto Serif CJK SC") is None, reason="Noto CJK not installed")


def issue_with(body: str, heading: str = "一、标题") -> Issue:
    return Issue(
        masthead=Masthead(name="测试信息", publisher="办公室", issue_no=1, date=dt.date(2020, 1, 2)),
        articles=(
            Article(
                title=("标题",),
                blocks=(
                    Heading(level=1, number="一、", spans=(Span(text=heading),)),
                    Paragraph(spans=(Span(text=body),)),
                ),
            ),
        ),
    )


def test_parse_fc_list_line() -> None:
    face = _parse_face(
        "FandolFang,FandolFang R\tRegular\t80\t0\t/f/FandolFang-Regular.otf\t0\t20-7e a0 4e00-9fa5"
    )
    assert face is not None
    assert face.names == ("FandolFang", "FandolFang R")
    assert face.covers("汉") and face.covers("a") and face.covers("\u00a0")
    assert not face.covers("\u00a1") and not face.covers("😀")
    assert _parse_face("garbage") is None
    assert _split_list(r"A\,B,C") == ["A,B", "C"]
    assert _number("[0 210]", 80) == 0


@needs_fandol
@needs_noto
def test_roles_resolve_to_the_free_substitutes() -> None:
    roles = fonts.resolve_all()
    assert set(roles) == {*FONTS, fonts.LATIN_ROLE}
    assert roles["fangsong"].used.family == "FandolFang"
    assert roles["kaiti"].used.family == "FandolKai"
    assert roles["heiti"].used.family == "FandolHei"
    assert roles["songti"].used.family == "FandolSong"
    # 小标宋: Noto Serif CJK SC Bold stands in for the heavy office font
    xbs = roles["xiaobiaosong"]
    assert xbs.used.family == "Noto Serif CJK SC" and xbs.used.weight >= 200
    assert not xbs.office_installed and xbs.css_weight == 700
    # every CJK stack ends with (or, for 小标宋, starts with) Noto CJK, which has GBK rarities such as 璟
    for name in FONTS:
        assert any(face.family.startswith("Noto ") for face in roles[name].faces)
    assert roles[fonts.LATIN_ROLE].used.family in ("Liberation Serif", "Times New Roman")


@needs_fandol
@needs_noto
def test_noto_covers_what_fandol_lacks() -> None:
    """璟 (sample 002) is not in FandolFang but Noto Serif CJK SC, last in the stack, has it."""
    assert not fonts.find_face("FandolFang").covers("璟")
    assert fonts.missing_glyphs(issue_with("王璟同志。"), THEME) == {}


@needs_noto
def test_missing_glyphs_per_role() -> None:
    missing = fonts.missing_glyphs(issue_with("笑脸😀，é和7:3。", heading="一、标题\U0001f680"), THEME)
    assert missing == {"fangsong": {"😀"}, "heiti": {"\U0001f680"}}


@needs_noto
def test_report_lines() -> None:
    report = fonts.report(issue_with("正文😀。"), THEME)
    text = "\n".join(report.lines())
    assert "仿宋（仿宋_GB2312）：FandolFang" in text
    assert "缺字 1 个：😀 U+1F600 [警告]" in text
    # what Word on Windows uses: the office font, else the w:altName of the Word file's font table
    assert "Word（Windows）：装有 仿宋_GB2312 时用它，否则用 仿宋" in text
    assert "Word（Windows）：装有 方正小标宋简体 时用它，否则用 宋体" in text
    assert "Word（Windows）：黑体（Windows 自带）" in text
    assert not report.ok
    assert fonts.report(issue_with("正文。"), THEME).ok


def test_harfbuzz_subset_is_available() -> None:
    """setup.sh installs libharfbuzz-subset0; without it WeasyPrint subsets CJK fonts 35× slower."""
    assert fonts.harfbuzz_subset_available()


def test_font_files_are_real_files() -> None:
    files = fonts.font_files()
    assert files
    assert all(isinstance(f, Path) and f.is_absolute() for f in files)


# --- the fontconfig rules that setup installs for LibreOffice ------------------------------------------

needs_fc_match = pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig not installed")


def test_fontconfig_snippet_and_standalone_file() -> None:
    snippet, standalone = fonts.fontconfig_aliases(False), fonts.fontconfig_aliases(True)
    for text in (snippet, standalone):
        root = etree.fromstring(text.encode("utf-8"))  # well-formed (no "--" inside the comment)
        assert root.tag == "fontconfig"
        tested = [t.text for t in root.iterfind("match/test/string")]
        assert {r.office for r in FONTS.values()} <= set(tested)
        assert LATIN.office not in tested  # Liberation Serif has its own alias in fontconfig
    assert "/etc/fonts/fonts.conf" in standalone and "<include" not in snippet
    assert (
        standalone.replace('  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n', "") == snippet
    )


def test_fontconfig_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_kit.fonts", "--fontconfig"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == fonts.fontconfig_aliases(False)
    assert result.stderr == ""
    usage = subprocess.run([sys.executable, "-m", "bulletin_kit.fonts"], capture_output=True, text=True)
    assert usage.returncode == 2 and "--fontconfig" in usage.stderr


def system_with_snippet(folder: Path, extra_dir: Path | None = None) -> dict[str, str]:
    """Return an environment whose fontconfig is the system's plus the conf.d snippet, as installed."""
    snippet = folder / "60-bulletin-kit.conf"
    snippet.write_text(fonts.fontconfig_aliases(False), encoding="utf-8")
    conf = folder / "fonts.conf"
    extra = f"<dir>{extra_dir}</dir><cachedir>{folder / 'cache'}</cachedir>" if extra_dir else ""
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{extra}<include>{snippet}</include>'
        "</fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def fc_match(env: dict[str, str], family: str) -> str:
    return subprocess.run(
        ["fc-match", "--format", "%{family[0]} %{style[0]}", family],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@needs_fc_match
@needs_fandol
@needs_noto
def test_fontconfig_rules_pick_the_free_substitutes(tmp_path: Path) -> None:
    env = system_with_snippet(tmp_path)
    assert fc_match(env, "仿宋_GB2312") == "FandolFang Regular"
    assert fc_match(env, "楷体_GB2312") == "FandolKai Regular"
    assert fc_match(env, "黑体") == "FandolHei Regular"
    assert fc_match(env, "宋体") == "FandolSong Regular"
    assert fc_match(env, "方正小标宋简体") == "Noto Serif CJK SC Bold"
    assert fc_match(env, "SimHei") == "FandolHei Regular"  # other names of the office fonts too
    # `bulletin fonts` reads fc-list, which the rules do not touch: the office fonts are still missing
    check = (
        "from bulletin_kit import fonts; "
        "print(sorted(n for n, r in fonts.resolve_all().items() if r.office_installed))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@needs_fc_match
@needs_fandol
def test_an_installed_office_font_still_wins_over_the_rules(tmp_path: Path) -> None:
    """The rules append the substitutes after the office name: they must not hide a real 黑体."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    source = fonts.find_face("Liberation Serif")
    if source is None:
        pytest.skip("Liberation Serif not installed")
    fake = ttlib.TTFont(str(source.file), fontNumber=source.index)
    names = fake["name"]
    names.names = [r for r in names.names if r.nameID not in (1, 4, 16) or r.platformID == 3]
    for record in names.names:
        if record.nameID in (1, 4, 16):
            record.string = "黑体"
    (tmp_path / "fonts").mkdir()
    fake.save(str(tmp_path / "fonts" / "simhei-stand-in.ttf"))
    env = system_with_snippet(tmp_path, extra_dir=tmp_path / "fonts")
    assert fc_match(env, "黑体").startswith("黑体")
    assert fc_match(env, "仿宋_GB2312") == "FandolFang Regular"
