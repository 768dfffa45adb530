"""WeasyPrint's stream compression, C array allocation, font copies and subsetting, made cheaper (issue 14)."""

from __future__ import annotations

import zlib
from typing import Any

import pytest

from bulletin_kit.writers import weasyprint_loader, weasyprint_margins, weasyprint_speed


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
    compiled = type(ffi).__module__ == "_cffi_backend"
    expected = ["zlib", "fonts", "threads"] if compiled else ["zlib", "cffi", "fonts", "threads"]
    assert weasyprint_speed.install() == expected
    first = ffi.new
    assert weasyprint_speed.install() == expected
    assert ffi.new == first  # not wrapped twice
    from weasyprint.pdf.fonts import Font

    subset = Font._harfbuzz_subset
    assert weasyprint_speed._install_font_changes() is False  # the changed Font is not recognised again
    assert weasyprint_speed._install_font_threads() is False  # nor the wrapped font dictionary
    assert Font._harfbuzz_subset is subset


def test_pdf_streams_are_flate_at_level_6_and_decode_to_the_same_bytes() -> None:
    _weasyprint_ffi()
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


@pytest.fixture(scope="module")
def cleaned_fonts(ffi: Any) -> list[tuple[Any, bytes, dict[int, str], bool]]:
    """Draw CJK and Latin text; return each font as cleaned, its full file, glyphs used and hinting."""
    from weasyprint import HTML
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text.fonts import get_hb_object_data

    seen = []
    clean = pdf_fonts.Font.clean

    def recording_clean(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        assert isinstance(vars(self)[weasyprint_speed._FILE_CONTENT], weasyprint_speed._FaceBytes)
        full = get_hb_object_data(self.hb_face)
        clean(self, to_unicode, hinting)
        seen.append((self, full, dict(to_unicode), hinting))

    families = ["FandolSong", "FandolFang", "FandolKai", "FandolHei", "Noto Serif CJK SC", "Liberation Serif"]
    body = "".join(f'<p style="font-family: {f}">{f} 国务院办公厅 2018 年第 28 期。</p>' for f in families)
    pdf_fonts.Font.clean = recording_clean
    try:
        HTML(string=f"<b>加粗标题 Bold</b>{body}").write_pdf()
    finally:
        pdf_fonts.Font.clean = clean
    return seen


def test_font_files_are_copied_only_when_read(cleaned_fonts: list[Any]) -> None:
    from weasyprint.text.fonts import get_hb_object_data

    assert cleaned_fonts
    for font, full, _, _ in cleaned_fonts:
        # the subset replaced the face's bytes, which were never copied; the original still reads alike
        subset = font.file_content
        assert isinstance(subset, bytes) and 0 < len(subset) < len(full)
        vars(font)[weasyprint_speed._FILE_CONTENT] = weasyprint_speed._FaceBytes(
            font.hb_face, get_hb_object_data
        )
        assert font.file_content == full
        font.file_content = subset
        assert font.file_content is subset


def test_one_pass_subsetting_gives_the_same_font_files_as_weasyprints_two(cleaned_fonts: list[Any]) -> None:
    one_pass = [entry for entry in cleaned_fonts if set(entry[0].tables) <= weasyprint_speed.ONE_PASS_TABLES]
    if not one_pass:
        pytest.skip("no CFF font installed")
    two_passes = weasyprint_speed._two_passes
    assert two_passes is not None
    passes = []
    weasyprint_speed._two_passes = lambda *args: passes.append(args[0].family)
    try:
        for font, _, to_unicode, hinting in one_pass:
            font._harfbuzz_subset(to_unicode, hinting)
    finally:
        weasyprint_speed._two_passes = two_passes
    assert set(passes) < {font.family for font, *_ in one_pass}  # at least one font took one pass
    for font, _, to_unicode, hinting in cleaned_fonts:
        mine = font.file_content
        two_passes(font, to_unicode, hinting)
        assert font.file_content == mine, font.family


# --- margin boxes without content ----------------------------------------------------------------

PAGED_HTML = """<html><head><style>
@page { size: 100mm 60mm; margin: 12mm; @bottom-right { content: "— " counter(page) " —"; } }
p { font-size: 10pt; line-height: 14pt; margin: 0 }
</style></head><body>{body}</body></html>""".replace("{body}", "<p>段落文字，一二三四五六七八九十。</p>" * 12)


def _pseudo_types(sheets) -> set[str]:
    return {
        selector[1] for sheet in sheets for rule in sheet.page_rules for selector in rule[1] if selector[1]
    }


def test_unused_margin_boxes_leave_the_ua_sheet_of_one_document_only(ffi) -> None:
    from weasyprint import CSS, HTML

    user = CSS(string="@page :first { @top-center { content: '内部' } }")
    document = HTML(string=PAGED_HTML)
    stock = document._ua_stylesheets()
    assert weasyprint_margins.skip_unused_margin_boxes(document, PAGED_HTML, [user])
    kept = _pseudo_types(document._ua_stylesheets())
    assert _pseudo_types(stock) >= weasyprint_margins.MARGIN_BOXES  # WeasyPrint styles all 16
    assert kept & weasyprint_margins.MARGIN_BOXES == {"@bottom-right", "@top-center"}
    assert _pseudo_types(stock) - weasyprint_margins.MARGIN_BOXES <= kept  # @footnote and the like stay
    assert _pseudo_types(HTML(string=PAGED_HTML)._ua_stylesheets()) == _pseudo_types(
        stock
    )  # shared sheet intact
    assert document._ua_stylesheets()[0].matcher is stock[0].matcher


def test_a_document_without_unused_margin_boxes_renders_the_same_pdf(ffi) -> None:
    from weasyprint import CSS, HTML

    user = CSS(
        string="@page :first { @top-center { content: '内部'; } } @page { @left-middle { content: 'x'; } }"
    )
    stock = HTML(string=PAGED_HTML).write_pdf(stylesheets=[user])
    document = HTML(string=PAGED_HTML)
    assert weasyprint_margins.skip_unused_margin_boxes(document, PAGED_HTML, [user])
    rendered = document.render(stylesheets=[user])
    assert len(rendered.pages) > 1
    assert rendered.write_pdf() == stock


def test_unexpected_stylesheet_objects_change_nothing(ffi) -> None:
    from weasyprint import HTML

    document = HTML(string=PAGED_HTML)
    assert not weasyprint_margins.skip_unused_margin_boxes(document, PAGED_HTML, [object()])
    assert "_ua_stylesheets" not in vars(document)


THREADED_HTML = "".join(
    f'<p style="font-family: {family}">{family} 国务院办公厅 2018 年第 28 期 Bulletin。</p>'
    for family in (
        "FandolSong",
        "FandolFang",
        "FandolKai",
        "FandolHei",
        "Noto Serif CJK SC",
        "Liberation Serif",
    )
)


def _write(threaded: bool) -> bytes:
    from contextlib import nullcontext

    from weasyprint import HTML

    with weasyprint_speed.fonts_in_threads() if threaded else nullcontext():
        pdf: bytes = HTML(string=THREADED_HTML).write_pdf()
    return pdf


def test_fonts_in_threads_write_the_same_bytes_and_leave_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    _weasyprint_ffi()
    answered: list[int] = []
    precompressed = weasyprint_speed._Precompressed.compress

    def counting(self: Any, data: Any) -> bytes:
        result = precompressed(self, data)
        if self.done:
            answered.append(len(data))
        return result

    monkeypatch.setattr(weasyprint_speed._Precompressed, "compress", counting)
    before = threading.active_count()
    serial = _write(threaded=False)
    assert not answered
    assert _write(threaded=True) == serial
    assert len(answered) >= 5  # the font files, compressed by the pool (one per family but shared files)
    assert threading.active_count() == before
    assert getattr(weasyprint_speed._active, "write", None) is None


def test_fonts_in_threads_without_threads_is_the_serial_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    _weasyprint_ffi()
    serial = _write(threaded=False)

    def cannot_start(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", cannot_start)
    assert _write(threaded=True) == serial


def test_an_error_in_a_font_job_reaches_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    _weasyprint_ffi()
    from weasyprint.pdf import fonts as pdf_fonts

    def broken(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        raise ValueError("broken font")

    # the pool calls the Font.clean it found at install (the same function WeasyPrint's own)
    monkeypatch.setattr(weasyprint_speed, "_clean_job", lambda *args: lambda: broken(None, {}, False))
    before = threading.active_count()
    with pytest.raises(ValueError, match="broken font"):
        _write(threaded=True)
    assert threading.active_count() == before
    assert pdf_fonts.Font.clean is not broken
