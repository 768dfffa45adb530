"""Writer: document model + theme -> the HTML (and CSS) that WeasyPrint lays out as the PDF.

Input: an :class:`~bulletin_kit.model.Issue` that went through :mod:`bulletin_kit.transforms`, a
:class:`~bulletin_kit.theme.Theme`, and the fonts resolved on this machine. Output: an HTML string
rendered from ``templates/bulletin.html.j2`` with Jinja2 autoescaping on (article text is data: any
``<script>`` or ``{{ }}`` in it prints literally), whose ``<style>`` comes from
``templates/bulletin.css.j2`` filled with the theme's numbers.

The printed strings that are not in the model as such (（领导参阅）, 第二十八期（总第646期）, the
副题's ——, the caption's 摄 …) are made here once, by the ``*_text`` helpers, and
:func:`styled_texts` lists them per style so that :mod:`bulletin_kit.fonts` checks exactly what is
printed.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe

from .. import numerals
from ..model import Article, Box, Heading, Image, ImageGroup, Issue, Masthead, Paragraph, Span, Table, plain
from ..theme import FONTS, Theme
from ..typography.chars import WORD_JOINER
from ..typography.line_breaking import NO_LINE_START, break_rules
from ..typography.width import text_em
from ..units import mm
from . import autospace, sandbox, template_cache
from .printed import (
    GROUP_GAP_MM,
    bookmark_label,
    caption_text,
    copies_text,
    distribution_names,
    editor_note_paragraphs,
    group_sizes_mm,
    issue_line_text,
    marker_text,
    picture_size_mm,
    signature_text,
    source_joins_last_paragraph,
    source_text,
    subtitle_text,
    title_lines,
    title_text,
)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
HTML_TEMPLATE = "bulletin.html.j2"
CSS_TEMPLATE = "bulletin.css.j2"
LATIN_FAMILY = "bulletin-kit latin"
"""The ``@font-face`` alias that sets digits and Latin letters in the Latin role's font (pdf.py)."""


# --- printed strings: see printed.py ---------------------------------------------------------


# --- TOC ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    """One article's lines in the 本期要目; ``target`` is the article's id, or None if not linked."""

    lines: tuple[str, ...]
    target: str | None


def article_id(index: int) -> str:
    """Return the HTML id of the article at ``index`` (0-based)."""
    return f"article-{index + 1}"


def toc_entries(issue: Issue) -> list[TocEntry]:
    """Return the 本期要目: per article when it matches the articles' own lines, else line by line."""
    per_article = tuple(line for a in issue.articles for line in a.toc)
    if issue.toc == per_article:
        return [TocEntry(a.toc, article_id(i)) for i, a in enumerate(issue.articles) if a.toc]
    return [TocEntry((line,), None) for line in issue.toc]


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CssStyle:
    """One theme style in CSS terms."""

    key: str
    family: str
    """A CSS ``font-family`` value."""
    size_pt: float
    weight: int
    color: str
    letter_spacing_pt: float
    block: tuple[tuple[str, str], ...] = ()
    """The paragraph layout of the style (theme ``TextStyle.block``) as CSS declarations."""


_CSS_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "justify"}


def css_block(theme: Theme, key: str, letter_spacing_pt: float) -> tuple[tuple[str, str], ...]:
    """Return the CSS declarations of element ``key``'s paragraph layout (theme ``TextStyle.block``).

    A 字 is the style's size plus its letter spacing, so that a 2-字 indent is two cells of the
    28-character grid, as Word's ``firstLineChars`` is two characters of its grid.
    """
    style = theme.styles[key]
    block = style.block
    if block is None:
        return ()
    char = style.size_pt + letter_spacing_pt
    out = [("text-align", _CSS_ALIGN[block.align])]
    if block.first_line:
        out.append(("text-indent", f"{block.first_line * char:.2f}pt"))
    if block.left or block.right:
        out.append(("padding-left", f"{block.left * char:.2f}pt"))
        out.append(("padding-right", f"{block.right * char:.2f}pt"))
    if block.line == "grid":
        out.append(("line-height", f"{theme.line_pitch_pt}pt"))
    elif block.line != "single":
        out.append(("line-height", f"{float(block.line):g}"))
    if block.keep_next:
        out.append(("break-after", "avoid"))
    if block.keep_previous:
        out.append(("break-before", "avoid"))
    return tuple(out)


