"""Writer: document model + theme -> PDF, laid out by WeasyPrint (range in pyproject.toml).

Input: an :class:`~bulletin_kit.model.Issue` after :mod:`bulletin_kit.transforms`, a
:class:`~bulletin_kit.theme.Theme`, and a destination path (a temporary file that the caller renames
into place when no error was returned). Output: the PDF, and the problems found on the way.

The HTML and CSS come from :mod:`bulletin_kit.writers.html`; the Chinese line breaking and
justification from :mod:`bulletin_kit.writers.weasyprint_hook`. WeasyPrint reads files only through
:class:`FolderFetcher`: files inside the issue's folder (images, the series' CSS) and the bundled
templates, never the network, never a redirect, never ``file://`` elsewhere — whatever an image
name or a stylesheet says (WeasyPrint advisories: SSRF through redirects, CVE-2025-68616).
The Latin font's ``@font-face`` rules are the only other reader, through :class:`FontFileFetcher`,
which serves nothing but the font files fontconfig lists.
"""

from __future__ import annotations

import atexit
import functools
import logging
import mimetypes
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .. import fonts
from ..messages import Code
from ..model import Image, ImageGroup, Issue
from ..problems import Level, Problem
from ..theme import LATIN, Theme
from . import html, pdf_pictures, weasyprint_hook, weasyprint_loader, weasyprint_margins, weasyprint_speed

MAX_RESOURCE_BYTES = 64 * 1024 * 1024
"""The largest image or stylesheet the fetcher serves."""


def write(
    issue: Issue, theme: Theme, dest: Path, *, timings: dict[str, float] | None = None
) -> list[Problem]:
    """Write ``issue`` as a PDF to ``dest``; return the problems (errors mean the file is not usable).

    ``timings``, if given, receives the seconds spent on ``fonts`` (resolving and checking),
    ``html`` (templating), ``layout`` (WeasyPrint's render) and ``pdf`` (drawing, font subsetting,
    writing), for the benchmark.
    """
    clock = _Clock(timings)
    problems = check_images(issue)
    if any(p.level is Level.ERROR for p in problems):
        return problems
    weasyprint_loader.load()  # before any other import of WeasyPrint: skips a slow library search
    weasyprint_speed.install()  # faster stream compression and C array types
    try:
        weasyprint_hook.check()
    except weasyprint_hook.UnsupportedWeasyPrint as exc:
        return [
            *problems,
            Problem(Code.PDF_UNSUPPORTED_WEASYPRINT, file=issue.source_path, args={"detail": str(exc)}),
        ]

    roles = fonts.resolve_all()
    problems += font_problems(issue, theme, roles)
    weights = {name: r.css_weight for name, r in roles.items() if name != fonts.LATIN_ROLE}
    clock.lap("fonts")
    from weasyprint import CSS, HTML

    folder = issue.source_path.parent if issue.source_path else None
    fetcher = FolderFetcher([p for p in (folder, html.TEMPLATES_DIR) if p is not None])
    font_config, font_css = font_setup()
    with capture_weasyprint_log() as records, weasyprint_hook.active():
        stylesheets = [font_css]
        if issue.layout.extra_css is not None:
            stylesheets.append(CSS(url=issue.layout.extra_css.resolve().as_uri(), url_fetcher=fetcher))
        base_url = (folder or html.TEMPLATES_DIR).resolve().as_uri() + "/"

        def layout(laid_out: Issue) -> Any:  # a weasyprint.Document
            document_html = html.render(laid_out, theme, weights)
            clock.lap("html")
            page = HTML(string=document_html, base_url=base_url, url_fetcher=fetcher)
            # the default styles of margin boxes without content: computed on every page, never shown
            weasyprint_margins.skip_unused_margin_boxes(page, document_html, stylesheets)
            document = page.render(stylesheets=stylesheets, font_config=font_config)
            clock.lap("layout")
            return document

        # a picture that does not fit under the text is shrunk a little or follows the next paragraph
        document, _laid_out = pdf_pictures.fit(issue, theme, layout)
        with weasyprint_speed.fonts_in_threads():  # subset and compress fonts on another core
            document.write_pdf(str(dest))
        clock.lap("pdf")
    for url in fetcher.refused:
        problems.append(Problem(Code.PDF_REFUSED_URL, file=issue.source_path, args={"url": url}))
    problems += [_log_problem(record, issue.source_path) for record in records]
    return problems


def check_images(issue: Issue) -> list[Problem]:
    """Return an error for every image or series stylesheet that is not a file inside the issue's folder."""
    folder = issue.source_path.parent.resolve() if issue.source_path else None
    files: list[tuple[str, Path]] = []
    if issue.layout.extra_css is not None:
        files.append(("layout.extra_css", issue.layout.extra_css))
    for i, article in enumerate(issue.articles):
        for j, block in enumerate(article.blocks):
            if isinstance(block, Image):
                files.append((f"articles[{i}].blocks[{j}]", block.path))
            elif isinstance(block, ImageGroup):
                files += [
                    (f"articles[{i}].blocks[{j}].images[{k}]", g.path) for k, g in enumerate(block.images)
                ]
    problems = []
    for where, path in files:
        args: dict[str, object] = {"value": str(path), "base": str(folder)}
        if folder is None or not path.resolve().is_relative_to(folder):
            problems.append(Problem(Code.PATH_OUTSIDE, file=issue.source_path, path=where, args=args))
        elif not path.resolve().is_file():
            problems.append(Problem(Code.PATH_NOT_FOUND, file=issue.source_path, path=where, args=args))
    return problems


