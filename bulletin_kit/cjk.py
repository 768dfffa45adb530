"""Chinese text rules (GB/T 15834 punctuation, spacing): one implementation for lint, ``--fix`` and import.

Input: one line of text. Output: :class:`Finding` objects (rule code, column, the old and new
text) and the fixed line. Rules marked ``fixable`` cannot change meaning and are applied by
``bulletin check --fix`` and by importers; the others are only reported.

Where the rules come from:

* ``punct.halfwidth`` (, . ? ! ; next to Chinese -> full width), ``width.fullwidth_alnum``
  (１２３ -> 123) and ``space.before_fullwidth`` (no space before ，。) are autocorrect-py's
  ``fullwidth``, ``halfwidth-word`` and ``no-space-fullwidth`` rules; autocorrect's rules that
  *add* spaces between Chinese and Latin are switched off, since 公文 does not use them.
* ``punct.halfwidth`` for ( ) : (autocorrect leaves them), ``punct.doubled``, ``space.cjk_ascii``,
  ``quote.ascii``, ``ellipsis``, ``dash.hyphen`` and ``pair.unmatched`` are ours (FORMAT.md §4).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import autocorrect_py

from .typography.chars import HAN as HAN  # defined there: the reader needs it without these rules

autocorrect_py.load_config(  # type: ignore[attr-defined]  # in the module, missing from its stub
    '{"rules": {"space-word": 0, "space-punctuation": 0, "space-bracket": 0, "space-backticks": 0,'
    ' "space-dash": 0, "space-dollar": 0, "fullwidth": 1, "halfwidth-word": 1,'
    ' "halfwidth-punctuation": 1, "no-space-fullwidth": 1, "no-space-fullwidth-quote": 1,'
    ' "spellcheck": 0}}'
)

_HAN_OR_FW = rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’《》]"


@dataclass(frozen=True)
class Finding:
    """One rule hit: ``col`` is 0-based in the line; ``new`` is None when there is no safe fix."""

    code: str
    col: int
    old: str
    new: str | None

    @property
    def fixable(self) -> bool:
        """Return True when the finding has a safe fix."""
        return self.new is not None


RULES: dict[str, str] = {
    "punct.halfwidth": "中文里用了半角标点“{old}”，应为“{new}”",
    "width.fullwidth_alnum": "全角字母或数字“{old}”，应为半角“{new}”",
    "space.before_fullwidth": "全角标点前后多了空格",
    "space.cjk_ascii": "汉字与数字或字母之间多了空格（“{old}”）",
    "punct.doubled": "标点重复“{old}”",
    "quote.ascii": "中文里用了英文引号“{old}”，应为“{new}”",
    "ellipsis": "省略号应为“……”，实际为“{old}”",
    "dash.hyphen": "“{old}”夹在汉字之间：破折号应为“——”，连接号应为“—”",
    "pair.unmatched": "“{old}”没有配对",
    "punct.dot": "汉字之间的“.”（{old}）：间隔号应为“·”，句号应为“。”",
    "space.between_han": "汉字之间用了半角空格（“{old}”），应为一个全角空格“　”",
}
"""Chinese description of each rule; ``{old}``/``{new}`` are filled from the finding."""

# --- our regex rules: (code, pattern, replacement) applied in order --------------------------------
_PAREN = re.compile(rf"\(([^()\n]*[{HAN}][^()\n]*)\)")
_COLON = re.compile(rf"(?<=[{HAN}]):(?!//)|(?<!\d):(?=[{HAN}“])")
_SEMI_ETC = re.compile(
    rf"(?<=[{HAN}”’）》])([,;?!])|(?<![0-9A-Za-z])([,;?!])(?=[{HAN}“‘（《])|(?<=%),(?=[{HAN}])"
)
_PERIOD = re.compile(rf"(?<=[{HAN}”’）》])\.(?=$|\s|[”’）》])")
_DOUBLED = re.compile(r"([。，、；：])\1+")
# A run is only tried from its first mark and taken whole (possessive): linear on runs of 。 or .
_ELLIPSIS = re.compile(
    rf"(?<=[{HAN}”）])(\.{{3,}}+|。{{3,}}+|…(?!…))|((?<!\.)\.{{3,}}+|(?<!。)。{{3,}}+)(?=[{HAN}“])"
)
_SPACE = re.compile(rf"(?<=[{HAN}]) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) +(?=[{HAN}])")
# 凝心聚力 百日攻坚: a gap typed between two Chinese words is deliberate; set it as one U+3000 (FORMAT.md §4)
_HAN_GAP = re.compile(rf"(?<=[{HAN}])[ \t]+(?=[{HAN}])")
_HYPHEN = re.compile(rf"(?<=[{HAN}])(-{{1,2}})(?=[{HAN}])")
_ASCII_QUOTES = re.compile(r'"([^"\n]*)"')
_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("【", "】"))


def fix_line(line: str) -> tuple[str, list[Finding]]:
    """Return ``line`` with every safe fix applied, and all findings with columns in ``line``.

    Findings are looked for in the original line, rule by rule, so their columns point at what the
    editor typed; the fixes are then applied one rule after another.
    """
    findings: list[Finding] = []
    text = line
    for code, pattern, repl, enabled in _REGEX_RULES:
        if not enabled(line):
            continue
        for m in pattern.finditer(line):
            findings.append(_finding(code, line, m, repl(m)))
        if enabled(text):
            text = pattern.sub(repl, text)
    corrected = _autocorrect(text)
    if corrected != text:
        findings.extend(_diff_findings(line, _autocorrect(line)))
        text = corrected
    for m in _DOUBLED.finditer(line):
        findings.append(Finding("punct.doubled", m.start(), m.group(0), m.group(1)))
    text = _DOUBLED.sub(lambda m: m.group(1), text)
    for m in _HYPHEN.finditer(line):
        findings.append(Finding("dash.hyphen", m.start(), m.group(1), None))
    for m in _DOT_BETWEEN_HAN.finditer(line):
        findings.append(Finding("punct.dot", m.start(), line[m.start() - 1 : m.end() + 1], None))
    findings.extend(unmatched_pairs(line))
    unique: dict[tuple[int, str], Finding] = {}
    for f in findings:  # two rules on one mark (":" and ": ") are one finding: keep the mark alone
        key = (f.col, f.code)
        if key not in unique or len(f.old) < len(unique[key].old):
            unique[key] = f
    return text, sorted(unique.values(), key=lambda f: f.col)


def _finding(code: str, line: str, m: re.Match[str], new: str) -> Finding:
    if code in ("space.cjk_ascii", "space.between_han"):  # show the neighbours, a bare space says nothing
        return Finding(code, m.start(), line[max(0, m.start() - 1) : m.end() + 1], None or new)
    return Finding(code, m.start(), m.group(0), new)


def _always(text: str) -> bool:
    return True


def _balanced_quotes(text: str) -> bool:
    return text.count('"') % 2 == 0 and re.search(_HAN_OR_FW, text) is not None


_FW = {",": "，", ";": "；", "?": "？", "!": "！"}
_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], str], Callable[[str], bool]]
"""A rule's code, pattern, replacement, and whether it applies to a line."""
_REGEX_RULES: tuple[_Rule, ...] = (
    ("punct.halfwidth", _PAREN, lambda m: f"（{m.group(1)}）", _always),
    ("punct.halfwidth", _COLON, lambda m: "：", _always),
    ("punct.halfwidth", _SEMI_ETC, lambda m: _FW[m.group(0)], _always),
    ("punct.halfwidth", _PERIOD, lambda m: "。", _always),
    ("quote.ascii", _ASCII_QUOTES, lambda m: f"“{m.group(1)}”", _balanced_quotes),
    ("ellipsis", _ELLIPSIS, lambda m: "……", _always),
    ("space.cjk_ascii", _SPACE, lambda m: "", _always),
    ("space.between_han", _HAN_GAP, lambda m: "\u3000", _always),
)


