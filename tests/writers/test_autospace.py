"""The ¼-字 gap between Chinese characters and Latin letters or digits (as Word and LibreOffice draw it)."""

from __future__ import annotations

import pytest

from bulletin_kit.typography.chars import WORD_JOINER
from bulletin_kit.writers.autospace import gap_ems, spaced


@pytest.mark.parametrize(
    ("text", "html", "gaps"),
    [
        ("对13个", '对<span class="as-b as-a">13</span>个', 2),
        ("2018年", '<span class="as-a">2018</span>年', 1),
        ("铁路S2线", '铁路<span class="as-b as-a">S2</span>线', 2),
        # none next to full-width punctuation or a Latin mark, none next to a space
        ("（1）四级", "（1）四级", 0),
        ("1.三级", "1.三级", 0),
        ("91.7%中", "91.7%中", 0),
        ("中 ABC 文", "中 ABC 文", 0),
        # markup-like text stays text
        ("甲<b>乙", "甲&lt;b&gt;乙", 0),
        ("A&B中", '<span class="as-a">A&amp;B</span>中', 1),
        # the invisible break controls do not stop the look-around
        (f"对{WORD_JOINER}13", f'对{WORD_JOINER}<span class="as-b">13</span>', 1),
    ],
)
def test_gaps(text: str, html: str, gaps: int) -> None:
    assert str(spaced(text)) == html
    assert gap_ems(text) == 0.25 * gaps
