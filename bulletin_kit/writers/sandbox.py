"""Sandboxed Jinja environments: templates are data, never code.

Input: template sources (the XML parts of a Word template via docxtpl, our HTML/CSS templates).
Output: Jinja environments that render them, refusing anything but the documented variables and
filters. Two layers:

1. Before compiling, every template is checked statically (:class:`_Checker`): only the documented
   variables (plus loop variables), ``loop.*``, whitelisted filters and tests, ``for``/``if`` and
   comparisons are allowed in a Word template. Anything else -- attribute access, calls, ``set``,
   ``include``, arithmetic, unknown names -- raises :class:`TemplateRefused` naming the tag.
2. Rendering runs in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment` with no globals (no
   ``cycler``, ``range``, ``lipsum``...), so even a gap in the first layer cannot reach Python
   internals (``__globals__``, ``str.format`` tricks) or mutate data.
"""

from __future__ import annotations

import html
import re

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

DOCX_VARIABLES = frozenset(
    {
        "name",
        "publisher",
        "marks",
        "copy_no",
        "marker",
        "special",
        "issue_line",
        "issue_number",
        "total_number",
        "date",
        "toc",
        "body",
        "imprint",
    }
)
"""The variables a Word template may use (docs/docx-template.md, writers/docx/template.py ``context``)."""

DOCX_FILTERS = frozenset(
    {"default", "d", "length", "count", "upper", "lower", "trim", "first", "last", "join", "replace"}
)
"""Filters a Word template may use: plain text operations with output bounded by their input."""

TESTS = frozenset({"defined", "undefined", "none", "string", "sameas", "eq", "equalto", "ne", "in"})

HTML_FILTERS = frozenset({"length", "safe", "first", "format", "replace", "selectattr", "e", "escape"})
"""Jinja's own filters our HTML and CSS templates use (plus the project's filters they register)."""

_LOOP_ATTRS = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem", "nextitem"}
)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]{0,2000}>")

# Node types allowed in a Word template; everything else is refused.
_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.For,
    nodes.If,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
    nodes.List,
    nodes.Tuple,
)
_KIND_ZH = {
    "Call": "调用函数或方法",
    "Getattr": "访问属性",
    "Getitem": "取下标",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from … import %}",
    "Extends": "{% extends %}",
    "Macro": "{% macro %}",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %}",
    "With": "{% with %}",
    "Block": "{% block %}",
    "Scope": "作用域",
    "ExprStmt": "{% do %}",
    **dict.fromkeys(("Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow", "Neg", "Pos"), "算术运算"),
}


class TemplateRefused(SecurityError):
    """A template uses something that is not allowed; ``tag`` is the offending tag as written."""

    def __init__(self, tag: str, reason: str) -> None:
        super().__init__(f"{tag}: {reason}")
        self.tag = tag
        self.reason = reason


def _no_globals(env: ImmutableSandboxedEnvironment) -> None:
    env.globals.clear()


class DocxSandbox(ImmutableSandboxedEnvironment):
    """The environment docxtpl renders a Word template in (every part, headers and properties too)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        _no_globals(self)
        self.filters = {k: v for k, v in self.filters.items() if k in DOCX_FILTERS}
        self.tests = {k: v for k, v in self.tests.items() if k in TESTS}

    def _parse(self, source, name, filename):  # type: ignore[no-untyped-def]
        tree = super()._parse(source, name, filename)
        _Checker(source).visit(tree, frozenset())
        return tree


def html_environment(loader, **options) -> ImmutableSandboxedEnvironment:  # type: ignore[no-untyped-def]
    """Return a sandboxed environment for our own HTML/CSS templates: no globals, few filters,
    unknown variables are errors."""
    env = ImmutableSandboxedEnvironment(loader=loader, undefined=StrictUndefined, **options)
    _no_globals(env)
    env.filters = {k: v for k, v in env.filters.items() if k in HTML_FILTERS}
    env.tests = {k: v for k, v in env.tests.items() if k in TESTS}
    return env


class _Checker:
    """Walk a parsed Word template and raise :class:`TemplateRefused` at the first disallowed node."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()

    def refuse(self, node: nodes.Node, reason: str, word: str = "") -> None:
        raise TemplateRefused(self.tag_at(node.lineno, word), reason)

    def tag_at(self, lineno: int, word: str) -> str:
        """Return the tag on line ``lineno`` of the source that contains ``word``, as the user wrote it."""
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        tags = [html.unescape(_XML_TAG.sub("", t)) for t in _TAG.findall(line)]
        for tag in tags:
            if word and word in tag:
                return _short(tag)
        return _short(tags[0]) if tags else _short(html.unescape(_XML_TAG.sub("", line)).strip())

    def visit(self, node: nodes.Node, bound: frozenset[str]) -> None:
        if isinstance(node, nodes.Name):
            if node.ctx == "load" and node.name not in DOCX_VARIABLES and node.name not in bound:
                self.refuse(node, f"“{node.name}”不是模板可用的变量", node.name)
            return
        if isinstance(node, nodes.Getattr):
            target = node.node
            if (
                isinstance(target, nodes.Name)
                and target.name == "loop"
                and "loop" in bound
                and node.attr in _LOOP_ATTRS
            ):
                return
            self.refuse(node, f"不允许访问属性“.{node.attr}”", node.attr)
        if isinstance(node, nodes.Filter):
            if node.name not in DOCX_FILTERS:
                self.refuse(node, f"不允许的过滤器“|{node.name}”", node.name)
            self._children(node, bound)
            return
        if isinstance(node, nodes.Test):
            if node.name not in TESTS:
                self.refuse(node, f"不允许的判断“is {node.name}”", node.name)
            self._children(node, bound)
            return
        if isinstance(node, nodes.For):
            self.visit(node.iter, bound)
            if node.test is not None:
                self.visit(node.test, bound)
            targets = [node.target, *node.target.find_all(nodes.Name)]
            names = {n.name for n in targets if isinstance(n, nodes.Name)} | {"loop"}
            inner = bound | names
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, bound)
            return
        if not isinstance(node, _ALLOWED):
            kind = type(node).__name__
            self.refuse(node, f"不允许的写法：{_KIND_ZH.get(kind, kind)}")
        self._children(node, bound)

    def _children(self, node: nodes.Node, bound: frozenset[str]) -> None:
        for child in node.iter_child_nodes():
            self.visit(child, bound)


def _short(tag: str, limit: int = 80) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= limit else tag[: limit - 1] + "…"