_KEEP = "\u3000"  # the full-width space inside titles (凝心聚力　百日攻坚) is deliberate
_PLACEHOLDER = "\ue000"


_DOT_PLACEHOLDER = "\ue001"
_DOT_BETWEEN_HAN = re.compile(rf"(?<=[{HAN}])\.(?=[{HAN}])")


def _autocorrect(text: str) -> str:
    """Return autocorrect-py's result, keeping what it must not touch.

    Full-width spaces are protected from its space rules, and a ``.`` between two Chinese
    characters (和合.物业: a 间隔号 or a 句号?) is not guessed at; lint reports it instead.
    """
    text = _DOT_BETWEEN_HAN.sub(_DOT_PLACEHOLDER, text.replace(_KEEP, _PLACEHOLDER))
    out = autocorrect_py.format(text)
    return out.replace(_PLACEHOLDER, _KEEP).replace(_DOT_PLACEHOLDER, ".")


def _diff_findings(old: str, new: str) -> list[Finding]:
    """Return findings for the character changes autocorrect-py made."""
    found = []
    for a0, a1, b0, b1 in _changes(old, new):
        before, after = old[a0:a1], new[b0:b1]
        if not after.strip() and not before.strip():
            code = "space.before_fullwidth"
        elif before.strip() and unicode_is_fullwidth_alnum(before):
            code = "width.fullwidth_alnum"
        else:
            code = "punct.halfwidth"
        found.append(Finding(code, a0, before, after))
    return found


