"""Two costs of every WeasyPrint PDF that change nothing printed, made smaller (issue 14).

Input: WeasyPrint, imported (:mod:`.weasyprint_loader`). Output: none; :func:`install` adjusts, once
per process, how WeasyPrint's PDF library compresses and how its cffi object parses C types.

- **Compression.** pydyf compresses every content and font stream at zlib level 9; level 6 (zlib's
  default, what most PDF producers use) takes about half the time (the sample: 0.07 → 0.04 s per
  build) for files 0.4 % larger. The streams hold the same drawing operators; only their Flate
  encoding differs, which every PDF reader decodes alike.
- **C array types.** WeasyPrint allocates HarfBuzz arrays as ``ffi.new(f"hb_codepoint_t[{n}]", …)``
  when it subsets fonts. cffi parses each new type text with pycparser (about 2.5 ms), so every
  new length — a dozen per build of the sample — costs one more parse. :func:`install` gives such
  calls the open array type (``hb_codepoint_t[]``, parsed once) with the same length and content.

Both are checked when installed; on a WeasyPrint or pydyf that does not look as expected, nothing
is changed.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable
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
            # (a compiled FFI, weasyprint_loader's, parses types in C and takes no attributes)
            if callable(getattr(ffi, "new", None)) and "new" not in getattr(ffi, "__dict__", {"new": 0}):
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


__all__ = ["ZLIB_LEVEL", "install", "sized_arrays_as_open"]
