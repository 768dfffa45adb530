"""Small named WordprocessingML tweaks that python-docx has no API for.

Input: lxml elements of a python-docx document (``w:rPr``, ``w:pPr``, ``w:settings``, ``w:fonts`` ...).
Output: the same elements, changed in place. Every helper does one thing and inserts children in the
schema order (ECMA-376 Part 1, §17), because Word refuses files whose children are out of order.
Used by :mod:`bulletin_kit.writers.docx` and ``tools/make_docx_template.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree


def _words(text: str) -> tuple[str, ...]:
    """Return the space-separated names of a schema sequence."""
    return tuple(text.split())


# Child order of w:pPr (CT_PPrBase + CT_PPr) and w:rPr (CT_RPr), §17.3.1.26 and §17.3.2.28.
PPR_ORDER = _words(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
    "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN "
    "bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
RPR_ORDER = _words(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
# Child order of w:settings (CT_Settings, §17.15.1.78), as far as this project touches it.
SETTINGS_ORDER = _words(
    "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
    "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
    "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins "
    "alignBordersAndEdges bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop "
    "hideSpellingErrors hideGrammaticalErrors activeWritingStyle proofState formsDesign "
    "attachedTemplate linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting "
    "bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
    "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
    "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
    "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
    "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
    "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars "
    "rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary "
    "shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
)
# Child order of w:style (CT_Style, §17.7.4.17).
STYLE_ORDER = _words(
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
    "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
)
_BORDER_ORDER = _words("top left bottom right between bar")
# Child order of w:tblPr (CT_TblPr, §17.4.60) and w:trPr (CT_TrPr, §17.4.82).
TBLPR_ORDER = _words(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
)
TRPR_ORDER = _words(
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden"
)
_TABLE_BORDER_ORDER = _words("top left start bottom right end insideH insideV")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def child(parent: etree._Element, name: str, order: Sequence[str]) -> etree._Element:
    """Return the ``w:name`` child of ``parent``, inserting it at its schema position if absent."""
    found = parent.find(qn(f"w:{name}"))
    if found is not None:
        return found
    new = OxmlElement(f"w:{name}")
    later = set(order[order.index(name) + 1 :])
    for sibling in parent:
        if etree.QName(sibling).localname in later:
            sibling.addprevious(new)
            return new
    parent.append(new)
    return new


def sort_children(parent: etree._Element, order: Sequence[str]) -> None:
    """Reorder the children of ``parent`` into schema ``order`` (after appending out of order)."""
    for element in sorted(parent, key=lambda c: order.index(etree.QName(c).localname)):
        parent.append(element)


def remove_child(parent: etree._Element, name: str) -> None:
    """Remove every ``w:name`` child of ``parent``."""
    for found in parent.findall(qn(f"w:{name}")):
        parent.remove(found)


def set_fonts(rpr: etree._Element, latin: str, east_asia: str, *, hint: bool = True) -> None:
    """Name the Latin (ascii/hAnsi/cs) and East Asian fonts of ``rpr``, dropping any theme font.

    ``hint`` writes ``w:hint="eastAsia"`` so that characters both scripts share (“ ” ‘ ’ … — ·)
    are set in the East Asian font and stay full-width (FORMAT.md §5).
    """
    fonts = child(rpr, "rFonts", RPR_ORDER)
    for key in list(fonts.attrib):
        if etree.QName(key).localname.lower().endswith("theme"):
            del fonts.attrib[key]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    if hint:
        fonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr: etree._Element, points: float) -> None:
    """Set the font size of ``rpr`` (Latin and complex script) to ``points``."""
    half_points = str(round(points * 2))
    child(rpr, "sz", RPR_ORDER).set(qn("w:val"), half_points)
    child(rpr, "szCs", RPR_ORDER).set(qn("w:val"), half_points)


def set_lang(rpr: etree._Element, east_asia: str = "zh-CN", latin: str = "en-US") -> None:
    """Mark the text of ``rpr`` as ``east_asia`` (Chinese line breaking and proofing)."""
    lang = child(rpr, "lang", RPR_ORDER)
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asia)
    lang.set(qn("w:bidi"), "ar-SA")


def set_char_spacing(rpr: etree._Element, twentieths: int) -> None:
    """Set the extra space after each character of ``rpr`` (−5 = −0.25 pt sets 28 三号 chars a line)."""
    if twentieths:
        child(rpr, "spacing", RPR_ORDER).set(qn("w:val"), str(twentieths))
    else:
        remove_child(rpr, "spacing")


def set_color(rpr: etree._Element, hex_rgb: str) -> None:
    """Set the text colour of ``rpr`` from ``#RRGGBB``."""
    color = child(rpr, "color", RPR_ORDER)
    for key in list(color.attrib):
        if etree.QName(key).localname.startswith("theme"):
            del color.attrib[key]
    color.set(qn("w:val"), hex_rgb.lstrip("#").upper())


