"""The ¼-字 gap between Chinese and Latin letters or digits, drawn in the PDF as Word draws it.

Input: plain text (already through :func:`bulletin_kit.typography.line_breaking.break_rules`). Output:
escaped HTML in which each run of Latin letters, digits and ASCII marks that touches a Chinese
character sits in a ``<span>`` with ¼ em of padding on the Chinese side(s)
(``templates/bulletin.css.j2``: ``.as-b`` before, ``.as-a`` after).

Why. Word adds this gap itself (``w:autoSpaceDE``/``w:autoSpaceDN``, on by default), and LibreOffice
always adds it (its DOCX import ignores both settings: writerfilter ``DomainMapper.cxx``). WeasyPrint
has no ``text-autospace``, so without these spans "对13个" is 8 pt narrower in the PDF than in the Word
file, and the two break their lines in different places (issue #10; FORMAT.md §4 allows up to ¼ em).
The gap is padding, not a character: text extracted from the PDF is unchanged.
"""

from __future__ import annotations

import unicodedata

import markupsafe

from ..typography.chars import IGNORABLE, is_cjk

GAP_EM = 0.25
"""Width of the gap, in ems of the text (FORMAT.md §4: at most ¼ em)."""


def _kind(char: str) -> str:
    """Return "ignorable" (invisible break controls), "space", "han" (a Chinese character that is a
    letter, not a mark), "cjk" (full-width punctuation), "alnum" (a Latin letter or digit) or "latin"."""
    if char in IGNORABLE:
        return "ignorable"
    if char.isspace():
        return "space"
    if is_cjk(char):
        return "han" if unicodedata.category(char)[0] in "LN" else "cjk"
    return "alnum" if char.isalnum() else "latin"


def spaced(text: str) -> markupsafe.Markup:
    """Return ``text`` escaped, its Latin runs next to Chinese wrapped in gap spans.

    As Word and LibreOffice do, the gap sits only between a Chinese character and a Latin letter or
    digit: none next to full-width punctuation (（1）, 。2018) or next to a Latin mark (91.7%中, 1.三).
    """
    kinds = [_kind(c) for c in text]
    out: list[str] = []
    i = 0
    while i < len(text):
        if kinds[i] not in _WESTERN:
            out.append(str(markupsafe.escape(text[i])))
            i += 1
            continue
        j = i
        while j < len(text) and kinds[j] in _WESTERN:
            j += 1
        before = kinds[i] == "alnum" and _neighbour(kinds, i - 1, -1) == "han"
        after = kinds[j - 1] == "alnum" and _neighbour(kinds, j, 1) == "han"
        run = str(markupsafe.escape(text[i:j]))
        classes = " ".join(name for name, on in (("as-b", before), ("as-a", after)) if on)
        out.append(f'<span class="{classes}">{run}</span>' if classes else run)
        i = j
    return markupsafe.Markup("".join(out))


_WESTERN = frozenset(("alnum", "latin"))


def _neighbour(kinds: list[str], index: int, step: int) -> str | None:
    """Return the kind of the nearest character from ``index`` in direction ``step`` that is not an
    invisible break control (a space stops the search: no gap next to a space)."""
    while 0 <= index < len(kinds):
        if kinds[index] != "ignorable":
            return kinds[index]
        index += step
    return None


def gap_ems(text: str) -> float:
    """Return the width in ems that :func:`spaced` adds to ``text`` (for fitting one-line texts)."""
    kinds = [_kind(c) for c in text]
    gaps = 0
    for i, kind in enumerate(kinds):
        if kind != "alnum":
            continue
        if (i == 0 or kinds[i - 1] not in _WESTERN) and _neighbour(kinds, i - 1, -1) == "han":
            gaps += 1
        if (i + 1 == len(kinds) or kinds[i + 1] not in _WESTERN) and _neighbour(kinds, i + 1, 1) == "han":
            gaps += 1
    return GAP_EM * gaps
