"""A PDF writer process forked at the start of ``bulletin build``, so a cold build uses two cores.

Input: nothing at :func:`start`; then one ``(issue, theme, temporary path)`` through
:meth:`PdfWorker.submit`. Output: the PDF written to that temporary path (the caller renames it
into place, as for an in-process writer) and :meth:`PdfWorker.result`: the writer's problems and
seconds, or the exception it raised, or :class:`WorkerDied`.

Why. A cold build of one issue ran everything in one process, one stage after the other: import
the readers, read the issue, import WeasyPrint, resolve the fonts, lay out, draw, and the .docx in a
thread that shares the GIL. The PDF is the critical path. The worker is forked before the readers
are imported (a small process, no threads yet) and spends that time importing WeasyPrint and the
PDF writer and doing the issue-independent work of the fonts and HTML stages (:func:`_prepare`);
the main process meanwhile imports the readers, reads the issue, then writes the .docx while
the worker lays out the PDF. Measured in benchmarks/README.md (section "两个进程").

Guarantees. Everything that decides what is written (guards, messages, the manifest) stays in the
main process; the worker only fills the temporary file the main process created and locked, and
the main process kills and reaps the worker before it removes that file (on errors, Ctrl-C,
SIGTERM). A worker that dies is noticed at once (end of file on its pipe) and reported, never
waited for; it also dies with the main process (``PR_SET_PDEATHSIG``). The worker is started
only by the command line for a single issue file, and never in a process that already runs
threads (forking one is unsafe); ``bulletin watch`` and ``-j`` folder builds never start one.

Started early. The console script (:mod:`bulletin_kit.launch`) calls :func:`start_early` before
click and the command line are imported (about 30 ms), when its arguments look like ``build`` of one
issue file with a PDF (:func:`command_line_request`, a cautious reading: any option it does not
know means "not now"). The ``build`` command then claims that worker (:func:`claim`) when click's
reading of the same arguments wants one too (the worker does not depend on which issue it is), and stops it
otherwise; the console script stops a worker nobody claimed (a usage error, ``--help``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from .model import Issue
    from .problems import Problem
    from .theme import Theme

PIPE_BYTES = 1 << 20
"""Pipe buffer asked for (Linux ``F_SETPIPE_SZ``): the request (the sample's issue and theme pickle
to 57 kB) must fit, or :meth:`PdfWorker.submit` would wait until the worker is ready."""

DEFAULT_FORMATS = "docx,pdf"
"""What ``bulletin build`` writes without ``--to``."""

TERMINATE_SECONDS = 0.3
"""How long :meth:`PdfWorker.stop` waits for the worker to end on SIGTERM before it kills it."""

_F_SETPIPE_SZ = 1031
_PR_SET_PDEATHSIG = 1


class WorkerDied(Exception):
    """The worker process ended without sending a result (``detail`` says how it ended)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class PdfWorker:
    """The parent's handle on one forked worker; see the module docstring."""

    def __init__(self, pid: int, requests: BinaryIO, results: BinaryIO) -> None:
        self.pid = pid
        self._requests: BinaryIO | None = requests
        self._results: BinaryIO | None = results
        self._status: int | None = None

    def submit(self, issue: Issue, theme: Theme, dest: Path) -> None:
        """Ask the worker to write ``issue`` as a PDF to ``dest`` (an existing temporary file)."""
        if self._requests is None:
            raise WorkerDied(self._how_it_ended())
        data = pickle.dumps((issue, theme, dest), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._requests.write(data)
            self._requests.flush()
        except OSError:  # EPIPE: it died before reading the request
            raise WorkerDied(self._how_it_ended()) from None
        finally:
            self._close_requests()

    def result(self) -> tuple[list[Problem], float]:
        """Wait for the worker; return the writer's ``(problems, seconds)`` or raise what it raised."""
        if self._results is None:
            raise WorkerDied(self._how_it_ended())
        try:
            kind, value = pickle.load(self._results)
        except (EOFError, OSError, pickle.UnpicklingError):
            raise WorkerDied(self._how_it_ended()) from None
        finally:
            self._results.close()
            self._results = None
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Kill the worker if it still runs and reap it (idempotent); its temporary file is the caller's."""
        self._close_requests()
        if self._results is not None:
            self._results.close()
            self._results = None
        if self._status is None:
            self._terminate()
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _terminate(self) -> None:
        """Ask the worker to end (SIGTERM: it removes its font files, :func:`_end_on_sigterm`) and
        give it :data:`TERMINATE_SECONDS`; a worker still running then is killed by the caller."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:  # pragma: no cover - reaped elsewhere
            return
        deadline = time.monotonic() + TERMINATE_SECONDS
        while time.monotonic() < deadline:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # pragma: no cover - reaped elsewhere
                self._status = 0
                return
            if pid:
                self._status = status
                return
            time.sleep(0.002)

    def _close_requests(self) -> None:
        if self._requests is not None:
            with contextlib.suppress(OSError):
                self._requests.close()
            self._requests = None

    def _reap(self) -> None:
        """Wait for the worker to end (it has ended, or was just killed) and keep its status."""
        if self._status is None:
            try:
                self._status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:  # pragma: no cover - reaped elsewhere
                self._status = 0

    def _how_it_ended(self) -> str:
        """Return how the worker ended, e.g. ``被信号 SIGKILL 终止`` (it is reaped first)."""
        self._reap()
        status = self._status or 0
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = str(number)
            return f"被信号 {name} 终止"
        return f"退出码 {os.waitstatus_to_exitcode(status)}"


def wanted(paths: tuple[Path, ...], formats: str) -> bool:
    """Return whether ``bulletin build paths --to formats`` should start a worker: one issue file,
    a PDF among the formats, fork available and no thread running (cheap: nothing is imported)."""
    return _single_threaded() and _wanted_ignoring_threads(paths, formats)


def _wanted_ignoring_threads(paths: tuple[Path, ...], formats: str) -> bool:
    names = [f.strip().lower() for f in formats.split(",")]
    return (
        len(paths) == 1
        and "pdf" in names
        and hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and Path(paths[0]).is_file()
    )


_BUILD_OPTIONS_WITH_VALUE = ("-o", "--out", "--to", "-j", "--jobs")
_BUILD_FLAGS = ("--force", "--strict")
_early: list[PdfWorker] = []


def command_line_request(args: list[str]) -> tuple[tuple[Path, ...], str] | None:
    """Return ``(paths, formats)`` when ``args`` (without the program name) read as a plain
    ``build`` command; None for any other command, or an option this reading does not know."""
    if not args or args[0] != "build":
        return None
    paths: list[Path] = []
    formats = DEFAULT_FORMATS
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            paths += [Path(a) for a in rest]
            break
        name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _BUILD_OPTIONS_WITH_VALUE:
            if not equals:
                following = next(rest, None)
                if following is None:
                    return None
                value = following
            if name == "--to":
                formats = value
        elif arg in _BUILD_FLAGS:
            continue
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            paths.append(Path(arg))
    return tuple(paths), formats


def start_early(args: list[str]) -> None:
    """Start the worker now if ``args`` read as a build that wants one (see the module docstring)."""
    request = command_line_request(args)
    if request is not None and not _early and wanted(*request):
        worker = start()
        if worker is not None:
            _early.append(worker)


def claim(paths: tuple[Path, ...], formats: str) -> PdfWorker | None:
    """Return the worker for ``bulletin build paths --to formats``: the one started early, or a new
    one, when :func:`wanted`; None otherwise (a worker started early is then stopped)."""
    early = _early.pop() if _early else None
    if early is None:
        return start() if wanted(paths, formats) else None
    if _wanted_ignoring_threads(paths, formats):  # forked already: later threads do not matter
        return early
    early.stop()
    return None


def stop_early() -> None:
    """Stop a worker started early that no command claimed (idempotent)."""
    while _early:
        _early.pop().stop()


def _single_threaded() -> bool:
    """Return True when this process runs one thread (Python's, and the OS's: a library's own)."""
    if threading.active_count() != 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # pragma: no cover - no /proc
        return True


def start() -> PdfWorker | None:
    """Fork a worker that gets ready to write a PDF; None when a worker cannot be started."""
    if not hasattr(os, "fork") or not _single_threaded():
        return None
    try:
        request_r, request_w = os.pipe()
        result_r, result_w = os.pipe()
    except OSError:
        return None
    for fd in (request_w, result_w):
        with contextlib.suppress(OSError):
            import fcntl

            fcntl.fcntl(fd, _F_SETPIPE_SZ, PIPE_BYTES)
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        for fd in (request_r, request_w, result_r, result_w):
            os.close(fd)
        return None
    if pid == 0:  # the worker: never returns
        status = 1
        try:
            os.close(request_w)
            os.close(result_r)
            status = _serve(parent, os.fdopen(request_r, "rb"), os.fdopen(result_w, "wb"))
        finally:
            os._exit(status)
    os.close(request_r)
    os.close(result_w)
    return PdfWorker(pid, os.fdopen(request_w, "wb"), os.fdopen(result_r, "rb"))


def _serve(parent: int, requests: BinaryIO, results: BinaryIO) -> int:
    """The worker's life: get ready, read one request, write the PDF, send the result."""
    # The main process decides about Ctrl-C and SIGTERM, and kills the worker; if the main process
    # is killed outright, the kernel kills the worker too.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_on_sigterm)  # the main process stops it: no leftovers
    _die_with_parent(parent)
    first, second, _ = gc.get_threshold()  # as pipeline.without_full_collections: no full collection
    gc.set_threshold(first, second, 1_000_000)
    # No collection while getting ready: imports make long-lived objects and hardly any garbage.
    # Then freeze them (gc.freeze: never examined again), or the young collections after the
    # imports would go over all of them once or twice (benchmarks/README.md, "PDF 子进程提前就绪").
    gc.disable()
    try:
        with contextlib.suppress(Exception):  # any failure shows again, reported, in the real write
            _prepare()
    finally:
        gc.freeze()
        gc.enable()

    try:
        issue, theme, dest = pickle.load(requests)
    except (EOFError, OSError, pickle.UnpicklingError):
        _remove_font_files()
        return 0  # not needed after all (up to date, read errors, a guard): the main process closed
    requests.close()
    answer: tuple[str, Any]
    try:
        from .writers import pdf

        started = time.perf_counter()
        found = pdf.write(issue, theme, dest)
        answer = ("ok", (found, time.perf_counter() - started))
    except Exception as exc:  # a writer bug: the main process reports it as it would its own
        answer = ("error", exc)
    finally:  # before the answer: the main process may end, and kill this one, as soon as it has it
        _remove_font_files()
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle: keep its text
        raised = answer[1]
        data = pickle.dumps(("error", RuntimeError(f"{type(raised).__name__}: {raised}")))
    try:
        results.write(data)
        results.close()
    except OSError:
        return 1
    return 0


def _remove_font_files() -> None:
    """Remove WeasyPrint's temporary font files, if made: this process ends with os._exit (no
    atexit, no ``__del__``)."""
    pdf = sys.modules.get(f"{__package__}.writers.pdf")
    if pdf is not None:
        with contextlib.suppress(Exception):
            pdf.remove_font_files()


def _end_on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM from the main process (Ctrl-C, SIGTERM, a worker not needed): end without leftovers."""
    _remove_font_files()
    os._exit(128 + signum)


def _prepare() -> None:
    """Do what every PDF build does before it looks at the issue, while the main process reads it."""
    from .writers import weasyprint_loader

    weasyprint_loader.load()
    from . import fonts
    from .writers import html, pdf, weasyprint_hook, weasyprint_speed

    weasyprint_speed.install()
    weasyprint_hook.check()
    fonts.resolve_all()  # fontconfig's list of faces, cached for the process
    pdf.font_setup()
    environment = html.environment()
    for name in (html.HTML_TEMPLATE, html.CSS_TEMPLATE):
        environment.get_template(name)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent ``parent`` ends (best effort)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent ended before the request above
            os._exit(1)


__all__ = [
    "DEFAULT_FORMATS",
    "PdfWorker",
    "WorkerDied",
    "claim",
    "command_line_request",
    "start",
    "start_early",
    "stop_early",
    "wanted",
]
