"""The ``bulletin`` command: click wiring only; each command's work is in :mod:`bulletin_kit.commands`.

Input: command-line arguments. Output: messages (problems on stderr) and the exit code:
0 success, 1 bad input or failed build, 2 bad usage. Holds no document logic; each command's module
is imported only when that command runs.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

import click

from . import __version__, cli_zh, interrupts, pdf_worker
from .messages import Code
from .problems import Level, Problem
from .safe_io import os_reason

cli_zh.install()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_out_option = click.option(
    "-o",
    "--out",
    "out_dir",
    default=Path("output"),
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="输出文件夹。",
)
"""``-o/--out``: the output folder of ``build`` and ``watch``."""


@click.group(cls=cli_zh.Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="bulletin-kit")
def cli() -> None:
    """bulletin-kit：用一个 YAML 文件排出一期简报（Word + PDF）。

    \b
    常用：
      bulletin check issues/2018-28.yaml     检查，列出全部问题
      bulletin build issues/2018-28.yaml     生成 output/2018-28.docx 和 .pdf
      bulletin schema > issue.schema.json    导出 JSON Schema（VS Code 补全）
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹…", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="警告也按错误处理。")
@click.option(
    "--fix",
    is_flag=True,
    help="自动修正不会改变意思的问题（标点全半角、多余空格、重复标点），原地修改并显示差异。",
)
def check(paths: tuple[Path, ...], strict: bool, fix: bool) -> None:
    """检查期刊文件或整个文件夹：格式、内容、标点，以及各期编号是否连续。"""
    from .commands import check as command

    command.run(paths, strict, fix)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹…", type=click.Path(path_type=Path))
@_out_option
@click.option(
    "--to",
    "formats",
    default=pdf_worker.DEFAULT_FORMATS,
    show_default=True,
    help="输出格式，逗号分隔：docx、pdf。",
)
@click.option(
    "--force",
    is_flag=True,
    help="全部重新生成（包括未改动的各期），并覆盖被修改过的 Word 文件（原文件先备份）。",
)
@click.option("--strict", is_flag=True, help="有警告时不生成。")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="同时生成几期（多个进程），默认等于 CPU 核数。",
)
def build(
    paths: tuple[Path, ...], out_dir: Path, formats: str, force: bool, strict: bool, jobs: int | None
) -> None:
    """生成 Word 和 PDF：output/<文件名>.docx、output/<文件名>.pdf。

    输入（期刊文件、series.yaml、图片、模板、程序版本）都没有改动的一期会跳过；加 --force 全部重新生成。
    """
    # Forked before the heavy imports (by the console script, before click, or now), to get
    # WeasyPrint ready while this process reads the issue.
    worker = pdf_worker.claim(paths, formats)
    try:
        from .commands import build as command

        command.run(paths, out_dir, formats, force, strict, jobs, pdf_worker=worker)
    finally:
        if worker is not None:
            worker.stop()


@cli.command()
@click.option(
    "-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="写入文件（默认输出到屏幕）。"
)
def schema(out: Path | None) -> None:
    """导出期刊文件的 JSON Schema，供 VS Code 的 YAML 插件补全和检查。"""
    from .commands import schema as command

    command.run(out)


@cli.command("new")
@click.argument(
    "folder",
    required=False,
    default=Path("issues"),
    metavar="[文件夹]",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--from", "start", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="以这一期为上一期。"
)
@click.option(
    "--date",
    "date",
    metavar="年-月-日",
    type=click.DateTime(["%Y-%m-%d"]),
    help="出刊日期，默认今天，如 2019-01-05。",
)
@click.option("--special", type=click.Choice(["增刊", "专刊"]), help="增刊或专刊（单独编号）。")
def new(folder: Path, start: Path | None, date: dt.datetime | None, special: str | None) -> None:
    """根据最新一期生成下一期的文件（期号、总期号加一，日期为今天）。"""
    from .commands import new as command

    command.run(folder, start, date, special)