def font_problems(issue: Issue, theme: Theme, roles: dict[str, fonts.RoleFonts]) -> list[Problem]:
    """Return a warning per role with no installed font or with characters no font of it covers."""
    problems = []
    for name, role in roles.items():
        if role.used is None:
            problems.append(
                Problem(
                    Code.PDF_NO_FONT,
                    file=issue.source_path,
                    level=Level.WARNING,
                    args={"role": name, "stack": "、".join(role.spec.stack)},
                )
            )
    for name, chars in sorted(fonts.missing_with(issue, theme, roles).items()):
        problems.append(
            Problem(
                Code.PDF_MISSING_GLYPHS,
                file=issue.source_path,
                level=Level.WARNING,
                args={"role": name, "office": roles[name].spec.office, "chars": "".join(sorted(chars))},
            )
        )
    return problems


class _Clock:
    """Adds the seconds since the previous lap to ``timings[name]`` (does nothing without timings)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


# --- URL fetchers -----------------------------------------------------------------------------


class RefusedURL(ValueError):
    """A URL that the fetcher does not serve."""


class _LocalFetcher:
    """Shared part of the two fetchers: ``file:`` URLs only, each checked by :meth:`allows`."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self._fail_on_errors = False  # read by weasyprint.urls.fetch()

    def allows(self, path: Path) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def __call__(self, url: str) -> object:
        return self.fetch(url)

    def fetch(self, url: str, headers: object = None) -> object:
        """Return the file behind ``url`` as a WeasyPrint response, or raise :class:`RefusedURL`."""
        from weasyprint.urls import URLFetcherResponse

        path = self.local_path(url)
        if path is None or not self.allows(path):
            self.refused.append(url)
            raise RefusedURL(f"bulletin-kit refuses to read {url!r}")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            self.refused.append(url)
            raise RefusedURL(f"{path} is larger than {MAX_RESOURCE_BYTES} bytes")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(),
            body=path.read_bytes(),
            headers={"Content-Type": mime or "application/octet-stream"},
        )

    @staticmethod
    def local_path(url: str) -> Path | None:
        """Return the resolved local path of a ``file:`` URL, or None for any other URL."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        return path if path.is_file() else None


class FolderFetcher(_LocalFetcher):
    """Serves the regular files inside ``roots`` (after resolving symlinks and ``..``); refuses the rest."""

    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__()
        self.roots = tuple(Path(r).resolve() for r in roots)

    def allows(self, path: Path) -> bool:
        """Return whether ``path`` (resolved) lies inside one of the roots."""
        return any(path.is_relative_to(root) for root in self.roots)


class FontFileFetcher(_LocalFetcher):
    """Serves exactly the font files that fontconfig lists, for the theme's own ``@font-face`` rules."""

    def __init__(self, files: Iterable[Path]) -> None:
        super().__init__()
        self.files = frozenset(Path(f).resolve() for f in files)

    def allows(self, path: Path) -> bool:
        """Return whether ``path`` is an installed font file."""
        return path in self.files


# --- fonts --------------------------------------------------------------------------------------


def latin_font_css() -> str:
    """Return ``@font-face`` rules giving digits and Latin letters the Latin role's font.

    The alias :data:`html.LATIN_FAMILY` covers :data:`fonts.LATIN_RANGES` only, so “ ” — … and
    Chinese text fall through to the Chinese font of each role (as Word's ``w:hint="eastAsia"``).
    """
    ranges = ", ".join(f"U+{low:04X}-{high:04X}" for low, high in fonts.LATIN_RANGES)
    rules = []
    for weight in (400, 700):
        sources = []
        for family in LATIN.stack:
            face = fonts.find_face(family, weight)
            if face is not None and face.index == 0:
                sources.append(f"url({html.css_string(face.file.as_uri())})")
        if not sources:
            continue
        rules.append(
            "@font-face {\n"
            f"  font-family: {html.css_string(html.LATIN_FAMILY)};\n"
            f"  font-weight: {weight};\n"
            f"  src: {', '.join(sources)};\n"
            f"  unicode-range: {ranges};\n"
            "}\n"
        )
    return "".join(rules)


@functools.cache
def font_setup() -> tuple[object, object]:
    """Return WeasyPrint's font configuration with the Latin alias loaded (once per process)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    _font_configs.append((os.getpid(), font_config))  # at once: font_setup may be interrupted
    atexit.register(remove_font_files)
    if "multiprocessing.util" in sys.modules:  # a pool's worker ends with os._exit, after these
        sys.modules["multiprocessing.util"].Finalize(None, remove_font_files, exitpriority=0)
    fetcher = FontFileFetcher(fonts.font_files())
    css = CSS(string=latin_font_css(), font_config=font_config, url_fetcher=fetcher)
    return font_config, css


_font_configs: list[tuple[int, object]] = []  # font_setup's configuration, and the process that made it


def remove_font_files() -> None:
    """Remove the font files of :func:`font_setup`'s configuration, if this process made it (at
    exit: processes end with os._exit, so WeasyPrint's own ``__del__`` never runs; a forked child
    that inherited its parent's configuration leaves it alone)."""
    for pid, font_config in _font_configs:
        if pid == os.getpid():
            weasyprint_hook.remove_font_folder(font_config)


# --- WeasyPrint's log -------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def capture_weasyprint_log() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings and errors (instead of printing them) for the block."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _log_problem(record: logging.LogRecord, source: Path | None) -> Problem:
    if record.levelno >= logging.ERROR:
        return Problem(Code.PDF_RESOURCE, file=source, args={"detail": record.getMessage()})
    return Problem(
        Code.PDF_WEASYPRINT, file=source, level=Level.WARNING, args={"detail": record.getMessage()}
    )