def set_flag(parent: etree._Element, name: str, order: Sequence[str], on: bool = True) -> None:
    """Write an on/off property such as ``w:b`` or ``w:keepNext``: present when on, ``w:val=0`` when off."""
    flag = child(parent, name, order)
    if on:
        flag.attrib.pop(qn("w:val"), None)
    else:
        flag.set(qn("w:val"), "0")


def set_kinsoku(ppr: etree._Element, on: bool = True) -> None:
    """Turn East Asian line-breaking rules (禁则, no ，。 at a line start) on for ``ppr``."""
    set_flag(ppr, "kinsoku", PPR_ORDER, on)


def set_border(
    ppr: etree._Element, side: str, eighths: int, color: str = "#000000", space_pt: int = 0
) -> None:
    """Draw a single rule on ``side`` (top/bottom/between) of the paragraph; width in ⅛ pt."""
    pbdr = child(ppr, "pBdr", PPR_ORDER)
    rule = child(pbdr, side, _BORDER_ORDER)
    rule.set(qn("w:val"), "single")
    rule.set(qn("w:sz"), str(eighths))
    rule.set(qn("w:space"), str(space_pt))
    rule.set(qn("w:color"), color.lstrip("#").upper())


def set_box(ppr: etree._Element, eighths: int, shade: str, color: str = "#000000", space_pt: int = 4) -> None:
    """Put a rule on all four sides of the paragraph, ``space_pt`` outside its text, and a shade behind
    it (a 【看点】 box); consecutive paragraphs with the same box are drawn as one box."""
    for side in ("top", "left", "bottom", "right"):
        set_border(ppr, side, eighths, color, space_pt=space_pt)
    shd = child(ppr, "shd", PPR_ORDER)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), shade.lstrip("#").upper())


def strip_theme_attributes(root: etree._Element) -> int:
    """Remove every ``w:*Theme``/``w:theme*`` attribute below ``root``; return how many went.

    Theme fonts (``w:eastAsiaTheme`` maps to a Japanese font in python-docx's default theme) win over
    explicit font names in Word, so none may remain.
    """
    removed = 0
    for element in root.iter():
        for key in list(element.attrib):
            qname = etree.QName(key)
            if qname.namespace == W_NS and "theme" in qname.localname.lower():
                del element.attrib[key]
                removed += 1
    return removed


def set_setting(settings: etree._Element, name: str, value: str | None = None) -> etree._Element:
    """Set ``w:name`` in ``w:settings`` (with ``w:val`` when given)."""
    element = child(settings, name, SETTINGS_ORDER)
    if value is not None:
        element.set(qn("w:val"), value)
    return element


def set_compress_punctuation(settings: etree._Element) -> None:
    """Compress adjacent full-width punctuation (Word's Chinese default; python-docx has doNotCompress)."""
    set_setting(settings, "characterSpacingControl", "compressPunctuation")


