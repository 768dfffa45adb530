"""Content lint of an issue file: punctuation and spacing, heading numbering, titles, 要目, sources.

Input: an issue file. Output: warnings positioned at ``FILE:LINE:COL`` of the text as typed, and
for ``--fix``, the file's new text with only the safe changes of :mod:`bulletin_kit.cjk` applied
to the characters concerned (comments, key order and layout are untouched because the file is
edited as text, at the positions the YAML parser reported, then re-read and compared).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from . import cjk, lint_pairs, transforms
from .messages import Code
from .model import Article, Heading, Issue
from .numerals import chinese_number, parse_chinese_number
from .problems import Level, Problem
from .readers import issue_yaml
from .readers.issue_yaml import SourceMap
from .readers.yaml_source import Document, FieldPath, format_path, load_text, read_text
from .theme import Theme
from .typography.width import text_em

TEXT_KEYS = {
    "title",
    "kicker",
    "subtitle",
    "column",
    "editor_note",
    "byline",
    "source",
    "toc",
    "body",
    "marker",
}
_FIX_HINT = "可用 bulletin check --fix 自动修正"
_MANUAL_HINT = "这段文字用了转义或折行写法，--fix 不会改动，请手工修改"
_IMAGE_LINE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")  # parts exclude their delimiters: linear


@dataclass(frozen=True)
class Segment:
    """A piece of a string value located in the file: 0-based line index and column."""

    path: FieldPath
    line: int
    col: int
    text: str


def segments(doc: Document, lines: list[str]) -> list[Segment]:
    """Return every verifiably located line of the text fields of ``doc``.

    A value whose characters cannot be matched one-to-one with the file (escapes, folded or
    multi-line plain scalars) is left out: lint does not guess, and ``--fix`` never touches it.
    """
    out: list[Segment] = []
    for path, value in _strings(doc.data, ()):
        pos = doc.pos.get(path)
        if pos is None:
            continue
        if pos.style == "|":
            out.extend(_block_segments(path, value, pos.line, lines))
        elif pos.style in (None, "'", '"') and "\n" not in value:
            row = pos.line - 1
            col = pos.col - 1 + (1 if pos.style else 0)
            if row < len(lines) and lines[row][col : col + len(value)] == value:
                out.append(Segment(path, row, col, value))
    return out


def _strings(data: object, path: FieldPath) -> list[tuple[FieldPath, str]]:
    found: list[tuple[FieldPath, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_strings(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_strings(value, (*path, index)))
    elif isinstance(data, str) and any(isinstance(p, str) and p in TEXT_KEYS for p in path):
        found.append((path, data))
    return found


def _block_segments(path: FieldPath, value: str, header_line: int, lines: list[str]) -> list[Segment]:
    value_lines = value.split("\n")
    if value_lines and value_lines[-1] == "":
        value_lines.pop()
    first = next((i for i, v in enumerate(value_lines) if v), None)
    if first is None or header_line + first >= len(lines):
        return []
    raw = lines[header_line + first]
    indent = len(raw) - len(raw.lstrip(" "))
    out = []
    for i, text in enumerate(value_lines):
        row = header_line + i
        if not text or _IMAGE_LINE.search(text):  # ![图注](a.jpg "摄影者") is syntax, not prose
            continue
        if row >= len(lines) or lines[row][indent:] != text:
            return []  # not sure of the mapping: touch nothing in this value
        out.append(Segment(path, row, indent, text))
    return out


def lint_file(
    path: Path,
    issue: Issue | None = None,
    source_map: SourceMap | None = None,
    theme: Theme | None = None,
) -> list[Problem]:
    """Return the content warnings of the issue file ``path`` (empty when it cannot be read).

    ``issue`` and ``source_map`` are what :func:`issue_yaml.load_mapped` returned for ``path`` (read
    here when not given); the structural checks need them and are skipped when the issue did not
    read (its errors are reported instead). Only the punctuation checks read the file's text columns.
    """
    text, _ = read_text(path)
    if text is None:
        return []
    doc, _ = load_text(text, path)
    if doc is None or not isinstance(doc.data, dict):
        return []
    lines = text.splitlines()
    problems = text_problems(doc, lines)
    if issue is None or source_map is None:  # the issue has errors: lint its best-effort model
        issue, source_map, _problems = issue_yaml.load_mapped(path, lenient=True)
    if issue is not None and source_map is not None:
        problems += structure_problems(issue, source_map, theme or Theme())
    located = segments(doc, lines)
    problems += lint_pairs.pair_problems(doc, located) + lint_pairs.joined_problems(doc, located)
    return sorted(problems, key=Problem.sort_key)


def text_problems(doc: Document, lines: list[str]) -> list[Problem]:
    """Return one warning per punctuation/spacing finding, at the character as typed."""
    problems = []
    located = segments(doc, lines)
    covered = {seg.path for seg in located}
    for path, value in _strings(doc.data, ()):
        pos = doc.pos.get(path)
        if path in covered or pos is None:
            continue
        # escapes, folded or multi-line plain text: report at the value, never fix
        for line in value.split("\n"):
            if _IMAGE_LINE.search(line):
                continue
            for f in cjk.fix_line(line)[1]:
                problems.append(
                    Problem(
                        Code(f"lint.{f.code}"),
                        file=doc.path,
                        line=pos.line,
                        col=pos.col,
                        path=format_path(path),
                        level=Level.WARNING,
                        args={"desc": cjk.describe(f), "hint": _MANUAL_HINT},
                    )
                )
    for seg in located:
        _fixed, findings = cjk.fix_line(seg.text)
        for f in findings:
            problems.append(
                Problem(
                    Code(f"lint.{f.code}"),
                    file=doc.path,
                    line=seg.line + 1,
                    col=_display_col(lines[seg.line], seg.col + f.col),
                    path=format_path(seg.path),
                    level=Level.WARNING,
                    args={"desc": cjk.describe(f), "hint": _FIX_HINT if f.fixable else ""},
                )
            )
    problems += _number_spacing(doc, lines)
    return problems


def _display_col(line: str, index: int) -> int:
    """Return the 1-based column of character ``index`` (characters, as editors count them)."""
    return len(line[:index]) + 1


_SPACED = re.compile(rf"\d+ +[{cjk.HAN}]")
_TIGHT = re.compile(rf"\d+[{cjk.HAN}]")


def _number_spacing(doc: Document, lines: list[str]) -> list[Problem]:
    problems = []
    by_article: dict[FieldPath, list[Segment]] = {}
    for seg in segments(doc, lines):
        by_article.setdefault(seg.path[:2], []).append(seg)
    for segs in by_article.values():
        spaced = [(s, m) for s in segs for m in _SPACED.finditer(s.text)]
        tight = [m for s in segs for m in _TIGHT.finditer(s.text)]
        if spaced and tight:
            seg, m = spaced[0]
            problems.append(
                Problem(
                    Code.LINT_NUMBER_SPACING,
                    file=doc.path,
                    line=seg.line + 1,
                    col=seg.col + m.start() + 1,
                    path=format_path(seg.path),
                    level=Level.WARNING,
                    args={"spaced": m.group(0), "tight": tight[0].group(0)},
                )
            )
    return problems


def structure_problems(issue: Issue, source_map: SourceMap, theme: Theme) -> list[Problem]:
    """Return warnings about heading numbering, empty articles, sources, long titles and the 要目.

    Works on the model the reader returned (before the transforms) and its source map: positions
    come from the map, the 要目 lines from :func:`transforms.fill_toc`, the one copy of that rule.
    """
    problems: list[Problem] = []
    filled, _ = transforms.fill_toc(issue)
    toc_lines = [line for article in filled.articles for line in article.toc]
    titles = ["".join(article.title) for article in issue.articles]
    for k, article in enumerate(issue.articles):
        at: FieldPath = ("articles", source_map.article(k))
        if not article.blocks:
            problems.append(_warn_at(source_map, at, Code.LINT_EMPTY_ARTICLE))
        else:
            problems += _heading_problems(source_map, k, article)
        if issue.checks.require_source and not article.source:
            problems.append(_warn_at(source_map, at, Code.LINT_NO_SOURCE))
        n = _title_lines(list(article.title), theme)
        if n > 2:
            problems.append(
                _warn_at(source_map, (*at, "title"), Code.LINT_TITLE_TOO_LONG, fallback=at, lines=n)
            )
    override = issue.toc  # the issue's own 要目 lines, before fill_toc
    if override and issue.articles:
        if len(override) != len(toc_lines):
            problems.append(
                _warn_at(source_map, ("toc",), Code.LINT_TOC_COUNT, got=len(override), want=len(toc_lines))
            )
        known = [_norm(t) for t in toc_lines + titles]
        for i, line in enumerate(override):
            if isinstance(line, str) and not _matches(_norm(line), known):  # a lenient model: any type
                problems.append(_warn_at(source_map, ("toc", i), Code.LINT_TOC_STALE, line=line))
    return problems


def _warn_at(
    source_map: SourceMap,
    at: FieldPath,
    code: Code,
    *,
    fallback: FieldPath | None = None,
    at_line: int | None = None,
    **args: object,
) -> Problem:
    """A warning at the value of ``at`` (else of ``fallback``), or at column 1 of file line ``at_line``."""
    p = source_map.at(at) or (source_map.at(fallback) if fallback else None)
    return Problem(
        code,
        file=source_map.file,
        line=at_line or (p.line if p else 1),
        col=1 if at_line else (p.col if p else 1),
        path=format_path(at),
        level=Level.WARNING,
        args=args,
    )


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text)


def _matches(line: str, known: list[str]) -> bool:
    return any(line in k or k in line or difflib.SequenceMatcher(a=line, b=k).ratio() > 0.6 for k in known)


def _title_lines(title: list[str], theme: Theme) -> int:
    """Return how many lines ``title`` takes at 二号 in the 版心 (a Latin letter is half a 字)."""
    size = theme.styles["title"].size_pt
    per_line = math.floor(theme.text_width_mm * 72 / 25.4 / size)
    total = 0
    for line in title:
        total += max(1, math.ceil(text_em(line) / per_line))
    return total


def _number_value(number: str) -> int | None:
    core = number.strip("、.．（）() ")
    if core.isdigit():
        return int(core)
    return parse_chinese_number(core)


_FORMS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}
_PARENT = {2: "一、", 3: "（一）", 4: "1."}


def _heading_problems(source_map: SourceMap, k: int, article: Article) -> list[Problem]:
    """Return the numbering warnings of ``Issue.articles[k]``'s headings, at the lines of the map."""
    at: FieldPath = ("articles", source_map.article(k), "body")
    problems: list[Problem] = []
    last: dict[int, int] = {}
    seen_levels: set[int] = set()
    for j, block in enumerate(article.blocks):
        if not isinstance(block, Heading) or block.number is None:
            continue
        level = block.level
        value = _number_value(block.number)
        if value is None:
            continue
        line = source_map.block_line(k, j)
        if level > 1 and (level - 1) not in seen_levels:
            problems.append(
                _warn_at(
                    source_map,
                    at,
                    Code.LINT_HEADING_SKIPPED,
                    at_line=line,
                    got=block.number,
                    parent=_PARENT[level],
                )
            )
        want = last.get(level, 0) + 1
        if value != want:
            shown = chinese_number(want) if level <= 2 else str(want)
            problems.append(
                _warn_at(
                    source_map,
                    at,
                    Code.LINT_HEADING_SEQUENCE,
                    at_line=line,
                    want=_FORMS[level].format(shown),
                    got=block.number,
                )
            )
        last[level] = value
        for deeper in range(level + 1, 5):
            last.pop(deeper, None)
        seen_levels.add(level)
    return problems


