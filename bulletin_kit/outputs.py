"""Safe output files: write to a temporary file and rename, and never overwrite an edited .docx.

Input: a destination path and a function that writes a file. Output: the file in place, or a
problem; a failed write leaves nothing behind. ``.bulletin-kit.json`` in the output folder records
the SHA-256 of each .docx we wrote, so a file a reviewer changed in Word is recognised and kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

MANIFEST = ".bulletin-kit.json"
GUARDED_SUFFIXES = (".docx",)


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_path(out_dir: Path) -> Path:
    return out_dir / MANIFEST


def read_manifest(out_dir: Path) -> dict[str, str]:
    """Return ``{file name: sha256}`` of the files bulletin-kit wrote in ``out_dir``."""
    try:
        data = json.loads(_manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_manifest(out_dir: Path, manifest: dict[str, str]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    atomic_write_bytes(_manifest_path(out_dir), text.encode("utf-8"))


def was_edited(dest: Path) -> bool:
    """Return True when ``dest`` exists and is not byte-for-byte what bulletin-kit last wrote there."""
    if dest.suffix not in GUARDED_SUFFIXES or not dest.exists():
        return False
    return read_manifest(dest.parent).get(dest.name) != sha256(dest)


def backup_name(dest: Path, now: dt.datetime | None = None) -> Path:
    """Return the name an edited file is kept under when ``--force`` replaces it."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return dest.with_name(f"{dest.stem}.修改稿-{stamp}{dest.suffix}")


def atomic_write_bytes(dest: Path, data: bytes) -> None:
    """Write ``data`` to ``dest`` through a temporary file in the same folder."""
    atomic_write(dest, lambda tmp: tmp.write_bytes(data))


def atomic_write(dest: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` then rename ``tmp`` to ``dest``; on any exception remove ``tmp`` and re-raise."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def record(dest: Path) -> None:
    """Remember the checksum of a guarded file we just wrote."""
    if dest.suffix not in GUARDED_SUFFIXES:
        return
    manifest = read_manifest(dest.parent)
    manifest[dest.name] = sha256(dest)
    _write_manifest(dest.parent, manifest)