def set_do_not_expand_shift_return(settings: etree._Element) -> None:
    """Do not stretch a justified line that ends in a line break (Word and LibreOffice both read it)."""
    compat = child(settings, "compat", SETTINGS_ORDER)
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def set_even_and_odd_headers(settings: etree._Element, on: bool) -> None:
    """Use different footers on odd and even pages (page numbers outside, GB/T 9704 §7.5)."""
    if on:
        set_setting(settings, "evenAndOddHeaders")
    else:
        remove_child(settings, "evenAndOddHeaders")


def set_theme_font_lang(settings: etree._Element, east_asia: str = "zh-CN") -> None:
    """Make theme fonts resolve for ``east_asia`` instead of python-docx's ja-JP."""
    element = set_setting(settings, "themeFontLang", "en-US")
    element.set(qn("w:eastAsia"), east_asia)


def field_runs(instruction: str, placeholder: str, rpr: etree._Element | None) -> list[etree._Element]:
    """Return the runs of a complex field such as ``PAGE`` (begin, instruction, separate, result, end)."""
    runs: list[etree._Element] = []
    for kind, text in (
        ("begin", None),
        ("instr", f" {instruction} "),
        ("separate", None),
        ("result", placeholder),
        ("end", None),
    ):
        run = OxmlElement("w:r")
        if rpr is not None:
            run.append(_copy(rpr))
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run.append(instr)
        elif kind == "result":
            t = OxmlElement("w:t")
            t.text = text
            run.append(t)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
        runs.append(run)
    return runs


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def font_entry(
    name: str, alt_name: str | None, *, charset: str, family: str, pitch: str = "variable"
) -> etree._Element:
    """Return a ``w:font`` entry of the font table; ``alt_name`` names the free substitute."""
    font = OxmlElement("w:font")
    font.set(qn("w:name"), name)
    if alt_name:
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alt_name)
        font.append(alt)
    for tag, value in (("charset", charset), ("family", family), ("pitch", pitch)):
        element = OxmlElement(f"w:{tag}")
        element.set(qn("w:val"), value)
        font.append(element)
    return font


