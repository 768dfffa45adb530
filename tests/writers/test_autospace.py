"""The ¼-字 gap between Chinese characters and Latin letters or digits (as Word and LibreOffice draw it)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _spaced_per_character(text: str) -> str:
    """The first implementation of :func:`spaced` (kind and escape per character), for comparison."""
    import markupsafe

    from bulletin_kit.writers.autospace import _kind, _neighbour

    kinds = [_kind(c) for c in text]
    out: list[str] = []
    i = 0
    while i < len(text):
        if kinds[i] not in ("alnum", "latin"):
            out.append(str(markupsafe.escape(text[i])))
            i += 1
            continue
        j = i
        while j < len(text) and kinds[j] in ("alnum", "latin"):
            j += 1
        before = kinds[i] == "alnum" and _neighbour(kinds, i - 1, -1) == "han"
        after = kinds[j - 1] == "alnum" and _neighbour(kinds, j, 1) == "han"
        run = str(markupsafe.escape(text[i:j]))
        classes = " ".join(name for name, on in (("as-b", before), ("as-a", after)) if on)
        out.append(f'<span class="{classes}">{run}</span>' if classes else run)
        i = j
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=f"中文。（）“”—…·a1Z.%&<>'\" \u3000\n{WORD_JOINER}\u200b\u00adé", max_size=40))
def test_spaced_is_the_per_character_rule(text: str) -> None:
    assert str(spaced(text)) == _spaced_per_character(text)
