"""The printed forms of model fields, shared by the Word and the PDF writer.

Input: parts of the document model and the theme. Output: the strings as they appear on paper
(（领导参阅）, 第二十八期（总第646期）, ——副题, （来源）, 图注　摄影者　摄, 报：甲，乙, 共印N份) and the
title lines as broken for the 版心, so that the two writers print the same bulletin.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import numerals
from ..model import Article, Distribution, Image, ImageGroup, Masthead, Paragraph
from ..theme import Theme
from ..typography.width import text_em
from ..units import mm


def title_text(masthead: Masthead) -> str:
    """Return the document title: 刊名 第X期 (PDF metadata)."""
    return f"{masthead.name} {numerals.issue_number(masthead.issue_no, masthead.special)}"


def marker_text(masthead: Masthead) -> str | None:
    """Return the line under the 刊名: （领导参阅）, or None."""
    return f"（{masthead.marker}）" if masthead.marker else None


def issue_line_text(masthead: Masthead) -> str:
    """Return the 期号 line: 第二十八期（总第646期）."""
    return numerals.issue_line(masthead.issue_no, masthead.total_no, masthead.special)


def subtitle_text(article: Article) -> str | None:
    """Return the 副题 with its leading —— (added when the text lacks it)."""
    if not article.subtitle:
        return None
    return article.subtitle if article.subtitle.startswith("——") else f"——{article.subtitle}"


def source_text(article: Article) -> str | None:
    """Return the source line: （派驻纪检监察组）."""
    return f"（{article.source}）" if article.source else None


def source_joins_last_paragraph(article: Article) -> bool:
    """Return whether the article's （来源） line is kept with its last body paragraph by widow control.

    The Word file puts the source line at the end of that paragraph (after a line break, on a right
    tab stop), so Word's and LibreOffice's widow control (2 lines) never leave it alone at the top of a
    page; the PDF gives that paragraph ``widows: 1`` and the source ``break-before: avoid``, which
    allows exactly the same page breaks. Other last blocks (pictures, tables, quotes) keep the source
    line as a paragraph of its own.
    """
    return bool(article.source and article.blocks) and _plain_paragraph(article.blocks[-1])


def _plain_paragraph(block: object) -> bool:
    return isinstance(block, Paragraph) and block.role is None


def caption_text(image: Image | ImageGroup) -> str:
    """Return the caption printed under an image (or a row's shared one): 图注　摄影者　摄, 图注　某局
    供图, 图注　图片由某局提供 (no final 。, GB/T 15834 Annex A)."""
    parts = [image.caption.rstrip("。")] if image.caption else []
    if image.credit:
        parts.append(f"{image.credit}\u3000{image.credit_verb}" if image.credit_verb else image.credit)
    return "\u3000".join(parts)


# --- picture sizes: the same millimetres in Word and in the PDF --------------------------------

PORTRAIT_MAX_HEIGHT = 0.5
"""An upright picture is at most this share of the 版心 height (about 112 mm), so it never fills a page."""
GROUP_GAP_MM = 5.0
"""The gap between pictures that stand side by side (about one 字)."""
CSS_DPI = 96
"""Pixels per inch of a picture without a set width: the CSS pixel, as WeasyPrint lays it out."""


def picture_pixels(path: Path) -> tuple[int, int]:
    """Return the (width, height) of the picture at ``path`` as shown (EXIF orientation applied)."""
    from PIL import Image as PILImage

    with PILImage.open(path) as picture:
        width, height = picture.size
        if picture.getexif().get(0x0112) in (5, 6, 7, 8):  # rotated a quarter turn
            width, height = height, width
    return max(width, 1), max(height, 1)


def _max_height_mm(theme: Theme, portrait: bool) -> float:
    """Room for a picture on a page, leaving ``theme.picture_reserve_lines`` line pitches (a two-line
    caption and one line of text)."""
    room = theme.text_height_mm - theme.picture_reserve_lines * theme.line_pitch_pt * 25.4 / 72
    return min(room, PORTRAIT_MAX_HEIGHT * theme.text_height_mm) if portrait else room


def picture_size_mm(image: Image, theme: Theme) -> tuple[float, float]:
    """Return (width, height) in mm of a picture on its own: its asked width (a share of the 版心, or
    mm), else its natural width at 96 dpi; at most the 版心 wide and, upright, half the 版心 high."""
    px_w, px_h = picture_pixels(image.path)
    if image.width:
        width = image.width * theme.text_width_mm
    elif image.width_mm:
        width = image.width_mm
    else:
        width = px_w * 25.4 / CSS_DPI
    width = min(width, theme.text_width_mm)
    height = width * px_h / px_w
    max_height = _max_height_mm(theme, px_h > px_w)
    if height > max_height:
        width, height = width * max_height / height, max_height
    return round(width, 2), round(height, 2)


def group_sizes_mm(group: ImageGroup, theme: Theme) -> list[tuple[float, float]]:
    """Return (width, height) in mm of each picture of a row: all the same height, filling the 版心
    width between gaps (or the widths asked for, when every picture has one)."""
    pixels = [picture_pixels(i.path) for i in group.images]
    room = theme.text_width_mm - GROUP_GAP_MM * (len(pixels) - 1)
    if all(i.width for i in group.images):
        widths = [min(i.width or 0, 1.0) * theme.text_width_mm for i in group.images]
        scale = min(1.0, room / sum(widths))
        sizes = [(w * scale, w * scale * h / w_px) for w, (w_px, h) in zip(widths, pixels, strict=True)]
    else:
        height = room / sum(w / h for w, h in pixels)
        sizes = [(height * w / h, height) for w, h in pixels]
    portrait = any(h > w for w, h in pixels)
    tallest = max(h for _, h in sizes)
    max_height = _max_height_mm(theme, portrait)
    scale = min(1.0, max_height / tallest)
    return [(round(w * scale, 2), round(h * scale, 2)) for w, h in sizes]


def distribution_names(recipients: tuple[str, ...]) -> str:
    """Return the recipients of one 报/送/发 line, separated by full-width commas."""
    return "，".join(recipients)


def signature_text(distribution: Distribution) -> str:
    """Return the 编辑/审核/签发 part of the 版记 (names already padded by the transforms)."""
    parts = [
        f"{label}：{name}"
        for label, name in (
            ("编辑", distribution.editor),
            ("审核", distribution.reviewer),
            ("签发", distribution.approver),
        )
        if name
    ]
    return "\u3000\u3000".join(parts)


def copies_text(distribution: Distribution) -> str | None:
    """Return 共印N份, or None."""
    return f"共印{distribution.copies}份" if distribution.copies else None


def editor_note_paragraphs(text: str | None) -> list[str]:
    """Return an 编者按 split into paragraphs at blank lines; lines inside one join without a space."""
    if not text:
        return []
    return [re.sub(r"\s*\n\s*", "", part).strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def title_lines(article: Article, theme: Theme) -> list[str]:
    """Return the title lines as printed: a line too wide for the 版心 is split at its U+3000.

    A title such as ``交警五大队依托“一二三”工作法　优化营商环境显成效`` becomes two centred lines
    at the full-width space nearest its middle (a balanced 梯形 title, GB/T 9704 §7.3.1);
    a line without one wraps where it must.
    """
    size = theme.styles["title"].size_pt
    width = mm(theme.text_width_mm)
    lines: list[str] = []
    for line in article.title:
        if text_em(line) * size <= width or "\u3000" not in line:
            lines.append(line)
            continue
        cuts = [i for i, c in enumerate(line) if c == "\u3000"]
        middle = len(line) / 2
        cut = min(cuts, key=lambda i: abs(i - middle))
        lines.extend(part for part in (line[:cut], line[cut + 1 :]) if part)
    return lines


def bookmark_label(article: Article) -> str:
    """Return the article's outline entry: its title lines joined by a full-width space."""
    return "\u3000".join(article.title)