def set_table_borders(tbl: etree._Element, eighths: int, color: str = "#000000") -> None:
    """Make ``tbl`` as wide as the text area with single rules around and between all cells."""
    tblpr = tbl.find(qn("w:tblPr"))
    width = child(tblpr, "tblW", TBLPR_ORDER)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    rules = child(tblpr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = child(rules, side, _TABLE_BORDER_ORDER)
        rule.set(qn("w:val"), "single")
        rule.set(qn("w:sz"), str(eighths))
        rule.set(qn("w:space"), "0")
        rule.set(qn("w:color"), color.lstrip("#").upper())


def set_repeat_header(tr: etree._Element) -> None:
    """Repeat table row ``tr`` at the top of each page the table runs onto."""
    set_flag(tr.get_or_add_trPr(), "tblHeader", TRPR_ORDER)


def split_run(run: etree._Element, special: frozenset[str]) -> list[tuple[etree._Element, bool]]:
    """Split ``w:r`` ``run`` so that the characters in ``special`` have runs of their own.

    Return the runs that replace it, in order, each with whether it holds ``special`` characters; each
    new run carries a copy of the run's ``w:rPr``. A run whose text has none of them is returned as is.
    Tabs, breaks, drawings and field characters stay in ordinary runs.
    """
    texts = [t.text or "" for t in run.findall(qn("w:t"))]
    if not any(c in special for text in texts for c in text):
        return [(run, False)]
    rpr = run.find(qn("w:rPr"))
    pieces: list[tuple[bool, etree._Element]] = []
    for element in run:
        if element is rpr:
            continue
        if element.tag != qn("w:t"):
            pieces.append((False, element))
            continue
        text = element.text or ""
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or (text[i] in special) != (text[start] in special):
                t = OxmlElement("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = text[start:i]
                pieces.append((text[start] in special, t))
                start = i
    out: list[tuple[etree._Element, bool]] = []
    for flag, element in pieces:
        if not out or out[-1][1] != flag:
            new = OxmlElement("w:r")
            if rpr is not None:
                new.append(_copy(rpr))
            run.addprevious(new)
            out.append((new, flag))
        out[-1][0].append(element)
    run.getparent().remove(run)
    return out


TCPR_ORDER = _words(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
)
_CELL_MARGIN_ORDER = _words("top left start bottom right end")


def float_at_page_foot(tbl: etree._Element, width: int, inset: int) -> None:
    """Make ``tbl`` a floating table ``width`` twips wide at the foot of the text area of its page.

    ``tblpPr`` anchors it to the bottom margin (``vertAnchor="margin"``, ``tblpYSpec="bottom"``), which
    Word and LibreOffice (as a frame) both honour; cells keep ``inset`` twips left and right (GB/T 9704
    §7.4: the 版记 text sits 1 字 inside its rules). Word ignores ``tblpY`` when ``tblpYSpec`` is given;
    LibreOffice 7.4 puts the table one line above the foot unless ``tblpY`` is there and negative (and
    ``topFromText`` 0), so ``tblpY="-1"`` is written (measured, tests/writers/test_word_fidelity.py).
    """
    tblpr = tbl.find(qn("w:tblPr"))
    pos = child(tblpr, "tblpPr", TBLPR_ORDER)
    for key, value in (
        ("leftFromText", "0"),
        ("rightFromText", "0"),
        ("topFromText", "0"),
        ("bottomFromText", "0"),
        ("vertAnchor", "margin"),
        ("horzAnchor", "margin"),
        ("tblpXSpec", "center"),
        ("tblpYSpec", "bottom"),
        ("tblpY", "-1"),
    ):
        pos.set(qn(f"w:{key}"), value)
    child(tblpr, "tblOverlap", TBLPR_ORDER).set(qn("w:val"), "never")
    tblw = child(tblpr, "tblW", TBLPR_ORDER)
    tblw.set(qn("w:w"), str(width))
    tblw.set(qn("w:type"), "dxa")
    child(tblpr, "tblLayout", TBLPR_ORDER).set(qn("w:type"), "fixed")
    margins = child(tblpr, "tblCellMar", TBLPR_ORDER)
    for side, margin in (("top", 0), ("left", inset), ("bottom", 0), ("right", inset)):
        mar = child(margins, side, _CELL_MARGIN_ORDER)
        mar.set(qn("w:w"), str(margin))
        mar.set(qn("w:type"), "dxa")
    for col in tbl.iter(qn("w:gridCol")):
        col.set(qn("w:w"), str(width))
    for tc in tbl.iter(qn("w:tc")):
        tcw = child(tc.get_or_add_tcPr(), "tcW", TCPR_ORDER)
        tcw.set(qn("w:w"), str(width))
        tcw.set(qn("w:type"), "dxa")


def set_table_rules(tbl: etree._Element, rules: dict[str, int], color: str = "#000000") -> None:
    """Draw the table borders in ``rules`` (side -> width in ⅛ pt); every other side has none."""
    tblpr = tbl.find(qn("w:tblPr"))
    borders = child(tblpr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _rule(child(borders, side, _TABLE_BORDER_ORDER), rules.get(side, 0), color)


def set_cell_rule(tc: etree._Element, side: str, eighths: int, color: str = "#000000") -> None:
    """Draw a rule on ``side`` of table cell ``tc``."""
    borders = child(tc.get_or_add_tcPr(), "tcBorders", TCPR_ORDER)
    _rule(child(borders, side, _TABLE_BORDER_ORDER), eighths, color)


def _rule(element: etree._Element, eighths: int, color: str) -> None:
    element.set(qn("w:val"), "single" if eighths else "nil")
    if eighths:
        element.set(qn("w:sz"), str(eighths))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), color.lstrip("#").upper())
