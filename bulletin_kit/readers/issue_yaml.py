"""Reader: an issue YAML file (plus ``series.yaml`` beside it) -> the document model.

Input: the path of one issue file. Output: ``(Issue | None, problems)``; the issue is None when
any error was found. Every problem carries file, line, column and field path, so that
``bulletin check`` can list them all in one run.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .. import limits
from ..messages import Code
from ..model import (
    Article,
    Block,
    Checks,
    Distribution,
    DistributionLine,
    Issue,
    Layout,
    Masthead,
)
from ..problems import Level, Problem, errors
from . import body_text
from .issue_schema import FIELD_TITLES, ArticleIn, IssueFile, SeriesFile
from .yaml_source import Document, FieldPath, Pos, format_path
from .yaml_source import load as load_yaml

SERIES_FILE = "series.yaml"
_DOCUMENT_SUFFIXES = {".docx", ".doc", ".wps", ".txt", ".md", ".pdf", ".rtf", ".odt"}
"""Contributions, not issue files: ``check`` points to ``bulletin import`` for them."""


def series_path(issue_path: Path) -> Path:
    """Return the series defaults file that belongs to ``issue_path``."""
    return issue_path.parent / SERIES_FILE


def load_series(path: Path) -> list[Problem]:
    """Return the problems of a ``series.yaml`` file checked on its own."""
    doc, problems = load_yaml(path)
    if doc is None:
        return problems
    if not isinstance(doc.data, dict):
        return [
            *problems,
            Problem(Code.FILE_NOT_MAPPING, file=path, line=1, col=1, args={"got": _kind(doc.data)}),
        ]
    return _sorted(problems + _validate(SeriesFile, doc.data, doc, doc))


@dataclass(frozen=True)
class SourceMap:
    """Where each element of an issue was typed, as markdown-it's ``Token.map`` says it of a token.

    ``fields`` maps a field path (``("articles", 0, "title")``, ``("toc", 2)``) to its position in the
    issue file (or series.yaml, for a default taken from there); ``blocks`` maps (article index, block
    index) of ``Issue.articles[i].blocks[j]`` to the 1-based file line the block starts on. Problems
    found on the model point back into the YAML through it, without re-reading the file.
    """

    file: Path
    """The issue file, as the caller named it (problems are reported against it)."""
    fields: Mapping[FieldPath, Pos] = field(default_factory=dict)
    blocks: Mapping[tuple[int, int], int] = field(default_factory=dict)
    articles: tuple[int, ...] | None = None
    """The file's article index of each model article, when they differ (a lenient model skips
    entries that are not mappings); None: the same."""

    def article(self, index: int) -> int:
        """Return the file's article index of ``Issue.articles[index]``."""
        return index if self.articles is None else self.articles[index]

    def at(self, path: FieldPath) -> Pos | None:
        """Return the position of the value at ``path``, or None when it was not typed."""
        return self.fields.get(path)

    def block_line(self, article: int, block: int) -> int | None:
        """Return the file line that block ``block`` of article ``article`` starts on."""
        return self.blocks.get((article, block))


def load(path: Path) -> tuple[Issue | None, list[Problem]]:
    """Read ``path`` and its series defaults; return the issue (None on any error) and problems."""
    issue, _map, problems = load_mapped(path)
    return issue, problems


