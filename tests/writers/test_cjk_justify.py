"""Chinese line breaking and inter-character justification on top of WeasyPrint.

The pure rules (break controls, justification opportunities) are checked on strings; the WeasyPrint
side on real PDFs rendered at several widths, read back glyph by glyph with pdfplumber.
"""

from __future__ import annotations

import html as html_escape
import itertools
import logging
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
import weasyprint
from weasyprint.layout import inline
from weasyprint.text import line_break

from bulletin_kit.typography.chars import IGNORABLE, WORD_JOINER, ZERO_WIDTH_SPACE, is_cjk
from bulletin_kit.typography.justify import opportunities, spread
from bulletin_kit.typography.line_breaking import (
    NO_LINE_END,
    NO_LINE_START,
    break_rules,
    strip_break_controls,
)
from bulletin_kit.writers import weasyprint_hook

WJ, ZW = WORD_JOINER, ZERO_WIDTH_SPACE

PARAGRAPHS = (
    # from the sample: quotes, book titles, digits, a ratio, a decimal
    "根据市委市政府《关于开展“铁腕纠四风、重拳治怠政”作风建设活动的实施意见》精神，派驻纪检监察组高度重视，"
    "立即牵头制定《关于开展“蜗牛工程”破解行动的通知》，汇总梳理重点工程项目63项，在掌握面上进度情况的基础上"
    "开展定期分析研判。截至11月底，共为81家企业（基建类）提供代办服务，累计投资额68.44亿元。",
    "四是合力共建，街村分别按照7:3的资金投入比例共同推动生态停车场建设。形成“网格上报—指挥中心交办—分平台"
    "处置—网格验收”的闭环运行机制，普通事项可于2个工作日内完成交办。",
    # dashes and ellipses in every position
    "坚持“五加二”——“白加黑”——在签完拆迁协议后并未懈怠……以更加积极的工作热情投入到房屋主体的拆迁中，"
    "说服住户与企业尽快腾空——经过各方共同努力……天柱大道、温州市域铁路S2线沿线都在一个月内完成了腾空。"
    "“清零”作战图式——“一把手”挂帅——“一事一议”给予解决……“零事故”。",
)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings() -> Iterator[None]:
    """Fail a test that makes WeasyPrint log a warning."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    assert [r.getMessage() for r in records] == []


# --- break controls -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("激活“蜗牛工程”效果", f"激活{ZW}“{WJ}蜗牛工程{WJ}”{ZW}效果"),
        ("前进——为了", f"前进{WJ}——为了"),
        ("等等……然后", f"等等{WJ}……然后"),
        ("（“引文”）。", f"（{WJ}“{WJ}引文{WJ}”{WJ}）{WJ}。"),
        ("《通知》，", f"《{WJ}通知{WJ}》{WJ}，"),
        ("汉字 “quoted”", f"汉字 “{WJ}quoted{WJ}”"),
        ("plain ASCII (text), done.", "plain ASCII (text), done."),
        ("7:3与68.44", "7:3与68.44"),
    ],
)
def test_break_rules(text: str, expected: str) -> None:
    assert break_rules(text) == expected
    assert strip_break_controls(break_rules(text)) == text


def visible_breaks(text: str) -> set[int]:
    """Return the indices ``i`` of the visible characters of ``text`` before which Pango may break."""
    controlled = break_rules(text)
    attrs = line_break.get_log_attrs(controlled, "zh-CN")
    breaks, visible = set(), 0
    for position, char in enumerate(controlled):
        if attrs[position].is_line_break and visible > 0:
            breaks.add(visible)
        if char not in IGNORABLE:
            visible += 1
    return breaks


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_pango_breaks_follow_clreq(text: str) -> None:
    breaks = visible_breaks(text)
    for i in breaks:
        assert text[i] not in NO_LINE_START, f"break before {text[i - 3 : i + 2]!r}"
        assert text[i - 1] not in NO_LINE_END, f"break after {text[i - 3 : i + 2]!r}"
    for i, char in enumerate(text[1:], start=1):
        prev = text[i - 1]
        if char == "“" and is_cjk(prev) and prev not in NO_LINE_END:
            assert i in breaks, f"no break before “ in {text[i - 3 : i + 3]!r}"
        if prev == "”" and is_cjk(char) and char not in NO_LINE_START:
            assert i in breaks, f"no break after ” in {text[i - 3 : i + 3]!r}"


def test_pango_alone_gets_quotes_and_dashes_wrong() -> None:
    """The two UAX #14 behaviours break_rules() exists for (if Pango changes, revisit it)."""
    attrs = line_break.get_log_attrs("活动——为了激活“蜗牛", "zh-CN")
    assert attrs[2].is_line_break  # before ——
    assert not attrs[8].is_line_break  # before “


# --- opportunities ------------------------------------------------------------------------------


