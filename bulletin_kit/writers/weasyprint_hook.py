"""What changes WeasyPrint's layout and drawing, behind one interface: ``with active(): ...``.

The other modules that reach into WeasyPrint's internals change only how fast it works, never what
it prints: :mod:`.weasyprint_loader` (importing it), :mod:`.weasyprint_speed` (compression, C types,
fonts) and :mod:`.weasyprint_margins` (unused margin boxes). Each checks the shape it expects and is
inert otherwise; ``scripts/test_weasyprint_range.sh`` runs the PDF tests on the oldest allowed release.

Input: WeasyPrint's laid-out line boxes and text boxes while a document is rendered and drawn
inside :func:`active`. Output: justified Chinese lines and visibly bold 仿宋/楷体. Outside the
block WeasyPrint is untouched. The rules themselves are pure and live in
:mod:`bulletin_kit.typography`; design note: docs/weasyprint-hook.md.

Two patches, both re-entrant and thread-safe, installed and removed together:

1. Inter-character justification. WeasyPrint implements ``text-align: justify`` by stretching
   U+0020/U+00A0 only (``layout/inline.py: justify_line``); a Chinese line has no spaces, so it
   stays ragged, up to one character short. :func:`justify_line` replaces that function: the
   space a line lacks is split by :func:`bulletin_kit.typography.justify.spread` (CSS Text 3
   ``text-justify: inter-character``, as clreq describes for Chinese). Each text box is moved
   right by the space added before it and widened by the space added inside it; the space per
   character is kept with the box's Pango layout and, when WeasyPrint re-creates that layout for
   drawing (``Layout.reactivate``), added to the advances of the glyphs of the first line (the
   only one WeasyPrint draws). No character is inserted, so the PDF text stays free of spaces.
   Lines without a CJK character or without an opportunity go to WeasyPrint's own function.

2. Fake bold. WeasyPrint asks fontconfig for weight 700 and gets the regular face of 仿宋/楷体
   (neither ships a bold face) plus an ``embolden`` flag only Cairo honours: the text looks
   regular. ``draw.text.draw_first_line`` is wrapped so that such text is drawn with PDF text
   rendering mode 2 (fill, then stroke) with a stroke of :data:`STROKE_EM` of the font size,
   about Word's synthetic bold.

The guard :func:`check` does not compare version numbers: it checks that every WeasyPrint
function and attribute the patches rely on exists with the parameters they expect
(:data:`EXPECTED_SIGNATURES`); the range in pyproject.toml is the set of releases the geometry
tests passed on (scripts/test_weasyprint_range.sh).
"""

from __future__ import annotations

import functools
import inspect
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..theme import FONTS
from ..typography.chars import IGNORABLE
from ..typography.justify import spread

STROKE_EM = 0.03
"""Fake-bold stroke width as a share of the font size (0.48 pt at 16 pt), about Word's synthetic bold."""
NO_BOLD_ROLES = ("fangsong", "kaiti")
"""Font roles whose fonts have no bold face."""
_NO_BOLD_FAMILIES = frozenset(FONTS[role].office for role in NO_BOLD_ROLES)
"""Each role's office font heads its CSS stack (after the Latin alias), so it names the role."""

EXPECTED_SIGNATURES: dict[str, list[str]] = {
    "layout.inline.justify_line": ["context", "line", "extra_width"],
    "text.line_break.Layout.reactivate": ["self", "style"],
    "text.line_break.Layout.get_first_line": ["self"],
    "draw.text.draw_first_line": ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"],
    "pdf.stream.Stream.set_color": ["self", "color", "stroke"],
    "pdf.stream.Stream.set_line_width": ["self", "width"],
    "pdf.stream.Stream.set_text_rendering": ["self", "mode"],
}
"""The WeasyPrint functions the patches replace or call, with their parameters."""


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint lacks a function or signature the patches rely on."""


def _targets() -> dict[str, Any]:
    from weasyprint.draw import text as draw_text
    from weasyprint.layout import inline
    from weasyprint.pdf.stream import Stream
    from weasyprint.text import line_break

    return {
        "layout.inline.justify_line": inline.justify_line,
        "text.line_break.Layout.reactivate": line_break.Layout.reactivate,
        "text.line_break.Layout.get_first_line": line_break.Layout.get_first_line,
        "draw.text.draw_first_line": draw_text.draw_first_line,
        "pdf.stream.Stream.set_color": Stream.set_color,
        "pdf.stream.Stream.set_line_width": Stream.set_line_width,
        "pdf.stream.Stream.set_text_rendering": Stream.set_text_rendering,
    }


def remove_font_folder(font_config: Any) -> None:
    """Remove the folder of font files a ``FontConfiguration`` made (``weasyprint-*`` in the temporary
    folder): WeasyPrint removes it only in ``__del__``, which never runs when a process ends with
    :func:`os._exit` (the console script, the PDF worker), so every build left 300 kB in /tmp.
    Does nothing unless the attribute has the expected shape; WeasyPrint's ``__del__`` still works."""
    folder = getattr(font_config, "_folder", None)
    if isinstance(folder, (str, os.PathLike)) and os.path.basename(folder).startswith("weasyprint-"):
        shutil.rmtree(folder, ignore_errors=True)


