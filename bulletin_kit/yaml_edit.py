"""Edit an issue file as text at given values only (``bulletin merge``), keeping everything else.

Input: the file's text and edits — a new value for an article field, new body text for an
article as a list of chunks (one per block, the untouched ones as typed), a new value for a
``distribution`` key. Output: the new text. Values are located with PyYAML's node marks (the
same parse :mod:`bulletin_kit.readers.yaml_source` uses); comments, blank lines, key order,
quoting of untouched values and every untouched article stay byte-identical. The caller reads the
result back and compares it with what it expects before writing it
(:mod:`bulletin_kit.merge.apply`), as ``check --fix`` and ``import --into`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .writers.issue_yaml import scalar

Value = str | tuple[str, ...] | None


class EditError(ValueError):
    """The file is written in a way this editor does not change (the caller then writes nothing)."""


@dataclass
class _Splice:
    start: int
    end: int
    text: str


def _mapping_get(node: Node, key: str) -> tuple[ScalarNode, Node] | None:
    if not isinstance(node, MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return k, v
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Return the index just after the newline of the line holding ``index``."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _content_end(text: str, start: int, end: int) -> int:
    """Return the end of the last non-blank line in text[start:end] (after its newline)."""
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return _line_end(text, end - 1) if end > start else start


def _flow(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def _inline_value(value: str | tuple[str, ...]) -> str:
    if isinstance(value, tuple):
        return scalar(value[0]) if len(value) == 1 else _flow(value)
    return scalar(value)


def _block(value: str, indent: str) -> str:
    lines = [indent + line if line else "" for line in value.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


class Editor:
    """Collects edits to one issue file's text and applies them at once."""

    def __init__(self, text: str) -> None:
        self.text = text
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if not isinstance(root, MappingNode):
            raise EditError("file is not a mapping")
        self.root: MappingNode = root
        self.splices: list[_Splice] = []

    def _article(self, index: int) -> MappingNode:
        found = _mapping_get(self.root, "articles")
        if found is None or not isinstance(found[1], SequenceNode) or index >= len(found[1].value):
            raise EditError(f"articles[{index}] not found")
        node = found[1].value[index]
        if not isinstance(node, MappingNode) or node.flow_style:
            raise EditError(f"articles[{index}] is not a block mapping")
        return node

    def set_field(self, article: int, key: str, value: Value, *, block: bool = False) -> None:
        """Give ``articles[article].key`` a new value (None removes the key; ``block``: a ``|`` text)."""
        node = self._article(article)
        self._set(node, key, value, block=block, after="title")

    def set_top(self, key: str, value: Value, *, block: bool = False) -> None:
        """Give the issue's own ``key`` (e.g. ``editor_note``) a new value; a new key goes after ``date``."""
        self._set(self.root, key, value, block=block, after="date")

    def set_distribution(self, key: str, value: Value) -> None:
        """Give ``distribution.key`` a new value in the issue file (the series' stays as it is)."""
        found = _mapping_get(self.root, "distribution")
        if found is None:
            if value is None:
                return
            tail = "" if self.text.endswith("\n") or not self.text else "\n"
            addition = (
                f"{tail}\n# 版记：审阅稿中的修改（bulletin merge 写入，覆盖 series.yaml 的同名项）\n"
                f"distribution:\n  {key}: {_inline_value(value)}\n"
            )
            self._add(len(self.text), len(self.text), addition)
            return
        node = found[1]
        if not isinstance(node, MappingNode) or node.flow_style:
            raise EditError("distribution is not a block mapping")
        self._set(node, key, value, block=False, after=None, parent_key=found[0])

    def set_body(self, article: int, body: str) -> None:
        """Replace the text of ``articles[article].body`` (a ``|`` block) with ``body``."""
        node = self._article(article)
        found = _mapping_get(node, "body")
        if found is None:
            self._set(node, "body", body, block=True, after=None)
            return
        key, value = found
        if not isinstance(value, ScalarNode) or value.style != "|":
            self._replace_value(key, value, body, block=True)
            return
        header_end = _line_end(self.text, value.start_mark.index)
        content_end = _content_end(self.text, header_end, value.end_mark.index)
        indent = self._content_indent(header_end, content_end) or " " * (key.start_mark.column + 2)
        self._add(header_end, content_end, _block(body, indent))

    def _content_indent(self, start: int, end: int) -> str | None:
        for line in self.text[start:end].split("\n"):
            if line.strip():
                return line[: len(line) - len(line.lstrip(" "))]
        return None

    def _set(
        self,
        node: MappingNode,
        key: str,
        value: Value,
        *,
        block: bool,
        after: str | None,
        parent_key: ScalarNode | None = None,
    ) -> None:
        found = _mapping_get(node, key)
        if found is not None:
            k, v = found
            if value is None:
                start = _line_start(self.text, k.start_mark.index)
                self._add(start, self._value_end(v), "")
            else:
                self._replace_value(k, v, value, block=block)
            return
        if value is None:
            return
        # a new key: after ``after``'s value, else after the last key, at the mapping's indentation
        anchor = _mapping_get(node, after) if after else None
        if anchor is None:
            anchor = node.value[-1] if node.value else None
        if anchor is None:
            if parent_key is None:
                raise EditError("empty mapping")
            at = _line_end(self.text, parent_key.start_mark.index)
            indent = " " * (parent_key.start_mark.column + 2)
        else:
            at = self._value_end(anchor[1])
            indent = " " * anchor[0].start_mark.column
        self._add(at, at, self._key_text(indent, key, value, block))

    def _key_text(self, indent: str, key: str, value: str | tuple[str, ...], block: bool) -> str:
        if block and isinstance(value, str):
            return f"{indent}{key}: |\n" + _block(value, indent + "  ")
        return f"{indent}{key}: {_inline_value(value)}\n"

    def _value_end(self, value: Node) -> int:
        """Return the end of the last line of ``value`` (after its newline)."""
        start = value.start_mark.index
        end = value.end_mark.index
        if isinstance(value, ScalarNode) and value.style in ("|", ">"):
            return _content_end(self.text, _line_end(self.text, start), end)
        return _line_end(self.text, max(start, end - 1))

    def _replace_value(
        self, key: ScalarNode, value: Node, new: str | tuple[str, ...], *, block: bool
    ) -> None:
        start = value.start_mark.index
        if block and isinstance(new, str):
            indent = " " * (key.start_mark.column + 2)
            self._add(start, self._value_end(value), "|\n" + _block(new, indent))
            return
        if (
            isinstance(value, SequenceNode)
            and not value.flow_style
            and isinstance(new, tuple)
            and value.value
        ):
            indent = " " * value.start_mark.column
            last = value.value[-1]
            end = last.end_mark.index
            items = [f"- {scalar(item)}" for item in new]
            self._add(start, end, ("\n" + indent).join(items))
            return
        if isinstance(value, ScalarNode) and value.style in ("|", ">"):
            self._add(start, self._value_end(value), _inline_value(new) + "\n")
            return
        end = value.end_mark.index
        if value.start_mark.line != value.end_mark.line and isinstance(value, ScalarNode):
            raise EditError(f"{key.value}: multi-line scalar")
        self._add(start, end, _inline_value(new))

    def _add(self, start: int, end: int, text: str) -> None:
        for s in self.splices:
            if start < s.end and s.start < end:
                raise EditError("overlapping edits")
        self.splices.append(_Splice(start, end, text))

    def result(self) -> str:
        """Return the text with every edit applied."""
        out = self.text
        for s in sorted(self.splices, key=lambda s: (s.start, s.end), reverse=True):
            out = out[: s.start] + s.text + out[s.end :]
        return out
