"""Chinese numerals and the printed forms of 期号, 总期号 and dates.

Input: integers and dates. Output: strings such as 第二十八期, 总第646期, 2018年12月20日.
"""

from __future__ import annotations

import datetime as dt

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(n: int) -> str:
    """Return ``n`` (1..9999) in Chinese numerals: 11 -> 十一, 101 -> 一百零一, 110 -> 一百一十."""
    if not 0 < n < 10000:
        raise ValueError(f"chinese_number supports 1..9999, got {n}")
    out: list[str] = []
    rest = n
    pending_zero = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(_DIGITS[digit] + unit)
        elif out:
            pending_zero = True
    if rest:
        if pending_zero:
            out.append("零")
        out.append(_DIGITS[rest])
    text = "".join(out)
    # 10..19 are read 十, 十一 … (FORMAT.md §4: "10–19 as 十X")
    return text[1:] if text.startswith("一十") else text


def issue_number(issue_no: int, special: str | None = None) -> str:
    """Return the printed 期号: 28 -> 第二十八期; a 增刊 reads 增刊第一期."""
    core = f"第{chinese_number(issue_no)}期"
    return f"{special}{core}" if special else core


def total_number(total_no: int) -> str:
    """Return the printed 总期号: 646 -> 总第646期 (Arabic, as in the samples)."""
    return f"总第{total_no}期"


def issue_line(issue_no: int, total_no: int | None, special: str | None = None) -> str:
    """Return the 期号 line: 第二十八期（总第646期）."""
    head = issue_number(issue_no, special)
    return f"{head}（{total_number(total_no)}）" if total_no else head


def chinese_date(day: dt.date) -> str:
    """Return ``day`` as 2018年12月20日 (Arabic digits, no zero padding, GB/T 9704 §7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


_VALUES = {c: i for i, c in enumerate(_DIGITS)}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}


def parse_chinese_number(text: str) -> int | None:
    """Return the value of Chinese numerals such as 二十八 (28), 十一 (11); None if ``text`` is not one."""
    if not text or any(c not in _VALUES and c not in _UNIT_VALUES for c in text):
        return None
    total = 0
    digit = 0
    for char in text:
        if char in _UNIT_VALUES:
            total += (digit or 1) * _UNIT_VALUES[char]
            digit = 0
        else:
            digit = _VALUES[char]
    return total + digit
