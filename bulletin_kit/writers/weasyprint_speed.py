"""Costs of every WeasyPrint PDF that change nothing printed, made smaller (issue 14).

Input: WeasyPrint, imported (:mod:`.weasyprint_loader`). Output: none; :func:`install` adjusts, once
per process, how WeasyPrint's PDF library compresses, how its cffi object parses C types, and how
it copies and subsets fonts; :func:`skip_unused_margin_boxes` gives one document a lighter copy of
the default stylesheet.

- **Compression.** pydyf compresses every content and font stream at zlib level 9; level 6 (zlib's
  default, what most PDF producers use) takes about half the time (the sample: 0.07 → 0.04 s per
  build) for files 0.4 % larger. The streams hold the same drawing operators; only their Flate
  encoding differs, which every PDF reader decodes alike.
- **C array types.** WeasyPrint allocates HarfBuzz arrays as ``ffi.new(f"hb_codepoint_t[{n}]", …)``
  when it subsets fonts. cffi parses each new type text with pycparser (about 2.5 ms), so every
  new length — a dozen per build of the sample — costs one more parse. :func:`install` gives such
  calls the open array type (``hb_codepoint_t[]``, parsed once) with the same length and content.
- **Font copies.** For every font it draws with, WeasyPrint copies the whole font file out of
  HarfBuzz into Python (``Font.file_content``) and then never reads that copy when it subsets the
  font with HarfBuzz: the subset replaces it. The sample copies 53 MB this way (a 27 MB Noto CJK
  collection among them), about 30 ms per build. :func:`install` makes ``file_content`` copied on
  first use instead (still the same bytes when WeasyPrint does read it: unsubset, emoji or
  variable fonts, the fontTools fallback).
- **Font subsetting in one pass.** WeasyPrint subsets each font twice: keeping the used glyphs at
  their ids (``RETAIN_GIDS``), then, from that result, the glyphs up to the last used one without
  hints. When HarfBuzz's first pass already ends the font at the last used glyph (no glyph added
  beyond it by the GSUB closure), a single pass with the no-hinting flag gives a byte-identical
  font file for a CFF font (every table one HarfBuzz subsets itself: :data:`ONE_PASS_TABLES`;
  checked on every installed font, tests/writers/test_weasyprint_speed.py) in half the time: the
  sample 0.074 → 0.034 s. Otherwise (TrueType fonts: HarfBuzz 6 drops a FontForge ``FFTM`` table
  only in the second pass; glyphs beyond the last used one; missing glyphs) WeasyPrint's two
  passes run as before.

- **Fonts on a second core.** Inside :func:`fonts_in_threads` (one ``write_pdf``), WeasyPrint's
  ``build_fonts_dictionary`` first hands every font to a small thread pool: the HarfBuzz subset
  (``Font.clean``) and then the Flate compression of the subset font. HarfBuzz's
  ``hb_subset_or_fail`` and zlib release the GIL, so they run beside WeasyPrint's own Python (the
  rest of the font dictionary, serialising the PDF), and two fonts at once. WeasyPrint's loop then
  takes each font's result instead of subsetting it, and pydyf's compression of a font stream takes
  the bytes compressed in advance (the same level, the same bytes: the PDF is byte-identical). The
  waiting thread runs a job nobody has taken itself, so a pool that cannot start is the serial
  path. Only fonts that ``clean`` subsets with HarfBuzz and nothing else go to the pool (variable,
  colour and bitmap fonts, the fontTools fallback stay serial). No thread outlives the block.
  The sample's font work (6 fonts: subset 30 ms, compress 36 ms of a 0.21 s write) — see
  benchmarks/README.md for what it saves.

Each is checked before it applies; on a WeasyPrint or pydyf that does not look as expected, that one
is not changed.
"""

from __future__ import annotations

import inspect
import os
import re
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ZLIB_LEVEL = 6
"""The Flate compression level of the PDF streams (pydyf's own is 9)."""

_SIZED_ARRAY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*\[\s*(\d+)\s*\]\s*")
"""A one-dimensional array type of a named element type with a fixed length: ``T[12]``."""

ONE_PASS_TABLES = frozenset(
    [
        "BASE",
        "CFF ",
        "GDEF",
        "GPOS",
        "GSUB",
        "OS/2",
        "VORG",
        "cmap",
        "head",
        "hhea",
        "hmtx",
        "maxp",
        "name",
        "post",
        "vhea",
        "vmtx",
    ]
)
"""Fonts with no other table are subset in one pass (the tables of every CFF font checked)."""
DROP_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)
"""The tables WeasyPrint's ``Font._harfbuzz_subset`` drops (the same in 68.0–70.0)."""