def check() -> None:
    """Raise :class:`UnsupportedWeasyPrint` unless WeasyPrint has what the patches rely on."""
    import weasyprint

    version = getattr(weasyprint, "__version__", "?")
    try:
        found = _targets()
        from weasyprint.formatting_structure import boxes
        from weasyprint.text import ffi

        for name in ("TextBox", "LineBox", "InlineBox"):
            getattr(boxes, name)
        for name in ("TO_UNITS", "ffi", "pango"):
            getattr(ffi, name)
        ffi.pango.pango_layout_set_single_paragraph_mode  # noqa: B018
    except (ImportError, AttributeError) as exc:
        raise UnsupportedWeasyPrint(
            f"WeasyPrint {version}: {exc} (bulletin_kit/writers/weasyprint_hook.py needs updating)"
        ) from exc
    for name, function in found.items():
        if getattr(function, "_bulletin_kit_patch", False):
            continue
        params = list(inspect.signature(function).parameters)
        if params != EXPECTED_SIGNATURES[name]:
            raise UnsupportedWeasyPrint(
                f"WeasyPrint {version}: weasyprint.{name} has parameters {params}, "
                f"expected {EXPECTED_SIGNATURES[name]} (bulletin_kit/writers/weasyprint_hook.py)"
            )


# --- life cycle ---------------------------------------------------------------------------------

_lock = threading.RLock()
_depth = 0
_originals: dict[str, Callable[..., Any]] = {}


@contextmanager
def active() -> Iterator[None]:
    """Patch WeasyPrint for the duration of the block (re-entrant, thread-safe).

    Both layout (``render``) and drawing (``write_pdf``) must happen inside the block. Raises
    :class:`UnsupportedWeasyPrint` (and patches nothing) if :func:`check` fails.
    """
    global _depth
    from weasyprint.draw import text as draw_text
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    with _lock:
        if _depth == 0:
            check()
            _originals.update(
                justify_line=inline.justify_line,
                reactivate=line_break.Layout.reactivate,
                draw_first_line=draw_text.draw_first_line,
            )
            inline.justify_line = justify_line
            line_break.Layout.reactivate = _reactivate
            draw_text.draw_first_line = _draw_first_line
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                inline.justify_line = _originals["justify_line"]
                line_break.Layout.reactivate = _originals["reactivate"]
                draw_text.draw_first_line = _originals["draw_first_line"]
                _originals.clear()


# --- 1. inter-character justification -----------------------------------------------------------


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread ``extra_width`` over the justification opportunities of ``line``.

    Drop-in replacement for ``weasyprint.layout.inline.justify_line``. Runs once per justified
    line, so it is kept lean (profiled: benchmarks/bench_build.py).
    """
    if line.style["direction"] != "rtl" and extra_width > 0:
        units: list[tuple[Any, str, int]] = []
        _collect(line, units, _box_types())
        extras = spread([char for _, char, _ in units], extra_width)
        if extras is not None:
            extra: dict[int, dict[int, float]] = {}
            for (box, _, index), add in zip(units, extras, strict=True):
                if add:
                    extra.setdefault(id(box), {})[index] = add
            _shift(line, extra, 0.0, _box_types())
            return
    _originals["justify_line"](context, line, extra_width)


_BoxTypes = tuple[Any, tuple[Any, ...]]
"""WeasyPrint's text box class and its container classes (untyped: their boxes stay ``Any``)."""


