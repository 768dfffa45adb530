"""Three costs of every WeasyPrint PDF that change nothing printed, made smaller (issue 14).

Input: WeasyPrint, imported (:mod:`.weasyprint_loader`). Output: none; :func:`install` adjusts, once
per process, how WeasyPrint's PDF library compresses and how its cffi object parses C types;
:func:`skip_unused_margin_boxes` gives one document a lighter copy of the default stylesheet.

- **Compression.** pydyf compresses every content and font stream at zlib level 9; level 6 (zlib's
  default, what most PDF producers use) takes about half the time (the sample: 0.07 → 0.04 s per
  build) for files 0.4 % larger. The streams hold the same drawing operators; only their Flate
  encoding differs, which every PDF reader decodes alike.
- **C array types.** WeasyPrint allocates HarfBuzz arrays as ``ffi.new(f"hb_codepoint_t[{n}]", …)``
  when it subsets fonts. cffi parses each new type text with pycparser (about 2.5 ms), so every
  new length — a dozen per build of the sample — costs one more parse. :func:`install` gives such
  calls the open array type (``hb_codepoint_t[]``, parsed once) with the same length and content.

- **Margin boxes.** WeasyPrint's user-agent stylesheet (``weasyprint/css/html5_ua.css``) gives all
  16 page-margin boxes (``@top-left`` … ``@bottom-right-corner``) a ``text-align`` and
  ``vertical-align``. A margin box with any rule gets a computed style of its own on every page
  (each page has its own page type), about 30 properties computed lazily for each of 16 boxes × 28
  pages of the sample, only to find ``content: normal``: the box is not generated. A margin box that
  no author or user stylesheet names has no content, so those two defaults can never show;
  :func:`skip_unused_margin_boxes` drops them for one document, and WeasyPrint then takes the page's
  shared anonymous style for those boxes (margin-box time of the sample 50 → 35 ms, 28 pages;
  measured by wrapping ``layout.make_margin_boxes`` in a warm process, 9 runs, minimum).

All three are checked before they apply; on a WeasyPrint or pydyf that does not look as expected,
nothing is changed.
"""

from __future__ import annotations

import copy
import re
import threading
import zlib
from collections.abc import Callable, Iterable
from typing import Any

ZLIB_LEVEL = 6
"""The Flate compression level of the PDF streams (pydyf's own is 9)."""

_SIZED_ARRAY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*\[\s*(\d+)\s*\]\s*")
"""A one-dimensional array type of a named element type with a fixed length: ``T[12]``."""

_lock = threading.Lock()
_installed: list[str] | None = None


class _Zlib:
    """The ``zlib`` module as pydyf sees it: compression objects at :data:`ZLIB_LEVEL`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(ZLIB_LEVEL, *args, **kwargs)


def install() -> list[str]:
    """Apply both changes once (thread-safe); return which are active (``zlib``, ``cffi``)."""
    global _installed
    with _lock:
        if _installed is None:
            import pydyf  # type: ignore[import-untyped]  # no stubs (WeasyPrint's PDF library)
            from weasyprint.text.ffi import ffi

            _installed = []
            if getattr(pydyf, "zlib", None) is zlib:
                pydyf.zlib = _Zlib()
                _installed.append("zlib")
            if callable(getattr(ffi, "new", None)) and "new" not in vars(ffi):
                ffi.new = sized_arrays_as_open(ffi.new)
                _installed.append("cffi")
        return list(_installed)


def sized_arrays_as_open(new: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``ffi.new`` that allocates ``T[n]`` as ``T[]`` of length ``n`` (one parse per ``T``)."""

    plans: dict[Any, tuple[str, int] | None] = {}  # type text -> (open array type, length) or None

    def fast_new(cdecl: Any, init: Any = None) -> Any:
        try:
            plan = plans[cdecl]
        except KeyError:
            match = _SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
            plan = plans[cdecl] = (f"{match.group(1)}[]", int(match.group(2))) if match else None
        if plan is None:
            return new(cdecl, init)
        array = new(plan[0], plan[1])  # zero-filled, as T[n] is
        if init is not None:
            if len(init) > plan[1]:
                raise IndexError(f"too many initializers for '{cdecl}' ({len(init)} items)")
            array[0 : len(init)] = init
        return array

    return fast_new


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


__all__ = ["MARGIN_BOXES", "ZLIB_LEVEL", "install", "sized_arrays_as_open", "skip_unused_margin_boxes"]