SUBSET_NAMES = (
    *("ffi", "gc", "harfbuzz_subset", "hb_subset_input_create_or_fail", "hb_subset_input_destroy"),
    *("hb_subset_input_glyph_set", "new", "len", "sorted", "harfbuzz", "hb_set_add_sorted_array"),
    *(
        "HB_SUBSET_FLAGS_RETAIN_GIDS",
        "HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED",
        "HB_SUBSET_FLAGS_DESUBROUTINIZE",
    ),
    *("missing", "HB_SUBSET_FLAGS_NOTDEF_OUTLINE", "hb_subset_input_set_flags", "hb_subset_input_set"),
    *("HB_SUBSET_SETS_DROP_TABLE_TAG", "tuple", "hb_subset_or_fail", "hb_face", "hb_face_destroy", "range"),
    *(
        "max",
        "HB_SUBSET_FLAGS_NO_HINTING",
        "get_hb_object_data",
        "file_content",
        "LOGGER",
        "warning",
        "family",
    ),
)
"""The names WeasyPrint's ``Font._harfbuzz_subset`` uses (68.0–70.0): the two passes it is replaced by.

Compared with the function's code object, not its source: reading the source costs 13 ms per process.
"""

_lock = threading.Lock()
_installed: list[str] | None = None


class _Zlib:
    """The ``zlib`` module as pydyf sees it: compression objects at :data:`ZLIB_LEVEL`.

    Inside :func:`fonts_in_threads`, a compression object that is given, in one piece, bytes the
    pool compressed in advance returns that result.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        real = zlib.compressobj(ZLIB_LEVEL, *args, **kwargs)
        write: _FontThreads | None = getattr(_active, "write", None)
        if write is None or not write.compressed or args or kwargs:
            return real
        return _Precompressed(write, real)


class _Precompressed:
    """A compression object that answers bytes compressed in advance (``compress`` once, ``flush``)."""

    __slots__ = ("done", "real", "write")

    def __init__(self, write: _FontThreads, real: Any) -> None:
        self.write = write
        self.real = real
        self.done: bool | None = None  # None: nothing given yet; True: answered in advance

    def compress(self, data: Any) -> bytes:
        if self.done:
            raise RuntimeError("compress() after a precompressed stream")  # not pydyf's shape
        if self.done is None:
            self.done = False
            entry = self.write.compressed.get(id(data))
            if entry is not None and entry[0] is data:
                self.done = True
                result: bytes = self.write.result(entry[1])
                return result
        out: bytes = self.real.compress(data)
        return out

    def flush(self, *args: Any) -> bytes:
        if self.done:
            return b""
        out: bytes = self.real.flush(*args)
        return out


def install() -> list[str]:
    """Apply the changes once (thread-safe); return which are active.

    (``zlib``, ``cffi``, ``fonts``, ``threads``.)
    """
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
            if _install_font_changes():
                _installed.append("fonts")
            if "zlib" in _installed and _install_font_threads():
                _installed.append("threads")
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


_two_passes: Callable[..., None] | None = None
"""WeasyPrint's own ``Font._harfbuzz_subset``, once replaced (for the tests)."""

# --- fonts ------------------------------------------------------------------------------------

_FILE_CONTENT = "_bulletin_kit_file_content"
"""Where a ``Font`` keeps its ``file_content`` (bytes or a :class:`_FaceBytes` not yet copied)."""


class _FaceBytes:
    """The bytes of a HarfBuzz face, copied out of HarfBuzz when first needed."""

    __slots__ = ("copy", "data", "face")

    def __init__(self, face: Any, copy: Callable[[Any], bytes | None]) -> None:
        self.face = face
        self.copy = copy
        self.data: bytes | None = None

    def get(self) -> bytes | None:
        if self.face is not None:
            self.data = self.copy(self.face)
            self.face = None
        return self.data

    def __bool__(self) -> bool:
        return bool(self.get())


def _get_file_content(font: Any) -> Any:
    value = font.__dict__[_FILE_CONTENT]
    if isinstance(value, _FaceBytes):
        value = font.__dict__[_FILE_CONTENT] = value.get()
    return value


def _set_file_content(font: Any, value: Any) -> None:
    font.__dict__[_FILE_CONTENT] = value


