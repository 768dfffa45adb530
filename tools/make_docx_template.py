"""Generate the Word template ``templates/bulletin.docx`` from the theme.

Input: :class:`bulletin_kit.theme.Theme` (sizes, fonts, colours, style names) and python-docx's blank
document. Output: a ``.docx`` with every named style, the page setup, the odd/even page-number footers,
Chinese typography settings and the docxtpl placeholders of the 报头 (see ``docs/docx-template.md``).

Run ``python tools/make_docx_template.py`` after changing the theme; the output is byte-for-byte the same
on every run (fixed timestamps), so git shows a change only when the template really changed.
Every layout number (alignment, indents, line heights, keep rules, outline levels, boxes) comes from the
theme: each element's ``TextStyle.block``, the same entries ``templates/bulletin.css.j2`` is rendered with.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow running as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

from bulletin_kit.fonts import ROLE_NAMES  # noqa: E402
from bulletin_kit.theme import FONTS, LATIN, Block, Theme, get_theme  # noqa: E402
from bulletin_kit.units import mm, twips  # noqa: E402
from bulletin_kit.writers import oxml  # noqa: E402

OUT = ROOT / "templates" / "bulletin.docx"
FIXED_TIME = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)

# Names of the docxtpl variables the writer fills (docs/docx-template.md lists them for series templates).
BODY_TAG = "{{ body }}"
IMPRINT_TAG = "{{ imprint }}"


RUN_IN_SUFFIX = " 字符"  # Word's own name for a paragraph style's linked character style
PUNCT_PREFIX = "全角标点"
"""Character styles 全角标点（仿宋） etc.: “ ” ‘ ’ … — · in the East Asian font in every slot, for the marks
LibreOffice would set in the Latin font (bulletin_kit/writers/docx/punctuation.py: SHARED_PUNCTUATION)."""
PUNCT_ID = "BkPunct"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def style_id(key: str) -> str:
    """Return the ASCII style id of element ``key`` (``title`` -> ``BkTitle``); names stay Chinese."""
    return "Bk" + "".join(part.capitalize() for part in key.split("_"))


def build(theme: Theme) -> DocxDocument:
    """Return the template document for ``theme``."""
    doc = Document()
    _drop_baggage(doc)
    _defaults(doc, theme)
    _styles(doc, theme)
    _page(doc, theme)
    _footers(doc, theme)
    _settings(doc)
    _font_table(doc)
    _theme_fonts(doc)
    _body(doc, theme)
    _properties(doc)
    for part in (doc.styles.element, doc.element, doc.settings.element):
        oxml.strip_theme_attributes(part)
    return doc


def _drop_baggage(doc: DocxDocument) -> None:
    """Remove python-docx's stylesWithEffects (full of theme fonts), customXml and thumbnail parts."""
    unwanted = {_STYLES_WITH_EFFECTS, RT.CUSTOM_XML, RT.THUMBNAIL}
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in unwanted]:
            rels.pop(rid)
    settings = doc.settings.element
    oxml.remove_child(settings, "savePreviewPicture")
    oxml.remove_child(settings, "attachedTemplate")
    # keep only the default styles Word needs; the built-in Heading 1..9 etc. carry theme fonts
    keep = {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) not in keep:
            root.remove(style)


def _defaults(doc: DocxDocument, theme: Theme) -> None:
    """Document defaults: Times New Roman + 仿宋_GB2312 三号, zh-CN, kinsoku, exact line pitch."""
    body = theme.styles["body"]
    root = doc.styles.element
    rpr = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    oxml.set_fonts(rpr, LATIN.office, FONTS[body.font].office)
    oxml.set_size(rpr, body.size_pt)
    oxml.set_lang(rpr)
    ppr = root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for element in list(ppr):
        ppr.remove(element)
    oxml.set_kinsoku(ppr)
    # No ，。、 hung past the margin in LibreOffice, as in the PDF: LibreOffice's DOCX import reads
    # w:overflowPunct inverted (on -> no hanging punctuation; writerfilter DomainMapper.cxx), Word
    # hangs with it on, as it does by default (issue #10: the one difference left, see docs).
    oxml.set_flag(ppr, "overflowPunct", oxml.PPR_ORDER)
    normal = doc.styles["Normal"]
    normal.paragraph_format.space_before = 0
    normal.paragraph_format.space_after = 0
    normal.paragraph_format.line_spacing = Pt(theme.line_pitch_pt)
    normal.paragraph_format.widow_control = True  # no line alone at a page top or foot, as the PDF
    normal.font.color.rgb = None
    oxml.set_fonts(normal.element.get_or_add_rPr(), LATIN.office, FONTS[body.font].office)


