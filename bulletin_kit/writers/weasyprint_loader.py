"""Import WeasyPrint quickly: no library search, no fontTools, no C parser (a fifth of every cold PDF build).

Input: nothing. Output: the ``weasyprint`` module, imported once per process.

Why, 1: the library search. WeasyPrint 70 opens Pango, GObject, HarfBuzz and fontconfig through
cffi, trying several names per library (``libgobject-2.0-0``, ``gobject-2.0-0``, …
``libgobject-2.0.so.0``). For each name that is not a loadable file, cffi calls
:func:`ctypes.util.find_library`, which on Linux runs ``ldconfig``/``gcc``/``ld`` in subprocesses,
about 20 times, only to find nothing: the ``.so.0`` names further down the list load directly. On
Linux, :func:`load` imports WeasyPrint with that search answering "not found" at once; if the
libraries then fail to load (an unusual system where only the search finds them), it imports
WeasyPrint again with the real search.

Why, 2: fontTools. ``weasyprint/pdf/fonts.py`` and ``weasyprint/text/fonts.py`` import
``fontTools.subset``, ``fontTools.ttLib`` and ``fontTools.varLib.instancer`` at module level
(about 0.1 s of imports, measured with ``python -X importtime``: 95–120 ms cumulative), but call
them only for variable fonts, colour/bitmap fonts, WOFF web fonts, or when HarfBuzz's subsetter
is missing; a bulletin's fonts need none of that. While WeasyPrint is imported, :func:`load` puts
stand-ins for exactly the names WeasyPrint 68–70 takes from those modules into ``sys.modules``
(:data:`DEFERRED`) and removes them again right after. The first time WeasyPrint uses one of them
(calls ``TTFont``, reads ``subset.Options``, …), the real fontTools is imported and every
stand-in left in WeasyPrint's modules is replaced by the real object, so an ``except
TTLibError`` afterwards catches the real exception. If WeasyPrint asks for anything else from
fontTools, or fontTools is already imported, or anything goes wrong, WeasyPrint is imported the
ordinary way.

Why, 3: cffi's C parser. ``weasyprint/text/ffi.py`` declares Pango, HarfBuzz and fontconfig to
cffi with ``ffi.cdef(…)`` (16 kB of C declarations): importing pycparser and parsing them takes
35–45 ms of every cold build. cffi can compile such declarations once into plain data (its
"out-of-line ABI mode": ``_cffi_backend.FFI(name, _types=…, _globals=…, …)``, a few ms to
build). While WeasyPrint is imported, ``cffi.FFI()`` returns a :class:`_CompiledFFI` whose
``cdef`` looks the declarations up in a cache file (:mod:`bulletin_kit.user_cache`, folder ``cffi``)
(keyed by the SHA-256 of the declarations, the machine and the cffi and Python versions; written atomically
the first time, by parsing as WeasyPrint would) and builds the compiled ``FFI`` from it; the
cache file holds only literals (bytes, strings, ints, tuples) read with
:func:`ast.literal_eval`, never code. After the import every reference WeasyPrint's modules hold
to the stand-in is replaced by the compiled ``FFI`` itself, which loads the same libraries with
the same declarations. A missing, corrupt or unwritable cache, or a WeasyPrint that declares its
C functions any other way, means the ordinary parse.

Why, 4: the presentational-hints stylesheet. ``weasyprint/html.py`` parses three stylesheets when
it is imported; one of them, ``PH_STYLESHEET`` (``html5_ph.css``), is used only when a document is
rendered with ``presentational_hints=True``, which bulletin-kit never asks for, and parsing it
costs 11–15 ms of every cold build (measured: ``CSS(string=PH)`` in a fresh process, 5 runs).
While ``weasyprint.html`` executes, ``weasyprint.CSS`` answers that one call (``string`` is the
module's own ``PH`` text, ``HTML5_PH`` in WeasyPrint 68, no other argument) with a
:class:`_DeferredStylesheet`, which parses the same text with the real ``CSS`` the first time
anything reads from it; every other call, and the module afterwards, get the real ``CSS``. The
user-agent stylesheets (which every document needs) are parsed as before. A WeasyPrint whose
``html.py`` looks different is imported unchanged.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib
import io
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

_lock = threading.Lock()

DEFERRED: dict[str, dict[str, str]] = {
    "fontTools": {"subset": "module"},
    "fontTools.subset": {},
    "fontTools.ttLib": {
        "TTFont": "callable",
        "TTLibError": "exception",
        "ttFont": "module",
        "woff2": "module",
    },
    "fontTools.varLib.instancer": {"instantiateVariableFont": "callable"},
}
"""The fontTools modules WeasyPrint imports at load time, and the names it takes from each, by kind."""


def load() -> ModuleType:
    """Return the imported ``weasyprint`` module (importing it quickly the first time)."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    with _lock:
        if "weasyprint" in sys.modules:
            return sys.modules["weasyprint"]
        try:
            with _fonttools_deferred(), _cffi_compiled(), _presentational_hints_deferred():
                return _import()
        except Exception:  # an unexpected WeasyPrint: import everything the ordinary way
            _forget("weasyprint")
            _fonttools.forget()
            return _import()


