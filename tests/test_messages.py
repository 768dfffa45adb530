"""The problem codes: every code the source uses exists, every code that exists is used, none is a bare string."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_kit import cjk
from bulletin_kit.messages import MESSAGES, Code
from bulletin_kit.problems import Problem

PACKAGE = Path(__file__).resolve().parent.parent / "bulletin_kit"
SOURCES = {
    path: path.read_text(encoding="utf-8")
    for path in sorted(PACKAGE.rglob("*.py"))
    if path.name != "messages.py"
}
CODE_USE = re.compile(r"\bCode\.([A-Z][A-Z0-9_]*)\b")
LINT_RULE_CODES = {Code(f"lint.{rule}") for rule in cjk.RULES}
"""Codes built at run time from a rule of :mod:`bulletin_kit.cjk` (``Code(f"lint.{rule}")`` in lint.py)."""


def used_names() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path, text in SOURCES.items():
        for name in CODE_USE.findall(text):
            found.setdefault(name, []).append(path.relative_to(PACKAGE.parent).as_posix())
    return found


def test_every_code_used_in_the_source_exists() -> None:
    unknown = {name: where for name, where in used_names().items() if name not in Code.__members__}
    assert unknown == {}


def test_every_code_is_used() -> None:
    used = set(used_names())
    unused = [code.name for code in Code if code.name not in used and code not in LINT_RULE_CODES]
    assert unused == []


def test_codes_are_never_bare_strings() -> None:
    """A code written as a string literal would escape both checks above (and mypy)."""
    values = {code.value for code in Code}
    literal = re.compile(r"[\"']([a-z_]+(?:\.[a-z_]+)+)[\"']")
    bare = [
        f"{path.name}: {value}"
        for path, text in SOURCES.items()
        for value in literal.findall(text)
        if value in values
    ]
    assert bare == []


def test_every_text_rule_has_a_lint_code() -> None:
    assert all(code.text == "{desc}" and code.hint == "{hint}" for code in LINT_RULE_CODES)
    lint_text_codes = {code for code in Code if code.text == "{desc}"}
    assert lint_text_codes == LINT_RULE_CODES  # no lint code left over from a removed rule


def test_each_code_owns_its_sentence_and_hint() -> None:
    assert Code.FILE_MISSING == "file.missing" and Code("file.missing") is Code.FILE_MISSING
    assert (Code.FILE_MISSING.text, Code.FILE_MISSING.hint) == ("找不到文件", "请检查文件名和路径")
    assert {code.value: (code.text, code.hint) for code in Code} == MESSAGES
    assert len(Code.__members__) == len(Code)  # no two names share a code (an alias would hide one)
    assert all(code.text for code in Code)


def test_problem_takes_a_code() -> None:
    problem = Problem(Code.NEW_EXISTS, args={"file": "issues/2019-1.yaml"})
    assert problem.message == "issues/2019-1.yaml 已存在，未覆盖（如要重新生成，请先改名或删除原文件）"
    assert Problem("lint.ellipsis", args={"desc": "d", "hint": ""}).code is Code.LINT_ELLIPSIS  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no_such"):
        Problem("file.no_such")  # type: ignore[arg-type]
