"""The reader's source map: every element of the model points back to where it was typed, and the
structural lint works from the model and the map alone (no second read of series.yaml or the bodies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_kit import lint
from bulletin_kit.model import Heading, Paragraph
from bulletin_kit.readers import body_text, issue_yaml

ISSUE = """\
issue_no: 1
date: 2020-01-01
toc: [甲文章, 乙文章]
articles:
  - title: 甲文章
    source: 办公室
    body: |
      第一段正文。

      一、第一节

      （二）跳了一号

  - title: 乙文章
    body: 只有一段。
"""


@pytest.fixture
def issue_file(tmp_path: Path) -> Path:
    (tmp_path / "series.yaml").write_text(
        "masthead: {name: 刊, publisher: 办}\nchecks: {require_source: true}\n", encoding="utf-8"
    )
    path = tmp_path / "one.yaml"
    path.write_text(ISSUE, encoding="utf-8")
    return path


def test_fields_and_blocks_point_at_what_was_typed(issue_file: Path) -> None:
    issue, source_map, problems = issue_yaml.load_mapped(issue_file)
    assert issue is not None and source_map is not None, [p.render() for p in problems]
    lines = ISSUE.splitlines()
    title = source_map.at(("articles", 1, "title"))
    assert title is not None
    assert lines[title.line - 1][title.col - 1 :] == "乙文章"
    toc = source_map.at(("toc", 1))
    assert toc is not None and lines[toc.line - 1][toc.col - 1 :].startswith("乙文章")
    checks = source_map.at(("checks", "require_source"))
    assert checks is not None and checks.file.name == "series.yaml"  # a series default: series.yaml
    blocks = issue.articles[0].blocks
    assert [type(b) for b in blocks] == [Paragraph, Heading, Heading]
    for j, block in enumerate(blocks):
        line = source_map.block_line(0, j)
        assert line is not None
        text = block.spans[0].text if isinstance(block, Paragraph) else block.number
        assert text and lines[line - 1].strip().startswith(text), (j, line)
    assert source_map.block_line(1, 0) == 15  # a plain scalar body starts on its key's line
    assert issue.checks.require_source


def test_lenient_model_of_an_issue_with_errors(tmp_path: Path, issue_file: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        ISSUE.replace("issue_no: 1", "issue_no: 0").replace(
            "  - title: 乙文章\n", "  - 不是映射\n  - x: 1\n"
        ),
        encoding="utf-8",
    )
    strict, strict_map, problems = issue_yaml.load_mapped(bad)
    assert strict is None and strict_map is None and problems
    issue, source_map, _ = issue_yaml.load_mapped(bad, lenient=True)
    assert issue is not None and source_map is not None
    assert [a.title for a in issue.articles] == [("甲文章",), ()]
    assert source_map.article(1) == 2  # the entry that is not a mapping is left out of the model


def test_structural_lint_needs_only_the_model_and_the_map(
    issue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue, source_map, _ = issue_yaml.load_mapped(issue_file)
    expected = lint.lint_file(issue_file)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("lint read series.yaml or parsed a body again")

    monkeypatch.setattr(issue_yaml, "load_yaml", refuse)
    monkeypatch.setattr(issue_yaml, "load_mapped", refuse)
    monkeypatch.setattr(body_text, "parse_located", refuse)
    found = lint.lint_file(issue_file, issue, source_map)
    assert found == expected
    assert [(p.code, p.line, p.col, p.path) for p in found] == [
        ("lint.heading_sequence", 12, 1, "articles[0].body"),
        ("lint.no_source", 14, 5, "articles[1]"),
    ]