@functools.cache
def _box_types() -> _BoxTypes:
    """Return WeasyPrint's (TextBox, (LineBox, InlineBox)) classes, imported once."""
    from weasyprint.formatting_structure import boxes

    return boxes.TextBox, (boxes.LineBox, boxes.InlineBox)


def _collect(box: Any, units: list[tuple[Any, str, int]], types: _BoxTypes) -> None:
    """Append ``(box, char, index in box.text)`` for each visible character of ``box``, in order.

    An atomic inline box (an image or inline-block) counts as one object character, index -1.
    """
    text_box, containers = types
    if isinstance(box, text_box):
        units.extend((box, char, index) for index, char in enumerate(box.text) if char not in IGNORABLE)
    elif isinstance(box, containers):
        for child in box.children:
            if child.is_in_normal_flow():
                _collect(child, units, types)
    else:
        units.append((box, "\ufffc", -1))


def _shift(box: Any, extra: dict[int, dict[int, float]], x_advance: float, types: _BoxTypes) -> float:
    """Move ``box`` by ``x_advance``, widen it by its own extra space; return the new advance."""
    text_box, containers = types
    mine = extra.get(id(box), {})
    if isinstance(box, text_box):
        box.position_x += x_advance
        if mine:
            added = sum(mine.values())
            box.width += added
            box.pango_layout.bulletin_kit_spacing = _byte_offsets(box.text, mine)
            x_advance += added
    elif isinstance(box, containers):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, extra, x_advance, types)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
        x_advance += mine.get(-1, 0.0)
    return x_advance


def _byte_offsets(text: str, by_index: dict[int, float]) -> dict[int, float]:
    """Return ``by_index`` keyed by the UTF-8 offset just after each character instead."""
    result: dict[int, float] = {}
    offset = 0
    last = max(by_index)
    for index, char in enumerate(text):
        code = ord(char)
        offset += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        if index in by_index:
            result[offset] = by_index[index]
            if index == last:
                break
    return result


def _reactivate(self: Any, style: Any) -> None:
    """``Layout.reactivate`` (called just before drawing), then add the justification space."""
    _originals["reactivate"](self, style)
    spacing = getattr(self, "bulletin_kit_spacing", None)
    if spacing:
        spread_glyphs(self, spacing)


def spread_glyphs(layout: Any, spacing: dict[int, float]) -> None:
    """Add ``spacing[end]`` (CSS px) to the advance of the cluster ending at UTF-8 offset ``end``.

    Works on the first line of ``layout`` (the only one WeasyPrint draws); rounding to Pango
    units is carried from one glyph to the next, so the line's total is exact.
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    # draw_first_line() sets this too; setting it first keeps Pango from re-laying out the line
    # and discarding the widths changed here.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line, _ = layout.get_first_line()
    wanted = 0.0
    given = 0
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        if count <= 0:
            continue
        item = glyph_item.item
        offset = item.offset
        # The clusters read at once into Python (not glyph by glyph through cffi): each glyph's
        # cluster start, and where the next glyph's cluster (or the run) starts.
        starts = ffi.unpack(glyphs.log_clusters, count)
        ends = starts[1:]
        ends.append(item.length)
        infos = glyphs.glyphs
        last = count - 1
        for i, end in enumerate(ends):
            # Only the last glyph of a cluster takes the space (LTR runs: clusters ascend).
            if end == starts[i] and i < last:
                continue
            add = spacing.get(offset + end)
            if add is not None:
                wanted += add * TO_UNITS
                step = round(wanted) - given
                if step:
                    infos[i].geometry.width += step
                    given += step


# --- 2. fake bold -------------------------------------------------------------------------------


def needs_fake_bold(style: Any) -> bool:
    """Return True for bold text whose font stack is a role without a bold face."""
    return style["font_weight"] >= 600 and any(f in _NO_BOLD_FAMILIES for f in style["font_family"])


def _draw_first_line(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any) -> Any:
    original = _originals["draw_first_line"]
    if not needs_fake_bold(textbox.style):
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_color(textbox.style["color"], stroke=True)
    stream.set_line_width(textbox.style["font_size"] * STROKE_EM)
    stream.set_text_rendering(2)
    try:
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        stream.set_text_rendering(0)


for _function in (justify_line, _reactivate, _draw_first_line):
    _function._bulletin_kit_patch = True  # type: ignore[union-attr]  # marks our patches (see active())