def test_opportunities() -> None:
    assert opportunities(list("汉字2018年")) == [True, True, False, False, False, True, False]
    assert opportunities(list("说——好")) == [True, False, True, False]
    assert opportunities(list("等……")) == [True, False, False]
    assert opportunities(list("a b")) == [False, True, False]
    assert opportunities([]) == []
    assert spread(list("汉字2018年"), 3.0) == [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert spread(list("abc d"), 3.0) is None  # no CJK: WeasyPrint's own word spacing
    assert spread(list("汉字"), 0.0) is None
    assert all(is_cjk(c) for c in "汉，。“”‘’——……（）《》　")
    assert not any(is_cjk(c) for c in "aZ09.,:;()%")


# --- WeasyPrint: justified PDFs -----------------------------------------------------------------

FONT = "FandolFang, 'Noto Serif CJK SC'"
LATIN = "'Liberation Serif'"


def render(tmp_path: Path, paragraphs: tuple[str, ...], width_mm: float, *, controls: bool = True) -> Path:
    """Return a PDF of ``paragraphs`` justified in a column ``width_mm`` wide, 16 pt, 2 字 indent."""
    body = "".join(f"<p>{html_escape.escape(break_rules(p) if controls else p)}</p>" for p in paragraphs)
    document = f"""<html lang="zh-CN"><style>
      @page {{ size: {width_mm + 20}mm 600mm; margin: 10mm; }}
      body {{ margin: 0; font: 16pt/28pt {LATIN}, {FONT}; }}
      p {{ margin: 0; text-align: justify; text-indent: 2em; }}
    </style><body>{body}</body></html>"""
    path = tmp_path / f"w{width_mm}.pdf"
    weasyprint.HTML(string=document).write_pdf(path)
    return path


def pdf_paragraph_lines(path: Path) -> list[list[tuple[str, float, float]]]:
    """Return the lines of the PDF as lists of ``(char, x0, x1)``."""
    out: dict[float, list[tuple[str, float, float]]] = {}
    with pdfplumber.open(path) as pdf:
        for char in pdf.pages[0].chars:
            out.setdefault(round(char["matrix"][5]), []).append((char["text"], char["x0"], char["x1"]))
    return [sorted(chars, key=lambda c: c[1]) for _, chars in sorted(out.items(), reverse=True)]


@pytest.mark.parametrize("width_mm", [156, 101.3, 77.7, 60])
def test_lines_are_flush_and_text_unchanged(tmp_path: Path, width_mm: float) -> None:
    with weasyprint_hook.active():
        path = render(tmp_path, PARAGRAPHS, width_mm)
    right = (10 + width_mm) * 72 / 25.4
    all_lines = pdf_paragraph_lines(path)
    texts = ["".join(c for c, _, _ in line) for line in all_lines]
    assert "".join(texts) == "".join(PARAGRAPHS)  # no space or other character added
    last_lines = {
        i for i, _ in enumerate(texts) if any("".join(texts[: i + 1]).endswith(p) for p in PARAGRAPHS)
    }
    for i, line in enumerate(all_lines):
        assert not texts[i].startswith((*tuple(NO_LINE_START), "——", "……")), texts[i]
        assert not texts[i].endswith(tuple(NO_LINE_END)), texts[i]
        if i not in last_lines:
            assert abs(line[-1][2] - right) < 0.6, f"{texts[i]} ends {right - line[-1][2]:.2f} pt short"
    # —— and …… are never pulled apart
    for line in all_lines:
        for (a, _, a1), (b, b0, _) in itertools.pairwise(line):
            if a + b in ("——", "……"):
                assert abs(b0 - a1) < 0.05


def test_without_the_patch_lines_are_ragged(tmp_path: Path) -> None:
    """What the module fixes: stock WeasyPrint leaves most Chinese lines short of the edge."""
    path = render(tmp_path, PARAGRAPHS, 101.3, controls=False)
    right = (10 + 101.3) * 72 / 25.4
    ends = [line[-1][2] for line in pdf_paragraph_lines(path)]
    flush = sum(1 for end in ends if abs(end - right) < 1)
    assert flush / len(ends) < 0.5


def test_latin_lines_keep_weasyprint_justification(tmp_path: Path) -> None:
    """A line without Chinese is justified by WeasyPrint's own code: words stay tight."""
    text = ("The quick brown fox jumps over the lazy dog and keeps on running far away. " * 6).strip()
    with weasyprint_hook.active():
        path = render(tmp_path, (text,), 120)
    right = 130 * 72 / 25.4
    all_lines = pdf_paragraph_lines(path)
    for line in all_lines[:-1]:
        assert abs(line[-1][2] - right) < 0.6
        for (a, _, a1), (b, b0, _) in itertools.pairwise(line):
            if a != " " and b != " ":
                assert b0 - a1 < 0.05, f"{a}{b} pulled apart"  # (kerning may pull letters closer)


# --- the patch's life cycle -----------------------------------------------------------------------


def test_enabled_restores_weasyprint() -> None:
    from weasyprint.draw import text as draw_text

    original = (inline.justify_line, line_break.Layout.reactivate, draw_text.draw_first_line)
    with weasyprint_hook.active():
        assert inline.justify_line is weasyprint_hook.justify_line
        assert draw_text.draw_first_line is not original[2]
        with weasyprint_hook.active():
            assert inline.justify_line is weasyprint_hook.justify_line
        assert inline.justify_line is weasyprint_hook.justify_line
    assert (inline.justify_line, line_break.Layout.reactivate, draw_text.draw_first_line) == original


def test_guard_checks_what_it_uses_not_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    weasyprint_hook.check()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    weasyprint_hook.check()  # another release number alone is fine
    monkeypatch.delattr(line_break.Layout, "get_first_line")
    with pytest.raises(weasyprint_hook.UnsupportedWeasyPrint, match=r"WeasyPrint 71\.0: .*get_first_line"):
        weasyprint_hook.check()
    with pytest.raises(weasyprint_hook.UnsupportedWeasyPrint), weasyprint_hook.active():
        pass
    assert inline.justify_line is not weasyprint_hook.justify_line


def test_guard_refuses_a_changed_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    def justify_line(context, line, extra_width, direction):  # a future signature
        return None

    monkeypatch.setattr(inline, "justify_line", justify_line)
    with pytest.raises(weasyprint_hook.UnsupportedWeasyPrint, match="justify_line has parameters"):
        weasyprint_hook.check()
