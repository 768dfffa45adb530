"""Reading input files safely: only regular files, never blocking, never more than a limit.

Input: a path and a byte limit. Output: the file's bytes, or an exception saying what is wrong
(a folder, a named pipe, a device, too large). A named pipe or a link to ``/dev/zero`` given as an
issue file must be refused at once, not read until the program hangs or memory runs out: the file
is checked with ``os.stat`` before it is opened, opened with ``O_NONBLOCK`` and checked again on the
open descriptor (it may have been swapped in between), and read up to ``limit + 1`` bytes only.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISCHR, "设备"),
    (stat.S_ISBLK, "设备"),
    (stat.S_ISSOCK, "套接字"),
)


class NotRegular(OSError):
    """``path`` exists but is not a regular file; ``kind`` says what it is, in Chinese."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is a {kind}")
        self.path = path
        self.kind = kind


class TooLarge(OSError):
    """``path`` is larger than the limit; ``size`` is at least ``limit + 1``."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(f"{path} is too large")
        self.path = path
        self.size = size


def kind_of(mode: int) -> str | None:
    """Return None for a regular file, else what it is (文件夹、命名管道、设备……)."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "特殊文件")


def check_regular(path: Path) -> os.stat_result:
    """Return ``path``'s stat (following links) or raise :class:`NotRegular` / ``OSError``."""
    st = os.stat(path)
    kind = kind_of(st.st_mode)
    if kind is not None:
        raise NotRegular(path, kind)
    return st


def read_regular(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``; raise NotRegular, TooLarge or OSError."""
    st = check_regular(path)
    if st.st_size > limit:
        raise TooLarge(path, st.st_size)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        kind = kind_of(st.st_mode)
        if kind is not None:
            raise NotRegular(path, kind)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # the file grew after stat
            raise TooLarge(path, total)
        return b"".join(chunks)
    finally:
        os.close(fd)


_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "这是只读的位置",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "同名的文件夹挡住了",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOENT: "找不到这个位置",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "磁盘读写错误",
    errno.EFBIG: "文件超过系统允许的大小（磁盘空间或配额不足）",
    errno.EMFILE: "打开的文件过多",
    errno.EBUSY: "文件正被占用",
    errno.EXDEV: "不能跨磁盘改名",
}


def os_reason(exc: OSError) -> str:
    """Return the cause of ``exc`` in Chinese, with the folder or file it concerns."""
    if isinstance(exc, NotRegular):
        return f"{exc.path} 是{exc.kind}"
    cause = _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    where = exc.filename if exc.filename is not None else ""
    return f"{cause}（{where}）" if where else cause
