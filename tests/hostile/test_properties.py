"""Property tests (hypothesis): the YAML loader, the body parser, the lint rules and ``--fix`` never
raise, finish each example within a deadline, and never lose a Chinese character."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_kit import cjk, lint
from bulletin_kit.model import Heading, Paragraph, Table, plain
from bulletin_kit.problems import errors
from bulletin_kit.readers import body_text, yaml_source

SETTINGS = settings(
    max_examples=200,
    deadline=dt.timedelta(seconds=2),
    derandomize=True,  # the same examples on every run: CI is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HAN = "汉字中文简报工作会议一二三四"
MARKS = "，。、；：？！“”‘’（）《》【】…—·　"
ASCII = ",.;:?!\"'()[]<>*_#|-`\\/&%{}~ $@="
TEXT = st.text(alphabet=st.sampled_from(list(HAN + MARKS + ASCII + "0123456789abcXYZ１２ \n")), max_size=300)
# runs of one character, the usual way to make a regex backtrack
RUNS = st.builds(
    lambda c, n, tail: c * n + tail, st.sampled_from(list(MARKS + ASCII)), st.integers(0, 20_000), TEXT
)
BODY = st.one_of(TEXT, RUNS)
YAML_TOKENS = [
    *"abc: -[]{},&*!|>'\"#\n\t汉。123?%@`",
    "\n  ",
    ": ",
    "- ",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "2018-12-20",
]
YAML_TEXT = st.lists(st.sampled_from(YAML_TOKENS), max_size=120).map("".join)


_ENGLISH = re.compile(r"\b(found|expected|while|but|character|token|scanning|parsing|mapping)\b")


def _han(text: str) -> Counter[str]:
    return Counter(c for c in text if c in HAN)


@SETTINGS
@given(YAML_TEXT)
def test_yaml_loader_never_raises(text: str) -> None:
    doc, problems = yaml_source.load_text(text, Path("p.yaml"))
    assert doc is not None or problems
    for p in problems:
        assert p.message  # every code has its Chinese text, never PyYAML's English
        assert not _ENGLISH.search(p.message), p.message


@SETTINGS
@given(BODY)
def test_body_parser_keeps_every_chinese_character(text: str) -> None:
    blocks, problems = body_text.parse(text, body_text.BodySource(None, 1, "body", None))
    if errors(problems):
        return  # refused with a message (a picture outside the folder): nothing is printed silently
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out += [plain(block.spans), plain(block.run_in)]
        elif isinstance(block, Paragraph):
            out += [block.label or "", plain(block.spans)]
        elif isinstance(block, Table):
            out += [cell for row in block.rows for cell in row]
    assert _han(text) == _han("".join(out))


@SETTINGS
@given(BODY)
def test_lint_fix_is_idempotent_and_keeps_chinese(text: str) -> None:
    for line in text.split("\n"):
        fixed, findings = cjk.fix_line(line)
        assert cjk.fix_line(fixed)[0] == fixed
        assert _han(fixed) == _han(line)
        assert all(0 <= f.col <= len(line) for f in findings)


_SAFE_LINE = re.compile(r"[^\n\\]*")


@SETTINGS
@given(st.lists(TEXT.filter(lambda t: "\\" not in t), min_size=1, max_size=4))
def test_fix_file_is_idempotent_and_keeps_chinese(tmp_path_factory, paragraphs: list[str]) -> None:  # type: ignore[no-untyped-def]
    body = "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)
    indented = "".join(f"      {line}\n" for line in body.split("\n"))
    text = f"issue_no: 1\ndate: 2018-12-20\narticles:\n  - title: 标题\n    body: |\n{indented}"
    path = tmp_path_factory.mktemp("fix") / "2018-1.yaml"
    path.write_text(text, encoding="utf-8")
    new_text, _changes, _problems = lint.fix_file(path)
    if new_text is None:
        return  # nothing to fix, or refused: the file is unchanged
    assert _han(new_text) == _han(text)
    path.write_text(new_text, encoding="utf-8")
    again, _changes, _problems = lint.fix_file(path)
    assert again is None or again == new_text
