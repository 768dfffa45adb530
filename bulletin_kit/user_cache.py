"""The user's cache folder for bulletin-kit: ``$XDG_CACHE_HOME/bulletin-kit`` (or ``~/.cache/bulletin-kit``).

Input: the name of a sub-folder. Output: the folder (created with mode 0700), or None when it cannot
be used safely; :func:`write_atomic` puts a file there in one step (a temporary file renamed into place,
so a reader never sees half a file). Every user of the cache treats a missing, unreadable, corrupt or
unwritable entry as a miss and computes the value itself: the cache only ever saves time.

Safety. A folder is used only if it is a real folder (not a symlink) owned by this user and not
writable by the group or others, as Jinja checks its own temporary cache folder. Whoever can write
there can already write the user's ``~/.bashrc`` or user site-packages, which Python runs at start-up:
trusting its contents adds no one to whom the user is exposed, as for Python's own ``__pycache__``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

APP = "bulletin-kit"


def base_folder() -> Path:
    """Return ``$XDG_CACHE_HOME/bulletin-kit`` (if absolute, as the XDG spec asks) or ``~/.cache/…``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / APP


def folder(name: str) -> Path | None:
    """Return the cache sub-folder ``name`` (created if missing), or None if it is unusable or unsafe."""
    try:
        path = base_folder() / name
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder; return False on any error."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
