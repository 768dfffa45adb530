"""``bulletin schema``: the JSON Schema of issue files, for editors' completion and checks.

Input: an optional output file. Output: the schema on stdout or in that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..outputs import atomic_write_bytes


def run(out: Path | None) -> None:
    """Print the schema, or write it atomically to ``out``."""
    from ..readers.issue_schema import issue_json_schema

    text = json.dumps(issue_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_bytes(out, text.encode("utf-8"))
        click.echo(f"已写入 {out}")
