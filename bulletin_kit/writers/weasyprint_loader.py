"""Import WeasyPrint without its slow library search (a quarter of a second of every cold PDF build).

Input: nothing. Output: the ``weasyprint`` module, imported once per process.

Why. WeasyPrint 70 opens Pango, GObject, HarfBuzz and fontconfig through cffi, trying several
names per library (``libgobject-2.0-0``, ``gobject-2.0-0``, … ``libgobject-2.0.so.0``). For each
name that is not a loadable file, cffi calls :func:`ctypes.util.find_library`, which on Linux
runs ``ldconfig``/``gcc``/``ld`` in subprocesses, about 20 times, only to find nothing: the
``.so.0`` names further down the list load directly. On Linux, :func:`load` imports WeasyPrint
with that search answering "not found" at once; if the libraries then fail to load (an unusual
system where only the search finds them), it imports WeasyPrint again with the real search.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def load() -> ModuleType:
    """Return the imported ``weasyprint`` module (importing it quickly the first time)."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    with _lock:
        if "weasyprint" in sys.modules:
            return sys.modules["weasyprint"]
        if not sys.platform.startswith("linux"):
            import weasyprint

            return weasyprint
        import ctypes.util

        search = ctypes.util.find_library
        ctypes.util.find_library = _not_found
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # its "could not import" notice
                import weasyprint
        except OSError:
            for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
                del sys.modules[name]
            ctypes.util.find_library = search
            import weasyprint
        finally:
            ctypes.util.find_library = search
        return sys.modules["weasyprint"]


def _not_found(name: str) -> None:
    """Stand-in for :func:`ctypes.util.find_library` while WeasyPrint loads: skip the search."""
    return None


__all__ = ["load"]