def _import() -> ModuleType:
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
        _forget("weasyprint")
        ctypes.util.find_library = search
        import weasyprint
    finally:
        ctypes.util.find_library = search
    return sys.modules["weasyprint"]


def _forget(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def _not_found(name: str) -> None:
    """Stand-in for :func:`ctypes.util.find_library` while WeasyPrint loads: skip the search."""
    return None


class _StandIns:
    """The fontTools stand-ins of this process and the switch to the real modules."""

    def __init__(self) -> None:
        self.modules: dict[str, _LazyModule] = {}
        self.real: dict[int, tuple[str, str | None]] = {}  # id(stand-in) -> (module, name or None)
        self.keep: list[object] = []  # keeps the ids above unique
        self.importing = False  # True while WeasyPrint imports: no stand-in loads anything then
        self.loaded = False
        self.lock = threading.RLock()

    def make(self) -> dict[str, ModuleType]:
        """Return new stand-in modules for :data:`DEFERRED`."""
        self.forget()
        for module_name in DEFERRED:
            self.modules[module_name] = _LazyModule(module_name, self)
            self._remember(self.modules[module_name], module_name, None)
        for module_name, names in DEFERRED.items():
            for name, kind in names.items():
                full = f"{module_name}.{name}"
                value: object
                if kind == "module":
                    value = self.modules.get(full) or _LazyModule(full, self)
                    self._remember(value, full, None)
                elif kind == "callable":
                    value = self._callable(module_name, name)
                    self._remember(value, module_name, name)
                else:
                    value = type(name, (Exception,), {"__module__": __name__})
                    self._remember(value, module_name, name)
                setattr(self.modules[module_name], name, value)
        return dict(self.modules)

    def _remember(self, value: object, module_name: str, name: str | None) -> None:
        self.real[id(value)] = (module_name, name)
        self.keep.append(value)

    def _callable(self, module_name: str, name: str) -> Callable[..., Any]:
        def stand_in(*args: Any, **kwargs: Any) -> Any:
            self.load_real()
            return getattr(importlib.import_module(module_name), name)(*args, **kwargs)

        stand_in.__name__ = stand_in.__qualname__ = name
        return stand_in

    def load_real(self) -> None:
        """Import the real fontTools modules; put them in place of every stand-in WeasyPrint holds."""
        with self.lock:
            if self.loaded:
                return
            self.loaded = True
            for stand_in in self.keep:
                module_name, name = self.real[id(stand_in)]
                if name is None:
                    importlib.import_module(module_name)
            modules = [m for n, m in list(sys.modules.items()) if n.split(".")[0] == "weasyprint"]
            for module in modules:
                namespace = vars(module)
                for key, value in list(namespace.items()):
                    if id(value) in self.real:  # ids are unique: self.keep holds the stand-ins
                        namespace[key] = self.resolve(value)

    def resolve(self, stand_in: object) -> Any:
        module_name, name = self.real[id(stand_in)]
        module = importlib.import_module(module_name)
        return module if name is None else getattr(module, name)

    def forget(self) -> None:
        self.modules.clear()
        self.loaded = False


class _LazyModule(ModuleType):
    """A fontTools module as WeasyPrint imports it: the real module is imported on first use."""

    def __init__(self, name: str, owner: _StandIns) -> None:
        super().__init__(name)
        self.__dict__["_owner"] = owner

    def __getattr__(self, name: str) -> Any:
        owner: _StandIns = self.__dict__["_owner"]
        if owner.importing or name.startswith("__"):  # only the DEFERRED names while importing
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        owner.load_real()
        return getattr(importlib.import_module(self.__name__), name)


_fonttools = _StandIns()


@contextlib.contextmanager
def _fonttools_deferred() -> Iterator[None]:
    """Put the fontTools stand-ins into ``sys.modules`` for the duration (unless fontTools is loaded)."""
    if any(name in sys.modules for name in DEFERRED):
        yield
        return
    stand_ins = _fonttools.make()
    sys.modules.update(stand_ins)
    _fonttools.importing = True
    try:
        yield
    finally:
        _fonttools.importing = False
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


CFFI_CACHE_VERSION = 1
"""Part of the cache key: a new layout of the cache file gets new names."""


def _cffi_cache_name(source: str) -> str:
    import _cffi_backend  # type: ignore[import-untyped]  # cffi's C module, no stubs
    import cffi  # type: ignore[import-untyped]

    digest = hashlib.sha256()
    import platform

    versions = (
        str(CFFI_CACHE_VERSION),
        sys.version,
        platform.machine(),
        cffi.__version__,
        _cffi_backend.__version__,
    )
    for part in (*versions, source):
        digest.update(part.encode() + b"\0")
    return f"{digest.hexdigest()[:32]}.txt"


def compiled_ffi_arguments(source: str, *, fresh: bool = False) -> dict[str, Any]:
    """Return the keyword arguments of ``_cffi_backend.FFI`` for the C declarations ``source``.

    From the cache file (``user_cache`` folder ``cffi``) when there is a good one; otherwise parsed
    (pycparser, as cffi's ``cdef`` does) and written to the cache, whose failure is ignored.
    """
    from .. import user_cache

    folder = user_cache.folder("cffi")
    path = folder / _cffi_cache_name(source) if folder is not None else None
    if path is not None and not fresh:
        try:
            arguments = ast.literal_eval(path.read_text(encoding="utf-8"))
            if isinstance(arguments, dict) and all(isinstance(k, str) for k in arguments):
                return arguments
        except (OSError, ValueError, SyntaxError, MemoryError, RecursionError, UnicodeDecodeError):
            pass
    arguments = _parse_declarations(source)
    if path is not None:
        user_cache.write_atomic(path, repr(arguments).encode("utf-8"))
    return arguments


def _parse_declarations(source: str) -> dict[str, Any]:
    """Parse ``source`` with cffi and return its out-of-line ABI data (``make_py_source``'s call)."""
    import cffi
    from cffi import recompiler

    ffi = _real_ffi_class()()
    ffi.cdef(source)
    ffi.set_source("_bulletin_kit_weasyprint_ffi", None)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "module.py"
        recompiler.make_py_source(ffi, "_bulletin_kit_weasyprint_ffi", str(target))
        tree = ast.parse(target.read_text(encoding="utf-8"))
    calls = [
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "_cffi_backend.FFI"
    ]
    if len(calls) != 1 or len(calls[0].args) != 1 or not isinstance(cffi.__version__, str):
        raise ValueError("unexpected cffi module source")
    arguments = {k.arg: ast.literal_eval(k.value) for k in calls[0].keywords if k.arg}
    arguments["__name__"] = ast.literal_eval(calls[0].args[0])
    return arguments


def compiled_ffi(source: str) -> Any:
    """Return a compiled cffi ``FFI`` for the C declarations ``source`` (see the module docstring)."""
    import _cffi_backend

    try:
        arguments = dict(compiled_ffi_arguments(source))
        return _cffi_backend.FFI(arguments.pop("__name__"), **arguments)
    except Exception:  # a cache file that reads but does not fit: parse again, replace it
        arguments = compiled_ffi_arguments(source, fresh=True)
        return _cffi_backend.FFI(arguments.pop("__name__"), **arguments)


_REAL_FFI: list[Any] = []


def _real_ffi_class() -> Any:
    if _REAL_FFI:
        return _REAL_FFI[0]
    import cffi

    return cffi.FFI


class _CompiledFFI:
    """What ``cffi.FFI()`` returns while WeasyPrint imports: one ``cdef``, then the compiled FFI."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError("unexpected FFI arguments")
        self.__dict__["_compiled"] = None

    def cdef(self, source: str, **kwargs: Any) -> None:
        if kwargs or self.__dict__["_compiled"] is not None or not isinstance(source, str):
            raise TypeError("only one plain cdef is compiled")
        self.__dict__["_compiled"] = compiled_ffi(source)
        _stand_in_ffis.append(self)

    def __getattr__(self, name: str) -> Any:
        compiled = self.__dict__["_compiled"]
        if compiled is None:
            raise TypeError(f"ffi.{name} before ffi.cdef")
        return getattr(compiled, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("the compiled FFI takes no attributes")


_stand_in_ffis: list[_CompiledFFI] = []


@contextlib.contextmanager
def _cffi_compiled() -> Iterator[None]:
    """Make ``cffi.FFI()`` a :class:`_CompiledFFI` for the duration; then put the compiled FFIs in place."""
    import cffi

    real = cffi.FFI
    _REAL_FFI[:] = [real]
    cffi.FFI = _CompiledFFI
    try:
        yield
    finally:
        cffi.FFI = real
    for module in [m for n, m in list(sys.modules.items()) if n.split(".")[0] == "weasyprint"]:
        namespace = vars(module)
        for key, value in list(namespace.items()):
            if isinstance(value, _CompiledFFI):
                namespace[key] = value.__dict__["_compiled"]


PRESENTATIONAL_HINTS_TEXT = ("PH", "HTML5_PH")
"""The names ``weasyprint/html.py`` gives the text of ``html5_ph.css`` (WeasyPrint 70, 68)."""


class _DeferredStylesheet:
    """WeasyPrint's presentational-hints stylesheet, parsed by the real ``CSS`` on first use."""

    def __init__(self, css_class: Any, kwargs: dict[str, Any]) -> None:
        self.__dict__["_make"] = (css_class, kwargs)
        self.__dict__["_sheet"] = None

    @property
    def parsed(self) -> bool:
        return self.__dict__["_sheet"] is not None

    def real(self) -> Any:
        """Return the parsed stylesheet (parsing it the first time)."""
        sheet = self.__dict__["_sheet"]
        if sheet is None:
            with _lock:
                sheet = self.__dict__["_sheet"]
                if sheet is None:
                    css_class, kwargs = self.__dict__["_make"]
                    sheet = self.__dict__["_sheet"] = css_class(**kwargs)
        return sheet

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.real(), name, value)