def css_string(value: str) -> str:
    """Return ``value`` as a double-quoted CSS string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def font_family(role: str, *, latin: bool = True) -> str:
    """Return the CSS font stack of ``role``: Latin alias, office font, substitutes (Noto last)."""
    names = [LATIN_FAMILY] if latin else []
    names += FONTS[role].stack
    return ", ".join(css_string(n) for n in names)


def grid_letter_spacing(theme: Theme, size_pt: float) -> float:
    """Return the letter spacing (pt, rounded down to 0.01) that sets ``chars_per_line`` CJK chars per line.

    156 mm = 442.2 pt holds only 27 characters of 16 pt; −0.21 pt each makes it 28 (FORMAT.md §1).
    """
    width = mm(theme.text_width_mm)
    spacing = (width - theme.chars_per_line * size_pt) / theme.chars_per_line
    return math.floor(spacing * 100) / 100


def css_styles(theme: Theme, weights: dict[str, int] | None = None) -> list[CssStyle]:
    """Return every theme style in CSS terms; ``weights`` maps font roles to the weight to ask for."""
    grid_size = theme.styles["body"].size_pt
    grid_spacing = grid_letter_spacing(theme, grid_size)
    out = []
    for key, style in theme.styles.items():
        role = FONTS[style.font]
        weight = (weights or {}).get(style.font, role.weight)
        if style.bold:
            weight = 700
        color = {"red": theme.red, None: theme.black}.get(style.color, style.color or theme.black)
        spacing = grid_spacing if style.size_pt == grid_size else 0.0
        out.append(
            CssStyle(
                key=key,
                family=font_family(style.font, latin=key != "page_number"),
                size_pt=style.size_pt,
                weight=weight,
                color=color,
                letter_spacing_pt=spacing,
                block=css_block(theme, key, spacing),
            )
        )
    return out


def masthead_name_size(masthead: Masthead, theme: Theme) -> float:
    """Return the 刊名 size: as large as fits the 版心 width, between the theme's min and max.

    A name too long for the minimum at full width is set smaller still, so that it never
    overflows the 156 mm.
    """
    width = mm(theme.text_width_mm)
    fit = width / max(text_em(masthead.name), 1.0)
    size = min(theme.masthead_name_max_pt, fit)
    if size < theme.masthead_name_min_pt:
        return math.floor(fit * 10) / 10
    return math.floor(size * 10) / 10


def publisher_line_size(masthead: Masthead, theme: Theme) -> float:
    """Return the size of the 编印单位 + date line: its style's size, or smaller so both fit on one line."""
    size = theme.styles["publisher_line"].size_pt
    date = numerals.chinese_date(masthead.date)
    em = text_em(masthead.publisher) + text_em(date) + 1  # 1 字 gap
    em += autospace.gap_ems(masthead.publisher) + autospace.gap_ems(date)
    fit = mm(theme.text_width_mm) / em
    return size if fit >= size else math.floor(fit * 10) / 10


# --- rendering --------------------------------------------------------------------------------


_LONG_RUN = re.compile(r"[!-~]{40,}")
"""Printable ASCII with no space: a web address or a long number that no line may be able to hold."""
LONG_RUN_PIECE = 20


def _breakable_long_runs(text: str) -> str:
    """Return ``text`` with a ZERO WIDTH SPACE every LONG_RUN_PIECE characters of each long run of
    ASCII, so that a run wider than the line breaks instead of being clipped at the margin."""

    def cut(m: re.Match[str]) -> str:
        run = m.group(0)
        return "\u200b".join(run[i : i + LONG_RUN_PIECE] for i in range(0, len(run), LONG_RUN_PIECE))

    return _LONG_RUN.sub(cut, text)


def text_run(text: str) -> markupsafe.Markup:
    """Return ``text`` escaped, with its Chinese line-break controls, as one ``<span class="r">``.

    Every run of text sits in such a span (CSS ``line-height: 1``) so that a line mixing the
    Latin and the Chinese font, whose ascent and descent differ, still takes exactly one line
    pitch: only the paragraph's strut sets the height of the line.
    """
    text = _breakable_long_runs(text)
    spaced = autospace.spaced(break_rules(text))  # the ¼-字 gap Word draws (issue #10)
    return markupsafe.Markup('<span class="r">{}</span>').format(spaced)


TAIL_CHARS = 2
"""The last line of a paragraph holds at least this many characters besides punctuation (no 孤字)."""


