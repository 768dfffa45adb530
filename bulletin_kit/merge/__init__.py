"""``bulletin merge``: what reviewers changed in the Word file goes back into the issue file.

Input: a reviewed .docx built by bulletin-kit, the issue file (found from the file's custom
properties, :mod:`bulletin_kit.identity`, or given) and how to decide pending tracked changes.
Output: a :class:`MergeResult` — the changes per article (old -> new), the comments, the pending
revisions, the problems — and, unless something cannot be mapped, the issue file edited as text
(:mod:`bulletin_kit.yaml_edit`) and read back before it is written.

How paragraphs are mapped: the issue file as it is now is built again into a Word file in a
temporary folder (the state recorded in the reviewed file says whether that is the state it was
built from); each paragraph of that file is labelled with the element it came from (title, 副题,
body block, caption, table cell, 来源, 要目 line, 版记 line; the rest is template text such as
the 报头). The reviewed paragraphs are aligned to those with :class:`difflib.SequenceMatcher`
on their text; within a changed stretch, paragraphs are paired by similarity, so an edited
paragraph keeps its element, a split one becomes the edited paragraph plus an inserted one, and
joined ones an edited paragraph plus a deleted one. An inserted paragraph belongs to the article
it sits in.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .. import identity, outputs, transforms
from ..messages import Code
from ..problems import Level, Problem, errors
from ..readers import issue_yaml, review_docx
from ..theme import get_theme
from .align import PAIR_WINDOW, SIMILAR, align
from .apply import Plan, write_checked
from .paragraphs import EDITOR_NOTE_LABEL, SOURCE_SEPARATOR, Para, Ref, built_paragraphs, reviewed_paragraphs
from .report import Change, MergeResult, report
from .revisions import pending, places, report_comments

# --------------------------------------------------------------------------- finding the issue file


def find_issue(reviewed: Path, props: dict[str, str]) -> tuple[Path | None, list[Problem]]:
    """Return the issue file named in ``props``: ``issues/NAME`` in the current folder, beside the
    reviewed file or beside its folder, else the path it was built from (a copied project folder
    finds its own issue file first)."""
    name = props.get(identity.PROPERTY_ISSUE, "")
    if not identity.built_by_us(props) or not name:
        return None, [Problem(Code.MERGE_NOT_OURS, file=reviewed)]
    folder = reviewed.resolve().parent
    recorded = props.get(identity.PROPERTY_PATH)
    candidates = [Path("issues") / name, folder / name, folder.parent / "issues" / name]
    candidates += [Path(recorded)] if recorded else []
    for candidate in candidates:
        if candidate.is_file():
            return candidate, []
    return None, [Problem(Code.MERGE_NO_ISSUE, file=reviewed, args={"name": name})]


# --------------------------------------------------------------------------- merging


def merge(
    reviewed: Path,
    into: Path | None = None,
    *,
    accept_all: bool = False,
    reject_all: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> MergeResult:
    """Merge the reviewed Word file into its issue file (see the module documentation)."""
    result = MergeResult()
    try:
        review = review_docx.read(reviewed)
    except review_docx.ReviewError as exc:
        result.problems.append(Problem(Code.MERGE_UNREADABLE, file=reviewed, args={"detail": str(exc)}))
        return result
    if into is None:
        into, found = find_issue(reviewed, review.properties)
        result.problems.extend(found)
        if into is None:
            return result
    result.issue_path = into
    raw, problems = issue_yaml.load(into)
    if raw is None or errors(problems):
        result.problems.append(Problem(Code.MERGE_ISSUE_INVALID, file=into))
        result.problems.extend(errors(problems))
        return result
    issue, _ = transforms.apply(raw)
    theme = get_theme(issue.layout.theme)
    result.titles = {a: "　".join(art.title) for a, art in enumerate(issue.articles)}
    built_state = review.properties.get(identity.PROPERTY_STATE)
    if built_state is None:
        result.problems.append(Problem(Code.MERGE_NO_IDENTITY, file=reviewed, level=Level.WARNING))
    elif built_state != identity.state(issue):
        built_from = review.properties.get(identity.PROPERTY_ISSUE, "")
        other = bool(built_from) and built_from != into.name
        result.problems.append(
            Problem(
                Code.MERGE_OTHER_ISSUE if other else Code.MERGE_STALE,
                file=into,
                level=Level.WARNING if force else Level.ERROR,
                args={"docx": reviewed.name, "issue": built_from, "into": into.name},
            )
        )
        if not force:
            return result
    old, more = built_paragraphs(issue, theme)
    result.problems.extend(more)
    if errors(more):
        return result
    accept = not reject_all
    new = reviewed_paragraphs(review, accept, theme.styles["source"].name)
    pairs, deleted, inserted = align(old, new)
    where_of = places(old, new, pairs, issue)
    report_comments(review, where_of, result)
    if review.revisions and not (accept_all or reject_all):
        result.revisions = pending(review, where_of)
        result.problems.append(Problem(Code.MERGE_PENDING, file=reviewed, args={"n": len(review.revisions)}))
        return result
    if review.format_changes:
        result.problems.append(
            Problem(
                Code.MERGE_FORMAT_REVISIONS,
                file=reviewed,
                level=Level.WARNING,
                args={"n": review.format_changes},
            )
        )
    plan = Plan(raw, issue, theme, reviewed, result)
    plan.collect(old, new, pairs, deleted, inserted)
    if not result.changes:
        result.problems.append(Problem(Code.MERGE_NOTHING, file=reviewed, level=Level.WARNING))
    if errors(result.problems) and not force:
        return result
    if force:
        result.problems = [
            dataclasses.replace(p, level=Level.WARNING) if p.code == Code.MERGE_UNMAPPED else p
            for p in result.problems
        ]
    if errors(result.problems):
        return result
    if result.changes:
        new_text, expected = plan.edit(into)
        if new_text is None:
            return result
        result.new_text = new_text
        if dry_run or not write_checked(into, new_text, expected, result):
            return result
        result.written = True
    if not dry_run:
        result.kept_as = _keep_reviewed(reviewed, into)
    return result


def _keep_reviewed(reviewed: Path, into: Path) -> Path | None:
    """Rename the reviewed file when it is the built ``output/<issue>.docx`` and was edited, or a
    review saved under another name in that output folder, so that it no longer stops
    ``bulletin build``; return its new name."""
    folder = reviewed.resolve().parent
    own = f"{into.stem}.docx"
    in_output = reviewed.resolve() == folder / own or own in outputs.read_manifest(folder)
    if not in_output or ".修改稿-" in reviewed.name or not outputs.was_edited(reviewed):
        return None
    kept = outputs.backup_name(reviewed)
    reviewed.rename(kept)
    return kept


__all__ = [
    "EDITOR_NOTE_LABEL",
    "PAIR_WINDOW",
    "SIMILAR",
    "SOURCE_SEPARATOR",
    "Change",
    "MergeResult",
    "Para",
    "Ref",
    "align",
    "built_paragraphs",
    "find_issue",
    "merge",
    "report",
    "reviewed_paragraphs",
]
