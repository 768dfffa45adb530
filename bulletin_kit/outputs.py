"""Safe output files: write to a temporary file and rename, and never overwrite an edited .docx.

Input: a destination path and a function that writes a file. Output: the file in place, or a
problem; a failed write leaves nothing behind. ``.bulletin-kit.json`` in the output folder records
the SHA-256 of each .docx we wrote, so a file a reviewer changed in Word is recognised and kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
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
    return {k: v for k, v in _read_raw(out_dir).items() if isinstance(v, str)}


def _read_raw(out_dir: Path) -> dict[str, object]:
    try:
        data = json.loads(_manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


def _write_manifest(out_dir: Path, manifest: dict[str, object]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    atomic_write_bytes(_manifest_path(out_dir), text.encode("utf-8"))


@contextlib.contextmanager
def _manifest_locked(out_dir: Path) -> Iterator[None]:
    """Serialise read-modify-write of the manifest between processes (an flock on the folder)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def read_section(out_dir: Path, name: str) -> dict[str, object]:
    """Return the manifest's ``name`` section (a dict kept beside the checksums), or ``{}``."""
    value = _read_raw(out_dir).get(name)
    return value if isinstance(value, dict) else {}


def update_section(out_dir: Path, name: str, key: str, value: object | None) -> None:
    """Set (or with ``None`` remove) ``key`` in the manifest's ``name`` section."""
    with _manifest_locked(out_dir):
        manifest = _read_raw(out_dir)
        section = manifest.get(name)
        section = dict(section) if isinstance(section, dict) else {}
        if value is None:
            section.pop(key, None)
        else:
            section[key] = value
        manifest[name] = section
        _write_manifest(out_dir, manifest)


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
    tmp = temp_for(dest)
    try:
        write(tmp)
        commit_temp(tmp, dest)
    except BaseException:
        discard_temp(tmp)
        raise


def temp_for(dest: Path) -> Path:
    """Return a new empty temporary file beside ``dest`` (its folder is created)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    return Path(name)


def commit_temp(tmp: Path, dest: Path) -> None:
    """Rename the finished temporary file ``tmp`` to ``dest``."""
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)


def discard_temp(tmp: Path) -> None:
    """Remove ``tmp`` if it is still there."""
    with contextlib.suppress(OSError):
        tmp.unlink()


def record(dest: Path) -> None:
    """Remember the checksum of a guarded file we just wrote."""
    if dest.suffix not in GUARDED_SUFFIXES:
        return
    with _manifest_locked(dest.parent):
        manifest = _read_raw(dest.parent)
        manifest[dest.name] = sha256(dest)
        _write_manifest(dest.parent, manifest)
