"""Pictures as Word can take them: python-docx's header, or the picture re-encoded upright with Pillow.

Input: picture bytes. Output: bytes python-docx can embed and their :class:`docx.image.image.Image`.
"""

from __future__ import annotations

import io
import struct

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from PIL import Image as PILImage
from PIL import ImageOps

# What reading a broken or hostile picture can raise: python-docx's header parsers, and Pillow's
# decoders (UnidentifiedImageError is an OSError; truncated files give SyntaxError or EOFError).
PICTURE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    ZeroDivisionError,
    struct.error,
    UnrecognizedImageError,
    PILImage.DecompressionBombError,
)


def word_picture(data: bytes) -> tuple[bytes, DocxImage]:
    """Return picture bytes python-docx can embed (``data`` itself when it can) and their header.

    python-docx knows JPEG only by a JFIF or Exif header and does not know WebP, so a CMYK JPEG saved
    by Pillow (Adobe header) or a WebP renamed to .jpg would be lost although the PDF shows it; Word
    ignores an EXIF orientation, so a phone photo would lie on its side. Such a file is re-encoded in
    memory, upright: JPEG for photographs (a JPEG or WebP source without transparency),
    RGB(A) PNG for the rest. Raises one of :data:`PICTURE_ERRORS` when Pillow cannot read it either.
    """
    try:
        image = DocxImage.from_blob(data)
        if image.px_width > 0 and image.px_height > 0 and not _exif_rotated(data):
            return data, image
    except PICTURE_ERRORS:
        pass
    data = _reencode(data)
    return data, DocxImage.from_blob(data)


_EXIF_ORIENTATION = 0x0112


def _exif_rotated(data: bytes) -> bool:
    """Return whether the picture's EXIF orientation turns or mirrors it (a phone photo taken upright):
    Word ignores the tag and would show it sideways, so it is re-encoded upright as the PDF shows it."""
    with PILImage.open(io.BytesIO(data)) as picture:
        return picture.getexif().get(_EXIF_ORIENTATION, 1) not in (0, 1)


def _reencode(data: bytes) -> bytes:
    with PILImage.open(io.BytesIO(data)) as source:
        source.load()
        kind = source.format
        dpi = source.info.get("dpi")
        picture = ImageOps.exif_transpose(source)  # the orientation tag does not survive re-encoding
    transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    out = io.BytesIO()
    options: dict[str, object] = {}
    if dpi and len(dpi) == 2 and all(isinstance(d, int | float) and d >= 1 for d in dpi):
        options["dpi"] = tuple(round(d) for d in dpi)
    if kind in ("JPEG", "MPO", "WEBP") and not transparent:
        picture.convert("RGB").save(out, "JPEG", quality=92, **options)
    else:
        picture.convert("RGBA" if transparent else "RGB").save(out, "PNG", **options)
    return out.getvalue()