def load_mapped(path: Path, *, lenient: bool = False) -> tuple[Issue | None, SourceMap | None, list[Problem]]:
    """:func:`load`, and the issue's :class:`SourceMap` (None whenever the issue is None).

    With ``lenient``, a file that parses as a mapping but has errors still gives a best-effort model
    of its articles (titles, bodies, sources, 要目 lines; nothing validated) and its map, so that the
    structural lint reports on it in the same run as the errors; such a model is never printed.
    """
    path = Path(path)
    if path.suffix.lower() in _DOCUMENT_SUFFIXES:
        return (
            None,
            None,
            [Problem(Code.FILE_NOT_YAML, file=path, args={"suffix": path.suffix or "（无扩展名）"})],
        )
    doc, problems = load_yaml(path)
    if doc is None:
        return None, None, problems
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(Code.FILE_NOT_MAPPING, file=path, line=1, col=1, args={"got": _kind(doc.data)})
        )
        return None, None, problems

    series_doc: Document | None = None
    spath = series_path(path)
    if spath.exists() and spath.resolve() != path.resolve():
        series_doc, series_problems = load_yaml(spath)
        problems.extend(series_problems)
        if series_doc is not None:
            if not isinstance(series_doc.data, dict):
                problems.append(
                    Problem(
                        Code.FILE_NOT_MAPPING, file=spath, line=1, col=1, args={"got": _kind(series_doc.data)}
                    )
                )
                series_doc = None
            else:
                problems.extend(_validate(SeriesFile, series_doc.data, series_doc, series_doc))

    merged, pos, key_pos = _merge(series_doc, doc)
    merged_doc = Document(path, merged, pos, key_pos)
    schema_problems = _validate(IssueFile, merged, merged_doc, doc)
    # Series problems were already reported against series.yaml, and a value YAML itself refused
    # (a date that does not exist) needs no second message; keep the rest.
    known = {(p.file, p.path) for p in errors(problems)}
    problems.extend(
        p
        for p in schema_problems
        if (series_doc is None or p.file != series_doc.path) and (p.file, p.path) not in known
    )
    if errors(problems):
        # a misspelled field must not hide the other problems of the file (body text, pictures)
        rest = _without_unknown_keys(IssueFile, merged)
        if rest is not None:
            _issue, rest_problems = _to_model(IssueFile.model_validate(rest), merged_doc, doc)
            problems.extend(rest_problems)
        if lenient:
            return (*_lenient(path, merged, merged_doc), _sorted(problems))
        return None, None, _sorted(problems)

    parsed = IssueFile.model_validate(merged)
    block_lines: dict[tuple[int, int], int] = {}
    issue, build_problems = _to_model(parsed, merged_doc, doc, block_lines)
    problems.extend(build_problems)
    if errors(problems) or issue is None:
        if lenient:
            return (*_lenient(path, merged, merged_doc), _sorted(problems))
        return None, None, _sorted(problems)
    return issue, SourceMap(path, merged_doc.pos, block_lines), _sorted(problems)


def _raw_articles(merged: dict[str, typing.Any]) -> list[tuple[int, dict[str, typing.Any]]]:
    raw = merged.get("articles")
    return [(i, a) for i, a in enumerate(raw if isinstance(raw, list) else []) if isinstance(a, dict)]


def _lenient(path: Path, merged: dict[str, typing.Any], doc: Document) -> tuple[Issue, SourceMap]:
    """Return the best-effort, unvalidated model of an issue with errors and its map (see
    :func:`load_mapped`); articles that are not mappings are left out (``SourceMap.articles``)."""
    articles: list[Article] = []
    indexes: list[int] = []
    block_lines: dict[tuple[int, int], int] = {}
    for index, a in _raw_articles(merged):
        body = a.get("body")
        blocks: tuple[Block, ...] = ()
        if isinstance(body, str) and body.strip():
            at = ("articles", index, "body")
            source = body_text.BodySource(path, _body_first_line(doc, at[:2]), format_path(at), None)
            located, _ = body_text.parse_located(body, source)
            blocks = tuple(block for block, _line in located)
            block_lines.update(((len(articles), j), line) for j, (_block, line) in enumerate(located))
        unit = a.get("source")
        articles.append(
            Article.model_construct(
                title=lines_of(a.get("title")),
                source=(unit.strip("（）() \u3000") or None) if isinstance(unit, str) else None,
                toc=lines_of(a.get("toc")),
                blocks=blocks,
            )
        )
        indexes.append(index)
    toc = merged.get("toc")
    checks = merged.get("checks")
    require = checks.get("require_source") if isinstance(checks, dict) else False
    issue = Issue.model_construct(  # type: ignore[call-arg]  # lenient: no valid masthead needed
        toc=tuple(toc) if isinstance(toc, list) else (),
        articles=tuple(articles),
        checks=Checks(require_source=require is True),
        source_path=path.resolve(),
    )
    return issue, SourceMap(path, doc.pos, block_lines, tuple(indexes))


def _body_first_line(doc: Document, at: FieldPath) -> int:
    """Return the file line a body's text starts on (after the ``|`` of a block scalar)."""
    pos = doc.pos.get((*at, "body"))
    if pos is None:
        return 1
    return pos.line + (1 if pos.style in ("|", ">") else 0)


