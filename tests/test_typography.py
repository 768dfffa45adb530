"""The one width estimate both writers and the lint use (bulletin_kit.typography.width)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_kit.typography.line_breaking import break_rules
from bulletin_kit.typography.width import text_em


def test_text_em_counts_cjk_one_and_others_half() -> None:
    assert text_em("汉字，“引文”") == 7
    assert text_em("2018年") == 3
    assert text_em("") == 0


def test_text_em_ignores_break_controls() -> None:
    text = "激活“蜗牛工程”效果"
    assert break_rules(text) != text
    assert text_em(break_rules(text)) == text_em(text) == 10


def test_text_em_autospace_adds_a_quarter_at_each_cjk_latin_change() -> None:
    assert text_em("对13个", autospace=True) == 3 + 2 * 0.25
    assert text_em("2018", autospace=True) == 2
    assert text_em("汉字", autospace=True) == 2


def _break_rules_per_pair(text: str) -> str:
    """The first implementation of :func:`break_rules` (a loop over every pair), for comparison."""
    from bulletin_kit.typography.line_breaking import _between

    out: list[str] = []
    prev = ""
    for char in text:
        if prev and not prev.isspace() and not char.isspace():
            out.append(_between(prev, char))
        out.append(char)
        prev = char
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="中文。，（）《》“”‘’—…·／a1. \u3000\n", max_size=40))
def test_break_rules_is_the_per_pair_rule(text: str) -> None:
    assert break_rules(text) == _break_rules_per_pair(text)
