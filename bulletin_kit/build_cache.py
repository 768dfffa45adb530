"""Which issues need building again: a content hash of every input, kept in the output manifest.

Input: an issue file, the output folder and the formats. Output: whether the outputs there are
exactly what a build of the same inputs made (so the build can be skipped), and the entry to record
after a build. An entry lives in the ``builds`` section of ``.bulletin-kit.json`` (the manifest of
:mod:`bulletin_kit.outputs`), keyed by the output name, and holds the SHA-256 of:

- every input the build read: the issue file, ``series.yaml`` (or that there is none), each image
  and the series' own stylesheet or Word template (:func:`bulletin_kit.pipeline.input_files`);
- the environment: bulletin-kit's version, its source files, the bundled templates and the
  formats asked for (:func:`environment`);
- every output written, so an output someone deleted or edited counts as changed.

Only an issue whose file is unchanged can be skipped, and the images it names are the ones the
issue file names, so checking the recorded files is enough: nothing is parsed to decide.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__, outputs

SECTION = "builds"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR.parent / "templates"


@functools.cache
def _code_digest() -> str:
    digest = hashlib.sha256(f"bulletin-kit {__version__}\n".encode())
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    if TEMPLATES_DIR.is_dir():
        files += sorted(p for p in TEMPLATES_DIR.rglob("*") if p.is_file())
    for path in files:
        digest.update(f"{path.relative_to(PACKAGE_DIR.parent)}\n".encode())
        digest.update(outputs.sha256(path).encode())
    return digest.hexdigest()


def environment(formats: tuple[str, ...]) -> str:
    """Return the hash of everything besides the issue's own files that shapes the outputs."""
    return hashlib.sha256(f"{_code_digest()} {','.join(formats)}".encode()).hexdigest()


def _key(path: Path) -> str:
    return Path(path).stem


def _sha_or_none(path: Path) -> str | None:
    try:
        return outputs.sha256(path)
    except OSError:
        return None


def entry(
    path: Path, inputs: list[Path], written: list[Path], formats: tuple[str, ...], *, warnings: int = 0
) -> dict[str, object]:
    """Return the record of a complete build of ``path`` that read ``inputs`` and wrote ``written``.

    ``warnings`` counts the build's warnings: ``--strict`` never skips an issue that had some.
    """
    return {
        "warnings": warnings,
        "issue": str(Path(path).resolve()),
        "env": environment(formats),
        "inputs": {str(p): _sha_or_none(p) for p in inputs},
        "outputs": {p.name: _sha_or_none(p) for p in written},
    }


def is_fresh(path: Path, out_dir: Path, formats: tuple[str, ...], *, strict: bool = False) -> bool:
    """Return True when the outputs of ``path`` in ``out_dir`` are what its current inputs would make."""
    recorded = outputs.read_section(out_dir, SECTION).get(_key(path))
    if not isinstance(recorded, dict) or (strict and recorded.get("warnings") != 0):
        return False
    if recorded.get("issue") != str(Path(path).resolve()) or recorded.get("env") != environment(formats):
        return False
    inputs, made = recorded.get("inputs"), recorded.get("outputs")
    if not isinstance(inputs, dict) or not isinstance(made, dict):
        return False
    if sorted(made) != sorted(f"{Path(path).stem}.{fmt}" for fmt in formats):
        return False
    if any(sha is None or _sha_or_none(out_dir / name) != sha for name, sha in made.items()):
        return False
    if _review_beside(Path(path), out_dir):
        return False  # the build stops the PDF until the review is merged
    return all(_sha_or_none(Path(name)) == sha for name, sha in inputs.items())  # None: still absent


def _review_beside(path: Path, out_dir: Path) -> bool:
    """Return True when ``out_dir`` holds a .docx built from ``path`` under another name (a review
    saved with "save as"; :func:`bulletin_kit.identity.review_copies` decides whether it is merged)."""
    others = [
        p
        for p in out_dir.glob(f"{path.stem}*.docx")
        if p.name != f"{path.stem}.docx" and ".修改稿-" not in p.name
    ]
    if not others:
        return False
    from . import identity  # lxml: only when such a file is there

    return any(identity.read(p).get(identity.PROPERTY_ISSUE) == path.name for p in others)


def known(path: Path, out_dir: Path) -> bool:
    """Return True when ``out_dir``'s manifest has an entry for ``path``."""
    return _key(path) in outputs.read_section(out_dir, SECTION)


def remember(path: Path, out_dir: Path, record: dict[str, object] | None) -> None:
    """Store ``record`` (from :func:`entry`) for ``path``, or forget ``path`` with None."""
    outputs.update_section(out_dir, SECTION, _key(path), record)


__all__ = ["SECTION", "entry", "environment", "is_fresh", "known", "remember"]