def _without_unknown_keys(
    model: type[BaseModel], data: dict[str, typing.Any]
) -> dict[str, typing.Any] | None:
    """Return ``data`` without the fields ``model`` does not know, if the rest is valid; else None."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        unknown = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
        if not unknown or len(unknown) != len(exc.errors()):
            return None
        rest = copy.deepcopy(data)
        for loc in unknown:
            parent: typing.Any = rest  # nested dicts and lists, indexed by pydantic's error location
            for part in loc[:-1]:
                parent = parent[part]
            parent.pop(loc[-1], None)
        try:
            model.model_validate(rest)
        except ValidationError:
            return None
        return rest
    return None


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, str):
        return "一段文字"
    return type(value).__name__


# ---------------------------------------------------------------- merging


def _merge(
    series: Document | None, issue: Document
) -> tuple[dict[str, object], dict[FieldPath, Pos], dict[FieldPath, Pos]]:
    """Return series data overlaid by the issue's: mappings merge key by key, the rest is replaced."""
    if series is None:
        assert isinstance(issue.data, dict)
        return dict(issue.data), dict(issue.pos), dict(issue.key_pos)
    pos = dict(series.pos)
    key_pos = dict(series.key_pos)

    def overlay(base: object, top: object, at: FieldPath) -> object:
        if isinstance(base, dict) and isinstance(top, dict):
            out = dict(base)
            for key, value in top.items():
                out[key] = overlay(base.get(key), value, (*at, key))
            return out
        # replaced: drop series positions below this path, take the issue's
        for table, source in ((pos, issue.pos), (key_pos, issue.key_pos)):
            for p in [p for p in table if p[: len(at)] == at and len(p) > len(at)]:
                del table[p]
            for p, v in source.items():
                if p[: len(at)] == at:
                    table[p] = v
        return top

    assert isinstance(series.data, dict) and isinstance(issue.data, dict)
    merged = overlay(series.data, issue.data, ())
    pos[()] = issue.pos[()]
    assert isinstance(merged, dict)
    return merged, pos, key_pos


# ---------------------------------------------------------------- validation


_INT_HINTS = {
    "issue_no": "例如 28；模板会自动排成“第二十八期”",
    "total_no": "例如 646；模板会排成“总第646期”",
    "copies": "例如 120；模板会排成“共印120份”",
}
_POSITIVE_HINTS = {"issue_no": "期号从 1 开始，例如 28", "total_no": "总期号从 1 开始，例如 646"}

_EXPECTED = {
    "int_parsing": ("整数", "请写阿拉伯数字"),
    "int_type": ("整数", "请写阿拉伯数字"),
    "int_from_float": ("整数", "不要写小数"),
    "string_type": ("文字", "如果内容是数字或日期，请加引号"),
    "list_type": ("列表", "写成 [甲, 乙] 或每行以“- ”开头"),
    "bool_type": ("是或否", "写 true 或 false"),
    "bool_parsing": ("是或否", "写 true 或 false"),
    "date_type": ("日期", "写成 年-月-日，例如 2018-12-20，不加引号"),
    "date_parsing": ("日期", "写成 2018-12-20"),
    "date_from_datetime_parsing": ("日期", "写成 2018-12-20"),
    "model_type": ("“字段: 值”的形式", "请检查缩进"),
    "model_attributes_type": ("“字段: 值”的形式", "请检查缩进"),
    "dict_type": ("“字段: 值”的形式", "请检查缩进"),
}


