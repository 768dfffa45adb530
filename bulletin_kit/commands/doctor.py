"""``bulletin doctor``: whether this machine can build: Python, WeasyPrint, fonts, LibreOffice.

Input: nothing. Output: one line per component, exit 1 when the environment is incomplete.
"""

from __future__ import annotations

import platform
import shutil
import sys

import click

from .. import __version__


def run() -> None:
    """Print the versions, each font role's font, and whether LibreOffice is installed."""
    import weasyprint

    from .. import fonts

    click.echo(
        f"bulletin-kit {__version__}，Python {platform.python_version()}，WeasyPrint {weasyprint.__version__}"
    )
    report = fonts.FontReport(fonts.resolve_all(), {}, fonts.harfbuzz_subset_available())
    for line in report.lines():
        click.echo(line)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    click.echo(f"LibreOffice：{office or '未安装（只有测试需要：bash scripts/setup.sh --dev）'}")
    if not report.ok or not report.harfbuzz_subset:
        click.echo("环境不完整：请运行 bash scripts/setup.sh", err=True)
        sys.exit(1)
    click.echo("环境正常。")
