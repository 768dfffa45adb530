"""The ``bulletin`` console script: start a build's PDF worker before anything else is imported,
and end the process without Python's object-by-object teardown.

Input: the command line. Output: what :func:`bulletin_kit.cli.main` does, and its exit status.

Why the early start: in a cold ``bulletin build`` of one issue, the PDF worker
(:mod:`bulletin_kit.pdf_worker`) is the critical path, and it could only be forked once click and
the command line module were imported (about 30 ms). Here it is forked first
(:func:`pdf_worker.start_early`), when the arguments read as such a build; the ``build`` command
claims it, and a worker nobody claimed is stopped on the way out. Measured in benchmarks/README.md
(section "PDF 子进程提前启动").

Why the quick end: when the command has returned, everything it wrote is committed and closed,
yet Python's finalisation still frees every object one by one (WeasyPrint's and pydantic's
modules, the document model, the .docx writer's trees): 50–110 ms of every cold ``bulletin build``
of the sample, measured from the ``atexit`` handlers to the end of the process. :func:`main` runs
the ``atexit`` handlers, flushes standard output and error, and ends the process with
:func:`os._exit` and the command's status — unless another thread still runs, which then gets
Python's ordinary shutdown (it joins non-daemon threads).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading

from . import pdf_worker


def main() -> None:
    """Entry point of the ``bulletin`` console script."""
    pdf_worker.start_early(sys.argv[1:])
    try:
        from .cli import main as cli_main

        cli_main()
        status: str | int | None = 0
    except SystemExit as exc:
        status = exc.code
    finally:
        pdf_worker.stop_early()
    end(status)


def end(status: str | int | None) -> None:
    """End the process with ``status`` (as :class:`SystemExit` reads it), skipping the teardown."""
    if threading.active_count() > 1:
        sys.exit(status)
    if status is None:
        code = 0
    elif isinstance(status, int):
        code = status
    else:  # SystemExit("message"): printed, status 1
        sys.stderr.write(f"{status}\n")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (bulletin … | head)
            stream.flush()
    os._exit(code & 0xFF)


__all__ = ["end", "main"]