def keep_tail(text: str, chars: int = TAIL_CHARS) -> str:
    """Return ``text`` with WORD JOINERs binding its last ``chars`` characters (and the punctuation
    after them) together, so that a paragraph never ends with one character alone on its line."""
    counted, index = 0, len(text)
    while index > 0 and counted < chars:
        index -= 1
        char = text[index]
        if char.isspace():
            break
        if char.isalnum():
            counted += 1
    if counted < chars or index == 0:
        return text
    tail = text[index:]
    glued = WORD_JOINER.join(tail)
    return text[:index] + glued


def tail_run(text: str) -> markupsafe.Markup:
    """:func:`text_run` for the last run of a paragraph: its last characters stay together."""
    return text_run(keep_tail(text))


def balanced_toc_lines(line: str, theme: Theme) -> list[str]:
    """Return a 要目 line as printed: one line, or, when too long for the 版心 after its indent, two
    lines of about equal length split at the full-width space (or punctuation) nearest the middle."""
    room = theme.chars_per_line - 2  # the 2-字 indent of .toc-item
    if text_em(line) <= room:
        return [line]
    middle = len(line) / 2
    cuts = [i for i, c in enumerate(line) if c == "\u3000"]
    if cuts:
        cut = min(cuts, key=lambda i: abs(i - middle))
        return [line[:cut], line[cut + 1 :]]
    after = [i + 1 for i, c in enumerate(line[:-1]) if c in "，、；：" and line[i + 1] not in NO_LINE_START]
    cut = min(after, key=lambda i: abs(i - middle)) if after else round(middle)
    if text_em(line[:cut]) > room or text_em(line[cut:]) > room:
        cut = round(middle)
    return [line[:cut], line[cut:]]


@functools.cache
def environment() -> jinja2.Environment:
    """Return the Jinja2 environment (autoescape on for HTML, off for the CSS template only).

    Its compiled templates are kept between runs (:mod:`.template_cache`).
    """
    env = sandbox.html_environment(
        jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), disabled_extensions=("css.j2",), default=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["t"] = text_run
    env.filters["tail"] = tail_run
    env.filters["css_string"] = css_string
    template_cache.install(env)  # after the filters: their names are part of the cache key
    return env


def _page_number_line(theme: Theme) -> float:
    """Return the page number's line height as a factor of its size (the Word footer's, too)."""
    block = theme.styles["page_number"].block
    return float(block.line) if block is not None and block.line not in ("grid", "single") else 1.0


def render_css(issue: Issue, theme: Theme, weights: dict[str, int] | None = None) -> str:
    """Return the stylesheet of ``issue``: the theme's numbers, fonts and the issue's fitted sizes."""
    context = {
        "theme": theme,
        "styles": css_styles(theme, weights),
        "line_pitch": theme.line_pitch_pt,
        "picture_gap": theme.line_pitch_pt * theme.picture_gap_lines,
        "page_number_line": _page_number_line(theme),
        "text_width_mm": theme.text_width_mm,
        "text_height_mm": theme.text_height_mm,
        # a picture leaves room on its page for a caption of up to two lines and one line of text
        "image_max_height_pt": round(
            mm(theme.text_height_mm) - theme.picture_reserve_lines * theme.line_pitch_pt, 2
        ),
        "name_size": masthead_name_size(issue.masthead, theme),
        "publisher_size": publisher_line_size(issue.masthead, theme),
        "page_numbers": issue.layout.page_numbers,
        "toc_page_numbers": issue.layout.toc_page_numbers,
    }
    return environment().get_template(CSS_TEMPLATE).render(context)


def render(issue: Issue, theme: Theme, weights: dict[str, int] | None = None) -> str:
    """Return the whole HTML document of ``issue``, its stylesheet inlined.

    ``weights`` maps font roles to the CSS weight to ask for (see
    :attr:`bulletin_kit.fonts.RoleFonts.css_weight`); by default each role's own weight.
    Text carries the invisible line-break controls of
    :func:`~bulletin_kit.typography.line_breaking.break_rules`.
    """
    context = {
        "issue": issue,
        "masthead": issue.masthead,
        "title": title_text(issue.masthead),
        "marker": marker_text(issue.masthead),
        "issue_line": issue_line_text(issue.masthead),
        "date": numerals.chinese_date(issue.masthead.date),
        "toc": toc_entries(issue),
        "toc_parts": functools.partial(balanced_toc_lines, theme=theme),
        "issue_note": editor_note_paragraphs(issue.editor_note),
        "articles": [_article_context(i, a, theme) for i, a in enumerate(issue.articles)],
        "distribution": issue.distribution,
        "signature": signature_text(issue.distribution),
        "copies": copies_text(issue.distribution),
        "names": distribution_names,
        "css": render_css(issue, theme, weights),
    }
    return environment().get_template(HTML_TEMPLATE).render(context)