def _validate(model: type[BaseModel], data: object, doc: Document, own: Document) -> list[Problem]:
    """Return one problem per pydantic error, positioned with ``doc``'s maps."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return _dedupe([_problem_from_error(err, model, doc, own) for err in exc.errors()])
    return []


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, int]] = set()
    out = []
    for p in problems:
        key = (p.code, p.path, p.line)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _problem_from_error(err: typing.Any, model: type[BaseModel], doc: Document, own: Document) -> Problem:
    # pydantic puts union member names into loc ('title', 'str'); keep only real path parts
    loc: FieldPath = tuple(p for p in err["loc"] if isinstance(p, int) or not _is_type_tag(p))
    kind = err["type"]
    fieldpath = format_path(loc)
    if kind == "extra_forbidden":
        where = doc.key_pos.get(loc) or doc.pos.get(loc)
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
        hint = f"是否应为 '{close[0]}'？" if close else f"可用的字段：{'、'.join(allowed)}"
        return _at(where, own, Code.SCHEMA_UNKNOWN_KEY, fieldpath, key=key, suggestion=hint)
    if kind == "missing":
        where = _nearest(doc, loc[:-1])
        name = str(loc[-1])
        what = f"{name}，{FIELD_TITLES.get(name, name)}"
        if loc[:1] == ("masthead",):
            what += "；整套刊物通用的内容请写在 series.yaml"
        return _at(where, own, Code.SCHEMA_MISSING, fieldpath, what=what)
    where = doc.pos.get(loc) or _nearest(doc, loc)
    got = _show(err.get("input"))
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind in ("greater_than", "greater_than_equal"):
        hint = _POSITIVE_HINTS.get(field, "应从 1 开始")
        return _at(where, own, Code.SCHEMA_POSITIVE, fieldpath, got=got, hint=hint)
    if kind in ("less_than", "less_than_equal"):
        limit = err.get("ctx", {}).get("le", err.get("ctx", {}).get("lt", ""))
        return _at(where, own, Code.SCHEMA_TOO_LARGE, fieldpath, got=got, limit=limit)
    if kind == "literal_error":
        choices = str(err.get("ctx", {}).get("expected", "")).replace(" or ", "、").replace(", ", "、")
        return _at(where, own, Code.SCHEMA_CHOICE, fieldpath, choices=choices, got=got)
    if kind in _EXPECTED:
        expected, hint = _EXPECTED[kind]
        if expected == "整数":
            hint = _INT_HINTS.get(field, hint)
        return _at(where, own, Code.SCHEMA_TYPE, fieldpath, expected=expected, got=got, hint=hint)
    return _at(where, own, Code.SCHEMA_INVALID, fieldpath, detail=f"不符合要求的值 {got}")


def _show(value: object) -> str:
    """Return ``value`` as the editor wrote it in YAML: true/false, null, '文字'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return repr(value)


def _is_type_tag(part: object) -> bool:
    return isinstance(part, str) and (part == "str" or part.startswith(("list[", "function-")))


def _nearest(doc: Document, loc: FieldPath) -> Pos | None:
    while True:
        if loc in doc.pos:
            return doc.pos[loc]
        if not loc:
            return None
        loc = loc[:-1]


def _at(where: Pos | None, own: Document, code: Code, fieldpath: str, **args: object) -> Problem:
    if where is None:
        return Problem(code, file=own.path, line=1, col=1, path=fieldpath, args=args)
    return Problem(code, file=where.file, line=where.line, col=where.col, path=fieldpath, args=args)


def _allowed_keys(model: type[BaseModel], loc: FieldPath) -> list[str]:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _model_in(info.annotation) if info else None
    return list(current.model_fields) if current else []


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


# ---------------------------------------------------------------- to the model


def lines_of(value: object) -> tuple[str, ...]:
    """Return a one-or-more-lines field (a string with line breaks, or a list) as its non-empty lines."""
    if isinstance(value, str):
        items: list[str] = value.splitlines()
    elif isinstance(value, list):
        items = [str(item) for item in value if item is not None]
    else:
        return ()
    return tuple(s.strip(" \t") for s in items if s.strip())