_DIFF_EXACT = 400
"""Longest differing middle diffed exactly (difflib is quadratic on repetitive text such as ，，，…)."""
_RESYNC_WINDOW = 16
_RESYNC_MATCH = 3


def _changes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Return the changed ranges ``(a0, a1, b0, b1)`` from ``old`` to ``new``, in linear time:
    the common prefix and suffix are cut off, a short middle is diffed exactly, a long one by
    re-synchronising after each change within a small window (autocorrect's changes are local)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    a_mid, b_mid = old[start : len(old) - end], new[start : len(new) - end]
    if len(a_mid) <= _DIFF_EXACT and len(b_mid) <= _DIFF_EXACT:
        matcher = difflib.SequenceMatcher(a=a_mid, b=b_mid, autojunk=False)
        return [
            (start + a0, start + a1, start + b0, start + b1)
            for op, a0, a1, b0, b1 in matcher.get_opcodes()
            if op != "equal"
        ]
    return [(start + a0, start + a1, start + b0, start + b1) for a0, a1, b0, b1 in _resync_diff(a_mid, b_mid)]


def _resync_diff(a: str, b: str) -> list[tuple[int, int, int, int]]:
    out = []
    i = j = 0
    w, k = _RESYNC_WINDOW, _RESYNC_MATCH
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        step = None
        for total in range(1, 2 * w + 1):
            for di in range(max(0, total - w), min(total, w) + 1):
                dj = total - di
                left, right = a[i + di : i + di + k], b[j + dj : j + dj + k]
                if left == right and (left or (i + di >= len(a) and j + dj >= len(b))):
                    step = (di, dj)
                    break
            if step:
                break
        if step is None:
            break
        out.append((i, i + step[0], j, j + step[1]))
        i, j = i + step[0], j + step[1]
    if i < len(a) or j < len(b):
        out.append((i, len(a), j, len(b)))
    return out


def unicode_is_fullwidth_alnum(text: str) -> bool:
    """Return True when ``text`` is made of full-width letters and digits (Ａ-Ｚ, ０-９)."""
    return all("\uff10" <= c <= "\uff5a" for c in text)


def unmatched_pairs(text: str) -> list[Finding]:
    """Return a finding for each “ 《 （ 【 (or closing mark) without its partner on the line."""
    found = []
    for opening, closing in _PAIRS:
        stack: list[int] = []
        for index, char in enumerate(text):
            if char == opening:
                stack.append(index)
            elif char == closing:
                if stack:
                    stack.pop()
                else:
                    found.append(Finding("pair.unmatched", index, closing, None))
        found.extend(Finding("pair.unmatched", i, opening, None) for i in stack)
    return found


def fix_text(text: str) -> str:
    """Return ``text`` with the safe fixes applied to every line."""
    return "\n".join(fix_line(line)[0] for line in text.split("\n"))


def describe(finding: Finding) -> str:
    """Return the Chinese description of ``finding``."""
    return RULES[finding.code].format(old=finding.old, new=finding.new or "")
