"""Safe YAML reading that keeps a source position for every node.

Input: a file path. Output: plain Python data (dict/list/str/int/float/bool/None/date), a map from
field path to :class:`Pos`, and problems. Only the standard YAML scalar tags are accepted, so
``!!python/object`` and friends are refused; duplicate keys, tab indentation, non-UTF-8 files and
alias bombs give clear, positioned errors instead of tracebacks.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import safe_io
from ..messages import Code
from ..problems import Level, Problem
from ..safe_io import os_reason
from .encoding import decode, likely

MAX_BYTES = 2 * 1024 * 1024
"""An issue file is text only; 2 MB is ~30 years of weekly issues' worth of words in one file."""
MAX_NODES = 100_000
"""Values after expanding aliases; a real issue has a few hundred."""
MAX_DEPTH = 64
"""Nesting of lists and fields; a real issue nests 4 deep (articles → article → title → line)."""
MAX_EXPANDED_BYTES = 8 * 1024 * 1024
"""Characters of text after expanding aliases (``&a`` … ``*a``); a real issue has ~20 000."""


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses nesting deeper than MAX_DEPTH before it recurses further
    (PyYAML's composer is recursive: ~500 levels of ``[[[[`` would raise RecursionError)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: Node) -> tuple[Node | None, int, int]:
    """Return the first node that is too large with every alias expanded (None if none is), and
    its (nodes, characters) -- computed without expanding: an alias is the same node object, so
    sizes are memoized by identity (linear in the file)."""
    memo: dict[int, tuple[int, int]] = {}
    # iterative post-order walk: nodes are at most MAX_DEPTH deep, but avoid recursion anyway
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in memo:
            continue
        if isinstance(node, ScalarNode):
            memo[id(node)] = (1, len(node.value))
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else node.value
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in memo)
            continue
        n, size = 1, 0
        for c in children:
            cn, cs = memo.get(id(c), (0, 0))  # a cycle is impossible: PyYAML refuses recursive aliases
            n, size = n + cn, size + cs
        memo[id(node)] = (n, size)
        if n > MAX_NODES or size > MAX_EXPANDED_BYTES:
            return node, n, size
    return None, *memo[id(root)]


FieldPath = tuple[str | int, ...]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Pos:
    """Where a value (or a mapping key) starts: 1-based line and column, and the scalar style."""

    file: Path
    line: int
    col: int
    style: str | None = None
    """'|' or '>' for block scalars (text starts on the next line), quote char, or None."""


@dataclass
class Document:
    """A loaded YAML file: data plus positions of values (``pos``) and of mapping keys (``key_pos``)."""

    path: Path
    data: object
    pos: dict[FieldPath, Pos]
    key_pos: dict[FieldPath, Pos]


def format_path(path: FieldPath) -> str:
    """Return ``('articles', 2, 'title')`` as ``articles[2].title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Return the file's text (UTF-8, or GBK with a warning) or None with an error."""
    try:
        data = safe_io.read_regular(path, MAX_BYTES)
    except safe_io.NotRegular as exc:
        return None, [Problem(Code.FILE_NOT_REGULAR, file=path, args={"kind": exc.kind})]
    except safe_io.TooLarge as exc:
        return None, [
            Problem(
                Code.FILE_TOO_LARGE,
                file=path,
                args={"size_mb": exc.size / 1048576, "limit_mb": MAX_BYTES >> 20},
            )
        ]
    except FileNotFoundError:
        return None, [Problem(Code.FILE_MISSING, file=path)]
    except OSError as exc:
        return None, [Problem(Code.FILE_UNREADABLE, file=path, args={"detail": os_reason(exc)})]
    decoded = decode(data)
    if decoded is None:
        return None, [Problem(Code.FILE_ENCODING, file=path, args={"likely": likely(data)})]
    text, encoding = decoded
    problems: list[Problem] = []
    if encoding == "gb18030":
        problems.append(Problem(Code.FILE_GBK, file=path, level=Level.WARNING))
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [*problems, Problem(Code.FILE_EMPTY, file=path)]
    return text, problems


