"""The ``bulletin`` command: parses arguments, calls :mod:`bulletin_kit.pipeline`, prints problems.

Input: command-line arguments. Output: messages (problems on stderr) and the exit code:
0 success, 1 bad input or failed build, 2 bad usage. Holds no document logic.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__, cli_zh, pipeline
from .messages import MESSAGES
from .model import Issue
from .numerals import chinese_date, chinese_number, issue_line
from .outputs import atomic_write_bytes
from .problems import Level, Problem, errors, summary
from .readers.issue_yaml import SERIES_FILE
from .safe_io import os_reason

MAX_ISSUE_NO = 9999
"""Largest 期号 / 总期号 that can be written in Chinese numerals (第九千九百九十九期)."""

cli_zh.install()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _echo_problems(problems: list[Problem]) -> None:
    for p in sorted(problems, key=Problem.sort_key):
        click.echo(p.render(), err=True)


def _issue_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.yaml") if p.name != SERIES_FILE))
        else:
            files.append(path)
    return files


@click.group(context_settings=CONTEXT)
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="警告也按错误处理。")
@click.option(
    "--fix",
    is_flag=True,
    help="自动修正不会改变意思的问题（标点全半角、多余空格、重复标点），原地修改并显示差异。",
)
def check(paths: tuple[Path, ...], strict: bool, fix: bool) -> None:
    """检查期刊文件或整个文件夹：格式、内容、标点，以及各期编号是否连续。"""
    files = _issue_files(paths)
    problems: list[Problem] = []
    if fix:
        for path in files:
            problems.extend(_fix(path))
    known: dict[Path, Issue | None] = {}
    for path in files:
        known[path.resolve()], found = pipeline.check_issue(path)
        problems.extend(found)
    problems.extend(_series_problems(paths, files, known))
    from .lint_pairs import group

    problems = group(problems)  # one line per rule and article, with the count
    _echo_problems(problems)
    bad = errors(problems) or (strict and problems)
    if bad:
        click.echo(summary(problems, built=False), err=True)
        sys.exit(1)
    note = f"{len(files)} 个文件检查通过"
    if problems:
        note += f"（{len(problems)} 个警告）"
    click.echo(note + "。")


def _series_problems(
    paths: tuple[Path, ...], files: list[Path], known: dict[Path, Issue | None]
) -> list[Problem]:
    """Return the numbering problems of the folders involved; for a file, only those that concern it."""
    from . import series

    found: list[Problem] = []
    folders = {p.resolve(): p for p in paths if p.is_dir()}
    singles = {
        f.parent.resolve(): f.parent for f in files if f.parent.resolve() not in folders and f.exists()
    }
    for folder in folders.values():
        found.extend(series.check(folder, known))
    names = {f.resolve() for f in files}
    for folder in singles.values():
        for p in series.check(folder, known):
            if p.file is not None and (
                p.file.resolve() in names or folder / str(p.args.get("other")) in names
            ):
                found.append(p)
    return found


def _fix(path: Path) -> list[Problem]:
    from . import lint

    new_text, changes, problems = lint.fix_file(path)
    if new_text is None:
        return problems
    for line_no, old, new in changes:
        click.echo(f"--- {path}:{line_no}")
        click.echo(f"-{old}")
        click.echo(f"+{new}")
    atomic_write_bytes(path, new_text.encode("utf-8"))
    click.echo(f"已修正 {path}：{len(changes)} 行。")
    return problems


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default=Path("output"),
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="输出文件夹。",
)
@click.option(
    "--to", "formats", default="docx,pdf", show_default=True, help="输出格式，逗号分隔：docx、pdf。"
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
    from . import batch

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in pipeline.FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(
            f"未知的输出格式 {', '.join(unknown) or '（空）'}；可选：docx、pdf", param_hint="--to"
        )
    files = _issue_files(paths)
    if not files:
        _fail([Problem("build.no_files", args={"folder": "、".join(str(p) for p in paths)})])
    stems = [f.stem for f in files]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise click.UsageError(
            f"多个文件会生成同名输出：{', '.join(dupes)}；请分开生成或用 -o 指定不同文件夹"
        )
    all_problems: list[Problem] = []
    failed = False
    written = 0
    for outcome in batch.build_many(files, out_dir, wanted, force=force, strict=strict, jobs=jobs):
        if outcome.result is None:
            click.echo(MESSAGES["build.skipped"][0].format(file=outcome.path))
            continue
        result = outcome.result
        all_problems.extend(result.problems)
        _echo_problems(result.problems)
        for dest in result.written:
            click.echo(f"已生成 {dest}")
        written += len(result.written)
        if not result.ok or (strict and result.problems) or len(result.written) < len(wanted):
            failed = True
    if failed:
        click.echo(summary(all_problems, built=written > 0), err=True)
        sys.exit(1)
    if all_problems:
        click.echo(summary(all_problems, built=True), err=True)


@cli.command()
@click.option(
    "-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="写入文件（默认输出到屏幕）。"
)
def schema(out: Path | None) -> None:
    """导出期刊文件的 JSON Schema，供 VS Code 的 YAML 插件补全和检查。"""
    from .readers.issue_schema import issue_json_schema

    text = json.dumps(issue_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_bytes(out, text.encode("utf-8"))
        click.echo(f"已写入 {out}")


@cli.command("new")
@click.argument(
    "folder", required=False, default=Path("issues"), type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--from", "start", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="以这一期为上一期。"
)
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="出刊日期，默认今天，如 2019-01-05。")
@click.option("--special", type=click.Choice(["增刊", "专刊"]), help="增刊或专刊（单独编号）。")
def new(folder: Path, start: Path | None, date: dt.datetime | None, special: str | None) -> None:
    """根据最新一期生成下一期的文件（期号、总期号加一，日期为今天）。"""
    from . import new_issue, series

    if start is not None:
        folder = start.parent
    if not folder.is_dir():
        _fail([Problem("new.no_folder", args={"folder": str(folder)})])
    day = date.date() if date else dt.date.today()
    nxt = series.next_issue(folder, date=day, special=special, start=start)
    if nxt.issue_no > MAX_ISSUE_NO:
        _fail([Problem("new.too_large", args={"limit": MAX_ISSUE_NO})])
    if nxt.path.exists():
        _fail([Problem("new.exists", file=nxt.path, args={"file": str(nxt.path)})])
    name = ""
    if nxt.template and nxt.template.issue:
        name = nxt.template.issue.masthead.name
    text = new_issue.render(nxt, name)
    try:
        with nxt.path.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
            fh.write(text)
    except FileExistsError:
        _fail([Problem("new.exists", file=nxt.path, args={"file": str(nxt.path)})])
    label = issue_line(nxt.issue_no, nxt.total_no, nxt.special)
    click.echo(f"已创建 {nxt.path}：{label}，{chinese_date(nxt.date)}")
    if nxt.template and nxt.template.issue and (nxt.date - nxt.template.issue.masthead.date).days > 92:
        before = chinese_date(nxt.template.issue.masthead.date)
        click.echo(
            f"注意：上一期 {nxt.template.path.name} 的日期是 {before}；"
            "如果日期不对，请删除新文件后用 --date 指定。"
        )


def _fail(problems: list[Problem]) -> None:
    _echo_problems(problems)
    sys.exit(1)


@cli.command("list")
@click.argument(
    "folder",
    required=False,
    default=Path("issues"),
    type=click.Path(file_okay=False, exists=True, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON，便于其他程序读取。")
def list_(folder: Path, as_json: bool) -> None:
    """列出文件夹中的各期：文件、期号、总期号、日期、文章数、标题。"""
    from . import series

    rows = series.entries(folder)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    table = [["文件", "期号", "总期号", "日期", "文章", "标题"]]
    for r in rows:
        d = r.as_json()
        if not d["ok"]:
            table.append([str(d["file"]), "（有错误，请运行 bulletin check）", "", "", "", ""])
            continue
        titles = "；".join(d["titles"][:2]) + ("……" if len(d["titles"]) > 2 else "")  # type: ignore[index,arg-type]
        no = f"{d['special'] or ''}第{chinese_number(int(d['issue_no']))}期"  # type: ignore[arg-type]
        table.append(
            [str(d["file"]), no, str(d["total_no"] or ""), str(d["date"]), str(d["articles"]), titles]
        )
    widths = [max(_width(row[i]) for row in table) for i in range(5)]
    for row in table:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(5)]
        click.echo("  ".join([*cells, row[5]]).rstrip())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@cli.command("fonts")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def fonts_command(path: Path) -> None:
    """本机每种字体角色实际用的字体，以及本期中没有任何字体能显示的字（印刷前查缺字）。"""
    issue, problems = pipeline.read(path)
    if issue is None:
        _fail(problems)
    from . import fonts
    from .theme import get_theme

    report = fonts.report(issue, get_theme(issue.layout.theme))  # type: ignore[union-attr]
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        click.echo(
            "有缺字或缺少字体：印出来会是空白方框，请换字或安装字体（见 README“字体”一节）。", err=True
        )
        sys.exit(1)
    click.echo("所有字都有字体可用。")


@cli.command("doctor")
def doctor() -> None:
    """检查本机环境：Python、WeasyPrint、HarfBuzz 字体精简库、各字体角色、LibreOffice。"""
    import platform
    import shutil

    import weasyprint

    from . import fonts

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


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    if (into is None) == (not to_stdout):
        raise click.UsageError("请指定 --into 期刊文件，或 --stdout（二者选一）")
    from . import importing  # python-docx loads only when importing

    articles, text, problems = importing.import_files(files, into, strict=strict)
    _echo_problems(problems)
    if errors(problems) or (strict and problems):
        click.echo(summary(problems, built=False), err=True)
        sys.exit(1)
    if into is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"已向 {into} 追加 {len(articles)} 篇文章：")
        for article in articles:
            counts = importing.stats(article)
            parts = [f"{counts['paragraphs']} 段", f"{counts['headings']} 个小标题"]
            extra = (("images", "张图片"), ("tables", "个表格"))
            parts += [f"{counts[k]} {word}" for k, word in extra if counts[k]]
            source = f"（{article.source}）" if article.source else "（没有来源单位）"
            click.echo(f"  {'　'.join(article.title)}{source}：{'，'.join(parts)}")
    if problems:
        click.echo(summary(problems, built=True), err=True)


@cli.command("watch")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default=Path("output"),
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="输出文件夹。",
)
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="预览端口（0 为任选）。"
)
def watch_command(path: Path, out_dir: Path, port: int) -> None:
    """边改边看：每次保存后重新生成 PDF，并在 http://127.0.0.1:端口/ 显示（只有本机能访问）。"""
    from . import watch

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C is how a preview stops: exit 0
    try:
        watch.run(path, out_dir, port, echo=click.echo)
    except watch.PortBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@cli.command("merge")
