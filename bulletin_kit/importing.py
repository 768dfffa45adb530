"""Import contributed articles: .docx / .txt / .md files -> articles appended to an issue file.

Input: the files a department sent and, optionally, the issue file to add them to. Output: the
articles (document model), their YAML as written, and all problems — every clean-up change at the
input line it was made on, what could not be classified, and errors. The readers are chosen by
file suffix (as pelican picks its readers); each returns the model,
:mod:`bulletin_kit.writers.issue_yaml` writes it back as YAML and :mod:`bulletin_kit.issue_append`
adds that to the issue file. Input files are only ever read.

Before anything is written, every Chinese character and digit of each input must appear in its
articles, in order (header lines such as a byline above the title may move into their fields);
otherwise the import stops with an error, since losing a word of a contribution is worse than
not importing it.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import cjk, issue_append, outputs, safe_io
from .messages import Code
from .model import Article, Heading, Image, Paragraph, Table, plain
from .problems import Problem, errors
from .readers import article_docx, article_text
from .readers.contrib import Imported, short
from .readers.issue_yaml import SERIES_FILE
from .writers import issue_yaml as yaml_writer

Reader = Callable[[Path, Path | None], Imported]

READERS: dict[str, Reader] = {
    ".docx": article_docx.read,
    ".txt": article_text.read,
    ".md": article_text.read,
    ".markdown": article_text.read,
}
"""File suffix -> reader (``read(path, image_dir) -> Imported``)."""

_CONTENT = re.compile(rf"[{cjk.HAN}\U00020000-\U0003134f0-9]")


@dataclass
class FileImport:
    """What one input file gave."""

    path: Path
    articles: list[Article] = field(default_factory=list)
    images: list[tuple[Path, bytes]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def content(text: str) -> str:
    """Return the Chinese characters and digits of ``text`` (full-width digits as ASCII)."""
    return "".join(_CONTENT.findall(unicodedata.normalize("NFKC", text)))


def printed_text(article: Article) -> str:
    """Return all text of ``article`` as printed: column, 编者按, kicker, title … body, source."""
    note = f"编者按：{article.editor_note}" if article.editor_note else ""
    parts = [article.column or "", note, article.kicker or "", *article.title]
    parts += [article.subtitle or "", article.byline or ""]
    for block in article.blocks:
        if isinstance(block, Heading):
            parts += [plain(block.spans), plain(block.run_in)]
        elif isinstance(block, Paragraph):
            parts += [block.label or "", plain(block.spans)]
        elif isinstance(block, Image):
            parts += [block.caption, f"{block.credit}摄" if block.credit else ""]  # as printed
        elif isinstance(block, Table):
            parts += [cell for row in block.rows for cell in row]
    parts.append(article.source or "")
    return "\n".join(parts)


def lost_content(source: str, articles: Sequence[Article]) -> str:
    """Return the Chinese characters and digits of ``source`` missing from ``articles`` ('' if none).

    The articles may add text (a title taken from the file name) and a header line may move into
    its field (a unit written above the title becomes the byline printed under it); anything else
    out of order counts as lost.
    """
    want = content(source)
    got = content("\n".join(printed_text(a) for a in articles))
    if _is_subsequence(want, got):
        return ""
    if len(want) + len(got) > _DIFF_LIMIT:  # difflib is quadratic: say which characters, not where
        missing = Counter(want) - Counter(got)
        lost = []
        for char in want:
            if missing[char] > 0:
                missing[char] -= 1
                lost.append(char)
        return "".join(lost)
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    deleted, inserted = [], []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            deleted.append(want[a0:a1])
        if op in ("insert", "replace"):
            inserted.append(got[b0:b1])
    pool = "\n".join(inserted)
    return "".join(d for d in deleted if d not in pool)


def _lost_from_package(path: Path, articles: Sequence[Article]) -> str:
    """Return the characters of the .docx's own text (read from the package, not by the reader)
    that no article prints, counted with multiplicity; order is checked by :func:`lost_content`."""
    try:
        raw = article_docx.document_text(path)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return ""  # the reader read it, so this cannot happen; its own check still ran
    # Chinese characters only: the structuring step drops page-number lines (digits) on purpose
    want = "".join(c for c in content(raw) if not c.isdigit())
    missing = Counter(want) - Counter(content("\n".join(printed_text(a) for a in articles)))
    out = []
    for char in reversed(want):  # the last occurrences are the ones missing: keep the text's order
        if missing[char] > 0:
            missing[char] -= 1
            out.append(char)
    return "".join(reversed(out))


_DIFF_LIMIT = 40_000
"""Characters beyond which the lost-text report counts characters instead of aligning the texts."""


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(char in it for char in small)


def import_file(path: Path, image_dir: Path | None) -> FileImport:
    """Read one contributed file into articles (pictures planned for ``image_dir``); check nothing is lost."""
    result = FileImport(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        result.problems.append(
            Problem(Code.IMPORT_UNSUPPORTED, file=path, args={"suffix": path.suffix or path.name})
        )
        return result
    try:
        safe_io.check_regular(path)
    except safe_io.NotRegular as exc:
        result.problems.append(Problem(Code.FILE_NOT_REGULAR, file=path, args={"kind": exc.kind}))
        return result
    except OSError:
        result.problems.append(Problem(Code.FILE_MISSING, file=path))
        return result
    imported = reader(path, image_dir)
    articles = [yaml_writer.canonical(a) for a in imported.articles]
    result.problems.extend(imported.problems)
    if not articles and not errors(imported.problems):
        result.problems.append(Problem(Code.IMPORT_NOTHING, file=path))
    if imported.articles:
        lost = lost_content(imported.raw_text, articles)
        if not lost and path.suffix.lower() == ".docx":
            lost = _lost_from_package(path, articles)
        if lost:
            result.problems.append(Problem(Code.IMPORT_LOST, file=path, args={"chars": short(lost, 30)}))
    result.articles, result.images = articles, imported.images
    return result


def _built_by_us(path: Path, problems: list[Problem]) -> bool:
    """Return True (with an error pointing to ``bulletin merge``) for a .docx bulletin-kit built."""
    from . import identity

    props = identity.read(path) if path.suffix.lower() == ".docx" else {}
    if not identity.built_by_us(props):
        return False
    issue = props.get(identity.PROPERTY_ISSUE, "")
    problems.append(Problem(Code.IMPORT_BUILT_BY_US, file=path, args={"issue": issue, "file": str(path)}))
    return True


def import_files(
    paths: Sequence[Path], into: Path | None, *, strict: bool = False
) -> tuple[list[Article], str, list[Problem]]:
    """Import ``paths``; with ``into``, save their pictures beside it and append the articles to it.

    Return the articles, their YAML (the items as appended, or for ``into=None`` as printed) and
    all problems. Nothing is written when any file has an error (or, with ``strict``, a warning).
    """
    problems: list[Problem] = []
    image_dir = into.parent if into is not None else None
    if into is not None:
        if into.name == SERIES_FILE:
            return [], "", [Problem(Code.IMPORT_INTO_SERIES, file=into)]
        if not into.is_file():
            return [], "", [Problem(Code.IMPORT_TARGET_MISSING, file=into)]
    results = []
    for path in paths:
        path = Path(path)
        if into is not None and path.resolve() == into.resolve():
            problems.append(Problem(Code.IMPORT_SAME_FILE, file=path))
            continue
        if _built_by_us(path, problems):
            continue
        result = import_file(path, image_dir)
        results.append(result)
        problems.extend(result.problems)
    articles = [a for r in results for a in r.articles]
    notes = [f"导入自 {r.path.name}" for r in results for _ in r.articles]
    if errors(problems) or (strict and problems):
        return articles, "", problems
    if not articles:  # no file given (each empty file has its own error)
        return articles, "", [*problems, Problem(Code.IMPORT_NOTHING)]
    if into is None:
        return articles, yaml_writer.articles_to_yaml(articles, Path.cwd(), notes), problems
    created = _save_images([img for r in results for img in r.images])
    text, appended = issue_append.append_articles(into, articles, notes)
    problems.extend(appended)
    if errors(appended):
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        return articles, "", problems
    return articles, text, problems


def _save_images(images: list[tuple[Path, bytes]]) -> list[Path]:
    """Write the pictures that are not there yet; return the files created."""
    created = []
    for path, data in images:
        if path.exists():
            continue
        outputs.atomic_write_bytes(path, data)
        created.append(path)
    return created


def stats(article: Article) -> dict[str, int]:
    """Return how many paragraphs, headings, pictures and tables ``article`` has, and 1 if it has a source."""
    kinds = [b.kind for b in article.blocks]
    return {
        "paragraphs": kinds.count("paragraph"),
        "headings": kinds.count("heading"),
        "images": kinds.count("image"),
        "tables": kinds.count("table"),
        "source": int(article.source is not None),
    }