def load(path: Path) -> tuple[Document | None, list[Problem]]:
    """Read and parse ``path``; return the document, or None when it cannot be used."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    doc, more = load_text(text, path)
    return doc, problems + more


def load_text(text: str, path: Path) -> tuple[Document | None, list[Problem]]:
    """Parse ``text`` (the content of ``path``); return the document, or None when it cannot be used.

    Parses are cached by content: ``check`` reads each file for the model, the lint and the series
    checks, and ``series.yaml`` for every issue. Callers must not change the returned document.
    """
    doc, problems = _parse(text, path)
    return doc, list(problems)


@functools.lru_cache(maxsize=256)
def _parse(text: str, path: Path) -> tuple[Document | None, tuple[Problem, ...]]:
    doc, problems = _parse_uncached(text, path)
    return doc, tuple(problems)


def _parse_uncached(text: str, path: Path) -> tuple[Document | None, list[Problem]]:
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _TooDeep as exc:
        line, col = exc.mark.line + 1, exc.mark.column + 1
        return None, [Problem(Code.YAML_TOO_DEEP, file=path, line=line, col=col, args={"limit": MAX_DEPTH})]
    except yaml.MarkedYAMLError as exc:
        return None, [*problems, _syntax_problem(path, exc, text)]
    except yaml.reader.ReaderError as exc:  # a control character: the reader knows only the offset
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [
            *problems,
            Problem(Code.YAML_SYNTAX, file=path, line=line, col=col, args={"detail": "含有不可见的特殊字符"}),
        ]
    except yaml.YAMLError:  # pragma: no cover - PyYAML marks all its other errors
        return None, [
            *problems,
            Problem(Code.YAML_SYNTAX, file=path, args={"detail": "写法不符合 YAML 格式"}),
        ]
    if root is None:
        return None, [*problems, Problem(Code.FILE_EMPTY, file=path)]
    big, nodes, size = _expanded_size(root)
    if big is not None:
        return None, [
            Problem(
                Code.YAML_ALIAS_BOMB,
                file=path,
                line=big.start_mark.line + 1,
                col=big.start_mark.column + 1,
                args={
                    "nodes": nodes,
                    "chars_mb": size / 1048576,
                    "limit": MAX_NODES,
                    "limit_mb": MAX_EXPANDED_BYTES >> 20,
                },
            )
        ]
    walker = _Walker(path)
    data = walker.build(root, (), 0)
    problems.extend(walker.problems)
    if walker.fatal:
        return None, problems
    return Document(path, data, walker.pos, walker.key_pos), problems


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    col = mark.column + 1 if mark else 0
    detail = exc.problem or str(exc)
    # A tab where indentation is expected is the classic Windows-editor mistake.
    lines = text.splitlines()
    tab_indent = mark is not None and mark.line < len(lines) and "\t" in _indent(text, mark.line)
    if "\t" in detail or "'\\t'" in detail or tab_indent:
        return Problem(Code.YAML_TAB, file=path, line=line, col=col)
    return Problem(Code.YAML_SYNTAX, file=path, line=line, col=col, args={"detail": _zh_yaml_detail(detail)})


def _indent(text: str, line: int) -> str:
    row = text.splitlines()[line]
    return row[: len(row) - len(row.lstrip(" \t"))]


_YAML_DETAILS = {
    "mapping values are not allowed here": (
        "这里不能出现“字段: 值”（可能是冒号后缺少空格，或文字中含有“: ”需要加引号）"
    ),
    "could not find expected ':'": "缺少冒号“:”",
    "found undefined alias": "引用（*）了未定义的锚点（&）",
    "found unexpected end of stream": "文件意外结束（可能缺少引号或括号）",
    "expected <block end>, but found": "缩进不一致",
    "did not find expected key": "缩进不一致或缺少“-”",
    "found character that cannot start any token": "这里有不能出现的字符",
    "unacceptable character": "含有不可见的特殊字符",
}


_YAML_DETAILS_ANYWHERE = {
    "unknown escape character": "双引号中的“\\”后面是无法识别的字符（要写“\\”本身，请改用单引号）",
    "expected alphabetic or numeric character": "“&”或“*”后面缺少名字（要写这个符号本身，请给文字加引号）",
    "expected ',' or ']'": "方括号 [...] 没有闭合，或缺少逗号",
    "expected ',' or '}'": "花括号 {...} 没有闭合，或缺少逗号",
    "that cannot start any token": "这里有不能作为开头的字符（如 @ `），请给这段文字加引号",
    "duplicate YAML directive": "一个期刊文件只能有一份内容",
    "another document": "一个期刊文件只能有一份内容（请删除“---”之后的部分）",
    "expected '<document start>'": "一个期刊文件只能有一份内容（请删除“...”之后的部分）",
    "while scanning a block scalar": "“|”或“>”的写法有误",
    "while parsing a flow": "方括号或花括号的写法有误",
}


def _zh_yaml_detail(detail: str) -> str:
    for en, zh in _YAML_DETAILS.items():
        if detail.startswith(en):
            return zh
    for en, zh in _YAML_DETAILS_ANYWHERE.items():
        if en in detail:
            return zh
    return "写法不符合 YAML 格式"  # never PyYAML's English


class _Walker:
    """Turn a composed node tree into Python data, recording positions and refusing unsafe input."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pos: dict[FieldPath, Pos] = {}
        self.key_pos: dict[FieldPath, Pos] = {}
        self.problems: list[Problem] = []
        self.fatal = False
        self.count = 0
        self.constructor = SafeConstructor()

    def _pos(self, node: Node) -> Pos:
        style = getattr(node, "style", None)
        return Pos(self.path, node.start_mark.line + 1, node.start_mark.column + 1, style)

    def _error(self, code: Code, node: Node, path: FieldPath, **args: object) -> None:
        p = self._pos(node)
        self.problems.append(
            Problem(code, file=self.path, line=p.line, col=p.col, path=format_path(path), args=args)
        )

    def build(self, node: Node, path: FieldPath, depth: int) -> object:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:  # pragma: no cover - refused before the walk
            if not self.fatal:
                self._error(Code.YAML_TOO_DEEP, node, (), limit=MAX_DEPTH)
            self.fatal = True
            return None
        if self.fatal:
            return None
        self.pos.setdefault(path, self._pos(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                self._error(Code.YAML_TAG, node, path, tag=_short_tag(node.tag))
                return None
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                self._error(Code.YAML_TAG, node, path, tag=_short_tag(node.tag))
                return None
            return self._mapping(node, path, depth)
        return None  # pragma: no cover - there are no other node kinds

    def _mapping(self, node: MappingNode, path: FieldPath, depth: int) -> dict[str, object]:
        out: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._error(Code.YAML_MERGE_KEY, key_node, path)
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                shown = key_node.value if isinstance(key_node, ScalarNode) else _KIND_ZH[type(key_node)]
                self._error(Code.YAML_KEY_NOT_STRING, key_node, path, key=shown)
                continue
            key = str(key_node.value)
            here = self._pos(key_node)
            if key in out:
                self.problems.append(
                    Problem(
                        Code.YAML_DUPLICATE_KEY,
                        file=self.path,
                        line=here.line,
                        col=here.col,
                        path=format_path((*path, key)),
                        args={"key": key, "first_line": first_line[key]},
                    )
                )
                continue
            first_line[key] = here.line
            self.key_pos[(*path, key)] = here
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out

    def _scalar(self, node: ScalarNode, path: FieldPath) -> object:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self._error(Code.YAML_TAG, node, path, tag=_short_tag(tag))
            return None
        if tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            if tag == "tag:yaml.org,2002:timestamp":
                value = self.constructor.construct_yaml_timestamp(node)
                return value.date() if isinstance(value, dt.datetime) else value
            if tag == "tag:yaml.org,2002:int":
                return self.constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return self.constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:bool":
                return self.constructor.construct_yaml_bool(node)
            return None
        except (ValueError, ConstructorError):
            self._error(Code.YAML_BAD_DATE, node, path, value=node.value)
            return node.value


_KIND_ZH = {SequenceNode: "列表", MappingNode: "“字段: 值”"}


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