def _install_font_changes() -> bool:
    """Make ``Font.file_content`` lazy and CFF subsetting one pass, if WeasyPrint looks as expected."""
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text import ffi as ffi_module
    from weasyprint.text import fonts as text_fonts

    font: Any = getattr(pdf_fonts, "Font", None)
    copy: Any = getattr(text_fonts, "get_hb_object_data", None)
    try:
        init = font.__init__.__code__
        subset = font._harfbuzz_subset.__code__
        expected = (
            list(inspect.signature(copy).parameters) == ["hb_object", "ot_color", "glyph"]
            and getattr(pdf_fonts, "get_hb_object_data", None) is copy
            and list(inspect.signature(font._harfbuzz_subset).parameters) == ["self", "to_unicode", "hinting"]
            and "file_content" not in vars(font)
            and {"get_hb_object_data", "hb_face", "file_content", "tables"} <= set(init.co_names)
            and subset.co_names == SUBSET_NAMES
            and DROP_TABLES in subset.co_consts
            and all(hasattr(ffi_module, name) for name in ("ffi", "harfbuzz", "harfbuzz_subset"))
        )
    except (AttributeError, TypeError, ValueError):
        expected = False
    if not expected:
        return False

    def face_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        if ot_color is None and glyph is None:
            return _FaceBytes(hb_object, copy)
        return copy(hb_object, ot_color, glyph)

    global _two_passes
    _two_passes = font._harfbuzz_subset

    def harfbuzz_subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        data = None
        if not self.missing and set(self.tables) <= ONE_PASS_TABLES:
            data = subset_once(self.hb_face, sorted(to_unicode), hinting)
        if data:
            self.file_content = data
        elif _two_passes is not None:
            _two_passes(self, to_unicode, hinting)

    def subset_once(face: Any, glyph_ids: list[int], hinting: bool) -> bytes | None:
        """WeasyPrint's two passes in one: the glyphs kept at their ids, unused tables dropped."""
        from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

        hb_subset = ffi.gc(
            harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
        )
        gid_set = harfbuzz_subset.hb_subset_input_glyph_set(hb_subset)
        harfbuzz.hb_set_add_sorted_array(gid_set, ffi.new("hb_codepoint_t[]", glyph_ids), len(glyph_ids))
        flags = (
            harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
            | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
            | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
        )
        if not hinting:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        harfbuzz_subset.hb_subset_input_set_flags(hb_subset, flags)
        drop_set = harfbuzz_subset.hb_subset_input_set(
            hb_subset, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
        )
        tags = [harfbuzz.hb_tag_from_string(name, -1) for name in DROP_TABLES]
        harfbuzz.hb_set_add_sorted_array(drop_set, ffi.new("hb_codepoint_t[]", tags), len(tags))
        subset_face = harfbuzz_subset.hb_subset_or_fail(face, hb_subset)
        if subset_face == ffi.NULL:
            return None
        subset_face = ffi.gc(subset_face, harfbuzz.hb_face_destroy)
        if harfbuzz.hb_face_get_glyph_count(subset_face) != glyph_ids[-1] + 1:
            return None  # glyphs added beyond the last used one (GSUB closure): WeasyPrint's pass 2 cuts them
        data: bytes | None = copy(subset_face)
        return data

    font.file_content = property(_get_file_content, _set_file_content)
    pdf_fonts.get_hb_object_data = face_data
    font._harfbuzz_subset = harfbuzz_subset
    return True


# --- fonts on a second core -------------------------------------------------------------------

_active = threading.local()
"""``write``: the :class:`_FontThreads` of the PDF this thread writes (in :func:`fonts_in_threads`)."""


class _Job:
    """One piece of work for the pool: run once, by a worker or by the thread that needs it."""

    __slots__ = ("claimed", "done", "error", "result", "run", "then")

    def __init__(self, run: Callable[[], Any]) -> None:
        self.run = run
        self.claimed = False
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.then: _Job | None = None
        """A job that ``run`` found to do next (a font's compression after its subset)."""


