"""Text file encodings that Chinese office files come in.

Input: the bytes of a text file. Output: its text and the encoding it was in: UTF-8 (a BOM is
allowed), else GB18030, the superset of GBK/GB2312 that old Windows editors save; None otherwise.
Used by the issue-file reader and the .txt/.md importer alike.
"""

from __future__ import annotations


def decode(data: bytes) -> tuple[str, str] | None:
    """Return the text and its encoding name (``utf-8`` or ``gb18030``), or None if it is neither.

    Traditional-Chinese Big5 bytes are mostly valid GB18030 too, but read so they are mojibake:
    such text (see :func:`_looks_like_big5`) is None, and :func:`likely` names the encoding.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _looks_like_big5(data, text):
            return None
        return text, encoding.removesuffix("-sig")
    return None


def _is_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_big5(data: bytes, text: str) -> bool:
    """Return True when GB18030 ``text`` is probably Big5 read wrongly: Simplified-Chinese files
    from old editors are nearly all GB2312 characters, Big5 read as GBK gives many characters
    outside it (and Japanese kana), while the bytes are valid Big5."""
    wide = [c for c in text if ord(c) >= 0x3040]
    if len(wide) < 8:  # a short text may well be a few rare characters (names)
        return False
    odd = sum(1 for c in wide if "\u3040" <= c <= "\u30ff" or not _is_gb2312(c))
    if odd / len(wide) < 0.3:
        return False
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return False
    return True


def likely(data: bytes) -> str:
    """Return the encoding that text which :func:`decode` refused is probably in, in Chinese."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        return "UTF-16（Unicode）"
    try:
        data.decode("big5")
        return "繁体中文 Big5"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("shift_jis")
        return "日文 Shift-JIS"
    except UnicodeDecodeError:
        return "未知编码，或不是文本文件"