@cli.command("list")
@click.argument(
    "folder",
    required=False,
    default=Path("issues"),
    metavar="[文件夹]",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON，便于其他程序读取。")
def list_(folder: Path, as_json: bool) -> None:
    """列出文件夹中的各期：文件、期号、总期号、日期、文章数、标题。"""
    from .commands import list_ as command

    command.run(folder, as_json)


@cli.command("fonts")
@click.argument("path", metavar="期刊文件", type=click.Path(dir_okay=False, path_type=Path))
def fonts_command(path: Path) -> None:
    """本机每种字体角色实际用的字体，以及本期中没有任何字体能显示的字（印刷前查缺字）。"""
    from .commands import fonts as command

    command.run(path)


@cli.command("doctor")
def doctor() -> None:
    """检查本机环境：Python、WeasyPrint、HarfBuzz 字体精简库、各字体角色、LibreOffice。"""
    from .commands import doctor as command

    command.run()


@cli.command("import")
@click.argument("files", nargs=-1, required=True, metavar="来稿文件…", type=click.Path(path_type=Path))
@click.option(
    "--into",
    "into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="追加到这个期刊文件（articles 列表的末尾），图片保存在它旁边。",
)
@click.option("--stdout", "to_stdout", is_flag=True, help="只把文章的 YAML 输出到屏幕，不改动任何文件。")
@click.option("--strict", is_flag=True, help="有警告时不写入。")
def import_command(files: tuple[Path, ...], into: Path | None, to_stdout: bool, strict: bool) -> None:
    """导入部门来稿（.docx、.txt、.md），每篇整理成期刊文件中的一篇文章。

    \b
    例如：
      bulletin import 来稿/司法局.docx --into issues/2018-29.yaml
      bulletin import 来稿/*.txt --stdout > 草稿.yaml

    导入时会整理标点、空格和断开的段落，每一处改动都会列出（文件:行: 改了什么），
    请对照原文核对。原文件不会被修改。
    """
    from .commands import import_ as command

    command.run(files, into, to_stdout, strict)


@cli.command("watch")
@click.argument("path", metavar="期刊文件", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_out_option
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="预览端口（0 为任选）。"
)
def watch_command(path: Path, out_dir: Path, port: int) -> None:
    """边改边看：每次保存后重新生成 PDF，并在 http://127.0.0.1:端口/ 显示（只有本机能访问）。"""
    from .commands import watch as command

    command.run(path, out_dir, port)


@cli.command("merge")
@click.argument(
    "reviewed", metavar="审阅稿.docx", type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="期刊文件（默认按 Word 文件中的记录查找）。",
)
@click.option("--accept-all", is_flag=True, help="接受全部修订。")
@click.option("--reject-all", is_flag=True, help="拒绝全部修订。")
@click.option("--dry-run", is_flag=True, help="只列出修改，不写入任何文件。")
@click.option(
    "--force",
    is_flag=True,
    help="有无法写回的修改时仍写入其余修改；期刊文件在生成 Word 之后改过时也用它确认。",
)
def merge_command(
    reviewed: Path, into: Path | None, accept_all: bool, reject_all: bool, dry_run: bool, force: bool
) -> None:
    """把审阅后的 Word 文件中的修改写回期刊文件（之后重新 build 生成 PDF）。

    \b
    例如：
      bulletin merge output/2018-28.docx --dry-run
      bulletin merge output/2018-28.docx --accept-all
    """
    from .commands import merge as command

    command.run(reviewed, into, accept_all, reject_all, dry_run, force)


def main() -> None:
    """Entry point of the ``bulletin`` console script."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, interrupts.on_signal)
    try:
        cli.main(prog_name="bulletin", standalone_mode=True)
    except interrupts.Interrupted as exc:
        signal.signal(exc.signum, signal.SIG_IGN)  # a second Ctrl+C must not interrupt the message
        name = signal.Signals(exc.signum).name
        click.echo(Problem(Code.BUILD_INTERRUPTED, args={"signal": name}).render(), err=True)
        sys.exit(128 + exc.signum)
    except OSError as exc:  # the environment (full disk, read-only folder, a folder in the way)
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        click.echo(Problem(Code.OS_ERROR, args={"detail": os_reason(exc)}).render(), err=True)
        sys.exit(1)
    except Exception as exc:  # never show a traceback to an editor
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        click.echo(
            f"内部错误：{type(exc).__name__}: {exc}"
            "（请把这条信息和期刊文件发给维护者；设置 BULLETIN_DEBUG=1 可看详细信息）",
            err=True,
        )
        sys.exit(1)


__all__ = ["Level", "cli", "main"]
