"""The visual theme: every number and font name that the Word and PDF writers share.

Input: a theme name from the series layout. Output: a frozen :class:`Theme`.
Facts come from GB/T 9704-2012 and ``shared/reference/FORMAT.md``; each writer translates
these numbers into its own units (twips for Word, CSS pt/mm for WeasyPrint), nothing is copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .units import HAO


@dataclass(frozen=True)
class FontRole:
    """A typeface role.

    ``office`` is the font an office PC has (written to Word's ``w:eastAsia`` and first in CSS);
    ``aliases`` are other names of the same office font; ``free`` are the free substitutes that
    ``scripts/setup.sh`` installs, best first, as fontconfig family names; Noto CJK SC is last in
    every chain because it also covers GBK rarities like 璟 that the Fandol fonts lack.
    ``weight`` is the CSS weight to ask of the free substitutes (700 gives Noto Serif CJK Bold
    standing in for the heavy 小标宋).
    """

    office: str
    aliases: tuple[str, ...]
    free: tuple[str, ...]
    weight: int = 400
    windows: str | None = None
    """The font stock Windows has, which Word uses when ``office`` is not installed (the Word file's
    font table names it as ``w:altName``); None when the office font ships with Windows."""

    @property
    def stack(self) -> tuple[str, ...]:
        """Return every family name, office font first."""
        return (self.office, *self.aliases, *self.free)


LATIN = FontRole("Times New Roman", (), ("Liberation Serif", "TeX Gyre Termes"))

FONTS: dict[str, FontRole] = {
    # 方正小标宋简体: titles and the 刊名 (GB/T 9704 §7.2.4, §7.3.1)
    "xiaobiaosong": FontRole(
        "方正小标宋简体",
        ("FZXiaoBiaoSong-B05S", "方正小标宋_GBK"),
        ("Noto Serif CJK SC", "FandolSong"),
        weight=700,
        windows="宋体",
    ),
    # 仿宋_GB2312: body text (§7.3.3)
    "fangsong": FontRole(
        "仿宋_GB2312",
        ("FangSong_GB2312", "仿宋", "FangSong"),
        ("FandolFang", "Noto Serif CJK SC"),
        windows="仿宋",
    ),
    # 楷体_GB2312: 编者按, （一） headings, bylines
    "kaiti": FontRole(
        "楷体_GB2312",
        ("KaiTi_GB2312", "楷体", "KaiTi"),
        ("FandolKai", "AR PL KaitiM GB", "Noto Serif CJK SC"),
        windows="楷体",
    ),
    # 黑体: 一、 headings, marks, labels
    "heiti": FontRole("黑体", ("SimHei",), ("FandolHei", "Noto Sans CJK SC")),
    # 宋体: page numbers (§7.5)
    "songti": FontRole("宋体", ("SimSun",), ("FandolSong", "Noto Serif CJK SC")),
}


@dataclass(frozen=True)
class Block:
    """How one paragraph element sits on the page, in both writers.

    The Word template generator (``tools/make_docx_template.py``) writes these as paragraph style
    properties, the stylesheet (``templates/bulletin.css.j2``) as one rule per ``.s-<key>`` class.
    Indents are in 字 (characters of the element's own size, with the grid's letter spacing where
    the element is set on the 28-character grid). ``line`` is "grid" (the exact theme line pitch),
    "single" (the font's own height, for pictures) or a factor of the font size for an exact height.
    """

    align: str = "justify"
    """"left", "center", "right" or "justify" (Word ``both``)."""
    first_line: float = 0
    left: float = 0
    right: float = 0
    line: str | float = "grid"
    keep_next: bool = False
    """Kept on the page of the next paragraph (Word ``keepNext``, CSS ``break-after: avoid``)."""
    keep_previous: bool = False
    """Never alone at the top of a page (CSS ``break-before: avoid``); Word has no such property, the
    Word writer joins such a line to the paragraph before it (printed.source_joins_last_paragraph)."""
    outline: int | None = None
    """Outline level (0 = 1级): Word's navigation pane and the PDF bookmarks (title 1, 一、 2)."""
    right_tab: bool = False
    """A right tab stop at the 版心 edge (Word), a right float in the PDF (编号, date)."""
    boxed: bool = False
    """A thin rule around and a light shade behind (adjacent boxed paragraphs share one box)."""


@dataclass(frozen=True)
class TextStyle:
    """One element's font role, size and paragraph layout; ``name`` is its Word style name (stable
    API for importers); ``block`` is None for character styles (runs inside a paragraph)."""

    name: str
    font: str
    size_pt: float
    bold: bool = False
    color: str | None = None
    block: Block | None = None


@dataclass(frozen=True)
class Theme:
    """All the layout numbers of one theme."""

    name: str = "default"
    # Page (GB/T 9704 §5.2.1): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 37
    margin_bottom_mm: float = 35
    margin_left_mm: float = 28
    margin_right_mm: float = 26
    # Grid (§5.2.3): 22 lines × 28 characters at 三号. 28.95 pt fits 22 lines into 225 mm.
    line_pitch_pt: float = 28.95
    chars_per_line: int = 28
    # no paragraph leaves fewer lines than this alone at a page foot or top (Word's widow control)
    widow_lines: int = 2
    # Word needs run spacing −0.25 pt to set 28 characters per line (FORMAT.md §1). Word's character
    # grid (docGrid linesAndChars, charSpace −849) would do it in Word, but LibreOffice 7.4 gives every
    # 16 pt character two 15.79 pt cells there: 14 characters a line (docs/docx-template.md).
    docx_char_spacing_pt: float = -0.25
    # Colours (§5.2.4: red is Y80 M80; office templates use pure red)
    red: str = "#FF0000"
    black: str = "#000000"
    # 报头
    masthead_name_max_pt: float = 60
    masthead_name_min_pt: float = HAO["初号"]
    masthead_rule_pt: float = 2.0
    # gap between the unit/date line box and the 报头线, whole points (Word's border w:space unit)
    masthead_rule_gap_pt: int = 6
    # 版记 rules (§7.4.1): outer 0.35 mm, inner 0.25 mm
    imprint_outer_rule_mm: float = 0.35
    imprint_inner_rule_mm: float = 0.25
    # gap above the issue's own 编者按, in line pitches (both writers)
    issue_note_gap_lines: float = 0.5
    # Pictures: the 版心 height less these line pitches is a picture's largest height (caption and gaps
    # stay on its page); captions are set at this multiple of their size (both writers read these)
    picture_reserve_lines: float = 3
    # pictures and tables: the gap above and below, in line pitches; a caption's gap above its text
    picture_gap_lines: float = 0.25
    caption_gap_pt: float = 2
    # table rules and the cells' padding (top/bottom, left/right)
    table_rule_pt: float = 0.5
    table_cell_padding_pt: tuple[float, float] = (1, 4)
    # Page number (§7.5): 一字线 each side, 7 mm under the 版心, 1 字 in from the outer edge
    page_number_below_mm: float = 7
    page_number_inset_chars: float = 1
    # Word's header distance from the page top (no header is printed)
    header_distance_mm: float = 15
    # 版记 (§7.4.1): text 1 字 in from both ends of its rules
    imprint_inset_chars: float = 1
    # 【看点】 boxes: a 0.5 pt rule around a light grey shade
    box_rule_eighths: int = 4
    box_shade: str = "#F2F2F2"
    box_padding_pt: int = 4  # whole points: Word's border w:space unit
    styles: dict[str, TextStyle] = field(default_factory=lambda: dict(_DEFAULT_STYLES))

    @property
    def text_width_mm(self) -> float:
        """Return the 版心 width (156 mm by default)."""
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        """Return the 版心 height (225 mm by default)."""
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def caption_line_factor(self) -> float:
        """Return the caption's line height as a multiple of its size (its style's ``block.line``)."""
        block = self.styles["caption"].block
        assert block is not None and isinstance(block.line, float | int)
        return float(block.line)

    def font(self, role: str) -> FontRole:
        """Return the font role named ``role``."""
        return FONTS[role]


_S = HAO["三号"]
_CENTER = Block(align="center")
_CENTER_KEEP = Block(align="center", keep_next=True)
_BODY = Block(first_line=2)
_HEADING = Block(first_line=2, keep_next=True)
_DEFAULT_STYLES: dict[str, TextStyle] = {
    # key: element id used by both writers (CSS class s-<key>); name: Word style name
    "mark": TextStyle("密级标志", "heiti", _S, block=Block(align="left", right_tab=True)),
    "copy_no": TextStyle("编号", "fangsong", _S),
    "masthead_name": TextStyle(
        "刊名", "xiaobiaosong", 60, color="red", block=Block(align="center", line=1.25)
    ),
    "marker": TextStyle("刊物标记", "kaiti", _S, block=_CENTER),
    "issue_line": TextStyle("期号", "fangsong", _S, block=_CENTER),
    "publisher_line": TextStyle("编印单位", "fangsong", _S, block=Block(align="left", right_tab=True)),
    "toc_label": TextStyle("目录标题", "heiti", _S, block=Block(align="left")),
    "toc": TextStyle("目录", "kaiti", _S, block=Block(align="left", left=2)),
    "issue_note": TextStyle("本期按语", "kaiti", _S, block=_BODY),
    "column": TextStyle("专栏", "heiti", _S, block=_CENTER_KEEP),
    "kicker": TextStyle("引题", "kaiti", _S, block=_CENTER_KEEP),
    "title": TextStyle(
        "文章标题", "xiaobiaosong", HAO["二号"], block=Block(align="center", keep_next=True, outline=0)
    ),
    "subtitle": TextStyle("副题", "kaiti", _S, block=_CENTER_KEEP),
    "byline": TextStyle("署名", "kaiti", _S, block=_CENTER_KEEP),
    "editor_note": TextStyle("编者按", "kaiti", _S, block=_BODY),
    "editor_note_label": TextStyle("编者按标签", "heiti", _S),
    "heading1": TextStyle("一级标题", "heiti", _S, block=Block(first_line=2, keep_next=True, outline=1)),
    "heading2": TextStyle("二级标题", "kaiti", _S, block=Block(first_line=2, keep_next=True, outline=2)),
    "heading3": TextStyle("三级标题", "fangsong", _S, block=Block(first_line=2, keep_next=True, outline=3)),
    "heading4": TextStyle("四级标题", "fangsong", _S, block=_HEADING),
    "body": TextStyle("简报正文", "fangsong", _S, block=_BODY),  # not 正文: Chinese Word shows Normal as 正文
    "label": TextStyle("小标签", "heiti", _S),
    "source": TextStyle("来源", "fangsong", _S, block=Block(align="right", keep_previous=True)),
    "image": TextStyle("图片", "fangsong", _S, block=Block(align="center", line="single", keep_next=True)),
    "caption": TextStyle("图注", "kaiti", HAO["四号"], block=Block(align="center", line=1.5)),
    "table": TextStyle(
        "表格", "fangsong", HAO["四号"], block=Block(align="center", line=1.5)
    ),  # cells centred
    # news features (docs/issue-format.md): > quotes, --> signature lines, ::: 【看点】 boxes
    "quote": TextStyle("引文", "kaiti", _S, block=Block(first_line=2, left=2, right=2)),
    "signature": TextStyle("落款", "fangsong", _S, block=Block(align="right", keep_previous=True)),
    "box_label": TextStyle("看点标签", "heiti", _S, block=Block(align="left", keep_next=True, boxed=True)),
    "box": TextStyle("看点正文", "fangsong", _S, block=Block(first_line=2, boxed=True)),
    "imprint": TextStyle("版记", "fangsong", HAO["四号"], block=Block(align="left", right_tab=True)),
    "page_number": TextStyle("页码", "songti", HAO["四号"], block=Block(align="right", line=1.2)),
}

THEMES: dict[str, Theme] = {"default": Theme()}


def get_theme(name: str) -> Theme:
    """Return the theme called ``name``; raise KeyError if there is none."""
    return THEMES[name]
