"""Lengths with names: Chinese font sizes (字号) and millimetres, in points.

Input: nothing. Output: constants and converters used by the theme and both writers.
"""

from __future__ import annotations

PT_PER_MM = 72 / 25.4

# 字号 -> pt (FORMAT.md §1)
HAO: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
}


def mm(value: float) -> float:
    """Return ``value`` millimetres in points."""
    return value * PT_PER_MM


def pt_to_mm(value: float) -> float:
    """Return ``value`` points in millimetres."""
    return value / PT_PER_MM


def twips(points: float) -> int:
    """Return ``points`` in twentieths of a point (Word's unit), rounded."""
    return round(points * 20)
