"""Outputs are written atomically, and a Word file someone edited is never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_kit import outputs, pipeline
from bulletin_kit.cli import cli
from bulletin_kit.problems import Problem

ISSUE = "issue_no: 3\ndate: 2019-01-05\nmasthead: {name: 测试信息, publisher: 办公室}\narticles:\n  - title: 标题\n    body: 正文。\n"


@pytest.fixture
def issue_file(tmp_path: Path) -> Path:
    path = tmp_path / "issues" / "2019-3.yaml"
    path.parent.mkdir()
    path.write_text(ISSUE, encoding="utf-8")
    return path


class FakeWriter:
    """Stands in for a real writer so these tests exercise only the output guard."""

    def __init__(self) -> None:
        self.content = b"version 1"
        self.fail: Exception | None = None
        self.problems: list[Problem] = []

    def __call__(self, issue, theme, dest: Path) -> list[Problem]:
        dest.write_bytes(b"partial")
        if self.fail:
            raise self.fail
        dest.write_bytes(self.content)
        return self.problems


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeWriter:
    writer = FakeWriter()
    monkeypatch.setattr(pipeline, "writer_for", lambda fmt: writer)
    return writer


def build(issue_file: Path, *extra: str):
    out = issue_file.parent.parent / "output"
    return CliRunner().invoke(cli, ["build", str(issue_file), "-o", str(out), "--to", "docx", *extra])


def edit(issue_file: Path) -> None:
    """Change the issue file (a comment), so that the next build is not skipped as unchanged."""
    issue_file.write_text(issue_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


def test_build_records_and_rebuilds(issue_file: Path, fake: FakeWriter) -> None:
    result = build(issue_file)
    assert result.exit_code == 0, result.output
    dest = issue_file.parent.parent / "output" / "2019-3.docx"
    assert dest.read_bytes() == b"version 1"
    assert outputs.read_manifest(dest.parent) == {"2019-3.docx": outputs.sha256(dest)}
    fake.content = b"version 2"
    edit(issue_file)
    assert build(issue_file).exit_code == 0
    assert dest.read_bytes() == b"version 2"


def test_edited_docx_is_kept(issue_file: Path, fake: FakeWriter) -> None:
    build(issue_file)
    dest = issue_file.parent.parent / "output" / "2019-3.docx"
    dest.write_bytes(b"reviewed in Word")
    fake.content = b"version 2"
    result = build(issue_file)
    assert result.exit_code == 1
    assert "在上次生成之后被修改过" in result.stderr and "--force" in result.stderr
    assert dest.read_bytes() == b"reviewed in Word"

    result = build(issue_file, "--force")
    assert result.exit_code == 0, result.output
    assert dest.read_bytes() == b"version 2"
    backups = list(dest.parent.glob("2019-3.修改稿-*.docx"))
    assert [b.read_bytes() for b in backups] == [b"reviewed in Word"]


def test_unknown_docx_in_the_way_is_kept(issue_file: Path, fake: FakeWriter) -> None:
    """A .docx that bulletin-kit never wrote (no manifest entry) counts as edited."""
    dest = issue_file.parent.parent / "output" / "2019-3.docx"
    dest.parent.mkdir()
    dest.write_bytes(b"someone's file")
    assert build(issue_file).exit_code == 1
    assert dest.read_bytes() == b"someone's file"


@pytest.mark.parametrize("failure", ["exception", "problem"])
def test_failed_write_leaves_nothing(issue_file: Path, fake: FakeWriter, failure: str) -> None:
    build(issue_file)
    out = issue_file.parent.parent / "output"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fake.content = b"version 2"
    edit(issue_file)
    if failure == "exception":
        fake.fail = RuntimeError("boom")
    else:
        fake.problems = [Problem("build.failed", args={"fmt": "docx", "detail": "x"})]
    result = build(issue_file)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file, old file intact


def test_invalid_issue_writes_nothing(issue_file: Path, fake: FakeWriter) -> None:
    issue_file.write_text(ISSUE.replace("issue_no: 3", "issue_no: 0"), encoding="utf-8")
    result = build(issue_file)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "1 个错误；未生成任何文件。"
    assert not (issue_file.parent.parent / "output").exists()


def test_atomic_write_cleans_up(tmp_path: Path) -> None:
    dest = tmp_path / "a.pdf"

    def boom(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        outputs.atomic_write(dest, boom)
    assert list(tmp_path.iterdir()) == []


def test_schema_command(tmp_path: Path) -> None:
    out = tmp_path / "issue.schema.json"
    result = CliRunner().invoke(cli, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    import json

    schema = json.loads(out.read_text(encoding="utf-8"))
    props = schema["properties"]
    assert props["issue_no"]["title"] == "期号"
    assert props["articles"]["items"]["$ref"].endswith("ArticleIn")
    assert schema["$defs"]["ArticleIn"]["additionalProperties"] is False
