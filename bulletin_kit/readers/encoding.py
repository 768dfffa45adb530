"""Text file encodings that Chinese office files come in.

Input: the bytes of a text file. Output: its text and the encoding it was in: UTF-8 (a BOM is
allowed), else GB18030, the superset of GBK/GB2312 that old Windows editors save; None otherwise.
Used by the issue-file reader and the .txt/.md importer alike.
"""

from __future__ import annotations


def decode(data: bytes) -> tuple[str, str] | None:
    """Return the text and its encoding name (``utf-8`` or ``gb18030``), or None if it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    return None