def _styles(doc: DocxDocument, theme: Theme) -> None:
    for key, text_style in theme.styles.items():
        kind = WD_STYLE_TYPE.CHARACTER if text_style.block is None else WD_STYLE_TYPE.PARAGRAPH
        style = doc.styles.add_style(text_style.name, kind)
        style.element.styleId = style_id(key)
        style.quick_style = True
        if text_style.block is not None:
            style.base_style = doc.styles["Normal"]
            _paragraph(style, text_style.block, text_style.size_pt, theme)
        _character(style.element.get_or_add_rPr(), key, theme)
    body_style = doc.styles[theme.styles["body"].name]
    for text_style in theme.styles.values():
        if text_style.block is not None:
            doc.styles[text_style.name].next_paragraph_style = body_style
    # a character style linked to 正文 for run-in text after a heading (一、…。body…)
    body = theme.styles["body"]
    run_in = doc.styles.add_style(body.name + RUN_IN_SUFFIX, WD_STYLE_TYPE.CHARACTER)
    run_in.element.styleId = style_id("body") + "Char"
    run_in.quick_style = False
    _character(run_in.element.get_or_add_rPr(), "body", theme)
    _link(doc.styles[body.name].element, run_in.element)
    for key, role in FONTS.items():
        punct = doc.styles.add_style(f"{PUNCT_PREFIX}（{ROLE_NAMES[key]}）", WD_STYLE_TYPE.CHARACTER)
        punct.element.styleId = PUNCT_ID + key.capitalize()
        punct.quick_style = False
        oxml.set_fonts(punct.element.get_or_add_rPr(), role.office, role.office)
    for style in doc.styles.element.findall(qn("w:style")):
        oxml.sort_children(style, oxml.STYLE_ORDER)


def _paragraph(style, para: Block, size_pt: float, theme: Theme) -> None:
    """Write the theme's paragraph layout ``para`` of one element into its Word paragraph style."""
    fmt = style.paragraph_format
    ppr = style.element.get_or_add_pPr()
    ppr.get_or_add_jc().set(qn("w:val"), _JC[para.align])
    if para.line == "grid":
        fmt.line_spacing = Pt(theme.line_pitch_pt)
    elif para.line == "single":
        fmt.line_spacing = 1.0
        oxml.set_flag(ppr, "snapToGrid", oxml.PPR_ORDER, on=False)
    else:
        fmt.line_spacing = Pt(round(size_pt * float(para.line), 2))
    if para.first_line or para.left or para.right:
        ind = ppr.get_or_add_ind()
        if para.right:
            ind.set(qn("w:right"), str(twips(size_pt * para.right)))
            ind.set(qn("w:rightChars"), str(round(para.right * 100)))
        if para.first_line:
            ind.set(qn("w:firstLine"), str(twips(size_pt * para.first_line)))
            ind.set(qn("w:firstLineChars"), str(round(para.first_line * 100)))
        if para.left:
            ind.set(qn("w:left"), str(twips(size_pt * para.left)))
            ind.set(qn("w:leftChars"), str(round(para.left * 100)))
    if para.keep_next:
        fmt.keep_with_next = True
    if para.outline is not None:
        oxml.child(ppr, "outlineLvl", oxml.PPR_ORDER).set(qn("w:val"), str(para.outline))
    if para.right_tab:
        fmt.tab_stops.add_tab_stop(Mm(theme.text_width_mm), alignment=2)  # WD_TAB_ALIGNMENT.RIGHT
    if para.boxed:
        oxml.set_box(ppr, theme.box_rule_eighths, theme.box_shade, space_pt=theme.box_padding_pt)


