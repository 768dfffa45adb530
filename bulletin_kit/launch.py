"""The ``bulletin`` console script: start a build's PDF worker before anything else is imported.

Input: the command line. Output: what :func:`bulletin_kit.cli.main` does.

Why: in a cold ``bulletin build`` of one issue, the PDF worker (:mod:`bulletin_kit.pdf_worker`) is
the critical path, and it could only be forked once click and the command line module were imported
(about 30 ms). Here it is forked first (:func:`pdf_worker.start_early`), when the arguments read
as such a build; the ``build`` command claims it, and a worker nobody claimed is stopped on the way
out. Measured in benchmarks/README.md (section "PDF 子进程提前启动").
"""

from __future__ import annotations

import sys

from . import pdf_worker


def main() -> None:
    """Entry point of the ``bulletin`` console script."""
    pdf_worker.start_early(sys.argv[1:])
    try:
        from .cli import main as cli_main

        cli_main()
    finally:
        pdf_worker.stop_early()


__all__ = ["main"]
