"""Each command imports only what it needs: a new interpreter runs it and lists what got imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from bulletin_kit.writers import weasyprint_loader

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2018-28.yaml"

RUN = """
import json, sys
from bulletin_kit.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="bulletin", standalone_mode=False)
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""

HEAVY = {
    "weasyprint": "the PDF writer",
    "bulletin_kit.writers.pdf": "the PDF writer",
    "docx": "the Word writer",
    "docxtpl": "the Word writer",
    "bulletin_kit.lint": "the content lint",
    "bulletin_kit.cjk": "the content lint (autocorrect's rules and large regexes: 30 ms)",
    "bulletin_kit.importing": "the importer",
    "bulletin_kit.readers.contrib": "the importer",
    "watchfiles": "bulletin watch",
    "bulletin_kit.readers.news": "the importer (its regexes: 8 ms)",
}


def imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    names = set(json.loads(done.stdout.splitlines()[-1]))
    assert "bulletin_kit.cli" in names
    return {name for name in HEAVY if name in names}


@pytest.mark.parametrize(
    ("command", "allowed"),
    [
        (["check", str(SAMPLE)], {"bulletin_kit.lint", "bulletin_kit.cjk"}),
        (["new", "{tmp}", "--date", "2019-01-05"], set()),
        (["build", str(SAMPLE), "--to", "docx", "-o", "{tmp}"], {"docx", "docxtpl"}),
        # the PDF of a single issue is written by a forked worker (bulletin_kit.pdf_worker)
        (["build", str(SAMPLE), "-o", "{tmp}"], {"docx", "docxtpl"}),
    ],
    ids=["check", "new", "build-docx", "build"],
)
def test_command_imports_only_what_it_needs(tmp_path: Path, command: list[str], allowed: set[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert imported(*args) == allowed


def test_weasyprint_loads_without_library_search() -> None:
    """The PDF writer imports WeasyPrint without ctypes' subprocess search, and puts the search back."""
    code = """
import ctypes.util, subprocess, sys
search = ctypes.util.find_library
calls = []
real_popen = subprocess.Popen
class Counting(real_popen):
    def __init__(self, *a, **k):
        calls.append(a[0] if a else k.get("args"))
        super().__init__(*a, **k)
subprocess.Popen = Counting
from bulletin_kit.writers import weasyprint_loader
module = weasyprint_loader.load()
assert module is sys.modules["weasyprint"] and weasyprint_loader.load() is module
assert ctypes.util.find_library is search
from weasyprint.text.ffi import pango
assert pango.pango_version() > 0
print(len(calls))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0"]  # no ldconfig/gcc/ld subprocess


IN_PROCESS = """
import json, sys
from pathlib import Path
from bulletin_kit import pipeline
assert pipeline.build(Path(sys.argv[1]), Path(sys.argv[2])).ok
print(json.dumps(sorted(sys.modules)))
"""


def test_build_defers_fonttools_and_multiprocessing(tmp_path: Path) -> None:
    """A cold build of the sample imports neither fontTools (0.1 s) nor multiprocessing: neither the
    command's process nor one that writes the PDF itself (pipeline.build, as the PDF worker does)."""
    for index, code in enumerate((RUN, IN_PROCESS)):
        args = (
            ["build", str(SAMPLE), "-o", str(tmp_path / "cli")]
            if code is RUN
            else [str(SAMPLE), str(tmp_path)]
        )
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
        names = set(json.loads(done.stdout.splitlines()[-1]))
        assert ("weasyprint" in names) == (index == 1)  # the command's PDF: in bulletin_kit.pdf_worker
        assert not {n for n in names if n.split(".")[0] in {"fontTools", "multiprocessing"}}


def test_deferred_fonttools_loads_for_real_when_weasyprint_uses_it(tmp_path: Path) -> None:
    """WeasyPrint's fontTools path (subsetting without HarfBuzz) still works, with the real modules."""
    code = """
import sys
from bulletin_kit.writers import weasyprint_loader
weasyprint = weasyprint_loader.load()
assert not [n for n in sys.modules if n.startswith("fontTools")]
from weasyprint.pdf import fonts
fonts.harfbuzz_subset = None  # as on a system without libharfbuzz-subset: fontTools subsets
html = '<p style="font-family: DejaVu Sans; font-size: 20pt">Hello fontTools</p>'
pdf = weasyprint.HTML(string=html).write_pdf()
import fontTools.subset, fontTools.ttLib, fontTools.varLib.instancer
assert fonts.subset is fontTools.subset and fonts.ttFont is fontTools.ttLib.ttFont
assert fonts.TTFont is fontTools.ttLib.TTFont and fonts.TTLibError is fontTools.ttLib.TTLibError
assert fonts.instantiateVariableFont is fontTools.varLib.instancer.instantiateVariableFont
from weasyprint.text import fonts as text_fonts
assert text_fonts.woff2 is fontTools.ttLib.woff2 and text_fonts.TTFont is fontTools.ttLib.TTFont
open(sys.argv[1], "wb").write(pdf)
print("ok")
"""
    out = tmp_path / "fonttools.pdf"
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok"]
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
    assert "".join(c["text"] for c in chars) == "Hello fontTools"
    assert {c["fontname"].split("+")[-1] for c in chars} == {"DejaVu-Sans"}


LOAD = """
import json, sys
from bulletin_kit.writers import weasyprint_loader
weasyprint_loader.load()
from weasyprint.text.ffi import ffi, pango
assert pango.pango_version() > 0 and ffi.sizeof("hb_codepoint_t[3]") == 12
print(json.dumps([type(ffi).__module__, "pycparser" in sys.modules]))
"""


def _load_weasyprint(cache: Path) -> list[object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", LOAD], capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    result: list[object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_weasyprint_c_declarations_are_parsed_once_then_read_from_the_cache(tmp_path: Path) -> None:
    """The first load parses WeasyPrint's cdef and caches it; later loads need no C parser."""
    assert _load_weasyprint(tmp_path) == ["_cffi_backend", True]
    cached = list((tmp_path / "bulletin-kit" / "cffi").glob("*.txt"))
    assert len(cached) == 1
    assert _load_weasyprint(tmp_path) == ["_cffi_backend", False]
    cached[0].write_text("{'_types': b'\\x00", encoding="ascii")  # corrupt: parsed again, rewritten
    assert _load_weasyprint(tmp_path) == ["_cffi_backend", True]
    assert _load_weasyprint(tmp_path) == ["_cffi_backend", False]
    cached[0].write_text("{'__name__': 'x', '_types': b'nonsense'}", encoding="utf-8")  # reads, does not fit
    assert _load_weasyprint(tmp_path) == ["_cffi_backend", True]
    assert _load_weasyprint(tmp_path) == ["_cffi_backend", False]
    unwritable = tmp_path / "file"
    unwritable.write_text("")  # the cache dir cannot be created under a file: still loads
    assert _load_weasyprint(unwritable) == ["_cffi_backend", True]


def test_cached_c_declarations_equal_a_fresh_parse_and_follow_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = "typedef uint32_t hb_codepoint_t; int pango_version (void);"
    fresh = weasyprint_loader.compiled_ffi_arguments(source)
    assert weasyprint_loader.compiled_ffi_arguments(source) == fresh
    assert len(list((tmp_path / "bulletin-kit" / "cffi").glob("*.txt"))) == 1
    changed = weasyprint_loader.compiled_ffi_arguments(source + " int pango_version_check (int);")
    assert changed != fresh
    assert len(list((tmp_path / "bulletin-kit" / "cffi").glob("*.txt"))) == 2
    ffi = weasyprint_loader.compiled_ffi(source)
    assert ffi.sizeof("hb_codepoint_t") == 4