def _character(rpr, key: str, theme: Theme) -> None:
    """Fonts, size, colour and the −0.25 pt tracking of element ``key``."""
    text_style = theme.styles[key]
    oxml.set_fonts(rpr, _latin(key), FONTS[text_style.font].office)
    if text_style.bold:
        oxml.set_flag(rpr, "b", oxml.RPR_ORDER)
    if text_style.color:
        oxml.set_color(rpr, getattr(theme, text_style.color, text_style.color))
    if text_style.size_pt == theme.styles["body"].size_pt:
        oxml.set_char_spacing(rpr, twips(theme.docx_char_spacing_pt))
    oxml.set_size(rpr, text_style.size_pt)
    oxml.set_lang(rpr)


def _latin(key: str) -> str:
    """Return the Latin font of element ``key``: Times New Roman, but 宋体 digits for page numbers (§7.5)."""
    return FONTS["songti"].office if key == "page_number" else LATIN.office


def _link(paragraph_style, character_style) -> None:
    for source, target in ((paragraph_style, character_style), (character_style, paragraph_style)):
        link = oxml.OxmlElement("w:link")
        link.set(qn("w:val"), target.get(qn("w:styleId")))
        source.append(link)


def _page(doc: DocxDocument, theme: Theme) -> None:
    """A4, margins 37/35/28/26 mm (GB/T 9704 §5.2.1), footer placed for page numbers 7 mm under the 版心."""
    section = doc.sections[0]
    section.page_width = Mm(theme.page_width_mm)
    section.page_height = Mm(theme.page_height_mm)
    section.top_margin = Mm(theme.margin_top_mm)
    section.bottom_margin = Mm(theme.margin_bottom_mm)
    section.left_margin = Mm(theme.margin_left_mm)
    section.right_margin = Mm(theme.margin_right_mm)
    section.gutter = 0
    section.header_distance = Mm(theme.header_distance_mm)
    number = theme.styles["page_number"]
    assert number.block is not None
    line_mm = number.size_pt * float(number.block.line) / mm(1)
    section.footer_distance = Mm(theme.margin_bottom_mm - theme.page_number_below_mm - line_mm)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), str(twips(theme.line_pitch_pt)))


def _footers(doc: DocxDocument, theme: Theme) -> None:
    """``— 1 —`` in 宋体 四号: odd pages right, even pages left, 1 字 in from the outer edge (§7.5)."""
    section = doc.sections[0]
    style = doc.styles[theme.styles["page_number"].name]
    indent = Pt(theme.styles["page_number"].size_pt * theme.page_number_inset_chars)
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = style
        ppr = paragraph._p.get_or_add_pPr()
        ppr.get_or_add_jc().set(qn("w:val"), align)
        if align == "right":
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        for text in ("— ", None, " —"):  # the 页码 style carries 宋体 in every slot (§7.5)
            if text is None:
                for run in oxml.field_runs("PAGE", "1", None):
                    paragraph._p.append(run)
            else:
                paragraph.add_run(text)


def _settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    oxml.set_compress_punctuation(settings)
    oxml.set_even_and_odd_headers(settings, True)
    oxml.set_theme_font_lang(settings)
    compat = settings.find(qn("w:compat"))
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013+ layout, no "compatibility mode" banner