def fix_file(path: Path) -> tuple[str | None, list[tuple[int, str, str]], list[Problem]]:
    """Return the fixed text of ``path`` (None if nothing to fix or unsafe), the changed lines, problems.

    Each change is ``(1-based line, old line, new line)``. The result is re-read and must hold
    the same structure, with every string equal to the safe fix of the original.
    """
    text, problems = read_text(path)
    if text is None:
        return None, [], problems
    doc, more = load_text(text, path)
    if doc is None:
        return None, [], problems + more
    keep_ends = text.splitlines(keepends=True)
    lines = [line.rstrip("\r\n") for line in keep_ends]
    by_line: dict[int, list[Segment]] = {}
    for seg in segments(doc, lines):
        by_line.setdefault(seg.line, []).append(seg)
    changes: list[tuple[int, str, str]] = []
    new_lines = list(lines)
    for row, segs in sorted(by_line.items()):
        line = new_lines[row]
        for seg in sorted(segs, key=lambda s: s.col, reverse=True):
            fixed, _ = cjk.fix_line(seg.text)
            if fixed != seg.text:
                line = line[: seg.col] + fixed + line[seg.col + len(seg.text) :]
        if line != new_lines[row]:
            changes.append((row + 1, new_lines[row], line))
            new_lines[row] = line
    if not changes:
        return None, [], problems
    endings = [raw[len(stripped) :] for raw, stripped in zip(keep_ends, lines, strict=True)]
    new_text = "".join(line + end for line, end in zip(new_lines, endings, strict=True))
    new_doc, _ = load_text(new_text, path)
    if new_doc is None or not _only_fixed(doc.data, new_doc.data, ()):
        return (
            None,
            [],
            [*problems, Problem(Code.FIX_UNSAFE, file=path, line=changes[0][0], col=1, level=Level.WARNING)],
        )
    return new_text, changes, problems


def _only_fixed(old: object, new: object, path: FieldPath) -> bool:
    """Return True when ``new`` has the structure of ``old`` and each text is unchanged or its safe fix."""
    if isinstance(old, dict):
        return (
            isinstance(new, dict)
            and list(old) == list(new)
            and all(_only_fixed(v, new[k], (*path, k)) for k, v in old.items())
        )
    if isinstance(old, list):
        return (
            isinstance(new, list)
            and len(old) == len(new)
            and all(_only_fixed(a, b, (*path, i)) for i, (a, b) in enumerate(zip(old, new, strict=True)))
        )
    if isinstance(old, str) and any(isinstance(p, str) and p in TEXT_KEYS for p in path):
        return new in (old, cjk.fix_text(old))
    return old == new
