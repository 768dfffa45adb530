"""Fonts: which installed font each typeface role uses, and which characters of an issue none covers.

One module per job:

- :mod:`.installed` — the faces fontconfig lists (``fc-list``), :func:`find_face`, :func:`font_files`;
- :mod:`.roles` — each role's stack resolved to installed faces (:func:`resolve_all`);
- :mod:`.coverage` — the characters of an issue no face of its role covers (:func:`missing_glyphs`);
- :mod:`.reporting` — what ``bulletin fonts`` / ``bulletin doctor`` print (:class:`FontReport`);
- :mod:`.fontconfig` — the rules that let LibreOffice show office fonts in their free substitutes
  (``python -m bulletin_kit.fonts --fontconfig``, see :mod:`.__main__`).

A role's stack is the CSS ``font-family`` list the PDF writer prints: the office font first,
then the free substitutes. Pango takes each character from the first installed family of the
stack that has it; a character that none of them has would come from an unrelated system font
or print as a tofu box, so it is reported as missing.
"""

from __future__ import annotations

from .coverage import LATIN_RANGES, in_latin_range, missing_glyphs, missing_with
from .fontconfig import fontconfig_aliases
from .installed import InstalledFace, find_face, font_files, installed_faces
from .reporting import ROLE_NAMES, FontReport, harfbuzz_subset_available, report
from .roles import LATIN_ROLE, RoleFonts, resolve, resolve_all

__all__ = [
    "LATIN_RANGES",
    "LATIN_ROLE",
    "ROLE_NAMES",
    "FontReport",
    "InstalledFace",
    "RoleFonts",
    "find_face",
    "font_files",
    "fontconfig_aliases",
    "harfbuzz_subset_available",
    "in_latin_range",
    "installed_faces",
    "missing_glyphs",
    "missing_with",
    "report",
    "resolve",
    "resolve_all",
]
