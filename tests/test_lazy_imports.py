"""Each command imports only what it needs: a new interpreter runs it and lists what got imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
