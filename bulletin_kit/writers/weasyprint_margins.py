"""WeasyPrint's default stylesheet, for one document, without the margin boxes it never uses (#14).

Input: a ``weasyprint.HTML`` document, its own HTML and CSS as text, and its stylesheets. Output:
:func:`skip_unused_margin_boxes` makes that document use a lighter copy of the user-agent
stylesheets; the shared default stylesheet is untouched.

WeasyPrint's user-agent stylesheet (``weasyprint/css/html5_ua.css``) gives all
16 page-margin boxes (``@top-left`` … ``@bottom-right-corner``) a ``text-align`` and
``vertical-align``. A margin box with any rule gets a computed style of its own on every page
(each page has its own page type), about 30 properties computed lazily for each of 16 boxes × 28
pages of the sample, only to find ``content: normal``: the box is not generated. A margin box that
no author or user stylesheet names has no content, so those two defaults can never show;
:func:`skip_unused_margin_boxes` drops them for one document, and WeasyPrint then takes the page's
shared anonymous style for those boxes (margin-box time of the sample 50 → 35 ms, 28 pages;
measured by wrapping ``layout.make_margin_boxes`` in a warm process, 9 runs, minimum).

Checked before it applies: on a WeasyPrint whose stylesheet objects do not look as expected,
nothing is changed.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Iterable
from typing import Any

_lock = threading.Lock()


MARGIN_BOXES = frozenset(
    f"@{side}-{place}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for place in places
)
"""The 16 page-margin boxes of CSS Paged Media, as WeasyPrint names their rules' pseudo types."""

_MARGIN_BOX_NAME = re.compile(
    r"@(?:top|bottom)-(?:left|center|right)(?:-corner)?|@(?:left|right)-(?:top|middle|bottom)", re.IGNORECASE
)
"""A margin box's at-keyword anywhere in a text (a superset of the boxes its CSS styles)."""


def skip_unused_margin_boxes(document: Any, author_css: str, stylesheets: Iterable[Any]) -> bool:
    """Let ``document`` (a ``weasyprint.HTML``) use the user-agent stylesheets without unused margin boxes.

    A margin box counts as used when its at-keyword occurs in ``author_css`` (the document's own
    HTML and CSS, searched as text) or in a rule of one of ``stylesheets`` (``weasyprint.CSS``
    objects, with their imports). Returns whether the document was changed (False, and nothing
    changed, on a WeasyPrint whose stylesheet objects do not look as expected).
    """
    used = {name.lower() for name in _MARGIN_BOX_NAME.findall(author_css)}
    for sheet in stylesheets:
        pseudo_types = _page_rule_pseudo_types(sheet)
        if pseudo_types is None:
            return False
        used |= pseudo_types
    original = getattr(document, "_ua_stylesheets", None)
    if not callable(original):
        return False

    def ua_stylesheets(*args: Any, **kwargs: Any) -> Any:
        sheets = original(*args, **kwargs)
        if not isinstance(sheets, list):
            return sheets
        return [_without_margin_boxes(sheet, MARGIN_BOXES - used) for sheet in sheets]

    document._ua_stylesheets = ua_stylesheets
    return True


def _page_rule_pseudo_types(sheet: Any) -> set[str] | None:
    """Return the pseudo types (``@top-center``, ``@footnote``…) of the @page rules of ``sheet``."""
    rules = getattr(sheet, "page_rules", None)
    if not isinstance(rules, list):
        return None
    found: set[str] = set()
    for rule in rules:
        if not (isinstance(rule, tuple) and len(rule) == 3 and isinstance(rule[1], list)):
            return None
        for selector in rule[1]:
            if not (isinstance(selector, tuple) and len(selector) == 3):
                return None
            if isinstance(selector[1], str):
                found.add(selector[1])
    return found


_trimmed: dict[tuple[int, frozenset[str]], tuple[Any, Any]] = {}
"""(id of a user-agent sheet, margin boxes dropped) -> (that sheet, its copy without them)."""


def _without_margin_boxes(sheet: Any, unused: frozenset[str]) -> Any:
    """Return a copy of ``sheet`` without the @page rules of the ``unused`` margin boxes (or ``sheet``)."""
    key = (id(sheet), unused)
    with _lock:
        cached = _trimmed.get(key)
        if cached is not None and cached[0] is sheet:
            return cached[1]
        if _page_rule_pseudo_types(sheet) is None:
            return sheet
        kept = [rule for rule in sheet.page_rules if not any(s[1] in unused for s in rule[1])]
        trimmed = copy.copy(sheet)
        trimmed.page_rules = kept
        _trimmed[key] = (sheet, trimmed)
        return trimmed


__all__ = ["MARGIN_BOXES", "skip_unused_margin_boxes"]
