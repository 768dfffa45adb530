"""What ``bulletin fonts`` and ``bulletin doctor`` print: each role's font here, Word's fallback, gaps.

Input: resolved roles, missing characters, whether HarfBuzz can subset.
Output: :class:`FontReport` and its lines (:func:`report` builds one for an issue).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Issue
from ..theme import Theme
from .coverage import missing_with
from .roles import RoleFonts, resolve_all

ROLE_NAMES = {
    "xiaobiaosong": "小标宋",
    "fangsong": "仿宋",
    "kaiti": "楷体",
    "heiti": "黑体",
    "songti": "宋体",
    "latin": "西文",
}
"""The Chinese name of each font role, as the report prints it."""


@dataclass(frozen=True)
class FontReport:
    """What ``bulletin fonts FILE`` prints."""

    roles: dict[str, RoleFonts]
    """Font role name -> its faces, plus :data:`LATIN_ROLE`."""
    missing: dict[str, set[str]]
    """Font role name -> characters of the issue that no face of its stack (nor the Latin font) has."""
    harfbuzz_subset: bool

    @property
    def ok(self) -> bool:
        """Return whether every role has a font and every character is covered."""
        return all(r.used for r in self.roles.values()) and not any(self.missing.values())

    def lines(self) -> list[str]:
        """Return the report as lines of text for the terminal."""
        out: list[str] = []
        for name, fonts in self.roles.items():
            head = f"{ROLE_NAMES.get(name, name)}（{fonts.spec.office}）："
            if fonts.used is None:
                out.append(head + "没有安装该字体栈中的任何字体 [错误]")
                continue
            tag = "" if fonts.office_installed else "（替代字体）"
            out.append(head + fonts.used.describe() + tag)
            if fonts.spec.windows:  # the font table's w:altName (tools/make_docx_template.py)
                out.append(
                    f"    Word（Windows）：装有 {fonts.spec.office} 时用它，否则用 {fonts.spec.windows}"
                )
            else:
                out.append(f"    Word（Windows）：{fonts.spec.office}（Windows 自带）")
            for face in fonts.faces[1:]:
                out.append(f"    后备：{face.describe()}")
            chars = self.missing.get(name)
            if chars:
                listed = " ".join(f"{c} U+{ord(c):04X}" for c in sorted(chars))
                out.append(f"    缺字 {len(chars)} 个：{listed} [警告]")
        if not self.harfbuzz_subset:
            out.append(
                "未找到 HarfBuzz-Subset 库：WeasyPrint 将改用 fontTools 精简字体，生成 PDF 会慢很多"
                "（请安装 libharfbuzz-subset0）[警告]"
            )
        return out


def report(issue: Issue, theme: Theme) -> FontReport:
    """Return which font each role uses on this machine and what the issue needs that none has."""
    roles = resolve_all()
    return FontReport(roles, missing_with(issue, theme, roles), harfbuzz_subset_available())


def harfbuzz_subset_available() -> bool:
    """Return whether WeasyPrint can subset fonts with HarfBuzz (else it uses slow fontTools)."""
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except (ImportError, OSError):
        return False
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