def _article_context(index: int, article: Article, theme: Theme) -> dict[str, object]:
    return {
        "id": article_id(index),
        "index": index,
        "article": article,
        "title_lines": title_lines(article, theme),
        "bookmark": bookmark_label(article),
        "subtitle": subtitle_text(article),
        "source": source_text(article),
        "source_joins": source_joins_last_paragraph(article),
        "editor_note": editor_note_paragraphs(article.editor_note),
        "blocks": [_block_context(b, theme) for b in article.blocks],
    }


def _block_context(
    block: Paragraph | Heading | Image | Table | ImageGroup | Box, theme: Theme
) -> dict[str, object]:
    if isinstance(block, Image):
        width, height = picture_size_mm(block, theme)
        return {
            "kind": "image",
            "block": block,
            "src": block.path.as_uri(),
            "caption": caption_text(block),
            "width_mm": width,
            "height_mm": height,
        }
    if isinstance(block, ImageGroup):
        sizes = group_sizes_mm(block, theme)
        items = [
            {"src": i.path.as_uri(), "caption": caption_text(i), "width_mm": w, "height_mm": h}
            for i, (w, h) in zip(block.images, sizes, strict=True)
        ]
        return {
            "kind": "image_group",
            "block": block,
            "pictures": items,
            "caption": caption_text(block),
            "gap_mm": GROUP_GAP_MM,
        }
    if isinstance(block, Heading):
        return {"kind": "heading", "block": block, "bookmark": plain(block.spans)}
    return {"kind": block.kind, "block": block}


# --- what is printed in which style (for the font check) -------------------------------------


def styled_texts(issue: Issue, theme: Theme) -> Iterator[tuple[str, str]]:
    """Yield ``(style key, text)`` for every string the PDF prints, in the style it prints it in."""
    m = issue.masthead
    for mark in m.marks:
        yield "mark", mark
    if m.copy_no:
        yield "copy_no", m.copy_no
    yield "masthead_name", m.name
    if m.marker:
        yield "marker", marker_text(m) or ""
    yield "issue_line", issue_line_text(m)
    yield "publisher_line", m.publisher + numerals.chinese_date(m.date)
    if issue.toc:
        yield "toc_label", "本期要目"
        for line in issue.toc:
            yield "toc", line + "0123456789"
    if issue.editor_note:
        yield "editor_note_label", "编者按："
    for para in editor_note_paragraphs(issue.editor_note):
        yield "issue_note", para
    for article in issue.articles:
        yield from _article_texts(article)
    d = issue.distribution
    for entry in d.lines:
        yield "imprint", f"{entry.label}：{distribution_names(entry.recipients)}"
    yield "imprint", signature_text(d) + (copies_text(d) or "")
    yield "page_number", "— 0123456789 —"


def _article_texts(article: Article) -> Iterator[tuple[str, str]]:
    for key, value in (
        ("column", article.column),
        ("kicker", article.kicker),
        ("subtitle", subtitle_text(article)),
        ("byline", article.byline),
        ("source", source_text(article)),
    ):
        if value:
            yield key, value
    for line in article.title:
        yield "title", line
    if article.editor_note:
        yield "editor_note_label", "编者按："
        yield "editor_note", article.editor_note
    for block in article.blocks:
        if isinstance(block, Box):
            if block.label:
                yield "box_label", f"【{block.label}】"
            for para in block.paragraphs:
                if para.label:
                    yield "label", f"【{para.label}】"
                yield from _spans(para.role or "box", para.spans)
        elif isinstance(block, ImageGroup):
            for image in block.images:
                yield "caption", caption_text(image)
            yield "caption", caption_text(block)
        elif isinstance(block, Paragraph):
            if block.label:
                yield "label", f"【{block.label}】"
            yield from _spans(block.role or "body", block.spans)
        elif isinstance(block, Heading):
            yield from _spans(f"heading{block.level}", block.spans)
            yield from _spans("body", block.run_in)
        elif isinstance(block, Image):
            yield "caption", caption_text(block)
        elif isinstance(block, Table):
            for row in block.rows:
                yield "table", "".join(row)


def _spans(key: str, spans: tuple[Span, ...]) -> Iterator[tuple[str, str]]:
    text = plain(spans)
    if text:
        yield key, text