@click.argument("reviewed", type=click.Path(dir_okay=False, exists=True, path_type=Path))
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
    if accept_all and reject_all:
        raise click.UsageError("--accept-all 和 --reject-all 只能选一个")
    from . import merge

    result = merge.merge(
        reviewed, into, accept_all=accept_all, reject_all=reject_all, dry_run=dry_run, force=force
    )
    for line in merge.report(result):
        click.echo(line)
    _echo_problems(result.problems)
    if not result.ok:
        click.echo(summary(result.problems, built=False), err=True)
        sys.exit(1)


class _Signalled(BaseException):
    """SIGTERM/SIGINT: unwinds like an exception so every temporary file is removed on the way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, _frame: object) -> None:
    raise _Signalled(signum)


def main() -> None:
    """Entry point of the ``bulletin`` console script."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _on_signal)
    try:
        cli.main(prog_name="bulletin", standalone_mode=True)
    except _Signalled as exc:
        signal.signal(exc.signum, signal.SIG_IGN)  # a second Ctrl+C must not interrupt the message
        name = signal.Signals(exc.signum).name
        click.echo(Problem("build.interrupted", args={"signal": name}).render(), err=True)
        sys.exit(128 + exc.signum)
    except OSError as exc:  # the environment (full disk, read-only folder, a folder in the way)
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        click.echo(Problem("os.error", args={"detail": os_reason(exc)}).render(), err=True)
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
