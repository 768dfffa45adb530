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
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from . import interrupts
from .safe_io import NotRegular, check_regular, kind_of

MANIFEST = ".bulletin-kit.json"
GUARDED_SUFFIXES = (".docx",)


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    check_regular(path)  # a named pipe or a device would block or never end (NotRegular is an OSError)
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
        kind = kind_of(os.fstat(fh.fileno()).st_mode)
        if kind is not None:
            raise NotRegular(path, kind)
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
    """Call ``write(tmp)`` then rename ``tmp`` to ``dest``; on any exception remove ``tmp`` and re-raise.

    A symbolic link at ``dest`` is written through: its target is replaced, the link stays; a
    folder, named pipe or device at ``dest`` is never replaced (:class:`NotRegular`).
    """
    tmp = temp_for(dest)
    try:
        write(tmp)
        commit_temp(tmp, dest)
    except BaseException:
        discard_temp(tmp)
        raise


_HELD: dict[Path, int] = {}
"""Open, ``flock``-ed descriptors of our temporary files: the lock tells :func:`remove_stale` that
the file belongs to a build still running (a killed process releases it)."""


def temp_for(dest: Path) -> Path:
    """Return a new empty temporary file beside ``dest`` (its folder is created), locked until
    :func:`commit_temp` or :func:`discard_temp`."""
    dest = _through_links(dest)
    try:
        kind = kind_of(os.stat(dest).st_mode)
    except FileNotFoundError:
        kind = None
    if kind is not None:  # never replace a folder, a named pipe or a device by a file
        raise NotRegular(dest, kind)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _HELD[Path(name)] = fd
    return Path(name)


def commit_temp(tmp: Path, dest: Path) -> None:
    """Rename the finished temporary file ``tmp`` to ``dest`` (through a symbolic link).

    Not after Ctrl-C or SIGTERM, even one whose exception was swallowed (:mod:`.interrupts`).
    """
    interrupts.raise_if_pending()
    os.chmod(tmp, 0o644)
    os.replace(tmp, _through_links(dest))
    _release(tmp)


def discard_temp(tmp: Path) -> None:
    """Remove ``tmp`` if it is still there."""
    with contextlib.suppress(OSError):
        tmp.unlink()
    _release(tmp)


def _release(tmp: Path) -> None:
    fd = _HELD.pop(tmp, None)
    if fd is not None:
        os.close(fd)


def _through_links(dest: Path) -> Path:
    """Return the file a chain of symbolic links at ``dest`` ends in (``dest`` if it is no link)."""
    if not dest.is_symlink():
        return dest
    target = dest.resolve()  # raises RuntimeError on a loop
    return target


def blocked(dest: Path) -> str | None:
    """Return what stands where ``dest`` or the manifest beside it must be written (a folder, a
    pipe…), as ``'路径 是文件夹'``; None when the way is clear."""
    guarded = dest.suffix in GUARDED_SUFFIXES
    for path in (dest.parent, dest, *([_manifest_path(dest.parent)] if guarded else [])):
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            continue
        except OSError:
            continue  # reported by the write itself, with its cause
        if path == dest.parent:
            if not stat.S_ISDIR(mode):
                return f"{path} 不是文件夹"
            continue
        kind = kind_of(mode)
        if kind is not None:
            return f"{path} 是{kind}"
    return None


def remove_stale(dest: Path) -> None:
    """Remove temporary files of ``dest`` left by a build that was killed (nobody holds their lock)."""
    folder = _through_links(dest).parent
    if not folder.is_dir():
        return
    for tmp in folder.glob(f".{_through_links(dest).name}.*.tmp"):
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a running build holds it
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()
        finally:
            os.close(fd)


def record(dest: Path) -> None:
    """Remember the checksum of a guarded file we just wrote."""
    if dest.suffix not in GUARDED_SUFFIXES:
        return
    with _manifest_locked(dest.parent):
        manifest = _read_raw(dest.parent)
        manifest[dest.name] = sha256(dest)
        _write_manifest(dest.parent, manifest)