class _FontThreads:
    """The font jobs of one PDF write and the threads that run them."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.threads: list[threading.Thread] = []
        self.queue: deque[_Job] = deque()
        self.condition = threading.Condition()
        self.closed = False
        self.cleaned: dict[int, tuple[Any, dict[int, str], bool, _Job]] = {}
        """id(font) -> (font, to_unicode, hinting, its clean job)."""
        self.compressed: dict[int, tuple[bytes, _Job]] = {}
        """id(font file bytes) -> (those bytes, the job compressing them)."""

    def submit(self, job: _Job) -> None:
        with self.condition:
            if self.closed:
                return  # nobody will wait for it: the write is over
            self.queue.append(job)
            self.condition.notify()
            if len(self.threads) < self.workers:
                thread = threading.Thread(target=self._work, name="bulletin-kit-fonts", daemon=True)
                try:
                    thread.start()
                except RuntimeError:  # cannot start a thread: the waiting thread runs the jobs
                    self.workers = 0
                else:
                    self.threads.append(thread)

    def result(self, job: _Job) -> Any:
        """Return the job's result (running it here if no thread has taken it); raise its error."""
        if self._claim(job):
            self._run(job)
            if job.then is not None:
                self.submit(job.then)  # the waiting thread goes on; a worker takes it
        else:
            job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.queue.clear()
            self.condition.notify_all()
        for thread in self.threads:
            thread.join()

    def _claim(self, job: _Job) -> bool:
        with self.condition:
            if job.claimed:
                return False
            job.claimed = True
            return True

    @staticmethod
    def _run(job: _Job) -> None:
        try:
            job.result = job.run()
        except BaseException as exc:  # handed to the thread that waits for it
            job.error = exc
        finally:
            job.done.set()

    def _work(self) -> None:
        while True:
            with self.condition:
                job = None
                while job is None:
                    while self.queue and self.queue[0].claimed:
                        self.queue.popleft()
                    if self.closed:
                        return
                    if self.queue:
                        job = self.queue.popleft()
                        job.claimed = True
                    else:
                        self.condition.wait()
            while job is not None:  # a font's compression right after its subset, on the same thread
                self._run(job)
                job = job.then if job.then is not None and self._claim(job.then) else None


def _worker_count() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(2, cores)


@contextmanager
def fonts_in_threads() -> Iterator[None]:
    """Subset and compress the fonts of the PDFs written in the block on other cores (see above).

    Without the ``threads`` change (:func:`install`), or on one core, nothing changes. The threads
    start with the first font and are joined when the block ends.
    """
    if _installed is None or "threads" not in _installed or getattr(_active, "write", None) is not None:
        yield
        return
    write = _FontThreads(_worker_count())
    _active.write = write
    try:
        yield
    finally:
        _active.write = None
        write.close()


FONT_DICTIONARY_NAMES = frozenset(
    ["hash", "bitmap", "used_in_forms", "to_unicode", "clean", "file_content", "Stream", "setdefault"]
)
"""Names WeasyPrint's ``build_fonts_dictionary`` uses (68.0–70.0) for the loop the pool mirrors."""
CLEAN_NAMES = frozenset(
    [
        *("BytesIO", "Exception", "Glyph", "LOGGER", "TTFont", "TTLibError", "axes", "colr", "debug"),
        *("family", "file_content", "font_size", "getGlyphOrder", "getTableClass", "getTableModule"),
        *("getvalue", "glyphOrder", "glyphs", "index", "instantiateVariableFont", "int", "io", "maxValue"),
        *("minValue", "png", "save", "style", "subset", "svg", "tables", "ttFont", "variations", "warning"),
        "weight",
    ]
)
"""Every name WeasyPrint's ``Font.clean`` uses (68.0: all but ``colr``; 70.0): a HarfBuzz subset, then
fontTools for variable (``fvar``) and image (``png``, ``svg``, ``colr``) fonts."""

_image_flags: tuple[str, ...] = ()
"""The ``Font`` attributes that make ``clean`` rewrite a font with fontTools (``png``, ``svg``…)."""


