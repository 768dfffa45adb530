"""Ctrl-C and SIGTERM as an exception that unwinds a command, and a record that one came.

Input: the signal, through :func:`on_signal` (installed by :func:`bulletin_kit.cli.main`). Output:
:class:`Interrupted` raised where the main thread is, so every ``finally`` removes its temporary
files on the way out; and :func:`raise_if_pending`, which :func:`bulletin_kit.outputs.commit_temp`
calls before it renames a finished file into place.

Why the record. Python runs a signal handler between two bytecodes of the main thread, wherever
that is. When it is inside a ``__del__`` method or a weak-reference callback (WeasyPrint frees
its Pango and HarfBuzz objects that way, thousands per build), the exception the handler raises
is printed as "Exception ignored" and dropped, and the build went on to write both files and exit
0 after a SIGTERM (seen once under load in tests/hostile). The record makes the next commit stop
the build instead, so an interrupted build still leaves no new file.
"""

from __future__ import annotations

_pending: int | None = None


class Interrupted(BaseException):
    """SIGTERM/SIGINT: unwinds like an exception so every temporary file is removed on the way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def on_signal(signum: int, _frame: object) -> None:
    """Signal handler: remember ``signum`` and raise :class:`Interrupted` where the main thread is."""
    global _pending
    _pending = signum
    raise Interrupted(signum)


def raise_if_pending() -> None:
    """Raise :class:`Interrupted` if a signal came, even if the exception it raised was swallowed."""
    if _pending is not None:
        raise Interrupted(_pending)


__all__ = ["Interrupted", "on_signal", "raise_if_pending"]