def _font_table(doc: DocxDocument) -> None:
    """List the office fonts, each with the font stock Windows has as ``w:altName``, which Word uses
    when the office font is missing (仿宋_GB2312 -> 仿宋, 楷体_GB2312 -> 楷体, 方正小标宋简体 -> 宋体).
    LibreOffice ignores ``w:altName``; it finds the substitutes through fontconfig (fonts/fontconfig.py)."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for font in list(root):
        root.remove(font)
    root.append(oxml.font_entry(LATIN.office, None, charset="00", family="roman"))
    for role in FONTS.values():
        family = "modern" if role is FONTS["heiti"] else "roman"
        root.append(oxml.font_entry(role.office, role.windows, charset="86", family=family))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme_fonts(doc: DocxDocument) -> None:
    """Point the theme's Latin and East Asian fonts at Times New Roman / 黑体 / 仿宋_GB2312."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for which, east_asia in (("major", FONTS["heiti"].office), ("minor", FONTS["fangsong"].office)):
        font = root.find(f".//a:fontScheme/a:{which}Font", ns)
        font.find("a:latin", ns).set("typeface", LATIN.office)
        font.find("a:ea", ns).set("typeface", east_asia)
        for script in font.findall("a:font", ns):
            if script.get("script") == "Hans":
                script.set("typeface", east_asia)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _body(doc: DocxDocument, theme: Theme) -> None:
    """The 报头 as docxtpl placeholders, then the places where the writer puts articles and 版记."""
    names = {key: s.name for key, s in theme.styles.items()}

    def para(key: str | None, *texts: str):
        paragraph = doc.add_paragraph(style=names[key] if key else None)
        for text in texts:
            if text:
                _run(paragraph, text, key or "body", theme)
        return paragraph

    para(None, "{%p for mark in marks %}")
    mark = para("mark", "{{ mark }}{% if loop.first and copy_no %}", "\t")
    copy_no = _run(mark, "{{ copy_no }}", "copy_no", theme)
    copy_no.style = doc.styles[names["copy_no"]]
    _run(mark, "{% endif %}", "mark", theme)
    para(None, "{%p endfor %}")
    para("masthead_name", "{{ name }}")
    para(None, "{%p if marker %}")
    para("marker", "（{{ marker }}）")
    para(None, "{%p endif %}")
    para("issue_line", "{{ issue_line }}")
    rule = para("publisher_line", "{{ publisher }}", "\t", "{{ date }}")
    del rule  # the red 报头线 is the style's bottom border
    para(None, "{%p if toc %}")
    para("toc_label", "本期要目")
    para(None, "{%p for line in toc %}")
    para("toc", "{{ line }}")
    para(None, "{%p endfor %}")
    para(None, "{%p endif %}")
    para("body", BODY_TAG)
    para("imprint", IMPRINT_TAG)
    _masthead_rule(doc, theme)


def _masthead_rule(doc: DocxDocument, theme: Theme) -> None:
    """The red 报头线 under the unit/date line: a bottom border of the 编印单位 style, as in the PDF."""
    style = doc.styles[theme.styles["publisher_line"].name]
    ppr = style.element.get_or_add_pPr()
    oxml.set_border(
        ppr, "bottom", round(theme.masthead_rule_pt * 8), theme.red, space_pt=theme.masthead_rule_gap_pt
    )


def _run(paragraph, text: str, key: str, theme: Theme):
    del key, theme  # the paragraph or character style carries the fonts (issue #10)
    return paragraph.add_run(text)


def _properties(doc: DocxDocument) -> None:
    props = doc.core_properties
    props.title = ""
    props.author = ""
    props.last_modified_by = "bulletin-kit"
    props.comments = "Generated by tools/make_docx_template.py; see docs/docx-template.md"
    props.revision = 1
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    app = next(r.target_part for r in doc.part.package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES)
    app._blob = (
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>bulletin-kit</Application><Company></Company></Properties>"
    )


def save(doc: DocxDocument, path: Path) -> None:
    """Write ``doc`` to ``path`` with fixed zip timestamps so the bytes only change with the content."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(item.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", default="default", help="theme name (default: default)")
    parser.add_argument("-o", "--output", type=Path, default=OUT, help=f"output file (default: {OUT})")
    args = parser.parse_args(argv)
    save(build(get_theme(args.theme)), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
