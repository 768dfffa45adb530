"""``bulletin watch``: rebuild the PDF on every save and show it on a local preview page.

Input: an issue file, output folder, port. Output: the preview until Ctrl-C; exit 1 if the port is busy.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click


def run(path: Path, out_dir: Path, port: int) -> None:
    """Serve the preview of ``path`` on ``port`` until interrupted."""
    from .. import watch

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C is how a preview stops: exit 0
    try:
        watch.run(path, out_dir, port, echo=click.echo)
    except watch.PortBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