def _to_model(
    data: IssueFile, doc: Document, own: Document, block_lines: dict[tuple[int, int], int] | None = None
) -> tuple[Issue | None, list[Problem]]:
    problems: list[Problem] = []
    folder = own.path.parent
    m = data.masthead
    for name in ("name", "publisher"):
        if not getattr(m, name):
            problems.append(
                _at(
                    _nearest(doc, ("masthead",)),
                    own,
                    Code.SCHEMA_MISSING,
                    f"masthead.{name}",
                    what=f"{name}，{FIELD_TITLES[name]}；整套刊物通用的内容请写在 series.yaml",
                )
            )
    articles_pos = doc.pos.get(("articles",))
    too_many = limits.articles(
        len(data.articles),
        own.path,
        articles_pos.line if articles_pos else 1,
        articles_pos.col if articles_pos else 1,
    )
    if too_many:
        return None, problems + too_many
    articles = [_article(i, a, doc, own, folder, problems, block_lines) for i, a in enumerate(data.articles)]
    if not data.articles:
        problems.append(
            Problem(
                Code.ISSUE_NO_ARTICLES, file=own.path, line=1, col=1, path="articles", level=Level.WARNING
            )
        )
    layout = _layout(data, doc, own, problems)
    if errors(problems):
        return None, problems
    d = data.distribution
    labelled = (("报", d.report_to), ("送", d.send_to), ("发", d.distribute_to), ("本期增发", d.extra))
    distribution = Distribution(
        lines=tuple(DistributionLine(label=k, recipients=lines_of(v)) for k, v in labelled if lines_of(v)),
        editor=d.editor,
        reviewer=d.reviewer,
        approver=d.approver,
        copies=d.copies,
    )
    masthead = Masthead(
        name=m.name or "",
        publisher=m.publisher or "",
        marks=tuple(m.marks),
        marker=data.marker,
        special=data.special,
        issue_no=data.issue_no,
        total_no=data.total_no,
        date=data.date,
        copy_no=m.copy_no,
    )
    issue = Issue(
        masthead=masthead,
        editor_note=data.editor_note,
        toc=tuple(data.toc or ()),
        articles=tuple(a for a in articles if a is not None),
        distribution=distribution,
        layout=layout,
        source_path=own.path.resolve(),
        checks=Checks(require_source=data.checks.require_source),
    )
    return issue, problems


def _layout(data: IssueFile, doc: Document, own: Document, problems: list[Problem]) -> Layout:
    paths: dict[str, Path | None] = {}
    for name in ("docx_template", "extra_css", "reference_docx"):
        value = getattr(data.layout, name)
        paths[name] = None
        if value:
            at = ("layout", name)
            where = doc.pos.get(at)
            base = where.file.parent if where else own.path.parent
            resolved = body_text.resolve_inside(value, base)
            if isinstance(resolved, Code):
                problems.append(_at(where, own, resolved, format_path(at), value=value, base=str(base)))
            else:
                paths[name] = resolved
    return Layout(
        theme=data.layout.theme,
        page_numbers=data.layout.page_numbers,
        toc_page_numbers=data.layout.toc_page_numbers,
        docx_template=paths["docx_template"],
        extra_css=paths["extra_css"],
        reference_docx=paths["reference_docx"],
    )


def _article(
    index: int,
    a: ArticleIn,
    doc: Document,
    own: Document,
    folder: Path,
    problems: list[Problem],
    block_lines: dict[tuple[int, int], int] | None = None,
) -> Article | None:
    at: FieldPath = ("articles", index)
    title = lines_of(a.title)
    if not title:
        problems.append(
            _at(doc.pos.get((*at, "title")), own, Code.SCHEMA_EMPTY_TEXT, format_path((*at, "title")))
        )
        return None
    if len(title) > 2:
        problems.append(
            _at(
                doc.pos.get((*at, "title")),
                own,
                Code.SCHEMA_TOO_MANY_TITLE_LINES,
                format_path((*at, "title")),
                n=len(title),
            )
        )
        return None
    first_line = _body_first_line(doc, at)
    source = body_text.BodySource(
        file=own.path, first_line=first_line, field=format_path((*at, "body")), base_dir=folder
    )
    too_large = limits.body(a.body, own.path, first_line, source.field)
    if too_large:  # refused before parsing
        problems.extend(too_large)
        return None
    located, body_problems = body_text.parse_located(a.body, source)
    blocks = tuple(block for block, _line in located)
    if block_lines is not None:
        block_lines.update(((index, j), line) for j, (_block, line) in enumerate(located))
    problems.extend(body_problems)
    problems.extend(limits.tables(blocks, own.path, first_line, source.field))
    source_unit = a.source.strip("（）() \u3000") if a.source else None
    return Article(
        title=title,
        kicker=a.kicker,
        subtitle=a.subtitle,
        column=a.column,
        editor_note=a.editor_note,
        byline=a.byline,
        source=source_unit or None,
        toc=lines_of(a.toc),
        blocks=blocks,
    )
