"""WeasyPrint's stream compression and C array allocation, made cheaper (issue 14)."""

from __future__ import annotations

import zlib

import pytest

from bulletin_kit.writers import weasyprint_loader, weasyprint_speed


def _weasyprint_ffi():
    weasyprint_loader.load()
    weasyprint_speed.install()
    from weasyprint.text.ffi import ffi

    return ffi


@pytest.fixture(scope="module", params=["weasyprint", "inline"])
def ffi(request):
    """WeasyPrint's FFI (compiled by weasyprint_loader), and an ordinary cffi FFI with the wrapped ``new``."""
    if request.param == "weasyprint":
        return _weasyprint_ffi()
    import cffi

    inline = cffi.FFI()
    inline.cdef(
        "typedef uint32_t hb_codepoint_t; typedef uint32_t hb_tag_t;"
        "typedef struct { int x; int y; int width; int height; } PangoRectangle;"
    )
    inline.new = weasyprint_speed.sized_arrays_as_open(inline.new)
    return inline


def test_installed_once_on_the_pinned_weasyprint() -> None:
    ffi = _weasyprint_ffi()
    # WeasyPrint's FFI is compiled by weasyprint_loader: it parses types in C, nothing to wrap.
    expected = ["zlib"] if type(ffi).__module__ == "_cffi_backend" else ["zlib", "cffi"]
    assert weasyprint_speed.install() == expected
    first = ffi.new
    assert weasyprint_speed.install() == expected
    assert ffi.new == first  # not wrapped twice


def test_pdf_streams_are_flate_at_level_6_and_decode_to_the_same_bytes(ffi) -> None:
    import pydyf

    stream = pydyf.Stream([b"BT /F1 12 Tf (abc) Tj ET"] * 200, compress=True)
    data = stream.data
    body = data.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert b"/FlateDecode" in data
    assert zlib.decompress(body) == b"\n".join([b"BT /F1 12 Tf (abc) Tj ET"] * 200)
    expected = zlib.compressobj(weasyprint_speed.ZLIB_LEVEL)
    assert body == expected.compress(zlib.decompress(body)) + expected.flush()


def test_sized_arrays_keep_their_length_content_and_zero_fill(ffi) -> None:
    array = ffi.new("hb_codepoint_t[5]", [7, 8, 9])
    assert len(array) == 5 and list(array) == [7, 8, 9, 0, 0]
    assert ffi.sizeof(array) == 5 * ffi.sizeof("hb_codepoint_t")
    assert list(ffi.new("hb_tag_t[3]")) == [0, 0, 0]
    name = ffi.new("char[4]")
    name[0:2] = b"OS"
    assert ffi.string(name) == b"OS"
    with pytest.raises(IndexError):
        ffi.new("hb_codepoint_t[2]", [1, 2, 3])


def test_other_types_go_through_unchanged(ffi) -> None:
    rect = ffi.new("PangoRectangle *")
    assert ffi.typeof(rect) is ffi.typeof("PangoRectangle *")
    assert ffi.typeof(ffi.new("char[]", b"ab")) is ffi.typeof("char[]")
    grid = ffi.new("int[2][3]")
    assert len(grid) == 2 and len(grid[0]) == 3