def _install_font_threads() -> bool:
    """Let :func:`fonts_in_threads` subset and compress fonts in threads, if WeasyPrint looks as expected."""
    import pydyf
    import weasyprint.pdf as weasyprint_pdf
    from weasyprint.pdf import fonts as pdf_fonts

    font: Any = getattr(pdf_fonts, "Font", None)
    build: Any = getattr(pdf_fonts, "build_fonts_dictionary", None)
    stream: Any = getattr(pydyf, "Stream", None)
    try:
        expected = (
            list(inspect.signature(build).parameters) == ["pdf", "fonts", "compress", "subset", "options"]
            and set(build.__code__.co_names) >= FONT_DICTIONARY_NAMES
            and list(inspect.signature(font.clean).parameters) == ["self", "to_unicode", "hinting"]
            and {"subset", "tables", "png", "svg", "file_content"}
            <= set(font.clean.__code__.co_names)
            <= CLEAN_NAMES
            and "fvar" in font.clean.__code__.co_consts
            and {"tables", "bitmap", "png", "svg"} <= set(font.__init__.__code__.co_names)
            and {"compressobj", "compress", "flush"} <= set(stream.data.fget.__code__.co_names)
            and getattr(pdf_fonts, "harfbuzz_subset", None) is not None  # else fontTools subsets
            and callable(pdf_fonts.harfbuzz.hb_version_atleast)
            and getattr(weasyprint_pdf, "build_fonts_dictionary", None) is build
        )
    except (AttributeError, TypeError, ValueError):
        expected = False
    if not expected:
        return False
    clean = font.clean
    global _image_flags
    _image_flags = tuple(sorted({"png", "svg", "colr"} & set(clean.__code__.co_names)))

    def threaded_build(pdf: Any, fonts: Any, compress: Any, subset: Any, options: Any) -> Any:
        write: _FontThreads | None = getattr(_active, "write", None)
        if write is not None and isinstance(fonts, dict) and isinstance(options, dict):
            _submit_fonts(write, clean, fonts, bool(compress), subset, options.get("hinting"))
        return build(pdf, fonts, compress, subset, options)

    def threaded_clean(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        write: _FontThreads | None = getattr(_active, "write", None)
        entry = write.cleaned.pop(id(self), None) if write is not None else None
        if write is None or entry is None or entry[0] is not self:
            clean(self, to_unicode, hinting)
            return
        write.result(entry[3])
        if entry[1] != to_unicode or entry[2] != hinting:  # not what the pool was given (never seen)
            clean(self, to_unicode, hinting)

    weasyprint_pdf.build_fonts_dictionary = threaded_build
    font.clean = threaded_clean
    return True


def _submit_fonts(
    write: _FontThreads,
    clean: Callable[..., None],
    fonts: dict[Any, Any],
    compress: bool,
    subset: Any,
    hinting: Any,
) -> None:
    """Queue the fonts as WeasyPrint's ``build_fonts_dictionary`` will clean them (same grouping)."""
    from weasyprint.pdf import fonts as pdf_fonts

    if not pdf_fonts.harfbuzz.hb_version_atleast(4, 1, 0):
        return  # the fontTools fallback: Python, stays serial
    by_file: dict[Any, list[Any]] = {}
    for font in fonts.values():
        by_file.setdefault(font.hash, []).append(font)
    jobs = []
    for file_fonts in by_file.values():
        font = file_fonts[0]
        if font.bitmap or "fvar" in font.tables or any(getattr(font, flag) for flag in _image_flags):
            continue  # fontTools work (Python) in clean: stays serial
        to_unicode: dict[int, str] = {}
        if subset and not font.used_in_forms:
            for file_font in file_fonts:
                to_unicode = {**to_unicode, **file_font.to_unicode}
        job = _Job(lambda: None)
        job.run = _clean_job(write, job, clean, font, to_unicode, hinting, compress)
        write.cleaned[id(font)] = (font, to_unicode, hinting, job)
        jobs.append((len(to_unicode), job))
    # the fonts with most glyphs first: the longest subsets and compressions start first
    for _count, job in sorted(jobs, key=lambda item: -item[0]):
        write.submit(job)


def _clean_job(
    write: _FontThreads,
    job: _Job,
    clean: Callable[..., None],
    font: Any,
    to_unicode: dict[int, str],
    hinting: Any,
    compress: bool,
) -> Callable[[], None]:
    """Return the work of ``job``: subset ``font``, then set its compression as ``job.then``."""

    def run() -> None:
        clean(font, to_unicode, hinting)
        if compress:
            data = font.file_content
            if isinstance(data, bytes):
                job.then = _Job(lambda: _deflate(data))
                write.compressed[id(data)] = (data, job.then)

    return run


def _deflate(data: bytes) -> bytes:
    """Compress ``data`` as pydyf does through :class:`_Zlib` (one ``compress``, one ``flush``)."""
    compressor = zlib.compressobj(ZLIB_LEVEL)
    return compressor.compress(data) + compressor.flush()


__all__ = [
    "DROP_TABLES",
    "ONE_PASS_TABLES",
    "ZLIB_LEVEL",
    "fonts_in_threads",
    "install",
    "sized_arrays_as_open",
]