class _HtmlModuleLoader:
    """Executes ``weasyprint.html`` with ``weasyprint.CSS`` deferring the presentational-hints sheet."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, … for tracebacks
        return getattr(self.loader, name)

    def exec_module(self, module: ModuleType) -> None:
        package = vars(sys.modules["weasyprint"])
        real = package["CSS"]

        def css(*args: Any, **kwargs: Any) -> Any:
            text = kwargs.get("string")
            if (
                not args
                and list(kwargs) == ["string"]
                and isinstance(text, str)
                and any(text is vars(module).get(name) for name in PRESENTATIONAL_HINTS_TEXT)
            ):
                return _DeferredStylesheet(real, kwargs)
            return real(*args, **kwargs)

        package["CSS"] = css
        try:
            self.loader.exec_module(module)
        finally:
            package["CSS"] = real
            if vars(module).get("CSS") is css:
                vars(module)["CSS"] = real


class _HtmlModuleFinder:
    """A meta-path finder for ``weasyprint.html`` only: the usual spec with :class:`_HtmlModuleLoader`."""

    @staticmethod
    def find_spec(fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "weasyprint.html" or "weasyprint" not in sys.modules:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _HtmlModuleLoader(spec.loader)  # type: ignore[assignment]
        return spec


@contextlib.contextmanager
def _presentational_hints_deferred() -> Iterator[None]:
    """Defer WeasyPrint's presentational-hints stylesheet for the duration (see the docstring)."""
    finder = _HtmlModuleFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(finder)


__all__ = ["DEFERRED", "compiled_ffi", "load"]
